// What to tell the user when Dfns (or whatever answered in its place) cannot be reached or refuses a
// step of the exchange.
import { parseJson } from '../encoding';
import type { COMPLETE_PATH, INIT_PATH } from '../protocol/endpoints';
import type { CREDENTIAL_INIT_PATH, REGISTRATION_INIT_PATH } from '../protocol/newCredential';
import { SignerError } from './index';

/** A step of the exchange (or of a new credential's creation), as messages name it. */
export type Step = `POST ${typeof INIT_PATH | typeof COMPLETE_PATH | typeof CREDENTIAL_INIT_PATH | typeof REGISTRATION_INIT_PATH}`;

/** No HTTP answer came back from `url`; `reason` is the client's error code or message. */
export function unreachable(url: string, reason: unknown): SignerError {
  return new SignerError(
    'dfns-unreachable',
    `could not reach ${url}${reason ? ` (${String(reason).slice(0, 120)})` : ''}`,
    'Check the API domain in the request URL (dfnsApiDomain) and your network or proxy',
  );
}

/** Dfns's error message from `{"error":{"message"}}` (current) or `{"message"}` (older answers). */
function dfnsMessage(json: unknown): string | undefined {
  const body = json as Record<string, any> | undefined;
  const message = body && ((body.error && body.error.message) || body.message || (typeof body.error === 'string' && body.error));
  return typeof message === 'string' && message.trim() ? message.replace(/\s+/g, ' ').trim().slice(0, 300) : undefined;
}

function fixFor(step: Step, status: number, credId?: string): string {
  if (status === 401 && step === 'POST /auth/action')
    return `Check that ${credId ? `credential ${credId}` : 'the credential'} is active (Dfns dashboard) and that credentialPrivateKey is its private key`;
  if (step === 'POST /auth/credentials/init' && (status === 401 || status === 403))
    return "Create Credential takes a user's login token, not a personal access token or a service account's (README: Rotate a key)";
  if (step === 'POST /auth/registration/init' && status >= 400 && status < 500)
    return 'Check dfnsOrgId, dfnsUsername and dfnsRegistrationCode (Resend Registration Code sends a new code)';
  if (status === 401) return 'Check that authToken is a valid, unrevoked Dfns token for this API domain (region), and paste it again';
  if (status === 403) return 'Check that the token has the permission this request needs';
  if (status === 429) return 'Dfns is rate-limiting: wait and retry, or run fewer requests in parallel';
  if (status >= 500) return 'Dfns had a server-side problem: retry in a moment';
  return 'Check the request method, path and body';
}

/** A refused step of the exchange, quoting the status and Dfns's own message. */
export function refusal(step: Step, status: number, text: string, credId?: string): SignerError {
  const message = dfnsMessage(parseJson(text));
  const said = message ? `: "${message}"` : text.trim() ? ' with a body that is not a Dfns JSON error' : ' with an empty body';
  const what = `Dfns refused ${step} with ${status}${said}`;
  const keyHint =
    status === 401 && step === 'POST /auth/action' && message && /signature|verif|credential/i.test(message)
      ? " (a deactivated credential, or the key of another credential than the token's)"
      : '';
  return new SignerError('dfns-refused', what + keyHint, fixFor(step, status, credId));
}

/** Something else than the Dfns API answered: what it said is in `what`. */
export const notTheApi = (what: string): SignerError =>
  new SignerError(
    'dfns-not-api',
    what,
    'Check that the request URL points at the Dfns API (https://api.dfns.io or your region), not a proxy, mock or web page',
  );

/** A 2xx answer that is not JSON: not the Dfns API. */
export function notJson(step: Step, status: number): SignerError {
  return notTheApi(`${step} answered ${status} with a body that is not JSON`);
}
