// The whole signing of one request, written once for every client:
// client → request facts → (log in) → challenge → signature → header.

import { type Client, secret } from './clients/client';
import { newCredentialBody, type Post, registration, type Written } from './creation';
import { parseJson, utf8Encode } from './encoding';
import { asSignerError, type SignerError } from './errors';
import { registrationSetup } from './errors/credential';
import * as keyFailure from './errors/key';
import * as loginFailure from './errors/login';
import { unresolvedVariable } from './errors/request';
import { conflict } from './errors/token';
import { post, retrying } from './exchange';
import { type CredentialKey, readPrivateKey } from './keys/index';
import { meanwhile } from './meanwhile';
import { isDfnsApi, notDfnsApi, refuseInsecure, refuseSchemeAsHost } from './protocol/apiHost';
import { COMPLETE_PATH, INIT_PATH, isStateChanging, LOGIN_INIT_PATH, LOGIN_PATH, needsUserAction } from './protocol/endpoints';
import { loginChallengeRequest, loginRequest, readLoginChallenge, readLoginToken } from './protocol/login';
import { readTimeout } from './protocol/network';
import { isCreateCredential, isRegistration } from './protocol/newCredential';
import { carriesToken, readToken, secondsLeft, type Token, tokenOrg } from './protocol/token';
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

/** A body the signer wrote, in place of the request's, sent as JSON (the caller checked that the client can). */
function putBody(client: Client, json: string): void {
  (client.replaceBody as (json: string) => void)(json);
  client.setHeader('Content-Type', 'application/json');
}

/** The new credential, as the log line names it: its id is what credentialId takes once it exists. */
const created = (written: Written): string => `the Key credential ${written.credId} (${written.algorithm})`;

/** What one request's signing shares between its steps: where and how to call Dfns, and the key, read once. */
interface Session {
  client: Client;
  /** The Dfns API's origin: the request's own (research §7: the host decides). */
  origin: string;
  now: () => number;
  /** The limit on each answer (dfnsTimeoutSeconds), read at the first call. */
  timeoutMs: () => number;
  key?: CredentialKey;
}

/** credentialPrivateKey (or the vault's secret of that name), read once; `missing` says why it is needed. */
async function credentialKey(s: Session, missing: (vault: boolean) => SignerError): Promise<CredentialKey> {
  if (s.key) return s.key;
  const { client } = s;
  const pem = await secret(client, 'credentialPrivateKey');
  if (!pem) throw missing(client.vaultSecret !== undefined);
  return (s.key = readPrivateKey(pem));
}

/**
 * Logs in as `username` up to the signature: the body of POST /auth/login, the login challenge signed by the
 * credential key exactly as a user action is. The org: dfnsOrgId, or the one the stale authToken names.
 */
async function signedLogin(s: Session, username: string, stale: Token | undefined) {
  const { client } = s;
  const orgId = client.variable('dfnsOrgId') || (stale && tokenOrg(stale));
  if (!orgId) throw loginFailure.orgMissing();
  const key = await credentialKey(s, () => loginFailure.keyMissing(username));
  const pending = post(
    client,
    {
      origin: s.origin,
      path: LOGIN_INIT_PATH,
      body: loginChallengeRequest(username, orgId),
      refuse: (status, text) => loginFailure.initRefused(username, orgId, status, text),
    },
    s.timeoutMs(),
  );
  // As for a user action: the key's preparation while the login challenge is on its way (src/meanwhile.ts).
  const answer = await meanwhile(pending, key.prepare);
  const challenge = readLoginChallenge(answer, username);
  const credId = pickCredential(challenge, client.variable('credentialId'), `"${username}"`);
  const data = utf8Encode(clientData(challenge.challenge));
  const body = loginRequest(challenge.challengeIdentifier, assertion(credId, data, key.sign(data)));
  return { body, said: `as ${username} with ${credId} (${key.algorithm})`, credId };
}

/** authToken as a Token, or undefined when it is unset or no JWT (a login replaces it). */
function tokenOrNothing(raw: string | undefined): Token | undefined {
  try {
    return readToken(raw);
  } catch (_e) {
    return undefined;
  }
}

/**
 * The token for this request: authToken; or, with dfnsUsername set and authToken unset, expired or
 * within a minute of expiring, a new one from logging in, kept for the next requests where the client can.
 */
async function tokenFor(s: Session, started: number): Promise<Token> {
  const { client } = s;
  const raw = client.variable('authToken');
  const username = client.variable('dfnsUsername');
  const token = username ? tokenOrNothing(raw) : readToken(raw);
  if (token && (!username || token.exp - started / 1000 >= 60)) {
    const left = secondsLeft(token, started);
    if (left < 60) client.log(`Dfns signer: warning: authToken expires in ${left} s; create a new one soon`);
    return token;
  }
  const user = username as string;
  // A busy answer to either call starts again from a new challenge, as for a user action.
  const { login, answer } = await retrying(client, s.now, async () => {
    const login = await signedLogin(s, user, token);
    const refuse = (status: number, text: string) => loginFailure.completeRefused(user, login.credId, status, text);
    return { login, answer: await post(client, { origin: s.origin, path: LOGIN_PATH, body: login.body, refuse }, s.timeoutMs()) };
  });
  const fresh = readToken(readLoginToken(answer, user));
  const kept = client.keepToken && client.keepToken(fresh.value);
  client.log(
    `Dfns signer: logged in ${login.said}; ${
      kept && client.variable('authToken') === fresh.value
        ? `authToken kept in ${kept} for the next requests`
        : 'this client cannot keep authToken: each request logs in'
    }`,
  );
  return fresh;
}

/**
 * POST /auth/login as a request of its own (the collections' "Complete User Login"): with dfnsUsername set
 * and no challengeIdentifier of the user's own in its body, its body becomes the signed login challenge.
 */
async function completeLoginRequest(s: Session): Promise<void> {
  const { client } = s;
  const username = client.variable('dfnsUsername');
  const body = parseJson(client.body()) as Record<string, unknown> | undefined;
  if (!username || (body && body.challengeIdentifier)) return;
  if (!client.replaceBody) return client.log(`Dfns signer: POST ${LOGIN_PATH} sent as written: this client cannot write its body`);
  const login = await retrying(client, s.now, () => signedLogin(s, username, tokenOrNothing(client.variable('authToken'))));
  putBody(client, JSON.stringify(login.body));
  client.log(`Dfns signer: POST ${LOGIN_PATH} logs in ${login.said}`);
}

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
    putBody(client, registered.body);
    client.setHeader('Authorization', `Bearer ${registered.token}`);
    client.log(`Dfns signer: POST ${url.path} registers ${created(registered)} in ${now() - started} ms`);
    return;
  }

  const s: Session = { client, origin: url.origin, now, timeoutMs };
  // Logging in takes no token: those two requests go without Authorization.
  if (method === 'POST' && (url.path === LOGIN_INIT_PATH || url.path === LOGIN_PATH)) {
    if (url.path === LOGIN_PATH) await completeLoginRequest(s);
    return;
  }
  const token = await tokenFor(s, started);

  if (needsUserAction(method, url.path) && !request.userAction) {
    // The user action is obtained with authToken: the request must go out with it too.
    if (request.authorization !== undefined && !carriesToken(request.authorization, token))
      throw conflict(client.reference ? client.reference('authToken') : '{{authToken}}');
    const key = await credentialKey(s, (vault) => keyFailure.missing(method, url.path, vault));
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
      // The key was read and checked before anything was sent; what signing needs besides the message is
      // prepared while the challenge is on its way (src/meanwhile.ts).
      const pending = post(client, { origin: url.origin, path: INIT_PATH, token: token.value, body: init }, timeoutMs());
      const answer = await meanwhile(pending, key.prepare);
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
    if (written) putBody(client, written.body);
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
