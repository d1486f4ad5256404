// ECDSA credential keys: SHA-256 of the message, DER signature, RFC 6979 deterministic nonce, low S.
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { cannotSign, corrupted, unsupportedCurve } from '../errors/key';
import { k1, nist, sha2 } from './curves';
import { fromHex, spki } from './der';
import type { CredentialKey } from './types';

type Ecdsa = ReturnType<typeof nist>['p256'];

interface Curve {
  /** As logged and as in JWK `crv`. */
  readonly name: string;
  /** Built on first use (see curves.ts). */
  ecdsa(): Ecdsa;
  /** Secret key length in bytes. */
  readonly bytes: number;
  /** The curve's OBJECT IDENTIFIER, DER as hex (RFC 5480). */
  readonly oid: string;
}

const P256: Curve = { name: 'P-256', ecdsa: () => nist().p256, bytes: 32, oid: '06082a8648ce3d030107' };
const K256: Curve = { name: 'secp256k1', ecdsa: () => k1().secp256k1, bytes: 32, oid: '06052b8104000a' };
const P384: Curve = { name: 'P-384', ecdsa: () => nist().p384, bytes: 48, oid: '06052b81040022' };
const P521: Curve = { name: 'P-521', ecdsa: () => nist().p521, bytes: 66, oid: '06052b81040023' };

/** id-ecPublicKey (RFC 5480), DER as hex. */
const EC_PUBLIC_KEY = '06072a8648ce3d0201';

/** Named curves by OID (RFC 5480, SEC 2) and by JWK `crv` (RFC 7518, RFC 8812). */
const BY_OID: Record<string, Curve> = {
  '1.2.840.10045.3.1.7': P256,
  '1.3.132.0.10': K256,
  '1.3.132.0.34': P384,
  '1.3.132.0.35': P521,
};
const BY_JWK: Record<string, Curve> = { 'P-256': P256, secp256k1: K256, 'P-256K': K256, 'P-384': P384, 'P-521': P521 };

/** Curves Node's crypto knows but the signer does not carry, so the refusal can name them. */
const OTHER_CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.1': 'P-192 (prime192v1)',
  '1.3.132.0.33': 'P-224 (secp224r1)',
  '1.3.132.0.31': 'secp192k1',
  '1.3.132.0.32': 'secp224k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.8': 'brainpoolP256t1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
  '1.2.156.10197.1.301': 'SM2',
};

export function curveByOid(oid: string): Curve {
  const curve = BY_OID[oid];
  if (!curve) throw unsupportedCurve(OTHER_CURVES[oid] || 'a curve it does not know (or a damaged curve name)');
  return curve;
}

export function curveByJwk(crv: string): Curve {
  const curve = BY_JWK[crv];
  if (!curve) throw unsupportedCurve(/^(P-192|P-224|brainpoolP\d{3}[rt]1)$/.test(crv) ? crv : 'an unknown curve');
  return curve;
}

/**
 * The window of the base-point table prepare() builds: signing with it costs a fraction of signing
 * without one, and building it costs more than one signature, so it is built only while the
 * challenge is on its way (src/meanwhile.ts), never in the way of a signature.
 */
const PREPARED_WINDOW = 4;

/** What the throwaway signature of prepare() signs: about as long as a clientData. */
const WARM_UP_MESSAGE = new Uint8Array(100);

/** A credential key from the secret scalar (big-endian, any zero padding). */
export function ecdsaKey(curve: Curve, secret: Uint8Array): CredentialKey {
  const d = bytesToNumberBE(secret); // big-endian, any zero padding
  // More significant bytes than the curve has (hex digits: two per byte).
  if (d.toString(16).length > 2 * curve.bytes) throw corrupted(`its ${curve.name} private value is ${secret.length} bytes long`);
  const ecdsa = curve.ecdsa();
  if (d === BigInt(0) || d >= ecdsa.Point.Fn.ORDER) throw corrupted(`its ${curve.name} private value is out of range`);
  const sk = numberToBytesBE(d, curve.bytes);
  // SHA-256 for every curve: Dfns verifies with SHA-256 when the assertion names no algorithm.
  const { sha256 } = sha2();
  const signWith = (key: Uint8Array, message: Uint8Array): Uint8Array =>
    ecdsa.sign(sha256(message), key, { prehash: false, format: 'der', lowS: true, extraEntropy: false });
  let prepared = false;
  return {
    algorithm: `ECDSA ${curve.name}`,
    prepare(): void {
      // Once: setting the window again would throw the table away and build it anew.
      if (prepared) return;
      prepared = true;
      ecdsa.Point.BASE.precompute(PREPARED_WINDOW);
      // A throwaway signature with a fixed, public key (0x0101…, below every curve's order): builds
      // the table and runs the signing code once, so the engine has compiled it.
      signWith(new Uint8Array(curve.bytes).fill(1), WARM_UP_MESSAGE);
    },
    sign(message: Uint8Array): Uint8Array {
      try {
        return signWith(sk, message);
      } catch (_e) {
        throw cannotSign();
      }
    },
    publicKey(): Uint8Array {
      return spki(fromHex(EC_PUBLIC_KEY + curve.oid), ecdsa.getPublicKey(sk, false)); // uncompressed, as OpenSSL writes it
    },
  };
}
