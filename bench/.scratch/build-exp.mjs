import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
const bigint = { name: 'b', setup(b) { b.onLoad({ filter: /micro-rsa-dsa-dh[\\/].*\.js$/ }, (a) => ({ contents: readFileSync(a.path, 'utf8').replace(/\b(0x[0-9a-fA-F]+|\d+)n\b/g, 'BigInt("$1")'), loader: 'js' })); } };
// precompute: default table (W=8) when cached, instead of precompute(1)
const table = process.argv[2] === 'table';
const ecPatch = { name: 'ec', setup(b) { b.onLoad({ filter: /src\/keys\/(ec|ed25519)\.ts$/ }, (a) => ({ contents: table ? readFileSync(a.path, 'utf8').replace(/\.precompute\(1\)/g, '.precompute(8)') : readFileSync(a.path, 'utf8'), loader: 'ts' })); } };
const FOOTER = 'var __dfnsError;try{__dfnsError=await(dfnsSigner.done)}catch(e){}if(__dfnsError)throw __dfnsError;';
const r = await build({ entryPoints: ['/work/main/bench/.scratch/entry-cached.ts'], bundle: true, write: false, format: 'iife', globalName: 'dfnsSigner', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: true, legalComments: 'none', charset: 'utf8', plugins: [bigint, ecPatch], footer: { js: FOOTER }, logLevel: 'silent' });
writeFileSync(`/tmp/benchprobe/cached${table ? '-table' : ''}.js`, r.outputFiles[0].text);
console.log(r.outputFiles[0].text.length);
