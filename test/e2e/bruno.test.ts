// The built bundle as a Bruno collection's pre-request script, run by the real Bruno CLI
// (@usebruno/cli 4.1.0, `bru run`) in both sandboxes (safe = QuickJS, developer = node:vm),
// against the local Dfns emulator. Each test has its own emulator; the two sandboxes run side by
// side, the runs of one sandbox one after the other (more `bru` processes at once only thrash).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { type BruRequest, BUNDLE, collectionBru, runBru, SANDBOXES, writeCollection } from '../support/bruno';
import { keyCases } from '../support/keys';
import { AFTER_RESPONSE_LINE } from '../support/lab';

const require = createRequire(import.meta.url);
const decomment: (text: string, options: { space: boolean }) => string = require('decomment');
const keys = keyCases();
const p256 = keys[0];

async function withEmulator<T>(
  fn: (emu: Emulator) => Promise<T>,
  onRequest?: (emu: Emulator, path: string, status: number) => void,
): Promise<T> {
  const emu: Emulator = await startEmulator({ port: 0, onRequest: onRequest && ((e) => onRequest(emu, e.path, e.status)) });
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

const lanes = new Map<string, Promise<unknown>>();
function inLane<T>(lane: string, fn: () => Promise<T>): Promise<T> {
  const run = (lanes.get(lane) ?? Promise.resolve()).then(fn, fn);
  lanes.set(
    lane,
    run.catch(() => undefined),
  );
  return run;
}

const domain = (emu: Emulator) => emu.url.replace('http://', '');
const signedLines = (stdout: string) => stdout.split('\n').filter((l) => /^Dfns signer: signed /.test(l));

describe('the bundle passes `bru run` preprocessing', () => {
  it('decomment 0.9.5 ({ space: true }) accepts it: no BigInt literal, numeric separator, #private or regex v flag', () => {
    expect(() => decomment(BUNDLE, { space: true })).not.toThrow();
    // decomment tokenizes with esprima 4; ask it directly, so a failure names the culprit.
    const tokens: { type: string; value: string; regex?: { flags: string } }[] = require('esprima').tokenize(BUNDLE);
    expect(tokens.filter((t) => t.type === 'RegularExpression' && /v/.test(t.regex!.flags)).map((t) => t.value)).toEqual([]);
    expect(tokens.filter((t) => t.type === 'Numeric' && /n$|_/.test(t.value)).map((t) => t.value)).toEqual([]);
    expect(tokens.filter((t) => t.type === 'Punctuator' && t.value === '#')).toEqual([]);
  });

  it('survives collection.bru: two-space indentation parses back to the exact bundle (no line starts a block end)', () => {
    expect(BUNDLE).not.toContain('\r');
    const parsed = require('@usebruno/lang').collectionBruToJson(collectionBru(BUNDLE));
    expect(parsed.script.req.replace(/\n$/, '') === BUNDLE.replace(/\n$/, ''), 'collection.bru does not give back the bundle').toBe(true);
  });
});

describe.each(SANDBOXES)('bru run --sandbox %s', (sandbox) => {
  it.concurrent('signs every request kind as sent, with every algorithm and key format; GET gets only the token', () =>
    inLane(sandbox, () =>
      withEmulator(async (emu) => {
        const { token } = emu.addUser({ credentials: [{ id: 'cr-p256', publicKey: p256.publicKey }] });
        const post = (name: string, json: string, extra: Partial<BruRequest> = {}): BruRequest => ({
          name,
          method: 'POST',
          url: 'http://{{dfnsApiDomain}}/wallets',
          json,
          ...extra,
        });
        const kinds: BruRequest[] = [
          { name: 'list', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets?limit=2' },
          post('create', '{"network":"EthereumSepolia","externalId":"{{$randomUUID}}","name":"{{walletName}}"}'),
          {
            name: 'rename',
            method: 'PUT',
            url: '{{dfnsApiDomain}}/wallets/:walletId',
            pathParams: { walletId: 'wa-{{$randomInt}}' },
            json: '{"name":"renamed"}',
          },
          { name: 'delete', method: 'DELETE', url: 'http://{{dfnsApiDomain}}/webhooks/{{$randomUUID}}?force=true' },
          post('comments', '{\n  // a comment\n  "url": "https://x.io/a//b", /* another */ "n": 1\n}'),
          post('bearer', '{"network":"Bitcoin"}', { bearer: '{{authToken}}' }),
          { name: 'quote', method: 'POST', url: 'http://{{dfnsApiDomain}}/swaps/quotes', json: '{"amount":"1"}' },
          post('own', '{}', { headers: { 'X-DFNS-USERACTION': 'mine', Authorization: 'Bearer {{authToken}}' } }),
        ];
        // One request per key, each with its own user: request-level variables win over the environment.
        const perKey = keys.map((k, i) =>
          post(`key-${i}`, '{"network":"Bitcoin"}', {
            vars: {
              authToken: emu.addUser({ credentials: [{ id: `cr-${i}`, publicKey: k.publicKey }] }).token,
              credentialPrivateKey: k.privatePem,
            },
          }),
        );
        const requests = [...kinds, ...perKey];
        const env = { dfnsApiDomain: domain(emu), authToken: 'replaced by --env-var', walletName: 'ünïcode 😀' };
        // As in CI: secrets on the command line. `--env-var name=value` stops at a newline, so the
        // key goes in its one-line form, with literal \n.
        const secrets = { authToken: token, credentialPrivateKey: p256.privatePem.trim().split('\n').join('\\n') };
        const run = await runBru(writeCollection(requests, env), sandbox, secrets);

        expect(
          run.results.map((r) => `${r.name} ${r.status}`),
          run.stdout,
        ).toEqual(requests.map((r, i) => `${String(i + 1).padStart(2, '0')}-${r.name} pass`));
        expect(run.code).toBe(0);
        const main = emu.mainRequests();
        expect(main.map((r) => `${r.method} ${r.status}`)).toEqual([
          ...['GET 200', 'POST 200', 'PUT 200', 'DELETE 200', 'POST 200', 'POST 200', 'POST 200', 'POST 403'],
          ...keys.map(() => 'POST 200'),
        ]);
        expect(main.slice(0, kinds.length).every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
        expect(main[0].headers['x-dfns-useraction']).toBeUndefined();
        expect(main[1].body).toContain('"name":"ünïcode 😀"');
        expect(main[2].path).toMatch(/^\/wallets\/wa-\d+$/);
        expect(JSON.parse(main[4].body)).toEqual({ url: 'https://x.io/a//b', n: 1 });
        expect(main[7].headers['x-dfns-useraction']).toBe('mine');
        expect(emu.usedUserActions).toHaveLength(5 + keys.length);
        expect(run.stdout + run.stderr).not.toContain(token);

        const lines = signedLines(run.stdout);
        expect(lines).toHaveLength(5 + keys.length);
        const timings = lines
          .slice(5)
          .map((l, i) => `${keys[i].name.padEnd(40)} ${/\(([^)]+)\) in (\d+) ms/.exec(l)!.slice(1).join(': ')} ms`);
        console.log(`bru run --sandbox ${sandbox}: signing time per request, two local round trips included\n${timings.join('\n')}`);
      }),
    ));

  it.concurrent('fails one request at a time with one clear line, never sends it, and exits 1', () =>
    inLane(sandbox, () =>
      withEmulator(
        async (emu) => {
          const user = emu.addUser({ credentials: [{ id: 'cr-p256', publicKey: p256.publicKey }] });
          const expired = emu.token({ userId: user.userId, expiresInSeconds: -60 });
          // The next init answers 500 and the next completion 401; once that 401 is out, onRequest
          // (below) makes the init after it answer HTML.
          emu.setFault({ init: { status: 500, times: 1 }, complete: { status: 401, times: 1 } });
          const post = (name: string, vars: Record<string, string> = {}): BruRequest => ({
            name,
            method: 'POST',
            url: 'http://{{dfnsApiDomain}}/wallets',
            json: '{"network":"Bitcoin"}',
            vars,
          });
          const requests = [
            post('no-token', { authToken: '' }),
            post('expired-token', { authToken: expired }),
            post('bad-key', { credentialPrivateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' }),
            post('refused', { dfnsApiDomain: '127.0.0.1:1' }),
            post('init-500'),
            post('complete-401'),
            post('init-not-json'),
            post('fine'),
          ];
          const env = { dfnsApiDomain: domain(emu), authToken: user.token, credentialPrivateKey: p256.privatePem };
          const run = await runBru(writeCollection(requests, env), sandbox);

          expect(run.code).toBe(1);
          expect(
            run.results.map((r) => `${r.name} ${r.status}`),
            run.stdout,
          ).toEqual(requests.map((r, i) => `0${i + 1}-${r.name} ${r.name === 'fine' ? 'pass' : 'error'}`));
          const errors = run.results.map((r) => r.error ?? '');
          expect(errors[0]).toMatch(/^Dfns signer: authToken is not set\. /);
          expect(errors[1]).toMatch(/^Dfns signer: authToken expired at /);
          expect(errors[2]).toMatch(/^Dfns signer: credentialPrivateKey /);
          expect(errors[3]).toMatch(/^Dfns signer: could not reach http:\/\/127\.0\.0\.1:1\/auth\/action\/init \(ECONNREFUSED\)/);
          expect(errors[4]).toMatch(/^Dfns signer: .*POST \/auth\/action\/init.*500/);
          expect(errors[5]).toMatch(/^Dfns signer: .*POST \/auth\/action\b.*401/);
          expect(errors[6]).toMatch(/^Dfns signer: .*POST \/auth\/action\/init/);
          // Each message on a line of its own, and none of the bundle's minified source around it.
          for (const message of errors.slice(0, 7)) expect(run.stdout.split('\n')).toContain(message);
          expect(run.stdout).not.toContain('dfnsSigner=');
          expect(emu.mainRequests().map((r) => r.body)).toEqual(['{"network":"Bitcoin"}']);
          expect(emu.usedUserActions).toHaveLength(1);
        },
        (emu, path, status) => {
          if (path === '/auth/action' && status === 401) emu.setFault({ init: { nonJson: true, times: 1 } });
        },
      ),
    ));
  it.concurrent('pasted in the Post Response tab by mistake: the run fails with one line saying where the script belongs', () =>
    inLane(sandbox, () =>
      withEmulator(async (emu) => {
        const { token } = emu.addUser({ credentials: [{ id: 'cr-p256', publicKey: p256.publicKey }] });
        const requests: BruRequest[] = [
          { name: 'create', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', json: '{"network":"Bitcoin"}' },
        ];
        const env = { dfnsApiDomain: domain(emu), authToken: token, credentialPrivateKey: p256.privatePem };
        const run = await runBru(writeCollection(requests, env, BUNDLE, 'post-response'), sandbox);

        expect(run.code, run.stdout).toBe(1);
        expect(run.stdout.split('\n').map((l) => l.trim())).toContainEqual(expect.stringMatching(AFTER_RESPONSE_LINE));
        // Already sent, unsigned, when the script ran: Dfns refused it, and the signer added no exchange.
        expect(emu.mainRequests().map((r) => `${r.method} ${r.status}`)).toEqual(['POST 401']);
        expect(emu.usedUserActions).toHaveLength(0);
      }),
    ));
});
