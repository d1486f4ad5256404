import { build } from 'esbuild';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
const bigint = { name: 'b', setup(b) { b.onLoad({ filter: /micro-rsa-dsa-dh[\\/].*\.js$/ }, (a) => ({ contents: readFileSync(a.path, 'utf8').replace(/\b(0x[0-9a-fA-F]+|\d+)n\b/g, 'BigInt("$1")'), loader: 'js' })); } };
const base = { bundle: true, write: false, format: 'iife', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: true, legalComments: 'none', charset: 'utf8', logLevel: 'silent', plugins: [bigint] };
const variants = {
  es2019: {},
  classfields: { supported: { 'class-field': true, 'class-static-field': true } },
  es2022: { target: 'es2022' },
};
const out = {};
for (const [k, v] of Object.entries(variants)) {
  const full = await build({ ...base, ...v, entryPoints: ['/work/main/src/entry.ts'], globalName: 'dfnsSigner' });
  const probe = await build({ ...base, ...v, entryPoints: ['/work/main/src/keys/index.ts'], globalName: 'dfnsProbe' });
  const t = full.outputFiles[0].text;
  out[k] = probe.outputFiles[0].text;
  console.log(k, 'bundle bytes', t.length, 'bigint literals', (t.match(/\b\d+n\b/g) || []).length, '#private', (t.match(/#[a-zA-Z_]\w*\s*[=;(]/g) || []).length);
}
const { generateKeyPairSync } = await import('node:crypto');
const keys = {
  p256: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
  k1: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
  ed: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  rsa2048: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
};
const now = () => Number(process.hrtime.bigint()) / 1e6;
const scripts = Object.fromEntries(Object.entries(out).map(([k, s]) => [k, new vm.Script(s)]));
const res = {};
const reps = Number(process.argv[2] || 15);
for (let i = 0; i < reps; i++) for (const key of Object.keys(keys)) for (const k of Object.keys(scripts)) {
  const ctx = vm.createContext({ __now: now, __pem: keys[key], Buffer, atob, btoa });
  const t0 = now();
  scripts[k].runInContext(ctx);
  vm.runInContext('var m=new Uint8Array(90).fill(65);var t1=__now();var kk=dfnsProbe.readPrivateKey(__pem);var t2=__now();kk.sign(m);var t3=__now();', ctx);
  ((res[key] ??= {})[k] ??= []).push([ctx.t1 - t0, ctx.t2 - ctx.t1, ctx.t3 - ctx.t2]);
}
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (const [key, byV] of Object.entries(res)) for (const [k, rows] of Object.entries(byV)) console.log(key.padEnd(8), k.padEnd(12), 'eval', med(rows.map((r) => r[0])).toFixed(2), 'read', med(rows.map((r) => r[1])).toFixed(2), 'sign', med(rows.map((r) => r[2])).toFixed(2));
