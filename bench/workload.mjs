// What the bench sends: one key per algorithm, and collections of signed-looking POST /wallets.
import { generateKeyPairSync } from 'node:crypto';

/**
 * A credential key for the emulator and the signer.
 * @typedef {{ name: string, id: string, privatePem: string, publicKey: import('node:crypto').KeyObject }} BenchKey
 */

/**
 * One fresh key pair per algorithm the signer supports (P-256 first: the interleaved runs use it).
 * @param {boolean} smoke without RSA 4096 (slow to generate)
 * @returns {BenchKey[]}
 */
export function keySet(smoke) {
  /** @type {{ name: string, type: 'ec' | 'ed25519' | 'rsa', options: object, format: 'sec1' | 'pkcs8' | 'pkcs1' }[]} */
  const specs = [
    { name: 'P-256', type: 'ec', options: { namedCurve: 'prime256v1' }, format: 'sec1' },
    { name: 'secp256k1', type: 'ec', options: { namedCurve: 'secp256k1' }, format: 'sec1' },
    { name: 'Ed25519', type: 'ed25519', options: {}, format: 'pkcs8' },
    { name: 'RSA 2048', type: 'rsa', options: { modulusLength: 2048 }, format: 'pkcs1' },
    { name: 'RSA 3072', type: 'rsa', options: { modulusLength: 3072 }, format: 'pkcs1' },
    { name: 'RSA 4096', type: 'rsa', options: { modulusLength: 4096 }, format: 'pkcs1' },
  ];
  return specs
    .filter((s) => !(smoke && s.name === 'RSA 4096'))
    .map((s) => {
      const { privateKey, publicKey } = /** @type {import('node:crypto').KeyPairKeyObjectResult} */ (
        generateKeyPairSync(/** @type {any} */ (s.type), s.options)
      );
      return {
        name: s.name,
        id: `cr-${s.name.replace(/\W+/g, '').toLowerCase()}`,
        privatePem: privateKey.export({ format: 'pem', type: /** @type {any} */ (s.format) }).toString(),
        publicKey,
      };
    });
}

/**
 * A Postman collection v2.1 with `script` (if any) as its collection-level pre-request script.
 * @param {string} name
 * @param {string} script
 * @param {object[]} items
 */
export function postmanCollection(name, script, items) {
  return {
    info: { name, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    event: script ? [{ listen: 'prerequest', script: { type: 'text/javascript', exec: script.split('\n') } }] : [],
    item: items,
  };
}

/** N signed-looking POSTs: the request every variant makes. @param {number} n */
export function walletPosts(n) {
  return Array.from({ length: n }, (_, i) => ({
    name: `POST /wallets #${i + 1}`,
    request: {
      method: 'POST',
      header: [],
      url: { raw: 'http://{{dfnsApiDomain}}/wallets', protocol: 'http', host: ['{{dfnsApiDomain}}'], path: ['wallets'] },
      body: { mode: 'raw', raw: `{"network":"EthereumSepolia","name":"bench ${i + 1}"}`, options: { raw: { language: 'json' } } },
    },
  }));
}
