// The official Dfns SDK as a second oracle (issue 10): @dfns/sdk with @dfns/sdk-keysigner, which
// sign with node:crypto, must pass the local emulator for every credential algorithm; and for one
// identical request, what the SDK sends to POST /auth/action/init and POST /auth/action must match
// what the signer's protocol steps build.

import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, verify, webcrypto } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BaseAuthApi, DfnsApiClient, DfnsAuthenticator } from '@dfns/sdk';
import { BrowserKeySigner } from '@dfns/sdk-browser';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type RequestLogEntry, startEmulator } from '../../emulator/emulator.mjs';
import type { Client } from '../../src/clients/client';
import { requestFacts } from '../../src/clients/shared';
import { utf8Encode } from '../../src/encoding';
import { signRequest } from '../../src/flow';
import { readPrivateKey } from '../../src/keys/index';
import {
  assertion,
  challengeRequest,
  clientData,
  completeRequest,
  pickCredential,
  readChallenge,
  readUserAction,
} from '../../src/protocol/userAction';

const SDK_VERSION = '0.8.21';

function pair(type: string, options: object): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync(type as any, options as any) as unknown as { privateKey: KeyObject; publicKey: KeyObject };
}

const ALGORITHMS = [
  { name: 'ECDSA P-256', keys: () => pair('ec', { namedCurve: 'prime256v1' }) },
  { name: 'ECDSA secp256k1', keys: () => pair('ec', { namedCurve: 'secp256k1' }) },
  { name: 'Ed25519', keys: () => pair('ed25519', {}) },
  { name: 'RSA 2048', keys: () => pair('rsa', { modulusLength: 2048 }) },
];

interface User {
  name: string;
  credId: string;
  token: string;
  privatePem: string;
}

let emu: Emulator;
const users: User[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  ALGORITHMS.forEach((a, i) => {
    const { privateKey, publicKey } = a.keys();
    const credId = `cr-sdk-oracle-${i}`;
    const { token } = emu.addUser({ credentials: [{ id: credId, publicKey }] });
    users.push({ name: a.name, credId, token, privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
  });
});

afterAll(async () => {
  await emu?.close();
});

const sdkClient = (u: User): DfnsApiClient =>
  new DfnsApiClient({
    baseUrl: emu.url,
    orgId: emu.orgId, // the SDK then also checks the emulator's token carries the org, as Dfns's do
    authToken: u.token,
    signer: new AsymmetricKeySigner({ credId: u.credId, privateKey: u.privatePem }),
  });

/** The three requests one signed call made: init, complete, main (the log since `from`). */
function exchange(from: number): { init: RequestLogEntry; complete: RequestLogEntry; main: RequestLogEntry } {
  const log = emu.requests.slice(from);
  expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toHaveLength(3);
  const [init, complete, main] = log;
  expect(init.path).toBe('/auth/action/init');
  expect(complete.path).toBe('/auth/action');
  return { init, complete, main };
}

/** The signer's protocol steps against the emulator, with fetch as the only I/O. */
async function signAndSendOurs(u: User, method: string, path: string, payload: string): Promise<Response> {
  const post = async (route: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`${emu.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, route).toBe(200);
    return res.json();
  };
  const challenge = readChallenge(await post('/auth/action/init', challengeRequest({ method, path, payload })));
  const credId = pickCredential(challenge, undefined);
  const data = utf8Encode(clientData(challenge.challenge));
  const signature = readPrivateKey(u.privatePem).sign(data);
  const userAction = readUserAction(
    await post('/auth/action', completeRequest(challenge.challengeIdentifier, assertion(credId, data, signature))),
  );
  return fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json', 'x-dfns-useraction': userAction },
    body: payload === '' ? undefined : payload,
  });
}

describe('the official Dfns SDK passes the emulator', () => {
  it.each(ALGORITHMS.map((a) => a.name))(
    '%s: wallets.createWallet signs with a user action the emulator verifies and consumes',
    async (name) => {
      const u = users.find((x) => x.name === name)!;
      const from = emu.requests.length;
      const answer = await sdkClient(u).wallets.createWallet({ body: { network: 'EthereumSepolia', name: `sdk ${name}` } });
      expect(answer).toMatchObject({ ok: true, method: 'POST', path: '/wallets', userActionUsed: true });
      const { init, complete, main } = exchange(from);
      expect([init.status, complete.status, main.status]).toEqual([200, 200, 200]);
      expect(main.headers['x-dfns-useraction']).toBe(emu.usedUserActions[emu.usedUserActions.length - 1]);
      expect(main.headers['x-dfns-sdk-version']).toBe(SDK_VERSION);
    },
  );

  it('a signed DELETE: the SDK signs and sends the body "{}", not "" (research §1.4), and passes', async () => {
    const u = users[0];
    const from = emu.requests.length;
    await sdkClient(u).webhooks.deleteWebhook({ webhookId: 'wh-sdk-oracle' });
    const { init, main } = exchange(from);
    expect(JSON.parse(init.body)).toEqual({
      userActionPayload: '{}',
      userActionHttpMethod: 'DELETE',
      userActionHttpPath: '/webhooks/wh-sdk-oracle',
      userActionServerKind: 'Api',
    });
    expect([main.method, main.status, main.body, main.headers['content-type']]).toEqual(['DELETE', 200, '{}', 'application/json']);
  });
});

describe('the SDK and the signer send the same exchange for the same request', () => {
  const method = 'POST';
  const path = '/wallets';
  const body = { network: 'EthereumSepolia' as const, name: 'same request' };

  let sdk: { init: RequestLogEntry; complete: RequestLogEntry; main: RequestLogEntry };
  let ours: { init: RequestLogEntry; complete: RequestLogEntry; main: RequestLogEntry };

  beforeAll(async () => {
    const u = users[0];
    let from = emu.requests.length;
    await sdkClient(u).wallets.createWallet({ body });
    sdk = exchange(from);
    from = emu.requests.length;
    const res = await signAndSendOurs(u, method, path, sdk.main.body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userActionUsed: true });
    ours = exchange(from);
  });

  it('both sign and send the same body text', () => {
    expect(sdk.main.body).toBe(JSON.stringify(body));
    expect(ours.main.body).toBe(sdk.main.body);
  });

  it('POST /auth/action/init: the same text, byte for byte, as JSON.stringify(challengeRequest(facts))', () => {
    const mine = JSON.stringify(challengeRequest({ method, path, payload: sdk.main.body }));
    expect(sdk.init.body).toBe(mine);
    expect(ours.init.body).toBe(mine);
  });

  it('POST /auth/action: the same shape and key order as completeRequest (no algorithm field)', () => {
    const keysDeep = (text: string): string[] => {
      const out: string[] = [];
      JSON.parse(text, function (this: unknown, key: string, value: unknown) {
        if (key !== '') out.push(key);
        return value;
      });
      return out;
    };
    expect(keysDeep(sdk.complete.body)).toEqual([
      'challengeIdentifier',
      'kind',
      'credId',
      'clientData',
      'signature',
      'credentialAssertion',
      'firstFactor',
    ]);
    expect(keysDeep(sdk.complete.body)).toEqual(keysDeep(ours.complete.body));
    const a = JSON.parse(sdk.complete.body).firstFactor.credentialAssertion;
    const b = JSON.parse(ours.complete.body).firstFactor.credentialAssertion;
    // Both sign {"type":"key.get","challenge":…} (each its own challenge); the credential is the same.
    expect(Object.keys(JSON.parse(Buffer.from(a.clientData, 'base64url').toString('utf8')))).toEqual(['type', 'challenge']);
    expect(Buffer.from(b.clientData, 'base64url').toString('utf8')).toBe(
      clientData(JSON.parse(Buffer.from(b.clientData, 'base64url').toString('utf8')).challenge),
    );
    expect(a.credId).toBe(b.credId);
  });

  it('headers: the SDK adds x-dfns-sdk-version to all three, and x-dfns-useraction to the main request', () => {
    for (const r of [sdk.init, sdk.complete, sdk.main]) {
      expect(r.headers['x-dfns-sdk-version']).toBe(SDK_VERSION);
      expect(r.headers.authorization).toBe(`Bearer ${users[0].token}`);
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(sdk.init.headers['x-dfns-useraction']).toBeUndefined();
    expect(typeof sdk.main.headers['x-dfns-useraction']).toBe('string');
  });
});

describe('new credentials and forms as the SDK sends them (issue 17): the emulator accepts them', () => {
  /** A WebCrypto P-256 key pair, the kind BrowserKeySigner takes. */
  const webKeys = () =>
    webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;

  it('Create Credential: BrowserKeySigner.create attests a new key, a current credential signs the user action, the new key then signs', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const { token } = emu.addUser({ kind: 'Token', credentials: [{ id: 'cr-sdk-current', publicKey }] });
    const current = {
      name: 'login',
      credId: 'cr-sdk-current',
      token,
      privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    const sdk = sdkClient(current);
    const challenge = await sdk.auth.createCredentialChallenge({ body: { kind: 'Key' } });
    const browser = new BrowserKeySigner({ keyPair: await webKeys() });
    const attestation = await browser.create(challenge as any);
    const created = await sdk.auth.createCredential({
      body: { ...attestation, credentialName: 'sdk browser key', challengeIdentifier: challenge.challengeIdentifier } as any,
    });
    expect(created).toMatchObject({
      kind: 'Key',
      credentialId: attestation.credentialInfo.credId,
      isActive: true,
      name: 'sdk browser key',
    });
    const withNewKey = new DfnsApiClient({ baseUrl: emu.url, orgId: emu.orgId, authToken: token, signer: browser });
    await expect(withNewKey.wallets.createWallet({ body: { network: 'EthereumSepolia' } })).resolves.toMatchObject({
      userActionUsed: true,
    });
    // A personal access token may not create credentials (Dfns's reference; the emulator's assumption).
    await expect(sdkClient(users[0]).auth.createCredentialChallenge({ body: { kind: 'Key' } })).rejects.toMatchObject({ httpStatus: 403 });
  });

  it('registration: init without a token, then BrowserKeySigner.create with the temporary token', async () => {
    const { userId } = emu.inviteUser({ username: 'sdk@example.com', registrationCode: 'SDK-1' });
    const options = { baseUrl: emu.url } as any;
    const challenge = await BaseAuthApi.createUserRegistrationChallenge(
      { orgId: emu.orgId, username: 'sdk@example.com', registrationCode: 'SDK-1' },
      options,
    );
    const firstFactorCredential = await new BrowserKeySigner({ keyPair: await webKeys() }).create(challenge as any);
    const registered = await BaseAuthApi.createUserRegistration({ firstFactorCredential } as any, {
      ...options,
      authToken: challenge.temporaryAuthenticationToken,
    });
    expect(registered).toMatchObject({ user: { id: userId, username: 'sdk@example.com', orgId: emu.orgId }, credential: { kind: 'Key' } });
    expect(emu.credentials(userId).map((c) => c.credentialId)).toEqual([firstFactorCredential.credentialInfo.credId]);
  });

  it('a key-store output: form fields data (with fileChecksum) and file, the user action over data', async () => {
    const u = users[0];
    const from = emu.requests.length;
    const bytes = new TextEncoder().encode('{"type":"fleet-output","version":1}');
    const client = new (sdkWithGlobalFetch().DfnsApiClient)({
      baseUrl: emu.url,
      authToken: u.token,
      signer: new AsymmetricKeySigner({ credId: u.credId, privateKey: u.privatePem }),
    });
    const body = { outputJson: { type: 'fleet-output' } } as any;
    const answer = await client.signers.submitCloneOutput({ storeId: 'ks-sdk', body }, { bytes, name: 'out.json' });
    const checksum = createHash('sha256').update(bytes).digest('hex');
    expect(answer).toMatchObject({ fileChecksum: checksum, userActionUsed: true });
    const { init, main } = exchange(from);
    expect(JSON.parse(init.body).userActionPayload).toBe(JSON.stringify({ ...body, fileChecksum: checksum }));
    expect(main.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });
});

/**
 * A second copy of @dfns/sdk whose HTTP is Node's own fetch. In Node, the SDK fetches through cross-fetch's
 * ponyfill, node-fetch 2, which sends a FormData as the text "[object FormData]" (measured: 400 from the
 * emulator), so the SDK can send a key-store output only where cross-fetch is the platform's fetch (browsers).
 * The form, the checksum and the signature stay the SDK's own.
 */
function sdkWithGlobalFetch(): typeof import('@dfns/sdk') {
  const sdkRequire = createRequire(createRequire(import.meta.url).resolve('@dfns/sdk'));
  const crossFetch = sdkRequire('cross-fetch');
  const nodeFetch = crossFetch.fetch;
  const sdkFiles = Object.keys(sdkRequire.cache).filter((file) => /[\\/]@dfns[\\/]sdk[\\/]/.test(file));
  for (const file of sdkFiles) delete sdkRequire.cache[file];
  crossFetch.fetch = globalThis.fetch;
  try {
    return sdkRequire('@dfns/sdk');
  } finally {
    crossFetch.fetch = nodeFetch;
  }
}

describe('the SDK keysigner on the golden vectors (test/vectors/)', () => {
  const DIR = new URL('../vectors/', import.meta.url);
  const vectors = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) }));

  it.each(vectors)(
    '$name: same first factor as the vector (exact for Ed25519 and RSA; ECDSA: Node draws its nonce, so it verifies)',
    async (v) => {
      const credId = v.initAnswer.allowCredentials.key[0].id;
      const factor = await new AsymmetricKeySigner({ credId, privateKey: v.privateKeyPem }).sign(v.initAnswer);
      const expected = JSON.parse(v.expected.completeBody).firstFactor;
      if (!v.signerAlgorithm.startsWith('ECDSA')) {
        expect(JSON.stringify(factor)).toBe(JSON.stringify(expected));
        return;
      }
      expect({ ...factor.credentialAssertion, signature: '' }).toEqual({ ...expected.credentialAssertion, signature: '' });
      const pub = createPublicKey(v.publicKeyPem);
      const data = Buffer.from(v.expected.clientData, 'utf8');
      expect(verify('sha256', data, { key: pub, dsaEncoding: 'der' }, Buffer.from(factor.credentialAssertion.signature, 'base64url'))).toBe(
        true,
      );
    },
  );
});

describe('logging in: DfnsAuthenticator.login and the signer (research §10)', () => {
  const USERS = ALGORITHMS.map((a, i) => ({ name: a.name, username: `login-${i}@example.com`, credId: `cr-login-${i}`, privatePem: '' }));

  beforeAll(() => {
    ALGORITHMS.forEach((a, i) => {
      const { privateKey, publicKey } = a.keys();
      const u = USERS[i];
      emu.addUser({ username: u.username, kind: 'CustomerEmployee', credentials: [{ id: u.credId, publicKey }] });
      u.privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    });
  });

  /** The signer's real flow for a GET to the emulator, as a client whose send() is fetch (it logs in first); then the GET. */
  async function signerLogin(u: (typeof USERS)[number]): Promise<{ token?: string; status: number }> {
    const headers: Record<string, string> = {};
    const variables: Record<string, string> = {
      dfnsApiDomain: emu.url.replace('http://', ''),
      dfnsUsername: u.username,
      dfnsOrgId: emu.orgId,
      credentialPrivateKey: u.privatePem,
    };
    const client: Client = {
      variable: (name) => variables[name],
      request: () => requestFacts({ method: 'GET', url: `${emu.url}/wallets`, header: () => undefined }),
      body: () => '',
      unresolved: () => undefined,
      freeze() {},
      send: async (r) => {
        const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
        return { status: res.status, text: await res.text() };
      },
      setHeader: (name, value) => void (headers[name] = value),
      log() {},
      report() {},
      stop: () => 'throw',
      keepToken: (token) => {
        variables.authToken = token;
        return 'memory';
      },
    };
    await signRequest(client, () => Date.now());
    const { status } = await fetch(`${emu.url}/wallets`, { headers });
    return { token: variables.authToken, status };
  }

  const loginCalls = (from: number) => {
    const log = emu.requests.slice(from).filter((r) => r.path.startsWith('/auth/login'));
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /auth/login/init 200', 'POST /auth/login 200']);
    return { init: log[0], complete: log[1] };
  };

  it.each(USERS.map((u) => [u.name, u] as const))('%s: both log in, with the same init body and the same completion', async (_name, u) => {
    let from = emu.requests.length;
    const authenticator = new DfnsAuthenticator({
      baseUrl: emu.url,
      signer: new AsymmetricKeySigner({ credId: u.credId, privateKey: u.privatePem }),
    });
    const answer = await authenticator.login({ username: u.username, orgId: emu.orgId });
    expect('token' in answer && typeof answer.token).toBe('string');
    const sdk = loginCalls(from);

    from = emu.requests.length;
    const { token, status } = await signerLogin(u);
    const ours = loginCalls(from);
    // The token works: the request the signer logged in for was answered with it.
    expect(status).toBe(200);
    expect(emu.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);

    // The init body, byte for byte; the SDK adds only its version header, and neither sends a token.
    expect(ours.init.body).toBe(sdk.init.body);
    expect(ours.init.body).toBe(JSON.stringify({ username: u.username, orgId: emu.orgId }));
    for (const r of [sdk.init, sdk.complete, ours.init, ours.complete]) expect(r.headers.authorization).toBeUndefined();
    // The completion: the same keys in the same order, the same credential, both signing {"type":"key.get","challenge"}.
    const a = JSON.parse(sdk.complete.body);
    const b = JSON.parse(ours.complete.body);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(Object.keys(b.firstFactor.credentialAssertion)).toEqual(Object.keys(a.firstFactor.credentialAssertion));
    expect([b.firstFactor.kind, b.firstFactor.credentialAssertion.credId]).toEqual([
      a.firstFactor.kind,
      a.firstFactor.credentialAssertion.credId,
    ]);
    for (const body of [a, b])
      expect(Object.keys(JSON.parse(Buffer.from(body.firstFactor.credentialAssertion.clientData, 'base64url').toString()))).toEqual([
        'type',
        'challenge',
      ]);
  });
});
