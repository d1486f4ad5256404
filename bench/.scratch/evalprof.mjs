import { readFileSync } from 'node:fs';
import vm from 'node:vm';
const src = readFileSync('/tmp/benchprobe/unmin.js', 'utf8');
// insert markers before each module comment
const marked = src.replace(/^  \/\/ ((?:node_modules|src)\/\S+)$/gm, (m, name) => `  __mark(${JSON.stringify(name)});\n${m}`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const agg = {};
for (let rep = 0; rep < 30; rep++) {
  const marks = [];
  const ctx = vm.createContext({ __mark: (n) => marks.push([n, now()]), Buffer, atob, btoa });
  const s = new vm.Script(marked + `\n__mark('end');`);
  s.runInContext(ctx);
  for (let i = 0; i < marks.length - 1; i++) (agg[marks[i][0]] ??= []).push(marks[i + 1][1] - marks[i][1]);
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const rows = Object.entries(agg).map(([k, v]) => [k, med(v), v[0]]).sort((a, b) => b[1] - a[1]);
let tot = 0, tot0 = 0;
for (const [k, m, f] of rows) { tot += m; tot0 += f; if (m > 0.05) console.log(m.toFixed(3).padStart(8), f.toFixed(3).padStart(8), k); }
console.log('total median', tot.toFixed(2), 'first', tot0.toFixed(2));
