// Issue 17, part 2: the requests of the generated collections that only a script can make sendable, sent as they
// are through the real clients against the emulator. One run per client (batched): Complete User Registration
// (dfnsRegistrationCode: the signer writes the body, sends the temporary token), Create Credential
// (newCredentialPrivateKey: the signer writes the new key's attestation and signs it with the current key), and a
// key-store output (a form of data and file: the signer signs data).
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { PLUGIN_DIR } from '../../scripts/build-insomnia.mjs';
import { runApidog } from '../support/apidog';
import { runBru, SANDBOXES, writeCollection } from '../support/bruno';
import { collection as hoppCollection, environment as hoppEnvironment, runHopp } from '../support/hoppscotch';
import { runHttpyac, writeHttpyacDir } from '../support/httpyac';
import { type InsomniaRequest, runPreRequestScript, runRequestHook } from '../support/insomnia-harness';
import { BUNDLE, RUNTIMES, runNewman } from '../support/postman';

const ROOT = new URL('../..', import.meta.url).pathname;
const pem = (k: { export(o: object): string | Buffer }) => String(k.export({ format: 'pem', type: 'pkcs8' }));

let emu: Emulator;
const current = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const FILE = '{"type":"fleet-output","version":1,"outputs":{}}\n';
const CHECKSUM = createHash('sha256').update(FILE).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'dfns-credentials-'));
writeFileSync(join(dir, 'output.json'), FILE);

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());

/** A user with a login token and one Key credential (the current key), and an invitation to register. */
function setUp(client: string, newKey: { privateKey: KeyObject; publicKey: KeyObject; algorithm: string } = ed25519()) {
  const credId = `cr-current-${client}`;
  const user = emu.addUser({ kind: 'Token', credentials: [{ id: credId, publicKey: current.publicKey }] });
  const invited = emu.inviteUser({ username: `${client}@example.com`, registrationCode: `CODE-${client}` });
  const fresh = newKey;
  const vars: Record<string, string> = {
    dfnsApiDomain: emu.url.replace('http://', ''),
    dfnsApiScheme: 'http',
    authToken: user.token,
    credentialPrivateKey: pem(current.privateKey),
    // Once Create Credential has run the user has two Key credentials: credentialId says which one signs.
    credentialId: credId,
    newCredentialPrivateKey: pem(fresh.privateKey),
    newCredentialName: `${client} laptop`,
    dfnsRegistrationCode: `CODE-${client}`,
    dfnsUsername: `${client}@example.com`,
    dfnsOrgId: emu.orgId,
    storeId: `ks-${client}`,
  };
  return { user, invited, fresh, vars, credId };
}

function ed25519() {
  return { ...generateKeyPairSync('ed25519'), algorithm: 'Ed25519' };
}

/** What the emulator saw: registration, then Create Credential, then the form; all answered 200. */
function expectJourney(s: ReturnType<typeof setUp>, logs: string) {
  const main = emu.mainRequests().filter((r) => !r.path.endsWith('/init'));
  expect(main.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
    'POST /auth/registration 200',
    'POST /auth/credentials 200',
    `POST /key-stores/${s.vars.storeId}/genesis/output 200`,
  ]);
  // Registration: the temporary token, no user action; the registered key is the one in credentialPrivateKey.
  expect(main[0].headers['x-dfns-useraction']).toBeUndefined();
  expect(main[0].headers.authorization).not.toBe(`Bearer ${s.user.token}`);
  expect(emu.credentials(s.invited.userId).map((c) => c.publicKey.trim())).toEqual([
    String(current.publicKey.export({ type: 'spki', format: 'pem' })).trim(),
  ]);
  // Create Credential: the new key, named, active, signed with the current key; the log names its id.
  const after = emu.credentials(s.user.userId);
  expect(after.map((c) => [c.name, c.isActive])).toEqual([
    [s.credId, true],
    [s.vars.newCredentialName, true],
  ]);
  expect(after[1].publicKey.trim()).toBe(String(s.fresh.publicKey.export({ type: 'spki', format: 'pem' })).trim());
  expect(logs).toContain(`it creates the Key credential ${after[1].credentialId} (${s.fresh.algorithm})`);
  // The form: the user action covers data, whose fileChecksum is the file's.
  expect(main[2].headers['content-type']).toMatch(/^multipart\/form-data/);
  expect(emu.usedUserActions).toHaveLength(2);
  for (const secret of [s.vars.authToken, s.vars.credentialPrivateKey.split('\n')[1], s.vars.newCredentialPrivateKey.split('\n')[1]])
    expect(logs).not.toContain(secret);
}

/** A variable's value on one line (literal \\n), as `--env-var` and one-line fields take it. */
const oneLine = (text: string) => text.trim().split('\n').join('\\n');

/** The data field of the generated key-store output form, its fileChecksum filled in. */
const formData = () => JSON.stringify({ outputJson: {}, fileChecksum: CHECKSUM });

/** The three requests from the generated Postman collection, as generated (dfnsApiScheme http: the emulator has no TLS). */
function postmanItems() {
  const generated = JSON.parse(readFileSync(join(ROOT, 'collections/dfns-api.postman_collection.json'), 'utf8'));
  const all = generated.item.flatMap((folder: any) => folder.item ?? [folder]);
  return ['Complete User Registration', 'Create Credential', 'Submit Genesis Output'].map((name) => {
    const item = structuredClone(all.find((i: any) => i.name === name));
    const form = item.request.body?.formdata;
    if (form) {
      form[0].value = form[0].value.replace('"fileChecksum": ""', `"fileChecksum": "${CHECKSUM}"`);
      form[1].src = 'output.json';
    }
    return item;
  });
}

/** The README's commands (New credentials, registration and forms), run as written in `dir`. */
function readmeCommand(pattern: RegExp): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## New credentials, registration and forms'), readme.indexOf('## Keys as you have them'));
  const command = pattern.exec(section)?.[0] as string;
  return execFileSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8' });
}

describe.each(RUNTIMES)('newman, %s', (runtime) => {
  it('sends registration, Create Credential and a key-store output form from the generated collection as they are', async () => {
    emu.reset();
    // The README's recipe: the new key from its openssl line, the checksum from its sha256sum line.
    readmeCommand(/openssl genpkey [^`]*new-key\.pem/);
    const privateKey = createPrivateKey(readFileSync(join(dir, 'new-key.pem')));
    expect(readmeCommand(/sha256sum output\.json/).split(' ')[0]).toBe(CHECKSUM);
    const s = setUp(runtime, { privateKey, publicKey: createPublicKey(privateKey), algorithm: 'ECDSA P-256' });
    s.vars.newCredentialPrivateKey = readFileSync(join(dir, 'new-key.pem'), 'utf8');
    const collection = {
      info: { name: 'credentials', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: BUNDLE.split('\n') } }],
      item: postmanItems(),
    };
    const report = await runNewman(runtime, { collection, env: s.vars, workingDir: dir });
    expect(report.failures).toEqual([]);
    expectJourney(s, report.consoleLines.join('\n'));
  });
});

// The safe sandbox (QuickJS, bru's default), where the script gets copies and the form must be handed back whole;
// the developer sandbox runs the same adapter code on the objects themselves (test/e2e/bruno.test.ts runs both).
describe.each(SANDBOXES.filter((sandbox) => sandbox === 'safe'))('bru run --sandbox %s', (sandbox) => {
  it('sends registration, Create Credential and a key-store output form as they are', async () => {
    emu.reset();
    const s = setUp(`bruno-${sandbox}`);
    const [registration, create] = postmanItems().map((i) => i.request.body.raw);
    const collection = writeCollection(
      [
        { name: 'register', method: 'POST', url: 'http://{{dfnsApiDomain}}/auth/registration', json: registration },
        { name: 'create', method: 'POST', url: 'http://{{dfnsApiDomain}}/auth/credentials', json: create },
        {
          name: 'output',
          method: 'POST',
          url: 'http://{{dfnsApiDomain}}/key-stores/{{storeId}}/genesis/output',
          form: [
            { name: 'data', value: formData(), type: 'text' },
            { name: 'file', value: 'output.json', type: 'file' },
          ],
        },
      ],
      { dfnsApiDomain: s.vars.dfnsApiDomain, storeId: s.vars.storeId },
    );
    writeFileSync(join(collection, 'output.json'), FILE);
    const variables = Object.fromEntries(Object.entries(s.vars).map(([k, v]) => [k, oneLine(v)]));
    const run = await runBru(collection, sandbox, variables);
    expect(
      run.results.map((r) => `${r.name} ${r.status}`),
      run.stdout,
    ).toEqual(['01-register pass', '02-create pass', '03-output pass']);
    expectJourney(s, run.stdout);
  });
});

describe('hopp test', () => {
  it('sends registration, Create Credential and a key-store output form from the generated collection as they are', async () => {
    emu.reset();
    const s = setUp('hoppscotch');
    const generated = JSON.parse(readFileSync(join(ROOT, 'collections/hoppscotch/dfns-api.hoppscotch.json'), 'utf8'));
    const all = (function flat(c: any): any[] {
      return [...c.requests, ...c.folders.flatMap(flat)];
    })(generated);
    const pick = (name: string) => {
      const r = structuredClone(all.find((x: any) => x.name === name));
      return { name, method: r.method, url: r.endpoint, body: r.body };
    };
    const output = pick('Submit Genesis Output');
    const [data, file] = output.body.body;
    // The CLI cannot send a file from a collection (the app keeps the file itself; an export holds none): a field
    // with a content type goes out as an empty file part (hoppscotch-cli toFormData), whose checksum data holds.
    data.value = JSON.stringify({ outputJson: {}, fileChecksum: createHash('sha256').update('').digest('hex') });
    file.contentType = 'application/json';
    const requests = [pick('Complete User Registration'), pick('Create Credential'), output];
    const run = await runHopp(hoppCollection(requests), hoppEnvironment(s.vars));
    expect(
      run.results.map((r) => [r.name, r.errors, r.sent?.status]),
      run.stdout + run.stderr,
    ).toEqual(requests.map((r) => [r.name, [], 200]));
    expectJourney(s, run.results.flatMap((r) => r.console).join('\n'));
  });
});

describe('httpyac', () => {
  it('sends registration, Create Credential and a key-store output form (built by httpyac, file inlined) as they are', async () => {
    emu.reset();
    const s = setUp('httpyac');
    const [registration, create] = postmanItems().map((i) => i.request.body.raw);
    const http = `{{+request
  await require('./dfns-signer.cjs').sign({ request, $context })
}}

###
# @name register
POST http://{{dfnsApiDomain}}/auth/registration
Content-Type: application/json

${registration}

###
# @name create
POST http://{{dfnsApiDomain}}/auth/credentials
Content-Type: application/json

${create}

###
# @name output
POST http://{{dfnsApiDomain}}/key-stores/{{storeId}}/genesis/output
Content-Type: multipart/form-data; boundary=DfnsSignerBoundary

--DfnsSignerBoundary
Content-Disposition: form-data; name="data"

{"outputJson":{},"fileChecksum":"{{fileChecksum}}"}
--DfnsSignerBoundary
Content-Disposition: form-data; name="file"; filename="output.json"
Content-Type: application/json

< ./output.json
--DfnsSignerBoundary--
`;
    const dir = writeHttpyacDir({ 'requests.http': http, 'dfns-signer.cjs': BUNDLE, 'output.json': FILE });
    const run = await runHttpyac(dir, { vars: { ...s.vars, fileChecksum: CHECKSUM }, json: false });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expectJourney(s, run.stdout);
  });
});

describe('apidog run', () => {
  it('sends registration, Create Credential and a key-store output form from the generated collection as they are', async () => {
    emu.reset();
    const s = setUp('apidog');
    const collection = {
      apidogCli: '1.1',
      info: { name: 'credentials' },
      event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: BUNDLE.split('\n') } }],
      item: [{ name: 'requests', item: postmanItems().map((it, i) => ({ id: `req-${i + 1}`, ...it, metaInfo: { type: 'http' } })) }],
    };
    const envVars = Object.fromEntries(Object.entries(s.vars).map(([k, v]) => [k, oneLine(v)]));
    const run = await runApidog(collection, { envVars, files: { 'output.json': FILE } });
    expect(run.failures, run.stdout).toEqual([]);
    expectJourney(s, run.console.join('\n'));
  });
});

describe('Insomnia (the harness)', () => {
  const plugin = createRequire(import.meta.url)(join(PLUGIN_DIR, 'main.js'));
  const runners = [
    [
      'script, Insomnia 10',
      (r: InsomniaRequest, env: Record<string, unknown>) => runPreRequestScript(BUNDLE, r, { environment: env }, { version: '10' }),
    ],
    [
      'script, the newest sources',
      (r: InsomniaRequest, env: Record<string, unknown>) =>
        runPreRequestScript(BUNDLE, r, { environment: env }, { version: 'newest', sandbox: false }),
    ],
    [
      'plugin, Insomnia 10',
      (r: InsomniaRequest, env: Record<string, unknown>) =>
        runRequestHook(plugin.requestHooks[0], r, { environment: env }, { version: '10' }),
    ],
    [
      'plugin, the newest sources',
      (r: InsomniaRequest, env: Record<string, unknown>) =>
        runRequestHook(plugin.requestHooks[0], r, { environment: env }, { version: 'newest' }),
    ],
  ] as const;

  it.each(runners)(
    '%s: sends registration and Create Credential as they are; a key-store output form is refused with its line',
    async (name, run) => {
      emu.reset();
      const s = setUp(`insomnia-${runners.findIndex(([n]) => n === name)}`);
      const [registration, create] = postmanItems().map((i) => i.request.body.raw);
      const json = (path: string, text: string): InsomniaRequest => ({
        url: `http://{{ _.dfnsApiDomain }}${path}`,
        method: 'POST',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        body: { mimeType: 'application/json', text },
      });
      const outcomes = [await run(json('/auth/registration', registration), s.vars), await run(json('/auth/credentials', create), s.vars)];
      expect(outcomes.map((o) => [o.error, o.status])).toEqual([
        [undefined, 200],
        [undefined, 200],
      ]);
      const main = emu.mainRequests().filter((r) => !r.path.endsWith('/init'));
      expect(main.map((r) => `${r.path} ${r.status}`)).toEqual(['/auth/registration 200', '/auth/credentials 200']);
      expect(emu.credentials(s.user.userId).map((c) => c.name)).toEqual([s.credId, s.vars.newCredentialName]);
      expect(emu.credentials(s.invited.userId)).toHaveLength(1);
      const form = await run(
        {
          url: `http://{{ _.dfnsApiDomain }}/key-stores/ks-1/genesis/output`,
          method: 'POST',
          body: { mimeType: 'multipart/form-data', params: [{ name: 'data', value: formData() }] },
        },
        s.vars,
      );
      // Insomnia 10 shows a plugin's line in a dialog, and its own in place of the response.
      expect([form.error, ...form.alerts.map((a) => a.message)].join('\n')).toMatch(/Dfns signer: the request body is a form/);
      expect(emu.mainRequests().filter((r) => r.path.startsWith('/key-stores'))).toEqual([]);
    },
  );
});
