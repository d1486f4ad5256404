// The failure contract in newman: one line `Dfns signer: <what>. <fix>` recorded as a failed test
// (newman exits 1), and the main request never reaches Dfns. Nothing secret in any output.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Emulator, type Fault, startEmulator } from '../../emulator/emulator.mjs';
import { collection, type ItemSpec, RUNTIMES, type Runtime, runNewman } from '../support/postman';

const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const privatePem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();

// Each run gets its own emulator, so runs can go in parallel without sharing faults or logs.
interface World {
  emu: Emulator;
  token: string;
  twoKeysToken: string;
  passkeyToken: string;
}
async function world(): Promise<World> {
  const emu = await startEmulator({ port: 0 });
  return {
    emu,
    token: emu.addUser({ credentials: [{ id: 'cr-main', publicKey: key.publicKey }] }).token,
    twoKeysToken: emu.addUser({
      credentials: [
        { id: 'cr-a', publicKey: key.publicKey },
        { id: 'cr-b', publicKey: otherKey.publicKey },
      ],
    }).token,
    passkeyToken: emu.addUser({ credentials: [{ id: 'cr-passkey', kind: 'Fido2' }] }).token,
  };
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/keys/${name}`, import.meta.url), 'utf8');
const jwtOf = (payload: object) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

const POST: ItemSpec = { method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' };

interface Case {
  name: string;
  vars?: (w: World) => Record<string, string>;
  fault?: Partial<Record<'init' | 'complete', Fault>>;
  item?: ItemSpec;
  timeoutRequest?: number;
  message: RegExp;
}

const cases: Case[] = [
  {
    name: 'authToken not set',
    vars: () => ({ authToken: '' }),
    message: /^Dfns signer: authToken is not set\. Set the variable authToken/,
  },
  { name: 'authToken not a JWT', vars: () => ({ authToken: 'my-token' }), message: /authToken is not a JWT/ },
  {
    name: 'authToken not base64url',
    vars: () => ({ authToken: 'eyJ.a+b/c.d' }),
    message: /authToken is not a JWT \(it has characters outside base64url\)/,
  },
  { name: 'authToken without exp', vars: () => ({ authToken: jwtOf({ sub: 'or-1' }) }), message: /authToken has no expiry \(exp\)/ },
  {
    name: 'authToken expired',
    vars: (w) => ({ authToken: w.emu.token({ userId: w.emu.addUser({ credentials: [] }).userId, expiresInSeconds: -3600 }) }),
    message: /authToken expired at \d{4}-\d\d-\d\dT/,
  },
  {
    name: 'credentialPrivateKey not set',
    vars: () => ({ credentialPrivateKey: '' }),
    message: /credentialPrivateKey is not set, and POST \/wallets needs a user action/,
  },
  {
    name: 'credentialPrivateKey holds the public key',
    vars: () => ({ credentialPrivateKey: publicPem }),
    message: /credentialPrivateKey holds a PUBLIC key/,
  },
  {
    name: 'credentialPrivateKey holds a certificate',
    vars: () => ({ credentialPrivateKey: fixture('refuse-certificate.pem') }),
    message: /credentialPrivateKey holds a certificate/,
  },
  {
    name: 'credentialPrivateKey is encrypted',
    vars: () => ({ credentialPrivateKey: fixture('refuse-encrypted-pkcs8.pem') }),
    message: /passphrase-encrypted private key.*openssl pkey -in key\.pem -out key-decrypted\.pem/,
  },
  {
    name: 'credentialPrivateKey is an OpenSSH key',
    vars: () => ({ credentialPrivateKey: fixture('refuse-openssh-ecdsa.key') }),
    message: /holds an OpenSSH private key.*ssh-keygen -p -m PKCS8/,
  },
  {
    name: 'credentialPrivateKey is a PuTTY key',
    vars: () => ({ credentialPrivateKey: fixture('refuse-putty.ppk') }),
    message: /holds a PuTTY private key.*puttygen/,
  },
  {
    name: 'credentialPrivateKey is truncated',
    vars: () => ({ credentialPrivateKey: privatePem.slice(0, 120) }),
    message: /credentialPrivateKey is incomplete \(.*\), probably cut when copying/,
  },
  {
    name: 'credentialPrivateKey has a wrong PEM label',
    vars: () => ({ credentialPrivateKey: privatePem.replace(/PRIVATE KEY/g, 'X509 CRL') }),
    message: /holds a PEM block labelled "X509 CRL", not a private key/,
  },
  {
    name: 'credentialPrivateKey is on an unsupported curve',
    vars: () => ({ credentialPrivateKey: fixture('refuse-brainpoolP256r1.pem') }),
    message: /is an EC key on brainpoolP256r1, which the signer does not support/,
  },
  {
    name: 'credentialPrivateKey is garbage',
    vars: () => ({ credentialPrivateKey: 'hello world' }),
    message: /^Dfns signer: credentialPrivateKey /,
  },
  {
    name: 'key of another credential',
    vars: () => ({ credentialPrivateKey: otherKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() }),
    message:
      /Dfns refused POST \/auth\/action with 401: "Signature verification failed\." \(a deactivated credential, or the key of another credential than the token's\)\. Check that credential cr-main is active/,
  },
  {
    name: 'several credentials, no credentialId',
    vars: (w) => ({ authToken: w.twoKeysToken }),
    message: /several Key credentials for this token \(cr-a, cr-b\)\. Set the variable credentialId/,
  },
  {
    name: 'credentialId not offered',
    vars: () => ({ credentialId: 'cr-nope' }),
    message: /credentialId "cr-nope" is not among .*\(cr-main\)/,
  },
  {
    name: 'only a passkey',
    vars: (w) => ({ authToken: w.passkeyToken }),
    message: /offers no Key credential for this token \(it has only: passkey/,
  },
  {
    name: 'init answers 500 with a Dfns error',
    fault: { init: { status: 500 } },
    message: /Dfns refused POST \/auth\/action\/init with 500: "[^"]+"\. Dfns had a server-side problem/,
  },
  {
    name: 'init answers 502 HTML',
    fault: { init: { status: 502, nonJson: true } },
    message: /Dfns refused POST \/auth\/action\/init with 502 with a body that is not a Dfns JSON error/,
  },
  {
    name: 'init answers 200 HTML',
    fault: { init: { status: 200, nonJson: true } },
    message: /POST \/auth\/action\/init answered 200 with a body that is not JSON/,
  },
  {
    name: 'init answers without a challenge',
    fault: { init: { status: 200, body: { hello: 'world' } } },
    message: /answered without a challenge or challengeIdentifier/,
  },
  { name: 'complete answers 403', fault: { complete: { status: 403 } }, message: /Dfns refused POST \/auth\/action with 403/ },
  {
    name: 'complete answers without userAction',
    fault: { complete: { status: 200, body: {} } },
    message: /answered without a userAction token/,
  },
  {
    name: 'complete connection reset',
    fault: { complete: { destroy: true } },
    message: /could not reach http:\/\/127\.0\.0\.1:\d+\/auth\/action\b/,
  },
  {
    name: 'connection refused',
    vars: () => ({ dfnsApiDomain: '127.0.0.1:9' }),
    message: /could not reach http:\/\/127\.0\.0\.1:9\/auth\/action\/init/,
  },
  {
    name: 'Dfns does not answer in time',
    fault: { init: { delayMs: 3000 } },
    timeoutRequest: 500,
    message: /could not reach .*\/auth\/action\/init/,
  },
  {
    name: 'form-data body without the field data (only key-store output forms are signed)',
    item: { ...POST, bodyMode: 'formdata' },
    message: /the request body is a form with no field data, but Dfns signs a form only as its SDK sends key-store outputs/,
  },
  { name: 'file body', item: { ...POST, bodyMode: 'file' }, message: /the request body is file, but Dfns signs JSON bodies only/ },
  { name: 'urlencoded body', item: { ...POST, bodyMode: 'urlencoded' }, message: /the request body is urlencoded/ },
  {
    name: 'unresolved variable in the URL',
    item: { ...POST, url: 'http://{{dfnsApiDomain}}/wallets/{{walletId}}/transfers' },
    message: /the request URL holds \{\{walletId\}\}, but walletId is not defined when the signer runs/,
  },
];

async function run(runtime: Runtime, c: Case) {
  const w = await world();
  try {
    if (c.fault) w.emu.setFault(c.fault);
    const env = {
      dfnsApiDomain: w.emu.url.slice('http://'.length),
      authToken: w.token,
      credentialPrivateKey: privatePem,
      ...(c.vars ? c.vars(w) : {}),
    };
    const report = await runNewman(runtime, { collection: collection([c.item ?? POST]), env, timeoutRequest: c.timeoutRequest });
    return { report, env, main: w.emu.mainRequests() };
  } finally {
    await w.emu.close();
  }
}

function expectRefusal(c: Case, result: Awaited<ReturnType<typeof run>>) {
  const { report, env, main } = result;
  const ours = report.failures.filter((f) => f.message?.startsWith('Dfns signer:'));
  expect(ours.map((f) => f.message)).toHaveLength(1);
  expect(ours[0].message).toMatch(c.message);
  expect(ours[0].message).not.toContain('\n');
  expect(main).toEqual([]);
  const output = JSON.stringify({ failures: report.failures, console: report.consoleLines });
  for (const secret of [env.authToken, privatePem.split('\n')[1]]) if (secret && secret.length > 20) expect(output).not.toContain(secret);
}

describe('newman 6.2 refuses and sends nothing', () => {
  it.concurrent.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    expectRefusal(c, await run('newman-6.2', c));
  });
});

describe('the Postman app runtime (sandbox 6) refuses and sends nothing', () => {
  const sample = cases.filter((c) =>
    ['authToken expired', 'init answers 500 with a Dfns error', 'key of another credential', 'connection refused'].includes(c.name),
  );
  it.concurrent.each(sample.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    expectRefusal(c, await run('sandbox-6', c));
  });
});

describe('warnings that still sign', () => {
  it.each(RUNTIMES)('%s: a body that is not valid JSON is signed as sent, with a warning', async (runtime) => {
    const { report, main } = await run(runtime, { name: 'bad json', item: { ...POST, body: '{"network": Bitcoin}' }, message: /x/ });
    expect(report.failures).toEqual([]);
    expect(main.map((r) => [r.status, r.body])).toEqual([[200, '{"network": Bitcoin}']]);
    expect(report.consoleLines.join('\n')).toContain('is not valid JSON; signing it exactly as sent');
  });

  it('a token expiring within a minute signs with a warning', async () => {
    const { report, main } = await run('newman-6.2', {
      name: 'soon',
      vars: (w) => ({
        authToken: w.emu.token({
          userId: w.emu.addUser({ credentials: [{ id: 'cr-soon', publicKey: key.publicKey }] }).userId,
          expiresInSeconds: 30,
        }),
      }),
      message: /x/,
    });
    expect(report.failures).toEqual([]);
    expect(main.map((r) => r.status)).toEqual([200]);
    expect(report.consoleLines.join('\n')).toMatch(/authToken expires in \d+ s/);
  });
});
