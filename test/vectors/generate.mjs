// Writes the golden vectors of test/unit/vectors.test.ts with implementations independent of the
// signer (no src/, no @noble/*, no micro-rsa-dsa-dh). Not run by the tests; see README.md here.
//
//   npm install --prefix .tmp/oracle --no-save elliptic@6.6.1
//   node test/vectors/generate.mjs .tmp/oracle            # (re)write the vector files
//   node test/vectors/generate.mjs .tmp/oracle --check    # recompute, compare, write nothing
//
// Who computes what:
//   request texts, clientData, base64url   written out below by hand (JSON.stringify only escapes strings)
//   Ed25519, RSA PKCS#1 v1.5 signatures     node:crypto (OpenSSL), deterministic by definition
//   ECDSA signatures                        elliptic (RFC 6979 HMAC-DRBG nonce), s folded to the low half
//   every signature                         verified again with node:crypto against the public key
// Before anything is written, elliptic must reproduce the published RFC 6979 A.2.5 P-256/SHA-256
// signatures and the secp256k1 "Satoshi Nakamoto" signature, bit for bit.
import { constants, createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Types (checked by tsc, see tsconfig.json): elliptic is `any` (declared in test/modules.d.ts).
/** @typedef {{ method: string, path: string, body: string }} SignedRequest */
/**
 * @typedef {object} Case
 * @property {string} name
 * @property {string} scheme
 * @property {string} signerAlgorithm
 * @property {string} keySource
 * @property {string} [curve]  elliptic's curve name, for the ECDSA cases only
 * @property {SignedRequest} request
 */
/** The parts of the init answer that the signed texts use. @typedef {{ challenge: string, challengeIdentifier: string, allowCredentials: { key: { id: string }[] } }} InitAnswer */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const [oracleDir, mode] = process.argv.slice(2);
if (!oracleDir) {
  console.error('usage: node test/vectors/generate.mjs <dir where elliptic is installed> [--check]');
  process.exit(2);
}
const require = createRequire(join(resolve(oracleDir), 'node_modules', 'x.js'));
const elliptic = require('elliptic');
const ellipticVersion = require('elliptic/package.json').version;

const sha256 = (/** @type {import('node:crypto').BinaryLike} */ bytes) => createHash('sha256').update(bytes).digest();
const b64u = (/** @type {Uint8Array} */ bytes) => Buffer.from(bytes).toString('base64url');
const hex = (/** @type {Uint8Array} */ bytes) => Buffer.from(bytes).toString('hex');

// ---------------------------------------------------------------- the ECDSA oracle, checked first

/**
 * DER ECDSA signature over SHA-256(message), RFC 6979 nonce, s folded to n - s when above n/2.
 * @param {string} curveName @param {string} privateScalarHex @param {Uint8Array} message @param {{ lowS?: boolean }} [options]
 * @returns {{ r: string, s: string, der: Buffer }}
 */
function ecdsaSign(curveName, privateScalarHex, message, { lowS = true } = {}) {
  const ec = new elliptic.ec(curveName); // HMAC-DRBG with the curve's preset hash (see README: P-384/P-521)
  const key = ec.keyFromPrivate(privateScalarHex, 'hex');
  const signature = key.sign(sha256(message), { canonical: lowS });
  return {
    r: signature.r.toString(16).padStart(2 * ec.n.byteLength(), '0'),
    s: signature.s.toString(16).padStart(2 * ec.n.byteLength(), '0'),
    der: Buffer.from(signature.toDER()),
  };
}

const PUBLISHED = [
  // RFC 6979 appendix A.2.5, ECDSA P-256, SHA-256 (https://www.rfc-editor.org/rfc/rfc6979#appendix-A.2.5)
  {
    curve: 'p256',
    x: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
    m: 'sample',
    r: 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716',
    s: 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
  },
  {
    curve: 'p256',
    x: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
    m: 'test',
    r: 'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367',
    s: '019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083',
  },
  // secp256k1, private key 1, SHA-256("Satoshi Nakamoto"), k = 8F8A276C…5D15
  // (https://bitcointalk.org/index.php?topic=285142.msg3150733; s as published before low-S folding)
  {
    curve: 'secp256k1',
    x: '0000000000000000000000000000000000000000000000000000000000000001',
    m: 'Satoshi Nakamoto',
    r: '934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8',
    s: 'dbbd3162d46e9f9bef7feb87c16dc13b4f6568a87f4e83f728e2443ba586675c',
  },
];
for (const v of PUBLISHED) {
  const got = ecdsaSign(v.curve, v.x, Buffer.from(v.m), { lowS: false });
  if (got.r !== v.r || got.s !== v.s)
    throw new Error(`elliptic ${ellipticVersion} does not reproduce the published ${v.curve} "${v.m}" signature`);
}

// ---------------------------------------------------------------- the vectors' inputs

/** A challenge shaped like Dfns's: base64url of 64 hex characters (research §1.1). */
const challengeFor = (/** @type {string} */ label) => b64u(Buffer.from(hex(sha256(`golden challenge ${label}`))));
/** An opaque JWT-shaped challengeIdentifier. */
const identifierFor = (/** @type {string} */ label) =>
  [
    b64u(Buffer.from('{"alg":"EdDSA","typ":"JWT"}')),
    b64u(Buffer.from(JSON.stringify({ aud: 'dfns:auth:challenge', sub: `us-golden-${label}` }))),
    b64u(sha256(`golden identifier ${label}`)),
  ].join('.');

/** @type {Case[]} */
const CASES = [
  {
    name: 'p256',
    scheme: 'ECDSA P-256, SHA-256, DER, RFC 6979 nonce, low S',
    signerAlgorithm: 'ECDSA P-256',
    keySource: 'test/fixtures/keys/p256-genpkey.pem',
    curve: 'p256',
    request: {
      method: 'POST',
      path: '/wallets',
      body: '{"network":"EthereumSepolia","name":"Trésorerie 😀 \\"golden\\"","tags":["vectors"]}',
    },
  },
  {
    name: 'secp256k1',
    scheme: 'ECDSA secp256k1, SHA-256, DER, RFC 6979 nonce, low S',
    signerAlgorithm: 'ECDSA secp256k1',
    keySource: 'test/fixtures/keys/secp256k1-ecparam-genkey.pem',
    curve: 'secp256k1',
    request: { method: 'DELETE', path: '/auth/service-accounts/sa-01jgolden-vectors-k1', body: '' },
  },
  {
    name: 'ed25519',
    scheme: 'Ed25519 (pure, no prehash), raw 64-byte signature',
    signerAlgorithm: 'Ed25519',
    keySource: 'test/fixtures/keys/ed25519-genpkey.pem',
    request: { method: 'PUT', path: '/wallets/wa-01jgolden-vectors-ed/tags', body: '{\n  "tags": ["golden", "ed25519"]\n}\n' },
  },
  {
    name: 'rsa2048',
    scheme: 'RSASSA-PKCS1-v1_5, SHA-256, RSA 2048',
    signerAlgorithm: 'RSA 2048',
    keySource: 'test/fixtures/keys/rsa2048-genpkey.pem',
    request: {
      method: 'POST',
      path: '/wallets/wa-01jgolden-vectors-rsa/transfers',
      body: '{"kind":"Native","to":"0x00000000219ab540356cBB839Cbe05303d7705Fa","amount":"1000000000000000"}',
    },
  },
  {
    name: 'p384',
    scheme: 'ECDSA P-384, SHA-256, DER, deterministic nonce (HMAC-DRBG with SHA-384, see README), low S',
    signerAlgorithm: 'ECDSA P-384',
    keySource: 'test/fixtures/keys/p384-ecparam-genkey.pem',
    curve: 'p384',
    request: { method: 'POST', path: '/keys', body: '{"scheme":"ECDSA","curve":"secp256k1"}' },
  },
  {
    name: 'p521',
    scheme: 'ECDSA P-521, SHA-256, DER, deterministic nonce (HMAC-DRBG with SHA-512, see README), low S',
    signerAlgorithm: 'ECDSA P-521',
    keySource: 'test/fixtures/keys/p521-genpkey.pem',
    curve: 'p521',
    request: { method: 'PUT', path: '/auth/pats/to-01jgolden-vectors-p521/deactivate', body: '' },
  },
];

// ---------------------------------------------------------------- the exact bytes

/** @param {Case} c @param {string} privateKeyPem @param {InitAnswer} initAnswer */
function compute(c, privateKeyPem, initAnswer) {
  const key = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(key);
  const { method, path, body } = c.request;
  const q = JSON.stringify; // string escaping only; key order and spacing are written out here
  // Key order as @dfns/sdk 0.8.3 writes it (packages/sdk/utils/userActionFetch.ts).
  const initBody = `{"userActionPayload":${q(body)},"userActionHttpMethod":${q(method)},"userActionHttpPath":${q(path)},"userActionServerKind":"Api"}`;
  const credId = initAnswer.allowCredentials.key[0].id;
  const clientData = `{"type":"key.get","challenge":${q(initAnswer.challenge)}}`;
  const data = Buffer.from(clientData, 'utf8');
  let signature;
  if (key.asymmetricKeyType === 'ed25519') signature = sign(null, data, key);
  else if (key.asymmetricKeyType === 'rsa') signature = sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING });
  // An EC key: the case has a curve, and its JWK a private scalar d.
  else
    signature = ecdsaSign(
      /** @type {string} */ (c.curve),
      Buffer.from(/** @type {string} */ (key.export({ format: 'jwk' }).d), 'base64url').toString('hex'),
      data,
    ).der;
  const ok =
    key.asymmetricKeyType === 'ed25519'
      ? verify(null, data, publicKey, signature)
      : key.asymmetricKeyType === 'rsa'
        ? verify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)
        : verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, signature);
  if (!ok) throw new Error(`${c.name}: node:crypto does not verify the signature`);
  const assertion = `{"credId":${q(credId)},"clientData":${q(b64u(data))},"signature":${q(b64u(signature))}}`;
  const completeBody = `{"challengeIdentifier":${q(initAnswer.challengeIdentifier)},"firstFactor":{"kind":"Key","credentialAssertion":${assertion}}}`;
  // The hand-written texts must at least be the JSON they claim to be.
  for (const text of [initBody, clientData, completeBody]) JSON.parse(text);
  return {
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    expected: { initBody, clientData, clientDataBase64url: b64u(data), signatureBase64url: b64u(signature), completeBody },
  };
}

let differences = 0;
for (const c of CASES) {
  const file = join(here, `${c.name}.json`);
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  // Keys stay those of the first run, even if test/fixtures/keys is regenerated later.
  const privateKeyPem = previous ? previous.privateKeyPem : readFileSync(join(root, c.keySource), 'utf8');
  const initAnswer = {
    challenge: challengeFor(c.name),
    challengeIdentifier: identifierFor(c.name),
    rp: { id: 'dfns.io', name: 'Dfns' },
    supportedCredentialKinds: [{ kind: 'Key', factor: 'first', requiresSecondFactor: false }],
    userVerification: 'required',
    attestation: 'none',
    allowCredentials: {
      key: [{ type: 'public-key', id: b64u(Buffer.from(`cr-golden-${c.name}`)) }],
      passwordProtectedKey: [],
      webauthn: [],
    },
    externalAuthenticationUrl: '',
  };
  const { publicKeyPem, expected } = compute(c, privateKeyPem, initAnswer);
  const vector = {
    description: `Golden vector: ${c.scheme}. Written by test/vectors/generate.mjs (node ${process.version}, OpenSSL ${process.versions.openssl}${c.curve ? `, elliptic ${ellipticVersion}` : ''}); do not edit by hand.`,
    scheme: c.scheme,
    signerAlgorithm: c.signerAlgorithm,
    keySource: previous ? previous.keySource : `${c.keySource} (copied at generation)`,
    privateKeyPem,
    publicKeyPem,
    request: c.request,
    initAnswer,
    expected,
  };
  const text = `${JSON.stringify(vector, null, 2)}\n`;
  if (mode === '--check') {
    const same =
      previous &&
      JSON.stringify(previous.expected) === JSON.stringify(expected) &&
      JSON.stringify(previous.request) === JSON.stringify(c.request);
    console.log(`${same ? 'same     ' : 'DIFFERENT'} ${relative(root, file)}`);
    if (!same) differences++;
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${relative(root, file)}`);
  }
}
console.log(
  `elliptic ${ellipticVersion} reproduced ${PUBLISHED.length} published RFC 6979 signatures; node ${process.version}, OpenSSL ${process.versions.openssl}`,
);
process.exit(differences ? 1 : 0);
