// The Dfns User Action Signing exchange, step by step (research: dfns-protocol.md §1–2).
// Pure functions of plain data: the flow does the I/O.
import { base64urlEncode } from '../encoding';
import * as fail from '../errors/credential';
import { notTheApi } from '../errors/dfns';

/** What the signature is about: the request exactly as it will be sent. */
export interface UserActionFacts {
  method: string;
  /** Pathname only, percent-encoded as sent, no query string (§1.3). */
  path: string;
  /** The exact body text sent, '' when there is none (§1.4). */
  payload: string;
}

export interface Challenge {
  challenge: string;
  challengeIdentifier: string;
  keyCredentialIds: string[];
  otherCredentialKinds: string[];
}

export interface CredentialAssertion {
  credId: string;
  clientData: string;
  signature: string;
}

/** Body of `POST /auth/action/init`. */
export function challengeRequest(facts: UserActionFacts) {
  // In the order @dfns/sdk writes them, so the text is the official client's, byte for byte.
  return {
    userActionPayload: facts.payload,
    userActionHttpMethod: facts.method,
    userActionHttpPath: facts.path,
    userActionServerKind: 'Api',
  };
}

/** Reads the `POST /auth/action/init` answer (or login's, `step`), refusing one that lacks what signing needs. */
export function readChallenge(json: unknown, step = 'POST /auth/action/init'): Challenge {
  const body = (json || {}) as Record<string, any>;
  if (typeof body.challenge !== 'string' || !body.challenge || typeof body.challengeIdentifier !== 'string' || !body.challengeIdentifier) {
    throw notTheApi(`${step} answered without a challenge or challengeIdentifier`);
  }
  const allow = body.allowCredentials || {};
  const ids = (list: unknown): string[] =>
    Array.isArray(list) ? list.map((c) => c && c.id).filter((id): id is string => typeof id === 'string' && id !== '') : [];
  const other: string[] = [];
  if (ids(allow.webauthn).length) other.push('passkey (WebAuthn)');
  if (ids(allow.passwordProtectedKey).length) other.push('password-protected key');
  return {
    challenge: body.challenge,
    challengeIdentifier: body.challengeIdentifier,
    keyCredentialIds: ids(allow.key),
    otherCredentialKinds: other,
  };
}

/**
 * Which of the offered Key credentials signs: the one named by `credentialId`, or the only one.
 * `holder`: whose credentials they are, as messages say it ('this token', or the user logging in).
 */
export function pickCredential(challenge: Challenge, credentialId: string | undefined, holder = 'this token'): string {
  const offered = challenge.keyCredentialIds;
  if (offered.length === 0) throw fail.none(challenge.otherCredentialKinds);
  if (credentialId) {
    if (offered.indexOf(credentialId) >= 0) return credentialId;
    throw fail.unknown(credentialId, offered, holder);
  }
  if (offered.length === 1) return offered[0];
  throw fail.ambiguous(offered, holder);
}

/** The exact text the credential signs (§2.1). */
export function clientData(challenge: string): string {
  return JSON.stringify({ type: 'key.get', challenge });
}

/** The Key credential assertion: clientData and signature travel base64url-encoded. */
export function assertion(credId: string, clientDataBytes: Uint8Array, signature: Uint8Array): CredentialAssertion {
  return { credId, clientData: base64urlEncode(clientDataBytes), signature: base64urlEncode(signature) };
}

/** Body of `POST /auth/action`. */
export function completeRequest(challengeIdentifier: string, credentialAssertion: CredentialAssertion) {
  return { challengeIdentifier, firstFactor: { kind: 'Key', credentialAssertion } };
}

/** Reads the `POST /auth/action` answer: the one-time token for `X-DFNS-USERACTION`. */
export function readUserAction(json: unknown): string {
  const token = json && (json as Record<string, unknown>).userAction;
  if (typeof token !== 'string' || !token) {
    throw notTheApi('POST /auth/action answered without a userAction token');
  }
  return token;
}
