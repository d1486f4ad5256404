// Key pairs in every form users paste them, made with node:crypto.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface KeyCase {
  name: string;
  privatePem: string;
  publicKey: KeyObject;
}

function pair(type: string, options: object) {
  return generateKeyPairSync(type as any, options as any) as unknown as { privateKey: KeyObject; publicKey: KeyObject };
}

export function keyCases(): KeyCase[] {
  const p256 = pair('ec', { namedCurve: 'prime256v1' });
  const k1 = pair('ec', { namedCurve: 'secp256k1' });
  const ed = pair('ed25519', {});
  const rsa2048 = pair('rsa', { modulusLength: 2048 });
  const rsa4096 = pair('rsa', { modulusLength: 4096 });
  const pem = (k: KeyObject, type: 'pkcs8' | 'sec1' | 'pkcs1') => k.export({ format: 'pem', type } as any).toString();
  return [
    { name: 'P-256 PKCS#8', privatePem: pem(p256.privateKey, 'pkcs8'), publicKey: p256.publicKey },
    { name: 'P-256 SEC1', privatePem: pem(p256.privateKey, 'sec1'), publicKey: p256.publicKey },
    {
      name: 'P-256 SEC1 one line with literal \\n',
      privatePem: pem(p256.privateKey, 'sec1').trim().split('\n').join('\\n'),
      publicKey: p256.publicKey,
    },
    {
      name: 'P-256 PKCS#8 CRLF indented',
      privatePem: pem(p256.privateKey, 'pkcs8')
        .split('\n')
        .map((l) => `   ${l}`)
        .join('\r\n'),
      publicKey: p256.publicKey,
    },
    { name: 'secp256k1 SEC1', privatePem: pem(k1.privateKey, 'sec1'), publicKey: k1.publicKey },
    { name: 'secp256k1 PKCS#8', privatePem: pem(k1.privateKey, 'pkcs8'), publicKey: k1.publicKey },
    { name: 'P-256 private JWK', privatePem: JSON.stringify(p256.privateKey.export({ format: 'jwk' })), publicKey: p256.publicKey },
    { name: 'Ed25519 PKCS#8', privatePem: pem(ed.privateKey, 'pkcs8'), publicKey: ed.publicKey },
    { name: 'RSA 2048 PKCS#1', privatePem: pem(rsa2048.privateKey, 'pkcs1'), publicKey: rsa2048.publicKey },
    { name: 'RSA 2048 PKCS#8', privatePem: pem(rsa2048.privateKey, 'pkcs8'), publicKey: rsa2048.publicKey },
    { name: 'RSA 4096 PKCS#1', privatePem: pem(rsa4096.privateKey, 'pkcs1'), publicKey: rsa4096.publicKey },
  ];
}
