// @ts-check
// Tokens (compact JWT, EdDSA): the Bearer tokens the emulator issues and checks, and the opaque
// handles of its challenges and user actions. Signed and verified with node:crypto.
import crypto from 'node:crypto';
import { b64u, decodeBase64url, isObject, parseJson } from './encoding.mjs';

/**
 * Build a compact JWT. Signs with `privateKey` (any node:crypto private key; Ed25519 -> EdDSA).
 * Without a key, a throw-away Ed25519 key is used: the result is well-formed but its signature is not
 * the emulator's (handy for "bad signature" tests).
 * @param {Record<string, unknown>} claims
 * @param {crypto.KeyObject} [privateKey]
 * @param {Record<string, unknown>} [header]
 */
export function makeToken(claims, privateKey, header = { alg: 'EdDSA', typ: 'JWT' }) {
  const signingInput = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  const key = privateKey ?? crypto.generateKeyPairSync('ed25519').privateKey;
  return `${signingInput}.${b64u(crypto.sign(null, Buffer.from(signingInput), key))}`;
}

/**
 * Verify a compact EdDSA JWT against `publicKey`; returns its claims or null.
 * @param {string} token @param {crypto.KeyObject} publicKey
 * @returns {Record<string, any> | null}
 */
function verifyJwt(token, publicKey) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, c, s] = parts.map(decodeBase64url);
  if (!h || !c || !s) return null;
  const header = parseJson(h.toString('utf8'));
  const claims = parseJson(c.toString('utf8'));
  if (!isObject(header) || header.alg !== 'EdDSA' || !isObject(claims)) return null;
  const ok = crypto.verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, s);
  return ok ? claims : null;
}

/**
 * The emulator's issuer: one Ed25519 key pair per emulator, for its Bearer tokens and its handles.
 * @param {{ orgId: string, now: () => number }} state
 */
export function createIssuer({ orgId, now }) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return {
    /**
     * A token with PAT-like claims for `userId`, valid `expiresInSeconds` from the emulator's clock.
     * @param {{ userId: string, tokenKind: string, expiresInSeconds?: number, claims?: Record<string, unknown> }} o
     */
    userToken({ userId, tokenKind, expiresInSeconds = 3600, claims = {} }) {
      const iat = Math.floor(now() / 1000);
      return makeToken(
        {
          iss: 'auth.dfns.io',
          aud: 'dfns:auth:user',
          sub: orgId,
          jti: `to-${crypto.randomUUID()}`,
          'https://custom/app_metadata': { userId, orgId, tokenKind },
          iat,
          exp: iat + expiresInSeconds,
          ...claims,
        },
        privateKey,
      );
    },
    /** Arbitrary claims signed with the emulator's key. @param {Record<string, unknown>} claims */
    sign: (claims) => makeToken(claims, privateKey),
    /** Opaque JWT-like handle for challenges and user actions. @param {string} aud @param {string} userId @param {number} expiresAt */
    handle: (aud, userId, expiresAt) =>
      makeToken({ iss: 'auth.dfns.io', aud, sub: userId, jti: crypto.randomUUID(), exp: Math.floor(expiresAt / 1000) }, privateKey),
    /** The claims of a token signed with the emulator's key, or null. @param {string} token */
    verify: (token) => verifyJwt(token, publicKey),
  };
}

/** @typedef {ReturnType<typeof createIssuer>} Issuer */
