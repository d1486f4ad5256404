// The authToken: a Dfns JWT. Checked before any network call so an expired or mangled token
// fails with a clear line instead of a 401 from Dfns. The token itself never appears in a message.
import { base64Decode, utf8Decode } from '../encoding';
import * as fail from '../errors/token';

export interface Token {
  /** The token as it goes into `Authorization: Bearer`. */
  value: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** The decoded payload (research §7): who the token is, which org, which kind. */
  claims: Record<string, unknown>;
}

/** Dfns's own claims (research §7): `https://custom/app_metadata` {orgId, userId, tokenKind}, `https://custom/username`. */
const APP_METADATA = 'https://custom/app_metadata';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The org a token names, if it does: where a login goes when dfnsOrgId is not set. */
export const tokenOrg = (token: Token): string | undefined => text(((token.claims[APP_METADATA] || {}) as any).orgId);

/** The org, user, username and kind a token names, where it names them (dfns-signer doctor). */
export function tokenFacts(token: Token): { orgId?: string; userId?: string; username?: string; kind?: string } {
  const meta = (token.claims[APP_METADATA] || {}) as Record<string, unknown>;
  return {
    orgId: tokenOrg(token),
    userId: text(meta.userId),
    username: text(token.claims['https://custom/username']),
    kind: text(meta.tokenKind),
  };
}

/** Far more than any Dfns token (about 1 KB): refused before any work on it. */
const MAX_CHARS = 65536;

/** Accepts the token as users paste it: with surrounding space or quotes, or with a "Bearer " prefix. */
export function readToken(raw: string | undefined): Token {
  if (raw === undefined || raw.trim() === '') throw fail.missing();
  if (raw.length > MAX_CHARS) throw fail.malformed(`is ${raw.length} characters long, far longer than any Dfns token`);
  const value = raw
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/^Bearer\s+/i, '')
    .trim();
  const parts = value.split('.');
  if (parts.length !== 3 || parts.some((p) => p === ''))
    throw fail.malformed(`is not a JWT (${parts.length} dot-separated parts instead of 3)`);
  if (!/^[A-Za-z0-9_-]+$/.test(parts[0] + parts[1] + parts[2])) throw fail.malformed('is not a JWT (it has characters outside base64url)');
  const bytes = base64Decode(parts[1]);
  let payload: Record<string, unknown> | undefined;
  try {
    payload = bytes && JSON.parse(utf8Decode(bytes));
  } catch (_e) {
    payload = undefined;
  }
  if (!payload || typeof payload !== 'object') throw fail.malformed('is not a JWT (its payload is not base64url JSON)');
  if (typeof payload.exp !== 'number') throw fail.malformed('has no expiry (exp), so it is not a Dfns token');
  return { value, exp: payload.exp, claims: payload };
}

/** Refuses an expired token; says how long a valid one has left. */
export function secondsLeft(token: Token, nowMs: number): number {
  const left = Math.floor(token.exp - nowMs / 1000);
  if (left <= 0) throw fail.expired(token.exp);
  return left;
}

/** Whether an Authorization value sends this token: `Bearer <token>`, the scheme in any case. */
export function carriesToken(authorization: string, token: Token): boolean {
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return !!m && m[1] === token.value;
}
