// Logging in with the credential key (dfnsUsername): the protocol steps against golden vectors and the
// documented shapes, and the flow with a client in memory: when it logs in, where the token goes, the
// request "Complete User Login", and that every failure sends nothing more and never shows a token.
import { generateKeyPairSync, verify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/encoding';
import { signOrFail } from '../../src/flow';
import { readPrivateKey } from '../../src/keys/index';
import { loginChallengeRequest, loginRequest, readLoginChallenge, readLoginToken } from '../../src/protocol/login';
import { readToken, tokenFacts } from '../../src/protocol/token';
import { assertion, clientData, pickCredential } from '../../src/protocol/userAction';
import { CHALLENGE, type FakeOptions, type FakeRequest, fakeClient, LOGIN_TOKEN } from '../support/fake-client';

const DIR = new URL('../vectors/', import.meta.url);
const vectors = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ name: file.replace(/\.json$/, ''), ...JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) }));

describe('the login steps (research §10)', () => {
  it('POST /auth/login/init: {username, orgId}, in the order the SDK writes them (the docs example)', () => {
    expect(JSON.stringify(loginChallengeRequest('jdoe@example.co', 'or-34513-nip9c-8bppvgqgj28dbodrc'))).toBe(
      '{"username":"jdoe@example.co","orgId":"or-34513-nip9c-8bppvgqgj28dbodrc"}',
    );
  });

  it.each(vectors)('$name: the login completion is the golden completion, byte for byte (signed as a user action)', (v) => {
    const challenge = readLoginChallenge(v.initAnswer, 'jdoe@example.co');
    const credId = pickCredential(challenge, undefined, '"jdoe@example.co"');
    const data = utf8Encode(clientData(challenge.challenge));
    const body = loginRequest(challenge.challengeIdentifier, assertion(credId, data, readPrivateKey(v.privateKeyPem).sign(data)));
    expect(JSON.stringify(body)).toBe(v.expected.completeBody);
  });

  it('reads the token; an SSO answer or none at all is refused', () => {
    expect(readLoginToken({ token: 'ey.a.b' }, 'u')).toBe('ey.a.b');
    expect(() => readLoginToken({ ssoClientId: 'sso-1' }, 'u')).toThrow(
      /"u" has no Key credential to log in with \(only: single sign-on\)/,
    );
    expect(() => readLoginToken({ userAction: 'x' }, 'u')).toThrow(/POST \/auth\/login answered without a token/);
  });

  it('refuses a challenge that needs a second factor, or offers no Key credential', () => {
    const second = { ...CHALLENGE, supportedCredentialKinds: [{ kind: 'Key', factor: 'second', requiresSecondFactor: false }] };
    expect(() => readLoginChallenge(second, 'u')).toThrow(expect.objectContaining({ code: 'login-second-factor' }));
    const none = { ...CHALLENGE, allowCredentials: { key: [], webauthn: [{ id: 'pk' }] } };
    expect(() => readLoginChallenge(none, 'u')).toThrow(/"u" has no Key credential to log in with \(only: passkey \(WebAuthn\)\)/);
    expect(() => readLoginChallenge({ challenge: 'x' }, 'u')).toThrow(/POST \/auth\/login\/init answered without a challenge/);
  });

  it('a token says who it is (research §7)', () => {
    const token = readToken(LOGIN_TOKEN);
    expect(tokenFacts(token)).toEqual({ orgId: 'or-1', userId: undefined, username: undefined, kind: 'Token' });
  });
});

const NOW = Date.UTC(2026, 11, 1);
const jwt = (claims: object) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const EXPIRED = jwt({ exp: NOW / 1000 - 5, 'https://custom/app_metadata': { orgId: 'or-from-token' } });
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const ALICE = { dfnsUsername: 'alice@example.com', dfnsOrgId: 'or-1', credentialPrivateKey: PEM };
const POST: FakeRequest = { method: 'POST', url: 'https://api.dfns.io/wallets', body: '{"network":"Bitcoin"}' };
const GET: FakeRequest = { method: 'GET', url: 'https://api.dfns.io/wallets' };

async function run(request: FakeRequest, variables: Record<string, string>, options: FakeOptions = {}) {
  const fake = fakeClient(request, { variables: { ...variables }, ...options });
  const error = await signOrFail(fake.client, () => NOW);
  const paths = fake.sent.map((r) => new URL(r.url).pathname);
  return { ...fake, error, paths };
}

describe('logging in before a request', () => {
  it('with no authToken: init, complete, keep; then the user action with the new token', async () => {
    const { calls, sent, paths, headers, logs, reported } = await run(POST, ALICE);
    expect(reported).toEqual([]);
    expect(paths).toEqual(['/auth/login/init', '/auth/login', '/auth/action/init', '/auth/action']);
    expect(calls.filter((c) => c.startsWith('send') || c === 'keepToken')).toEqual([
      'send /auth/login/init',
      'send /auth/login',
      'keepToken',
      'send /auth/action/init',
      'send /auth/action',
    ]);
    // The two login calls carry no token; the exchange and the request carry the new one.
    expect(sent.map((r) => r.headers.Authorization)).toEqual([undefined, undefined, `Bearer ${LOGIN_TOKEN}`, `Bearer ${LOGIN_TOKEN}`]);
    expect(sent[0].body).toBe('{"username":"alice@example.com","orgId":"or-1"}');
    const { firstFactor } = JSON.parse(sent[1].body);
    const data = Buffer.from(firstFactor.credentialAssertion.clientData, 'base64url');
    expect(JSON.parse(data.toString())).toEqual({ type: 'key.get', challenge: CHALLENGE.challenge });
    expect(
      verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(firstFactor.credentialAssertion.signature, 'base64url')),
    ).toBe(true);
    expect(headers).toEqual({ 'X-DFNS-USERACTION': 'ua-1', Authorization: `Bearer ${LOGIN_TOKEN}` });
    expect(logs[0]).toBe(
      'Dfns signer: logged in as alice@example.com with cr-1 (ECDSA P-256); authToken kept in the environment for the next requests',
    );
    expect(logs.join('\n')).not.toContain(LOGIN_TOKEN.split('.')[1]);
  });

  it('the key is read once for both signatures', async () => {
    const { calls } = await run(POST, ALICE);
    expect(calls.filter((c) => c === 'variable credentialPrivateKey')).toHaveLength(1);
  });

  it('an expired authToken without dfnsOrgId: the org the token names', async () => {
    const { sent, reported } = await run(GET, { ...ALICE, dfnsOrgId: '', authToken: EXPIRED });
    expect(reported).toEqual([]);
    expect(JSON.parse(sent[0].body)).toEqual({ username: 'alice@example.com', orgId: 'or-from-token' });
  });

  it('within a minute of expiry: logs in; with more left: does not', async () => {
    const soon = jwt({ exp: NOW / 1000 + 59 });
    expect((await run(GET, { ...ALICE, authToken: soon })).paths).toEqual(['/auth/login/init', '/auth/login']);
    const later = jwt({ exp: NOW / 1000 + 61 });
    const { paths, headers } = await run(GET, { ...ALICE, authToken: later });
    expect(paths).toEqual([]);
    expect(headers).toEqual({ Authorization: `Bearer ${later}` });
  });

  it('a GET logs in too (it needs the token), and signs nothing', async () => {
    const { paths, headers } = await run(GET, ALICE);
    expect(paths).toEqual(['/auth/login/init', '/auth/login']);
    expect(headers).toEqual({ Authorization: `Bearer ${LOGIN_TOKEN}` });
  });

  it('without dfnsUsername an expired token stays an error (no login)', async () => {
    const { reported, paths } = await run(GET, { authToken: EXPIRED, credentialPrivateKey: PEM });
    expect(reported.map((e) => e.code)).toEqual(['token-expired']);
    expect(paths).toEqual([]);
  });

  it('credentialId picks among several login credentials', async () => {
    const two = { ...CHALLENGE, allowCredentials: { key: [{ id: 'cr-1' }, { id: 'cr-2' }] } };
    const answer = (r: { url: string }) =>
      r.url.endsWith('/init') ? { status: 200, text: JSON.stringify(two) } : { status: 200, text: JSON.stringify({ token: LOGIN_TOKEN }) };
    const { sent, reported } = await run(GET, { ...ALICE, credentialId: 'cr-2' }, { answer });
    expect(reported).toEqual([]);
    expect(JSON.parse(sent[1].body).firstFactor.credentialAssertion.credId).toBe('cr-2');
    const ambiguous = await run(GET, ALICE, { answer });
    expect(ambiguous.reported[0].message).toMatch(/several Key credentials for "alice@example\.com" \(cr-1, cr-2\)/);
  });

  it('a busy answer (503) at POST /auth/login: the login starts again from a new challenge (src/exchange.ts)', async () => {
    let busy = 1;
    const answer = (r: { url: string }) =>
      r.url.endsWith('/init')
        ? { status: 200, text: JSON.stringify(CHALLENGE) }
        : r.url.endsWith('/auth/login') && busy-- > 0
          ? { status: 503, text: '{"error":{"message":"busy"}}' }
          : { status: 200, text: JSON.stringify({ token: LOGIN_TOKEN }) };
    const { paths, reported, headers, calls } = await run(GET, ALICE, { answer });
    expect(reported).toEqual([]);
    expect(paths).toEqual(['/auth/login/init', '/auth/login', '/auth/login/init', '/auth/login']);
    expect(calls.filter((c) => c.startsWith('sleep'))).toHaveLength(1);
    expect(headers).toEqual({ Authorization: `Bearer ${LOGIN_TOKEN}` });
  });

  it('a client that cannot keep the token says so: every request logs in', async () => {
    expect((await run(GET, ALICE, { keeps: 'none' })).logs[0]).toMatch(/; this client cannot keep authToken: each request logs in$/);
  });
});

describe('"Complete User Login" (POST /auth/login as a request)', () => {
  const LOGIN: FakeRequest = {
    method: 'POST',
    url: 'https://api.dfns.io/auth/login',
    body: '{"challengeIdentifier":"","firstFactor":{"kind":"Key","credentialAssertion":{"credId":"","clientData":"","signature":""}}}',
  };

  it('gets the signed login challenge as its body, and no token', async () => {
    const { paths, written, headers, logs, reported, sent } = await run(LOGIN, ALICE);
    expect(reported).toEqual([]);
    expect(paths).toEqual(['/auth/login/init']);
    expect(sent[0].headers.Authorization).toBeUndefined();
    expect(written).toHaveLength(1);
    const body = JSON.parse(written[0]);
    expect(body).toMatchObject({ challengeIdentifier: CHALLENGE.challengeIdentifier, firstFactor: { kind: 'Key' } });
    expect(Object.keys(body.firstFactor.credentialAssertion)).toEqual(['credId', 'clientData', 'signature']);
    expect(headers).toEqual({ 'Content-Type': 'application/json' });
    expect(logs).toEqual(['Dfns signer: POST /auth/login logs in as alice@example.com with cr-1 (ECDSA P-256)']);
  });

  it('is left as written: without dfnsUsername, or with a challengeIdentifier of its own', async () => {
    expect((await run(LOGIN, { credentialPrivateKey: PEM })).calls).not.toContain('replaceBody');
    const own = { ...LOGIN, body: '{"challengeIdentifier":"mine","firstFactor":{}}' };
    const { calls, paths } = await run(own, ALICE);
    expect(calls).not.toContain('replaceBody');
    expect(paths).toEqual([]);
  });

  it('a client that cannot write the body: sent as written, with one line', async () => {
    const { logs, paths } = await run(LOGIN, ALICE, { unwritable: true });
    expect(paths).toEqual([]);
    expect(logs).toEqual(['Dfns signer: POST /auth/login sent as written: this client cannot write its body']);
  });
});

describe('a login that fails sends nothing more, writes nothing, and names the fix', () => {
  const refused =
    (message: string, status = 401) =>
    () => ({ status, text: JSON.stringify({ error: { message } }) });
  const initThen = (complete: FakeOptions['answer']) => (r: { url: string }) =>
    r.url.endsWith('/init') ? { status: 200, text: JSON.stringify(CHALLENGE) } : complete!(r as any);
  it.each([
    [
      'unknown user',
      ALICE,
      refused('User not found'),
      'login-user-unknown',
      /^Dfns signer: Dfns knows no user "alice@example\.com" in org or-1 \(POST \/auth\/login\/init with 401: "User not found"\)\. Set dfnsUsername/,
    ],
    ['wrong org', ALICE, refused('Org not found'), 'login-org-unknown', /Dfns knows no org or-1 .*Set dfnsOrgId to your org's id/],
    [
      'no org anywhere',
      { ...ALICE, dfnsOrgId: '' },
      undefined,
      'login-org-missing',
      /dfnsOrgId is not set, and no authToken names the org/,
    ],
    [
      'no key',
      { ...ALICE, credentialPrivateKey: '' },
      undefined,
      'key-missing',
      /credentialPrivateKey is not set, and logging in as dfnsUsername needs it/,
    ],
    [
      'a key that is not a login credential of the user',
      ALICE,
      initThen(refused('Signature verification failed.')),
      'login-not-credential',
      /credentialPrivateKey is not the key of cr-1, a login credential of "alice@example\.com" \(POST \/auth\/login with 401/,
    ],
    [
      'a second factor asked at completion',
      ALICE,
      initThen(refused('Second factor required.')),
      'login-second-factor',
      /needs a second factor/,
    ],
    ['Dfns down at login', ALICE, refused('Internal Server Error', 500), 'dfns-refused', /Dfns refused POST \/auth\/login\/init with 500/],
  ] as const)('%s', async (_name, variables, answer, code, message) => {
    const { reported, calls, headers, paths } = await run(POST, variables, { answer });
    expect(reported.map((e) => e.code)).toEqual([code]);
    expect(reported[0].message).toMatch(message);
    expect(reported[0].message.split('\n')).toHaveLength(1);
    expect(paths.filter((p) => !p.startsWith('/auth/login'))).toEqual([]);
    expect(calls).not.toContain('keepToken');
    expect(headers).toEqual({});
  });
});
