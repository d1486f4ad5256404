// npm run demo: the generated Postman collection, run by newman against the local Dfns emulator.
// A GET, then a signed POST, PUT and DELETE; prints what the emulator received and what was signed.
// Exit code: newman's, or 1 when a request was not signed or not answered 2xx.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { requiresUserAction, startEmulator } from '../emulator/emulator.mjs';
import { BUNDLE_FILE, scriptText } from './bundle.mjs';
import { SUBSET } from './collections/catalogue.mjs';
import { eventText, statusCheckEvent } from './collections/postman.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_COLLECTION = join(ROOT, 'collections', 'dfns-api.postman_collection.json');
const ENVIRONMENT = join(ROOT, 'collections', 'dfns.postman_environment.json');

const REAL_API = `Against the real Dfns API (set up your key and token as in collections/README.md):
  npx newman run collections/dfns-api.postman_collection.json -e my.postman_environment.json --folder "List Wallets" --folder "Create Wallet"
or without an environment file:
  npx newman run collections/dfns-api.postman_collection.json --folder "List Wallets" --folder "Create Wallet" \\
    --env-var dfnsApiDomain=api.dfns.io --env-var "authToken=$DFNS_TOKEN" --env-var "credentialPrivateKey=$(cat prime256v1.pem)"
(--folder takes a folder or request name, e.g. --folder Wallets runs every request of that folder; api.uae.dfns.io for the UAE region)`;

const HELP = `Usage: npm run demo    (node scripts/demo.mjs)

Runs requests of collections/dfns-api.postman_collection.json through newman against a local Dfns
emulator: GET /wallets, then the signed POST /wallets, PUT /wallets/{walletId} and
DELETE /webhooks/{webhookId}. It makes a P-256 key pair, registers it with the emulator, writes a
Postman environment like collections/dfns.postman_environment.json, and prints newman's output and a
table of what the emulator received. The requests are the collection's, unchanged (each with its
test that Dfns answered 2xx); the environment points them at the emulator: dfnsApiScheme http (the
emulator speaks plain HTTP), dfnsApiDomain its address, walletId and webhookId for the path variables.

  --collection <file>  take the requests from this collection instead (e.g. one you ran
                       "npm run inject" on); it needs those four requests, found by method and path

Exit code: newman's; 1 when a request that needs a user action was not signed or a request was not
answered 2xx.

${REAL_API}
`;

/** A path as the user would type it from the project directory. */
const shown = (/** @type {string} */ file) => (file.startsWith(`${ROOT}/`) ? relative(ROOT, file) : file);

/**
 * A request of the generated collection, found by method and catalogue path.
 * @param {any} collection a parsed Postman collection v2.1
 * @param {string} key "METHOD /path/{param}"
 * @param {string} file where the collection came from (for the error message)
 * @returns {any}
 */
function findItem(collection, key, file) {
  const [method, path] = key.split(' ');
  const want = path.replace(/\{([^}]+)\}/g, ':$1');
  const stack = [...collection.item];
  while (stack.length) {
    const it = stack.shift();
    if (Array.isArray(it.item)) stack.push(...it.item);
    else if (it.request && it.request.method === method && `/${it.request.url.path.join('/')}` === want) return it;
  }
  throw new Error(`${shown(file)} has no request ${key}${file === DEFAULT_COLLECTION ? ': run "npm run generate"' : ''}`);
}

/** @type {Record<string, string>} */
const DEMO_IDS = { walletId: 'wa-demo-0001', webhookId: 'wh-demo-0001' };

/**
 * A request of the collection as the demo runs it: the generated ones unchanged. A collection from elsewhere
 * (--collection) may write https:// and empty path variables: those the copy points at the emulator (it has no
 * TLS) and fills, and it gets the 2xx check when it has no test.
 * @param {any} item
 */
function demoItem(item) {
  const copy = structuredClone(item);
  const url = copy.request.url;
  if (url.protocol === 'https') {
    url.protocol = 'http';
    url.raw = url.raw.replace(/^https:\/\//, 'http://');
  }
  for (const v of url.variable ?? []) if (!v.value) v.value = DEMO_IDS[v.key] ?? `${v.key}-demo`;
  if (!(copy.event ?? []).some((/** @type {any} */ e) => e.listen === 'test')) copy.event = [...(copy.event ?? []), statusCheckEvent()];
  return copy;
}

/** @param {string[]} args @returns {Promise<number>} newman's exit code */
function runNewman(args) {
  const newman = createRequire(import.meta.url).resolve('newman/bin/newman.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [newman, ...args], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

const compact = (/** @type {string} */ payload) => {
  if (payload === '') return '"" (no body)';
  let text = payload;
  try {
    text = JSON.stringify(JSON.parse(payload));
  } catch {}
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
};

/** @param {(string | number)[][]} rows */
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? String(c) : String(c).padEnd(widths[i]))).join('  ')}`.trimEnd())
    .join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' }, collection: { type: 'string' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const COLLECTION = values.collection ? resolve(values.collection) : DEFAULT_COLLECTION;
  if (!existsSync(COLLECTION))
    throw new Error(
      `${shown(COLLECTION)} does not exist${COLLECTION === DEFAULT_COLLECTION ? ': run "npm run build" and "npm run generate"' : ''}`,
    );
  const collection = JSON.parse(readFileSync(COLLECTION, 'utf8'));
  const script = (collection.event ?? []).find((/** @type {any} */ e) => e.listen === 'prerequest');
  if (!script) console.log(`warning: ${shown(COLLECTION)} has no collection-level pre-request script: nothing will sign\n`);
  if (COLLECTION === DEFAULT_COLLECTION && existsSync(BUNDLE_FILE) && eventText(script) !== scriptText(readFileSync(BUNDLE_FILE, 'utf8'))) {
    console.log('warning: the collection\'s script is not the current dist/dfns-signer.js; run "npm run generate" to update it\n');
  }

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const emu = await startEmulator({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'dfns-demo-'));
  try {
    const { token } = emu.addUser({ credentials: [{ id: 'cr-demo', publicKey }] });
    const items = SUBSET.map((key) => demoItem(findItem(collection, key, COLLECTION)));
    const demoCollection = {
      info: { ...collection.info, name: `${collection.info.name} — demo against the local emulator` },
      item: items,
      event: collection.event,
      variable: collection.variable,
    };
    const domain = emu.url.replace(/^http:\/\//, '');
    /** @type {Record<string, string>} */
    const envValues = {
      dfnsApiScheme: 'http',
      ...DEMO_IDS,
      dfnsApiDomain: domain,
      authToken: token,
      // SEC1 "BEGIN EC PRIVATE KEY", what `openssl ecparam -genkey` writes.
      credentialPrivateKey: privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
    };
    const environment = JSON.parse(readFileSync(ENVIRONMENT, 'utf8'));
    for (const [key, value] of Object.entries(envValues)) {
      const v = environment.values.find((/** @type {any} */ x) => x.key === key);
      if (v) v.value = value;
      else environment.values.push({ key, value, type: 'default', enabled: true });
    }
    const collectionFile = join(dir, 'dfns-demo.postman_collection.json');
    const environmentFile = join(dir, 'dfns-demo.postman_environment.json');
    writeFileSync(collectionFile, JSON.stringify(demoCollection, null, 2));
    writeFileSync(environmentFile, JSON.stringify(environment, null, 2), { mode: 0o600 });

    console.log(`Dfns emulator on ${emu.url}; user with credential cr-demo (P-256 key made just now).`);
    console.log(`Requests from ${shown(COLLECTION)}: ${SUBSET.join(', ')}`);
    console.log(`$ newman run ${collectionFile} -e ${environmentFile}\n`);
    const newmanCode = await runNewman(['run', collectionFile, '-e', environmentFile]);

    // What the emulator received: each main request, and the challenge the signer asked for before it.
    /** @type {(string | number)[][]} */
    const rows = [['#', 'METHOD', 'PATH', 'STATUS', 'USER ACTION', 'SIGNED (userActionPayload)']];
    /** @type {string[]} */
    const problems = [];
    let lastInit;
    let n = 0;
    for (const r of emu.requests) {
      if (r.path === '/auth/action/init') {
        try {
          lastInit = JSON.parse(r.body);
        } catch {
          lastInit = undefined;
        }
        continue;
      }
      if (r.path === '/auth/action') continue;
      n++;
      const used = typeof r.headers['x-dfns-useraction'] === 'string';
      const needed = requiresUserAction(r.method, r.path);
      const signed =
        used && lastInit && lastInit.userActionHttpMethod === r.method && lastInit.userActionHttpPath === r.path
          ? compact(lastInit.userActionPayload)
          : '-';
      rows.push([n, r.method, r.path, r.status, used ? 'yes' : needed ? 'MISSING' : 'no (not needed)', signed]);
      if (r.status < 200 || r.status > 299) problems.push(`${r.method} ${r.path} answered ${r.status}`);
      if (needed && !used) problems.push(`${r.method} ${r.path} was sent without X-DFNS-USERACTION`);
      lastInit = undefined;
    }
    if (n < SUBSET.length) problems.push(`the emulator received ${n} of ${SUBSET.length} requests`);
    const inits = emu.requests.filter((r) => r.path === '/auth/action/init').length;
    const completes = emu.requests.filter((r) => r.path === '/auth/action').length;

    console.log('\nWhat the Dfns emulator received:');
    console.log(table(rows));
    console.log(
      `  + ${inits} x POST /auth/action/init and ${completes} x POST /auth/action (the signing exchanges); ${emu.usedUserActions.length} user action(s) verified and consumed`,
    );
    const ok = newmanCode === 0 && problems.length === 0;
    if (ok) console.log(`\nOK: ${n} requests answered 2xx, ${emu.usedUserActions.length} signed with a user action.`);
    else {
      console.log(`\nFAILED${newmanCode ? ` (newman exit code ${newmanCode})` : ''}:`);
      for (const p of problems) console.log(`  - ${p}`);
    }
    console.log(`\n${REAL_API}`);
    return newmanCode || (ok ? 0 : 1);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`demo: error: ${e.message}`);
    process.exitCode = 2;
  },
);
