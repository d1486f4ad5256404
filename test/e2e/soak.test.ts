// Soak: one newman run of 1,000 signed requests (iterations over a data file), every one signed,
// every user action used exactly once.
import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.mjs';
import { collection, runNewman } from '../support/postman';

const N = Number(process.env.SOAK_REQUESTS ?? 1000);

it(`signs ${N} requests in one newman run, each user action used once`, async () => {
  const emu = await startEmulator({ port: 0 });
  try {
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const { token } = emu.addUser({ credentials: [{ id: 'cr-soak', publicKey: key.publicKey }] });
    const rows = Array.from({ length: N }, (_, i) => ({ externalId: `soak-${i}` }));
    const report = await runNewman(
      'newman-6.2',
      {
        collection: collection([
          { method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin","externalId":"{{externalId}}"}' },
        ]),
        env: {
          dfnsApiDomain: emu.url.slice(7),
          authToken: token,
          credentialPrivateKey: key.privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
        },
        iterationData: rows,
      },
      540_000,
    );
    expect(report.failures).toEqual([]);
    const main = emu.mainRequests();
    expect(main).toHaveLength(N);
    expect(main.every((r) => r.status === 200)).toBe(true);
    expect(main.map((r) => JSON.parse(r.body).externalId)).toEqual(rows.map((r) => r.externalId));
    expect(new Set(emu.usedUserActions).size).toBe(N);
    expect(emu.requests).toHaveLength(3 * N);
  } finally {
    await emu.close();
  }
}, 600_000);
