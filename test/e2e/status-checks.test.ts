// A request Dfns refuses makes the run red, in every client whose generated collection carries the status check
// (scripts/collections/checks.mjs): the committed collections, run as they are against the emulator answering the
// first request (GET /wallets) with 403 and Dfns's error body, the rest normally. Each run exits non-zero with a
// failed test named after the status and Dfns's message, and the signed POST after it still goes through.
// newman's CLI with --folder (newman 6.2), newman on the Postman app's runtime (sandbox 6), `bru run` (developer
// sandbox; the safe one runs the same check in test/e2e/readme.test.ts), `hopp test`, httpyac, `apidog run`; the
// Postman CLI's is in test/e2e/postman-cli.test.ts, Insomnia's (no CLI) in test/unit/status-checks.test.ts.
// Cost: one run of each, about 30-40 s in all.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runApidog } from '../support/apidog';
import { runHopp } from '../support/hoppscotch';
import { runHttpyac } from '../support/httpyac';
import { useLab } from '../support/lab';
import { runNewman } from '../support/postman';

const ROOT = new URL('../..', import.meta.url).pathname;
const committed = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const require = createRequire(import.meta.url);
const lab = useLab();

const MESSAGE = 'Permission denied: Wallets:Read';
const FAILED = `Dfns answered 403: ${MESSAGE}`;
beforeEach(() => {
  lab.emu.setFault({ main: { status: 403, body: { error: { id: '1', status: 403, message: MESSAGE, details: {} } }, times: 1 } });
});

/** The variables every command gives: the emulator, the user, the path parameters. */
const vars = () => ({
  dfnsApiScheme: 'http',
  dfnsApiDomain: lab.dfnsHost,
  authToken: lab.token,
  credentialPrivateKey: lab.key.privatePem,
  walletId: 'wa-refused',
  webhookId: 'wh-refused',
});
/** What the emulator answered: the refused GET, then the requests after it, signed where they need it. */
const received = () =>
  lab.emu.mainRequests().map((r) => `${r.status} ${r.method} ${r.path}${r.headers['x-dfns-useraction'] ? ' signed' : ''}`);
const FOUR = [
  '403 GET /wallets',
  '200 POST /wallets signed',
  '200 PUT /wallets/wa-refused signed',
  '200 DELETE /webhooks/wh-refused signed',
];

function cli(file: string, args: string[], cwd = ROOT): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file, ...args],
      { cwd, maxBuffer: 32 << 20, timeout: 150_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, output: stdout + stderr }),
    );
  });
}
const envVars = (flag: string, values: Record<string, string>) => Object.entries(values).flatMap(([k, v]) => [flag, `${k}=${v}`]);

describe('a request Dfns refuses fails the run, with its status and message', { timeout: 180_000 }, () => {
  it('newman run collections/dfns-api.postman_collection.json --folder …: exit 1, and on the Postman app runtime a failed test', async () => {
    const newman = require.resolve('newman/bin/newman.js');
    const folders = ['--folder', 'List Wallets', '--folder', 'Create Wallet'];
    const r = await cli(newman, [
      'run',
      'collections/dfns-api.postman_collection.json',
      ...envVars('--env-var', vars()),
      ...folders,
      '--color',
      'off',
    ]);
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(new RegExp(`AssertionError +${FAILED}`));
    expect(r.output).toContain('HTTP status: expected 403 to be within 200..299');
    expect(received()).toEqual(FOUR.slice(0, 2));

    lab.emu.reset();
    lab.emu.setFault({ main: { status: 403, body: { error: { message: MESSAGE } }, times: 1 } });
    const collection = committed('collections/dfns-api.postman_collection.json');
    const wallets = collection.item.find((f: any) => f.name === 'Wallets');
    const app = await runNewman('sandbox-6', {
      collection: {
        ...collection,
        item: [{ ...wallets, item: wallets.item.filter((i: any) => ['List Wallets', 'Create Wallet'].includes(i.name)) }],
      },
      env: vars(),
    });
    expect(app.failures.map((f) => [f.source, f.message])).toEqual([['List Wallets', 'HTTP status: expected 403 to be within 200..299']]);
    expect(app.failures[0].at).toBe('assertion:0 in test-script');
    expect(received()).toEqual(FOUR.slice(0, 2));
  });

  it('bru run in collections/bruno (developer sandbox): exit 1', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'dfns-bru-status-')), 'report.json');
    const { credentialPrivateKey, ...rest } = vars();
    const oneLine = credentialPrivateKey.trim().split('\n').join('\\n');
    const args = [
      'run',
      '--env',
      'Dfns',
      '--sandbox',
      'developer',
      '--reporter-json',
      report,
      ...envVars('--env-var', { ...rest, credentialPrivateKey: oneLine }),
    ];
    const r = await cli(require.resolve('@usebruno/cli/bin/bru.js'), args, join(ROOT, 'collections/bruno'));
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain(`✕ ${FAILED}`);
    const results = JSON.parse(readFileSync(report, 'utf8'))[0].results;
    expect(results.map((x: any) => [x.test.filename, x.testResults.map((t: any) => [t.description, t.status])])).toEqual([
      ['List Wallets.bru', [[FAILED, 'fail']]],
      ['Create Wallet.bru', [['Dfns answered 200', 'pass']]],
      ['Update Wallet.bru', [['Dfns answered 200', 'pass']]],
      ['Delete Webhook.bru', [['Dfns answered 200', 'pass']]],
      // Last, Check my setup (scripts/collections/login.mjs): its facts and its verdict, no status check of its own.
      ['Check my setup.bru', expect.arrayContaining([[expect.stringMatching(/^Dfns setup: a signed request would work/), 'pass']])],
    ]);
    expect(received()).toEqual([...FOUR, '200 GET /auth/credentials']);
  });

  it('hopp test of the quickstart collection: exit 1', async () => {
    const r = await runHopp(
      committed('collections/hoppscotch/dfns-quickstart.hoppscotch.json'),
      committed('collections/hoppscotch/dfns-cli.hoppscotch_environment.json'),
      {
        processEnv: vars(),
      },
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // The JUnit report names a test case `<test> - <expectation>`.
    expect(r.results.map((x) => [x.name, x.tests.map((t) => [t.name.replace(/ - Expected .*$/, ''), t.status])])).toEqual([
      ['List Wallets', [[FAILED, 'fail']]],
      ['Create Wallet', [['Dfns answered 200', 'pass']]],
      ['Update Wallet', [['Dfns answered 200', 'pass']]],
      ['Delete Webhook', [['Dfns answered 200', 'pass']]],
    ]);
    expect(received()).toEqual(FOUR);
  });

  it('httpyac send collections/httpyac/dfns-api.http: exit 20 (a failed test)', async () => {
    const r = await runHttpyac(join(ROOT, 'collections/httpyac'), { file: 'dfns-api.http', vars: vars() });
    expect(r.code, r.stdout + r.stderr).toBe(20);
    expect(r.requests.map((x) => [x.name, x.status, x.errors])).toEqual([
      ['List Wallets', 'failed', [FAILED]],
      ['Create Wallet', 'sent', []],
      ['Update Wallet', 'sent', []],
      ['Delete Webhook', 'sent', []],
    ]);
    expect(received()).toEqual(FOUR);
  });

  it('apidog run of the Apidog collection: exit 1', async () => {
    const r = await runApidog(committed('collections/apidog/dfns-api.apidog-cli.json'), { envVars: vars() });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.failures.map((f) => [f.item, f.at, f.message])).toEqual([
      ['List Wallets', 'assertion:0 in test-script', 'HTTP status: expected 403 to be within 200..299'],
    ]);
    expect(r.stdout).toContain(FAILED);
    expect(received()).toEqual(FOUR);
  });
});
