#!/usr/bin/env node
// @ts-check
/**
 * Start the Dfns auth emulator:  node emulator/cli.mjs [--port 8787] [--host 127.0.0.1] [--keys-dir DIR] [--verbose]
 *
 * Creates one user whose Key credentials are the keys found in DIR (*.pem, *.key, *.pub: public keys, or private
 * keys whose public half is used). With no key found (or no DIR), generates a P-256 key pair into a temp dir
 * (private key as SEC1 "EC PRIVATE KEY" PEM, like `openssl ecparam -genkey -name prime256v1`).
 * Prints ONE JSON line on stdout: {url, token, credentialId, privateKeyPath, credentials}, then runs until SIGINT/SIGTERM.
 * --verbose logs each request on stderr.
 */
import crypto from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startEmulator } from './emulator.mjs'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'keys-dir': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
})

/** Credential id derived from the public key, so restarts give the same id. @param {crypto.KeyObject} publicKey */
const credentialIdFor = (publicKey) =>
  'cr-' + crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 24)

/** @param {string} dir */
function loadKeys(dir) {
  /** @type {{ id: string, publicKey: crypto.KeyObject, file: string, privateKeyPath: string|null }[]} */
  const found = []
  for (const name of readdirSync(dir).filter((n) => /\.(pem|key|pub)$/i.test(n)).sort()) {
    const file = join(dir, name)
    const text = readFileSync(file, 'utf8')
    let publicKey, privateKeyPath = null
    try {
      if (/PRIVATE KEY/.test(text)) { publicKey = crypto.createPublicKey(crypto.createPrivateKey(text)); privateKeyPath = file }
      else publicKey = crypto.createPublicKey(text)
    } catch { continue } // not a key
    const id = credentialIdFor(publicKey)
    const existing = found.find((k) => k.id === id)
    if (existing) existing.privateKeyPath ??= privateKeyPath // public + private file of the same key
    else found.push({ id, publicKey, file, privateKeyPath })
  }
  return found
}

function generateKey() {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-emulator-'))
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const privateKeyPath = join(dir, 'prime256v1.pem')
  writeFileSync(privateKeyPath, privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 })
  writeFileSync(join(dir, 'prime256v1.public.pem'), publicKey.export({ type: 'spki', format: 'pem' }))
  return [{ id: credentialIdFor(publicKey), publicKey, file: privateKeyPath, privateKeyPath }]
}

const keys = (values['keys-dir'] ? loadKeys(resolve(values['keys-dir'])) : [])
const credentials = keys.length ? keys : generateKey()

const emu = await startEmulator({
  port: Number(values.port),
  host: values.host,
  onRequest: values.verbose ? (r) => process.stderr.write(`${r.status} ${r.method} ${r.path}${r.query ? '?' + r.query : ''}\n`) : undefined,
})
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => { emu.close().then(() => process.exit(0)) })
}
const { token } = emu.addUser({ credentials: credentials.map(({ id, publicKey }) => ({ id, publicKey })) })
const first = credentials.find((k) => k.privateKeyPath) ?? credentials[0]
process.stdout.write(JSON.stringify({
  url: emu.url,
  token,
  credentialId: first.id,
  privateKeyPath: first.privateKeyPath,
  credentials: credentials.map(({ id, file }) => ({ id, file })),
}) + '\n')
