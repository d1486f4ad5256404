#!/usr/bin/env node
// @ts-check
// `npm run emulator`: the local Dfns emulator with one user, for trying a client by hand (HELP says what it does).
import crypto from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.mjs';

const HELP = `Usage: npm run emulator -- [options]     (or: node emulator/cli.mjs [options])

Starts a local Dfns emulator (the auth endpoints of User Action Signing, signatures checked with
node:crypto) with one user, whose Key credentials are the keys found in --keys-dir (*.pem, *.key, *.pub:
public keys, or private keys whose public half is used). Without --keys-dir, or with no key in it, it
generates a P-256 key pair into a new temporary directory.

Prints ONE JSON line on stdout, then serves until stopped:
  {"url", "dfnsApiDomain", "token", "credentialId", "privateKeyPath", "credentials": [{"id", "file"}]}
  url             the emulator's address (plain http: set dfnsApiScheme=http in the client)
  dfnsApiDomain   its host:port, the dfnsApiDomain to use
  token           the user's Bearer token (authToken), valid for 1 hour: restart for a new one
  credentialId    the credential of privateKeyPath (the first key with a private half)
  username, orgId the user's login name and org: dfnsUsername and dfnsOrgId, to try the Login flow or the doctor
  privateKeyPath  the PEM to use as credentialPrivateKey (null when --keys-dir has only public keys)
  credentials     every credential registered, with the file it came from

Options:
  --port <n>         port to listen on (default 8787; 0 picks a free one)
  --host <address>   address to listen on (default 127.0.0.1)
  --keys-dir <dir>   register the keys found in <dir> instead of generating one
  --write-env <file> also write the same as shell variables to <file> (mode 600), for \`. ./<file>\` in
                     the shell that runs a client: DFNS_API_DOMAIN, DFNS_AUTH_TOKEN, DFNS_CREDENTIAL_ID,
                     DFNS_USERNAME, DFNS_ORG_ID, DFNS_PRIVATE_KEY (the PEM) and DFNS_PRIVATE_KEY_FILE; removed when the emulator stops
  --latency-ms <n>   hold every answer back <n> ms, as a network would (default 0)
  --verbose          log each request on stderr: status, method, path and query, and
                     [X-DFNS-USERACTION] when it carried a user action
  -h, --help         this help

Stop it with Ctrl-C (SIGINT) or SIGTERM; it closes its connections and exits 0.
`;

/** The options, or one line on stderr and exit 2 when they are not right. */
function readOptions() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        'keys-dir': { type: 'string' },
        'write-env': { type: 'string' },
        'latency-ms': { type: 'string', default: '0' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
      throw new Error(`--port must be a number from 0 to 65535, got "${values.port}"`);
    if (!/^\d+(\.\d+)?$/.test(values['latency-ms']))
      throw new Error(`--latency-ms must be a number of milliseconds, 0 or more, got "${values['latency-ms']}"`);
    return values;
  } catch (/** @type {any} */ e) {
    return fail(`${String(e.message).split('\n')[0]} (see: npm run emulator -- --help)`, 2); // parseArgs explains on more lines
  }
}

/** @param {string} message @param {number} code @returns {never} */
function fail(message, code) {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(code);
}

/** Credential id derived from the public key, so restarts give the same id. @param {crypto.KeyObject} publicKey */
const credentialIdFor = (publicKey) =>
  'cr-' +
  crypto
    .createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url')
    .slice(0, 24);

/** @param {string} dir */
function loadKeys(dir) {
  /** @type {{ id: string, publicKey: crypto.KeyObject, file: string, privateKeyPath: string|null }[]} */
  const found = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch (/** @type {any} */ e) {
    return fail(`--keys-dir ${dir}: ${e.code === 'ENOENT' ? 'no such directory' : e.message}`, 2);
  }
  for (const name of names.filter((n) => /\.(pem|key|pub)$/i.test(n)).sort()) {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    let publicKey;
    let privateKeyPath = null;
    try {
      if (/PRIVATE KEY/.test(text)) {
        publicKey = crypto.createPublicKey(crypto.createPrivateKey(text));
        privateKeyPath = file;
      } else publicKey = crypto.createPublicKey(text);
    } catch {
      continue; // not a key
    }
    const id = credentialIdFor(publicKey);
    const existing = found.find((k) => k.id === id);
    if (existing)
      existing.privateKeyPath ??= privateKeyPath; // public + private file of the same key
    else found.push({ id, publicKey, file, privateKeyPath });
  }
  return found;
}

function generateKey() {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-emulator-'));
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateKeyPath = join(dir, 'prime256v1.pem');
  writeFileSync(privateKeyPath, privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(dir, 'prime256v1.public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  return [{ id: credentialIdFor(publicKey), publicKey, file: privateKeyPath, privateKeyPath }];
}

/** A value as one POSIX shell word: single-quoted, a ' inside written '\''. @param {string} value */
const shellWord = (value) => `'${value.replace(/'/g, "'\\''")}'`;

/**
 * Writes `file` whole or not at all (a temporary file renamed over it), readable by its owner only.
 * @param {string} file @param {Record<string, string>} variables
 */
function writeEnvFile(file, variables) {
  const expires = new Date(Date.now() + 3600_000).toISOString();
  const text = [
    `# The local Dfns emulator (npm run emulator), for \`. ${file.includes('/') ? file : `./${file}`}\` in the shell that runs a client.`,
    `# Its token expires at ${expires}: restart the emulator for a new one. Removed when the emulator stops.`,
    ...Object.entries(variables).map(([name, value]) => `export ${name}=${shellWord(value)}`),
    '',
  ].join('\n');
  const partial = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, text, { mode: 0o600 });
    renameSync(partial, file);
  } catch (/** @type {any} */ e) {
    rmSync(partial, { force: true });
    throw new Error(`--write-env ${file}: ${e.message}`);
  }
}

const values = readOptions();
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const keys = values['keys-dir'] ? loadKeys(resolve(values['keys-dir'])) : [];
const credentials = keys.length ? keys : generateKey();

const emu = await startEmulator({
  port: Number(values.port),
  host: values.host,
  latencyMs: Number(values['latency-ms']),
  onRequest: values.verbose
    ? (r) =>
        process.stderr.write(
          `${r.status} ${r.method} ${r.path}${r.query ? '?' + r.query : ''}${r.headers['x-dfns-useraction'] ? ' [X-DFNS-USERACTION]' : ''}\n`,
        )
    : undefined,
}).catch((/** @type {any} */ e) => fail(`cannot listen on ${values.host}:${values.port}: ${e.message}`, 1));
const envFile = values['write-env'];
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    if (envFile) rmSync(envFile, { force: true });
    emu.close().then(() => process.exit(0));
  });
}
// A username, so that the Login flow (dfnsUsername) and the doctor can be tried against it too.
const username = 'you@example.com';
const { token, orgId } = emu.addUser({ username, credentials: credentials.map(({ id, publicKey }) => ({ id, publicKey })) });
const first = credentials.find((k) => k.privateKeyPath) ?? credentials[0];
const dfnsApiDomain = emu.url.replace(/^http:\/\//, '');
if (envFile) {
  try {
    writeEnvFile(envFile, {
      DFNS_API_DOMAIN: dfnsApiDomain,
      DFNS_AUTH_TOKEN: token,
      DFNS_CREDENTIAL_ID: first.id,
      DFNS_USERNAME: username,
      DFNS_ORG_ID: orgId,
      ...(first.privateKeyPath
        ? { DFNS_PRIVATE_KEY: readFileSync(first.privateKeyPath, 'utf8').trim(), DFNS_PRIVATE_KEY_FILE: first.privateKeyPath }
        : {}),
    });
  } catch (/** @type {any} */ e) {
    await emu.close();
    fail(e.message, 2);
  }
}
process.stdout.write(
  `${JSON.stringify({
    url: emu.url,
    dfnsApiDomain,
    token,
    credentialId: first.id,
    username,
    orgId,
    privateKeyPath: first.privateKeyPath,
    credentials: credentials.map(({ id, file }) => ({ id, file })),
  })}\n`,
);
