// Identifies a DER key structure (PKCS#8, SEC1, PKCS#1, or something that is not a private key)
// and returns a CredentialKey. Throws SignerError for everything else.
import { bytesToNumberBE } from '@noble/curves/utils.js';
import * as fail from '../errors/key';
import { AGREEMENT, NOT_SUPPORTED } from '../errors/key';
import * as der from './der';
import { BIT_STRING, CONTEXT_0, CONTEXT_1, DerError, INTEGER, malformed, NULL, OCTET_STRING, OID, SEQUENCE, type Tlv } from './der';
import { curveByOid, ecdsaKey } from './ec';
import { ed25519Key } from './ed25519';
import { rsaKey } from './rsa';
import type { CredentialKey } from './types';

const DH = 'a Diffie-Hellman key';

/** Key types Node's crypto can hold that the signer does not use: [kind, why]. */
const UNSUPPORTED: Record<string, [string, string]> = {
  '1.2.840.113549.1.1.10': [
    'an RSA-PSS key',
    'which is restricted to PSS signatures; the signer makes RSA PKCS#1 v1.5 signatures, as the Dfns SDKs do',
  ],
  '1.2.840.10040.4.1': ['a DSA key', fail.DSA_WHY],
  '1.2.840.10046.2.1': [DH, AGREEMENT],
  '1.2.840.113549.1.3.1': [DH, AGREEMENT],
  '1.3.101.110': ['an X25519 key', AGREEMENT],
  '1.3.101.111': ['an X448 key', AGREEMENT],
  '1.3.101.113': ['an Ed448 key', NOT_SUPPORTED],
  '1.2.156.10197.1.301': ['an SM2 key', NOT_SUPPORTED],
  '2.16.840.1.101.3.4.3.17': ['an ML-DSA-44 key', NOT_SUPPORTED],
  '2.16.840.1.101.3.4.3.18': ['an ML-DSA-65 key', NOT_SUPPORTED],
  '2.16.840.1.101.3.4.3.19': ['an ML-DSA-87 key', NOT_SUPPORTED],
};

/** EC curve from ECParameters: a named-curve OID, or explicit parameters (refused). */
function curveOid(params: Tlv | undefined): string | undefined {
  if (!params || params.tag === NULL) return undefined;
  if (params.tag === SEQUENCE) throw fail.explicitCurve();
  return der.oid(params);
}

/** SEC1 ECPrivateKey (RFC 5915): version 1, private value, [0] curve, [1] public key. */
function sec1(key: Tlv[], outerCurve: string | undefined, blockCurve: string | undefined): CredentialKey {
  if (der.small(key[0]) !== 1) malformed();
  const secret = der.content(key[1], OCTET_STRING);
  let inner: string | undefined;
  for (const t of key.slice(2)) {
    if (t.tag === CONTEXT_0) inner = curveOid(der.children(t)[0]);
    else if (t.tag !== CONTEXT_1) malformed();
  }
  const name = outerCurve || inner || blockCurve;
  if (!name) throw fail.curveMissing();
  return ecdsaKey(curveByOid(name), secret);
}

/** RSAPrivateKey (RFC 8017 A.1.2), two-prime or multi-prime: version, n, e, d, p, q, dp, dq, qi. */
function pkcs1(key: Tlv[]): CredentialKey {
  const version = der.small(key[0]);
  if ((version !== 0 && version !== 1) || key.length < 9) malformed();
  // Every number must be a positive INTEGER; only n, e and d are used (see rsa.ts).
  const [n, e, d] = key.slice(1, 9).map((t) => bytesToNumberBE(der.unsigned(t)));
  return rsaKey({ n, e, d });
}

/** PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958). */
function pkcs8(key: Tlv[], blockCurve: string | undefined): CredentialKey {
  const version = der.small(key[0]);
  if (version !== 0 && version !== 1) malformed();
  const algorithm = der.sequence(key[1]);
  const type = der.oid(algorithm[0]);
  const inner = der.content(key[2], OCTET_STRING);
  if (type === '1.2.840.10045.2.1') {
    const outer = curveOid(algorithm[1]); // EC
    return sec1(der.sequence(der.readDer(inner)), outer, blockCurve);
  }
  // Ed25519: CurvePrivateKey ::= OCTET STRING; a few tools put the 32 bytes in without the wrapper.
  if (type === '1.3.101.112') return ed25519Key(inner.length === 32 ? inner : der.content(der.readDer(inner), OCTET_STRING));
  if (type === '1.2.840.113549.1.1.1') return pkcs1(der.sequence(der.readDer(inner))); // RSA
  const known = UNSUPPORTED[type] || ['a key of an unknown type (or a damaged one)', NOT_SUPPORTED];
  throw fail.unsupportedType(known[0], known[1]);
}

/**
 * Reads a DER private key of any supported structure. `ecParameters`: the DER of a preceding
 * EC PARAMETERS block, which names the curve of a SEC1 key that does not name it itself.
 */
export function fromDer(bytes: Uint8Array, ecParameters?: Uint8Array): CredentialKey {
  try {
    const blockCurve = ecParameters ? curveOid(der.readDer(ecParameters)) : undefined;
    // Key files start with a SEQUENCE (or an OID: EC PARAMETERS); anything else is not DER at all.
    if (bytes[0] !== SEQUENCE && bytes[0] !== OID) malformed();
    const top = der.readDer(bytes);
    if (top.tag === OID) throw fail.ecParametersOnly();
    const key = der.sequence(top);
    const n = key.length;
    const [a, b, c] = key.map((t) => t.tag);
    if (a === INTEGER && n > 1) {
      if (b === SEQUENCE) return pkcs8(key, blockCurve);
      if (b === OCTET_STRING) return sec1(key, undefined, blockCurve);
      if (b === INTEGER) {
        if (n === 2) throw fail.publicKey('PKCS#1 RSA PUBLIC KEY');
        if (n === 6) throw fail.dsa(); // OpenSSL's DSA PRIVATE KEY
        return pkcs1(key);
      }
    }
    if (a === SEQUENCE && n === 2 && b === BIT_STRING) throw fail.publicKey('SubjectPublicKeyInfo, as in PEM PUBLIC KEY');
    if (a === SEQUENCE && n === 2 && b === OCTET_STRING) throw fail.encrypted('PKCS#8 EncryptedPrivateKeyInfo');
    if (a === SEQUENCE && n === 3 && b === SEQUENCE && c === BIT_STRING) throw fail.certificate('certificate or certificate request');
    return malformed();
  } catch (e) {
    if (e instanceof DerError)
      throw e.truncated ? fail.truncated('its data ends before the key does') : fail.corrupted('its data is not a valid key structure');
    throw e;
  }
}
