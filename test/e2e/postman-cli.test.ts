// The official Postman CLI (`postman collection run`, the native binary of postman-cli 1.34.0 from test/clients,
// run offline without a login) with the built bundle as the collection's pre-request script, against the local Dfns
// emulator and a third-party API beside it; and the README's Postman CLI recipes run as written.
// Where the Postman CLI could differ from newman (exit codes, redirects, timeouts, how a stopped request
// is reported), the same collection also goes through newman and the test says which way it is.
// Cost: the CLI's Linux binary (@postman/pm-bin-linux-x64) is about 80 MB to download and 237 MB installed
// (about 6 s for `npm install postman-cli` from an empty cache); one run of the CLI takes 1.5-3 s, so every
// test batches its requests into one run (two where newman runs the same collection). What the CLI runs, and
// why test/clients pins the binary package rather than postman-cli: test/clients/postman-cli.md.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLab } from '../support/lab';
import { collection, type ItemSpec, packageCollection, runNewman } from '../support/postman';
import { LOGIN_LINES, POSTMAN_CLI_VERSION, runPostmanCli, runPostmanShell } from '../support/postman-cli';
import { noDfnsIn } from '../support/third-party';

const ROOT = new URL('../..', import.meta.url).pathname;
const lab = useLab();

const signed = () =>
  lab.emu.mainRequests().map((r) => `${r.method} ${r.path} ${r.status} ${r.headers['x-dfns-useraction'] ? 'signed' : '-'}`);
const secretsIn = (text: string) => [lab.token.split('.')[1], lab.key.privatePem.split('\n')[1]].filter((secret) => text.includes(secret));

/** newman's own CLI (newman 6.2 from the root install), for the exit code and the output a user sees. */
const NEWMAN = createRequire(import.meta.url).resolve('newman/bin/newman.js');
function newmanCli(c: unknown, envVars: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-newman-cli-'));
  writeFileSync(join(dir, 'collection.json'), JSON.stringify(c));
  const vars = Object.entries(envVars).flatMap(([k, v]) => ['--env-var', `${k}=${v}`]);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [NEWMAN, 'run', join(dir, 'collection.json'), ...vars, '--color', 'off', '--disable-unicode', ...args],
      { maxBuffer: 16 << 20, timeout: 90_000 },
      (err, stdout) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout }),
    );
  });
}

describe('the Postman CLI signs with the bundle as the collection pre-request script', () => {
  it('signs POST, PUT and DELETE (dynamic variables, path variables, a commented JSON body), which the emulator accepts; a GET carries only the token; another host gets nothing', async () => {
    const items: ItemSpec[] = [
      { name: 'list wallets', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets?limit=2' },
      {
        name: 'create wallet',
        method: 'POST',
        url: 'http://{{dfnsApiDomain}}/wallets',
        body: '{"network":"Bitcoin","externalId":"{{$randomUUID}}","name":"{{walletName}}"}',
      },
      {
        name: 'rename wallet',
        method: 'PUT',
        url: 'http://{{dfnsApiDomain}}/wallets/:walletId',
        pathVariables: { walletId: 'wa-{{$randomInt}}' },
        body: '{"name":"renamed"}',
      },
      { name: 'delete webhook', method: 'DELETE', url: 'http://{{dfnsApiDomain}}/webhooks/{{$randomUUID}}' },
      // postman-runtime strips comments from a raw JSON body after the script: the signer does it first.
      {
        name: 'commented body',
        method: 'POST',
        url: 'http://{{dfnsApiDomain}}/wallets',
        body: '{\n  // a comment\n  "url": "https://x.io/a//b", /* another */ "n": 1\n}',
      },
      { name: 'explorer', method: 'GET', url: 'http://{{partnerHost}}/tx/1?verbose=true' },
      { name: 'webhook', method: 'POST', url: 'http://{{partnerHost}}/hooks', body: '{"event":"wallet.created","name":"{{walletName}}"}' },
      { name: 'partner delete', method: 'DELETE', url: 'http://{{partnerHost}}/things/1' },
    ];
    const run = await runPostmanCli(collection(items), { envVars: lab.vars({ walletName: 'ünïcode 😀' }) });
    expect(run.code, run.stdout).toBe(0);
    expect(run.failedTests).toEqual([]);
    expect(run.executions.map((e) => `${e.item} ${e.status}`)).toEqual(items.map((i) => `${i.name} 200`));

    expect(signed()).toEqual([
      'GET /wallets 200 -',
      'POST /wallets 200 signed',
      expect.stringMatching(/^PUT \/wallets\/wa-\d+ 200 signed$/),
      expect.stringMatching(/^DELETE \/webhooks\/[0-9a-f-]{36} 200 signed$/),
      'POST /wallets 200 signed',
    ]);
    const main = lab.emu.mainRequests();
    expect(main.every((r) => r.headers.authorization === `Bearer ${lab.token}`)).toBe(true);
    expect(main[0].headers['x-dfns-useraction']).toBeUndefined();
    expect(main[1].body).toMatch(/^\{"network":"Bitcoin","externalId":"[0-9a-f-]{36}","name":"ünïcode 😀"\}$/);
    expect(JSON.parse(main[4].body)).toEqual({ url: 'https://x.io/a//b', n: 1 });
    expect(lab.emu.usedUserActions).toHaveLength(4);

    expect(noDfnsIn(lab.other.received, lab.token)).toEqual([]);
    expect(lab.other.received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'GET /tx/1?verbose=true ',
      'POST /hooks {"event":"wallet.created","name":"ünïcode 😀"}',
      'DELETE /things/1 ',
    ]);
    expect(run.console).toEqual([
      expect.stringMatching(/^Dfns signer: signed POST \/wallets with cr-1 \(ECDSA P-256\) in \d+ ms$/),
      expect.stringMatching(/^Dfns signer: signed PUT \/wallets\/wa-\d+ with cr-1 \(ECDSA P-256\) in \d+ ms$/),
      expect.stringMatching(/^Dfns signer: signed DELETE \/webhooks\/[0-9a-f-]{36} with cr-1 \(ECDSA P-256\) in \d+ ms$/),
      expect.stringMatching(/^Dfns signer: signed POST \/wallets with cr-1 \(ECDSA P-256\) in \d+ ms$/),
      `Dfns signer: POST not signed: ${lab.other.host} is not a Dfns API host (dfnsApiDomain is ${lab.dfnsHost})`,
      `Dfns signer: DELETE not signed: ${lab.other.host} is not a Dfns API host (dfnsApiDomain is ${lab.dfnsHost})`,
    ]);
    // Unlike newman: the two login lines, before and after the run. Nothing secret in the output.
    expect(run.stdout.indexOf(LOGIN_LINES[0])).toBeLessThan(run.stdout.indexOf('Running your collection...'));
    expect(run.stdout.indexOf(LOGIN_LINES[1])).toBeGreaterThan(run.stdout.indexOf('total run duration'));
    expect(secretsIn(run.stdout + run.stderr)).toEqual([]);
  });

  it("a bad key: nothing of that request is sent, one failed test with the signer's line, exit 1; reported as newman reports it", async () => {
    const items: ItemSpec[] = [
      { name: 'create wallet', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' },
      { name: 'list wallets', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
    ];
    const vars = lab.vars({ credentialPrivateKey: 'garbage' });
    const [run, newman] = await Promise.all([runPostmanCli(collection(items), { envVars: vars }), newmanCli(collection(items), vars)]);
    const LINE =
      /^Dfns signer: credentialPrivateKey is not a private key \(it has no -----BEGIN line and is not a JWK\)\. Paste the private key/;
    expect(run.code).toBe(1);
    expect(run.failedTests).toEqual([expect.stringMatching(LINE)]);
    expect(run.failedTests[0]).not.toContain('\n');
    // Nothing of the POST went anywhere, in either (no signing exchange either); the GET after it still ran.
    expect(lab.emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /wallets', 'GET /wallets']);
    // Stopped by pm.execution.skipRequest(), as in newman: no request line, the URL left as it was (not
    // the unresolvable host of clients that cannot skip), and no script error besides the failed test
    // (the bundle's last line rethrows with top-level await here, after the skip: the CLI does not report it).
    const [stopped] = run.executions;
    expect(stopped).toEqual({
      item: 'create wallet',
      method: 'POST',
      url: 'http://{{dfnsApiDomain}}/wallets',
      sent: false,
      status: undefined,
      tests: [expect.objectContaining({ status: 'failed' })],
      errors: [],
    });
    expect(run.stdout).not.toMatch(/^ {2}POST http/m);
    expect(run.stdout).toMatch(/^ 1\. {2}SignerError {2}Dfns signer: credentialPrivateKey is not a private key/m);
    expect(run.stdout).toMatch(/^ {18}at assertion:0 in test-script/m);
    // newman: the same exit code, failure and place; its table says so the same way.
    expect(newman.code).toBe(1);
    expect(newman.stdout).not.toMatch(/^ {2}POST http/m);
    expect(newman.stdout).toMatch(/^ 1\. {2}SignerError {2}Dfns signer: credentialPrivateKey is not a private key/m);
    expect(newman.stdout).toMatch(/at assertion:0 in test-script/);
  });

  it("a request Dfns refuses fails the run with the generated collection's status tests, as in newman: exit 1, Dfns's message in the test's name", async () => {
    // The committed collection, as it is: the first request (GET /wallets) refused with 403 and Dfns's error body.
    const MESSAGE = 'Permission denied: Wallets:Read';
    const generated = JSON.parse(readFileSync(join(ROOT, 'collections', 'dfns-api.postman_collection.json'), 'utf8'));
    const vars = lab.vars({ dfnsApiScheme: 'http' });
    const refuseFirst = () =>
      lab.emu.setFault({ main: { status: 403, body: { error: { id: '1', status: 403, message: MESSAGE, details: {} } }, times: 1 } });
    refuseFirst();
    const run = await runPostmanCli(generated, { envVars: vars, args: ['-i', 'List Wallets', '-i', 'Create Wallet'] });
    expect(run.code, run.stdout).toBe(1);
    expect(run.executions.map((e) => [e.item, e.status, e.tests.map((t) => [t.name, t.status])])).toEqual([
      ['List Wallets', 403, [[`Dfns answered 403: ${MESSAGE}`, 'failed']]],
      ['Create Wallet', 200, [['Dfns answered 200', 'passed']]],
    ]);
    expect(run.failedTests).toEqual(['HTTP status: expected 403 to be within 200..299']);
    expect(run.stdout).toMatch(new RegExp(`^ 1\\. {2}AssertionError {2}Dfns answered 403: ${MESSAGE}`, 'm'));
    expect(signed()).toEqual(['GET /wallets 403 -', 'POST /wallets 200 signed']);
    // newman: the same exit code and failure.
    lab.emu.reset();
    refuseFirst();
    const newman = await newmanCli(generated, vars, ['--folder', 'List Wallets', '--folder', 'Create Wallet']);
    expect(newman.code).toBe(1);
    expect(newman.stdout).toMatch(new RegExp(`^ 1\\. {2}AssertionError {2}Dfns answered 403: ${MESSAGE}`, 'm'));
    expect(signed()).toEqual(['GET /wallets 403 -', 'POST /wallets 200 signed']);
  });

  describe("redirects: followed by default, the signer's own calls included, as in newman; --ignore-redirects stops them", () => {
    // A Dfns host (as dfnsApiDomain names it) that answers everything with a 307 to the third-party API.
    let redirector: http.Server;
    let redirectorHost = '';
    beforeAll(async () => {
      redirector = http.createServer((req, res) =>
        res.writeHead(307, { location: `http://${lab.other.host}${req.url}`, connection: 'close' }).end(),
      );
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      redirectorHost = `127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    });
    afterAll(
      () =>
        new Promise<void>((resolve) => {
          redirector.closeAllConnections();
          redirector.close(() => resolve());
        }),
    );
    const items: ItemSpec[] = [
      { name: 'list wallets', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
      { name: 'create wallet', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' },
    ];
    const reached = () =>
      lab.other.received.map(
        (r) => `${r.method} ${r.url} ${r.headers.authorization === `Bearer ${lab.token}` ? 'with the token' : 'no token'}`,
      );

    // Each runs the collection once with the Postman CLI and once with newman, side by side.
    const both = (args: string[]) => {
      const vars = lab.vars({ dfnsApiDomain: redirectorHost });
      return Promise.all([runPostmanCli(collection(items), { envVars: vars, args }), newmanCli(collection(items), vars, args)]);
    };

    it('without --ignore-redirects: the GET and the signing request follow the 307 elsewhere, with the token (same host name), in both', async () => {
      const [run, newman] = await both([]);
      const followed = ['GET /wallets with the token', 'POST /auth/action/init with the token'];
      expect(reached().sort()).toEqual([...followed, ...followed].sort());
      expect(lab.other.received.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body).userActionHttpPath)).toEqual([
        '/wallets',
        '/wallets',
      ]);
      // The other API's answer is no challenge: the signer stops the POST there, and the run fails.
      expect(run.code).toBe(1);
      expect(run.failedTests).toEqual([
        expect.stringMatching(/^Dfns signer: POST \/auth\/action\/init answered without a challenge or challengeIdentifier\./),
      ]);
      expect(run.executions.map((e) => `${e.item} ${e.sent ? e.status : 'not sent'}`)).toEqual([
        'list wallets 200',
        'create wallet not sent',
      ]);
      expect(newman.code).toBe(1);
      expect(newman.stdout).toContain('Dfns signer: POST /auth/action/init answered without a challenge or challengeIdentifier.');
    });

    it('with --ignore-redirects: nothing reaches the other host; the GET gets the 307, the signer refuses the redirect and sends nothing, in both', async () => {
      const [run, newman] = await both(['--ignore-redirects']);
      expect(reached()).toEqual([]);
      expect(run.code).toBe(1);
      expect(run.failedTests).toEqual([
        expect.stringMatching(
          /^Dfns signer: POST \/auth\/action\/init was answered 307, a redirect to http:\/\/127\.0\.0\.1:\d+, which the signer does not follow/,
        ),
      ]);
      expect(run.executions.map((e) => `${e.item} ${e.sent ? e.status : 'not sent'}`)).toEqual([
        'list wallets 307',
        'create wallet not sent',
      ]);
      expect(newman.code).toBe(1);
      expect(newman.stdout).toMatch(/GET http:\/\/\S+\/wallets \[307 Temporary Redirect/);
      expect(newman.stdout).toContain(
        `Dfns signer: POST /auth/action/init was answered 307, a redirect to http://${lab.other.host}, which`,
      );
    });
  });

  it("runs scripts in postman-sandbox 6 (skipRequest, pm.require, a vault that refuses, top-level await); the README's Package Library line fails safe there", async () => {
    const globals = [
      'TextEncoder',
      'URL',
      'crypto',
      'structuredClone',
      'Buffer',
      'atob',
      'BigInt',
      'setTimeout',
      'require',
      'fetch',
      'process',
      'globalThis',
      'module',
    ];
    const probe = [
      'const facts = {};',
      'facts.skipRequest = typeof pm.execution.skipRequest; facts.pmRequire = typeof pm.require; facts.vaultGet = typeof pm.vault.get;',
      'facts.sendRequest = typeof pm.sendRequest; facts.replaceInAsync = typeof pm.variables.replaceInAsync; facts.eventName = pm.info.eventName;',
      ...globals.map((g) => `facts[${JSON.stringify(g)}] = typeof ${g};`),
      'facts.subtleDigest = typeof crypto.subtle.digest;',
      "facts.vault = await pm.vault.get('credentialPrivateKey').then((v) => 'resolved: ' + v, (e) => 'rejected: ' + e.message);",
      // A name built at run time, so that the collection does not declare it as a package.
      "try { pm.require(['@team', 'not-declared'].join('/')); facts.requireUndeclared = 'loaded'; } catch (e) { facts.requireUndeclared = e.message; }",
      "facts.topLevelAwait = await Promise.resolve('works');",
      "console.log('PROBE ' + JSON.stringify(facts));",
    ].join('\n');
    // The README's one line as a request's pre-request script, with the package declared as the Postman app saves it.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const line = /```js\n(try \{ pm\.require\([^\n]+)\n```/.exec(readme)![1];
    const items: ItemSpec[] = [
      { name: 'probe', method: 'GET', url: 'http://{{partnerHost}}/probe', prerequest: probe },
      { name: 'create wallet', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{}', prerequest: line },
    ];
    const run = await runPostmanCli(packageCollection(items), { envVars: lab.vars() });
    const facts = JSON.parse(run.console.find((l) => l.startsWith('PROBE '))!.slice('PROBE '.length));
    expect(facts).toEqual({
      skipRequest: 'function',
      pmRequire: 'function',
      vaultGet: 'function',
      sendRequest: 'function',
      replaceInAsync: 'undefined',
      eventName: 'prerequest',
      ...Object.fromEntries(
        globals.map((g) => [
          g,
          ['fetch', 'process', 'globalThis', 'module'].includes(g) ? 'undefined' : g === 'crypto' ? 'object' : 'function',
        ]),
      ),
      subtleDigest: 'function',
      vault: 'rejected: Vault access denied',
      requireUndeclared: "Cannot find package '@team/not-declared'",
      topLevelAwait: 'works',
    });
    // The runtime's version, as its requests say it.
    expect(lab.other.received.map((r) => r.headers['user-agent'])).toEqual(['PostmanRuntime/7.52.0']);
    // Without a login the CLI cannot fetch the package from Postman's cloud: the line records that and skips.
    expect(run.code).toBe(1);
    expect(run.failedTests).toEqual(["Error while loading package '@your-team/dfns-signer': Postman credentials are missing."]);
    expect(run.executions.map((e) => `${e.item} ${e.sent}`)).toEqual(['probe true', 'create wallet false']);
    expect(lab.emu.requests).toEqual([]);
  });

  it("--timeout-request bounds the signer's calls too: a Dfns that does not answer stops the request, exit 1, as in newman", async () => {
    lab.emu.setFault({ init: { delayMs: 3000 } });
    const post: ItemSpec = {
      name: 'create wallet',
      method: 'POST',
      url: 'http://{{dfnsApiDomain}}/wallets',
      body: '{"network":"Bitcoin"}',
    };
    const [run, newman] = await Promise.all([
      runPostmanCli(collection([post]), { envVars: lab.vars(), args: ['--timeout-request', '500'] }),
      runNewman('newman-6.2', { collection: collection([post]), env: lab.vars(), timeoutRequest: 500 }),
    ]);
    const LINE = `Dfns signer: could not reach http://${lab.dfnsHost}/auth/action/init (ESOCKETTIMEDOUT). Check the API domain in the request URL (dfnsApiDomain) and your network or proxy`;
    expect(run.code).toBe(1);
    expect(run.failedTests).toEqual([LINE]);
    // Both also count the signer's call that timed out as a failure of its own, before the signer's line.
    expect(run.executions).toEqual([expect.objectContaining({ sent: false, errors: ['script-level-request: ESOCKETTIMEDOUT'] })]);
    expect(run.stdout).toMatch(/^ {2}POST http:\/\/\S+\/auth\/action\/init \[errored\]\n {5}ESOCKETTIMEDOUT$/m);
    expect(run.stdout).toMatch(/^ 1\. {2}Error +\n +ESOCKETTIMEDOUT +\n +at request +\n/m);
    expect(run.stdout).toMatch(/^ 2\. {2}SignerError {2}Dfns signer: could not reach/m);
    expect(newman.failures.map((f) => f.message)).toEqual(['ESOCKETTIMEDOUT', LINE]);
    expect(lab.emu.mainRequests()).toEqual([]);
  });
});

describe("the README's Postman CLI recipes, run as written", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const collectionsReadme = readFileSync(join(ROOT, 'collections', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The Postman CLI in CI'));
  const [install, ...recipe] = /```sh\n([\s\S]*?)\n```/.exec(section)![1].split('\n');
  const localLine = collectionsReadme
    .split('\n')
    .find((l) => l.startsWith('    postman collection run '))!
    .trim();

  /**
   * Where the commands run: a directory laid out like the repository, with the generated collection as it is, and
   * the environment template pointing at the emulator instead of api.dfns.io (dfnsApiScheme http, dfnsApiDomain its
   * host); my.postman_environment.json is that template filled in, as collections/README.md says.
   */
  function workspace(): string {
    const dir = mkdtempSync(join(tmpdir(), 'dfns-postman-recipe-'));
    mkdirSync(join(dir, 'collections'));
    copyFileSync(
      join(ROOT, 'collections', 'dfns-api.postman_collection.json'),
      join(dir, 'collections', 'dfns-api.postman_collection.json'),
    );
    const template = JSON.parse(readFileSync(join(ROOT, 'collections', 'dfns.postman_environment.json'), 'utf8'));
    const withValues = (values: Record<string, string>) => {
      for (const key of Object.keys(values)) expect(template.values.map((v: any) => v.key)).toContain(key);
      return { ...template, values: template.values.map((v: any) => (v.key in values ? { ...v, value: values[v.key] } : v)) };
    };
    const emulator = { dfnsApiScheme: 'http', dfnsApiDomain: lab.dfnsHost };
    writeFileSync(join(dir, 'collections', 'dfns.postman_environment.json'), JSON.stringify(withValues(emulator), null, 2));
    writeFileSync(
      join(dir, 'my.postman_environment.json'),
      JSON.stringify(withValues({ ...emulator, authToken: lab.token, credentialPrivateKey: lab.key.privatePem }), null, 2),
    );
    return dir;
  }

  it('installs the version the tests pin, and says what the two login lines are', () => {
    expect(install).toBe(`npm install -g postman-cli@${POSTMAN_CLI_VERSION}`);
    for (const text of [readme, collectionsReadme])
      expect([...text.matchAll(/postman-cli@([\w.-]+)/g)].map((m) => m[1])).toEqual(expect.arrayContaining([POSTMAN_CLI_VERSION]));
    expect(
      [...readme.matchAll(/postman-cli@([\w.-]+)/g), ...collectionsReadme.matchAll(/postman-cli@([\w.-]+)/g)].every(
        (m) => m[1] === POSTMAN_CLI_VERSION,
      ),
    ).toBe(true);
    for (const line of LOGIN_LINES) expect(section).toContain(line);
  });

  it('README, The Postman CLI in CI: the key (a multi-line PEM) and the token from the environment; List Wallets, then a signed Create Wallet', async () => {
    const command = recipe.join('\n');
    expect(command).toMatch(/^postman collection run collections\/dfns-api\.postman_collection\.json \\\n/);
    expect(lab.key.privatePem.trim().split('\n').length).toBeGreaterThan(2);
    const run = await runPostmanShell(command, {
      cwd: workspace(),
      env: { DFNS_AUTH_TOKEN: lab.token, DFNS_PRIVATE_KEY: lab.key.privatePem },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(signed()).toEqual(['GET /wallets 200 -', 'POST /wallets 200 signed']);
    expect(lab.emu.mainRequests()[1].body).toBe('{\n  "network": "EthereumSepolia",\n  "name": "my wallet"\n}');
    expect(lab.emu.usedUserActions).toHaveLength(1);
    expect(run.console).toEqual([expect.stringMatching(/^Dfns signer: signed POST \/wallets with cr-1 \(ECDSA P-256\) in \d+ ms$/)]);
    for (const line of LOGIN_LINES) expect(run.stdout).toContain(line);
    expect(secretsIn(run.stdout + run.stderr)).toEqual([]);
  });

  it('collections/README.md: with a filled-in copy of the environment template', async () => {
    const run = await runPostmanShell(localLine, { cwd: workspace() });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(signed()).toEqual(['GET /wallets 200 -', 'POST /wallets 200 signed']);
    expect(lab.emu.usedUserActions).toHaveLength(1);
  });
});
