// Tests of the Dfns auth emulator (emulator/emulator.mjs), driven over HTTP with global fetch and
// signed with node:crypto, the way a client of the real API would; and of its command (emulator/cli.mjs).

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- jsrsasign ships without type declarations
import jsrsasign from 'jsrsasign';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Emulator, MESSAGES, makeToken, startEmulator } from '../../emulator/emulator.mjs';

type Alg = 'P-256' | 'secp256k1' | 'Ed25519' | 'RSA-2048';
interface TestUser {
  userId: string;
  token: string;
  credId: string;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}
interface Reply {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

let emu: Emulator;
const users = {} as Record<Alg | 'other', TestUser>;

function generate(alg: Alg) {
  switch (alg) {
    case 'P-256':
      return crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'secp256k1':
      return crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    case 'Ed25519':
      return crypto.generateKeyPairSync('ed25519');
    case 'RSA-2048':
      return crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  }
}

/** What a Key credential signs (research section 3): EC -> DER ECDSA, RSA -> PKCS#1 v1.5, Ed25519 -> raw, no pre-hash. */
function signBytes(privateKey: crypto.KeyObject, data: Buffer, digest = 'sha256') {
  return privateKey.asymmetricKeyType === 'ed25519' ? crypto.sign(null, data, privateKey) : crypto.sign(digest, data, privateKey);
}

async function call(
  method: string,
  path: string,
  o: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(emu.url + path, { method, headers, body: o.body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

const init = (user: TestUser, method: string, path: string, payload: string) =>
  call('POST', '/auth/action/init', {
    token: user.token,
    body: JSON.stringify({
      userActionServerKind: 'Api',
      userActionHttpMethod: method,
      userActionHttpPath: path,
      userActionPayload: payload,
    }),
  });

function keyAssertion(
  user: TestUser,
  challenge: string,
  o: { clientData?: string; digest?: string; algorithm?: string; credId?: string } = {},
) {
  const clientData = Buffer.from(o.clientData ?? JSON.stringify({ type: 'key.get', challenge }), 'utf8');
  return {
    credId: o.credId ?? user.credId,
    clientData: clientData.toString('base64url'),
    signature: signBytes(user.privateKey, clientData, o.digest).toString('base64url'),
    ...(o.algorithm ? { algorithm: o.algorithm } : {}),
  };
}

const complete = (user: TestUser, challengeIdentifier: string, credentialAssertion: object, kind = 'Key') =>
  call('POST', '/auth/action', {
    token: user.token,
    body: JSON.stringify({ challengeIdentifier, firstFactor: { kind, credentialAssertion } }),
  });

/** Steps 1 and 2: returns the user-action token for method + path + payload. */
async function userActionFor(user: TestUser, method: string, path: string, payload: string) {
  const ch = await init(user, method, path, payload);
  expect(ch.status).toBe(200);
  const ua = await complete(user, ch.json.challengeIdentifier, keyAssertion(user, ch.json.challenge));
  expect(ua.status).toBe(200);
  return ua.json.userAction as string;
}

function expectDfnsError(r: Reply, status: number, message?: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.json).toEqual({ error: { id: expect.stringMatching(/^\d+$/), status, message: message ?? expect.any(String), details: {} } });
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, host: '127.0.0.1' });
  for (const alg of ['P-256', 'secp256k1', 'Ed25519', 'RSA-2048', 'other'] as const) {
    const { privateKey, publicKey } = generate(alg === 'other' ? 'P-256' : alg);
    const credId = `cr-${alg.toLowerCase()}`;
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const { userId, token } = emu.addUser({ credentials: [{ id: credId, publicKey: alg === 'Ed25519' ? publicKey : pem }] });
    users[alg] = { userId, token, credId, privateKey, publicKey };
  }
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.reset();
});

describe('happy path', () => {
  it.each(['P-256', 'secp256k1', 'Ed25519', 'RSA-2048'] as const)('%s: POST with a body', async (alg) => {
    const user = users[alg];
    const body = JSON.stringify({ network: 'EthereumSepolia', name: `wallet ${alg}` });
    const userAction = await userActionFor(user, 'POST', '/wallets', body);
    const r = await call('POST', '/wallets', { token: user.token, body, headers: { 'X-DFNS-USERACTION': userAction } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true, method: 'POST', path: '/wallets', body: JSON.parse(body), userActionUsed: true });
    expect(emu.usedUserActions).toEqual([userAction]);
    expect(emu.requests.map((q) => [q.method, q.path, q.status])).toEqual([
      ['POST', '/auth/action/init', 200],
      ['POST', '/auth/action', 200],
      ['POST', '/wallets', 200],
    ]);
    expect(emu.mainRequests()).toHaveLength(1);
    expect(emu.mainRequests()[0].headers['x-dfns-useraction']).toBe(userAction);
  });

  it.each(['P-256', 'secp256k1', 'Ed25519', 'RSA-2048'] as const)('%s: DELETE without a body signs payload ""', async (alg) => {
    const user = users[alg];
    const path = '/auth/service-accounts/sa-123';
    const userAction = await userActionFor(user, 'DELETE', path, '');
    const r = await call('DELETE', path, { token: user.token, headers: { 'x-dfns-useraction': userAction } });
    expect(r.json).toEqual({ ok: true, method: 'DELETE', path, body: null, userActionUsed: true });
  });

  it('init answers the full challenge shape of the docs', async () => {
    const r = await init(users['P-256'], 'POST', '/wallets', '{}');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      challengeIdentifier: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      rp: { id: 'dfns.io', name: 'Dfns' },
      supportedCredentialKinds: expect.arrayContaining([
        expect.objectContaining({ kind: 'Key', factor: 'first' }),
        expect.objectContaining({ kind: 'Fido2', factor: 'first' }),
      ]),
      userVerification: 'required',
      attestation: 'none',
      allowCredentials: { key: [{ type: 'public-key', id: 'cr-p-256' }], passwordProtectedKey: [], webauthn: [] },
      externalAuthenticationUrl: '',
    });
  });

  it('lists webauthn-only credentials under allowCredentials.webauthn', async () => {
    const { userId, token } = emu.addUser({ credentials: [{ id: 'cr-fido', kind: 'Fido2' }], kind: 'ServiceAccount' });
    const r = await init({ ...users['P-256'], userId, token }, 'POST', '/wallets', '');
    expect(r.json.allowCredentials).toEqual({ key: [], passwordProtectedKey: [], webauthn: [{ type: 'public-key', id: 'cr-fido' }] });
  });

  it('ignores the query string, on userActionHttpPath and on the request', async () => {
    const user = users['P-256'];
    const a = await userActionFor(user, 'DELETE', '/auth/service-accounts/sa-1?force=true', '');
    expect(
      (await call('DELETE', '/auth/service-accounts/sa-1?force=true', { token: user.token, headers: { 'x-dfns-useraction': a } })).status,
    ).toBe(200);
    const b = await userActionFor(user, 'DELETE', '/auth/service-accounts/sa-2', '');
    expect(
      (await call('DELETE', '/auth/service-accounts/sa-2?force=false', { token: user.token, headers: { 'x-dfns-useraction': b } })).status,
    ).toBe(200);
    expect(emu.mainRequests().map((q) => [q.path, q.query])).toEqual([
      ['/auth/service-accounts/sa-1', 'force=true'],
      ['/auth/service-accounts/sa-2', 'force=false'],
    ]);
  });

  it('accepts Go/Python-style clientData (other field order, extra fields)', async () => {
    const user = users.secp256k1;
    const ch = await init(user, 'POST', '/keys', '{}');
    const clientData = JSON.stringify({ challenge: ch.json.challenge, crossOrigin: false, origin: 'https://app.dfns.io', type: 'key.get' });
    expect((await complete(user, ch.json.challengeIdentifier, keyAssertion(user, '', { clientData }))).status).toBe(200);
  });

  it('honours credentialAssertion.algorithm (SHA384/SHA512, case-insensitive; ignored for Ed25519)', async () => {
    const cases: [Alg, string, string | undefined, number][] = [
      ['P-256', 'sha384', 'SHA384', 200],
      ['P-256', 'sha384', 'sha384', 200],
      ['RSA-2048', 'sha512', 'SHA512', 200],
      ['P-256', 'sha384', undefined, 401],
      ['Ed25519', 'sha256', 'SHA512', 200],
    ];
    for (const [alg, digest, algorithm, status] of cases) {
      const user = users[alg];
      const ch = await init(user, 'POST', '/wallets', '');
      const r = await complete(user, ch.json.challengeIdentifier, keyAssertion(user, ch.json.challenge, { digest, algorithm }));
      expect([alg, algorithm, r.status]).toEqual([alg, algorithm, status]);
    }
    const ch = await init(users['P-256'], 'POST', '/wallets', '');
    expectDfnsError(
      await complete(users['P-256'], ch.json.challengeIdentifier, keyAssertion(users['P-256'], ch.json.challenge, { algorithm: 'MD5' })),
      400,
    );
  });

  it('the P-256 signature format is the standard one: jsrsasign verifies it too', async () => {
    const user = users['P-256'];
    const ch = await init(user, 'POST', '/wallets', '');
    const assertion = keyAssertion(user, ch.json.challenge);
    const verifier = new jsrsasign.KJUR.crypto.Signature({ alg: 'SHA256withECDSA' });
    verifier.init(user.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    verifier.updateHex(Buffer.from(assertion.clientData, 'base64url').toString('hex'));
    expect(verifier.verify(Buffer.from(assertion.signature, 'base64url').toString('hex'))).toBe(true);
    expect((await complete(user, ch.json.challengeIdentifier, assertion)).status).toBe(200);
  });
});

describe('challenge (POST /auth/action/init, POST /auth/action)', () => {
  it('validates the init body', async () => {
    const user = users['P-256'];
    const bad: object[] = [
      { userActionHttpMethod: 'FETCH', userActionHttpPath: '/wallets', userActionPayload: '' },
      { userActionHttpMethod: 'post', userActionHttpPath: '/wallets', userActionPayload: '' },
      { userActionHttpMethod: 'POST', userActionHttpPath: '', userActionPayload: '' },
      { userActionHttpMethod: 'POST', userActionHttpPath: '/wallets' },
      { userActionHttpMethod: 'POST', userActionHttpPath: '/wallets', userActionPayload: { a: 1 } },
      { userActionHttpMethod: 'POST', userActionHttpPath: 7, userActionPayload: '' },
      { userActionHttpMethod: 'POST', userActionHttpPath: '/wallets', userActionPayload: '', userActionServerKind: 'Nope' },
    ];
    for (const body of bad)
      expectDfnsError(await call('POST', '/auth/action/init', { token: user.token, body: JSON.stringify(body) }), 400);
    expectDfnsError(await call('POST', '/auth/action/init', { token: user.token, body: 'not json' }), 400);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'GET']) expect((await init(user, m, '/wallets', '')).status).toBe(200);
  });

  it('a challenge is single-use', async () => {
    const user = users['P-256'];
    const ch = await init(user, 'POST', '/wallets', '');
    expect((await complete(user, ch.json.challengeIdentifier, keyAssertion(user, ch.json.challenge))).status).toBe(200);
    expectDfnsError(
      await complete(user, ch.json.challengeIdentifier, keyAssertion(user, ch.json.challenge)),
      400,
      MESSAGES.challengeInvalid,
    );
  });

  it('a failed completion consumes the challenge too', async () => {
    const user = users['P-256'];
    const ch = await init(user, 'POST', '/wallets', '');
    const bad = { ...keyAssertion(user, ch.json.challenge), signature: keyAssertion(users.other, ch.json.challenge).signature };
    expectDfnsError(await complete(user, ch.json.challengeIdentifier, bad), 401, 'Signature verification failed.');
    expectDfnsError(
      await complete(user, ch.json.challengeIdentifier, keyAssertion(user, ch.json.challenge)),
      400,
      'Challenge token is not valid.',
    );
  });

  it("rejects unknown, expired and other users' challenges", async () => {
    const user = users['P-256'];
    expectDfnsError(await complete(user, 'eyJ.unknown.x', keyAssertion(user, 'x')), 400, 'Challenge token is not valid.');
    const other = await init(users.other, 'POST', '/wallets', '');
    expectDfnsError(
      await complete(user, other.json.challengeIdentifier, keyAssertion(user, other.json.challenge)),
      400,
      'Challenge token is not valid.',
    );
    // the owner can still use it
    expect((await complete(users.other, other.json.challengeIdentifier, keyAssertion(users.other, other.json.challenge))).status).toBe(200);
    const ch = await init(user, 'POST', '/wallets', '');
    emu.advanceClock(301);
    expectDfnsError(
      await complete(user, ch.json.challengeIdentifier, keyAssertion(user, ch.json.challenge)),
      400,
      'Challenge token is not valid.',
    );
  });

  it('challengeTtlSeconds is configurable', async () => {
    const short = await startEmulator({ challengeTtlSeconds: 0 });
    try {
      const { privateKey, publicKey } = generate('P-256');
      const { token } = short.addUser({ credentials: [{ id: 'cr-1', publicKey }] });
      const post = (path: string, body: object) =>
        fetch(short.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const ch: any = await (
        await post('/auth/action/init', { userActionHttpMethod: 'POST', userActionHttpPath: '/wallets', userActionPayload: '' })
      ).json();
      const user = { userId: '', token, credId: 'cr-1', privateKey, publicKey };
      const r = await post('/auth/action', {
        challengeIdentifier: ch.challengeIdentifier,
        firstFactor: { kind: 'Key', credentialAssertion: keyAssertion(user, ch.challenge) },
      });
      expect(r.status).toBe(400);
    } finally {
      await short.close();
    }
  });

  it('rejects a credId the user does not have (401)', async () => {
    const user = users['P-256'];
    for (const credId of ['cr-nope', users.other.credId]) {
      const ch = await init(user, 'POST', '/wallets', '');
      expectDfnsError(
        await complete(user, ch.json.challengeIdentifier, keyAssertion(user, ch.json.challenge, { credId })),
        401,
        'User does not have a credential that can be used for the application.',
      );
    }
  });

  it('rejects a bad signature (401), including a raw r||s ECDSA signature', async () => {
    const user = users['P-256'];
    let ch = await init(user, 'POST', '/wallets', '');
    const assertion = keyAssertion(user, ch.json.challenge);
    const flipped = Buffer.from(assertion.signature, 'base64url');
    flipped[flipped.length - 1] ^= 1;
    expectDfnsError(
      await complete(user, ch.json.challengeIdentifier, { ...assertion, signature: flipped.toString('base64url') }),
      401,
      'Signature verification failed.',
    );

    ch = await init(user, 'POST', '/wallets', '');
    const clientData = Buffer.from(JSON.stringify({ type: 'key.get', challenge: ch.json.challenge }));
    const raw = crypto.sign('sha256', clientData, { key: user.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(raw).toHaveLength(64);
    expectDfnsError(
      await complete(user, ch.json.challengeIdentifier, {
        credId: user.credId,
        clientData: clientData.toString('base64url'),
        signature: raw.toString('base64url'),
      }),
      401,
    );
  });

  it('rejects bad clientData (400): wrong type, wrong challenge, standard base64, padding, not JSON', async () => {
    const user = users['P-256'];
    const attempt = async (make: (challenge: string) => { clientData: string; signed?: Buffer }) => {
      const ch = await init(user, 'POST', '/wallets', '');
      const { clientData, signed } = make(ch.json.challenge);
      const bytes = signed ?? Buffer.from(clientData, 'base64url');
      return complete(user, ch.json.challengeIdentifier, {
        credId: user.credId,
        clientData,
        signature: signBytes(user.privateKey, bytes).toString('base64url'),
      });
    };
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expectDfnsError(await attempt((challenge) => ({ clientData: enc({ type: 'webauthn.get', challenge }) })), 400);
    expectDfnsError(await attempt(() => ({ clientData: enc({ type: 'key.get', challenge: 'c29tZXRoaW5nLWVsc2U' }) })), 400);
    expectDfnsError(await attempt((challenge) => ({ clientData: enc({ type: 'key.get' }) + enc({ challenge }) })), 400);
    expectDfnsError(await attempt(() => ({ clientData: Buffer.from('hello').toString('base64url') })), 400);
    // standard base64 ("=" padding) and base64url with padding: same bytes, validly signed, still rejected
    const padded = (challenge: string) => {
      let json = JSON.stringify({ type: 'key.get', challenge });
      while (Buffer.byteLength(json) % 3 === 0) json += ' ';
      return Buffer.from(json);
    };
    expectDfnsError(await attempt((c) => ({ clientData: padded(c).toString('base64'), signed: padded(c) })), 400);
    expectDfnsError(await attempt((c) => ({ clientData: padded(c).toString('base64url') + '=', signed: padded(c) })), 400);
    // "+" or "/" of standard base64
    const plus = (challenge: string) => {
      for (let i = 0; ; i++) {
        const bytes = Buffer.from(JSON.stringify({ type: 'key.get', challenge, pad: 'x'.repeat(i) }) + '\u00ff'.repeat(i % 5));
        if (/[+/]/.test(bytes.toString('base64')) && Buffer.byteLength(bytes) % 3 === 0) return bytes;
      }
    };
    expectDfnsError(await attempt((c) => ({ clientData: plus(c).toString('base64'), signed: plus(c) })), 400);
  });

  it('rejects a first factor that is not Key (400)', async () => {
    const user = users['P-256'];
    const ch = await init(user, 'POST', '/wallets', '');
    expectDfnsError(await complete(user, ch.json.challengeIdentifier, keyAssertion(user, ch.json.challenge), 'Fido2'), 400);
  });
});

describe('user action on the real request', () => {
  it('is single-use', async () => {
    const user = users['P-256'];
    const ua = await userActionFor(user, 'POST', '/wallets', '{"network":"Bitcoin"}');
    const send = () => call('POST', '/wallets', { token: user.token, body: '{"network":"Bitcoin"}', headers: { 'x-dfns-useraction': ua } });
    expect((await send()).status).toBe(200);
    expectDfnsError(await send(), 400, 'user action has already been used');
    expect(emu.usedUserActions).toEqual([ua]);
  });

  it('is bound to method, pathname and exact payload (403), and a mismatch does not consume it', async () => {
    const user = users['P-256'];
    const body = '{"network":"Bitcoin","name":"x"}';
    const ua = await userActionFor(user, 'POST', '/wallets', body);
    const h = { 'x-dfns-useraction': ua };
    const msg = 'user action signature is missing or invalid';
    expectDfnsError(await call('PUT', '/wallets', { token: user.token, body, headers: h }), 403, msg);
    expectDfnsError(await call('POST', '/wallets/wa-1/transfers', { token: user.token, body, headers: h }), 403, msg);
    expectDfnsError(await call('POST', '/wallets', { token: user.token, body: '{"network":"Ethereum","name":"x"}', headers: h }), 403, msg);
    expectDfnsError(
      await call('POST', '/wallets', { token: user.token, body: '{"network": "Bitcoin", "name": "x"}', headers: h }),
      403,
      msg,
    );
    expectDfnsError(await call('POST', '/wallets', { token: user.token, body: '{"name":"x","network":"Bitcoin"}', headers: h }), 403, msg);
    expectDfnsError(await call('POST', '/wallets', { token: user.token, headers: h }), 403, msg);
    expect((await call('POST', '/wallets', { token: user.token, body, headers: h })).status).toBe(200);
  });

  it('"" is not "{}"', async () => {
    const user = users['P-256'];
    const ua = await userActionFor(user, 'PUT', '/auth/pats/to-1/archive', '');
    expectDfnsError(
      await call('PUT', '/auth/pats/to-1/archive', { token: user.token, body: '{}', headers: { 'x-dfns-useraction': ua } }),
      403,
    );
    expect((await call('PUT', '/auth/pats/to-1/archive', { token: user.token, headers: { 'x-dfns-useraction': ua } })).status).toBe(200);
  });

  it('compares the percent-encoded pathname exactly', async () => {
    const user = users['P-256'];
    const ua = await userActionFor(user, 'POST', '/wallets/wa%3A1/tags', '{}');
    expectDfnsError(await call('POST', '/wallets/wa:1/tags', { token: user.token, body: '{}', headers: { 'x-dfns-useraction': ua } }), 403);
    expect(
      (await call('POST', '/wallets/wa%3A1/tags', { token: user.token, body: '{}', headers: { 'x-dfns-useraction': ua } })).status,
    ).toBe(200);
  });

  it("is required: missing, unknown, another user's, expired → 403", async () => {
    const user = users['P-256'];
    expectDfnsError(await call('POST', '/wallets', { token: user.token, body: '{}' }), 403, 'user action signature is missing or invalid');
    expectDfnsError(await call('POST', '/wallets', { token: user.token, body: '{}', headers: { 'x-dfns-useraction': 'garbage' } }), 403);
    const theirs = await userActionFor(users.other, 'POST', '/wallets', '{}');
    expectDfnsError(await call('POST', '/wallets', { token: user.token, body: '{}', headers: { 'x-dfns-useraction': theirs } }), 403);
    const mine = await userActionFor(user, 'POST', '/wallets', '{}');
    emu.advanceClock(301);
    expectDfnsError(await call('POST', '/wallets', { token: user.token, body: '{}', headers: { 'x-dfns-useraction': mine } }), 403);
  });

  it('is required on routes unknown to the catalogue (strict), and for PATCH', async () => {
    const user = users['P-256'];
    expectDfnsError(await call('POST', '/no/such/route', { token: user.token, body: '{}' }), 403);
    const ua = await userActionFor(user, 'PATCH', '/no/such/route', '{}');
    expect((await call('PATCH', '/no/such/route', { token: user.token, body: '{}', headers: { 'x-dfns-useraction': ua } })).status).toBe(
      200,
    );
  });

  it('is not needed for GET/HEAD, nor for unsigned mutating endpoints', async () => {
    const user = users['P-256'];
    const get = await call('GET', '/wallets?limit=10', { token: user.token });
    expect(get.status).toBe(200);
    expect(get.json).toEqual({ ok: true, method: 'GET', path: '/wallets' });
    expect((await call('HEAD', '/wallets', { token: user.token })).status).toBe(200);
    for (const [method, path] of [
      ['POST', '/auth/recover/user/init'],
      ['PUT', '/auth/logout'],
      ['POST', '/networks/Ethereum/call-function'],
      ['POST', '/swaps/quotes'],
    ]) {
      const r = await call(method, path, { token: user.token, body: '{"a":1}' });
      expect([method, path, r.status]).toEqual([method, path, 200]);
      expect(r.json).toMatchObject({ ok: true, userActionUsed: false, body: { a: 1 } });
    }
    expect(emu.usedUserActions).toEqual([]);
  });
});

describe('authentication (Bearer token)', () => {
  it('answers 401 for a missing, malformed, foreign, expired or unknown-user token', async () => {
    const user = users['P-256'];
    const app = { userId: user.userId, orgId: emu.orgId, tokenKind: 'Pat' };
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'auth.dfns.io',
      aud: 'dfns:auth:user',
      sub: emu.orgId,
      'https://custom/app_metadata': app,
      iat: now,
      exp: now + 600,
    };
    const headers: Record<string, string>[] = [
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer not-a-jwt' },
      { authorization: `Bearer ${user.token.slice(0, -4)}AAAA` },
      { authorization: `Bearer ${makeToken(claims)}` }, // well-formed, signed by another key
      { authorization: `Bearer ${emu.token({ userId: user.userId, expiresInSeconds: -10 })}` },
      { authorization: `Bearer ${emu.token({ userId: 'us-ghost' })}` },
      { authorization: `Bearer ${emu.signToken({ ...claims, sub: 'or-other' })}` },
      { authorization: `Bearer ${emu.signToken({ ...claims, exp: undefined })}` },
    ];
    for (const h of headers) {
      expectDfnsError(await call('GET', '/wallets', { headers: h }), 401, 'Not Authorized.');
      expectDfnsError(await call('POST', '/auth/action/init', { headers: h, body: '{}' }), 401);
      expectDfnsError(await call('POST', '/auth/recover/user/init', { headers: h, body: '{}' }), 401);
    }
    // sanity: the same claims signed by the emulator work, and the scheme is case-insensitive
    expect((await call('GET', '/wallets', { headers: { authorization: `bearer ${emu.signToken(claims)}` } })).status).toBe(200);
  });

  it('issues tokens with PAT-like claims', () => {
    const { userId, token } = emu.addUser({ kind: 'ServiceAccount' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      iss: 'auth.dfns.io',
      aud: 'dfns:auth:user',
      sub: emu.orgId,
      'https://custom/app_metadata': { userId, orgId: emu.orgId, tokenKind: 'ServiceAccount' },
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'EdDSA' });
  });
});

describe('faults', () => {
  const user = () => users['P-256'];

  it('status with a string, object or default body', async () => {
    emu.setFault({ init: { status: 503, body: 'upstream down' } });
    let r = await init(user(), 'POST', '/wallets', '');
    expect([r.status, r.text]).toEqual([503, 'upstream down']);
    emu.setFault({ init: { status: 429, body: { message: 'slow down' } } });
    r = await init(user(), 'POST', '/wallets', '');
    expect([r.status, r.json]).toEqual([429, { message: 'slow down' }]);
    emu.setFault({ complete: { status: 500 } });
    expectDfnsError(await complete(user(), 'x', {}), 500, 'Internal Server Error');
    emu.setFault({ main: { status: 502 } });
    expectDfnsError(await call('GET', '/wallets', { token: user().token }), 502, 'Bad Gateway');
    emu.clearFaults();
    expect((await call('GET', '/wallets', { token: user().token })).status).toBe(200);
    expect(emu.requests.map((q) => q.status)).toEqual([503, 429, 500, 502, 200]);
  });

  it('a faulted request does not create or consume anything', async () => {
    const ua = await userActionFor(user(), 'POST', '/wallets', '');
    emu.setFault({ main: { status: 500 } });
    expect((await call('POST', '/wallets', { token: user().token, headers: { 'x-dfns-useraction': ua } })).status).toBe(500);
    emu.clearFaults();
    expect((await call('POST', '/wallets', { token: user().token, headers: { 'x-dfns-useraction': ua } })).status).toBe(200);
  });

  it('delayMs alone delays then processes normally; with a status, delays the fault', async () => {
    emu.setFault({ init: { delayMs: 150 } });
    let t = Date.now();
    expect((await init(user(), 'POST', '/wallets', '')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    emu.setFault({ main: { delayMs: 100, status: 504 } });
    t = Date.now();
    expect((await call('GET', '/wallets', { token: user().token })).status).toBe(504);
    expect(Date.now() - t).toBeGreaterThanOrEqual(90);
  });

  it('latencyMs holds every answer back, faults too; setLatency changes it, a reset keeps it', async () => {
    const lagging = await startEmulator({ latencyMs: 120 });
    try {
      expect(lagging.latencyMs).toBe(120);
      const { token } = lagging.addUser({});
      const timed = async (path: string) => {
        const t = Date.now();
        const status = (await fetch(lagging.url + path, { headers: { authorization: `Bearer ${token}` } })).status;
        return { status, ms: Date.now() - t };
      };
      let r = await timed('/wallets');
      expect(r.status).toBe(200);
      expect(r.ms).toBeGreaterThanOrEqual(110);
      lagging.setFault({ main: { status: 503 } });
      r = await timed('/wallets');
      expect(r.status).toBe(503);
      expect(r.ms).toBeGreaterThanOrEqual(110);
      lagging.reset();
      lagging.setLatency(0);
      expect(lagging.latencyMs).toBe(0);
      lagging.setLatency(60);
      lagging.reset();
      expect(lagging.latencyMs).toBe(60);
      expect(() => lagging.setLatency(-1)).toThrow(RangeError);
      expect(() => lagging.setLatency(Number.NaN)).toThrow(RangeError);
    } finally {
      await lagging.close();
    }
    await expect(startEmulator({ latencyMs: -5 })).rejects.toThrow(RangeError);
  });

  it('nonJson answers an HTML page', async () => {
    emu.setFault({ complete: { nonJson: true } });
    let r = await complete(user(), 'x', {});
    expect([r.status, r.headers.get('content-type'), r.text]).toEqual([502, 'text/html', '<html>502 Bad Gateway</html>']);
    emu.setFault({ complete: { nonJson: true, status: 503 } });
    r = await complete(user(), 'x', {});
    expect(r.status).toBe(503);
    expect(r.json).toBeUndefined();
  });

  it('destroy resets the connection without answering', async () => {
    emu.setFault({ main: { destroy: true } });
    await expect(fetch(`${emu.url}/wallets`, { headers: { authorization: `Bearer ${user().token}` } })).rejects.toThrow();
    expect(emu.requests.at(-1)).toMatchObject({ path: '/wallets', status: 0 });
  });

  it('times limits a fault to the next N requests', async () => {
    emu.setFault({ main: { status: 500, times: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/wallets', { token: user().token })).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('a list of faults answers one request after another ({} answers normally), each for its times (1 by default)', async () => {
    emu.setFault({ main: [{ status: 500 }, {}, { status: 502, times: 2 }, { status: 504 }] });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await call('GET', '/wallets', { token: user().token })).status);
    expect(statuses).toEqual([500, 200, 502, 502, 504, 200]);
  });

  it('redirect answers 307 (or its status) with the Location and no body, and creates nothing', async () => {
    emu.setFault({ init: [{ redirect: 'http://elsewhere.invalid/auth/action/init' }, { redirect: 'https://x.invalid/', status: 308 }] });
    const body = JSON.stringify({ userActionHttpMethod: 'POST', userActionHttpPath: '/wallets', userActionPayload: '' });
    const send = () =>
      fetch(`${emu.url}/auth/action/init`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user().token}` },
        body,
        redirect: 'manual',
      });
    let r = await send();
    expect([r.status, r.headers.get('location'), await r.text()]).toEqual([307, 'http://elsewhere.invalid/auth/action/init', '']);
    r = await send();
    expect([r.status, r.headers.get('location')]).toEqual([308, 'https://x.invalid/']);
    expect(emu.requests.map((q) => q.status)).toEqual([307, 308]);
  });

  it('hang reads the request and never answers; close() ends the connection and the emulator', async () => {
    const own = await startEmulator({ port: 0 });
    const { token } = own.addUser({});
    own.setFault({ main: { hang: true } });
    const pending = fetch(`${own.url}/wallets`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => `answered ${r.status}`,
      () => 'connection closed',
    );
    while (own.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(own.requests[0]).toMatchObject({ path: '/wallets', status: 0 });
    expect(await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300))])).toBe('still waiting');
    await own.close();
    expect(await pending).toBe('connection closed');
  });

  it('retryAfter answers 429 (or its status) with Retry-After, and 429 again to what comes before that time', async () => {
    emu.setFault({ main: [{ retryAfter: 1 }, { status: 503, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' }] });
    const get = () => call('GET', '/wallets', { token: user().token });
    let r = await get();
    expect([r.status, r.headers.get('retry-after'), r.json?.error?.message]).toEqual([429, '1', 'Too Many Requests']);
    r = await get(); // at once: too early, and the list is not consumed
    expect([r.status, r.headers.get('retry-after'), r.headers.get('x-emulator-reason')]).toEqual([429, '1', 'retried too early']);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    r = await get();
    expect([r.status, r.headers.get('retry-after')]).toEqual([503, 'Wed, 21 Oct 2026 07:28:00 GMT']);
    expect((await get()).status).toBe(200); // an HTTP date is said, not enforced
  });

  it('headers adds headers to a fault', async () => {
    emu.setFault({ main: { status: 503, headers: { 'retry-after': '2', 'x-test': 'yes' } } });
    const r = await call('GET', '/wallets', { token: user().token });
    expect([r.status, r.headers.get('retry-after'), r.headers.get('x-test')]).toEqual([503, '2', 'yes']);
  });
});

describe('request log', () => {
  it('records every request with lowercased headers, raw body, query and status; reset clears it', async () => {
    const user = users['P-256'];
    await call('POST', '/auth/recover/user/init?x=1', { token: user.token, body: '{"username":"a"}', headers: { 'X-Custom-Thing': 'v' } });
    await init(user, 'POST', '/wallets', '');
    expect(emu.requests[0]).toMatchObject({
      method: 'POST',
      path: '/auth/recover/user/init',
      query: 'x=1',
      body: '{"username":"a"}',
      status: 200,
      headers: expect.objectContaining({ 'x-custom-thing': 'v', authorization: `Bearer ${user.token}` }),
    });
    expect(emu.mainRequests().map((q) => q.path)).toEqual(['/auth/recover/user/init']);
    emu.reset();
    expect(emu.requests).toEqual([]);
    expect(emu.mainRequests()).toEqual([]);
  });
});

describe('routing', () => {
  it('answers only POST on /auth/action/init and /auth/action (405), after authenticating', async () => {
    const user = users['P-256'];
    for (const path of ['/auth/action/init', '/auth/action']) {
      expectDfnsError(await call('GET', path, { token: user.token }), 405, 'Method Not Allowed');
      expectDfnsError(await call('PUT', path, { token: user.token, body: '{}' }), 405);
      expectDfnsError(await call('GET', path), 401);
    }
    expectDfnsError(await call('OPTIONS', '/wallets', { token: user.token }), 405);
  });

  it('a fault applies to its route only', async () => {
    emu.setFault({ complete: { status: 503 } });
    expect((await init(users['P-256'], 'POST', '/wallets', '')).status).toBe(200);
    expect((await call('GET', '/wallets', { token: users['P-256'].token })).status).toBe(200);
    expect((await complete(users['P-256'], 'x', {})).status).toBe(503);
  });
});

describe('command line (emulator/cli.mjs)', () => {
  const CLI = new URL('../../emulator/cli.mjs', import.meta.url).pathname;
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });

  it('--help says what it prints, how long the token lasts and how to stop it', () => {
    const r = run('--help');
    expect([r.status, r.stderr]).toEqual([0, '']);
    for (const text of [
      '--port',
      '--host',
      '--keys-dir',
      '--write-env',
      '--latency-ms',
      '--verbose',
      '"url", "dfnsApiDomain", "token", "credentialId", "privateKeyPath", "credentials"',
      'dfnsApiScheme=http',
      '1 hour',
      'SIGINT',
      'SIGTERM',
    ]) {
      expect(r.stdout).toContain(text);
    }
    expect(run('-h').stdout).toBe(r.stdout);
  });

  it.each([
    ['--nope'],
    ['--port', 'x'],
    ['--port', '70000'],
    ['extra'],
    ['--keys-dir', '/no/such/dir'],
    ['--latency-ms', '-5'],
    ['--latency-ms', 'x'],
  ])('refuses %s in one line, exit 2', (...args) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^emulator: .+\n$/);
  });

  it('registers the keys of --keys-dir, prints one JSON line, serves, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfns-emu-cli-'));
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'a.pem'), privateKey.export({ type: 'sec1', format: 'pem' }));
    writeFileSync(join(dir, 'a.public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'notes.pem'), 'not a key');
    const child = spawn(process.execPath, [CLI, '--port', '0', '--keys-dir', dir, '--latency-ms', '80'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let out = '';
      for await (const chunk of child.stdout) {
        out += chunk;
        if (out.includes('\n')) break;
      }
      const line = JSON.parse(out);
      expect(Object.keys(line)).toEqual([
        'url',
        'dfnsApiDomain',
        'token',
        'credentialId',
        'username',
        'orgId',
        'privateKeyPath',
        'credentials',
      ]);
      expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(line.dfnsApiDomain).toBe(line.url.slice('http://'.length));
      expect(line.privateKeyPath).toBe(join(dir, 'a.pem'));
      expect(line.credentials).toEqual([{ id: line.credentialId, file: join(dir, 'a.pem') }]);
      const claims = JSON.parse(Buffer.from(line.token.split('.')[1], 'base64url').toString());
      expect(claims.exp - claims.iat).toBe(3600);
      const sent = Date.now();
      expect((await fetch(`${line.url}/wallets`, { headers: { authorization: `Bearer ${line.token}` } })).status).toBe(200);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(70); // --latency-ms 80
      // The user can log in too (dfnsUsername, dfnsOrgId): the login challenge offers its credential.
      const init = await fetch(`${line.url}/auth/login/init`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: line.username, orgId: line.orgId }),
      });
      expect(((await init.json()) as { allowCredentials: { key: unknown } }).allowCredentials.key).toEqual([
        { type: 'public-key', id: line.credentialId },
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('--write-env writes the variables for the shell (mode 600) before the JSON line, and removes them at stop; --verbose marks a user action', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfns-emu-cli-'));
    const file = join(dir, "it's.env");
    const child = spawn(process.execPath, [CLI, '--port', '0', '--write-env', file, '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let log = '';
    child.stderr.on('data', (d: Buffer) => (log += d.toString('utf8')));
    try {
      let out = '';
      for await (const chunk of child.stdout) {
        out += chunk;
        if (out.includes('\n')) break;
      }
      const line = JSON.parse(out);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // What a shell that sources it sees.
      const shell = spawnSync(
        '/bin/sh',
        [
          '-c',
          '. "$1" && printf "%s\\0" "$DFNS_API_DOMAIN" "$DFNS_AUTH_TOKEN" "$DFNS_CREDENTIAL_ID" "$DFNS_PRIVATE_KEY_FILE" "$DFNS_PRIVATE_KEY"',
          'sh',
          file,
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(shell.status, shell.stderr).toBe(0);
      const [domain, token, credentialId, keyFile, key] = shell.stdout.split('\0');
      expect([domain, token, credentialId, keyFile]).toEqual([line.dfnsApiDomain, line.token, line.credentialId, line.privateKeyPath]);
      expect(key).toBe(readFileSync(line.privateKeyPath, 'utf8').trim());
      expect(key.split('\n').length).toBeGreaterThan(2);
      const headers = { authorization: `Bearer ${token}`, 'x-dfns-useraction': 'ua' };
      expect((await fetch(`${line.url}/wallets`, { headers })).status).toBe(200);
      await vi.waitFor(() => expect(log).toBe('200 GET /wallets [X-DFNS-USERACTION]\n'));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--write-env into a directory that does not exist: one line, exit 2', () => {
    const r = run('--port', '0', '--write-env', '/no/such/dir/emulator.env');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^emulator: --write-env \/no\/such\/dir\/emulator\.env: .+\n$/);
  });
});
