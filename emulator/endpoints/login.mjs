// @ts-check
// Logging in with a Key credential (research 10), without a token:
//   1. POST /auth/login/init  {username, orgId}  -> a challenge shaped like a user action's, for the user's active credentials
//   2. POST /auth/login       {challengeIdentifier, firstFactor: {kind:'Key', credentialAssertion}} -> {token}
// The token is a login token (tokenKind 'Token', the username in https://custom/username) that lives
// loginTokenTtlSeconds (Dfns: "a relatively short period"). Assumptions: emulator.mjs.
import { checkKeyFactor } from '../assertion.mjs';
import { isObject } from '../encoding.mjs';
import { badRequest, DfnsError, MESSAGES } from '../errors.mjs';
import { challengeAnswer, issueChallenge } from './user-action.mjs';

export const LOGIN_INIT_PATH = '/auth/login/init';
export const LOGIN_PATH = '/auth/login';

/**
 * The routes 'loginInit' and 'login': public (no Bearer token), JSON bodies.
 * @param {import('../http.mjs').Emulation} emulation
 * @returns {import('../http.mjs').Route[]}
 */
export function loginRoutes(emulation) {
  return [
    {
      name: 'loginInit',
      path: LOGIN_INIT_PATH,
      method: 'POST',
      jsonBody: true,
      public: true,
      handle: ({ body }) => createLoginChallenge(emulation, body),
    },
    { name: 'login', path: LOGIN_PATH, method: 'POST', jsonBody: true, public: true, handle: ({ body }) => completeLogin(emulation, body) },
  ];
}

/** @param {import('../http.mjs').Emulation} emulation @param {unknown} body */
function createLoginChallenge(emulation, body) {
  const { state } = emulation;
  if (!isObject(body)) throw badRequest('Invalid request body.', 'body must be a JSON object');
  const { username, orgId } = body;
  if (typeof orgId !== 'string' || !orgId) throw badRequest('orgId is required.');
  if (typeof username !== 'string' || !username)
    throw badRequest('username is required.', 'the usernameless (passkey) flow is not emulated');
  if (orgId !== state.orgId) throw new DfnsError(401, MESSAGES.orgNotFound, `org ${orgId} is not this emulator's (${state.orgId})`);
  const user = [...state.users.values()].find((u) => u.username === username);
  if (!user) throw new DfnsError(401, MESSAGES.userNotFound, `no user ${username} in ${orgId}`);

  const bound = { method: '', path: '', payload: '', purpose: /** @type {'login'} */ ('login') };
  const { challenge, challengeIdentifier } = issueChallenge(emulation, user, 'dfns:auth:login-challenge', bound);
  return challengeAnswer(user, challenge, challengeIdentifier, !!user.requiresSecondFactor);
}

/** @param {import('../http.mjs').Emulation} emulation @param {unknown} body */
function completeLogin({ state, issuer }, body) {
  if (!isObject(body)) throw badRequest('Invalid request body.', 'body must be a JSON object');
  const stored = typeof body.challengeIdentifier === 'string' ? state.challenges.get(body.challengeIdentifier) : undefined;
  if (!stored || stored.purpose !== 'login') throw badRequest(MESSAGES.challengeInvalid, 'unknown login challengeIdentifier');
  if (stored.used) throw badRequest(MESSAGES.challengeInvalid, 'challenge already used');
  if (stored.expiresAt <= state.now()) throw badRequest(MESSAGES.challengeInvalid, 'challenge expired');
  stored.used = true; // assumption: any completion attempt consumes the challenge
  const user = /** @type {import('../state.mjs').User} */ (state.users.get(stored.userId));

  checkKeyFactor(user, body.firstFactor, stored.challenge);
  if (user.requiresSecondFactor && !isObject(body.secondFactor))
    throw new DfnsError(401, MESSAGES.secondFactorRequired, 'the user needs a second factor');
  if (user.requiresSecondFactor) throw badRequest('Second factors are not emulated.');

  const token = issuer.userToken({
    userId: user.userId,
    tokenKind: 'Token',
    expiresInSeconds: state.loginTokenTtlSeconds,
    claims: { 'https://custom/username': user.username },
  });
  return { token };
}
