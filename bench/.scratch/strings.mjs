import { build } from 'esbuild';
import { createRequire } from 'node:module';
const require = createRequire('/work/main/package.json');
const esprima = require('esprima');
const r = await build({ bundle: true, write: false, format: 'iife', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: false, legalComments: 'none', charset: 'utf8', logLevel: 'silent', entryPoints: ['/work/main/src/entry.ts'], globalName: 'dfnsSigner' });
const text = r.outputFiles[0].text.replace(/\b(\d+)n\b/g, '$1');
const parts = text.split(/^  \/\/ (?:\.\.\/)*((?:node_modules|src)\/[^\n]+)$/m);
const per = {};
let total = 0;
for (let i = 1; i < parts.length; i += 2) {
  const name = parts[i];
  let toks;
  try { toks = esprima.tokenize(parts[i + 1], { tolerant: true }); } catch (e) { console.log('tok fail', name, e.message); continue; }
  const s = toks.filter((t) => t.type === 'String' || t.type === 'Template').reduce((a, t) => a + t.value.length, 0);
  per[name] = (per[name] || 0) + s;
  total += s;
}
Object.entries(per).sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log(String(v).padStart(6), k));
console.log('total string bytes', total);
