// The emulator's login family (emulator/endpoints/login.mjs) and its credential listing, driven over HTTP
// with fetch and signed with node:crypto, as a client of the real API would: who may log in, with which
// credential, what the token says, and what Dfns answers otherwise (the assumptions in emulator.mjs).
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, MESSAGES, startEmulator } from '../../emulator/emulator.mjs';

let emu: Emulator;
const alice = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = crypto.generateKeyPairSync('ed25519');
let aliceId = '';

beforeAll(async () => {
  emu = await startEmulator({ port: 0, loginTokenTtlSeconds: 120 });
  aliceId = emu.addUser({
    username: 'alice@example.com',
    kind: 'CustomerEmployee',
    credentials: [
      { id: 'cr-alice', publicKey: alice.publicKey, name: 'laptop' },
      { id: 'cr-old', publicKey: other.publicKey, active: false },
      { id: 'pk-alice', kind: 'Fido2' },
    ],
  }).userId;
  emu.addUser({ username: 'mfa@example.com', requiresSecondFactor: true, credentials: [{ id: 'cr-mfa', publicKey: alice.publicKey }] });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function post(path: string, body: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(emu.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

const signed = (challenge: string, credId = 'cr-alice', key = alice.privateKey) => {
  const clientData = Buffer.from(JSON.stringify({ type: 'key.get', challenge }));
  const signature = key.asymmetricKeyType === 'ed25519' ? crypto.sign(null, clientData, key) : crypto.sign('sha256', clientData, key);
  return {
    kind: 'Key',
    credentialAssertion: { credId, clientData: clientData.toString('base64url'), signature: signature.toString('base64url') },
  };
};

const init = (username = 'alice@example.com', orgId = emu.orgId) => post('/auth/login/init', { username, orgId });
const login = async (username = 'alice@example.com') => {
  const { json } = await init(username);
  return post('/auth/login', { challengeIdentifier: json.challengeIdentifier, firstFactor: signed(json.challenge) });
};
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe('POST /auth/login/init and POST /auth/login', () => {
  it('take no token; give a challenge for the active credentials, then a short-lived login token naming the user', async () => {
    const { status, json } = await init();
    expect(status).toBe(200);
    expect(json.allowCredentials).toEqual({
      key: [{ type: 'public-key', id: 'cr-alice' }],
      passwordProtectedKey: [],
      webauthn: [{ type: 'public-key', id: 'pk-alice' }],
    });
    expect(json.supportedCredentialKinds[0]).toEqual({ kind: 'Key', factor: 'first', requiresSecondFactor: false });
    const done = await post('/auth/login', { challengeIdentifier: json.challengeIdentifier, firstFactor: signed(json.challenge) });
    expect(done.status).toBe(200);
    const claims = claimsOf(done.json.token);
    expect(claims).toMatchObject({
      sub: emu.orgId,
      'https://custom/username': 'alice@example.com',
      'https://custom/app_metadata': { userId: aliceId, orgId: emu.orgId, tokenKind: 'Token' },
    });
    expect(claims.exp - claims.iat).toBe(120);
    // The token is good for the API, until it expires.
    const get = () => fetch(`${emu.url}/wallets`, { headers: { authorization: `Bearer ${done.json.token}` } }).then((r) => r.status);
    expect(await get()).toBe(200);
    emu.advanceClock(121);
    expect(await get()).toBe(401);
  });

  it.each([
    ['an unknown user', () => init('bob@example.com'), 401, MESSAGES.userNotFound],
    ['another org', () => init('alice@example.com', 'or-other'), 401, MESSAGES.orgNotFound],
    ['no orgId', () => post('/auth/login/init', { username: 'alice@example.com' }), 400, 'orgId is required.'],
    [
      'no username (the usernameless flow is not emulated)',
      () => post('/auth/login/init', { orgId: emu.orgId }),
      400,
      'username is required.',
    ],
  ] as const)('%s: %i', async (_name, request, status, message) => {
    const r = await request();
    expect([r.status, r.json.error.message]).toEqual([status, message]);
  });

  it('refuses a key that is not an active credential of the user (401), a reused or foreign challenge (400)', async () => {
    const { json } = await init();
    const id = json.challengeIdentifier;
    const wrongKey = await post('/auth/login', {
      challengeIdentifier: id,
      firstFactor: signed(json.challenge, 'cr-alice', other.privateKey),
    });
    expect([wrongKey.status, wrongKey.json.error.message]).toEqual([401, MESSAGES.badSignature]);
    // Any completion consumes the challenge.
    const again = await post('/auth/login', { challengeIdentifier: id, firstFactor: signed(json.challenge) });
    expect([again.status, again.json.error.message]).toEqual([400, MESSAGES.challengeInvalid]);
    const inactive = await init();
    const byOld = await post('/auth/login', {
      challengeIdentifier: inactive.json.challengeIdentifier,
      firstFactor: signed(inactive.json.challenge, 'cr-old', other.privateKey),
    });
    expect([byOld.status, byOld.json.error.message]).toEqual([401, MESSAGES.noCredential]);
  });

  it('keeps login and user-action challenges apart: neither completes the other', async () => {
    const { token } = emu.addUser({ credentials: [{ id: 'cr-pat', publicKey: alice.publicKey }] });
    const action = await post(
      '/auth/action/init',
      { userActionHttpMethod: 'POST', userActionHttpPath: '/wallets', userActionPayload: '{}' },
      token,
    );
    const asLogin = await post('/auth/login', {
      challengeIdentifier: action.json.challengeIdentifier,
      firstFactor: signed(action.json.challenge, 'cr-pat'),
    });
    expect([asLogin.status, asLogin.json.error.message]).toEqual([400, MESSAGES.challengeInvalid]);
    const { json } = await init();
    const asAction = await post(
      '/auth/action',
      { challengeIdentifier: json.challengeIdentifier, firstFactor: signed(json.challenge) },
      token,
    );
    expect([asAction.status, asAction.json.error.message]).toEqual([400, MESSAGES.challengeInvalid]);
  });

  it('a user who needs a second factor: the challenge says so, and a Key alone is refused', async () => {
    const { json } = await init('mfa@example.com');
    expect(json.supportedCredentialKinds[0]).toMatchObject({ kind: 'Key', requiresSecondFactor: true });
    const r = await post('/auth/login', { challengeIdentifier: json.challengeIdentifier, firstFactor: signed(json.challenge, 'cr-mfa') });
    expect([r.status, r.json.error.message]).toEqual([401, MESSAGES.secondFactorRequired]);
  });

  it('faults apply per route (loginInit, login)', async () => {
    emu.setFault({ loginInit: { status: 503, times: 1 } });
    expect((await init()).status).toBe(503);
    expect((await login()).status).toBe(200);
  });
});

describe('GET /auth/credentials', () => {
  it("lists the caller's credentials as List Credentials does, inactive ones included", async () => {
    const { json } = await login();
    const res = await fetch(`${emu.url}/auth/credentials`, { headers: { authorization: `Bearer ${json.token}` } });
    const { items } = (await res.json()) as any;
    expect(items.map((c: any) => [c.credentialId, c.kind, c.isActive, c.name])).toEqual([
      ['cr-alice', 'Key', true, 'laptop'],
      ['cr-old', 'Key', false, 'cr-old'],
      ['pk-alice', 'Fido2', true, 'pk-alice'],
    ]);
    expect(crypto.createPublicKey(items[0].publicKey).export({ format: 'der', type: 'spki' })).toEqual(
      alice.publicKey.export({ format: 'der', type: 'spki' }),
    );
    expect(items[0].credentialUuid).toMatch(/^cr-[0-9a-f]{20}$/);
  });
});
