// The Hoppscotch harness itself: the real `hopp test` (@hoppscotch/cli, Node 22) runs a collection
// whose collection-level pre-request script is a small probe (not the signer) against a local server.
import { describe, expect, it } from 'vitest';
import { BUNDLE, collection, environment, runHopp } from '../support/hoppscotch';
import { AFTER_RESPONSE_LINE, useLab } from '../support/lab';
import { noDfnsIn } from '../support/third-party';

const lab = useLab();
const base = () => `http://${lab.other.host}`;
const arrived = (path: string) => lab.other.received.filter((s) => s.url === path);

describe('hopp test (harness smoke test)', () => {
  it('runs the collection script before the request: a header it sets arrives, the run exits 0', async () => {
    const probe = 'console.log("probe ran for", hopp.request.method);\nhopp.request.setHeader("X-Probe", hopp.env.get("probeValue"));';
    const run = await runHopp(
      collection([{ name: 'set-header', method: 'POST', url: '<<base>>/set-header', json: '{"a": 1}' }], { script: probe }),
      environment({ base: base(), probeValue: 'probe-<<suffix>>', suffix: 'ok' }),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [request] = arrived('/set-header');
    expect(request.headers['x-probe']).toBe('probe-ok');
    expect(request.body).toBe('{"a":1}');
    expect(run.results).toEqual([
      {
        path: 'dfns-signer test/set-header',
        name: 'set-header',
        errors: [],
        preRequestFailed: false,
        sent: { method: 'POST', url: `${base()}/set-header`, status: 200 },
        console: ['probe ran for POST'],
        tests: [],
      },
    ]);
  });

  it('a script that throws fails the run (exit 1) and the request with a <<variable>> URL is not sent', async () => {
    const probe = 'throw new Error("Dfns signer: the probe failed. Fix the probe")';
    const run = await runHopp(
      collection(
        [
          { name: 'thrown', method: 'POST', url: '<<base>>/thrown', json: '{}' },
          // Pinned CLI behaviour the adapter has to live with: after a failed script, hopp 0.31 still
          // sends the request as written (unresolved, unchanged), which only fails when its URL does not parse.
          { name: 'thrown-literal', method: 'POST', url: `${base()}/thrown-literal`, json: '{}' },
        ],
        { script: probe },
      ),
      environment({ base: base() }),
    );
    expect(run.code).toBe(1);
    expect(arrived('/thrown')).toEqual([]);
    expect(run.results.map((r) => [r.name, r.preRequestFailed, r.sent?.status, r.errors.map((e) => e.code)])).toEqual([
      ['thrown', true, 'ERROR', ['PRE_REQUEST_SCRIPT_ERROR', 'REQUEST_ERROR']],
      ['thrown-literal', true, 200, ['PRE_REQUEST_SCRIPT_ERROR']],
    ]);
    expect(run.results[0].errors[0].message).toBe('Script execution failed: Error: Dfns signer: the probe failed. Fix the probe');
    expect(run.stderr).toContain('PRE_REQUEST_SCRIPT_ERROR Script execution failed: Error: Dfns signer: the probe failed. Fix the probe');
    expect(arrived('/thrown-literal')).toHaveLength(1);
  });
});

// The signer itself in the real `hopp test`: dist/dfns-signer.js as the collection's pre-request script,
// against the emulator, beside a third-party API; failures stop the request and fail the run.
describe('dist/dfns-signer.js in hopp test', () => {
  const ed25519 = lab.keys.find((k) => k.name.startsWith('Ed25519'))!;
  const env = (extra: Record<string, string> = {}) => environment(lab.vars(extra), { secret: ['authToken', 'credentialPrivateKey'] });

  it('signs the Dfns requests, dynamic variables frozen, and sends the others untouched with no trace of the token', async () => {
    const run = await runHopp(
      collection([
        { name: 'explorer', method: 'GET', url: 'http://<<partnerHost>>/tx/1?verbose=true' },
        {
          name: 'webhook',
          method: 'POST',
          url: 'http://<<partnerHost>>/hooks',
          json: '{"event": "wallet.created", "name": "<<walletName>>"}',
        },
        {
          name: 'create',
          method: 'POST',
          url: 'http://<<dfnsApiDomain>>/wallets',
          json: '{\n  "network": "Bitcoin",\n  "externalId": "<<$randomUUID>>", "name": "<<walletName>>"\n}',
        },
        { name: 'list', method: 'GET', url: 'http://<<dfnsApiDomain>>/wallets' },
        { name: 'rename', method: 'PUT', url: 'http://<<dfnsApiDomain>>/wallets/wa-<<$randomInt>>', json: '{"name":"renamed"}' },
        { name: 'delete', method: 'DELETE', url: 'http://<<dfnsApiDomain>>/webhooks/wh-1' },
        { name: 'partner delete', method: 'DELETE', url: 'http://<<partnerHost>>/things/1' },
      ]),
      env(),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(noDfnsIn(lab.other.received, lab.token)).toEqual([]);
    expect(lab.other.received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'GET /tx/1?verbose=true ',
      'POST /hooks {"event":"wallet.created","name":"w1"}',
      'DELETE /things/1 ',
    ]);
    const main = lab.emu.mainRequests();
    expect(main.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 200', 'GET 200', 'PUT 200', 'DELETE 200']);
    expect(main.every((r) => r.headers.authorization === `Bearer ${lab.token}`)).toBe(true);
    expect(lab.emu.usedUserActions).toHaveLength(3);
    expect(JSON.parse(main[0].body)).toMatchObject({ network: 'Bitcoin', name: 'w1' });
    expect(main[3].body).toBe('');
    expect(run.results.flatMap((r) => r.console).filter((l) => l.includes('not signed'))).toEqual([
      `Dfns signer: POST not signed: ${lab.other.host} is not a Dfns API host (dfnsApiDomain is ${lab.dfnsHost})`,
      `Dfns signer: DELETE not signed: ${lab.other.host} is not a Dfns API host (dfnsApiDomain is ${lab.dfnsHost})`,
    ]);
  });

  it('signs with Ed25519 too', async () => {
    const user = lab.emu.addUser({ credentials: [{ id: 'cr-ed', publicKey: ed25519.publicKey }] });
    const run = await runHopp(
      collection([{ name: 'create', method: 'POST', url: 'http://<<dfnsApiDomain>>/wallets', json: '{"network":"Bitcoin"}' }]),
      env({ authToken: user.token, credentialPrivateKey: ed25519.privatePem }),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(lab.emu.mainRequests().map((r) => r.status)).toEqual([200]);
  });

  it('stops every failing request, names the failure, and exits 1: nothing reaches Dfns or anyone else', async () => {
    const noKey = await runHopp(
      collection([{ name: 'no key', method: 'POST', url: 'http://<<dfnsApiDomain>>/wallets', json: '{}' }]),
      env({ credentialPrivateKey: '' }),
    );
    // Without dfnsApiDomain, api.dfns.io is a Dfns host: over plain http it is refused, and a body
    // variable a request-level script sets only later is refused before anything is sent.
    const refused = await runHopp(
      collection([
        { name: 'plain http', method: 'POST', url: 'http://api.dfns.io/wallets', json: '{}' },
        {
          name: 'late',
          method: 'POST',
          url: 'https://api.dfns.io/wallets',
          json: '{"name":"<<lateName>>"}',
          script: 'hopp.env.set("lateName", "set late")',
        },
        {
          name: 'request variable',
          method: 'PUT',
          url: 'https://api.dfns.io/wallets/<<walletId>>',
          json: '{}',
          variables: { walletId: 'wa-1' },
        },
      ]),
      environment({ authToken: lab.token, credentialPrivateKey: lab.key.privatePem }),
    );
    for (const run of [noKey, refused]) {
      expect(run.code).toBe(1);
      expect(
        run.results.every((r) => r.sent?.status === 'ERROR' && r.errors.map((e) => e.message).join() === 'TypeError: Invalid URL'),
      ).toBe(true);
    }
    expect(lab.emu.requests).toEqual([]);
    expect(noKey.stderr).toContain('Dfns signer: credentialPrivateKey is not set, and POST /wallets needs a user action.');
    expect(refused.stderr).toContain('Dfns signer: the request URL is plain http://api.dfns.io, which would send authToken unencrypted.');
    expect(refused.stderr).toContain('Dfns signer: the request body holds <<lateName>>, but lateName is not defined when the signer runs');
    expect(refused.stderr).toContain(
      'Dfns signer: the request URL holds <<walletId>>, but walletId is not defined when the signer runs (a request-level script may set it only after the request was signed). Define walletId in the environment,',
    );
    expect(refused.results.map((r) => r.sent?.url)).toEqual([
      expect.stringMatching(/^Dfns signer: the request URL is plain/),
      expect.stringMatching(/^Dfns signer: the request body holds «lateName», but lateName/),
      expect.stringMatching(/^Dfns signer: the request URL holds «walletId», but walletId/),
    ]);
  });
  it('pasted in the Post-request tab by mistake: the run fails with one line saying where the script belongs', async () => {
    const run = await runHopp(
      collection(
        [{ name: 'create', method: 'POST', url: 'http://<<dfnsApiDomain>>/wallets', json: '{"network":"Bitcoin"}', test: BUNDLE }],
        { script: '' },
      ),
      env(),
    );
    expect(run.code).toBe(1);
    // The CLI reports the script's error with its own prefix.
    const errors = run.results.flatMap((r) => r.errors.map((e) => `${e.code}: ${e.message}`));
    expect(errors.map((e) => e.replace(/^TEST_SCRIPT_ERROR: Script execution failed: SignerError: /, ''))).toEqual([
      expect.stringMatching(AFTER_RESPONSE_LINE),
    ]);
    // Already sent, unsigned, when the script ran: Dfns refused it, and the signer added no exchange.
    expect(lab.emu.mainRequests().map((r) => `${r.method} ${r.status}`)).toEqual(['POST 401']);
    expect(lab.emu.usedUserActions).toHaveLength(0);
  });
});
