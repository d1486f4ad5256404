// Postman app: the private key may live in Postman Vault (pm.vault, postman-sandbox 6) instead of a
// synced variable. Driven through the app's runtime with a vault the way the app hands it over.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { collection, runNewman } from '../support/postman';

let emu: Emulator;
let token = '';
const key = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const pem = key.privateKey.export({ format: 'pem', type: 'sec1' }).toString();

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  token = emu.addUser({ credentials: [{ id: 'cr-vault', publicKey: key.publicKey }] }).token;
});
afterAll(() => emu.close());

const items = [{ method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' }];

it('reads credentialPrivateKey from the vault when the variable is unset', async () => {
  emu.reset();
  const report = await runNewman('sandbox-6', {
    collection: collection(items),
    env: { dfnsApiDomain: emu.url.slice(7), authToken: token },
    vaultSecrets: { values: { credentialPrivateKey: pem }, allowScriptAccess: true },
  });
  expect(report.failures).toEqual([]);
  expect(emu.mainRequests().map((r) => r.status)).toEqual([200]);
  expect(report.consoleLines.join('\n')).toContain('signed POST /wallets with cr-vault (ECDSA secp256k1)');
});

it('says the key is not set when the vault refuses the scripts access, and sends nothing', async () => {
  emu.reset();
  const report = await runNewman('sandbox-6', {
    collection: collection(items),
    env: { dfnsApiDomain: emu.url.slice(7), authToken: token },
    vaultSecrets: { values: { credentialPrivateKey: pem }, allowScriptAccess: false },
  });
  expect(report.failures.map((f) => f.message)).toEqual([
    expect.stringMatching(/^Dfns signer: credentialPrivateKey is not set, .*vault secret/),
  ]);
  expect(emu.mainRequests()).toEqual([]);
});

it('prefers the variable over the vault', async () => {
  emu.reset();
  const report = await runNewman('sandbox-6', {
    collection: collection(items),
    env: { dfnsApiDomain: emu.url.slice(7), authToken: token, credentialPrivateKey: pem },
    vaultSecrets: { values: { credentialPrivateKey: 'not a key' }, allowScriptAccess: true },
  });
  expect(report.failures).toEqual([]);
  expect(emu.mainRequests().map((r) => r.status)).toEqual([200]);
});
