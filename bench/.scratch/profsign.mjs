import { build } from 'esbuild';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
const bigint = { name: 'b', setup(b) { b.onLoad({ filter: /micro-rsa-dsa-dh[\\/].*\.js$/ }, (a) => ({ contents: readFileSync(a.path, 'utf8').replace(/\b(0x[0-9a-fA-F]+|\d+)n\b/g, 'BigInt("$1")'), loader: 'js' })); } };
const probe = await build({ bundle: true, write: false, format: 'iife', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: false, logLevel: 'silent', plugins: [bigint], entryPoints: ['/work/main/src/keys/index.ts'], globalName: 'dfnsProbe' });
const s = new vm.Script(probe.outputFiles[0].text, { filename: 'probe.js' });
const kind = process.argv[2];
const pem = kind === 'p256' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString()
  : kind === 'ed' ? generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  : generateKeyPairSync('rsa', { modulusLength: Number(kind) }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
for (let i = 0; i < 40; i++) {
  const ctx = vm.createContext({ __pem: pem, Buffer, atob, btoa });
  s.runInContext(ctx);
  vm.runInContext('var m=new Uint8Array(90).fill(65);var kk=dfnsProbe.readPrivateKey(__pem);kk.sign(m);', ctx, { filename: 'drive.js' });
}
