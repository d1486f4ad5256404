// The built bundle as a Postman Package Library package: stored unchanged as `@team/dfns-signer` and
// loaded by the README's one-line pre-request script, in newman on the Postman
// app's runtime (postman-runtime 7.56.1, postman-sandbox 6) with a package resolver the way the app
// hands one over. postman-sandbox evaluates the package in the calling script's scope (with `pm`),
// once per script run; the footer's `await(...)` is then a call of an undefined name, caught, and the
// script waits for the package's pending pm.sendRequest callbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { keyCases } from '../support/keys';
import { BUNDLE, type ItemSpec, packageCollection, type Runtime, runNewman } from '../support/postman';

const NAME = '@team/dfns-signer';
// The README's line: where the package cannot load (newman has no Package Library, a misspelt name),
// it still stops the request rather than let it go out unsigned.
const REQUIRE = `try { pm.require('${NAME}'); } catch (e) { pm.test(e.message, () => { throw e; }); pm.execution.skipRequest(); }`;
const packages = { [NAME]: BUNDLE };

let emu: Emulator;
const p256 = keyCases()[0];
let token = '';

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  token = emu.addUser({ credentials: [{ id: 'cr-p256', publicKey: p256.publicKey }] }).token;
});
afterAll(() => emu.close());

const env = (extra: Record<string, string> = {}) => ({
  dfnsApiDomain: emu.url.replace('http://', ''),
  authToken: token,
  credentialPrivateKey: p256.privatePem,
  ...extra,
});
const GET: ItemSpec = { method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets?limit=2' };
const POST: ItemSpec = {
  method: 'POST',
  url: 'http://{{dfnsApiDomain}}/wallets',
  body: '{"network":"EthereumSepolia","externalId":"{{$randomUUID}}"}',
};

async function run(
  runtime: Runtime,
  items: ItemSpec[],
  script: string | undefined,
  vars: Record<string, string>,
  extra: { vaultSecrets?: { values: Record<string, string>; allowScriptAccess: boolean } } = {},
) {
  emu.reset();
  const report = await runNewman(runtime, { collection: packageCollection(items, script), env: vars, packages, ...extra });
  return { report, main: emu.mainRequests() };
}

describe('the Postman app runtime (sandbox 6): the bundle as package @team/dfns-signer', () => {
  it('a collection-level pm.require signs POST and DELETE, and the emulator accepts them; GET carries only the token', async () => {
    const items = [GET, POST, { method: 'DELETE', url: 'http://{{dfnsApiDomain}}/webhooks/{{$randomUUID}}' }];
    const { report, main } = await run('sandbox-6', items, REQUIRE, env());
    expect(report.failures).toEqual([]);
    expect(main.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 200', 'DELETE 200']);
    expect(main.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    expect(main[0].headers['x-dfns-useraction']).toBeUndefined();
    expect(main.slice(1).every((r) => typeof r.headers['x-dfns-useraction'] === 'string')).toBe(true);
    expect(emu.usedUserActions).toHaveLength(2);
    expect(report.consoleLines.filter((l) => l.startsWith('Dfns signer: signed'))).toHaveLength(2);
    // The runtime asked for the package once per script run, with the script's declaration.
    expect(report.packageRequests).toEqual(items.map(() => ({ [NAME]: { id: expect.any(String) } })));
  });

  it('a failure records one `Dfns signer:` failed test, skips the request, and nothing reaches the main route', async () => {
    const { report, main } = await run('sandbox-6', [POST], REQUIRE, env({ credentialPrivateKey: '' }));
    expect(report.failures.map((f) => f.message)).toEqual([
      expect.stringMatching(/^Dfns signer: credentialPrivateKey is not set, and POST \/wallets needs a user action\. /),
    ]);
    expect(report.failures[0].message).not.toContain('\n');
    expect(main).toEqual([]);
    expect(emu.requests).toEqual([]);
    expect(report.sent).toEqual([]);
  });

  it('a request-level script that sets a variable, then pm.requires the package, signs the body with that value (no collection script)', async () => {
    const item: ItemSpec = {
      method: 'POST',
      url: 'http://{{dfnsApiDomain}}/wallets',
      body: '{"name":"{{walletName}}"}',
      prerequest: `pm.variables.set('walletName','x'); ${REQUIRE}`,
    };
    const { report, main } = await run('sandbox-6', [item], undefined, env());
    expect(report.failures).toEqual([]);
    expect(main.map((r) => [r.status, r.body])).toEqual([[200, '{"name":"x"}']]);
    expect(emu.usedUserActions).toHaveLength(1);
  });

  it('a misspelt package name: the runtime says so, and the request is not sent', async () => {
    const { report, main } = await run('sandbox-6', [POST], REQUIRE.replace(NAME, '@team/dfns-signr'), env());
    expect(report.failures.map((f) => f.message)).toEqual([expect.stringContaining('@team/dfns-signr')]);
    expect(main).toEqual([]);
    expect(report.sent).toEqual([]);
  });

  it('reads credentialPrivateKey from Postman Vault inside the package too', async () => {
    const { report, main } = await run('sandbox-6', [POST], REQUIRE, env({ credentialPrivateKey: '' }), {
      vaultSecrets: { values: { credentialPrivateKey: p256.privatePem }, allowScriptAccess: true },
    });
    expect(report.failures).toEqual([]);
    expect(main.map((r) => r.status)).toEqual([200]);
  });
});

describe('newman 6.2', () => {
  it('its runtime (postman-runtime 7.39.1) runs the package too when handed a resolver', async () => {
    const { report, main } = await run('newman-6.2', [POST], REQUIRE, env());
    expect(report.failures).toEqual([]);
    expect(main.map((r) => r.status)).toEqual([200]);
  });

  it('newman itself hands none: a failed test `pm.require is not a function` (newman exits 1), and the request is not sent', async () => {
    emu.reset();
    const report = await runNewman('newman-6.2', { collection: packageCollection([POST], REQUIRE), env: env() });
    expect(report.failures.map((f) => f.message)).toEqual(['pm.require is not a function']);
    expect(emu.requests).toEqual([]);
    expect(report.sent).toEqual([]);
  });

  it("a bare pm.require line (without the README's try/catch) would let the request out unsigned there: why the README has it", async () => {
    emu.reset();
    const report = await runNewman('newman-6.2', { collection: packageCollection([POST], `pm.require('${NAME}');`), env: env() });
    expect(report.failures.map((f) => f.message)).toEqual(['pm.require is not a function']);
    expect(emu.mainRequests().map((r) => [r.status, r.headers.authorization, r.headers['x-dfns-useraction']])).toEqual([
      [401, undefined, undefined],
    ]);
  });
});
