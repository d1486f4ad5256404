// The whole signing of one request, written once for every client:
// client → request facts → challenge → signature → header.

import type { Client } from './clients/client';
import { newCredentialBody, type Post, registration, type Written } from './creation';
import { parseJson, utf8Encode } from './encoding';
import { asSignerError, type SignerError } from './errors';
import { registrationSetup } from './errors/credential';
import * as keyFailure from './errors/key';
import { unresolvedVariable } from './errors/request';
import { conflict } from './errors/token';
import { post, retrying } from './exchange';
import { readPrivateKey } from './keys/index';
import { isDfnsApi, notDfnsApi, refuseInsecure, refuseSchemeAsHost } from './protocol/apiHost';
import { COMPLETE_PATH, INIT_PATH, isStateChanging, needsUserAction } from './protocol/endpoints';
import { readTimeout } from './protocol/network';
import { isCreateCredential, isRegistration } from './protocol/newCredential';
import { carriesToken, readToken, secondsLeft } from './protocol/token';
import {
  assertion,
  challengeRequest,
  clientData,
  completeRequest,
  pickCredential,
  readChallenge,
  readUserAction,
} from './protocol/userAction';
import { refusePath } from './request';

/** The body the signer wrote, in place of the request's, sent as JSON. */
function putBody(client: Client, written: Written): void {
  (client.replaceBody as (json: string) => void)(written.body);
  client.setHeader('Content-Type', 'application/json');
}

/** The new credential, as the log line names it: its id is what credentialId takes once it exists. */
const created = (written: Written): string => `the Key credential ${written.credId} (${written.algorithm})`;

export async function signRequest(client: Client, now: () => number): Promise<void> {
  const started = now();
  if (client.prepare) await client.prepare();
  const request = client.request();
  const { method, url } = request;

  const apiDomain = client.variable('dfnsApiDomain');
  refuseSchemeAsHost(url, apiDomain);

  // Only Dfns requests: any other request is left exactly as the user wrote it. A host still a variable
  // (set later by a request-level script) cannot be known for Dfns's, unless it is dfnsApiDomain itself.
  const inAuthority = client.unresolved(url.authority);
  if (inAuthority && /\bdfnsApiDomain\b/.test(inAuthority)) throw unresolvedVariable("the request URL's host", inAuthority);
  if (inAuthority || !isDfnsApi(url, apiDomain)) {
    if (isStateChanging(method)) client.log(notDfnsApi(method, url, apiDomain, !!inAuthority));
    return;
  }
  refuseInsecure(url);
  const inUrl = client.unresolved(url.href);
  if (inUrl) throw unresolvedVariable('the request URL', inUrl);
  if (request.unsendable) throw request.unsendable;
  refusePath(url);
  // The signer's calls to Dfns, under its network rules (src/exchange.ts); the limit is read at the first call.
  let limit: number | undefined;
  const timeoutMs = (): number => {
    if (limit === undefined) limit = readTimeout(client.variable('dfnsTimeoutSeconds'));
    return limit;
  };
  const dfns: Post = (path, body, token) =>
    retrying(client, now, async () => post(client, { origin: url.origin, path, token, body }, timeoutMs()));

  // Registration needs no token: it goes out with the temporary one registration/init gives.
  if (isRegistration(method, url.path) && client.variable('dfnsRegistrationCode')) {
    if (request.authorization !== undefined)
      throw registrationSetup(
        'the request carries its own Authorization, but registration goes out with the temporary token Dfns gives',
        'Remove its Authorization header and set its auth to No Auth',
      );
    const registered = await registration(client, dfns);
    client.freeze();
    putBody(client, registered);
    client.setHeader('Authorization', `Bearer ${registered.token}`);
    client.log(`Dfns signer: POST ${url.path} registers ${created(registered)} in ${now() - started} ms`);
    return;
  }

  const token = readToken(client.variable('authToken'));
  const left = secondsLeft(token, started);
  if (left < 60) client.log(`Dfns signer: warning: authToken expires in ${left} s; create a new one soon`);

  if (needsUserAction(method, url.path) && !request.userAction) {
    // The user action is obtained with authToken: the request must go out with it too.
    if (request.authorization !== undefined && !carriesToken(request.authorization, token))
      throw conflict(client.reference ? client.reference('authToken') : '{{authToken}}');
    const pem = client.variable('credentialPrivateKey') ?? (client.vaultSecret && (await client.vaultSecret('credentialPrivateKey')));
    if (!pem) throw keyFailure.missing(method, url.path, client.vaultSecret !== undefined);
    const key = readPrivateKey(pem);
    // Create Credential: the body is the new key's attestation, which the signer writes.
    const written = isCreateCredential(method, url.path)
      ? await newCredentialBody(client, dfns, token.value, new Date(started).toISOString().slice(0, 10))
      : undefined;
    const payload = written ? written.body : client.body();
    const inBody = client.unresolved(payload);
    if (inBody) throw unresolvedVariable('the request body', inBody);
    if (payload && parseJson(payload) === undefined)
      client.log(`Dfns signer: warning: the body of ${method} ${url.path} is not valid JSON; signing it exactly as sent`);

    // A busy answer to either call starts again from a new challenge (retrying): a challenge is spent
    // by any completion attempt.
    const init = challengeRequest({ method, path: url.path, payload });
    const { credId, userAction } = await retrying(client, now, async () => {
      const answer = await post(client, { origin: url.origin, path: INIT_PATH, token: token.value, body: init }, timeoutMs());
      const challenge = readChallenge(answer);
      const credId = pickCredential(challenge, client.variable('credentialId'));
      const data = utf8Encode(clientData(challenge.challenge));
      const complete = completeRequest(challenge.challengeIdentifier, assertion(credId, data, key.sign(data)));
      const completed = await post(
        client,
        { origin: url.origin, path: COMPLETE_PATH, token: token.value, body: complete, credId },
        timeoutMs(),
      );
      return { credId, userAction: readUserAction(completed) };
    });
    // Written back only now: a request stopped on the way keeps what the user wrote.
    client.freeze();
    if (written) putBody(client, written);
    client.setHeader('X-DFNS-USERACTION', userAction);
    const creates = written ? `; it creates ${created(written)}` : '';
    client.log(`Dfns signer: signed ${method} ${url.path} with ${credId} (${key.algorithm})${creates} in ${now() - started} ms`);
  }
  if (request.authorization === undefined) client.setHeader('Authorization', `Bearer ${token.value}`);
}

/**
 * Signs; on any failure shows it once and stops the request. Never rejects (an unhandled rejection
 * crashes newman 6.2): settles to the error the script must still throw where the client stops a
 * request only that way (Client.stop; entry.ts lists the clients).
 */
export function signOrFail(client: Client, now: () => number): Promise<SignerError | undefined> {
  const release = client.hold ? client.hold() : () => undefined;
  return signRequest(client, now).then(
    () => {
      release();
      return undefined;
    },
    (e) => {
      const error = asSignerError(e);
      try {
        client.report(error);
        return client.stop(error) === 'throw' ? error : undefined;
      } catch (_broken) {
        return error; // the client could not record or skip: a throw is all that is left
      } finally {
        release();
      }
    },
  );
}
