// The flow with a client in memory: the order of the steps, which requests it leaves alone, and that
// every failure is reported once and sends nothing. Milliseconds per test; each names its rule.
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/errors';
import { emptyPathVariable } from '../../src/errors/request';
import { signOrFail, signRequest } from '../../src/flow';
import { CHALLENGE, type FakeOptions, type FakeRequest, fakeClient } from '../support/fake-client';

const NOW = Date.UTC(2026, 11, 1);
const now = () => NOW;
const jwt = (exp: number) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
const TOKEN = jwt(NOW / 1000 + 3600);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const vars = (extra: Record<string, string> = {}) => ({ authToken: TOKEN, credentialPrivateKey: PEM, ...extra });
const POST: FakeRequest = { method: 'POST', url: 'https://api.dfns.io/wallets', body: '{"network":"Bitcoin"}' };

async function sign(request: FakeRequest, variables: Record<string, string> = vars(), options: FakeOptions = {}) {
  const fake = fakeClient(request, { variables, ...options });
  const error = await signOrFail(fake.client, now);
  return { ...fake, error };
}

describe('a signed request', () => {
  it('goes client → request facts → challenge → signature → headers, writing back only once everything was read', async () => {
    const { calls, sent, headers, reported } = await sign(POST);
    expect(reported).toEqual([]);
    expect(calls).toEqual([
      'request',
      'variable dfnsApiDomain',
      'variable authToken',
      'variable dfnsUsername',
      'variable credentialPrivateKey',
      'body',
      'variable dfnsTimeoutSeconds',
      'send /auth/action/init',
      'variable credentialId',
      'send /auth/action',
      'freeze',
      'setHeader X-DFNS-USERACTION',
      'log',
      'setHeader Authorization',
    ]);
    expect(JSON.parse(sent[0].body)).toEqual({
      userActionServerKind: 'Api',
      userActionHttpMethod: 'POST',
      userActionHttpPath: '/wallets',
      userActionPayload: '{"network":"Bitcoin"}',
    });
    const complete = JSON.parse(sent[1].body);
    const clientData = Buffer.from(complete.firstFactor.credentialAssertion.clientData, 'base64url');
    expect(JSON.parse(clientData.toString())).toEqual({ type: 'key.get', challenge: CHALLENGE.challenge });
    expect(
      verify(
        'sha256',
        clientData,
        { key: publicKey, dsaEncoding: 'der' },
        Buffer.from(complete.firstFactor.credentialAssertion.signature, 'base64url'),
      ),
    ).toBe(true);
    expect(sent.every((r) => r.headers.Authorization === `Bearer ${TOKEN}` && r.url.startsWith('https://api.dfns.io/auth/action'))).toBe(
      true,
    );
    expect(headers).toEqual({ 'X-DFNS-USERACTION': 'ua-1', Authorization: `Bearer ${TOKEN}` });
  });

  it('sends the exchange to the request origin that dfnsApiDomain names, port included', async () => {
    const { sent, reported } = await sign({ ...POST, url: 'http://127.0.0.1:8080/wallets' }, vars({ dfnsApiDomain: '127.0.0.1:8080' }));
    expect(reported).toEqual([]);
    expect(sent.map((r) => r.url)).toEqual(['http://127.0.0.1:8080/auth/action/init', 'http://127.0.0.1:8080/auth/action']);
  });
});

describe('requests the signer leaves alone', () => {
  it('another host: nothing written, nothing sent, not even the token; a state-changing one gets one line', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const { calls, logs, reported } = await sign(
        { ...POST, method, url: 'https://hooks.example.com/x' },
        vars({ dfnsApiDomain: 'api.dfns.io' }),
      );
      expect(reported).toEqual([]);
      expect(calls).toEqual(['request', 'variable dfnsApiDomain', 'log']);
      expect(logs).toEqual([`Dfns signer: ${method} not signed: hooks.example.com is not a Dfns API host (dfnsApiDomain is api.dfns.io)`]);
    }
  });

  it('a GET to another host: not a word', async () => {
    const { calls } = await sign({ method: 'GET', url: 'https://explorer.example.com/tx/1' });
    expect(calls).toEqual(['request', 'variable dfnsApiDomain']);
  });

  it('a GET to Dfns: the token only', async () => {
    const { calls, headers } = await sign({ method: 'GET', url: 'https://api.dfns.io/wallets?limit=2' });
    expect(calls).not.toContain('variable credentialPrivateKey');
    expect(calls).not.toContain('freeze');
    expect(headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  it('an endpoint that takes no user action: the token only', async () => {
    const { calls, headers } = await sign({ ...POST, url: 'https://api.dfns.io/swaps/quotes' });
    expect(calls.filter((c) => c.startsWith('send'))).toEqual([]);
    expect(headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  it('the two login steps: not even the token (they take none), with or without authToken set', async () => {
    for (const path of ['/auth/login/init', '/auth/login']) {
      for (const variables of [vars(), { credentialPrivateKey: PEM }]) {
        const { calls, headers, reported } = await sign({ ...POST, url: `https://api.dfns.io${path}` }, variables);
        expect(reported).toEqual([]);
        expect(calls.filter((c) => c.startsWith('send') || c.startsWith('set') || c === 'replaceBody')).toEqual([]);
        expect(headers).toEqual({});
      }
    }
  });

  it('a request that carries its own X-DFNS-USERACTION and Authorization: nothing written', async () => {
    const { headers, sent } = await sign({ ...POST, headers: { 'x-dfns-useraction': 'mine', authorization: 'Bearer other' } });
    expect(sent).toEqual([]);
    expect(headers).toEqual({});
  });

  it('a request whose own Authorization is Bearer authToken (a header or its auth setting) keeps it, and is still signed', async () => {
    const owns: Partial<FakeRequest>[] = [
      { auth: `Bearer ${TOKEN}` },
      { headers: { authorization: `Bearer ${TOKEN}` } },
      { headers: { Authorization: ` bearer  ${TOKEN} ` } },
    ];
    for (const own of owns) {
      const { headers, reported } = await sign({ ...POST, ...own });
      expect(reported).toEqual([]);
      expect(headers).toEqual({ 'X-DFNS-USERACTION': 'ua-1' });
    }
  });

  it('a GET with another Authorization of its own: kept, nothing added, nothing refused (no user action is obtained for it)', async () => {
    const { headers, reported } = await sign({
      method: 'GET',
      url: 'https://api.dfns.io/wallets',
      headers: { Authorization: 'Bearer other' },
    });
    expect(reported).toEqual([]);
    expect(headers).toEqual({});
  });

  it('a host still a variable (set later by a request-level script): left alone, as any other host; a state-changing one gets one line', async () => {
    const { calls, logs, reported } = await sign({ ...POST, url: 'http://{{explorer}}/hooks' }, vars({ dfnsApiDomain: 'api.dfns.io' }));
    expect(reported).toEqual([]);
    expect(calls).toEqual(['request', 'variable dfnsApiDomain', 'log']);
    expect(logs).toEqual([
      'Dfns signer: POST not signed: {{explorer}} is not resolved yet, so not known to be a Dfns API host (dfnsApiDomain is api.dfns.io)',
    ]);
    expect((await sign({ method: 'GET', url: '{{explorer}}/tx/1' })).calls).toEqual(['request', 'variable dfnsApiDomain']);
  });

  it('what would make a Dfns request unsendable is nothing to another host', async () => {
    const unsendable = emptyPathVariable('id', undefined, '');
    const { reported, logs } = await sign({ ...POST, url: 'https://hooks.example.com/wallets/', unsendable });
    expect(reported).toEqual([]);
    expect(logs).toHaveLength(1);
  });
});

interface FailureCase {
  name: string;
  request?: FakeRequest;
  variables?: Record<string, string>;
  answer?: FakeOptions['answer'];
  code: ErrorCode;
  message: RegExp;
  /** Exchange steps that may have gone out before the failure. */
  sent?: string[];
}

const failures: FailureCase[] = [
  {
    name: 'plain http to a Dfns host that is not this machine',
    request: { ...POST, url: 'http://api.dfns.io/wallets' },
    code: 'url-insecure',
    message: /plain http:\/\/api\.dfns\.io/,
  },
  {
    name: 'a GET over plain http too (the token would travel)',
    request: { method: 'GET', url: 'http://api.dfns.io/wallets' },
    code: 'url-insecure',
    message: /unencrypted/,
  },
  {
    name: 'dfnsApiDomain itself left unresolved in the host',
    request: { method: 'GET', url: 'https://{{dfnsApiDomain}}/wallets' },
    code: 'template-unresolved',
    message: /the request URL's host holds \{\{dfnsApiDomain\}\}/,
  },
  {
    name: 'dfnsApiDomain written with its scheme, in a URL that adds one: a GET too',
    request: { method: 'GET', url: 'https://https://api.dfns.io/wallets' },
    variables: vars({ dfnsApiDomain: 'https://api.dfns.io' }),
    code: 'url-no-host',
    message:
      /^Dfns signer: dfnsApiDomain is https:\/\/api\.dfns\.io, with its scheme, so the request would go to a host named https\. Set dfnsApiDomain to the host only, e\.g\. api\.dfns\.io$/,
  },
  {
    name: 'an empty path variable the adapter found',
    request: {
      ...POST,
      url: 'https://api.dfns.io/wallets/:walletId',
      unsendable: emptyPathVariable('walletId', '{{walletId}}', '--env-var'),
    },
    code: 'template-empty',
    message:
      /^Dfns signer: the path variable walletId is empty\. Give it a value in the Params tab, or the value \{\{walletId\}\} and set walletId \(--env-var walletId=…\)$/,
  },
  {
    name: 'a stray % in the path',
    request: { ...POST, url: 'https://api.dfns.io/wallets/a%b/tags' },
    code: 'url-malformed',
    message: /the request path \/wallets\/a%b\/tags holds a % not followed by two hex digits\. Write it as %25$/,
  },
  {
    name: 'a token far larger than any real one',
    variables: vars({ authToken: `${TOKEN}${'x'.repeat(70000)}` }),
    code: 'token-malformed',
    message: /^Dfns signer: authToken is 70\d{3} characters long, far longer than any Dfns token\./,
  },
  {
    name: 'an Authorization header with another token',
    request: { ...POST, headers: { Authorization: 'Bearer other' } },
    code: 'token-conflict',
    message:
      /^Dfns signer: the request's Authorization \(a header or its auth setting\) is not Bearer authToken, the token the user action is for\. Remove it \(auth: No Auth, also where it inherits from; the signer sets the token\) or set it to Bearer \{\{authToken\}\}$/,
  },
  {
    name: 'an auth setting of another kind',
    request: { ...POST, auth: 'basic' },
    code: 'token-conflict',
    message: /is not Bearer authToken/,
  },
  {
    name: 'authToken pasted with its Bearer prefix, and a header Bearer {{authToken}}',
    request: { ...POST, headers: { Authorization: `Bearer Bearer ${TOKEN}` } },
    variables: vars({ authToken: `Bearer ${TOKEN}` }),
    code: 'token-conflict',
    message: /is not Bearer authToken/,
  },
  {
    name: 'a variable left in the path',
    request: { ...POST, url: 'https://api.dfns.io/wallets/{{walletId}}' },
    code: 'template-unresolved',
    message: /the request URL holds \{\{walletId\}\}, but walletId is not defined when the signer runs/,
  },
  {
    name: 'a variable left in the body (set later by a request-level script)',
    request: { ...POST, body: '{"name":"{{walletName}}"}' },
    code: 'template-unresolved',
    message:
      /^Dfns signer: the request body holds \{\{walletName\}\}, but walletName is not defined when the signer runs \(a request-level script may set it only after the request was signed\)\. Define walletName in the environment or the collection, set it in a script that runs before the signer, use a dynamic variable such as \{\{\$randomUUID\}\}, or run the signer after your own code/,
  },
  { name: 'no token', variables: { credentialPrivateKey: PEM }, code: 'token-missing', message: /authToken is not set/ },
  {
    name: 'an expired token',
    variables: vars({ authToken: jwt(NOW / 1000 - 1) }),
    code: 'token-expired',
    message: /authToken expired at 2026-11-30T23:59:59/,
  },
  {
    name: 'no key',
    variables: { authToken: TOKEN },
    code: 'key-missing',
    message: /credentialPrivateKey is not set, and POST \/wallets needs a user action/,
  },
  {
    name: 'a public key for the private one',
    variables: vars({ credentialPrivateKey: publicKey.export({ format: 'pem', type: 'spki' }).toString() }),
    code: 'key-public',
    message: /holds a PUBLIC key/,
  },
  {
    name: 'Dfns unreachable',
    answer: () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    code: 'dfns-unreachable',
    message: /could not reach https:\/\/api\.dfns\.io\/auth\/action\/init \(ECONNREFUSED\)/,
    sent: ['/auth/action/init'],
  },
  {
    name: 'init refused',
    answer: () => ({ status: 401, text: '{"error":{"message":"Not Authorized."}}' }),
    code: 'dfns-refused',
    message: /Dfns refused POST \/auth\/action\/init with 401: "Not Authorized\."/,
    sent: ['/auth/action/init'],
  },
  {
    name: 'a web page instead of Dfns',
    answer: () => ({ status: 200, text: '<html>' }),
    code: 'dfns-not-api',
    message: /answered 200 with a body that is not JSON/,
    sent: ['/auth/action/init'],
  },
  {
    name: 'complete refused',
    answer: (r) =>
      r.url.endsWith('/init')
        ? { status: 200, text: JSON.stringify(CHALLENGE) }
        : { status: 401, text: '{"error":{"message":"Signature verification failed."}}' },
    code: 'dfns-refused',
    message:
      /Dfns refused POST \/auth\/action with 401: "Signature verification failed\." \(a deactivated credential, or the key of another credential than the token's\)\. Check that credential cr-1 is active \(Dfns dashboard\) and that credentialPrivateKey is its private key$/,
    sent: ['/auth/action/init', '/auth/action'],
  },
  {
    name: 'several credentials offered and no credentialId',
    code: 'credential-ambiguous',
    message: /several Key credentials/,
    answer: (r) =>
      r.url.endsWith('/init')
        ? { status: 200, text: JSON.stringify({ ...CHALLENGE, allowCredentials: { key: [{ id: 'cr-1' }, { id: 'cr-2' }] } }) }
        : { status: 500, text: '' },
    sent: ['/auth/action/init'],
  },
];

describe('every failure is reported once, stops the request, and writes nothing', () => {
  it.each(failures.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { calls, sent, headers, reported } = await sign(c.request ?? POST, c.variables ?? vars(), { answer: c.answer });
    expect(reported.map((e) => e.code)).toEqual([c.code]);
    expect(reported[0].message).toMatch(c.message);
    expect(reported[0].message.split('\n')).toHaveLength(1);
    expect(calls.filter((x) => x === 'report' || x === 'stop')).toEqual(['report', 'stop']);
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual(c.sent ?? []);
    expect(headers).toEqual({});
    expect(calls).not.toContain('freeze');
  });
});

describe('signOrFail hands the script the error to throw only where throwing is how the client stops', () => {
  const failing: FakeRequest = { method: 'POST', url: 'http://api.dfns.io/wallets' };
  it('a client that skips: nothing to throw', async () => {
    expect(await sign(failing, vars(), { stop: 'skipped' }).then((r) => r.error)).toBeUndefined();
  });
  it('a client that stops on a throw: the error', async () => {
    expect(await sign(failing, vars(), { stop: 'throw' }).then((r) => r.error?.code)).toBe('url-insecure');
  });
  it('a client that cannot even record the failure: the error, so the script throws', async () => {
    const { error, calls } = await sign(failing, vars(), { reportThrows: true });
    expect(error?.code).toBe('url-insecure');
    expect(calls).not.toContain('stop');
  });
  it('signRequest itself rejects with the SignerError', async () => {
    await expect(signRequest(fakeClient(failing, { variables: vars() }).client, now)).rejects.toMatchObject({ code: 'url-insecure' });
  });
});
