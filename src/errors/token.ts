// What to tell the user about authToken. Messages never quote the token.
import { SignerError } from './index';

const FIX_PASTE =
  'Paste the token Dfns showed when you created the personal access token or service account (three dot-separated parts starting with "ey")';

export const missing = (): SignerError =>
  new SignerError(
    'token-missing',
    'authToken is not set',
    'Set the variable authToken to your Dfns personal access token or service account token',
  );

/** `what` says how it shows, e.g. 'is not a JWT (2 dot-separated parts instead of 3)'. */
export const malformed = (what: string): SignerError => new SignerError('token-malformed', `authToken ${what}`, FIX_PASTE);

/** `exp`: seconds since the epoch. */
export const expired = (exp: number): SignerError =>
  new SignerError(
    'token-expired',
    `authToken expired at ${new Date(exp * 1000).toISOString()}`,
    'Create a new token in the Dfns dashboard (Settings > Personal Access Tokens or Service Accounts) and paste it into authToken',
  );

/**
 * The request would carry another Authorization than `Bearer <authToken>` (a header, or its auth setting),
 * while the user action is obtained with authToken. `reference`: how the client writes {{authToken}}.
 */
export const conflict = (reference: string): SignerError =>
  new SignerError(
    'token-conflict',
    "the request's Authorization (a header or its auth setting) is not Bearer authToken, the token the user action is for",
    `Remove it (auth: No Auth, also where it inherits from; the signer sets the token) or set it to Bearer ${reference}`,
  );
