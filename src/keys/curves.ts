// The crypto libraries are loaded on first use, not when the script loads: the script is evaluated
// afresh for every request, most requests never sign, and a signing request needs one curve (or RSA).
// esbuild turns each require() of a bundled module into a lazy initialiser (nothing is loaded at run
// time; one file per preset, so each is built alone). Unit tests alias this file to
// test/support/curves-eager.ts: vitest has no synchronous require for TypeScript.
import type * as Ed from './presets/ed25519';
import type * as Nist from './presets/nist';
import type * as Rsa from './presets/rsa';
import type * as K1 from './presets/secp256k1';
import type * as Sha2 from './presets/sha2';

declare const require: (id: string) => any;

export const nist = (): typeof Nist => require('./presets/nist');
export const k1 = (): typeof K1 => require('./presets/secp256k1');
export const ed = (): typeof Ed => require('./presets/ed25519');
export const rsa = (): typeof Rsa => require('./presets/rsa');
export const sha2 = (): typeof Sha2 => require('./presets/sha2');
