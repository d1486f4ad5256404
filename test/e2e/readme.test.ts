// README.md's "Each client against the emulator", run as written: every block marked `<!-- readme-test: <name> -->`
// is taken from the README itself (not copied here), in a directory laid out like a fresh clone after `npm ci` (its
// entries are links to this checkout's), with /bin/sh as a user's shell: the first block starts the emulator (`npm run
// emulator`, in the background here), the second reads the variables it wrote, and each client's block runs against
// it, with the generated collections as committed. What the emulator received comes from its --verbose log, which
// marks a verified user action, so each client's run is checked request by request. Insomnia, which no registry
// installs, gets the environment its block prints and sends the committed export's requests through the harness
// (test/support/insomnia-harness.ts), as the script and as the plugin. `postman` is the binary of test/clients, as
// `npm install -g postman-cli@<pinned>` would put it on the PATH (its install line: test/e2e/postman-cli.test.ts).
// Cost: one run of each client CLI, about 40-60 s in all on an idle machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PLUGIN_DIR } from '../../scripts/build-insomnia.mjs';
import { type InsomniaRequest, type RequestHook, runPreRequestScript, runRequestHook } from '../support/insomnia-harness';
import { runPostmanShell } from '../support/postman-cli';

const ROOT = new URL('../..', import.meta.url).pathname;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The README's marked blocks, by name: `<!-- readme-test: name -->`, then a fenced block whose text is the command. */
function readmeBlocks(text: string): Record<string, string> {
  const blocks: Record<string, string> = {};
  for (const m of text.matchAll(/^<!-- readme-test: ([\w-]+) -->\n```\w*\n([\s\S]*?)\n```$/gm)) {
    if (m[1] in blocks) throw new Error(`two README blocks are marked ${m[1]}`);
    blocks[m[1]] = m[2];
  }
  return blocks;
}
const blocks = readmeBlocks(README);

/** A directory like a clone after `npm ci`: this checkout's entries, linked (what the commands write stays in it). */
function clone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-readme-'));
  for (const name of readdirSync(ROOT))
    if (!['.git', 'emulator.env', '.yaak-emulator'].includes(name)) symlinkSync(join(ROOT, name), join(dir, name));
  return dir;
}

const NO_NPM_UPDATE_CHECK = { npm_config_update_notifier: 'false' };
let dir = '';
let emulator: ChildProcess;
let exited: Promise<number | null>;
let log = '';

beforeAll(async () => {
  dir = clone();
  emulator = spawn('/bin/sh', ['-c', blocks.emulator], {
    cwd: dir,
    env: { ...process.env, ...NO_NPM_UPDATE_CHECK },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => emulator.on('exit', (code) => resolve(code)));
  emulator.stdout!.resume();
  emulator.stderr!.on('data', (d: Buffer) => (log += d.toString('utf8')));
  await vi.waitFor(() => expect(existsSync(join(dir, 'emulator.env')), log).toBe(true), { timeout: 60_000, interval: 100 });
}, 90_000);

afterAll(async () => {
  try {
    if (emulator?.pid) process.kill(-emulator.pid, 'SIGTERM');
  } catch {
    // stopped by the last test already
  }
  await exited;
});

/** A client's block after the variables' block, in the clone, as a user's shell runs it; and what the emulator logged meanwhile. */
async function client(name: string) {
  expect(blocks[name], `README.md has no block marked readme-test: ${name}`).toBeDefined();
  const before = log.length;
  // (npm would look for a newer npm on the registry from a HOME it has not seen: not part of any command.)
  const run = await runPostmanShell(`${blocks.shell}\n${blocks[name]}`, { cwd: dir, env: NO_NPM_UPDATE_CHECK, timeoutMs: 150_000 });
  // The last line of a request's log can come after the client has exited.
  await vi.waitFor(() => expect(log.endsWith('\n') || log.length === before).toBe(true));
  const received = log.slice(before).split('\n').filter(Boolean);
  return { ...run, output: run.stdout + run.stderr, received, main: received.filter((l) => !/ \/auth\/action(\/init)?$/.test(l)) };
}

/** The log of a signed request: the exchange (init, complete), then the request with its verified user action. */
const signed = (line: string) => ['200 POST /auth/action/init', '200 POST /auth/action', `${line} [X-DFNS-USERACTION]`];
const FOUR = [
  '200 GET /wallets',
  ...signed('200 POST /wallets'),
  ...signed('200 PUT /wallets/wa-emulator'),
  ...signed('200 DELETE /webhooks/wh-emulator'),
];

describe("README.md's commands against the emulator, as written", { timeout: 180_000 }, () => {
  it('the emulator block writes emulator.env (mode 600) and the shell block reads it', async () => {
    expect(Object.keys(blocks)).toEqual([
      'emulator',
      'shell',
      'newman',
      'postman-cli',
      'bruno',
      'hoppscotch',
      'httpyac',
      'apidog',
      'yaak',
      'insomnia',
    ]);
    const vars = await runPostmanShell(
      `${blocks.shell}\nprintf '%s\\n' "$DFNS_API_DOMAIN" "$DFNS_CREDENTIAL_ID" "$DFNS_PRIVATE_KEY_FILE"`,
      { cwd: dir },
    );
    const [domain, credentialId, keyFile] = vars.stdout.split('\n');
    expect(domain).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(credentialId).toMatch(/^cr-/);
    expect(readFileSync(keyFile, 'utf8')).toContain('-----BEGIN EC PRIVATE KEY-----');
  });

  it('newman: a GET, a signed POST and a signed PUT whose path variable came from --env-var; each status check passes', async () => {
    const r = await client('newman');
    expect(r.code, r.output).toBe(0);
    expect(r.received).toEqual(['200 GET /wallets', ...signed('200 POST /wallets'), ...signed('200 PUT /wallets/wa-emulator')]);
    expect(r.output.match(/✓ {2}Dfns answered 200|√ {2}Dfns answered 200/g)).toHaveLength(3);
    expect(r.output).toContain('Dfns signer: signed POST /wallets');
  });

  it('the Postman CLI: the same three requests', async () => {
    const r = await client('postman-cli');
    expect(r.code, r.output).toBe(0);
    expect(r.received).toEqual(['200 GET /wallets', ...signed('200 POST /wallets'), ...signed('200 PUT /wallets/wa-emulator')]);
    expect(r.output.match(/Dfns answered 200/g)).toHaveLength(3);
  });

  it('Bruno (bru run in collections/bruno): the four requests and Check my setup, the PEM on one line', async () => {
    const r = await client('bruno');
    expect(r.code, r.output).toBe(0);
    expect(r.received).toEqual([...FOUR, '200 GET /auth/credentials']);
    expect(r.output.match(/✓ Dfns answered 200/g)).toHaveLength(4);
    expect(r.output).toContain('✓ Dfns setup: a signed request would work');
    expect(r.output).toContain('Dfns signer: signed POST /wallets');
  });

  it('Hoppscotch (hopp test from test/clients): the quickstart collection, every variable from the process environment', async () => {
    const r = await client('hoppscotch');
    expect(r.code, r.output).toBe(0);
    expect(r.received).toEqual(FOUR);
    expect(r.output.match(/✔ Dfns answered 200/g)).toHaveLength(4);
    expect(r.output).toContain('Dfns signer: signed POST /wallets');
  });

  it('httpyac: collections/httpyac/dfns-api.http, the defaults overridden with --var', async () => {
    const r = await client('httpyac');
    expect(r.code, r.output).toBe(0);
    expect(r.received).toEqual(FOUR);
    expect(r.output.match(/✓ Dfns answered 200/g)).toHaveLength(4);
    expect(r.output).toContain('Dfns signer: signed POST /wallets');
  });

  it('Apidog (apidog run from test/clients): the collection in its own export format', async () => {
    const r = await client('apidog');
    expect(r.code, r.output).toBe(0);
    expect(r.received).toEqual(FOUR);
    expect(r.output.match(/✓ {2}Dfns answered 200/g)).toHaveLength(4);
    expect(r.output).toContain('Dfns signer: signed POST /wallets');
  });

  it('Yaak: the plugin installed, the workspace imported, an environment made, the workspace sent', async () => {
    const r = await client('yaak');
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Send summary: 4 succeeded, 0 failed');
    // Yaak sends a workspace's requests in an order of its own: each one, signed where it needs it.
    expect([...r.main].sort()).toEqual(FOUR.filter((l) => !/ \/auth\/action(\/init)?$/.test(l)).sort());
    expect(r.received.filter((l) => l === '200 POST /auth/action')).toHaveLength(3);
  });

  it('Insomnia: the environment the block prints, with the export as committed, as the script (Insomnia 10) and as the plugin (newest)', async () => {
    const r = await client('insomnia');
    expect(r.code, r.output).toBe(0);
    const environment = JSON.parse(r.stdout);
    const { resources } = JSON.parse(readFileSync(join(ROOT, 'collections/insomnia/dfns-api.insomnia.json'), 'utf8'));
    const base = resources.find((x: any) => x._type === 'environment' && x.parentId === resources[0]._id);
    const folder = resources.find((x: any) => x._type === 'request_group');
    const requests: InsomniaRequest[] = resources
      .filter((x: any) => x._type === 'request')
      .map((x: any) => ({
        url: x.url,
        method: x.method,
        body: x.body,
        headers: x.headers,
        pathParameters: x.pathParameters,
        settingEncodeUrl: x.settingEncodeUrl,
      }));
    const ws = { baseEnvironment: base.data, environment: environment };
    const hook: RequestHook = (context) => createRequire(import.meta.url)(join(PLUGIN_DIR, 'main.js')).requestHooks[0](context);
    const before = log.length;
    for (const request of requests) {
      const script = await runPreRequestScript(
        undefined,
        request,
        { ...ws, folders: [{ name: folder.name, preRequestScript: folder.preRequestScript }] },
        { version: '10' },
      );
      expect([script.error, script.status]).toEqual([undefined, 200]);
      const plugin = await runRequestHook(hook, request, ws, { version: 'newest' });
      expect([plugin.error, plugin.status]).toEqual([undefined, 200]);
    }
    // Each request went out twice, signed where it needs a user action: by the script, then by the plugin.
    const main = FOUR.filter((l) => !/ \/auth\/action(\/init)?$/.test(l));
    await vi.waitFor(() => expect(log.slice(before).split('\n').filter(Boolean)).toHaveLength(2 * FOUR.length));
    const received = log.slice(before).split('\n').filter(Boolean);
    expect(received.filter((l) => !/ \/auth\/action(\/init)?$/.test(l))).toEqual(main.flatMap((l) => [l, l]));
  });

  it('stopping the emulator (SIGTERM, as Ctrl-C in its terminal) removes emulator.env', async () => {
    process.kill(-emulator.pid!, 'SIGTERM');
    await exited;
    await vi.waitFor(() => expect(existsSync(join(dir, 'emulator.env'))).toBe(false));
  });
});
