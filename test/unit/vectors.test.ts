// The golden vectors of test/vectors/ (written once by an independent implementation, see the README
// there): each protocol step and the signature must reproduce them byte for byte. Every step starts
// from the vector's own input, so a failure names the one step, rule or byte that changed.

import { constants, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { base64urlEncode, utf8Encode } from '../../src/encoding';
import { readPrivateKey } from '../../src/keys/index';
import { assertion, challengeRequest, clientData, completeRequest, pickCredential, readChallenge } from '../../src/protocol/userAction';

interface Vector {
  scheme: string;
  signerAlgorithm: string;
  privateKeyPem: string;
  publicKeyPem: string;
  request: { method: string; path: string; body: string };
  initAnswer: { challenge: string; challengeIdentifier: string; allowCredentials: { key: { id: string }[] } };
  expected: {
    initBody: string;
    clientData: string;
    clientDataBase64url: string;
    signatureBase64url: string;
    completeBody: string;
  };
}

const DIR = new URL('../vectors/', import.meta.url);
const vectors = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ name: file.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Vector) }));

const bytesOf = (b64url: string): Uint8Array => Uint8Array.from(Buffer.from(b64url, 'base64url'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function nodeVerifies(v: Vector, data: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey(v.publicKeyPem);
  if (key.asymmetricKeyType === 'ed25519') return verify(null, data, key, signature);
  if (key.asymmetricKeyType === 'rsa') return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  return verify('sha256', data, { key, dsaEncoding: 'der' }, signature);
}

it('has a vector for every scheme the issue names', () => {
  expect(vectors.map((v) => v.name)).toEqual(expect.arrayContaining(['p256', 'secp256k1', 'ed25519', 'rsa2048']));
});

describe.each(vectors)('golden vector $name', (v) => {
  const { method, path, body } = v.request;

  it('POST /auth/action/init body: JSON.stringify(challengeRequest(facts))', () => {
    const text = JSON.stringify(challengeRequest({ method, path, payload: body }));
    expect(text).toBe(v.expected.initBody);
    expect(hex(utf8Encode(text))).toBe(Buffer.from(v.expected.initBody, 'utf8').toString('hex'));
  });

  it('init answer: readChallenge, then pickCredential takes the only key credential', () => {
    const challenge = readChallenge(v.initAnswer);
    expect(challenge.challenge).toBe(v.initAnswer.challenge);
    expect(challenge.challengeIdentifier).toBe(v.initAnswer.challengeIdentifier);
    expect(pickCredential(challenge, undefined)).toBe(v.initAnswer.allowCredentials.key[0].id);
  });

  it('clientData text and its base64url', () => {
    const text = clientData(v.initAnswer.challenge);
    expect(text).toBe(v.expected.clientData);
    expect(base64urlEncode(utf8Encode(text))).toBe(v.expected.clientDataBase64url);
  });

  it(`signature: readPrivateKey(pem).sign(clientData bytes), ${v.scheme}`, () => {
    const key = readPrivateKey(v.privateKeyPem);
    expect(key.algorithm).toBe(v.signerAlgorithm);
    const signature = key.sign(bytesOf(v.expected.clientDataBase64url));
    expect(base64urlEncode(signature)).toBe(v.expected.signatureBase64url);
  });

  it('the vector signature verifies with node:crypto against the vector public key', () => {
    const key = createPrivateKey(v.privateKeyPem);
    expect(createPublicKey(key).export({ format: 'pem', type: 'spki' })).toBe(v.publicKeyPem);
    expect(nodeVerifies(v, bytesOf(v.expected.clientDataBase64url), bytesOf(v.expected.signatureBase64url))).toBe(true);
  });

  it('POST /auth/action body: JSON.stringify(completeRequest(id, assertion(credId, clientData, signature)))', () => {
    const credId = v.initAnswer.allowCredentials.key[0].id;
    const a = assertion(credId, utf8Encode(v.expected.clientData), bytesOf(v.expected.signatureBase64url));
    expect(a).toEqual({ credId, clientData: v.expected.clientDataBase64url, signature: v.expected.signatureBase64url });
    expect(JSON.stringify(completeRequest(v.initAnswer.challengeIdentifier, a))).toBe(v.expected.completeBody);
  });

  it('the whole chain from the request and the init answer', () => {
    const initBody = JSON.stringify(challengeRequest({ method, path, payload: body }));
    const challenge = readChallenge(v.initAnswer);
    const credId = pickCredential(challenge, undefined);
    const data = utf8Encode(clientData(challenge.challenge));
    const signature = readPrivateKey(v.privateKeyPem).sign(data);
    const completeBody = JSON.stringify(completeRequest(challenge.challengeIdentifier, assertion(credId, data, signature)));
    expect({ initBody, completeBody }).toEqual({ initBody: v.expected.initBody, completeBody: v.expected.completeBody });
  });
});

// ---------------------------------------------------------------- published ECDSA known answers

/** DER SEQUENCE { INTEGER r, INTEGER s } from big-endian hex, for the expected values below. */
function derSignature(rHex: string, sHex: string): string {
  const int = (h: string): string => {
    let b = h.replace(/^(00)+/, '');
    if (parseInt(b.slice(0, 2), 16) >= 0x80) b = `00${b}`;
    return `02${(b.length / 2).toString(16).padStart(2, '0')}${b}`;
  };
  const body = int(rHex) + int(sHex);
  return `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
}

const toHex = (x: bigint): string => x.toString(16).padStart(64, '0');

/** The published values sign SHA-256(message) on the curve, which is what CredentialKey.sign does. */
const PUBLISHED = [
  {
    source: 'RFC 6979 A.2.5, P-256, SHA-256, "sample"',
    crv: 'P-256',
    n: 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
    d: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
    x: '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6',
    y: '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
    message: 'sample',
    r: 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716',
    s: 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
    highS: true,
  },
  {
    source: 'RFC 6979 A.2.5, P-256, SHA-256, "test"',
    crv: 'P-256',
    n: 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
    d: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
    x: '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6',
    y: '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
    message: 'test',
    r: 'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367',
    s: '019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083',
    highS: false,
  },
  {
    source: 'secp256k1, private key 1, SHA-256, "Satoshi Nakamoto" (bitcointalk topic 285142, k = 8f8a276c…5d15)',
    crv: 'secp256k1',
    n: 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141',
    d: '0000000000000000000000000000000000000000000000000000000000000001',
    x: '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
    y: '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8',
    message: 'Satoshi Nakamoto',
    r: '934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8',
    s: 'dbbd3162d46e9f9bef7feb87c16dc13b4f6568a87f4e83f728e2443ba586675c',
    highS: true,
  },
];

describe('ECDSA signer against published RFC 6979 signatures', () => {
  it.each(PUBLISHED)('$source', (p) => {
    const jwk = {
      kty: 'EC',
      crv: p.crv,
      d: Buffer.from(p.d, 'hex').toString('base64url'),
      x: Buffer.from(p.x, 'hex').toString('base64url'),
      y: Buffer.from(p.y, 'hex').toString('base64url'),
    };
    const pem = createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'pkcs8' }).toString();
    const signature = readPrivateKey(pem).sign(utf8Encode(p.message));
    // The signer emits DER and folds s into the low half (s' = n - s when s > n/2), as Bitcoin and
    // most Dfns-side verifiers prefer; r, which the RFC 6979 nonce alone fixes, is the published one.
    const n = BigInt(`0x${p.n}`);
    const s = BigInt(`0x${p.s}`);
    expect(s > n / BigInt(2)).toBe(p.highS);
    const lowS = p.highS ? toHex(n - s) : p.s;
    expect(hex(signature)).toBe(derSignature(p.r, lowS));
    // Both the published signature and the folded one verify: they are the same signature up to sign.
    const pub = createPublicKey({ key: { kty: 'EC', crv: p.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    for (const der of [derSignature(p.r, p.s), derSignature(p.r, lowS)])
      expect(verify('sha256', utf8Encode(p.message), { key: pub, dsaEncoding: 'der' }, Buffer.from(der, 'hex'))).toBe(true);
  });
});
