// The authToken: a Dfns JWT. Checked before any network call so an expired or mangled token
// fails with a clear line instead of a 401 from Dfns. The token itself never appears in a message.
import { SignerError } from '../errors';
import { base64Decode, utf8Decode } from '../encoding';

export interface Token {
  /** The token as it goes into `Authorization: Bearer`. */
  value: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const FIX_PASTE = 'Paste the token Dfns showed when you created the personal access token or service account (three dot-separated parts starting with "ey")';

const malformed = (what: string): SignerError => new SignerError('token-malformed', `authToken ${what}`, FIX_PASTE);

/** Accepts the token as users paste it: with surrounding space or quotes, or with a "Bearer " prefix. */
export function readToken(raw: string | undefined): Token {
  if (raw === undefined || raw.trim() === '')
    throw new SignerError('token-missing', 'authToken is not set', 'Set the variable authToken to your Dfns personal access token or service account token');
  const value = raw.trim().replace(/^["']|["']$/g, '').replace(/^Bearer\s+/i, '').trim();
  const parts = value.split('.');
  if (parts.length !== 3 || parts.some((p) => p === ''))
    throw malformed(`is not a JWT (${parts.length} dot-separated parts instead of 3)`);
  if (!/^[A-Za-z0-9_-]+$/.test(parts[0] + parts[1] + parts[2]))
    throw malformed('is not a JWT (it has characters outside base64url)');
  const bytes = base64Decode(parts[1]);
  let payload: Record<string, unknown> | undefined;
  try {
    payload = bytes && JSON.parse(utf8Decode(bytes));
  } catch (e) {
    payload = undefined;
  }
  if (!payload || typeof payload !== 'object')
    throw malformed('is not a JWT (its payload is not base64url JSON)');
  if (typeof payload.exp !== 'number')
    throw malformed('has no expiry (exp), so it is not a Dfns token');
  return { value, exp: payload.exp };
}

/** Refuses an expired token; says how long a valid one has left. */
export function secondsLeft(token: Token, nowMs: number): number {
  const left = Math.floor(token.exp - nowMs / 1000);
  if (left <= 0)
    throw new SignerError(
      'token-expired',
      `authToken expired at ${new Date(token.exp * 1000).toISOString()}`,
      'Create a new token in the Dfns dashboard (Settings > Personal Access Tokens or Service Accounts) and paste it into authToken',
    );
  return left;
}
