#!/usr/bin/env node
// @ts-check
// `npm run emulator`: the local Dfns emulator with one user, for trying a client by hand (HELP says what it does).
import crypto from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  {"url", "token", "credentialId", "privateKeyPath", "credentials": [{"id", "file"}]}
  url             the emulator's address; its host:port is the dfnsApiDomain to use
  token           the user's Bearer token (authToken), valid for 1 hour: restart for a new one
  credentialId    the credential of privateKeyPath (the first key with a private half)
  privateKeyPath  the PEM to use as credentialPrivateKey (null when --keys-dir has only public keys)
  credentials     every credential registered, with the file it came from

Options:
  --port <n>        port to listen on (default 8787; 0 picks a free one)
  --host <address>  address to listen on (default 127.0.0.1)
  --keys-dir <dir>  register the keys found in <dir> instead of generating one
  --verbose         log each request on stderr: status, method, path and query
  -h, --help        this help

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
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
      throw new Error(`--port must be a number from 0 to 65535, got "${values.port}"`);
    return values;
  } catch (/** @type {any} */ e) {
    return fail(`${e.message} (see: npm run emulator -- --help)`, 2);
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
  onRequest: values.verbose ? (r) => process.stderr.write(`${r.status} ${r.method} ${r.path}${r.query ? '?' + r.query : ''}\n`) : undefined,
}).catch((/** @type {any} */ e) => fail(`cannot listen on ${values.host}:${values.port}: ${e.message}`, 1));
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    emu.close().then(() => process.exit(0));
  });
}
const { token } = emu.addUser({ credentials: credentials.map(({ id, publicKey }) => ({ id, publicKey })) });
const first = credentials.find((k) => k.privateKeyPath) ?? credentials[0];
process.stdout.write(
  `${JSON.stringify({
    url: emu.url,
    token,
    credentialId: first.id,
    privateKeyPath: first.privateKeyPath,
    credentials: credentials.map(({ id, file }) => ({ id, file })),
  })}\n`,
);
