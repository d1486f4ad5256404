// The whole signing of one request, written once for every client:
// host → request facts → challenge → signature → header.
import { asSignerError, SignerError } from './errors';
import { utf8Encode } from './encoding';
import type { Host, HttpResponse } from './hosts/host';
import { needsUserAction } from './protocol/endpoints';
import { notJson, parseJson, refusal, type Step } from './protocol/refusal';
import { readToken, secondsLeft } from './protocol/token';
import {
  assertion,
  challengeRequest,
  clientData,
  completeRequest,
  pickCredential,
  readChallenge,
  readUserAction,
} from './protocol/userAction';
import { readPrivateKey } from './keys/index';

async function exchange(host: Host, origin: string, step: Step, token: string, body: unknown, credId?: string): Promise<unknown> {
  const url = origin + step.slice('POST '.length);
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
      `could not reach ${url}${reason ? ` (${String(reason).slice(0, 120)})` : ''}`,
      'Check the API domain in the request URL (dfnsApiDomain) and your network or proxy',
    );
  }
  if (response.status < 200 || response.status > 299) throw refusal(step, response.status, response.text, credId);
  const json = parseJson(response.text);
  if (json === undefined) throw notJson(step, response.status);
  return json;
}

export async function signRequest(host: Host, now: () => number): Promise<void> {
  const started = now();
  const token = readToken(host.variable('authToken'));
  const left = secondsLeft(token, started);
  const request = host.request();
  if (!request.hasAuthorization) host.setHeader('Authorization', `Bearer ${token.value}`);
  if (left < 60) host.log(`Dfns signer: warning: authToken expires in ${left} s; create a new one soon`);
  if (!needsUserAction(request.method, request.path) || request.userAction) return;

  const pem = host.variable('credentialPrivateKey') ?? (host.vaultSecret && (await host.vaultSecret('credentialPrivateKey')));
  if (!pem)
    throw new SignerError(
      `credentialPrivateKey is not set, and ${request.method} ${request.path} needs a user action`,
      'Set the variable credentialPrivateKey (or, in the Postman app, a vault secret of that name) to the private key (PEM) of the credential registered with authToken',
    );
  const key = readPrivateKey(pem);
  const payload = host.freezeBody();
  if (payload && parseJson(payload) === undefined)
    host.log(`Dfns signer: warning: the body of ${request.method} ${request.path} is not valid JSON; signing it exactly as sent`);
  const facts = { method: request.method, path: request.path, payload };

  const challenge = readChallenge(await exchange(host, request.origin, 'POST /auth/action/init', token.value, challengeRequest(facts)));
  const credId = pickCredential(challenge, host.variable('credentialId'));
  const data = utf8Encode(clientData(challenge.challenge));
  const signed = assertion(credId, data, key.sign(data));
  const answer = await exchange(host, request.origin, 'POST /auth/action', token.value, completeRequest(challenge.challengeIdentifier, signed), credId);
  host.setHeader('X-DFNS-USERACTION', readUserAction(answer));
  host.log(`Dfns signer: signed ${request.method} ${request.path} with ${credId} (${key.algorithm}) in ${now() - started} ms`);
}

/**
 * Signs, and on any failure lets the host record it and stop the request. Never rejects (an
 * unhandled rejection crashes newman 6.2); settles to the error the caller must still throw, if any.
 */
export function signOrFail(host: Host, now: () => number): Promise<SignerError | undefined> {
  return signRequest(host, now).then(
    () => undefined,
    (e) => host.fail(asSignerError(e)),
  );
}
