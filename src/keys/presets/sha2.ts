// The hash of every ECDSA signature (ec.ts).
export { sha256 } from '@noble/hashes/sha2.js';
