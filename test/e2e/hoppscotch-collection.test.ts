// The committed Hoppscotch collection and environment (collections/hoppscotch/, written by
// scripts/generate-collections.mjs) in the real `hopp test` (@hoppscotch/cli 0.31.4, Node 22):
// the whole collection and environment pass the CLI's own validation; a few of its requests, as they are,
// are signed and answered by the local Dfns emulator, which the environment names (dfnsApiScheme http: the
// emulator has no TLS), and pass their status checks.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { ROOT } from '../../scripts/collections/files.mjs';
import { HOPPSCOTCH_COLLECTION, HOPPSCOTCH_ENVIRONMENT } from '../../scripts/collections/hoppscotch.mjs';
import { runHopp } from '../support/hoppscotch';

const COLLECTION = JSON.parse(readFileSync(join(ROOT, HOPPSCOTCH_COLLECTION), 'utf8'));
const ENVIRONMENT = JSON.parse(readFileSync(join(ROOT, HOPPSCOTCH_ENVIRONMENT), 'utf8'));
/** The CLI reads a secret left empty in the environment file from the process environment variable of that name: none here. */
const NO_SECRETS = { authToken: '', credentialPrivateKey: '' };

/** "METHOD /catalogue/{path}" of a request of the Hoppscotch collection. */
const keyOf = (r: any) =>
  `${r.method} ${r.endpoint.replace(/^<<dfnsApiScheme>>:\/\/<<dfnsApiDomain>>/, '').replace(/<<([^<>]+)>>/g, '{$1}')}`;

/** Folder/request paths as the CLI prints them: `Dfns API/<folder>/<request>`, in collection order. */
const paths = (c: any, trail: string[]): string[] => [
  ...c.requests.map((r: any) => [...trail, r.name].join('/')),
  ...c.folders.flatMap((f: any) => paths(f, [...trail, f.name])),
];

/**
 * The collection with only these requests, in their folders and the folders' order (empty folders
 * dropped; "Check my setup", at the top, last when `check`); everything else (script, auth, bodies) as generated.
 */
function subset(keys: string[], check = false) {
  const copy = structuredClone(COLLECTION);
  const found = new Set<string>();
  copy.requests = [];
  copy.folders = copy.folders
    .map((f: any) => ({
      ...f,
      requests: f.requests.filter((r: any) => keys.includes(keyOf(r)) && found.add(keyOf(r))),
    }))
    .filter((f: any) => f.requests.length > 0);
  expect([...found].sort(), 'the collection lacks a request the test runs').toEqual([...keys].sort());
  if (check) copy.folders.at(-1).requests.push(COLLECTION.requests[0]);
  return copy;
}

/** The environment file with these values set; each must be a variable the file has. */
function environmentWith(values: Record<string, string>) {
  const copy = structuredClone(ENVIRONMENT);
  for (const [key, value] of Object.entries(values)) {
    const v = copy.variables.find((x: any) => x.key === key);
    expect(v, `the environment has no variable ${key}`).toBeDefined();
    v.initialValue = v.currentValue = value;
  }
  return copy;
}

/** The generated body of a request, as the CLI sends a JSON body: re-serialized. */
function sentBody(key: string): string {
  const find = (c: any): any => c.requests.find((r: any) => keyOf(r) === key) ?? c.folders.map(find).find(Boolean);
  const body = find(COLLECTION).body.body;
  return body === null ? '' : JSON.stringify(JSON.parse(body));
}

describe('collections/hoppscotch in hopp test', { timeout: 240_000 }, () => {
  let emu: Emulator;
  let token = '';
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // SEC1 "BEGIN EC PRIVATE KEY", what `openssl ecparam -genkey` writes.
  const pem = privateKey.export({ format: 'pem', type: 'sec1' }).toString();
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    token = emu.addUser({ credentials: [{ id: 'cr-hopp', publicKey }] }).token;
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('signs a GET, POST, PUT and DELETE of the collection, path parameters from the environment, secrets from the process environment', async () => {
    const keys = [
      'GET /wallets',
      'POST /wallets',
      'PUT /wallets/{walletId}',
      'DELETE /wallets/{walletId}/tags',
      'POST /swaps/quotes',
      'DELETE /webhooks/{webhookId}',
    ];
    const coll = subset(keys);
    // As in CI: the secrets stay empty in the file and come from process environment variables of the same name.
    const env = environmentWith({
      dfnsApiScheme: 'http',
      dfnsApiDomain: emu.url.replace(/^http:\/\//, ''),
      walletId: 'wa-hopp-0001',
      webhookId: 'wh-hopp-0001',
    });
    const run = await runHopp(coll, env, { processEnv: { authToken: token, credentialPrivateKey: pem } });
    expect(run.code, run.stdout + run.stderr).toBe(0);

    expect(run.results.map((r) => [r.path, r.errors, r.preRequestFailed, r.sent?.status, r.tests.map((t) => t.status)])).toEqual(
      paths(coll, [COLLECTION.name]).map((p) => [p, [], false, 200, ['pass']]),
    );
    expect(run.results.map((r) => r.path)).toEqual([
      'Dfns API/Wallets/List Wallets',
      'Dfns API/Wallets/Create Wallet',
      'Dfns API/Wallets/Update Wallet',
      'Dfns API/Wallets/Untag Wallet',
      'Dfns API/Webhooks/Delete Webhook',
      'Dfns API/Swaps/Request Swap Quote',
    ]);
    const main = emu.mainRequests();
    expect(main.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /wallets 200',
      'POST /wallets 200',
      'PUT /wallets/wa-hopp-0001 200',
      'DELETE /wallets/wa-hopp-0001/tags 200',
      'DELETE /webhooks/wh-hopp-0001 200',
      'POST /swaps/quotes 200',
    ]);
    expect(main.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    // Signed: the four state-changing requests that need a user action; the read-like POST and the GET are not.
    expect(main.map((r) => typeof r.headers['x-dfns-useraction'] === 'string')).toEqual([false, true, true, true, true, false]);
    expect(emu.usedUserActions).toHaveLength(4);
    // The bodies sent are the generated skeletons (the CLI sends JSON re-serialized; that is what was signed).
    expect(main.map((r) => r.body)).toEqual(
      [
        'GET /wallets',
        'POST /wallets',
        'PUT /wallets/{walletId}',
        'DELETE /wallets/{walletId}/tags',
        'DELETE /webhooks/{webhookId}',
        'POST /swaps/quotes',
      ].map(sentBody),
    );
    expect(JSON.parse(main[1].body)).toEqual({ network: 'EthereumSepolia', name: 'my wallet' });
    expect(run.results.flatMap((r) => r.console).filter((l) => l.startsWith('Dfns signer: signed '))).toEqual([
      expect.stringMatching(/^Dfns signer: signed POST \/wallets with cr-hopp \(ECDSA P-256\)/),
      expect.stringMatching(/^Dfns signer: signed PUT \/wallets\/wa-hopp-0001 with cr-hopp/),
      expect.stringMatching(/^Dfns signer: signed DELETE \/wallets\/wa-hopp-0001\/tags with cr-hopp/),
      expect.stringMatching(/^Dfns signer: signed DELETE \/webhooks\/wh-hopp-0001 with cr-hopp/),
    ]);
  });

  it('Complete User Login logs in (dfnsUsername), keeps the token in the environment; Check my setup and the rest use it', async () => {
    emu.addUser({ username: 'hopp@example.com', kind: 'CustomerEmployee', credentials: [{ id: 'cr-hopp-login', publicKey }] });
    const coll = subset(['POST /auth/login', 'GET /wallets'], true);
    const env = environmentWith({
      dfnsApiScheme: 'http',
      dfnsApiDomain: emu.url.replace(/^http:\/\//, ''),
      dfnsUsername: 'hopp@example.com',
      dfnsOrgId: emu.orgId,
    });
    const run = await runHopp(coll, env, { processEnv: { credentialPrivateKey: pem } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.results.map((r) => [r.path, r.sent?.status, r.tests.map((t) => t.status)])).toEqual([
      ['Dfns API/Auth — Login/Complete User Login', 200, ['pass', 'pass']],
      ['Dfns API/Wallets/List Wallets', 200, ['pass']],
      ['Dfns API/Wallets/Check my setup', 200, ['pass']],
    ]);
    expect(emu.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /auth/login/init 200',
      'POST /auth/login 200',
      'GET /wallets 200',
      'GET /auth/credentials 200',
    ]);
    const token = String(emu.requests[2].headers.authorization).replace('Bearer ', '');
    expect(emu.requests[3].headers.authorization).toBe(`Bearer ${token}`);
    expect(run.stdout + run.stderr).not.toContain(token.split('.')[1]);
    const lines = run.results.flatMap((r) => r.console);
    expect(lines).toContain('Dfns signer: POST /auth/login logs in as hopp@example.com with cr-hopp-login (ECDSA P-256)');
    expect(lines).toContain('Dfns setup: credential cr-hopp-login (cr-hopp-login): Key, active');
    expect(lines.filter((l) => l.startsWith('Dfns setup: token: hopp@example.com, user us-'))).toHaveLength(1);
  });

  it("the whole committed collection and environment pass hopp test's own validation, as they are", async () => {
    // The CLI reads the environment, then the collection (both checked against Hoppscotch's schemas:
    // MALFORMED_ENV_FILE, MALFORMED_COLLECTION), then the iteration data file: one that does not
    // exist stops it there, before any request runs (all 215 would take minutes, and go to api.dfns.io).
    const args = ['--iteration-data', 'no-such-iteration-data.csv'];
    const valid = await runHopp(COLLECTION, ENVIRONMENT, { args, processEnv: NO_SECRETS });
    expect(valid.stderr.trim()).toMatch(/^FILE_NOT_FOUND File doesn't exist: .*no-such-iteration-data\.csv$/);
    expect(valid.results).toEqual([]);
    // The check does catch a broken file: a folder of an unknown version, a request body of an unknown type, an environment variable without its secret flag.
    const badFolder = structuredClone(COLLECTION);
    badFolder.folders[0].v = 13;
    const badBody = structuredClone(COLLECTION);
    badBody.folders.at(-1).requests.at(-1).body = { contentType: 'application/jsonx', body: '{}' };
    const badEnv = structuredClone(ENVIRONMENT);
    delete badEnv.variables.at(-1).secret;
    const [folder, body, env] = await Promise.all([
      runHopp(badFolder, ENVIRONMENT, { args, processEnv: NO_SECRETS }),
      runHopp(badBody, ENVIRONMENT, { args, processEnv: NO_SECRETS }),
      runHopp(COLLECTION, badEnv, { args, processEnv: NO_SECRETS }),
    ]);
    expect(folder.stderr).toMatch(/^MALFORMED_COLLECTION /);
    expect(body.stderr).toMatch(/^MALFORMED_COLLECTION /);
    expect(env.stderr).toMatch(/^MALFORMED_ENV_FILE /);
    for (const run of [valid, folder, body, env]) expect(run.code).toBe(1);
  });
});
