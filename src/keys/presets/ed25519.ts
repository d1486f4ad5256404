// @noble/ed25519 signs with the SHA-512 of @noble/hashes, which the bundle carries for P-521 anyway.
import { getPublicKey, hashes, sign } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';

hashes.sha512 = sha512;

export const ed25519 = { sign, getPublicKey };
