// What to tell the user when logging in with the credential key (dfnsUsername) cannot work: who, in
// which org, with which key, and the second factor the signer cannot give. Never quotes a token.
import { parseJson } from '../encoding';
import { answered, dfnsMessage, refusal } from './dfns';
import { SignerError } from './index';

const FIX_ORG = "Set dfnsOrgId to your org's id (or-…, in the Dfns dashboard's Settings)";
const FIX_PAT = 'or unset dfnsUsername and use a personal access token or service account token';
const NOT_CREDENTIAL = 'login-not-credential';

/** `status`, `text`: Dfns's answer to POST /auth/login/init {username, orgId}. */
export function initRefused(username: string, orgId: string, status: number, text: string): SignerError {
  const said = `(POST /auth/login/init ${answered(status, text)})`;
  if (status > 399 && status < 500 && /\borg/i.test(dfnsMessage(parseJson(text)) || ''))
    return new SignerError('login-org-unknown', `Dfns knows no org ${orgId} ${said}`, `${FIX_ORG}, and dfnsApiDomain to its region`);
  if (status > 399 && status < 405)
    return new SignerError(
      'login-user-unknown',
      `Dfns knows no user "${username}" in org ${orgId} ${said}`,
      "Set dfnsUsername to the user's login email, and dfnsOrgId to its org",
    );
  return refusal('POST /auth/login/init', status, text);
}

/** Neither dfnsOrgId nor the (expired) authToken names the org to log in to. */
export const orgMissing = (): SignerError =>
  new SignerError('login-org-missing', 'dfnsOrgId is not set, and no authToken names the org to log in to', FIX_ORG);

export const keyMissing = (username: string): SignerError =>
  new SignerError(
    'key-missing',
    'credentialPrivateKey is not set, and logging in as dfnsUsername needs it',
    `Set it to the private key (PEM) of a Key credential of "${username}", ${FIX_PAT}`,
  );

/** Dfns offers no Key credential to log this user in with; `others`: what it offers instead. */
export const noKeyCredential = (username: string, others: string[]): SignerError =>
  new SignerError(
    NOT_CREDENTIAL,
    `"${username}" has no Key credential to log in with${others.length ? ` (only: ${others.join(', ')})` : ''}`,
    `Register one for the user (Create Credential) and paste its private key into credentialPrivateKey, ${FIX_PAT}`,
  );

/** POST /auth/login refused the signed challenge. */
export function completeRefused(username: string, credId: string, status: number, text: string): SignerError {
  if (/second factor/i.test(dfnsMessage(parseJson(text)) || '')) return secondFactor(username, 'POST /auth/login asks for it');
  if (status !== 401 && status !== 403) return refusal('POST /auth/login', status, text, credId);
  return new SignerError(
    NOT_CREDENTIAL,
    `credentialPrivateKey is not the key of ${credId}, a login credential of "${username}" (POST /auth/login ${answered(status, text)})`,
    `Paste that credential's private key, or set credentialId to the credential whose key you pasted, ${FIX_PAT}`,
  );
}

/** `why`: how it shows. */
export const secondFactor = (username: string, why: string): SignerError =>
  new SignerError(
    'login-second-factor',
    `logging in as "${username}" needs a second factor (${why}), which the signer cannot give`,
    'Unset dfnsUsername and use a personal access token or service account token, which need none',
  );
