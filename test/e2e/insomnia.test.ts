// Insomnia, which no registry installs: dist/dfns-signer.js run as a pre-request script, and the
// Insomnia plugin (dist/insomnia-plugin-dfns-signer) run as a request hook, in a harness built from
// Insomnia's sources (test/support/insomnia-harness.ts says which), against the local emulator.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleInsomniaPlugin, PLUGIN_DIR } from '../../scripts/build-insomnia.mjs';
import { startEmulator, type Emulator } from '../../emulator/emulator.mjs';
import { HeaderList, Header, checkScript, checkScriptDetails, pasteIntoScriptEditor, runPreRequestScript, runRequestHook, type InsomniaRequest, type InsomniaWorkspace, type ScriptOptions } from '../support/insomnia-harness';
import { keyCases } from '../support/keys';

const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');
const keys = keyCases();
const p256 = keys[0];

let emu: Emulator;
let token = '';
let userId = '';
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  ({ token, userId } = emu.addUser({ credentials: [{ id: 'cr-p256', publicKey: p256.publicKey }] }));
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const ws = (extra: Record<string, unknown> = {}): InsomniaWorkspace => ({
  baseEnvironment: { dfnsApiDomain: emu.url.replace('http://', '') },
  environment: { authToken: token, credentialPrivateKey: p256.privatePem, ...extra },
});
const json = (text: string) => ({ mimeType: 'application/json', text });
const post = (path = '/wallets', body = '{"network":"Bitcoin"}'): InsomniaRequest => ({ url: `http://{{ _.dfnsApiDomain }}${path}`, method: 'POST', body: json(body), headers: [{ name: 'Content-Type', value: 'application/json' }] });

// The kinds of request a user sends, shared by the script and the plugin runs.
const kinds: InsomniaRequest[] = [
  { url: '{{ _.dfnsApiDomain }}/wallets', method: 'GET', parameters: [{ name: 'limit', value: '2' }], body: {} },
  {
    url: 'http://{{ _.dfnsApiDomain }}/wallets',
    method: 'POST',
    // An empty Authorization the signer fills in, between neighbours: none may be lost (PropertyList.upsert drops X-Middle).
    headers: [{ name: 'X-Before', value: 'b' }, { name: 'Authorization', value: '' }, { name: 'X-Middle', value: 'm' }, { name: 'Content-Type', value: 'application/json' }, { name: 'X-After', value: 'a' }],
    body: json('{"network":"EthereumSepolia","externalId":"{{ $randomUUID }}","name":"{{ _.walletName }}"}'),
  },
  { url: 'http://{{ dfnsApiDomain }}/wallets/:walletId', method: 'PUT', pathParameters: [{ name: 'walletId', value: 'wa 1/ü' }], body: json('{"name":"renamed"}'), headers: [{ name: 'Content-Type', value: 'application/json' }] },
  { url: 'http://{{ _.dfnsApiDomain }}/webhooks/wh-1', method: 'DELETE', body: {} },
  { url: 'http://{{ _.dfnsApiDomain }}/wallets', method: 'POST', body: json('{}'), authentication: { type: 'bearer', token: '{{ _.authToken }}' }, headers: [{ name: 'Content-Type', value: 'application/json' }] },
  { url: 'http://{{ _.dfnsApiDomain }}/auth/login/init', method: 'POST', body: json('{"username":"x"}'), headers: [{ name: 'Content-Type', value: 'application/json' }] },
];

function expectKindsSigned(outcomes: { error?: string; status?: number; sent?: { headers: Record<string, string> } }[]) {
  expect(outcomes.map((o) => o.error)).toEqual(kinds.map(() => undefined));
  expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200, 200, 200]);
  const main = emu.mainRequests();
  expect(main.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /wallets', 'POST /wallets', 'PUT /wallets/wa%201%2F%C3%BC', 'DELETE /webhooks/wh-1', 'POST /wallets', 'POST /auth/login/init']);
  expect(main.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
  expect(main[0].query).toBe('limit=2');
  expect(main[0].headers['x-dfns-useraction']).toBeUndefined();
  expect(main[1].headers['x-before']).toBe('b');
  expect(main[1].headers['x-after']).toBe('a');
  expect(main[1].headers['x-middle']).toBe('m');
  expect(main[1].body).toMatch(/^\{"network":"EthereumSepolia","externalId":"[0-9a-f-]{36}","name":"ünïcode 😀"\}$/);
  expect(emu.usedUserActions).toHaveLength(4);
}

const failures: [string, () => { vars?: Record<string, unknown>; fault?: Parameters<Emulator['setFault']>[0]; path?: string }, RegExp][] = [
  ['authToken missing', () => ({ vars: { authToken: '' } }), /Dfns signer: authToken is not set\. /],
  ['authToken expired', () => ({ vars: { authToken: emu.token({ userId, expiresInSeconds: -60 }) } }), /Dfns signer: authToken expired at /],
  ['a key that is not one', () => ({ vars: { credentialPrivateKey: 'nonsense' } }), /Dfns signer: credentialPrivateKey /],
  ['init answers 500', () => ({ fault: { init: { status: 500 } } }), /Dfns signer: .*POST \/auth\/action\/init.*500/],
  ['init answers HTML', () => ({ fault: { init: { nonJson: true } } }), /Dfns signer: .*POST \/auth\/action\/init/],
  ['completion answers 401', () => ({ fault: { complete: { status: 401 } } }), /Dfns signer: .*POST \/auth\/action\b.*401/],
  ['nothing listens', () => ({ vars: { dfnsApiDomain: '127.0.0.1:1' } }), /Dfns signer: could not reach http:\/\/127\.0\.0\.1:1\/auth\/action\/init/],
];

describe.each([
  { name: 'Insomnia 10/11 (hidden-window.ts)', options: { version: '11' } as ScriptOptions },
  { name: 'Insomnia 12.5+ with the script sandbox off', options: { version: '12.5', sandbox: false } as ScriptOptions },
])('dist/dfns-signer.js as a pre-request script, $name', ({ options }) => {
  it('signs POST, PUT (path parameter) and DELETE as sent, keeps every other header; GET gets only the token', async () => {
    const outcomes = [];
    for (const request of kinds) outcomes.push(await runPreRequestScript(BUNDLE, request, ws({ walletName: 'ünïcode 😀' }), options));
    expectKindsSigned(outcomes);
    expect(outcomes.flatMap((o) => o.logs).filter((l) => l.startsWith('Dfns signer: signed'))).toHaveLength(4);
  });

  it("survives the script editor's pm. to insomnia. rewrite on paste: the bundle holds no pm. to rewrite", async () => {
    const pasted = pasteIntoScriptEditor(BUNDLE);
    expect(pasted).toBe(BUNDLE);
    const outcome = await runPreRequestScript(pasted, post(), ws(), options);
    expect(outcome.status, outcome.error).toBe(200);
    expect(emu.usedUserActions).toHaveLength(1);
  });

  it.each(failures)('%s: one clear line, the request is not sent', async (_name, setup, message) => {
    const { vars, fault } = setup();
    if (fault) emu.setFault(fault);
    const outcome = await runPreRequestScript(BUNDLE, post(), ws(vars), options);
    expect(outcome.error).toMatch(new RegExp(`^Execute pre-request script failed: ${message.source}`));
    expect(outcome.error!.split('\n')).toHaveLength(1);
    expect(outcome.sent).toBeUndefined();
    expect(emu.mainRequests()).toEqual([]);
  });

  it('signs with every algorithm and key format', async () => {
    const lines: string[] = [];
    for (const [i, key] of keys.entries()) {
      const user = emu.addUser({ credentials: [{ id: `cr-k${i}`, publicKey: key.publicKey }] });
      const outcome = await runPreRequestScript(BUNDLE, post(), ws({ authToken: user.token, credentialPrivateKey: key.privatePem }), options);
      expect(outcome.status, outcome.error).toBe(200);
      lines.push(`${key.name.padEnd(40)} ${outcome.logs.find((l) => l.startsWith('Dfns signer: signed'))!.replace(/^.*\(/, '(')}`);
    }
    console.log(`Insomnia harness ${options.version}${options.sandbox === false ? ' (sandbox off)' : ''}, V8:\n${lines.join('\n')}`);
  });
});

describe('Insomnia 12.5+ with its script sandbox on (the default)', () => {
  it('rejects dist/dfns-signer.js before running it, as it rejects any bundled crypto library', async () => {
    const details = checkScriptDetails(BUNDLE);
    console.log(`Insomnia 12.5 checker (${details.parser}) on dist/dfns-signer.js: ${JSON.stringify(details.counts)}`);
    expect(details.violation).toMatch(/^The script was blocked because it used /);
    expect(details.counts['root this']).toBeGreaterThan(0);
    expect(details.counts['unresolvable property']).toBeGreaterThan(0);
    const outcome = await runPreRequestScript(BUNDLE, post(), ws(), { version: '12.5' });
    expect(outcome.error).toMatch(/^Execute pre-request script failed: The script was blocked because it used /);
    expect(emu.requests).toEqual([]);
  });
});

describe('the Insomnia plugin (dist/insomnia-plugin-dfns-signer)', () => {
  const require = createRequire(import.meta.url);
  const pluginMain = join(PLUGIN_DIR, 'main.js');
  const hook = (context: unknown) => require(pluginMain).requestHooks[0](context);

  it('is what the sources build (run `node scripts/build-insomnia.mjs`) and a package Insomnia loads', async () => {
    const built = await bundleInsomniaPlugin();
    for (const [name, text] of Object.entries(built)) expect(readFileSync(join(PLUGIN_DIR, name), 'utf8') === text, `${name} differs from a fresh build`).toBe(true);
    const manifest = JSON.parse(built['package.json']);
    expect(manifest.name).toMatch(/^insomnia-plugin-/);
    expect(manifest.insomnia).toBeTypeOf('object');
    expect(require(pluginMain).requestHooks).toHaveLength(1);
  });

  it('signs POST, PUT (path parameter) and DELETE as rendered, keeps every other header; GET gets only the token', async () => {
    const outcomes = [];
    for (const request of kinds) outcomes.push(await runRequestHook(hook, request, ws({ walletName: 'ünïcode 😀' })));
    expectKindsSigned(outcomes);
    expect(outcomes.flatMap((o) => o.alerts)).toEqual([]);
  });

  it('leaves requests alone when the environment has no authToken', async () => {
    const outcome = await runRequestHook(hook, { url: 'http://{{ _.dfnsApiDomain }}/wallets', method: 'POST', body: json('{}') }, { baseEnvironment: { dfnsApiDomain: emu.url.replace('http://', '') } });
    expect(outcome.status).toBe(401);
    expect(emu.mainRequests()[0].headers.authorization).toBeUndefined();
    expect(emu.requests.filter((r) => r.path.startsWith('/auth/action'))).toEqual([]);
  });

  it.each(failures)('%s: the request fails, the line shows in a dialog and the console, nothing is sent', async (_name, setup, message) => {
    const { vars, fault } = setup();
    if (fault) emu.setFault(fault);
    const outcome = await runRequestHook(hook, post(), ws(vars));
    expect(outcome.error).toBe('Failed to transform request with plugins: req_1');
    expect(outcome.alerts).toHaveLength(1);
    expect(outcome.alerts[0]).toMatch(new RegExp(`^Dfns signer: ${message.source}`));
    expect(outcome.logs.some((l) => message.test(l))).toBe(true);
    expect(emu.mainRequests()).toEqual([]);
  });

  it('signs with every algorithm and key format', async () => {
    for (const [i, key] of keys.entries()) {
      const user = emu.addUser({ credentials: [{ id: `cr-k${i}`, publicKey: key.publicKey }] });
      const outcome = await runRequestHook(hook, post(), ws({ authToken: user.token, credentialPrivateKey: key.privatePem }));
      expect(outcome.status, outcome.logs.join('\n')).toBe(200);
    }
  });
});

describe('the harness reproduces what the signer depends on', () => {
  it('PropertyList.upsert drops the header after the one it replaces (properties.ts), which is why the signer uses upsertHeader', () => {
    const list = new HeaderList(['A', 'B', 'C', 'D'].map((key) => new Header({ key, value: key.toLowerCase() })));
    list.upsert(new Header({ key: 'B', value: 'b2' }));
    expect(list.list.map((h) => `${h.key}=${h.value}`)).toEqual(['A=a', 'B=b2', 'D=d']);
  });

  it('its checker blocks and allows what sandbox.test.ts says', () => {
    for (const code of ['this.x', 'obj[someExpr]', 'const g = globalThis; g.x', 'Buffer.from("a")', 'a.constructor', 'Object.defineProperty(a, "b", {})']) expect(checkScript(code), code).toBeDefined();
    for (const code of ['obj["literal"]', 'insomnia.request.upsertHeader({ key: "a", value: "b" })', 'const x = [1, 2]; x.map((y) => y + 1)']) expect(checkScript(code), code).toBeUndefined();
  });
});
