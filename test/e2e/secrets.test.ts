// The script never writes a variable and never shows the key or the token, whatever happens.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { collection, RUNTIMES, runNewman } from '../support/postman';

let emu: Emulator;
let token = '';
const key = generateKeyPairSync('ed25519');
const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  token = emu.addUser({ credentials: [{ id: 'cr-ed', publicKey: key.publicKey }] }).token;
});
afterAll(() => emu.close());

describe.each(RUNTIMES)('%s', (runtime) => {
  it('writes no variable and shows no secret, signing or failing', async () => {
    const env = { dfnsApiDomain: emu.url.slice(7), authToken: token, credentialPrivateKey: pem };
    const items = [
      { method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' },
      { method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
      { method: 'PUT', url: 'http://{{dfnsApiDomain}}/nowhere/{{missing}}', body: '{}' },
    ];
    const report = await runNewman(runtime, { collection: collection(items), env });
    expect(report.variables.environment).toEqual(Object.entries(env).map(([key, value]) => ({ key, value })));
    expect(report.variables.globals).toEqual([]);
    expect(report.variables.collection).toEqual([]);
    const shown = JSON.stringify({ failures: report.failures, console: report.consoleLines });
    for (const line of pem.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----')))
      expect(shown).not.toContain(line.slice(0, 16));
    for (const part of token.split('.')) expect(shown).not.toContain(part.slice(0, 24));
    expect(report.failures.map((f) => f.message)).toEqual([expect.stringMatching(/the request URL holds \{\{missing\}\}/)]);
  });
});
