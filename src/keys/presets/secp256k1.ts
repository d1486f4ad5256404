// No precomputed base-point table (window 1): see nist.ts.
import { secp256k1 } from '@noble/curves/secp256k1.js';

secp256k1.Point.BASE.precompute(1);

export { secp256k1 };
