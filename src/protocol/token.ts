// The authToken: a Dfns JWT. Checked before any network call so an expired or mangled token
// fails with a clear line instead of a 401 from Dfns. The token itself never appears in a message.
import { base64Decode, utf8Decode } from '../encoding';
import * as fail from '../errors/token';

export interface Token {
  /** The token as it goes into `Authorization: Bearer`. */
  value: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
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
  return { value, exp: payload.exp };
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
