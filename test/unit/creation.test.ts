// The requests whose body the signer writes (src/creation.ts, src/protocol/newCredential.ts): Create Credential
// with newCredentialPrivateKey, and registration with dfnsRegistrationCode; with a client in memory, and the
// attestation side by side with the one @dfns/sdk-browser's BrowserKeySigner.create makes of the same key.
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, verify, webcrypto } from 'node:crypto';
import { BrowserKeySigner } from '@dfns/sdk-browser';
import { describe, expect, it } from 'vitest';
import { builtFormData } from '../../src/clients/multipart';
import { signOrFail } from '../../src/flow';
import { readPrivateKey } from '../../src/keys/index';
import { keyAttestation } from '../../src/protocol/newCredential';
import { type FakeOptions, type FakeRequest, fakeClient, NEW_CREDENTIAL_CHALLENGE } from '../support/fake-client';

const NOW = Date.UTC(2026, 11, 1);
const jwt = (exp: number) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
const TOKEN = jwt(NOW / 1000 + 3600);
const pem = (k: KeyObject) => k.export({ format: 'pem', type: 'pkcs8' }).toString();
const current = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const fresh = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

const CREATE: FakeRequest = { method: 'POST', url: 'https://api.dfns.io/auth/credentials', body: '{}' };
const REGISTER: FakeRequest = { method: 'POST', url: 'https://api.dfns.io/auth/registration', body: '{}' };
const vars = (extra: Record<string, string> = {}) => ({ authToken: TOKEN, credentialPrivateKey: pem(current.privateKey), ...extra });
const registering = (extra: Record<string, string> = {}) => ({
  dfnsRegistrationCode: 'ABC-123',
  dfnsUsername: 'new@example.com',
  dfnsOrgId: 'or-1',
  credentialPrivateKey: pem(fresh.privateKey),
  ...extra,
});

async function sign(request: FakeRequest, variables: Record<string, string>, options: FakeOptions = {}) {
  const fake = fakeClient(request, { variables, ...options });
  const error = await signOrFail(fake.client, () => NOW);
  return { ...fake, error };
}

const decode = (b64url: string) => JSON.parse(Buffer.from(b64url, 'base64url').toString('utf8'));

/** Checks a credentialInfo as Dfns does: clientData about `challenge`, the attestation signed by `publicKey`. */
function attests(info: { credId: string; clientData: string; attestationData: string }, challenge: string, publicKey: KeyObject): void {
  const clientData = Buffer.from(info.clientData, 'base64url');
  expect(JSON.parse(clientData.toString())).toEqual({ type: 'key.create', challenge });
  const attestation = decode(info.attestationData);
  expect(Object.keys(attestation)).toEqual(['publicKey', 'signature']);
  expect(attestation.publicKey).toBe(publicKey.export({ type: 'spki', format: 'pem' }).toString().trim());
  const signed = Buffer.from(
    JSON.stringify({ clientDataHash: createHash('sha256').update(clientData).digest('hex'), publicKey: attestation.publicKey }),
  );
  const signature = Buffer.from(attestation.signature, 'hex');
  const ok =
    publicKey.asymmetricKeyType === 'ed25519'
      ? verify(null, signed, publicKey, signature)
      : verify('sha256', signed, { key: publicKey, dsaEncoding: 'der' }, signature);
  expect(ok).toBe(true);
  expect(Buffer.from(info.credId, 'base64url')).toHaveLength(32);
}

describe('Create Credential with newCredentialPrivateKey', () => {
  it('asks for a Key challenge, writes the attestation body, and signs that exact body with the current key', async () => {
    const { calls, sent, written, headers, logs, reported } = await sign(CREATE, vars({ newCredentialPrivateKey: pem(fresh.privateKey) }));
    expect(reported).toEqual([]);
    expect(calls).toEqual([
      'request',
      'variable dfnsApiDomain',
      'variable authToken',
      'variable dfnsUsername',
      'variable credentialPrivateKey',
      'variable newCredentialPrivateKey',
      'variable dfnsTimeoutSeconds',
      'send /auth/credentials/init',
      'variable newCredentialName',
      'send /auth/action/init',
      'variable credentialId',
      'send /auth/action',
      'freeze',
      'replaceBody',
      'setHeader Content-Type',
      'setHeader X-DFNS-USERACTION',
      'log',
      'setHeader Authorization',
    ]);
    expect(sent[0]).toMatchObject({ url: 'https://api.dfns.io/auth/credentials/init', body: '{"kind":"Key"}' });
    expect(sent[0].headers.Authorization).toBe(`Bearer ${TOKEN}`);
    const body = JSON.parse(written[0]);
    expect(Object.keys(body)).toEqual(['credentialKind', 'credentialInfo', 'credentialName', 'challengeIdentifier']);
    expect(Object.keys(body.credentialInfo)).toEqual(['credId', 'clientData', 'attestationData']);
    expect(body).toMatchObject({ credentialKind: 'Key', credentialName: 'ECDSA P-256 key 2026-12-01', challengeIdentifier: 'ci-new' });
    attests(body.credentialInfo, NEW_CREDENTIAL_CHALLENGE.challenge, fresh.publicKey);
    // The user action covers the body exactly as written.
    expect(JSON.parse(sent[1].body)).toMatchObject({ userActionHttpPath: '/auth/credentials', userActionPayload: written[0] });
    expect(headers['Content-Type']).toBe('application/json');
    expect(logs.join('\n')).toContain(`it creates the Key credential ${body.credentialInfo.credId} (ECDSA P-256)`);
  });

  it.each([
    ['secp256k1', generateKeyPairSync('ec', { namedCurve: 'secp256k1' })],
    ['P-384', generateKeyPairSync('ec', { namedCurve: 'secp384r1' })],
    ['Ed25519', generateKeyPairSync('ed25519')],
    ['RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ])('a new %s key attests itself as Dfns verifies it', async (_name, pair) => {
    const { written, reported } = await sign(CREATE, vars({ newCredentialPrivateKey: pem(pair.privateKey), newCredentialName: 'laptop' }));
    expect(reported).toEqual([]);
    const body = JSON.parse(written[0]);
    expect(body.credentialName).toBe('laptop');
    attests(body.credentialInfo, NEW_CREDENTIAL_CHALLENGE.challenge, pair.publicKey);
  });

  it('without newCredentialPrivateKey, the body goes out as written', async () => {
    const { calls, written, reported } = await sign(CREATE, vars());
    expect(reported).toEqual([]);
    expect(written).toEqual([]);
    expect(calls).toContain('body');
    expect(calls).not.toContain('send /auth/credentials/init');
  });

  it('a new key it cannot use is refused naming newCredentialPrivateKey, before anything is sent', async () => {
    const publicPem = fresh.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const { reported, sent } = await sign(CREATE, vars({ newCredentialPrivateKey: publicPem }));
    expect(reported.map((e) => e.code)).toEqual(['key-public']);
    expect(reported[0].message).toMatch(/^Dfns signer: newCredentialPrivateKey holds a PUBLIC key/);
    expect(sent).toEqual([]);
  });

  it('a client that cannot write the body refuses before anything is sent', async () => {
    const { reported, sent } = await sign(CREATE, vars({ newCredentialPrivateKey: pem(fresh.privateKey) }), { unwritable: true });
    expect(reported.map((e) => e.code)).toEqual(['body-unwritable']);
    expect(sent).toEqual([]);
  });

  it("a token Dfns refuses there (a personal access token's) names the login token, and nothing is written", async () => {
    const { reported, written, sent } = await sign(CREATE, vars({ newCredentialPrivateKey: pem(fresh.privateKey) }), {
      answer: () => ({ status: 403, text: '{"error":{"message":"Not allowed for personal access tokens"}}' }),
    });
    expect(reported.map((e) => e.code)).toEqual(['dfns-refused']);
    expect(reported[0].message).toMatch(/POST \/auth\/credentials\/init with 403.*login token/);
    expect(sent).toHaveLength(1);
    expect(written).toEqual([]);
  });
});

describe('registration with dfnsRegistrationCode', () => {
  it('needs no authToken: init without a token, the attestation body, and the temporary token as Authorization', async () => {
    const { calls, sent, written, headers, reported, logs } = await sign(REGISTER, registering());
    expect(reported).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      url: 'https://api.dfns.io/auth/registration/init',
      body: '{"orgId":"or-1","username":"new@example.com","registrationCode":"ABC-123"}',
    });
    expect(sent[0].headers.Authorization).toBeUndefined();
    const body = JSON.parse(written[0]);
    expect(Object.keys(body)).toEqual(['firstFactorCredential']);
    expect(body.firstFactorCredential.credentialKind).toBe('Key');
    attests(body.firstFactorCredential.credentialInfo, NEW_CREDENTIAL_CHALLENGE.challenge, fresh.publicKey);
    expect(headers).toEqual({
      'Content-Type': 'application/json',
      Authorization: `Bearer ${NEW_CREDENTIAL_CHALLENGE.temporaryAuthenticationToken}`,
    });
    expect(calls).not.toContain('variable authToken');
    expect(logs.join('\n')).not.toContain(NEW_CREDENTIAL_CHALLENGE.temporaryAuthenticationToken);
  });

  it('says which variable is missing, and refuses a request with its own Authorization', async () => {
    const { reported, sent } = await sign(REGISTER, registering({ dfnsOrgId: '', credentialPrivateKey: '' }));
    expect(reported[0].code).toBe('registration-setup');
    expect(reported[0].message).toMatch(/dfnsOrgId and credentialPrivateKey are not/);
    const own = await sign({ ...REGISTER, headers: { Authorization: 'Bearer x' } }, registering());
    expect(own.reported[0].code).toBe('registration-setup');
    expect([...sent, ...own.sent]).toEqual([]);
  });

  it('without dfnsRegistrationCode, the request is left to the token as any other', async () => {
    const { reported, sent, headers } = await sign(REGISTER, vars());
    expect(reported).toEqual([]);
    expect(sent).toEqual([]);
    expect(headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });
});

describe('the attestation next to @dfns/sdk-browser BrowserKeySigner.create (the oracle)', () => {
  it('has the same fields, clientData and public key PEM for the same P-256 key and challenge', async () => {
    const jwk = fresh.privateKey.export({ format: 'jwk' });
    const privateKey = await webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const publicKey = await webcrypto.subtle.importKey(
      'spki',
      createPublicKey(fresh.privateKey).export({ type: 'spki', format: 'der' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['verify'],
    );
    const sdk = await new BrowserKeySigner({ keyPair: { privateKey, publicKey } as any }).create({
      challenge: 'c2RrLWNoYWxsZW5nZQ',
    } as any);
    const ours = keyAttestation('c2RrLWNoYWxsZW5nZQ', readPrivateKey(pem(fresh.privateKey)));
    expect(sdk.credentialKind).toBe('Key');
    expect(Object.keys(ours)).toEqual(Object.keys(sdk.credentialInfo));
    expect(ours.clientData).toBe(sdk.credentialInfo.clientData);
    const [a, b] = [decode(ours.attestationData), decode(sdk.credentialInfo.attestationData)];
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(a.publicKey).toBe(b.publicKey);
    expect(a.signature).toMatch(/^[0-9a-f]+$/);
    for (const info of [ours, sdk.credentialInfo]) attests(info, 'c2RrLWNoYWxsZW5nZQ', fresh.publicKey);
  });
});

describe('a form as a client hands it over built (httpyac): the field data read back', () => {
  const built = async (fields: [string, string | Blob][]) => {
    const form = new FormData();
    for (const [key, value] of fields) {
      if (typeof value === 'string') form.append(key, value);
      else form.append(key, value, 'out.bin');
    }
    const request = new Request('http://x/', { method: 'POST', body: form });
    return { bytes: new Uint8Array(await request.arrayBuffer()), type: request.headers.get('content-type') as string };
  };

  it('finds data beside a file of any bytes, as UTF-8', async () => {
    const data = '{"outputJson":{"note":"ünï"},"fileChecksum":"ab"}';
    const { bytes, type } = await built([
      ['data', data],
      ['file', new Blob([Uint8Array.from([0, 13, 10, 45, 45, 255])])],
    ]);
    expect(builtFormData(bytes, type)).toBe(data);
  });

  it('refuses a form without data, with other fields, with data as a file, or without a boundary', async () => {
    const cases: [string, string | Blob][][] = [
      [['file', new Blob(['x'])]],
      [
        ['data', '{}'],
        ['note', 'x'],
      ],
      [['data', new Blob(['{}'])]],
    ];
    for (const fields of cases) {
      const { bytes, type } = await built(fields);
      expect(() => builtFormData(bytes, type)).toThrow(/Dfns signs a form only as its SDK sends key-store outputs/);
    }
    expect(() => builtFormData(new Uint8Array(), 'multipart/form-data')).toThrow(/no boundary/);
  });
});
