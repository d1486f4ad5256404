// What to tell the user when Dfns (or whatever answered in its place) cannot be reached or refuses a
// step of the exchange.
import { parseJson } from '../encoding';
import { SignerError } from './index';

/** A call of the signer to the Dfns API, as messages name it: `POST /auth/action/init`. */
export type Step = `POST /${string}`;

/** No HTTP answer came back from `url`; `reason` is the client's error code or message. */
export function unreachable(url: string, reason: unknown): SignerError {
  return new SignerError(
    'dfns-unreachable',
    `could not reach ${url}${reason ? ` (${String(reason).slice(0, 120)})` : ''}`,
    'Check the API domain in the request URL (dfnsApiDomain) and your network or proxy',
  );
}

/** Dfns's error message from `{"error":{"message"}}` (current) or `{"message"}` (older answers). */
export function dfnsMessage(json: unknown): string | undefined {
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
  if (status >= 500) return 'Dfns had a server-side problem: retry in a moment';
  return 'Check the request method, path and body';
}

/** `with 401: "Not Authorized."`: the status and Dfns's own message, for a line about a refusal. */
export function answered(status: number, text: string): string {
  const message = dfnsMessage(parseJson(text));
  return `with ${status}${message ? `: "${message}"` : text.trim() ? ' with a body that is not a Dfns JSON error' : ' with an empty body'}`;
}

/** A refused step of the exchange, quoting the status and Dfns's own message. */
export function refusal(step: Step, status: number, text: string, credId?: string): SignerError {
  const message = dfnsMessage(parseJson(text));
  const what = `Dfns refused ${step} ${answered(status, text)}`;
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

/** The origin a Location header points to (no path or query: those may hold anything), or what it says. */
function originOf(location: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(location.trim());
  return m ? m[1] : location.trim().slice(0, 80) || 'nowhere';
}

/** A 3xx answer to the signer's own call: never followed, so the token goes nowhere else. */
export function redirected(step: Step, status: number, location: string | undefined): SignerError {
  return new SignerError(
    'dfns-redirected',
    `${step} was answered ${status}, a redirect${location === undefined ? '' : ` to ${originOf(location)}`}, which the signer does not follow (authToken would go along)`,
    'Point dfnsApiDomain and the request URL at the Dfns API itself (https://api.dfns.io or your region), not at an address that redirects',
  );
}

/** No answer within the signer's limit (dfnsTimeoutSeconds). */
export function timedOut(url: string, ms: number): SignerError {
  return new SignerError(
    'dfns-timeout',
    `no answer from ${url} within ${ms / 1000} s, so the request was stopped`,
    'Check the API domain (dfnsApiDomain) and your network or proxy; if Dfns is just slow, raise dfnsTimeoutSeconds',
  );
}

/** Busy answers (429, 503) to every try, or where the client cannot wait to try again. */
export function throttled(step: Step, status: number, tries: number): SignerError {
  return new SignerError(
    'dfns-throttled',
    `Dfns answered ${step} with ${status} (${busyName(status)})${tries > 1 ? ` ${tries} times in a row` : ''}`,
    'Wait a minute and run the request again, or run fewer requests at once',
  );
}

/** A busy answer asking for a longer wait (Retry-After) than the signer spends. */
export function throttledTooLong(step: Step, status: number, seconds: number, longest: number): SignerError {
  return new SignerError(
    'dfns-throttled',
    `Dfns answered ${step} with ${status} (${busyName(status)}) and asks to wait ${seconds} s, longer than the signer waits (${longest} s)`,
    `Run the request again in ${seconds} s`,
  );
}

/** The line logged before each retry. */
export function retrying(step: Step, status: number, seconds: number, retry: number, retries: number): string {
  return `Dfns signer: Dfns answered ${step} with ${status} (${busyName(status)}); retrying in ${seconds} s (${retry} of ${retries})`;
}

const busyName = (status: number): string => (status === 429 ? 'Too Many Requests' : 'Service Unavailable');

/** dfnsTimeoutSeconds that is no number of seconds. */
export function timeoutSetting(value: string, longest: number): SignerError {
  return new SignerError(
    'timeout-invalid',
    `dfnsTimeoutSeconds is "${value.slice(0, 40)}", not a number of seconds from 1 to ${longest}`,
    'Set dfnsTimeoutSeconds to how many seconds to wait for each answer of Dfns (e.g. 30, the default when it is unset)',
  );
}
