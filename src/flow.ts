// The whole signing of one request, written once for every client:
// host → request facts → challenge → signature → header.
import { asSignerError, SignerError } from './errors';
import { utf8Encode } from './encoding';
import type { Host, HttpResponse } from './hosts/host';
import { readPrivateKey } from './keys/index';
import { isDfnsApi, notDfnsApi, refuseInsecure } from './protocol/apiHost';
import { isStateChanging, needsUserAction } from './protocol/endpoints';
import { notJson, parseJson, refusal } from './protocol/refusal';
import { readToken, secondsLeft } from './protocol/token';
import {
  assertion,
  challengeRequest,
  clientData,
  COMPLETE_PATH,
  completeRequest,
  INIT_PATH,
  pickCredential,
  readChallenge,
  readUserAction,
} from './protocol/userAction';
import { refuseDotSegments, unresolvedVariable } from './request';

/** One step of the exchange: POST a JSON body to the Dfns API, with the token. */
async function exchange(host: Host, origin: string, path: typeof INIT_PATH | typeof COMPLETE_PATH, token: string, body: unknown, credId?: string): Promise<unknown> {
  const url = origin + path;
  let response: HttpResponse;
  try {
    response = await host.send({
      method: 'POST',
      url,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    const reason = e && typeof e === 'object' && ((e as any).code || (e as any).message);
    throw new SignerError(
      'dfns-unreachable',
      `could not reach ${url}${reason ? ` (${String(reason).slice(0, 120)})` : ''}`,
      'Check the API domain in the request URL (dfnsApiDomain) and your network or proxy',
    );
  }
  if (response.status < 200 || response.status > 299) throw refusal(`POST ${path}`, response.status, response.text, credId);
  const json = parseJson(response.text);
  if (json === undefined) throw notJson(`POST ${path}`, response.status);
  return json;
}

export async function signRequest(host: Host, now: () => number): Promise<void> {
  const started = now();
  if (host.prepare) await host.prepare();
  const request = host.request();
  const { method, url } = request;

  // Only Dfns requests: any other request is left exactly as the user wrote it.
  const inHost = host.unresolved(url.authority);
  if (inHost) throw unresolvedVariable("the request URL's host", inHost);
  const apiDomain = host.variable('dfnsApiDomain');
  if (!isDfnsApi(url, apiDomain)) {
    if (isStateChanging(method)) host.log(notDfnsApi(method, url, apiDomain));
    return;
  }
  refuseInsecure(url);
  const inUrl = host.unresolved(url.href);
  if (inUrl) throw unresolvedVariable('the request URL', inUrl);
  refuseDotSegments(url);

  const token = readToken(host.variable('authToken'));
  const left = secondsLeft(token, started);
  if (left < 60) host.log(`Dfns signer: warning: authToken expires in ${left} s; create a new one soon`);

  if (needsUserAction(method, url.path) && !request.userAction) {
    const pem = host.variable('credentialPrivateKey') ?? (host.vaultSecret && (await host.vaultSecret('credentialPrivateKey')));
    if (!pem)
      throw new SignerError(
        'key-missing',
        `credentialPrivateKey is not set, and ${method} ${url.path} needs a user action`,
        'Set the variable credentialPrivateKey (or, in the Postman app, a vault secret of that name) to the private key (PEM) of the credential registered with authToken',
      );
    const key = readPrivateKey(pem);
    const payload = host.body();
    const inBody = host.unresolved(payload);
    if (inBody) throw unresolvedVariable('the request body', inBody);
    if (payload && parseJson(payload) === undefined)
      host.log(`Dfns signer: warning: the body of ${method} ${url.path} is not valid JSON; signing it exactly as sent`);
    host.freeze();

    const init = challengeRequest({ method, path: url.path, payload });
    const challenge = readChallenge(await exchange(host, url.origin, INIT_PATH, token.value, init));
    const credId = pickCredential(challenge, host.variable('credentialId'));
    const data = utf8Encode(clientData(challenge.challenge));
    const complete = completeRequest(challenge.challengeIdentifier, assertion(credId, data, key.sign(data)));
    host.setHeader('X-DFNS-USERACTION', readUserAction(await exchange(host, url.origin, COMPLETE_PATH, token.value, complete, credId)));
    host.log(`Dfns signer: signed ${method} ${url.path} with ${credId} (${key.algorithm}) in ${now() - started} ms`);
  }
  if (!request.hasAuthorization) host.setHeader('Authorization', `Bearer ${token.value}`);
}

/**
 * Signs; on any failure shows it once and stops the request. Never rejects (an unhandled rejection
 * crashes newman 6.2): settles to the error the script must still throw where the client stops a
 * request only that way (Host.stop; entry.ts lists the clients).
 */
export function signOrFail(host: Host, now: () => number): Promise<SignerError | undefined> {
  return signRequest(host, now).then(
    () => undefined,
    (e) => {
      const error = asSignerError(e);
      try {
        host.report(error);
        return host.stop(error) === 'throw' ? error : undefined;
      } catch (broken) {
        return error; // the client could not record or skip: a throw is all that is left
      }
    },
  );
}
