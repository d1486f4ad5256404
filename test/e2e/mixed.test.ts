// Collections as users have them (issue 9): Dfns requests beside calls to another API (a local
// server standing for a webhook receiver or a block explorer), request-level scripts that set
// variables. In the real runtimes: newman 6.2 and the Postman app's runtime, Bruno in both sandboxes;
// Insomnia's script (10/11, and 12.5+ with its sandbox off) and plugin in the harness built from its
// sources. Hoppscotch, httpyac and Apidog: in their own test files, with their real CLIs.
// The other API gets its requests unchanged and no byte of the Dfns token; the Dfns requests beside
// them are signed; a plain-http Dfns host and a late variable are refused with nothing sent.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_DIR } from '../../scripts/build-insomnia.mjs';
import { type BruRequest, runBru, SANDBOXES, writeCollection } from '../support/bruno';
import { type InsomniaRequest, type Outcome, runPreRequestScript, runRequestHook, type ScriptOptions } from '../support/insomnia-harness';
import { useLab } from '../support/lab';
import { collection, type ItemSpec, RUNTIMES, runNewman } from '../support/postman';
import { noDfnsIn } from '../support/third-party';

const lab = useLab();
const env = lab.vars;
/** The environment without walletName: defined even as '', a variable resolves. */
const envWithoutWalletName = () => {
  const { walletName, ...rest } = env();
  return rest;
};
const WEBHOOK_BODY = '{"event":"wallet.created","name":"{{walletName}}"}';
const LATE =
  'the request body holds {{walletName}}, but walletName is not defined when the signer runs (a request-level script may set it only after the request was signed)';

/** What both the other API and Dfns must have seen after the mixed run. */
function expectMixedRun(lines: string[]) {
  expect(noDfnsIn(lab.other.received, lab.token)).toEqual([]);
  expect(lab.other.received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
    'GET /tx/1?verbose=true ',
    'POST /hooks {"event":"wallet.created","name":"w1"}',
    'DELETE /things/1 ',
  ]);
  const main = lab.emu.mainRequests();
  expect(main.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /wallets 200', 'GET /wallets 200']);
  expect(main.every((r) => r.headers.authorization === `Bearer ${lab.token}`)).toBe(true);
  expect(lab.emu.usedUserActions).toHaveLength(1);
  const notSigned = lines.filter((l) => l.includes('not signed'));
  expect(notSigned).toEqual([
    `Dfns signer: POST not signed: ${lab.other.host} is not a Dfns API host (dfnsApiDomain is ${lab.dfnsHost})`,
    `Dfns signer: DELETE not signed: ${lab.other.host} is not a Dfns API host (dfnsApiDomain is ${lab.dfnsHost})`,
  ]);
}

describe.each(RUNTIMES)('%s', (runtime) => {
  const mixed: ItemSpec[] = [
    { name: 'explorer', method: 'GET', url: `http://${'{{partnerHost}}'}/tx/1?verbose=true` },
    { name: 'webhook', method: 'POST', url: 'http://{{partnerHost}}/hooks', body: WEBHOOK_BODY },
    {
      name: 'create wallet',
      method: 'POST',
      url: 'http://{{dfnsApiDomain}}/wallets',
      body: '{"network":"Bitcoin","name":"{{walletName}}"}',
    },
    { name: 'list wallets', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
    { name: 'partner delete', method: 'DELETE', url: 'http://{{partnerHost}}/things/1' },
  ];

  it('signs the Dfns requests and sends the others untouched, with no trace of the token', async () => {
    const report = await runNewman(runtime, { collection: collection(mixed), env: env() });
    expect(report.failures).toEqual([]);
    expectMixedRun(report.consoleLines);
  });

  it('refuses plain http to a Dfns host that is not this machine, and sends nothing', async () => {
    const items: ItemSpec[] = [
      { name: 'known host', method: 'GET', url: 'http://api.dfns.io/wallets' },
      { name: 'named proxy', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{}' },
    ];
    const first = await runNewman(runtime, { collection: collection(items.slice(0, 1)), env: env({ dfnsApiDomain: '' }) });
    const second = await runNewman(runtime, {
      collection: collection(items.slice(1)),
      env: env({ dfnsApiDomain: 'dfns-proxy.internal:8080' }),
    });
    for (const [report, authority] of [
      [first, 'api.dfns.io'],
      [second, 'dfns-proxy.internal:8080'],
    ] as const) {
      expect(report.failures.map((f) => f.message)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Dfns signer: the request URL is plain http://${authority.replace(/\./g, '\\.')}, which would send authToken unencrypted\\. Use https://`,
          ),
        ),
      ]);
      expect(report.sent).toEqual([]);
    }
  });

  it('refuses a body variable that a request-level script sets after the signer ran; nothing reaches Dfns', async () => {
    const items: ItemSpec[] = [
      {
        name: 'late',
        method: 'POST',
        url: 'http://{{dfnsApiDomain}}/wallets',
        body: '{"network":"Bitcoin","name":"{{walletName}}"}',
        prerequest: "pm.variables.set('walletName', 'set late');",
      },
    ];
    const report = await runNewman(runtime, { collection: collection(items), env: envWithoutWalletName() });
    expect(report.failures.map((f) => f.message)).toEqual([expect.stringContaining(`Dfns signer: ${LATE}. Define walletName`)]);
    expect(lab.emu.requests).toEqual([]);
  });
});

describe.each(SANDBOXES)('Bruno, %s sandbox', (sandbox) => {
  it('signs the Dfns requests and sends the others untouched, with no trace of the token', async () => {
    const requests: BruRequest[] = [
      { name: 'explorer', method: 'GET', url: 'http://{{partnerHost}}/tx/1?verbose=true' },
      { name: 'webhook', method: 'POST', url: 'http://{{partnerHost}}/hooks', json: WEBHOOK_BODY },
      { name: 'create', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', json: '{"network":"Bitcoin","name":"{{walletName}}"}' },
      { name: 'list', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
      { name: 'delete', method: 'DELETE', url: 'http://{{partnerHost}}/things/1' },
    ];
    const run = await runBru(writeCollection(requests, env()), sandbox);
    expect(run.code).toBe(0);
    expectMixedRun(run.stdout.split('\n').map((l) => l.trim()));
  });

  it('refuses plain http to a Dfns host and a late body variable; nothing is sent', async () => {
    const requests: BruRequest[] = [
      {
        name: 'plain',
        method: 'POST',
        url: 'http://{{dfnsApiDomain}}/wallets',
        json: '{}',
        vars: { dfnsApiDomain: 'dfns-proxy.internal:8080' },
      },
      {
        name: 'late',
        method: 'POST',
        url: 'http://{{dfnsApiDomain}}/wallets',
        json: '{"name":"{{walletName}}"}',
        script: "bru.setVar('walletName', 'set late');",
      },
    ];
    const run = await runBru(writeCollection(requests, envWithoutWalletName()), sandbox);
    expect(run.code).toBe(1);
    expect(run.results.map((r) => r.status)).toEqual(['error', 'error']);
    expect(run.stdout).toContain(
      'Dfns signer: the request URL is plain http://dfns-proxy.internal:8080, which would send authToken unencrypted',
    );
    expect(run.stdout).toContain(`Dfns signer: ${LATE}`);
    expect(lab.emu.requests).toEqual([]);
  });
});

describe('Insomnia', () => {
  const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');
  const plugin = createRequire(import.meta.url)(join(PLUGIN_DIR, 'main.js'));
  const json = (text: string) => ({ mimeType: 'application/json', text });
  const headers = [{ name: 'Content-Type', value: 'application/json' }];
  const mixed: InsomniaRequest[] = [
    { url: 'http://{{ _.partnerHost }}/tx/1?verbose=true', method: 'GET', body: {} },
    { url: 'http://{{ _.partnerHost }}/hooks', method: 'POST', body: json(WEBHOOK_BODY), headers },
    {
      url: 'http://{{ _.dfnsApiDomain }}/wallets',
      method: 'POST',
      body: json('{"network":"Bitcoin","name":"{{ _.walletName }}"}'),
      headers,
    },
    { url: 'http://{{ _.dfnsApiDomain }}/wallets', method: 'GET', body: {} },
    { url: 'http://{{ _.partnerHost }}/things/1', method: 'DELETE', body: {} },
  ];
  const ws = (vars: Record<string, string>) => ({ environment: vars });
  const runners: [string, (request: InsomniaRequest, vars: Record<string, string>) => Promise<Outcome>][] = [
    ...([{ version: '10' }, { version: 'newest', sandbox: false }] as ScriptOptions[]).map(
      (options) =>
        [
          `script, ${options.version}`,
          (request: InsomniaRequest, vars: Record<string, string>) => runPreRequestScript(BUNDLE, request, ws(vars), options),
        ] as [string, (request: InsomniaRequest, vars: Record<string, string>) => Promise<Outcome>],
    ),
    ['plugin', (request, vars) => runRequestHook(plugin.requestHooks[0], request, ws(vars))],
  ];

  describe.each(runners)('%s', (_name, run) => {
    it('signs the Dfns requests and sends the others untouched, with no trace of the token', async () => {
      const outcomes: Outcome[] = [];
      for (const request of mixed) outcomes.push(await run(request, env()));
      expect(outcomes.map((o) => o.error ?? o.status)).toEqual([200, 200, 200, 200, 200]);
      expectMixedRun(outcomes.flatMap((o) => o.logs));
    });

    it('refuses plain http to a Dfns host that is not this machine, and sends nothing', async () => {
      const outcome = await run(
        { url: 'http://{{ _.dfnsApiDomain }}/wallets', method: 'POST', body: json('{}'), headers },
        env({ dfnsApiDomain: 'dfns-proxy.internal:8080' }),
      );
      expect(outcome.sent).toBeUndefined();
      expect(outcome.logs.concat(outcome.error ?? '').join('\n')).toContain(
        'Dfns signer: the request URL is plain http://dfns-proxy.internal:8080, which would send authToken unencrypted',
      );
    });
  });
});
