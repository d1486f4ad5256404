// The emulator's new endpoint families (emulator/endpoints/credentials.mjs, registration.mjs, key-stores.mjs),
// driven over HTTP with fetch and signed with node:crypto: what they accept, and each refusal.
// (What the official SDK sends them is in test/e2e/sdk-oracle.test.ts.)
import crypto, { type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';

let emu: Emulator;
interface Who {
  userId: string;
  token: string;
  credId: string;
  privateKey: KeyObject;
}

const ec = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const b64u = (text: string | Buffer) => Buffer.from(text).toString('base64url');

async function call(method: string, path: string, token?: string, body?: string | FormData, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (typeof body === 'string') h['content-type'] = 'application/json';
  const res = await fetch(emu.url + path, { method, headers: h, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, reason: res.headers.get('x-emulator-reason') };
}

/** A user action for `method path payload`, signed by `who`'s current key. */
async function userAction(who: Who, method: string, path: string, payload: string) {
  const init = await call(
    'POST',
    '/auth/action/init',
    who.token,
    JSON.stringify({ userActionHttpMethod: method, userActionHttpPath: path, userActionPayload: payload }),
  );
  const clientData = Buffer.from(JSON.stringify({ type: 'key.get', challenge: init.json.challenge }));
  const credentialAssertion = {
    credId: who.credId,
    clientData: b64u(clientData),
    signature: b64u(crypto.sign('sha256', clientData, who.privateKey)),
  };
  const done = await call(
    'POST',
    '/auth/action',
    who.token,
    JSON.stringify({ challengeIdentifier: init.json.challengeIdentifier, firstFactor: { kind: 'Key', credentialAssertion } }),
  );
  return done.json.userAction as string;
}

/** A Key credential's attestation of `key` for `challenge` (research §10), made with node:crypto. */
function attestation(
  challenge: string,
  key: { privateKey: KeyObject; publicKey: KeyObject },
  o: { type?: string; credId?: string; signer?: KeyObject } = {},
) {
  const clientData = JSON.stringify({ type: o.type ?? 'key.create', challenge });
  const publicKey = String(key.publicKey.export({ type: 'spki', format: 'pem' }));
  const clientDataHash = crypto.createHash('sha256').update(clientData).digest('hex');
  const signature = crypto
    .sign('sha256', Buffer.from(JSON.stringify({ clientDataHash, publicKey })), o.signer ?? key.privateKey)
    .toString('hex');
  return {
    credId: o.credId ?? b64u(crypto.randomBytes(32)),
    clientData: b64u(clientData),
    attestationData: b64u(JSON.stringify({ publicKey, signature })),
  };
}

function user(kind = 'Token'): Who {
  const { privateKey, publicKey } = ec();
  const credId = `cr-${crypto.randomUUID()}`;
  const { userId, token } = emu.addUser({ kind, credentials: [{ id: credId, publicKey }] });
  return { userId, token, credId, privateKey };
}

/** Create Credential as a client does: init, attestation, body, user action, POST. */
async function createCredential(
  who: Who,
  key = ec(),
  tamper: (info: ReturnType<typeof attestation>, challenge: string) => object = (i) => i,
) {
  const init = await call('POST', '/auth/credentials/init', who.token, '{"kind":"Key"}');
  expect(init.status).toBe(200);
  const info = tamper(attestation(init.json.challenge, key), init.json.challenge);
  const body = JSON.stringify({
    credentialKind: 'Key',
    credentialInfo: info,
    credentialName: 'new',
    challengeIdentifier: init.json.challengeIdentifier,
  });
  const ua = await userAction(who, 'POST', '/auth/credentials', body);
  return call('POST', '/auth/credentials', who.token, body, { 'x-dfns-useraction': ua });
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

describe('Create Credential', () => {
  it('adds the attested key, lists it active, and the new key signs', async () => {
    const who = user();
    const key = ec();
    const created = await createCredential(who, key);
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ kind: 'Key', isActive: true, name: 'new', credentialUuid: expect.stringMatching(/^cr-/) });
    const list = await call('GET', '/auth/credentials', who.token);
    expect(list.json.items.map((c: any) => [c.credentialId, c.isActive])).toEqual([
      [who.credId, true],
      [created.json.credentialId, true],
    ]);
    const ua = await userAction({ ...who, credId: created.json.credentialId, privateKey: key.privateKey }, 'POST', '/wallets', '{}');
    expect((await call('POST', '/wallets', who.token, '{}', { 'x-dfns-useraction': ua })).status).toBe(200);
  });

  it('refuses a personal access token at init, 403', async () => {
    const r = await call('POST', '/auth/credentials/init', user('Pat').token, '{"kind":"Key"}');
    expect([r.status, r.reason]).toEqual([403, 'token kind Pat']);
  });

  it("refuses a wrong clientData type, another key's signature, a reused challenge, a taken credId and a missing user action", async () => {
    const who = user();
    const wrongType = await createCredential(who, ec(), (_i, challenge) => attestation(challenge, ec(), { type: 'key.get' }));
    expect(wrongType.status).toBe(400);
    const otherKey = await createCredential(who, ec(), (_i, challenge) => attestation(challenge, ec(), { signer: ec().privateKey }));
    expect([otherKey.status, otherKey.reason]).toEqual([401, 'attestation signature does not verify (ec, sha256)']);
    const taken = await createCredential(who, ec(), (i) => ({ ...i, credId: who.credId }));
    expect(taken.status).toBe(409);
    const init = await call('POST', '/auth/credentials/init', who.token, '{"kind":"Key"}');
    const body = JSON.stringify({
      credentialKind: 'Key',
      credentialInfo: attestation(init.json.challenge, ec()),
      credentialName: 'x',
      challengeIdentifier: init.json.challengeIdentifier,
    });
    expect((await call('POST', '/auth/credentials', who.token, body)).status).toBe(403);
    const ua = await userAction(who, 'POST', '/auth/credentials', body);
    expect((await call('POST', '/auth/credentials', who.token, body, { 'x-dfns-useraction': ua })).status).toBe(200);
    const again = await userAction(who, 'POST', '/auth/credentials', body);
    expect((await call('POST', '/auth/credentials', who.token, body, { 'x-dfns-useraction': again })).status).toBe(400);
  });

  it('a deactivated credential is not offered, and cannot sign', async () => {
    const who = user();
    const key = ec();
    const created = (await createCredential(who, key)).json;
    const body = JSON.stringify({ credentialUuid: emu.credentials(who.userId)[0].credentialUuid });
    const ua = await userAction(
      { ...who, credId: created.credentialId, privateKey: key.privateKey },
      'PUT',
      '/auth/credentials/deactivate',
      body,
    );
    expect((await call('PUT', '/auth/credentials/deactivate', who.token, body, { 'x-dfns-useraction': ua })).status).toBe(200);
    const init = await call(
      'POST',
      '/auth/action/init',
      who.token,
      JSON.stringify({ userActionHttpMethod: 'POST', userActionHttpPath: '/wallets', userActionPayload: '{}' }),
    );
    expect(init.json.allowCredentials.key).toEqual([{ type: 'public-key', id: created.credentialId }]);
    await expect(userAction(who, 'POST', '/wallets', '{}')).resolves.toBeUndefined(); // refused: no user action
    expect(emu.requests.at(-1)).toMatchObject({ path: '/auth/action', status: 401 });
  });
});

describe('registration', () => {
  const register = async (code: string, key = ec()) => {
    const init = await call(
      'POST',
      '/auth/registration/init',
      undefined,
      JSON.stringify({ orgId: emu.orgId, username: 'new@example.com', registrationCode: code }),
    );
    if (init.status !== 200) return { init };
    const body = JSON.stringify({
      firstFactorCredential: { credentialKind: 'Key', credentialInfo: attestation(init.json.challenge, key) },
    });
    return { init, done: await call('POST', '/auth/registration', init.json.temporaryAuthenticationToken, body) };
  };

  it('an invited user registers a key with no token, then the temporary one', async () => {
    const { userId } = emu.inviteUser({ username: 'new@example.com', registrationCode: 'C-1' });
    const { init, done } = await register('C-1');
    expect(init.json.user).toEqual({ id: userId, displayName: 'new@example.com', name: 'new@example.com' });
    expect(done?.status).toBe(200);
    expect(done?.json).toMatchObject({ user: { id: userId, username: 'new@example.com', orgId: emu.orgId }, credential: { kind: 'Key' } });
    expect(emu.credentials(userId)).toHaveLength(1);
  });

  it('refuses a wrong code, the temporary token elsewhere, and a user token at registration', async () => {
    emu.inviteUser({ username: 'new@example.com', registrationCode: 'C-2' });
    expect((await register('C-9')).init.status).toBe(401);
    const init = await call(
      'POST',
      '/auth/registration/init',
      undefined,
      JSON.stringify({ orgId: emu.orgId, username: 'new@example.com', registrationCode: 'C-2' }),
    );
    expect((await call('GET', '/wallets', init.json.temporaryAuthenticationToken)).status).toBe(401);
    expect((await call('POST', '/auth/registration', user().token, '{}')).status).toBe(401);
  });
});

describe('key-store outputs (multipart)', () => {
  const form = (data: string, file: string, extra?: string) => {
    const f = new FormData();
    f.append('data', data);
    f.append('file', new Blob([file]), 'out.json');
    if (extra) f.append(extra, 'x');
    return f;
  };
  const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
  const PATH = '/key-stores/ks-1/genesis/output';

  it('takes data and file, the user action over data, the checksum of the file', async () => {
    const who = user('Pat');
    const data = JSON.stringify({ outputJson: {}, fileChecksum: sha('bytes') });
    const ua = await userAction(who, 'POST', PATH, data);
    const r = await call('POST', PATH, who.token, form(data, 'bytes'), { 'x-dfns-useraction': ua });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ fileChecksum: sha('bytes'), userActionUsed: true });
  });

  it('refuses a checksum of another file, a user action over other text, other fields, and a JSON body', async () => {
    const who = user('Pat');
    const data = JSON.stringify({ fileChecksum: sha('bytes') });
    const ua = await userAction(who, 'POST', PATH, data);
    expect((await call('POST', PATH, who.token, form(data, 'other bytes'), { 'x-dfns-useraction': ua })).status).toBe(400);
    expect((await call('POST', PATH, who.token, form(data, 'bytes', 'note'), { 'x-dfns-useraction': ua })).status).toBe(400);
    expect((await call('POST', PATH, who.token, data, { 'x-dfns-useraction': ua })).status).toBe(400);
    const other = await userAction(who, 'POST', PATH, `${data} `);
    expect((await call('POST', PATH, who.token, form(data, 'bytes'), { 'x-dfns-useraction': other })).status).toBe(403);
    expect((await call('POST', PATH, who.token, form(data, 'bytes'), { 'x-dfns-useraction': ua })).status).toBe(200);
  });
});
