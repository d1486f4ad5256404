// @ts-check
// A user's credentials (research §10): listed (GET /auth/credentials), a new Key credential created (its challenge
// from POST /auth/credentials/init, then POST /auth/credentials with its attestation and a user action signed by a
// current credential), deactivated and activated again (PUT /auth/credentials/deactivate, /activate).
import crypto from 'node:crypto';
import { checkAttestation } from '../assertion.mjs';
import { b64u, isObject, parseJson } from '../encoding.mjs';
import { badRequest, DfnsError } from '../errors.mjs';
import { credential } from '../state.mjs';
import { consumeUserAction } from './user-action.mjs';

/** Token kinds Dfns refuses at Create Credential: its reference marks it not allowed for PATs and service accounts. */
const NOT_ALLOWED = ['Pat', 'ServiceAccount'];

/** @typedef {import('../http.mjs').Emulation} Emulation @typedef {import('../http.mjs').Call} Call */

/**
 * The routes 'credentials-init' and 'credentials'.
 * @param {Emulation} emulation @returns {import('../http.mjs').Route[]}
 */
export function credentialRoutes(emulation) {
  return [
    {
      name: 'credentialsInit',
      path: '/auth/credentials/init',
      method: 'POST',
      jsonBody: true,
      handle: (call) => createCredentialChallenge(emulation, call),
    },
    {
      name: 'credentials',
      path: '/auth/credentials',
      handle(call) {
        if (call.method === 'GET') return { items: call.user.credentials.map(view) };
        if (call.method === 'POST') return createCredential(emulation, call);
        throw new DfnsError(405, 'Method Not Allowed');
      },
    },
    ...[true, false].map((active) => ({
      name: /** @type {const} */ ('credentials'),
      path: `/auth/credentials/${active ? 'activate' : 'deactivate'}`,
      method: 'PUT',
      jsonBody: true,
      handle: (/** @type {Call} */ call) => setActive(emulation, call, active),
    })),
  ];
}

/** A stable cr-… id per credential, as Dfns gives each one beside its credentialId. @param {{ id: string }} c */
const uuidOf = (c) => `cr-${crypto.createHash('sha256').update(c.id).digest('hex').slice(0, 20)}`;

/** A credential as Dfns lists it (ListCredentialsResponse items). @param {import('../state.mjs').Credential} c */
export function view(c) {
  return {
    kind: c.kind,
    credentialId: c.id,
    credentialUuid: uuidOf(c),
    dateCreated: c.created,
    isActive: c.active,
    name: c.name,
    publicKey: c.publicKey ? c.publicKey.export({ format: 'pem', type: 'spki' }).toString() : '',
    relyingPartyId: 'dfns.io',
    origin: 'https://app.dfns.io',
  };
}

/** Refuses a token of a kind Dfns does not allow here (assumption: 403, at both steps). @param {Emulation} e @param {Call} call */
function refuseTokenKind({ issuer }, { req }) {
  const token = String(req.headers.authorization ?? '').replace(/^Bearer +/i, '');
  const kind = issuer.verify(token)?.['https://custom/app_metadata']?.tokenKind;
  if (NOT_ALLOWED.includes(kind))
    throw new DfnsError(403, 'Personal access tokens and service accounts cannot create credentials.', `token kind ${kind}`);
}

/** A challenge the new credential signs, kept under a handle. @param {Emulation} e @param {string} userId @param {string} aud */
export function newCreationChallenge({ state, issuer }, userId, aud) {
  const expiresAt = state.now() + state.challengeTtlSeconds * 1000;
  const challenge = b64u(crypto.randomBytes(32).toString('hex'));
  const handle =
    aud === 'Temp'
      ? issuer.userToken({ userId, tokenKind: 'Temp', expiresInSeconds: state.challengeTtlSeconds })
      : issuer.handle(aud, userId, expiresAt);
  state.creations.set(handle, { challenge, userId, expiresAt, used: false });
  return { challenge, handle };
}

/**
 * The challenge behind `handle`, used up; and the new credential from `info`, checked against it and added to `user`.
 * @param {import('../state.mjs').State} state @param {import('../state.mjs').User} user @param {unknown} handle
 * @param {unknown} info @param {unknown} name
 */
export function addAttestedCredential(state, user, handle, info, name) {
  const stored = typeof handle === 'string' ? state.creations.get(handle) : undefined;
  if (!stored || stored.userId !== user.userId || stored.used || stored.expiresAt <= state.now())
    throw badRequest('Challenge token is not valid.', "unknown, used, expired or another user's challenge");
  stored.used = true;
  const { credId, publicKey } = checkAttestation(info, stored.challenge);
  for (const u of state.users.values())
    if (u.credentials.some((c) => c.id === credId)) throw new DfnsError(409, 'Credential already exists.', `credId ${credId} is taken`);
  const added = credential({ id: credId, publicKey, name: typeof name === 'string' && name ? name : credId });
  user.credentials.push(added);
  return added;
}

/** POST /auth/credentials/init. @param {Emulation} emulation @param {Call} call */
function createCredentialChallenge(emulation, call) {
  refuseTokenKind(emulation, call);
  const { user, body } = call;
  if (!isObject(body) || body.kind !== 'Key')
    throw badRequest(`Credential kind ${isObject(body) ? String(body.kind) : ''} is not supported.`, 'only Key credentials are emulated');
  const { challenge, handle } = newCreationChallenge(emulation, user.userId, 'dfns:auth:credential-challenge');
  const name = user.username ?? user.userId;
  return { kind: 'Key', user: { id: user.userId, displayName: name, name }, challengeIdentifier: handle, challenge };
}

/** POST /auth/credentials: the user action first (as Dfns's middleware would), then the attestation. @param {Emulation} emulation @param {Call} call */
function createCredential(emulation, call) {
  refuseTokenKind(emulation, call);
  consumeUserAction(emulation.state, call);
  const body = parseJson(call.rawBody.toString('utf8'));
  if (!isObject(body) || body.credentialKind !== 'Key')
    throw badRequest('Invalid request body.', 'credentialKind must be Key (the only kind emulated)');
  if (typeof body.credentialName !== 'string' || !body.credentialName) throw badRequest('credentialName is required.');
  return view(addAttestedCredential(emulation.state, call.user, body.challengeIdentifier, body.credentialInfo, body.credentialName));
}

/** PUT /auth/credentials/activate and /deactivate {credentialUuid}, with a user action. @param {Emulation} e @param {Call} call @param {boolean} active */
function setActive({ state }, call, active) {
  consumeUserAction(state, call);
  const uuid = isObject(call.body) ? call.body.credentialUuid : undefined;
  const found = call.user.credentials.find((c) => uuidOf(c) === uuid);
  if (!found) throw new DfnsError(404, 'Credential not found.', `no credential ${String(uuid)} for this user`);
  found.active = active;
  return { message: 'success' };
}
