// Logging in with a Key credential (research §10): `POST /auth/login/init {username, orgId}` gives a
// challenge shaped like a user action's, the credential signs it exactly as it signs a user action
// (userAction.ts: clientData, assertion), and `POST /auth/login` trades it for a token. Neither call
// takes a token. Pure functions of plain data: the flow does the I/O.
import { notTheApi } from '../errors/dfns';
import * as fail from '../errors/login';
import { LOGIN_INIT_PATH, LOGIN_PATH } from './endpoints';
import { type Challenge, type CredentialAssertion, completeRequest, readChallenge } from './userAction';

/** Body of `POST /auth/login/init`, in the order @dfns/sdk's DfnsAuthenticator.login({username, orgId}) writes it. */
export function loginChallengeRequest(username: string, orgId: string) {
  return { username, orgId };
}

/**
 * Reads the `POST /auth/login/init` answer: the challenge, once it is clear that a Key credential can
 * log this user in on its own (supportedCredentialKinds: a first factor that needs no second one).
 */
export function readLoginChallenge(json: unknown, username: string): Challenge {
  const challenge = readChallenge(json, `POST ${LOGIN_INIT_PATH}`);
  const kinds = (json as Record<string, unknown>).supportedCredentialKinds;
  const key = Array.isArray(kinds) ? kinds.filter((k) => k && k.kind === 'Key')[0] : undefined;
  if (key && (key.factor === 'second' || key.requiresSecondFactor === true))
    throw fail.secondFactor(username, 'supportedCredentialKinds says so for Key credentials');
  if (challenge.keyCredentialIds.length === 0) throw fail.noKeyCredential(username, challenge.otherCredentialKinds);
  return challenge;
}

/** Body of `POST /auth/login`: the same as a user action's completion (the SDK's key signer signs both alike). */
export const loginRequest = (challengeIdentifier: string, credentialAssertion: CredentialAssertion) =>
  completeRequest(challengeIdentifier, credentialAssertion);

/** Reads the `POST /auth/login` answer: the new token (`{ssoClientId}` instead means the user logs in by SSO). */
export function readLoginToken(json: unknown, username: string): string {
  const body = (json || {}) as Record<string, unknown>;
  if (typeof body.token === 'string' && body.token) return body.token;
  if (typeof body.ssoClientId === 'string') throw fail.noKeyCredential(username, ['single sign-on']);
  throw notTheApi(`POST ${LOGIN_PATH} answered without a token`);
}
