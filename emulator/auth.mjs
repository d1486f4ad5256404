// @ts-check
// Step 0 of every request: authenticate the caller by its Bearer token (a JWT this emulator issued).
import { DfnsError, MESSAGES } from './errors.mjs';

/**
 * The user the request's token names, or a 401 (assumption: every route but registration/init needs it, see
 * emulator.mjs). A registration's temporary token (tokenKind 'Temp') is accepted where `temporary`, and only there.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ state: import('./state.mjs').State, issuer: import('./tokens.mjs').Issuer }} emulation
 * @param {boolean} [temporary]
 * @returns {import('./state.mjs').User}
 */
export function authenticate(req, { state, issuer }, temporary = false) {
  const header = req.headers.authorization;
  if (!header) throw new DfnsError(401, MESSAGES.notAuthorized, 'authorization header missing');
  const m = /^Bearer +(\S+)$/i.exec(header);
  if (!m) throw new DfnsError(401, MESSAGES.notAuthorized, 'authorization header is not "Bearer <token>"');
  const claims = issuer.verify(m[1]);
  if (!claims) throw new DfnsError(401, MESSAGES.notAuthorized, 'token malformed or not signed by this emulator');
  if (claims.iss !== 'auth.dfns.io' || claims.aud !== 'dfns:auth:user' || claims.sub !== state.orgId) {
    throw new DfnsError(401, MESSAGES.notAuthorized, 'token issuer, audience or organization mismatch');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= state.now()) throw new DfnsError(401, MESSAGES.notAuthorized, 'token expired');
  if ((claims['https://custom/app_metadata']?.tokenKind === 'Temp') !== temporary)
    throw new DfnsError(
      401,
      MESSAGES.notAuthorized,
      temporary ? 'not a registration token' : 'a registration token is good for registration only',
    );
  const user = state.users.get(claims['https://custom/app_metadata']?.userId);
  if (!user) throw new DfnsError(401, MESSAGES.notAuthorized, 'unknown user');
  return user;
}
