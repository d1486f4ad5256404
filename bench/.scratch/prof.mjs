import { build } from 'esbuild';
import vm from 'node:vm';
const curve = process.argv[2] || 'p256';
const r = await build({ stdin: { contents: `export { p256 } from '@noble/curves/nist.js'; export { secp256k1 } from '@noble/curves/secp256k1.js'; export { ed25519 } from '@noble/curves/ed25519.js'; export { sha256 } from '@noble/hashes/sha2.js';`, resolveDir: '/work/main', loader: 'js' }, bundle: true, write: false, format: 'iife', globalName: 'L', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: false, logLevel: 'silent' });
const script = new vm.Script(r.outputFiles[0].text, { filename: 'lib.js' });
const sk = new Uint8Array(32).fill(7);
const msg = new Uint8Array(80).fill(65);
const t0 = Date.now();
for (let i = 0; i < 60; i++) {
  const ctx = vm.createContext({ __sk: sk, __msg: msg, __c: curve });
  script.runInContext(ctx);
  vm.runInContext(`var C=L[__c]; C.Point.BASE.precompute(1); var s = __c==='ed25519' ? C.sign(__msg, __sk) : C.sign(L.sha256(__msg), __sk, {prehash:false, format:'der', lowS:true, extraEntropy:false});`, ctx, { filename: 'drive.js' });
}
console.log('per sign+eval', (Date.now() - t0) / 60);
