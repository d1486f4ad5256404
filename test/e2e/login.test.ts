// Logging in with the credential key (dfnsUsername, issue 17 part 1) in every client's real runtime,
// against the emulator's login family: one login for the run, the token kept by the client's own
// means for the next requests, never printed; a failed login stops the request with one line and
// sends nothing more. One CLI run per client and case.

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../emulator/emulator.mjs';
import { PLUGIN_DIR } from '../../scripts/build-insomnia.mjs';
import { apidogCollection, runApidog } from '../support/apidog';
import { runBru, SANDBOXES } from '../support/bruno';
import { collection as hoppCollection, environment as hoppEnvironment, runHopp } from '../support/hoppscotch';
import { BUNDLE as HTTPYAC_BUNDLE, runHttpyac, writeHttpyacDir } from '../support/httpyac';
import {
  type InsomniaRequest,
  type InsomniaWorkspace,
  type RequestHook,
  runPreRequestScript,
  runRequestHook,
  type ScriptOptions,
} from '../support/insomnia-harness';
import { useLab } from '../support/lab';
import { collection, type ItemSpec, RUNTIMES, runNewman } from '../support/postman';

const lab = useLab();
const USERNAME = 'alice@example.com';
let alice = { userId: '', token: '' };

beforeAll(() => {
  alice = lab.emu.addUser({
    username: USERNAME,
    kind: 'CustomerEmployee',
    credentials: [{ id: 'cr-alice', publicKey: lab.key.publicKey }],
  });
});

/** Variables of a user who logs in: no authToken at all. */
const loginVars = (extra: Record<string, string> = {}) => {
  const { authToken, ...rest } = lab.vars({ dfnsUsername: USERNAME, dfnsOrgId: lab.emu.orgId });
  return { ...rest, ...extra };
};

const paths = (log: RequestLogEntry[]) => log.map((r) => `${r.method} ${r.path} ${r.status}`);
/** The tokens the emulator issued at POST /auth/login, read from its request log's answers is not possible: from the main requests. */
const bearer = (r: RequestLogEntry) => String(r.headers.authorization ?? '').replace(/^Bearer /, '');
const isLoginToken = (token: string) => {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}');
  return claims['https://custom/username'] === USERNAME && claims['https://custom/app_metadata']?.tokenKind === 'Token';
};

/** One login, then the run's requests all carry the token it gave; nothing printed holds it. */
function expectOneLogin(expected: string[], output: string, log = lab.emu.requests) {
  expect(paths(log.filter((r) => r.path.startsWith('/auth/login')))).toEqual(['POST /auth/login/init 200', 'POST /auth/login 200']);
  expect(log.filter((r) => r.path.startsWith('/auth/login')).every((r) => r.headers.authorization === undefined)).toBe(true);
  const main = log.filter((r) => !r.path.startsWith('/auth/login') && !r.path.startsWith('/auth/action'));
  expect(paths(main)).toEqual(expected);
  const tokens = new Set(main.map(bearer));
  expect(tokens.size).toBe(1);
  const [token] = tokens;
  expect(isLoginToken(token)).toBe(true);
  expect(output).not.toContain(token.split('.')[1]);
  expect(output).toContain(`Dfns signer: logged in as ${USERNAME} with cr-alice (ECDSA P-256)`);
}

const RUN = ['GET /wallets 200', 'POST /wallets 200', 'GET /wallets 200'];

/** Requests of the generated Postman collection by name, as committed (run with dfnsApiScheme http: the emulator has no TLS). */
function generatedItems(names: string[]) {
  const generated = JSON.parse(readFileSync(new URL('../../collections/dfns-api.postman_collection.json', import.meta.url), 'utf8'));
  const all: any[] = [];
  const walk = (items: any[]) => {
    for (const it of items) Array.isArray(it.item) ? walk(it.item) : all.push(it);
  };
  walk(generated.item);
  return {
    ...generated,
    item: names.map((name) => all.find((it) => it.name === name)),
  };
}

describe.each(RUNTIMES)('newman: %s', (runtime) => {
  const items: ItemSpec[] = [
    { method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
    { method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' },
    { method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
  ];

  it('an expired authToken and no dfnsOrgId: logs in once to the org the token names, the token kept in the environment', async () => {
    const expired = lab.emu.token({ userId: alice.userId, expiresInSeconds: -60 });
    const { dfnsOrgId, ...vars } = loginVars({ authToken: expired });
    const report = await runNewman(runtime, { collection: collection(items), env: vars });
    expect(report.failures).toEqual([]);
    expectOneLogin(RUN, report.consoleLines.join('\n'));
    expect(report.consoleLines[0]).toMatch(/; authToken kept in the environment for the next requests$/);
    expect(isLoginToken(String(report.variables.environment.find((v) => v.key === 'authToken')?.value))).toBe(true);
  });

  it('the generated collection: Complete User Login logs in and keeps the token, Check my setup passes, the rest uses it', async () => {
    const report = await runNewman(runtime, {
      collection: generatedItems(['Complete User Login', 'Check my setup', 'List Wallets', 'Create Wallet']),
      env: loginVars({ dfnsApiScheme: 'http' }),
    });
    expect(report.failures).toEqual([]);
    expect(paths(lab.emu.requests)).toEqual([
      'POST /auth/login/init 200',
      'POST /auth/login 200',
      'GET /auth/credentials 200',
      'GET /wallets 200',
      'POST /auth/action/init 200',
      'POST /auth/action 200',
      'POST /wallets 200',
    ]);
    const main = lab.emu.mainRequests().filter((r) => r.path !== '/auth/login/init');
    expect(main[0].headers.authorization).toBeUndefined();
    const token = bearer(main[1]);
    expect(isLoginToken(token)).toBe(true);
    expect(main.slice(1).every((r) => bearer(r) === token)).toBe(true);
    const output = report.consoleLines.join('\n');
    expect(output).toContain(`Dfns signer: POST /auth/login logs in as ${USERNAME} with cr-alice (ECDSA P-256)`);
    expect(output).not.toContain(token.split('.')[1]);
    expect(isLoginToken(String(report.variables.environment.find((v) => v.key === 'authToken')?.value))).toBe(true);
  });

  // The failure path is the one every refusal takes (test/e2e/failures.test.ts): one runtime is enough.
  it.runIf(runtime === 'newman-6.2')('an unknown user: one line per request, nothing but the login init sent', async () => {
    const report = await runNewman(runtime, {
      collection: collection(items.slice(0, 2)),
      env: loginVars({ dfnsUsername: 'bob@example.com' }),
    });
    expect(report.failures.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^Dfns signer: Dfns knows no user "bob@example\.com" in org or-\S+ \(POST \/auth\/login\/init with 401: "User not found"\)\. Set dfnsUsername/,
      ),
      expect.stringMatching(/^Dfns signer: Dfns knows no user/),
    ]);
    expect(paths(lab.emu.requests)).toEqual(['POST /auth/login/init 401', 'POST /auth/login/init 401']);
  });
});

describe.each(SANDBOXES)('Bruno (bru run, %s sandbox), the generated collection', (sandbox) => {
  it('logs in once for the run (bru.setEnvVar keeps the token); Check my setup passes', async () => {
    // collections/bruno as committed, with the requests that take no path parameter (dfnsApiScheme http: the emulator has no TLS).
    const dir = mkdtempSync(join(tmpdir(), 'dfns-bruno-login-'));
    cpSync(new URL('../../collections/bruno', import.meta.url), dir, { recursive: true });
    for (const name of ['Update Wallet.bru', 'Delete Webhook.bru']) rmSync(join(dir, name));
    renameSync(join(dir, 'environments', 'Dfns.bru'), join(dir, 'environments', 'local.bru'));
    // Last, a request whose own variables log in as someone Dfns does not know: one line, not sent.
    const bob = 'vars:pre-request {\n  dfnsUsername: bob@example.com\n  authToken: none\n}\n';
    writeFileSync(
      join(dir, 'Not Alice.bru'),
      `meta {\n  name: Not Alice\n  type: http\n  seq: 9\n}\n\nget {\n  url: http://{{dfnsApiDomain}}/wallets\n  body: none\n  auth: none\n}\n\n${bob}`,
    );
    const vars = loginVars({ dfnsApiScheme: 'http' });
    const run = await runBru(dir, sandbox, { ...vars, credentialPrivateKey: vars.credentialPrivateKey.trim().split('\n').join('\\n') });
    expect(
      run.results.map((r) => `${r.name} ${r.status}`),
      run.stdout + run.stderr,
    ).toEqual(['List Wallets pass', 'Create Wallet pass', 'Check my setup pass', 'Not Alice error']);
    expect(run.code).toBe(1);
    expect(run.results[3].error).toMatch(
      /^Dfns signer: Dfns knows no user "bob@example\.com" in org or-\S+ \(POST \/auth\/login\/init with 401: "User not found"\)\. [^\n]*$/,
    );
    const bobs = lab.emu.requests.filter((r) => r.body.includes('bob@example.com'));
    expect(paths(bobs)).toEqual(['POST /auth/login/init 401']);
    const log = lab.emu.requests.filter((r) => !bobs.includes(r));
    expectOneLogin(['GET /wallets 200', 'POST /wallets 200', 'GET /auth/credentials 200'], run.stdout + run.stderr, log);
    expect(run.stdout).toContain('Dfns setup: a signed request would work');
  });
});

describe('Hoppscotch (hopp test)', { timeout: 240_000 }, () => {
  it('logs in once for the run: hopp.env.set keeps the token', async () => {
    const requests = [
      { name: 'list', method: 'GET', url: 'http://<<dfnsApiDomain>>/wallets' },
      { name: 'create', method: 'POST', url: 'http://<<dfnsApiDomain>>/wallets', json: '{"network":"Bitcoin"}' },
      { name: 'again', method: 'GET', url: 'http://<<dfnsApiDomain>>/wallets' },
    ];
    const r = await runHopp(hoppCollection(requests), hoppEnvironment(loginVars()));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expectOneLogin(RUN, r.stdout + r.stderr);
  });
});

describe('httpyac (httpyac send --all)', () => {
  it('logs in: $context.variables keeps the token for the next requests of the file', async () => {
    const hook = "{{+request\n  await require('./dfns-signer.cjs').sign({ request, $context })\n}}\n";
    const file = `${hook}
###
# @name list
GET http://{{dfnsApiDomain}}/wallets

###
# @name create
POST http://{{dfnsApiDomain}}/wallets
Content-Type: application/json

{"network":"Bitcoin"}

###
# @name again
GET http://{{dfnsApiDomain}}/wallets

###
# @name bob
@dfnsUsername = bob@example.com
@authToken = none
GET http://{{dfnsApiDomain}}/wallets
`;
    const r = await runHttpyac(writeHttpyacDir({ 'requests.http': file, 'dfns-signer.cjs': HTTPYAC_BUNDLE }), {
      vars: loginVars(),
      json: false,
    });
    // The last request logs in as someone Dfns does not know: its one line, not sent, exit 10.
    expect(r.code, r.stdout + r.stderr).toBe(10);
    expect(r.stdout).toMatch(/✖ Dfns signer: Dfns knows no user "bob@example\.com" in org or-\S+ \(POST \/auth\/login\/init with 401/);
    const bobs = lab.emu.requests.filter((q) => q.body.includes('bob@example.com'));
    expect(paths(bobs)).toEqual(['POST /auth/login/init 401']);
    expectOneLogin(
      RUN,
      r.stdout + r.stderr,
      lab.emu.requests.filter((q) => !bobs.includes(q)),
    );
  });
});

describe("the README's login recipe, run as written (newman)", () => {
  it('the generated collection, the environment template and the secrets from the shell: one login, List Wallets and a signed Create Wallet', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Log in with the credential key'), readme.indexOf('## Know who you are'));
    const command = /```sh\n([\s\S]*?)\n```/.exec(section)![1];
    expect(command).toMatch(/^npx newman run collections\/dfns-api\.postman_collection\.json \\\n/);
    // A folder of the project laid out like it (npx finds newman upwards), the collection as committed, and the
    // template naming the emulator (dfnsApiScheme http: it has no TLS).
    mkdirSync(new URL('../../.tmp/', import.meta.url), { recursive: true });
    const dir = mkdtempSync(join(new URL('../../.tmp/', import.meta.url).pathname, 'login-readme-'));
    mkdirSync(join(dir, 'collections'));
    const root = new URL('../../collections/', import.meta.url);
    cpSync(new URL('dfns-api.postman_collection.json', root), join(dir, 'collections', 'dfns-api.postman_collection.json'));
    const template = JSON.parse(readFileSync(new URL('dfns.postman_environment.json', root), 'utf8'));
    for (const v of template.values) if (v.key === 'dfnsApiDomain') v.value = lab.dfnsHost;
    for (const v of template.values) if (v.key === 'dfnsApiScheme') v.value = 'http';
    writeFileSync(join(dir, 'collections', 'dfns.postman_environment.json'), JSON.stringify(template));
    const run = await promisify(execFile)('/bin/sh', ['-c', command], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DFNS_USERNAME: USERNAME, DFNS_ORG_ID: lab.emu.orgId, DFNS_PRIVATE_KEY: lab.key.privatePem },
    });
    // newman's CLI reporter wraps a console line in a box: joined back.
    expectOneLogin(['GET /wallets 200', 'POST /wallets 200'], (run.stdout + run.stderr).replace(/\n {2}│ /g, ''));
    expect(run.stdout + run.stderr).not.toContain(lab.key.privatePem.split('\n')[1]);
  });
});

describe('Apidog (apidog run)', () => {
  it('logs in once for the run: pm.environment keeps the token', async () => {
    const items: ItemSpec[] = [
      { name: 'list', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
      { name: 'create', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' },
      { name: 'again', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
    ];
    const vars = loginVars();
    const r = await runApidog(apidogCollection(items), {
      envVars: { ...vars, credentialPrivateKey: vars.credentialPrivateKey.trim().split('\n').join('\\n') },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expectOneLogin(RUN, `${r.console.join('\n')}\n${r.stdout}${r.stderr}`);
  });
});

describe('Insomnia (the harness built from its sources)', () => {
  const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');
  const requests: InsomniaRequest[] = [
    { url: 'http://{{ _.dfnsApiDomain }}/wallets', method: 'GET', body: {} },
    {
      url: 'http://{{ _.dfnsApiDomain }}/wallets',
      method: 'POST',
      body: { mimeType: 'application/json', text: '{"network":"Bitcoin"}' },
      headers: [{ name: 'Content-Type', value: 'application/json' }],
    },
    { url: 'http://{{ _.dfnsApiDomain }}/wallets', method: 'GET', body: {} },
  ];
  it.each([
    ['Insomnia 10', { version: '10' }],
    ['the newest sources, script sandbox off', { version: 'newest', sandbox: false }],
  ] as [string, ScriptOptions][])('script, %s: logs in once, insomnia.environment keeps the token', async (_name, options) => {
    const { dfnsApiDomain, ...environment } = loginVars();
    const ws: InsomniaWorkspace = { baseEnvironment: { dfnsApiDomain }, environment };
    const outcomes = [];
    for (const request of requests) outcomes.push(await runPreRequestScript(BUNDLE, request, ws, options));
    expect(outcomes.map((o) => o.error ?? o.status)).toEqual([200, 200, 200]);
    expectOneLogin(RUN, outcomes.flatMap((o) => o.logs).join('\n'));
    expect(isLoginToken(String(ws.environment?.authToken))).toBe(true);
    // Someone Dfns does not know: the script fails with the one line, nothing is sent, nothing is saved.
    const before = lab.emu.requests.length;
    const kept = ws.environment?.authToken;
    const bob = { ...ws, environment: { ...ws.environment, dfnsUsername: 'bob@example.com', authToken: '' } };
    const failed = await runPreRequestScript(BUNDLE, requests[0], bob, options);
    expect(failed.error).toMatch(/Dfns signer: Dfns knows no user "bob@example\.com" in org or-\S+ \(POST \/auth\/login\/init with 401/);
    expect(failed.sent).toBeUndefined();
    expect(paths(lab.emu.requests.slice(before))).toEqual(['POST /auth/login/init 401']);
    expect(bob.environment.authToken).toBe('');
    expect(ws.environment?.authToken).toBe(kept);
  });

  it('plugin (no store the signer keeps a token in): each request logs in, and says so', async () => {
    const plugin = createRequire(import.meta.url)(join(PLUGIN_DIR, 'main.js'));
    const hook: RequestHook = (context) => plugin.requestHooks[0](context);
    const { dfnsApiDomain, ...environment } = loginVars();
    const ws: InsomniaWorkspace = { baseEnvironment: { dfnsApiDomain }, environment };
    const outcomes = [];
    for (const request of requests) outcomes.push(await runRequestHook(hook, request, ws, { version: 'newest' }));
    expect(outcomes.map((o) => o.error ?? o.status)).toEqual([200, 200, 200]);
    expect(paths(lab.emu.requests.filter((r) => r.path === '/auth/login'))).toEqual(RUN.map(() => 'POST /auth/login 200'));
    expect(outcomes.flatMap((o) => o.logs).filter((l) => l.includes('logged in'))).toEqual(
      RUN.map(
        () => `Dfns signer: logged in as ${USERNAME} with cr-alice (ECDSA P-256); this client cannot keep authToken: each request logs in`,
      ),
    );
  });
});
