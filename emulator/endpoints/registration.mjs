// @ts-check
// Registration with a Key credential (research §10): an invited user (control.inviteUser) asks
// POST /auth/registration/init {orgId, username, registrationCode} for a challenge and a temporary token, with no
// token of its own; POST /auth/registration, with that temporary token, brings the first credential's attestation.
import { isObject } from '../encoding.mjs';
import { badRequest, DfnsError } from '../errors.mjs';
import { addAttestedCredential, newCreationChallenge, view } from './credentials.mjs';

/** @typedef {import('../http.mjs').Emulation} Emulation @typedef {import('../http.mjs').Call} Call */

/**
 * The routes 'registration-init' and 'registration'.
 * @param {Emulation} emulation @returns {import('../http.mjs').Route[]}
 */
export function registrationRoutes(emulation) {
  return [
    {
      name: 'registrationInit',
      path: '/auth/registration/init',
      method: 'POST',
      jsonBody: true,
      public: true,
      handle: ({ body }) => createRegistrationChallenge(emulation, body),
    },
    {
      name: 'registration',
      path: '/auth/registration',
      method: 'POST',
      jsonBody: true,
      temporary: true,
      handle: (call) => register(emulation, call),
    },
  ];
}

/** Assumption: a wrong organization, user or code all answer 401, saying no more. @param {Emulation} emulation @param {unknown} body */
function createRegistrationChallenge(emulation, body) {
  const { state } = emulation;
  if (!isObject(body) || typeof body.username !== 'string' || typeof body.registrationCode !== 'string' || typeof body.orgId !== 'string')
    throw badRequest('Invalid request body.', 'orgId, username and registrationCode must be strings');
  const invitation = state.invitations.get(body.username);
  if (body.orgId !== state.orgId || !invitation || invitation.registrationCode !== body.registrationCode)
    throw new DfnsError(401, 'Invalid registration code.', 'wrong organization, username or registration code');
  const user = state.users.get(invitation.userId) ?? state.addUser({ userId: invitation.userId, kind: 'Token', username: body.username });
  const { challenge, handle } = newCreationChallenge(emulation, user.userId, 'Temp');
  return {
    user: { id: user.userId, displayName: body.username, name: body.username },
    temporaryAuthenticationToken: handle,
    challenge,
    rp: { id: 'dfns.io', name: 'Dfns' },
    supportedCredentialKinds: { firstFactor: ['Key', 'Fido2'], secondFactor: ['Key', 'Fido2'] },
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    attestation: 'direct',
    pubKeyCredParams: [
      { type: 'public-key', alg: -7 },
      { type: 'public-key', alg: -257 },
    ],
    excludeCredentials: [],
    otpUrl: '',
  };
}

/** POST /auth/registration, authenticated by the temporary token, which is also the challenge's handle. @param {Emulation} e @param {Call} call */
function register({ state }, call) {
  const { user, body, req } = call;
  const first = isObject(body) ? body.firstFactorCredential : undefined;
  if (!isObject(first) || first.credentialKind !== 'Key')
    throw badRequest('Invalid request body.', 'firstFactorCredential.credentialKind must be Key (the only kind emulated)');
  const token = String(req.headers.authorization).replace(/^Bearer +/i, '');
  const added = addAttestedCredential(state, user, token, first.credentialInfo, first.credentialName);
  if (user.username) state.invitations.delete(user.username);
  return {
    credential: { uuid: view(added).credentialUuid, kind: 'Key', name: added.name },
    user: { id: user.userId, username: user.username ?? '', orgId: state.orgId },
  };
}
