// @ts-check
// What startEmulator returns: the handle tests, the bench, the demo and the CLI drive the emulator by.
import crypto from 'node:crypto';
import { view } from './endpoints/credentials.mjs';
import { COMPLETE_PATH, INIT_PATH } from './endpoints/user-action.mjs';

/** A latency in ms: a finite number, 0 or more. @param {unknown} ms @returns {number} */
export function checkedLatency(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
    throw new RangeError(`latencyMs must be a number of milliseconds, 0 or more, got ${String(ms)}`);
  return ms;
}

/**
 * @param {{ server: Awaited<ReturnType<typeof import('./http.mjs').serve>>, state: import('./state.mjs').State,
 *           issuer: import('./tokens.mjs').Issuer, faults: import('./faults.mjs').Faults, latency: { ms: number } }} parts
 */
export function control({ server, state, issuer, faults, latency }) {
  /**
   * A JWT signed by the emulator for `userId` (not checked: unknown users give 401 at use). Negative expiresInSeconds = expired.
   * @param {{ userId: string, expiresInSeconds?: number, kind?: string, claims?: Record<string, unknown> }} o
   */
  const token = ({ userId, expiresInSeconds, kind, claims }) => {
    const username = state.users.get(userId)?.username;
    return issuer.userToken({
      userId,
      expiresInSeconds,
      claims: username ? { 'https://custom/username': username, ...claims } : claims,
      tokenKind: kind ?? state.users.get(userId)?.kind ?? 'Pat',
    });
  };

  return {
    url: server.url,
    port: server.port,
    orgId: state.orgId,
    requests: server.requests,
    usedUserActions: state.usedUserActions,
    /**
     * Register a user. Credentials: {id, publicKey (PEM/KeyObject/DER), kind?: 'Key', name?, active?} or {id, kind: 'Fido2'}
     * (no key). A username lets it log in (POST /auth/login/init); requiresSecondFactor makes its logins ask for a second factor.
     * @param {{ credentials?: import('./state.mjs').CredentialSpec[], kind?: string, userId?: string, username?: string,
     *           requiresSecondFactor?: boolean }} [spec]
     */
    addUser(spec = {}) {
      const { userId, username } = state.addUser(spec);
      return { userId, username, orgId: state.orgId, token: token({ userId }) };
    },
    token,
    /**
     * Invite a user to register (Dfns e-mails the code): POST /auth/registration/init then answers for them.
     * @param {{ username: string, registrationCode: string, userId?: string }} o
     */
    inviteUser({ username, registrationCode, userId = `us-${crypto.randomUUID().slice(0, 18)}` }) {
      state.invitations.set(username, { userId, registrationCode });
      return { userId, orgId: state.orgId };
    },
    /** A user's credentials as GET /auth/credentials lists them. @param {string} userId */
    credentials: (userId) => (state.users.get(userId)?.credentials ?? []).map(view),
    /** Sign arbitrary claims with the emulator's key (for tests of claim checks). @param {Record<string, unknown>} claims */
    signToken: (claims) => issuer.sign(claims),
    /** The requests other than the signing exchange (init and complete). */
    mainRequests: () => server.requests.filter((r) => r.path !== INIT_PATH && r.path !== COMPLETE_PATH),
    /**
     * Replaces the faults of the routes named: one fault, or a list answering one request after another.
     * @param {Partial<Record<import('./faults.mjs').RouteKind, import('./faults.mjs').Faulting>>} f
     */
    setFault: (f) => faults.set(f),
    clearFaults: () => faults.clear(),
    /** Hold every answer back `ms` from now on, as a network would (0: answer at once); a reset keeps it. @param {number} ms */
    setLatency(ms) {
      latency.ms = checkedLatency(ms);
    },
    /** How long every answer is held back, in ms. */
    get latencyMs() {
      return latency.ms;
    },
    /** Move the emulator's clock (tokens, challenges, user actions) forward. @param {number} seconds */
    advanceClock: (seconds) => state.advanceClock(seconds),
    /** Forget the request log, challenges, user actions, faults and clock offset; the users stay. */
    reset() {
      server.requests.length = 0;
      state.reset();
      faults.clear();
    },
    async close() {
      faults.cancelDelays();
      await server.close();
    },
  };
}
