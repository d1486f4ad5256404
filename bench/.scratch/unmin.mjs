import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
const r = await build({ entryPoints: ['/work/main/src/entry.ts'], bundle: true, write: false, format: 'iife', platform: 'neutral', mainFields: ['module','main'], target: 'es2019', minify: false, legalComments: 'none', charset: 'utf8', globalName: 'dfnsSigner', logLevel: 'silent' });
writeFileSync('/tmp/benchprobe/unmin.js', r.outputFiles[0].text);
