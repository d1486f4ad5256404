// RSASSA-PKCS1-v1_5 with SHA-256 (rsa.ts).
export { PKCS1_SHA256 } from 'micro-rsa-dsa-dh/rsa.js';
