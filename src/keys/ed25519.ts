// Ed25519 credential keys: pure EdDSA over the message (no prehash), raw 64-byte signature, by
// @noble/curves (presets/ed25519.ts).

import { cannotSign, corrupted } from '../errors/key';
import { ed } from './curves';
import { fromHex, spki } from './der';
import type { CredentialKey } from './types';

/** The window of the base-point table prepare() builds (see PREPARED_WINDOW in ec.ts). */
const PREPARED_WINDOW = 4;

/** A credential key from the 32-byte seed (RFC 8032 secret key, PKCS#8 CurvePrivateKey, JWK `d`). */
export function ed25519Key(seed: Uint8Array): CredentialKey {
  if (seed.length !== 32) throw corrupted(`its Ed25519 private value is ${seed.length} bytes instead of 32`);
  const sk = Uint8Array.from(seed);
  const { ed25519 } = ed();
  let prepared = false;
  return {
    algorithm: 'Ed25519',
    prepare(): void {
      // Once: setting the window again would throw the table away and build it anew.
      if (prepared) return;
      prepared = true;
      ed25519.Point.BASE.precompute(PREPARED_WINDOW);
      // A throwaway signature with a fixed, public key: builds the table and runs the signing code once.
      ed25519.sign(new Uint8Array(100), new Uint8Array(32).fill(1));
    },
    sign(message: Uint8Array): Uint8Array {
      try {
        return ed25519.sign(message, sk);
      } catch (_e) {
        throw cannotSign();
      }
    },
    publicKey(): Uint8Array {
      return spki(fromHex('06032b6570'), ed25519.getPublicKey(sk)); // id-Ed25519 (RFC 8410)
    },
  };
}
