// src/keys/curves.ts for unit tests (see there): the same presets, loaded eagerly.
import * as Ed from '../../src/keys/presets/ed25519';
import * as Nist from '../../src/keys/presets/nist';
import * as Rsa from '../../src/keys/presets/rsa';
import * as K1 from '../../src/keys/presets/secp256k1';
import * as Sha2 from '../../src/keys/presets/sha2';

export const nist = () => Nist;
export const k1 = () => K1;
export const ed = () => Ed;
export const rsa = () => Rsa;
export const sha2 = () => Sha2;
