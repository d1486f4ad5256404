// @ts-check
// User Action Signing (research 1, 2, 6):
//   1. POST /auth/action/init  {userActionHttpMethod, userActionHttpPath, userActionPayload} -> challenge
//   2. POST /auth/action       {challengeIdentifier, firstFactor: {kind:'Key', credentialAssertion}} -> {userAction}
//   3. the main request with `X-DFNS-USERACTION: <userAction>`: consumeUserAction (called by api.mjs)
import crypto from 'node:crypto';
import { checkKeyFactor } from '../assertion.mjs';
import { b64u, isObject, splitTarget } from '../encoding.mjs';
import { badRequest, DfnsError, MESSAGES } from '../errors.mjs';

export const INIT_PATH = '/auth/action/init';
export const COMPLETE_PATH = '/auth/action';
const SIGNABLE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'];
const SERVER_KINDS = ['Api', 'Staff'];

/** @typedef {import('../state.mjs').User} User */

/**
 * The routes 'init' and 'complete'.
 * @param {import('../http.mjs').Emulation} emulation
 * @returns {import('../http.mjs').Route[]}
 */
export function userActionRoutes(emulation) {
  return [
    {
      name: 'init',
      path: INIT_PATH,
      method: 'POST',
      jsonBody: true,
      handle: ({ user, body }) => createUserActionChallenge(emulation, user, body),
    },
    {
      name: 'complete',
      path: COMPLETE_PATH,
      method: 'POST',
      jsonBody: true,
      handle: ({ user, body }) => createUserActionSignature(emulation, user, body),
    },
  ];
}

/**
 * Step 1: a challenge about one method, path and payload.
 * @param {import('../http.mjs').Emulation} emulation @param {User} user @param {unknown} body
 */
function createUserActionChallenge(emulation, user, body) {
  if (!isObject(body)) throw badRequest('Invalid request body.', 'body must be a JSON object');
  const { userActionHttpMethod: method, userActionHttpPath: path, userActionPayload: payload, userActionServerKind: serverKind } = body;
  if (typeof method !== 'string' || !SIGNABLE_METHODS.includes(method)) {
    throw badRequest(`userActionHttpMethod must be one of ${SIGNABLE_METHODS.join(', ')}.`);
  }
  if (typeof path !== 'string' || path.length === 0) throw badRequest('userActionHttpPath must be a non-empty string.');
  if (typeof payload !== 'string') throw badRequest('userActionPayload must be a string.');
  if (serverKind !== undefined && !SERVER_KINDS.includes(serverKind)) throw badRequest('userActionServerKind must be one of Api, Staff.');

  const bound = { method, path: splitTarget(path).pathname, payload };
  const { challenge, challengeIdentifier } = issueChallenge(emulation, user, 'dfns:auth:challenge', bound);
  return challengeAnswer(user, challenge, challengeIdentifier, false);
}

/**
 * A new challenge for `user`, kept under its identifier until it is used or expires: a user action's, bound to
 * its request, or a login's (purpose 'login'). Real challenges look like base64url(64 hex chars) (research 1.1 example).
 * @param {import('../http.mjs').Emulation} emulation @param {User} user @param {string} aud
 * @param {Pick<import('../state.mjs').Challenge, 'method' | 'path' | 'payload' | 'purpose'>} bound
 */
export function issueChallenge({ state, issuer }, user, aud, bound) {
  const expiresAt = state.now() + state.challengeTtlSeconds * 1000;
  const challenge = b64u(crypto.randomBytes(32).toString('hex'));
  const challengeIdentifier = issuer.handle(aud, user.userId, expiresAt);
  state.challenges.set(challengeIdentifier, { challenge, challengeIdentifier, userId: user.userId, ...bound, expiresAt, used: false });
  return { challenge, challengeIdentifier };
}

/**
 * The answer to an init (a user action's or a login's, research 1.1 and 10): the challenge and the user's active credentials.
 * @param {User} user @param {string} challenge @param {string} challengeIdentifier @param {boolean} requiresSecondFactor
 */
export function challengeAnswer(user, challenge, challengeIdentifier, requiresSecondFactor) {
  // Deactivated credentials are not offered (assumption: Dfns lists only the ones that can sign).
  const active = (/** @type {string} */ kind) =>
    user.credentials.filter((c) => c.kind === kind && c.active).map((c) => ({ type: 'public-key', id: c.id }));
  return {
    challenge,
    challengeIdentifier,
    rp: { id: 'dfns.io', name: 'Dfns' },
    supportedCredentialKinds: [
      { kind: 'Key', factor: 'first', requiresSecondFactor },
      { kind: 'Fido2', factor: 'first', requiresSecondFactor },
    ],
    userVerification: 'required',
    attestation: 'none',
    allowCredentials: { key: active('Key'), passwordProtectedKey: [], webauthn: active('Fido2') },
    externalAuthenticationUrl: '',
  };
}

/**
 * Step 2: the signed challenge traded for a user action.
 * @param {import('../http.mjs').Emulation} emulation @param {User} user @param {unknown} body
 */
function createUserActionSignature({ state, issuer }, user, body) {
  if (!isObject(body)) throw badRequest('Invalid request body.', 'body must be a JSON object');
  const stored = typeof body.challengeIdentifier === 'string' ? state.challenges.get(body.challengeIdentifier) : undefined;
  if (!stored || stored.purpose === 'login') throw badRequest(MESSAGES.challengeInvalid, 'unknown challengeIdentifier');
  if (stored.userId !== user.userId) throw badRequest(MESSAGES.challengeInvalid, 'challenge belongs to another user');
  if (stored.used) throw badRequest(MESSAGES.challengeInvalid, 'challenge already used');
  if (stored.expiresAt <= state.now()) throw badRequest(MESSAGES.challengeInvalid, 'challenge expired');
  stored.used = true; // assumption: any completion attempt consumes the challenge

  checkKeyFactor(user, body.firstFactor, stored.challenge);

  const expiresAt = state.now() + state.userActionTtlSeconds * 1000;
  const userAction = issuer.handle('dfns:auth:user-action', user.userId, expiresAt);
  state.userActions.set(userAction, {
    userAction,
    userId: user.userId,
    method: stored.method,
    path: stored.path,
    payload: stored.payload,
    expiresAt,
    used: false,
  });
  return { userAction };
}

/**
 * Step 3: the main request's X-DFNS-USERACTION must be `user`'s, unused, unexpired, and signed for
 * exactly this method, pathname and body; it is then used up. A mismatch (403) leaves it usable.
 * `payload`: what the user action covers, the body unless it is a form (the form's `data` field, key-stores.mjs).
 * @param {import('../state.mjs').State} state @param {import('../http.mjs').Call} call @param {Buffer} [payload]
 */
export function consumeUserAction(state, { user, req, method, pathname, rawBody }, payload = rawBody) {
  const header = req.headers['x-dfns-useraction'];
  const record = typeof header === 'string' ? state.userActions.get(header) : undefined;
  const invalid = (/** @type {string} */ reason) => new DfnsError(403, MESSAGES.userActionInvalid, reason);
  if (!record) throw invalid(header ? 'unknown user action' : 'x-dfns-useraction header missing');
  if (record.userId !== user.userId) throw invalid('user action belongs to another user');
  if (record.used) throw badRequest(MESSAGES.userActionUsed);
  if (record.expiresAt <= state.now()) throw invalid('user action expired');
  if (record.method !== method) throw invalid(`signed method ${record.method}, request method ${method}`);
  if (record.path !== pathname) throw invalid(`signed path ${record.path}, request path ${pathname}`);
  if (!Buffer.from(record.payload, 'utf8').equals(payload)) throw invalid('signed payload differs from the request body (exact bytes)');
  record.used = true;
  state.usedUserActions.push(record.userAction);
}
