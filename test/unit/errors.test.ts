// Every failure has a stable code (src/errors/index.ts), every code is raised by the code path that
// owns it (each is produced here through that path, not found as a string), and the README's
// troubleshooting table lists exactly these codes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { TimedOut } from '../../src/clients/client';
import { insomniaClient } from '../../src/clients/insomnia';
import { postmanClient } from '../../src/clients/postman';
import { asSignerError, ERROR_CODES, type ErrorCode } from '../../src/errors';
import { signRequest } from '../../src/flow';
import { readPrivateKey } from '../../src/keys/index';
import { refuseInsecure } from '../../src/protocol/apiHost';
import { readTimeout } from '../../src/protocol/network';
import { readToken, secondsLeft } from '../../src/protocol/token';
import { pickCredential, readChallenge } from '../../src/protocol/userAction';
import { parseUrl, refusePath } from '../../src/request';
import { CHALLENGE, type FakeOptions, type FakeRequest, fakeClient } from '../support/fake-client';
import { fakePostman } from '../support/fakes/postman';

const root = new URL('../../', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(join(root, 'test/fixtures/keys', name), 'utf8');
const BUNDLE = readFileSync(join(root, 'dist/dfns-signer.js'), 'utf8');

const NOW = Date.UTC(2026, 11, 1);
const jwt = (claims: object) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const TOKEN = jwt({ exp: NOW / 1000 + 3600 });
const POST: FakeRequest = { method: 'POST', url: 'https://api.dfns.io/wallets', body: '{}' };
const flow = (options: FakeOptions & { request?: FakeRequest }) =>
  signRequest(
    fakeClient(options.request ?? POST, { variables: { authToken: TOKEN, credentialPrivateKey: fixture('p256-genpkey.pem') }, ...options })
      .client,
    () => NOW,
  );
const challenge = (key: { id: string }[]) => readChallenge({ ...CHALLENGE, allowCredentials: { key } });
/** Logging in as alice (dfnsUsername) before a POST, with Dfns answering the login steps as `answer` says. */
const login = (answer: FakeOptions['answer'], variables: Record<string, string> = { dfnsOrgId: 'or-1' }) =>
  flow({ variables: { dfnsUsername: 'alice@example.com', credentialPrivateKey: fixture('p256-genpkey.pem'), ...variables }, answer });
const loginInit = (json: object) => () => ({ status: 200, text: JSON.stringify({ ...CHALLENGE, ...json }) });
const refused = (message: string) => () => ({ status: 401, text: JSON.stringify({ error: { message } }) });

/** A Postman `pm` holding one request, enough for the adapter to read it. */
const pmWith = (body: object) => ({
  request: {
    method: 'POST',
    url: { toString: () => 'https://api.dfns.io/wallets', variables: { each() {} }, path: ['wallets'] },
    headers: { each() {} },
    body,
  },
  variables: { get: () => undefined, replaceIn: (text: string) => text },
});
/** An Insomnia `insomnia` holding one request whose URL renders as `render` says. */
const insomniaWith = (url: string, render: (template: string) => string) => ({
  request: { method: 'POST', url: { toString: () => url }, headers: { each() {} }, pathParameters: [] },
  variables: { get: () => undefined, replaceIn: render },
});
let rendered = 0;

/** Each code, raised by the code that owns it. */
const RAISED: Record<ErrorCode, () => unknown> = {
  'client-unsupported': () => vm.runInNewContext(BUNDLE.split('\n').slice(0, -1).join('\n'), {}),
  'url-no-host': () => parseUrl('https:///wallets'),
  'url-insecure': () => refuseInsecure(parseUrl('http://api.dfns.io/wallets')),
  'url-dot-segments': () => refusePath(parseUrl('https://api.dfns.io/wallets/../keys')),
  'url-malformed': () => refusePath(parseUrl('https://api.dfns.io/wallets/a%b/tags')),
  'template-unresolved': () => flow({ request: { ...POST, body: '{"name":"{{walletName}}"}' } }),
  'template-empty': () =>
    signRequest(
      postmanClient(
        fakePostman(
          { method: 'PUT', url: 'https://api.dfns.io/wallets/:walletId', pathVariables: { walletId: '' } },
          { variables: { authToken: TOKEN } },
        ).pm,
      ),
      () => NOW,
    ),
  'url-ambiguous': () => signRequest(insomniaClient(insomniaWith("https://api.dfns.io/wallets/it's", (t) => t)), () => NOW),
  'template-dynamic': () =>
    signRequest(
      insomniaClient(insomniaWith('https://api.dfns.io/wallets/{% uuid %}', () => `https://api.dfns.io/wallets/${++rendered}`)),
      () => NOW,
    ),
  'body-not-json': () => postmanClient(pmWith({ mode: 'urlencoded' })).body(),
  'body-unwritable': () =>
    flow({
      request: { method: 'POST', url: 'https://api.dfns.io/auth/credentials', body: '{}' },
      variables: {
        authToken: TOKEN,
        credentialPrivateKey: fixture('p256-genpkey.pem'),
        newCredentialPrivateKey: fixture('p256-genpkey.pem'),
      },
      unwritable: true,
    }),
  'registration-setup': () =>
    flow({
      request: { method: 'POST', url: 'https://api.dfns.io/auth/registration', body: '{}' },
      variables: { dfnsRegistrationCode: 'X' },
    }),
  'token-missing': () => readToken(undefined),
  'token-malformed': () => readToken('not-a-token'),
  'token-expired': () => secondsLeft(readToken(jwt({ exp: NOW / 1000 - 1 })), NOW),
  'token-conflict': () => flow({ request: { ...POST, headers: { Authorization: 'Bearer another-token' } } }),
  'key-missing': () => readPrivateKey(''),
  'key-public': () => readPrivateKey(fixture('refuse-public-spki.pem')),
  'key-certificate': () => readPrivateKey(fixture('refuse-certificate.pem')),
  'key-encrypted': () => readPrivateKey(fixture('refuse-encrypted-pkcs8.pem')),
  'key-foreign-format': () => readPrivateKey(fixture('refuse-putty.ppk')),
  'key-damaged': () => readPrivateKey(fixture('p256-genpkey.pem').slice(0, 120)),
  'key-unsupported': () => readPrivateKey(fixture('refuse-x25519.pem')),
  'key-not-a-key': () => readPrivateKey('my key is in the vault'),
  'credential-none': () => pickCredential(challenge([]), undefined),
  'credential-ambiguous': () => pickCredential(challenge([{ id: 'cr-1' }, { id: 'cr-2' }]), undefined),
  'credential-unknown': () => pickCredential(challenge([{ id: 'cr-1' }]), 'cr-9'),
  'login-user-unknown': () => login(refused('User not found')),
  'login-org-unknown': () => login(refused('Org not found')),
  'login-org-missing': () => login(undefined, {}),
  'login-not-credential': () => login(loginInit({ allowCredentials: { key: [], webauthn: [{ id: 'pk-1' }] } })),
  'login-second-factor': () =>
    login(loginInit({ supportedCredentialKinds: [{ kind: 'Key', factor: 'first', requiresSecondFactor: true }] })),
  'dfns-unreachable': () => flow({ answer: () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
  'dfns-refused': () => flow({ answer: () => ({ status: 401, text: '{"error":{"message":"Not Authorized."}}' }) }),
  'dfns-not-api': () => flow({ answer: () => ({ status: 200, text: '<html>' }) }),
  'dfns-redirected': () => flow({ answer: () => ({ status: 307, text: '', headers: { location: 'https://elsewhere.example/' } }) }),
  'dfns-timeout': () => flow({ answer: () => new TimedOut(30_000) }),
  'dfns-throttled': () => flow({ answer: () => ({ status: 429, text: '', headers: { 'retry-after': '60' } }) }),
  'timeout-invalid': () => readTimeout('soon'),
  internal: () => {
    throw asSignerError(new TypeError('x is undefined'));
  },
};

async function codeOf(raise: () => unknown): Promise<string | undefined> {
  try {
    await raise();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('error codes', () => {
  it('are unique', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it.each(ERROR_CODES.map((code) => [code]))('%s is raised by the code that owns it', async (code) => {
    expect(await codeOf(RAISED[code])).toBe(code);
  });

  it('are exactly the codes of the README troubleshooting table', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## How it works'));
    const listed = table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => line.split('|')[1].match(/`[a-z-]+`/g) ?? [])
      .map((code) => code.slice(1, -1));
    expect([...new Set(listed)].sort()).toEqual([...ERROR_CODES].sort());
  });
});
