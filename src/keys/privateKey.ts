// Identifies a DER key structure (PKCS#8, SEC1, PKCS#1, or something that is not a private key)
// and returns a CredentialKey. Throws SignerError for everything else.
import { bytesToNumberBE } from '@noble/curves/utils.js';
import type { CredentialKey } from './types';
import { children, content, DerError, octets, oid, readDer, sequence, small, TAG, unsigned, type Tlv } from './der';
import { curveByOid, ecdsaKey } from './ec';
import { ed25519Key } from './ed25519';
import { rsaKey } from './rsa';
import * as fail from './messages';

const OID = {
  EC: '1.2.840.10045.2.1',
  ED25519: '1.3.101.112',
  RSA: '1.2.840.113549.1.1.1',
} as const;

const NOT_SUPPORTED = 'which the signer does not support';
const AGREEMENT = 'which is for key agreement and cannot sign';

/** Key types Node's crypto can hold that the signer does not use: [kind, why]. */
const UNSUPPORTED: Record<string, [string, string]> = {
  '1.2.840.113549.1.1.10': ['an RSA-PSS key', 'which is restricted to PSS signatures; the signer makes RSA PKCS#1 v1.5 signatures, as the Dfns SDKs do'],
  '1.2.840.10040.4.1': ['a DSA key', fail.DSA_WHY],
  '1.2.840.10046.2.1': ['a Diffie-Hellman key', AGREEMENT],
  '1.2.840.113549.1.3.1': ['a Diffie-Hellman key', AGREEMENT],
  '1.3.101.110': ['an X25519 key', AGREEMENT],
  '1.3.101.111': ['an X448 key', AGREEMENT],
  '1.3.101.113': ['an Ed448 key', NOT_SUPPORTED],
  '1.2.156.10197.1.301': ['an SM2 key', NOT_SUPPORTED],
  '2.16.840.1.101.3.4.3.17': ['an ML-DSA-44 key', NOT_SUPPORTED],
  '2.16.840.1.101.3.4.3.18': ['an ML-DSA-65 key', NOT_SUPPORTED],
  '2.16.840.1.101.3.4.3.19': ['an ML-DSA-87 key', NOT_SUPPORTED],
};

const big = (t: Tlv | undefined, what: string): bigint => bytesToNumberBE(unsigned(t, what));

/** EC curve from ECParameters: a named-curve OID, or explicit parameters (refused). */
function curveOid(params: Tlv | undefined): string | undefined {
  if (!params || params.tag === TAG.NULL) return undefined;
  if (params.tag === TAG.SEQUENCE) throw fail.explicitCurve();
  return oid(params, 'EC curve name');
}

/** SEC1 ECPrivateKey (RFC 5915): version 1, private value, [0] curve, [1] public key. */
function sec1(der: Tlv[], outerCurve: string | undefined, blockCurve: string | undefined): CredentialKey {
  if (small(der[0], 'EC key version') !== 1) throw new DerError('EC key version is not 1');
  const secret = octets(der[1], 'EC private value');
  let inner: string | undefined;
  for (const t of der.slice(2)) {
    if (t.tag === TAG.CONTEXT_0) inner = curveOid(children(t)[0]);
    else if (t.tag !== TAG.CONTEXT_1) throw new DerError('unexpected element in EC key');
  }
  const name = outerCurve || inner || blockCurve;
  if (!name) throw fail.curveMissing();
  return ecdsaKey(curveByOid(name), secret);
}

/** RSAPrivateKey (RFC 8017 A.1.2), two-prime or multi-prime (the extra primes are not used). */
function pkcs1(der: Tlv[]): CredentialKey {
  const version = small(der[0], 'RSA key version');
  if ((version !== 0 && version !== 1) || der.length < 9) throw new DerError('not an RSA private key');
  const names = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;
  const numbers = {} as Record<(typeof names)[number], bigint>;
  names.forEach((name, i) => (numbers[name] = big(der[i + 1], `RSA ${name}`)));
  return rsaKey(numbers);
}

/** PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958). */
function pkcs8(der: Tlv[], blockCurve: string | undefined): CredentialKey {
  const version = small(der[0], 'PKCS#8 version');
  if (version !== 0 && version !== 1) throw new DerError('PKCS#8 version is not 0 or 1');
  const algorithm = sequence(der[1], 'PKCS#8 algorithm');
  const type = oid(algorithm[0], 'PKCS#8 algorithm');
  const inner = octets(der[2], 'PKCS#8 private key');
  if (type === OID.EC) {
    const outer = curveOid(algorithm[1]);
    return sec1(sequence(readDer(inner), 'EC private key'), outer, blockCurve);
  }
  if (type === OID.ED25519) {
    // CurvePrivateKey ::= OCTET STRING; a few tools put the 32 bytes in without the wrapper.
    return ed25519Key(inner.length === 32 ? inner : content(readDerOctets(inner)));
  }
  if (type === OID.RSA) return pkcs1(sequence(readDer(inner), 'RSA private key'));
  const known = UNSUPPORTED[type];
  throw known ? fail.unsupportedType(known[0], known[1]) : fail.unsupportedType('a key of an unknown type (or a damaged one)', NOT_SUPPORTED);
}

function readDerOctets(bytes: Uint8Array): Tlv {
  const t = readDer(bytes);
  if (t.tag !== TAG.OCTET_STRING) throw new DerError('expected the Ed25519 private value');
  return t;
}

/**
 * Reads a DER private key of any supported structure. `ecParameters`: the DER of a preceding
 * EC PARAMETERS block, which names the curve of a SEC1 key that does not name it itself.
 */
export function fromDer(bytes: Uint8Array, ecParameters?: Uint8Array): CredentialKey {
  try {
    const blockCurve = ecParameters ? curveOid(readDer(ecParameters)) : undefined;
    // Key files start with a SEQUENCE (or an OID: EC PARAMETERS); anything else is not DER at all.
    if (bytes[0] !== TAG.SEQUENCE && bytes[0] !== TAG.OID) throw new DerError('not DER');
    const top = readDer(bytes);
    if (top.tag === TAG.OID) throw fail.ecParametersOnly();
    const der = sequence(top, 'a key structure');
    const [a, b, c] = der;
    if (a && a.tag === TAG.INTEGER && b) {
      if (b.tag === TAG.SEQUENCE) return pkcs8(der, blockCurve);
      if (b.tag === TAG.OCTET_STRING) return sec1(der, undefined, blockCurve);
      if (b.tag === TAG.INTEGER && der.length === 2) throw fail.publicKey('PKCS#1 RSA PUBLIC KEY');
      if (b.tag === TAG.INTEGER && der.length === 6) throw fail.unsupportedType('a DSA key', fail.DSA_WHY); // OpenSSL's DSA PRIVATE KEY
      if (b.tag === TAG.INTEGER) return pkcs1(der);
    }
    if (a && a.tag === TAG.SEQUENCE && b && der.length === 2) {
      if (b.tag === TAG.BIT_STRING) throw fail.publicKey('SubjectPublicKeyInfo, as in PEM PUBLIC KEY');
      if (b.tag === TAG.OCTET_STRING) throw fail.encrypted('PKCS#8 EncryptedPrivateKeyInfo');
    }
    if (a && a.tag === TAG.SEQUENCE && b && b.tag === TAG.SEQUENCE && c && c.tag === TAG.BIT_STRING && der.length === 3)
      throw fail.certificate('certificate or certificate request');
    throw new DerError('not a key structure');
  } catch (e) {
    if (e instanceof DerError)
      throw e.truncated ? fail.truncated('its data ends before the key does') : fail.corrupted('its data is not a valid key structure');
    throw e;
  }
}
