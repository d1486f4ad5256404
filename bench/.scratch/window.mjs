import { build } from 'esbuild';
import vm from 'node:vm';
import { generateKeyPairSync } from 'node:crypto';
const r = await build({ stdin: { contents: `export { p256 } from '@noble/curves/nist.js'; export { secp256k1 } from '@noble/curves/secp256k1.js'; export { ed25519 } from '@noble/curves/ed25519.js'; export { sha256 } from '@noble/hashes/sha2.js';`, resolveDir: '/work/main', loader: 'js' }, bundle: true, write: false, format: 'iife', globalName: 'L', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: true, logLevel: 'silent' });
const src = r.outputFiles[0].text;
const script = new vm.Script(src);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sk = new Uint8Array(32).fill(7);
const msg = new Uint8Array(80).fill(65);
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const curve of ['p256', 'secp256k1', 'ed25519']) for (const W of [0, 1, 2, 4, 6, 8]) {
  const times = [];
  for (let i = 0; i < 21; i++) {
    const ctx = vm.createContext({ __now: now, __sk: sk, __msg: msg, __W: W, __c: curve });
    script.runInContext(ctx);
    vm.runInContext(`var C=L[__c]; var t0=__now(); if(__W) C.Point.BASE.precompute(__W); var s = __c==='ed25519' ? C.sign(__msg, __sk) : C.sign(L.sha256(__msg), __sk, {prehash:false, format:'der', lowS:true, extraEntropy:false}); var dt=__now()-t0;`, ctx);
    times.push(ctx.dt);
  }
  console.log(curve, 'W', W || 'default', 'median', med(times.slice()).toFixed(2), 'first', times[0].toFixed(2));
}
