// `dfns-signer doctor` (src/doctor.ts, run by bin/commands/doctor.js from its Node build dist/doctor.mjs)
// against the emulator: what it says of a setup that works, every problem line with its fix, and that no
// output ever holds the token or the key. Then the command itself: its options, output and exit codes.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { bundleDoctor, DOCTOR_FILE } from '../../scripts/build-doctor.mjs';
import { apiOrigin, type Diagnosis, diagnose, nodeTransport } from '../../src/doctor';
import { startThirdParty, type ThirdParty } from '../support/third-party';

const pair = (type: 'ec' | 'ed25519') =>
  type === 'ec' ? crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : crypto.generateKeyPairSync('ed25519');
const pem = (k: crypto.KeyObject) => k.export({ format: 'pem', type: 'pkcs8' }).toString();
const laptop = pair('ec');
const old = pair('ed25519');
const stranger = pair('ec');

let emu: Emulator;
let other: ThirdParty;
let user = { userId: '', token: '' };
let host = '';

beforeAll(async () => {
  mkdirSync(new URL('../../.tmp/', import.meta.url), { recursive: true });
  emu = await startEmulator({ port: 0 });
  other = await startThirdParty();
  host = emu.url.replace('http://', '');
  user = emu.addUser({
    username: 'alice@example.com',
    kind: 'CustomerEmployee',
    credentials: [
      { id: 'cr-1', publicKey: laptop.publicKey, name: 'laptop' },
      { id: 'cr-old', publicKey: old.publicKey, active: false },
    ],
  });
});
afterAll(async () => {
  await emu.close();
  await other.close();
});

const vars = (extra: Record<string, string> = {}) => ({
  dfnsApiDomain: host,
  authToken: user.token,
  credentialPrivateKey: pem(laptop.privateKey),
  ...extra,
});
const secrets = () => [user.token.split('.')[1], pem(laptop.privateKey).split('\n')[1], pem(old.privateKey).split('\n')[1]];

async function doctor(variables: Record<string, string>): Promise<Diagnosis> {
  const d = await diagnose(variables, nodeTransport);
  for (const secret of secrets()) expect(JSON.stringify(d)).not.toContain(secret);
  return d;
}

describe('a setup that works', () => {
  it('says who the token is, which credential the key is, that the API accepts the token and that signing works', async () => {
    const d = await doctor(vars());
    expect(d.problems).toEqual([]);
    expect(d.facts).toEqual([
      `API domain: http://${host} (dfnsApiDomain ${host})`,
      expect.stringMatching(
        /^token: alice@example\.com, user us-\S+, org or-\S+, kind CustomerEmployee; expires \d{4}-\d\d-\d\dT[\d:.]+Z \(in 5\d min\)$/,
      ),
      'key: ECDSA P-256, public key:',
      ...laptop.publicKey
        .export({ format: 'pem', type: 'spki' })
        .toString()
        .trim()
        .split('\n')
        .map((l) => `  ${l}`),
      'API: the API domain answers and accepts the token',
      'credential cr-1 (laptop): Key, active',
      'credential cr-old: Key, inactive',
      'key: credentialPrivateKey is the active Key credential cr-1 (laptop)',
      'signing: signed POST /wallets with cr-1 (ECDSA P-256), a user action the doctor never uses',
    ]);
    // The user action was granted, and no POST /wallets was ever sent.
    expect(emu.requests.filter((r) => r.path === '/wallets')).toEqual([]);
  });

  it('with dfnsUsername and no token: logs in as the signer would, and says so', async () => {
    const { authToken, ...rest } = vars({ dfnsUsername: 'alice@example.com', dfnsOrgId: emu.orgId });
    const d = await doctor(rest);
    expect(d.problems).toEqual([]);
    expect(d.facts).toContain('login: logged in as alice@example.com with cr-1 (ECDSA P-256)');
    expect(d.facts).toContainEqual(expect.stringMatching(/^token: alice@example\.com, .* kind Token; expires .* \(from the login\)$/));
  });
});

describe('every problem, one line with its fix', () => {
  const expired = () => emu.token({ userId: user.userId, expiresInSeconds: -120 });
  it.each([
    ['no token', () => vars({ authToken: '' }), /^authToken is not set\. Set the variable authToken to your Dfns personal access token/],
    [
      'a mangled token',
      () => vars({ authToken: 'eyJhbGciOi.broken' }),
      /^authToken is not a JWT \(2 dot-separated parts instead of 3\)\. Paste the token/,
    ],
    ['an expired token', () => vars({ authToken: expired() }), /^authToken expired at .*\. Create a new token in the Dfns dashboard/],
    [
      'a token Dfns refuses (revoked, or another region)',
      () => vars({ authToken: emu.signToken({ exp: Math.floor(Date.now() / 1000) + 600 }) }),
      /^Dfns refused the token \(GET \/auth\/credentials with 401: "Not Authorized\."\): it is expired or revoked, or it is from another region\. .*api\.dfns\.io \(Europe\), api\.uae\.dfns\.io \(UAE\)$/,
    ],
    [
      'an API domain nobody answers at',
      () => vars({ dfnsApiDomain: '127.0.0.1:1' }),
      /^could not reach http:\/\/127\.0\.0\.1:1\/auth\/credentials \(ECONNREFUSED\)\. Check the API domain/,
    ],
    [
      'an API domain that is not Dfns',
      () => vars({ dfnsApiDomain: other.host }),
      /^http:\/\/127\.0\.0\.1:\d+ does not answer as the Dfns API \(GET \/auth\/credentials with 200/,
    ],
    [
      'plain http to a host that is not this machine',
      () => vars({ dfnsApiDomain: 'http://api.dfns.io' }),
      /^the request URL is plain http:\/\/api\.dfns\.io, which would send authToken unencrypted/,
    ],
    [
      'no key',
      () => vars({ credentialPrivateKey: '' }),
      /^credentialPrivateKey is not set, and POST \/wallets needs a user action\. Set the variable credentialPrivateKey/,
    ],
    [
      'a public key for the private one',
      () => vars({ credentialPrivateKey: laptop.publicKey.export({ format: 'pem', type: 'spki' }).toString() }),
      /^credentialPrivateKey holds a PUBLIC key/,
    ],
    [
      'a key that is none of the credentials',
      () => vars({ credentialPrivateKey: pem(stranger.privateKey) }),
      /^credentialPrivateKey is none of this token's credentials \(its active Key credentials: cr-1 \(laptop\)\)\. Paste the private key of one of them/,
    ],
    [
      'the key of a deactivated credential only',
      () => vars({ credentialPrivateKey: pem(old.privateKey) }),
      /^credentialPrivateKey is the key of cr-old, which is deactivated\. Activate it again/,
    ],
    [
      'credentialId naming another credential',
      () => vars({ credentialId: 'cr-old' }),
      /^credentialId is cr-old, but credentialPrivateKey is cr-1 \(laptop\)\. Set credentialId to that, or unset it$/,
    ],
    [
      'a login as nobody',
      () => vars({ authToken: '', dfnsUsername: 'bob@example.com', dfnsOrgId: emu.orgId }),
      /^Dfns knows no user "bob@example\.com" in org or-\S+ \(POST \/auth\/login\/init with 401: "User not found"\)/,
    ],
    ['a signing Dfns refuses', () => vars(), /^Dfns refused POST \/auth\/action with 500/],
  ] as const)('%s', async (name, variables, problem) => {
    if (name === 'a signing Dfns refuses') emu.setFault({ complete: { status: 500, times: 1 } });
    const d = await doctor(variables());
    expect(d.problems).toEqual([expect.stringMatching(problem)]);
    expect(d.problems[0].split('\n')).toHaveLength(1);
  });

  it('apiOrigin: https by default, http for this machine, the scheme as written', () => {
    expect([apiOrigin(undefined), apiOrigin('api.uae.dfns.io'), apiOrigin('localhost:8787'), apiOrigin('https://127.0.0.1:8443/')]).toEqual(
      ['https://api.dfns.io', 'https://api.uae.dfns.io', 'http://localhost:8787', 'https://127.0.0.1:8443'],
    );
  });
});

describe("the README's doctor, as written", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Know who you are'), readme.indexOf('## Keys as you have them'));

  it('the command, from a folder of the project with a filled-in environment and the key from the shell; its output as the example shows it', async () => {
    const command = /```sh\n([^\n]+)\n```/.exec(section)![1];
    // -s: without it npm prints the command line, the key with it.
    expect(command).toMatch(/^npm run -s doctor -- -e my\.postman_environment\.json /);
    // In the project (npm run finds its package.json upwards), as a user's working folder would be.
    const dir = mkdtempSync(join(new URL('../../.tmp/', import.meta.url).pathname, 'doctor-readme-'));
    const values = [
      { key: 'dfnsApiDomain', value: host, enabled: true },
      { key: 'authToken', value: user.token, enabled: true },
    ];
    writeFileSync(join(dir, 'my.postman_environment.json'), JSON.stringify({ name: 'mine', values }));
    const r = await promisify(execFile)('/bin/sh', ['-c', command], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DFNS_PRIVATE_KEY: pem(laptop.privateKey) },
    });
    const output = r.stdout.split('\n').filter((l) => l.startsWith('  ') || l.startsWith('ok') || l.startsWith('problem'));
    expect(output.at(-1)).toBe('ok: a signed request would work');
    for (const secret of secrets()) expect(r.stdout + r.stderr).not.toContain(secret);
    // The example shows the same lines, in the same order (values aside).
    const example = /```\n( {2}API domain[\s\S]*?)\n```/.exec(section)![1].split('\n');
    const kind = (l: string) =>
      l
        .replace(/^( {2}\w[\w ]*?:|ok:|problem:).*$/, '$1')
        .replace(/^ {2}credential .*/, '  credential')
        .replace(/^ {4}[^-].*$/, '    (base64)');
    expect(example.map(kind)).toEqual(output.filter((l) => !/credential cr-old/.test(l)).map(kind));
  });
});

describe('dfns-signer doctor (the command)', () => {
  const CLI = new URL('../../bin/dfns-signer.js', import.meta.url).pathname;
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [CLI, 'doctor', ...args], { encoding: 'utf8' }).then(
      (r) => ({ code: 0, ...r }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );

  it('dist/doctor.mjs is what src/doctor.ts builds (run `npm run build` and commit dist/)', async () => {
    expect((await bundleDoctor()) === readFileSync(DOCTOR_FILE, 'utf8')).toBe(true);
  });

  it('reads a Postman environment (-e) and --env-var over it; exit 0 and "ok" when a signed request would work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfns-doctor-'));
    const env = join(dir, 'dfns.postman_environment.json');
    const values = Object.entries(vars({ authToken: 'overridden below' })).map(([key, value]) => ({ key, value, enabled: true }));
    writeFileSync(env, JSON.stringify({ name: 'Dfns', values: [...values, { key: 'credentialId', value: 'cr-old', enabled: false }] }));
    const r = await run(['-e', env, '--env-var', `authToken=${user.token}`]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('  key: credentialPrivateKey is the active Key credential cr-1 (laptop)\n');
    expect(r.stdout.endsWith('ok: a signed request would work\n')).toBe(true);
    for (const secret of secrets()) expect(r.stdout).not.toContain(secret);
  });

  it('exit 1 with one "problem:" line per problem; exit 2 for bad arguments', async () => {
    const key = pem(stranger.privateKey).trim().split('\n').join('\\n'); // the one-line form --env-var takes
    const bad = await run([
      '--env-var',
      `dfnsApiDomain=${host}`,
      '--env-var',
      `authToken=${user.token}`,
      '--env-var',
      `credentialPrivateKey=${key}`,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.split('\n').filter((l) => l.startsWith('problem: '))).toEqual([
      expect.stringMatching(/^problem: credentialPrivateKey is none of this token's credentials/),
    ]);
    expect(bad.stdout.endsWith('1 problem: a signed request would not work\n')).toBe(true);
    for (const [args, message] of [
      [['--env-var', 'nonsense'], 'dfns-signer doctor: error: --env-var takes NAME=VALUE, got "nonsense"\n'],
      [['-e', '/no/such/file.json'], 'dfns-signer doctor: error: /no/such/file.json: no such file\n'],
      [['--bogus'], expect.stringMatching(/^dfns-signer doctor: error: Unknown option '--bogus'.*\(see: dfns-signer doctor --help\)\n$/)],
    ] as const) {
      const r = await run([...args]);
      expect([r.code, r.stderr]).toEqual([2, message]);
    }
    const help = await run(['--help']);
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([
      0,
      'Usage: dfns-signer doctor [-e environment.json] [--env-var NAME=VALUE ...]',
    ]);
  });
});
