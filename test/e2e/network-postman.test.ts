// The network's faults (issue 18) in the Postman family: newman on both runtimes, the Postman CLI, Apidog.
// One batched run each (test/support/network.ts): a redirect of init elsewhere, 429 on init, 503 on the
// completion, a redirect of the main request, a Dfns that never answers (dfnsTimeoutSeconds = 2), a
// Retry-After longer than the signer waits. pm.sendRequest cannot be told not to follow a redirect
// (postman-runtime builds the request with fixed protocolProfileBehavior), so each runner is run with its
// --ignore-redirects, as the README says, and once without it to pin what then happens.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apidogCollection, runApidog } from '../support/apidog';
import { useLab } from '../support/lab';
import {
  expectSignedAsPlanned,
  LIMIT_SECONDS,
  MAIN_REDIRECT_PATH,
  mainRedirect,
  type NetworkCase,
  networkRequests,
  REFUSED,
  RETRY_LINES,
  setNetworkFaults,
} from '../support/network';
import { collection, type ItemSpec, RUNTIMES, recipeWorkspace, runNewman, runShell } from '../support/postman';
import { runPostmanCli } from '../support/postman-cli';

const lab = useLab();

const items = (cases?: NetworkCase[]): ItemSpec[] =>
  networkRequests(cases).map((r) => ({ name: r.name, method: r.method, url: `http://{{dfnsApiDomain}}${r.path}`, body: r.body }));
const env = () => lab.vars({ dfnsTimeoutSeconds: String(LIMIT_SECONDS) });

/** The signer's lines, by the request they failed. */
const failuresByItem = (failures: { at: string; message?: string }[]) => failures.filter((f) => f.message?.startsWith('Dfns signer:'));

describe.each(RUNTIMES)('newman (%s)', (runtime) => {
  it('with --ignore-redirects: no redirect followed, nothing elsewhere, retries with one line each, the hang stopped at the limit', async () => {
    setNetworkFaults(lab.emu, lab.other.host);
    const report = await runNewman(runtime, { collection: collection(items()), env: env(), ignoreRedirects: true });
    expect(report.runError).toBeUndefined();
    const lines = failuresByItem(report.failures).map((f) => f.message);
    expect(lines).toEqual([
      expect.stringMatching(REFUSED.redirected as RegExp),
      expect.stringMatching(REFUSED.hang as RegExp),
      expect.stringMatching(REFUSED['too-long'] as RegExp),
    ]);
    expect(report.consoleLines.filter((l) => l.includes('retrying'))).toEqual(RETRY_LINES);
    expectSignedAsPlanned(lab.emu);
    expect(lab.other.received).toEqual([]); // neither the exchange nor the main request followed a redirect
    expect(report.sent.filter((s) => s.item === 'main-redirected' && !s.url.includes('/auth/')).map((s) => s.url)).toEqual([
      `http://${lab.dfnsHost}/wallets`,
    ]);
  });

  it('without --ignore-redirects: the runtime follows the redirect of init (the signer cannot stop it), and of the main request', async () => {
    const cases: NetworkCase[] = ['redirected', 'main-redirected'];
    setNetworkFaults(lab.emu, lab.other.host, cases);
    const report = await runNewman(runtime, { collection: collection(items(cases)), env: env() });
    // The redirected init reached the third party, which answered something else than a challenge.
    expect(failuresByItem(report.failures).map((f) => f.message)).toEqual([
      expect.stringMatching(/^Dfns signer: POST \/auth\/action\/init answered without a challenge/),
    ]);
    expectSignedAsPlanned(lab.emu, cases);
    const init = lab.other.received.find((r) => r.url === '/auth/action/init');
    // The init body always goes along (307); the token too when only the port changes, in newman 6.2's runtime
    // (postman-request drops it for another host name only); the app's runtime drops it for another origin.
    expect({ body: init?.body.includes('"userActionHttpPath":"/wallets"'), token: init?.headers.authorization !== undefined }).toEqual({
      body: true,
      token: runtime === 'newman-6.2',
    });
    expect(mainRedirect(lab.other.received)).toEqual({
      followed: true,
      method: 'POST',
      authorization: runtime === 'newman-6.2',
      userAction: true,
      body: '{"name":"main-redirected"}',
    });
    expect(lab.other.received.map((r) => r.url)).toEqual(['/auth/action/init', MAIN_REDIRECT_PATH]);
  });
});

// The runners' own limit, above the signer's: the hung call of the signer is left open by the runtime
// when the signer stops its request, and only the runner's --timeout-request ends it (then the run ends).
const RUNNER_TIMEOUT = String((LIMIT_SECONDS + 1) * 1000);

describe('the Postman CLI', () => {
  it('with --ignore-redirects --timeout-request: the same, and the run ends (exit 1)', async () => {
    setNetworkFaults(lab.emu, lab.other.host);
    const run = await runPostmanCli(collection(items()), {
      envVars: env(),
      args: ['--ignore-redirects', '--timeout-request', RUNNER_TIMEOUT],
    });
    expect(run.code).toBe(1);
    expect(run.failedTests).toEqual([
      expect.stringMatching(REFUSED.redirected as RegExp),
      expect.stringMatching(REFUSED.hang as RegExp),
      expect.stringMatching(REFUSED['too-long'] as RegExp),
    ]);
    expect(run.console.filter((l) => l.includes('retrying'))).toEqual(RETRY_LINES);
    expect(run.executions.map((e) => `${e.item} ${e.sent ? e.status : 'not sent'}`)).toEqual([
      'redirected not sent',
      'throttled 200',
      'busy 200',
      'main-redirected 307',
      'hang not sent',
      'too-long not sent',
    ]);
    expectSignedAsPlanned(lab.emu);
    expect(lab.other.received).toEqual([]);
  });
});

describe('Apidog (apidog run)', () => {
  it('with --ignore-redirects --timeout-request: the same; without a skip, the hung call holds the request until the runner ends it', async () => {
    setNetworkFaults(lab.emu, lab.other.host);
    const run = await runApidog(apidogCollection(items()), {
      envVars: env(),
      extraArgs: ['--ignore-redirects', '--timeout-request', RUNNER_TIMEOUT],
    });
    expect(run.code).toBe(1);
    expect(run.failures.filter((f) => f.message.startsWith('Dfns signer:')).map((f) => [f.item, f.message])).toEqual([
      ['redirected', expect.stringMatching(REFUSED.redirected as RegExp)],
      ['hang', expect.stringMatching(REFUSED.hang as RegExp)],
      ['too-long', expect.stringMatching(REFUSED['too-long'] as RegExp)],
    ]);
    expect(run.console.filter((l) => l.includes('retrying'))).toEqual(RETRY_LINES);
    // Stopped requests go to a .invalid host (Apidog has no skip), after the hung call ended at the runner's limit.
    expect(run.failures.filter((f) => f.at === 'request').map((f) => [f.item, f.message])).toEqual([
      ['redirected', 'getaddrinfo ENOTFOUND dfns-signer-refused.invalid'],
      ['hang', 'ESOCKETTIMEDOUT'],
      ['hang', 'getaddrinfo ENOTFOUND dfns-signer-refused.invalid'],
      ['too-long', 'getaddrinfo ENOTFOUND dfns-signer-refused.invalid'],
    ]);
    expectSignedAsPlanned(lab.emu);
    expect(lab.other.received).toEqual([]);
  });
});

describe("the READMEs' newman commands, run as written (the emulator as dfnsApiDomain)", () => {
  const ROOT = new URL('../..', import.meta.url).pathname;
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const collectionsReadme = readFileSync(join(ROOT, 'collections', 'README.md'), 'utf8');
  const ciCommand = /```sh\n(npx newman run [\s\S]*?)\n```/.exec(readme.slice(readme.indexOf('## newman in CI')))![1];
  const localLines = collectionsReadme
    .split('\n\n')
    .filter((block) => block.trimStart().startsWith('npx newman run '))
    .map((block) => block.replace(/^ {4}/gm, '').trim());
  const signed = () =>
    lab.emu.mainRequests().map((r) => `${r.method} ${r.path} ${r.status} ${r.headers['x-dfns-useraction'] ? 'signed' : '-'}`);
  const workspace = () => recipeWorkspace({ dfnsHost: lab.dfnsHost, token: lab.token, privatePem: lab.key.privatePem });

  it("they pass --ignore-redirects and a --timeout-request above the signer's 30 s", () => {
    for (const command of [ciCommand, ...localLines]) expect(command).toMatch(/--ignore-redirects --timeout-request 60000$/);
    expect(localLines).toHaveLength(2);
  });

  it('README (newman in CI) and both of collections/README.md: List Wallets, then a signed Create Wallet, each', async () => {
    // The three at once, each against the emulator in a workspace of its own.
    const runs = await Promise.all(
      [ciCommand, ...localLines].map((command) =>
        runShell(command.replace('dfnsApiDomain=api.dfns.io', `dfnsApiScheme=http --env-var dfnsApiDomain=${lab.dfnsHost}`), {
          cwd: workspace(),
          env: { DFNS_AUTH_TOKEN: lab.token, DFNS_TOKEN: lab.token, DFNS_PRIVATE_KEY: lab.key.privatePem },
        }),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(signed().sort()).toEqual([...Array(3).fill('GET /wallets 200 -'), ...Array(3).fill('POST /wallets 200 signed')]);
    expect(lab.emu.usedUserActions).toHaveLength(3);
  });

  it("why --timeout-request: a Dfns that never answers stops the request at dfnsTimeoutSeconds, but only the runner's limit ends the newman process", async () => {
    lab.emu.setFault({ init: { hang: true } });
    const base = `npx newman run collections/dfns-api.postman_collection.json -e my.postman_environment.json --folder "Create Wallet" --env-var dfnsTimeoutSeconds=${LIMIT_SECONDS} --ignore-redirects`;
    const line = new RegExp(`${(REFUSED.hang as RegExp).source.slice(1, 40)}`);
    const [bounded, unbounded] = await Promise.all([
      runShell(`${base} --timeout-request ${RUNNER_TIMEOUT}`, { cwd: workspace() }),
      // Killed 3 s after the signer's line has been printed with the run's summary: still running then.
      runShell(base, { cwd: workspace(), killAfter: { match: /total run duration/, graceMs: 3000 } }),
    ]);
    expect(bounded.code).toBe(1);
    expect(bounded.stdout).toMatch(line);
    expect(unbounded.signal).toBe('SIGKILL');
    expect(unbounded.stdout).toMatch(line);
    expect(lab.emu.mainRequests()).toEqual([]);
  });
});
