// The built bundle, pasted as the collection's pre-request script, in newman 6.2 (postman-sandbox 4.7)
// and in newman on the Postman app's runtime (postman-sandbox 6.x), against the local Dfns emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { keyCases } from '../support/keys';
import { AFTER_RESPONSE_LINE } from '../support/lab';
import { BUNDLE, collection, type ItemSpec, RUNTIMES, runNewman } from '../support/postman';

let emu: Emulator;
const keys = keyCases();
const p256 = keys[0];
let token = '';

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  token = emu.addUser({ credentials: [{ id: 'cr-p256', publicKey: p256.publicKey }] }).token;
});
afterAll(() => emu.close());

const base = () => emu.url.replace('http://', '');
const env = (extra: Record<string, string> = {}) => ({
  dfnsApiDomain: base(),
  authToken: token,
  credentialPrivateKey: p256.privatePem,
  ...extra,
});

async function run(runtime: (typeof RUNTIMES)[number], items: ItemSpec[], vars: Record<string, string>) {
  emu.reset();
  const report = await runNewman(runtime, { collection: collection(items), env: vars });
  return { report, main: emu.mainRequests() };
}

describe.each(RUNTIMES)('%s', (runtime) => {
  it('signs POST, PUT, DELETE with dynamic variables in body and path; GET carries only the token', async () => {
    const items: ItemSpec[] = [
      { method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets?limit=2' },
      {
        method: 'POST',
        url: 'http://{{dfnsApiDomain}}/wallets',
        body: '{"network":"EthereumSepolia","externalId":"{{$randomUUID}}","name":"{{walletName}}"}',
      },
      {
        method: 'PUT',
        url: 'http://{{dfnsApiDomain}}/wallets/:walletId',
        pathVariables: { walletId: 'wa-{{$randomInt}}' },
        body: '{"name":"renamed"}',
      },
      { method: 'DELETE', url: 'http://{{dfnsApiDomain}}/webhooks/{{$randomUUID}}?force=true' },
      { method: 'POST', url: 'http://{{dfnsApiDomain}}/swaps/quotes', body: '{"amount":"1"}' },
    ];
    const { report, main } = await run(runtime, items, env({ walletName: 'ünïcode 😀' }));
    expect(report.failures).toEqual([]);
    expect(main.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 200', 'PUT 200', 'DELETE 200', 'POST 200']);
    expect(main.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    expect(main[0].headers['x-dfns-useraction']).toBeUndefined();
    expect(main[1].body).toContain('"name":"ünïcode 😀"');
    expect(main[2].path).toMatch(/^\/wallets\/wa-\d+$/);
    expect(emu.usedUserActions).toHaveLength(3);
    expect(report.consoleLines.filter((l) => l.includes('signed'))).toHaveLength(3);
    expect(report.consoleLines.join('\n')).not.toContain(token);
  });

  it('signs the body as the runtime sends it, JSON comments stripped', async () => {
    const body = '{\n  // a comment\n  "url": "https://x.io/a//b", /* another */ "n": 1\n}';
    const { report, main } = await run(runtime, [{ method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body }], env());
    expect(report.failures).toEqual([]);
    expect(main[0].status).toBe(200);
    expect(main[0].headers['content-type']).toContain('application/json');
    expect(JSON.parse(main[0].body)).toEqual({ url: 'https://x.io/a//b', n: 1 });
  });

  it('pasted in the Post-response (Tests) tab by mistake: one failed test saying where it belongs', async () => {
    const signerAfterwards = collection([{ method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' }], '');
    signerAfterwards.event = [{ listen: 'test', script: { type: 'text/javascript', exec: BUNDLE.split('\n') } }];
    const report = await runNewman(runtime, { collection: signerAfterwards, env: env() });
    expect(report.failures.map((f) => f.message)).toEqual([expect.stringMatching(AFTER_RESPONSE_LINE)]);
  });

  it('leaves a request that already carries X-DFNS-USERACTION or its own Authorization alone', async () => {
    const { report, main } = await run(
      runtime,
      [
        {
          method: 'POST',
          url: 'http://{{dfnsApiDomain}}/wallets',
          body: '{}',
          headers: { 'X-DFNS-USERACTION': 'mine', Authorization: 'Bearer {{authToken}}' },
        },
      ],
      env(),
    );
    expect(report.failures).toEqual([]);
    expect(main[0].headers['x-dfns-useraction']).toBe('mine');
    expect(main[0].status).toBe(403);
    expect(emu.requests.filter((r) => r.path.startsWith('/auth/action'))).toHaveLength(0);
  });
});

describe('every algorithm and key format (newman 6.2)', () => {
  it.each(keys.map((k) => [k.name, k] as const))('%s', async (_name, key) => {
    const user = emu.addUser({ credentials: [{ id: 'cr-k', publicKey: key.publicKey }] });
    const { report, main } = await run(
      'newman-6.2',
      [{ method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' }],
      env({ authToken: user.token, credentialPrivateKey: key.privatePem }),
    );
    expect(report.failures).toEqual([]);
    expect(main.map((r) => r.status)).toEqual([200]);
  });
});
