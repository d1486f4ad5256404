// @ts-check
// What the emulator remembers: its users and their credentials, the challenges and user actions it
// issued, the user actions consumed, and its clock (which tests move forward).
import crypto from 'node:crypto';

/**
 * A challenge to create a credential with (POST /auth/credentials/init, POST /auth/registration/init).
 * @typedef {{ challenge: string, userId: string, expiresAt: number, used: boolean }} CreationChallenge
 */
/**
 * id: the credId (what assertions name); active: false for a deactivated credential (listed, never offered, never accepted).
 * @typedef {{ id: string, kind: 'Key'|'Fido2', publicKey?: crypto.KeyObject, name: string, active: boolean, created: string }} Credential
 */
/**
 * username: the login name (an email at Dfns); users without one cannot log in. requiresSecondFactor: their login
 * challenges say a Key credential needs a second factor.
 * @typedef {{ userId: string, kind: string, username?: string, requiresSecondFactor?: boolean, credentials: Credential[] }} User
 */
/**
 * purpose: 'login' for a login challenge (POST /auth/login/init), which no user action can complete, and the reverse.
 * @typedef {{ challenge: string, challengeIdentifier: string, userId: string, method: string, path: string, payload: string,
 *             expiresAt: number, used: boolean, purpose?: 'login' }} Challenge
 */
/**
 * @typedef {{ userAction: string, userId: string, method: string, path: string, payload: string, expiresAt: number,
 *             used: boolean }} UserAction
 */
/**
 * A credential as given to addUser: {id, publicKey (PEM/KeyObject/DER), kind?: 'Key'} or {id, kind: 'Fido2'} (no key);
 * optional name, and active: false for a deactivated one.
 * @typedef {{ id: string, publicKey?: string|Buffer|crypto.KeyObject, kind?: 'Key'|'Fido2', name?: string, active?: boolean }} CredentialSpec
 */

/** @param {CredentialSpec} spec @returns {Credential} */
export function credential({ id, publicKey, kind = 'Key', name = id, active = true }) {
  if (typeof id !== 'string' || !id) throw new Error('credential id must be a non-empty string');
  const about = { name, active, created: new Date().toISOString() };
  if (kind === 'Fido2') return { id, kind: 'Fido2', ...about };
  if (kind !== 'Key') throw new Error(`unsupported credential kind ${kind}`);
  if (!publicKey) throw new Error(`credential ${id}: publicKey is required`);
  const key =
    publicKey instanceof crypto.KeyObject && publicKey.type === 'public'
      ? publicKey
      : crypto.createPublicKey(/** @type {any} */ (publicKey));
  return { id, kind: 'Key', publicKey: key, ...about };
}

/** @param {{ orgId: string, challengeTtlSeconds: number, userActionTtlSeconds: number, loginTokenTtlSeconds: number }} options */
export function createState({ orgId, challengeTtlSeconds, userActionTtlSeconds, loginTokenTtlSeconds }) {
  /** @type {Map<string, User>} */ const users = new Map();
  /** @type {Map<string, Challenge>} */ const challenges = new Map();
  /** @type {Map<string, UserAction>} */ const userActions = new Map();
  /** @type {string[]} */ const usedUserActions = [];
  /** Credential and registration challenges, by challengeIdentifier or temporary token. @type {Map<string, CreationChallenge>} */
  const creations = new Map();
  /** Users invited but not yet registered, by username. @type {Map<string, { userId: string, registrationCode: string }>} */
  const invitations = new Map();
  let clockOffsetMs = 0;
  return {
    orgId,
    challengeTtlSeconds,
    userActionTtlSeconds,
    loginTokenTtlSeconds,
    users,
    challenges,
    userActions,
    creations,
    invitations,
    /** The user actions consumed by main requests, in order. */
    usedUserActions,
    /** The emulator's clock (ms): the real one, moved forward by advanceClock. */
    now: () => Date.now() + clockOffsetMs,
    /** @param {number} seconds */
    advanceClock(seconds) {
      clockOffsetMs += seconds * 1000;
    },
    /**
     * @param {{ credentials?: CredentialSpec[], kind?: string, userId?: string, username?: string, requiresSecondFactor?: boolean }} spec
     * @returns {User}
     */
    addUser({ credentials = [], kind = 'Pat', userId = `us-${crypto.randomUUID().slice(0, 18)}`, username, requiresSecondFactor = false }) {
      if (users.has(userId)) throw new Error(`user ${userId} already exists`);
      if (username !== undefined && [...users.values()].some((u) => u.username === username))
        throw new Error(`username ${username} is taken`);
      const user = { userId, kind, username, requiresSecondFactor, credentials: credentials.map(credential) };
      users.set(userId, user);
      return user;
    },
    /** Forget every challenge and user action and the clock's offset; the users stay. */
    reset() {
      usedUserActions.length = 0;
      challenges.clear();
      userActions.clear();
      creations.clear();
      clockOffsetMs = 0;
    },
  };
}

/** @typedef {ReturnType<typeof createState>} State */
