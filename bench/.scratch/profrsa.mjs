import { build } from 'esbuild';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
const bigint = { name: 'b', setup(b) { b.onLoad({ filter: /micro-rsa-dsa-dh[\\/].*\.js$/ }, (a) => ({ contents: readFileSync(a.path, 'utf8').replace(/\b(0x[0-9a-fA-F]+|\d+)n\b/g, 'BigInt("$1")'), loader: 'js' })); } };
const probe = await build({ bundle: true, write: false, format: 'iife', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: false, logLevel: 'silent', plugins: process.argv[3] === 'noplugin' ? [] : [bigint], entryPoints: ['/work/main/src/keys/index.ts'], globalName: 'dfnsProbe' });
const s = new vm.Script(probe.outputFiles[0].text, { filename: 'probe.js' });
const bits = Number(process.argv[2] || 4096);
const pem = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
const now = () => Number(process.hrtime.bigint()) / 1e6;
const ts = [];
for (let i = 0; i < 20; i++) {
  const ctx = vm.createContext({ __now: now, __pem: pem, Buffer, atob, btoa });
  s.runInContext(ctx);
  vm.runInContext('var m=new Uint8Array(90).fill(65);var kk=dfnsProbe.readPrivateKey(__pem);var t2=__now();kk.sign(m);var t3=__now();', ctx);
  ts.push(ctx.t3 - ctx.t2);
}
console.log(bits, process.argv[3] || 'plugin', 'sign median', ts.sort((a, b) => a - b)[10].toFixed(2), 'min', ts[0].toFixed(2));
