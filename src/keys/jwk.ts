// Private keys as JSON Web Keys (RFC 7517/7518/8037): EC, OKP Ed25519 and RSA.
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { base64Decode } from '../encoding';
import * as fail from '../errors/key';
import { curveByJwk, ecdsaKey } from './ec';
import { ed25519Key } from './ed25519';
import { rsaKey } from './rsa';
import type { CredentialKey } from './types';

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

function bytes(jwk: Json, name: string): Uint8Array {
  const v = jwk[name];
  const out = typeof v === 'string' && base64Decode(v);
  if (!out || out.length === 0) throw fail.jwkProblem(`has no valid "${name}" (base64url)`);
  return out;
}

const number = (jwk: Json, name: string): bigint => bytesToNumberBE(bytes(jwk, name));

/** The one private key in a JWK or a JWK Set (`{"keys": [...]}`). */
function pick(json: unknown): Json {
  if (isObject(json) && Array.isArray(json.keys)) {
    const keys = json.keys.filter(isObject);
    const privateKeys = keys.filter((k) => k.d !== undefined);
    if (privateKeys.length > 1) throw fail.severalKeys(privateKeys.length);
    const key = privateKeys[0] || keys[0];
    if (!key) throw fail.jwkProblem('is an empty key set');
    return key;
  }
  if (!isObject(json) || typeof json.kty !== 'string') throw fail.notAKey('it is JSON, but not a JWK with "kty"');
  return json;
}

export function fromJwk(json: unknown): CredentialKey {
  const jwk = pick(json);
  const kty = jwk.kty;
  if (kty === 'oct') throw fail.unsupportedType('a symmetric key (JWK kty "oct")', 'which cannot be a Dfns credential');
  if (kty !== 'EC' && kty !== 'OKP' && kty !== 'RSA') throw fail.unsupportedType('a JWK of an unknown key type (kty)', fail.NOT_SUPPORTED);
  if (jwk.d === undefined) throw fail.publicKey('JWK without "d"');
  const crv = typeof jwk.crv === 'string' ? jwk.crv : '';
  if (kty === 'EC') return ecdsaKey(curveByJwk(crv), bytes(jwk, 'd'));
  if (kty === 'OKP') {
    if (crv === 'Ed25519') return ed25519Key(bytes(jwk, 'd'));
    if (crv === 'X25519' || crv === 'X448') throw fail.unsupportedType(`an ${crv} key`, fail.AGREEMENT);
    throw fail.unsupportedType(crv === 'Ed448' ? 'an Ed448 key' : 'an OKP key on an unknown curve', fail.NOT_SUPPORTED);
  }
  const key = { n: number(jwk, 'n'), e: number(jwk, 'e'), d: number(jwk, 'd') };
  // The CRT numbers are optional and not used (see rsa.ts), but when present they must be valid.
  for (const name of ['p', 'q', 'dp', 'dq', 'qi']) if (jwk[name] !== undefined) bytes(jwk, name);
  return rsaKey(key);
}
