import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { utf8Encode } from '../../src/encoding';
import { SignerError } from '../../src/errors';
import { readPrivateKey } from '../../src/keys/index';
import { publicKeyPem } from '../../src/keys/pem';
import * as ed from '../../src/keys/presets/ed25519';
import * as nist from '../../src/keys/presets/nist';
import * as k1 from '../../src/keys/presets/secp256k1';
import type { CredentialKey } from '../../src/keys/types';

// The throwaway signature of prepare() counted: ECDSA hashes its message with presets/sha2, Ed25519
// signs with presets/ed25519 (both still the real thing).
const work = vi.hoisted(() => ({ done: 0 }));
vi.mock('../../src/keys/presets/sha2', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/keys/presets/sha2')>();
  return {
    sha256: (message: Uint8Array) => {
      work.done++;
      return real.sha256(message);
    },
  };
});
vi.mock('../../src/keys/presets/ed25519', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/keys/presets/ed25519')>();
  const sign: typeof real.ed25519.sign = (...args) => {
    work.done++;
    return real.ed25519.sign(...args);
  };
  return { ed25519: { ...real.ed25519, sign } };
});

// jsrsasign ships no types; it is only an independent second verifier here.
const jsrsasign = createRequire(import.meta.url)('jsrsasign');

const FIXTURES = new URL('../fixtures/keys/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
const fixtureNames = readdirSync(FIXTURES).filter((f) => !f.endsWith('.mjs') && !f.endsWith('.md'));

/** clientData as the flow signs it, with non-ASCII characters to exercise the UTF-8 path. */
const MESSAGE = utf8Encode('{"type":"key.get","challenge":"ZGZucy10ZXN0LcOpw6jDoOKckw","note":"héllo ✓ 日本 🔑"}');

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64url = (b: Uint8Array | Buffer): string => Buffer.from(b).toString('base64url');
const pemOf = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

function nodeVerifies(key: CredentialKey, pub: KeyObject, signature: Uint8Array, message = MESSAGE): boolean {
  if (key.algorithm === 'Ed25519') return verify(null, message, pub, signature);
  if (key.algorithm.startsWith('ECDSA')) return verify('sha256', message, { key: pub, dsaEncoding: 'der' }, signature);
  return verify('sha256', message, pub, signature); // RSASSA-PKCS1-v1_5 is Node's RSA default
}

function signsFor(text: string, pub: KeyObject, algorithm?: string): CredentialKey {
  const key = readPrivateKey(text);
  if (algorithm) expect(key.algorithm).toBe(algorithm);
  const signature = key.sign(MESSAGE);
  expect(nodeVerifies(key, pub, signature)).toBe(true);
  return key;
}

/** The ways a PEM file reaches credentialPrivateKey. */
function pasteVariants(pem: string): Record<string, string> {
  const lf = pem.replace(/\r\n/g, '\n').trim() + '\n';
  const lines = lf.trim().split('\n');
  const variants: Record<string, string> = {
    'as written': lf,
    CRLF: lf.replace(/\n/g, '\r\n'),
    'one line, literal \\n': lf.replace(/\n/g, '\\n'),
    'one line, literal \\r\\n': lf.replace(/\n/g, '\\r\\n'),
    'one line, double-escaped \\\\n': lf.replace(/\n/g, '\\\\n'),
    'JSON string with quotes': JSON.stringify(lf),
    'single quotes': `'${lf}'`,
    'inside a JSON object': JSON.stringify({ pem: lf }),
    'indented, blank lines around': '\n\n' + lines.map((l) => '    ' + l).join('\n') + '\n\n  ',
    'blank lines between lines': lines.join('\n\n'),
    'trailing spaces': lines.map((l) => l + '   ').join('\n') + '  ',
    tabs: lines.map((l) => '\t' + l).join('\n'),
    'one line, spaces instead of line breaks': lines.join(' '),
    'no line breaks at all': lines.join(''),
    'lower-case label, slashes escaped': JSON.stringify(lf)
      .replace(/\//g, '\\/')
      .replace(/BEGIN ([A-Z ]+)-/g, (m) => m.toLowerCase()),
    'base64 of the whole file (Kubernetes secret)': Buffer.from(lf).toString('base64'),
    'from a wiki: zero-width spaces, curly quotes, en dashes':
      '\u201C' + lines.join('\u200B\n').replace(/-----/g, '\u2013\u2013\u2013\u2013\u2013') + '\u201D',
  };
  const blocks = lf.match(/-----BEGIN [A-Z ]+-----/g) || [];
  if (blocks.length === 1 && !lf.includes('Proc-Type:')) {
    const body = lines.filter((l) => !l.startsWith('-----') && !l.includes(':')).join('');
    variants['bare base64 DER body'] = body;
    variants['bare base64 DER body, wrapped'] = body.replace(/.{64}/g, '$&\n');
  }
  return variants;
}

/**
 * The parts of an input that may be key material: runs of base64 characters (JWK: the member
 * values). No 8 of their characters in a row may appear in a message.
 */
function secretParts(text: string): string[] {
  const t = text.replace(/\\[nr]/g, '\n');
  try {
    const json = JSON.parse(t);
    if (json && typeof json === 'object' && !Array.isArray(json))
      return Object.entries(json as Record<string, unknown>)
        .filter(([k, v]) => typeof v === 'string' && !['kty', 'crv', 'alg', 'use', 'kid'].includes(k))
        .map(([, v]) => v as string);
  } catch {
    // not JSON
  }
  return t.replace(/-{3,}[^-\n]*-{3,}/g, ' ').match(/[A-Za-z0-9+/=_]{8,}/g) || []; // without the armour lines
}

/** Windows of capitals only are skipped: they are label words ("PARAMETE"), glued to data by a mutation. */
function expectNoKeyMaterial(message: string, input: string): void {
  for (const part of secretParts(input))
    for (let i = 0; i + 8 <= part.length; i++)
      if (!/^[A-Z]+$/.test(part.slice(i, i + 8)) && message.includes(part.slice(i, i + 8)))
        throw new Error(`message quotes key material "${part.slice(i, i + 8)}" of ${JSON.stringify(part.slice(0, 80))}: ${message}`);
}

function refusal(input: string): SignerError {
  try {
    readPrivateKey(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    const err = e as SignerError;
    expect(err.what).toMatch(/^credentialPrivateKey /);
    expect(err.message).not.toMatch(/\n/);
    expect(err.message).not.toMatch(/in the key reader/);
    expectNoKeyMaterial(err.message, input);
    return err;
  }
  throw new Error('readPrivateKey accepted the input');
}

describe('library anchors', () => {
  it('RFC 8032 Ed25519 test 1 (empty message), via PKCS#8 PEM and JWK', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    const expected =
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    const fromPem = readPrivateKey(pemOf('PRIVATE KEY', pkcs8));
    expect(fromPem.algorithm).toBe('Ed25519');
    expect(hex(fromPem.sign(new Uint8Array(0)))).toBe(expected);
    const pub = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
    expect(hex(ed25519.getPublicKey(seed))).toBe(pub);
    const jwk = { kty: 'OKP', crv: 'Ed25519', d: b64url(seed), x: b64url(Buffer.from(pub, 'hex')) };
    expect(hex(readPrivateKey(JSON.stringify(jwk)).sign(new Uint8Array(0)))).toBe(expected);
    // OneAsymmetricKey (PKCS#8 v2, RFC 5958) with the public key attached
    const v2 = Buffer.concat([Buffer.from('3051020101300506032b657004220420', 'hex'), seed, Buffer.from('812100' + pub, 'hex')]);
    expect(hex(readPrivateKey(pemOf('PRIVATE KEY', v2)).sign(new Uint8Array(0)))).toBe(expected);
  });

  it('RFC 6979 A.2.5 ECDSA P-256 with SHA-256 ("sample" and "test"): same r, low-S s', () => {
    const d = Buffer.from('C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721', 'hex');
    const x = Buffer.from('60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6', 'hex');
    const y = Buffer.from('7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299', 'hex');
    const jwk = { kty: 'EC', crv: 'P-256', d: b64url(d), x: b64url(x), y: b64url(y) };
    const key = readPrivateKey(JSON.stringify(jwk));
    const pub = createPublicKey({ key: jwk, format: 'jwk' });
    const n = p256.Point.Fn.ORDER;
    const vectors = [
      [
        'sample',
        'EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716',
        'F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8',
      ],
      [
        'test',
        'F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367',
        '019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083',
      ],
    ];
    for (const [text, r, s] of vectors) {
      const message = utf8Encode(text);
      const signature = key.sign(message);
      const sig = p256.Signature.fromBytes(signature, 'der');
      const rfcS = BigInt('0x' + s);
      expect(sig.r).toBe(BigInt('0x' + r));
      expect(sig.s).toBe(rfcS > n / BigInt(2) ? n - rfcS : rfcS); // the same signature, low-S normalised
      expect(nodeVerifies(key, pub, signature, message)).toBe(true);
      // and the library itself, without normalisation, gives the RFC's s
      const raw = p256.Signature.fromBytes(p256.sign(message, d, { lowS: false }), 'compact');
      expect(raw.s).toBe(rfcS);
    }
  });
});

describe('accepted keys', () => {
  const generated: { name: string; text: string; pub: KeyObject; algorithm: string }[] = [];

  beforeAll(() => {
    const add = (name: string, key: KeyObject, algorithm: string, formats: ('pkcs8' | 'sec1' | 'pkcs1')[]) => {
      const pub = createPublicKey(key);
      for (const type of formats)
        generated.push({ name: `node ${name} ${type}`, text: key.export({ format: 'pem', type }) as string, pub, algorithm });
      generated.push({ name: `node ${name} JWK`, text: JSON.stringify(key.export({ format: 'jwk' })), pub, algorithm });
    };
    const ec = (curve: string) => generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
    add('P-256', ec('P-256'), 'ECDSA P-256', ['pkcs8', 'sec1']);
    add('secp256k1', ec('secp256k1'), 'ECDSA secp256k1', ['pkcs8', 'sec1']);
    add('P-384', ec('P-384'), 'ECDSA P-384', ['pkcs8', 'sec1']);
    add('P-521', ec('P-521'), 'ECDSA P-521', ['pkcs8', 'sec1']);
    add('Ed25519', generateKeyPairSync('ed25519').privateKey, 'Ed25519', ['pkcs8']);
    add('RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'RSA 2048', ['pkcs8', 'pkcs1']);
  });

  it('keys from node:crypto, every paste variant, verified by node:crypto', () => {
    expect(generated.length).toBe(17);
    for (const g of generated) {
      const variants = g.name.endsWith('JWK')
        ? {
            compact: g.text,
            pretty: JSON.stringify(JSON.parse(g.text), null, 2),
            quoted: `'${g.text}'`,
            'key set': JSON.stringify({ keys: [JSON.parse(g.text)] }),
          }
        : pasteVariants(g.text);
      for (const [variant, text] of Object.entries(variants)) {
        try {
          signsFor(text, g.pub, g.algorithm);
        } catch (e) {
          throw new Error(`${g.name}, ${variant}: ${(e as Error).message}`);
        }
      }
    }
  });

  const accepted: [string, string][] = [
    ['p256-ecparam-genkey.pem', 'ECDSA P-256'],
    ['p256-ecparam-genkey-noout.pem', 'ECDSA P-256'],
    ['p256-genpkey.pem', 'ECDSA P-256'],
    ['p256-ssh-keygen-pem.pem', 'ECDSA P-256'],
    ['secp256k1-ecparam-genkey.pem', 'ECDSA secp256k1'],
    ['secp256k1-genpkey.pem', 'ECDSA secp256k1'],
    ['p384-ecparam-genkey.pem', 'ECDSA P-384'],
    ['p521-genpkey.pem', 'ECDSA P-521'],
    ['ed25519-genpkey.pem', 'Ed25519'],
    ['rsa1024-genrsa-traditional.pem', 'RSA 1024'],
    ['rsa2048-genpkey.pem', 'RSA 2048'],
    ['rsa2048-ssh-keygen-pkcs8.pem', 'RSA 2048'],
    ['rsa3072-genpkey.pem', 'RSA 3072'],
    ['rsa4096-genrsa-traditional.pem', 'RSA 4096'],
  ];
  for (const [name, algorithm] of accepted) {
    it(`openssl/ssh-keygen fixture ${name}, every paste variant`, () => {
      const pem = fixture(name);
      const pub = createPublicKey(createPrivateKey(pem));
      for (const [variant, text] of Object.entries(pasteVariants(pem))) {
        try {
          signsFor(text, pub, algorithm);
        } catch (e) {
          throw new Error(`${variant}: ${(e as Error).message}`);
        }
      }
    });
  }

  it('SEC1 without a curve, after its EC PARAMETERS block (which Node itself cannot read)', () => {
    const pub = createPublicKey(fixture('p256-sec1-no-curve.pub'));
    for (const text of Object.values(pasteVariants(fixture('p256-sec1-no-curve-after-ecparameters.pem'))).slice(0, 14))
      signsFor(text, pub, 'ECDSA P-256');
  });

  it('P-256 signatures also verify with jsrsasign, are DER, low-S and deterministic', () => {
    for (const name of ['p256-genpkey.pem', 'p256-ecparam-genkey.pem']) {
      const pem = fixture(name);
      const key = readPrivateKey(pem);
      const signature = key.sign(MESSAGE);
      expect(hex(key.sign(MESSAGE))).toBe(hex(signature));
      expect(p256.Signature.fromBytes(signature, 'der').hasHighS()).toBe(false);
      const verifier = new jsrsasign.KJUR.crypto.Signature({ alg: 'SHA256withECDSA' });
      verifier.init(createPublicKey(createPrivateKey(pem)).export({ format: 'pem', type: 'spki' }));
      verifier.updateHex(hex(MESSAGE));
      expect(verifier.verify(hex(signature))).toBe(true);
    }
  });

  it('prepare() (run while the challenge is on its way) changes no signature, with or without a table', () => {
    const curves = [nist.p256, nist.p384, nist.p521, k1.secp256k1, ed.ed25519]; // as the signer loads them
    for (const g of generated.filter((x) => !x.name.endsWith('JWK'))) {
      for (const c of curves) c.Point.BASE.precompute(1); // as each script run starts
      const key = readPrivateKey(g.text);
      const plain = key.sign(MESSAGE);
      if (g.algorithm.startsWith('RSA'))
        expect(key.prepare, g.name).toBeUndefined(); // nothing to prepare
      else key.prepare!();
      const prepared = key.sign(MESSAGE);
      expect(hex(prepared), g.name).toBe(hex(plain));
      expect(nodeVerifies(key, g.pub, prepared), g.name).toBe(true);
    }
  });

  it('prepare() again (a retry: a new challenge on its way) does no work again, and changes no signature', () => {
    const curves = [nist.p256, nist.p384, nist.p521, k1.secp256k1, ed.ed25519];
    for (const g of generated.filter((x) => !x.name.endsWith('JWK') && !x.algorithm.startsWith('RSA'))) {
      for (const c of curves) c.Point.BASE.precompute(1); // as each script run starts
      const key = readPrivateKey(g.text);
      const before = work.done;
      key.prepare!();
      expect(work.done - before, g.name).toBe(1); // the throwaway signature
      key.prepare!();
      expect(work.done - before, g.name).toBe(1); // nothing more: the table is kept, not built anew
      expect(nodeVerifies(key, g.pub, key.sign(MESSAGE)), g.name).toBe(true);
    }
  });

  it('a key file that also holds certificates: the private key is used', () => {
    const pem = fixture('p256-genpkey.pem');
    const bundle = `Bag Attributes\n    localKeyID: 01 02\nKey Attributes: <No Attributes>\n${pem}${fixture('refuse-certificate.pem')}`;
    signsFor(bundle, createPublicKey(createPrivateKey(pem)), 'ECDSA P-256');
  });

  it('RSA: the CRT signature equals the plain d signature (JWK without p, q, dp, dq, qi)', () => {
    const pem = fixture('rsa2048-genpkey.pem');
    const jwk = createPrivateKey(pem).export({ format: 'jwk' });
    const plain = readPrivateKey(JSON.stringify({ kty: 'RSA', n: jwk.n, e: jwk.e, d: jwk.d }));
    expect(hex(plain.sign(MESSAGE))).toBe(hex(readPrivateKey(pem).sign(MESSAGE)));
    // wrong CRT numbers (factors that do not multiply to n, or a wrong dp) fall back to d, and the signature is still right
    const pub = createPublicKey(createPrivateKey(pem));
    expect(verify('sha256', MESSAGE, pub, readPrivateKey(JSON.stringify({ ...jwk, p: jwk.q })).sign(MESSAGE))).toBe(true);
    expect(verify('sha256', MESSAGE, pub, readPrivateKey(JSON.stringify({ ...jwk, dp: jwk.dq })).sign(MESSAGE))).toBe(true);
  });
});

describe('public keys (a new credential attests its own)', () => {
  const cases: [string, KeyObject][] = [
    ['P-256', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey],
    ['secp256k1', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey],
    ['P-384', generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey],
    ['P-521', generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).privateKey],
    ['Ed25519', generateKeyPairSync('ed25519').privateKey],
    ['RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
    ['RSA 1024, e = 3', generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 }).privateKey],
    ['RSA 4096', generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey],
  ];

  it.each(cases)('%s: the SPKI DER and PEM are the ones node:crypto writes', (_name, privateKey) => {
    const nodeSpki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    for (const text of [
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      JSON.stringify(privateKey.export({ format: 'jwk' })),
    ]) {
      const key = readPrivateKey(text);
      expect(hex(key.publicKey())).toBe(hex(nodeSpki));
      expect(publicKeyPem(key.publicKey())).toBe(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString().trim());
    }
  });

  it('SEC1 and PKCS#1 keys give the same public key as their PKCS#8 form', () => {
    for (const [, privateKey] of cases.filter(([name]) => name === 'P-256' || name === 'RSA 2048')) {
      const type = privateKey.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs1';
      const key = readPrivateKey(privateKey.export({ type, format: 'pem' } as any).toString());
      expect(hex(key.publicKey())).toBe(hex(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })));
    }
  });
});

describe('refusals', () => {
  const f = fixture;
  const p256Pem = () => f('p256-genpkey.pem');
  const p256Jwk = () => createPrivateKey(p256Pem()).export({ format: 'jwk' });
  const cases: [string, () => string, RegExp][] = [
    ['empty', () => '', /credentialPrivateKey is empty/],
    ['whitespace', () => '  \n\t ', /credentialPrivateKey is empty/],
    ['quotes only', () => '""', /credentialPrivateKey is empty/],
    ['too long', () => 'A'.repeat(70000), /is 70000 characters long/],
    ['PEM PUBLIC KEY', () => f('refuse-public-spki.pem'), /holds a PUBLIC key \(PEM PUBLIC KEY\).*Paste the PRIVATE key/],
    ['PEM RSA PUBLIC KEY', () => f('refuse-public-rsa-pkcs1.pem'), /holds a PUBLIC key \(PEM RSA PUBLIC KEY\)/],
    ['SSH public key line', () => f('refuse-ssh-ed25519.pub'), /holds a PUBLIC key \(SSH public key line, ssh-ed25519\)/],
    [
      'bare base64 SPKI',
      () =>
        f('refuse-public-spki.pem')
          .split('\n')
          .filter((l) => !l.startsWith('-'))
          .join(''),
      /holds a PUBLIC key \(SubjectPublicKeyInfo/,
    ],
    ['public JWK', () => JSON.stringify({ ...p256Jwk(), d: undefined }), /holds a PUBLIC key \(JWK without "d"\)/],
    ['certificate', () => f('refuse-certificate.pem'), /holds a certificate \(PEM CERTIFICATE\)/],
    ['certificate request', () => f('refuse-csr.pem'), /holds a certificate signing request/],
    [
      'encrypted PKCS#8',
      () => f('refuse-encrypted-pkcs8.pem'),
      /encrypted private key \(-----BEGIN ENCRYPTED PRIVATE KEY-----\).*openssl pkey -in key.pem -out key-decrypted.pem/,
    ],
    [
      'encrypted RSA (Proc-Type)',
      () => f('refuse-encrypted-rsa-traditional.pem'),
      /encrypted private key \(RSA PRIVATE KEY with a Proc-Type: 4,ENCRYPTED header\).*openssl pkey/,
    ],
    ['encrypted EC (Proc-Type), one line', () => f('refuse-encrypted-ec-traditional.pem').replace(/\n/g, '\\n'), /Proc-Type: 4,ENCRYPTED/],
    [
      'OpenSSH Ed25519',
      () => f('refuse-openssh-ed25519.key'),
      /OpenSSH private key \(-----BEGIN OPENSSH PRIVATE KEY-----, Ed25519\).*Convert it as the README shows \(Keys as you have them, OpenSSH Ed25519 keys\)/,
    ],
    ['OpenSSH Ed25519 with passphrase', () => f('refuse-openssh-ed25519-encrypted.key'), /Ed25519, passphrase-protected/],
    ['OpenSSH RSA', () => f('refuse-openssh-rsa.key'), /OpenSSH private key \(.*RSA\).*ssh-keygen -p -m PKCS8 -f/],
    ['OpenSSH ECDSA', () => f('refuse-openssh-ecdsa.key'), /OpenSSH private key \(.*ECDSA\).*ssh-keygen -p -m PKCS8 -f/],
    [
      'SSH.com (SSH2) private key',
      () =>
        '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "test"\nP2/56wAAAi4AAAA3aWYtbW9kbntzaWdue3JzYS1wa2NzMS1zaGExfSxlbmNyeXB0e3JzYS1wa2NzMXYyLW9hZXB9fQAAAARub25lAAAB3w==\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n',
      /SSH.com \(SSH2\) private key.*ssh-keygen -i -f key/,
    ],
    ['PuTTY', () => f('refuse-putty.ppk'), /PuTTY private key.*puttygen key.ppk -O private-openssh/],
    ['EC PARAMETERS only', () => f('refuse-ec-parameters-only.pem'), /holds only an EC PARAMETERS block/],
    ['SEC1 without a curve', () => f('p256-sec1-no-curve.pem'), /does not say which curve/],
    ['explicit curve parameters', () => f('refuse-explicit-curve.pem'), /explicit curve parameters.*-param_enc named_curve/],
    ['brainpoolP256r1', () => f('refuse-brainpoolP256r1.pem'), /EC key on brainpoolP256r1, which the signer does not support/],
    ['P-224', () => f('refuse-p224-pkcs8.pem'), /EC key on P-224 \(secp224r1\)/],
    [
      'JWK on brainpool',
      () => JSON.stringify({ kty: 'EC', crv: 'brainpoolP256r1', d: 'AAAA', x: 'AAAA', y: 'AAAA' }),
      /EC key on brainpoolP256r1/,
    ],
    ['DSA PKCS#8', () => f('refuse-dsa-pkcs8.pem'), /is a DSA key, which Dfns does not accept/],
    ['DSA traditional', () => f('refuse-dsa-traditional.pem'), /is a DSA key/],
    ['X25519', () => f('refuse-x25519.pem'), /is an X25519 key, which is for key agreement and cannot sign/],
    ['X25519 JWK', () => JSON.stringify(generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' })), /is an X25519 key/],
    ['Ed448', () => f('refuse-ed448.pem'), /is an Ed448 key, which the signer does not support/],
    ['RSA-PSS', () => f('refuse-rsa-pss.pem'), /is an RSA-PSS key/],
    ['symmetric JWK', () => JSON.stringify({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' }), /symmetric key/],
    ['RSA 512', () => f('refuse-rsa512.pem'), /RSA key of only 512 bits/],
    [
      'RSA 8200',
      () =>
        JSON.stringify({
          kty: 'RSA',
          n: b64url(Buffer.concat([Buffer.from([0x80]), Buffer.alloc(1024, 0x5b), Buffer.from([0x01])])),
          e: 'AQAB',
          d: 'AQAB',
        }),
      /RSA key of 8208 bits, more than the 8192/,
    ],
    [
      'END line missing',
      () => p256Pem().split('-----END')[0],
      /is incomplete \(the -----END PRIVATE KEY----- line is missing\), probably cut when copying/,
    ],
    [
      'cut in the middle, END line kept',
      () => {
        const l = p256Pem().trim().split('\n');
        return [l[0], l[1], l[l.length - 1]].join('\n');
      },
      /is incomplete \(its data ends before the key does\)/,
    ],
    [
      'empty block',
      () => '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----',
      /is incomplete \(there is nothing between its BEGIN and END lines\)/,
    ],
    [
      'BEGIN line damaged',
      () => p256Pem().replace('BEGIN PRIVATE KEY', 'BEGIN PRIVATE KEZ'),
      /is corrupted \(its -----BEGIN … PRIVATE KEY----- line is damaged\)/,
    ],
    ['BEGIN line missing', () => p256Pem().split('\n').slice(1).join('\n'), /is corrupted \(its -----BEGIN line is missing or damaged\)/],
    [
      'BEGIN line cut after EC PARAMETERS',
      () => f('p256-ecparam-genkey.pem').replace('-----BEGIN EC PRIVATE KEY-----', '-----BEGIN EC PRIV'),
      /is corrupted \(a -----BEGIN line is damaged\)/,
    ],
    [
      'cut after EC PARAMETERS',
      () => f('p256-ecparam-genkey.pem').slice(0, f('p256-ecparam-genkey.pem').indexOf('-----BEGIN EC PRIVATE KEY')) + 'MHcCAQEEI',
      /is incomplete \(the key after its EC PARAMETERS block is cut off\)/,
    ],
    [
      'BEGIN and END differ',
      () => p256Pem().replace('END PRIVATE KEY', 'END EC PRIVATE KEY'),
      /is corrupted \(its BEGIN and END lines name different labels\)/,
    ],
    [
      'non-base64 characters',
      () => p256Pem().replace(/\n(.{10})/, '\n$1*%'),
      /is corrupted \(its \d+ characters between BEGIN and END are not all base64\)/,
    ],
    [
      'valid base64, not a key',
      () => pemOf('PRIVATE KEY', Buffer.from('this is not DER at all, just some text')),
      /is corrupted \(its data is not a valid key structure\)/,
    ],
    ['unknown label', () => pemOf('X509 CRL', Buffer.from('hello')), /holds a PEM block labelled "X509 CRL", not a private key/],
    [
      'unknown label that looks like data',
      () => pemOf('MIGHAGEAMBMG', Buffer.from('hello')),
      /holds a PEM block with an unrecognised label/,
    ],
    [
      'PGP',
      () => '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQVYBGX1234567890abcdefghijklmnop\n-----END PGP PRIVATE KEY BLOCK-----',
      /holds a PGP key block/,
    ],
    ['two private keys', () => p256Pem() + f('ed25519-genpkey.pem'), /holds 2 private keys/],
    ['JWT', () => 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1cy0xMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ', /holds a JWT \(an access token\)/],
    ['unresolved variable', () => '{{dfnsKey}}', /unresolved variable reference/],
    ['raw 32-byte hex', () => 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721', /bare 32-byte hexadecimal value/],
    ['raw 32-byte base64', () => Buffer.alloc(32, 7).toString('base64'), /bare 32-byte base64 value/],
    ['other hex', () => 'deadbeefcafe0123', /is not a private key \(it is 16 hexadecimal digits\)/],
    ['JSON that is not a JWK', () => '{"privateKey": 42}', /it is JSON, but not a JWK/],
    ['broken JSON', () => '{"kty": "EC", "d": ', /it starts with \{ but is not valid JSON/],
    [
      'JWK with a bad "d"',
      () => JSON.stringify({ kty: 'EC', crv: 'P-256', d: '!!!', x: 'AA', y: 'AA' }),
      /holds a JWK that has no valid "d"/,
    ],
    [
      'EC scalar out of range',
      () => JSON.stringify({ ...p256Jwk(), d: b64url(Buffer.alloc(32, 0xff)) }),
      /is corrupted \(its P-256 private value is out of range\)/,
    ],
    [
      'EC scalar zero',
      () => JSON.stringify({ ...p256Jwk(), d: b64url(Buffer.alloc(32, 0)) }),
      /is corrupted \(its P-256 private value is out of range\)/,
    ],
    ['garbage', () => 'my key is in the vault', /is not a private key \(it has no -----BEGIN line and is not a JWK\)/],
    ['a credential id', () => 'cr-6sbc2-8imgd-9mvg8r4vmrnt7ofl', /is not a private key/],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const err = refusal(input());
      expect(err.message).toMatch(expected);
    });
  }

  it('every refuse-* fixture is refused, in every paste variant, without quoting the key', () => {
    const names = fixtureNames.filter((n) => n.startsWith('refuse-'));
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const variants = name.endsWith('.pem') || name.endsWith('.key') ? pasteVariants(f(name)) : { 'as written': f(name) };
      const messages = new Set(
        Object.entries(variants).map(([variant, text]) => {
          try {
            return refusal(text).what.split(' ').slice(0, 4).join(' ');
          } catch (e) {
            throw new Error(`${name}, ${variant}: ${(e as Error).message}`);
          }
        }),
      );
      expect([name, ...messages]).toEqual([name, [...messages][0]]); // the same verdict however it was pasted
    }
  });

  it('RSA numbers that do not fit together are refused when signing', () => {
    const jwk = createPrivateKey(f('rsa2048-genpkey.pem')).export({ format: 'jwk' });
    const wrongD = createPrivateKey(f('rsa3072-genpkey.pem')).export({ format: 'jwk' }).d!;
    const key = readPrivateKey(
      JSON.stringify({ kty: 'RSA', n: jwk.n, e: jwk.e, d: b64url(Buffer.from(wrongD, 'base64url').subarray(0, 250)) }),
    );
    expect(() => key.sign(MESSAGE)).toThrow(/is corrupted \(its RSA numbers do not fit together\)/);
  });

  it('every refusal is one line about credentialPrivateKey, with a key-* code and a fix', () => {
    for (const [name, input] of cases) {
      const err = refusal(input());
      expect(err.message, name).toMatch(/^Dfns signer: credentialPrivateKey [^\n]+\. [A-Z][^\n]+$/);
      expect(err.code, name).toMatch(/^key-/);
      expect(err.fix.length, name).toBeLessThan(240);
    }
  });
});

describe('fuzz: mutated and random inputs sign or throw SignerError, quickly', () => {
  // Deterministic PRNG (mulberry32) so a failure can be replayed.
  let state = 0x5eed1234;
  const rand = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(rand() * n);
  const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\\"{}:,';

  function mutateText(text: string): string {
    let t = text;
    const edits = 1 + int(3);
    for (let i = 0; i < edits; i++) {
      const at = int(t.length + 1);
      const kind = int(5);
      if (kind === 0)
        t = t.slice(0, at) + CHARS[int(CHARS.length)] + t.slice(at + 1); // flip
      else if (kind === 1)
        t = t.slice(0, at) + t.slice(at + 1 + int(4)); // delete
      else if (kind === 2)
        t = t.slice(0, at) + CHARS[int(CHARS.length)] + t.slice(at); // insert
      else if (kind === 3)
        t = t.slice(0, at); // truncate
      else t = t.slice(0, at) + t.slice(int(t.length)); // splice
    }
    return t;
  }

  /** Changes bytes of the DER of the last block (the key), keeping what comes before it. */
  function mutateDer(pem: string): string {
    const at = pem.lastIndexOf('-----BEGIN ');
    const label = /-----BEGIN ([A-Z ]+)-----/.exec(pem.slice(at))![1];
    const der = Buffer.from(
      pem
        .slice(at)
        .split('\n')
        .filter((l) => !l.startsWith('-----'))
        .join(''),
      'base64',
    );
    const edits = 1 + int(3);
    for (let i = 0; i < edits; i++) der[int(der.length)] = int(4) === 0 ? 0xff : int(256);
    return pem.slice(0, at) + pemOf(label, int(6) === 0 ? der.subarray(0, int(der.length)) : der);
  }

  function randomInput(): string {
    const kind = int(4);
    const len = int(kind === 3 ? 400 : 3000);
    if (kind === 0) return Array.from({ length: len }, () => String.fromCharCode(int(0x3000))).join('');
    if (kind === 1) return Array.from({ length: len }, () => CHARS[int(CHARS.length)]).join('');
    const bytes = Buffer.from(Array.from({ length: len }, () => int(256)));
    if (kind === 2) bytes[0] = 0x30;
    return kind === 2 ? pemOf(['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'][int(3)], bytes) : bytes.toString('base64');
  }

  it('2,000 mutations of valid keys and random strings', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const seeds = [
      fixture('p256-genpkey.pem'),
      fixture('p256-ecparam-genkey.pem'),
      fixture('secp256k1-ecparam-genkey.pem'),
      fixture('ed25519-genpkey.pem'),
      fixture('p384-ecparam-genkey.pem'),
      rsa.export({ format: 'pem', type: 'pkcs1' }) as string,
      rsa.export({ format: 'pem', type: 'pkcs8' }) as string,
      JSON.stringify(createPrivateKey(fixture('p256-genpkey.pem')).export({ format: 'jwk' })),
      JSON.stringify(rsa.export({ format: 'jwk' })),
    ];
    const outcomes = { signed: 0, refused: 0 };
    let slowest = 0;
    for (let i = 0; i < 2000; i++) {
      const seed = seeds[int(seeds.length)];
      const input = i < 1500 ? (i % 3 === 0 && seed.startsWith('-') ? mutateDer(seed) : mutateText(seed)) : randomInput();
      const started = performance.now();
      try {
        readPrivateKey(input).sign(MESSAGE);
        outcomes.signed++;
      } catch (e) {
        if (!(e instanceof SignerError)) throw new Error(`input ${i} threw ${(e as Error).name}: ${(e as Error).message}`);
        expect(e.message).not.toMatch(/in the key reader/);
        expectNoKeyMaterial(e.message, input);
        outcomes.refused++;
      }
      slowest = Math.max(slowest, performance.now() - started);
    }
    expect(outcomes.signed).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(500);
    expect(slowest).toBeLessThan(1500);
  });
});
