import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
const r = await build({ stdin: { contents: `export { p256 } from '@noble/curves/nist.js'; export { secp256k1 } from '@noble/curves/secp256k1.js'; export { ed25519 } from '@noble/curves/ed25519.js'; export { sha256 } from '@noble/hashes/sha2.js';`, resolveDir: '/work/main', loader: 'js' }, bundle: true, write: false, format: 'iife', globalName: 'L', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: false, logLevel: 'silent' });
writeFileSync('/tmp/benchprobe/lib.js', r.outputFiles[0].text);
