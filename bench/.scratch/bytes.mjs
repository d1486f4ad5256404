// What each feature costs in bytes: build the entry with selected modules replaced by stubs.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
const bigint = { name: 'b', setup(b) { b.onLoad({ filter: /micro-rsa-dsa-dh[\\/].*\.js$/ }, (a) => ({ contents: readFileSync(a.path, 'utf8').replace(/\b(0x[0-9a-fA-F]+|\d+)n\b/g, 'BigInt("$1")'), loader: 'js' })); } };
const stub = (map) => ({ name: 'stub', setup(b) { b.onLoad({ filter: /\/src\/.*\.ts$/ }, (a) => { for (const [k, v] of Object.entries(map)) if (a.path.endsWith(k)) return { contents: v, loader: 'ts' }; return undefined; }); } });
const base = { bundle: true, write: false, format: 'iife', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2019', minify: true, legalComments: 'none', charset: 'utf8', logLevel: 'silent', entryPoints: ['/work/main/src/entry.ts'], globalName: 'dfnsSigner' };
const edStub = `export function ed25519Key(seed){throw new Error('x')}`;
const rsaStub = `export function rsaKey(k){throw new Error('x')}`;
const ecSrc = readFileSync('/work/main/src/keys/ec.ts', 'utf8');
const ecOnlyP256 = ecSrc.replace("import { p256, p384, p521 } from '@noble/curves/nist.js';", "import { p256 } from '@noble/curves/nist.js';").replace("import { secp256k1 } from '@noble/curves/secp256k1.js';", '').replace(/const K256[^\n]*\n/, '').replace(/const P384[^\n]*\n/, '').replace(/const P521[^\n]*\n/, '').replace(/  '1\.3\.132\.0\.10': K256,\n  '1\.3\.132\.0\.34': P384,\n  '1\.3\.132\.0\.35': P521,\n/, '').replace(/, secp256k1: K256, 'P-256K': K256, 'P-384': P384, 'P-521': P521/, '');
const ecNoP384P521 = ecSrc.replace("import { p256, p384, p521 } from '@noble/curves/nist.js';", "import { p256 } from '@noble/curves/nist.js';").replace(/const P384[^\n]*\n/, '').replace(/const P521[^\n]*\n/, '').replace(/  '1\.3\.132\.0\.34': P384,\n  '1\.3\.132\.0\.35': P521,\n/, '').replace(/, 'P-384': P384, 'P-521': P521/, '');
const hostStub = (name) => `export function ${name}(){throw new Error('x')}`;
const variants = {
  current: {},
  'no Ed25519': { 'keys/ed25519.ts': edStub },
  'no RSA': { 'keys/rsa.ts': rsaStub },
  'no P-384/P-521': { 'keys/ec.ts': ecNoP384P521 },
  'P-256 only (ECDSA)': { 'keys/ec.ts': ecOnlyP256 },
  'P-256 only, no Ed25519, no RSA': { 'keys/ec.ts': ecOnlyP256, 'keys/ed25519.ts': edStub, 'keys/rsa.ts': rsaStub },
  'no Insomnia/Bruno hosts': { 'hosts/insomnia.ts': hostStub('insomniaHost'), 'hosts/bru.ts': hostStub('brunoHost') },
};
for (const [name, map] of Object.entries(variants)) {
  try {
    const r = await build({ ...base, plugins: [bigint, stub(map)], metafile: true });
    const t = r.outputFiles[0].text;
    const out = Object.values(r.metafile.outputs)[0];
    const pk = {};
    for (const [p, i] of Object.entries(out.inputs)) { const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p); const g = m ? m[1] : 'src'; pk[g] = (pk[g] || 0) + i.bytesInOutput; }
    console.log(name.padEnd(34), String(t.length).padStart(6), 'gz', String(gzipSync(t, { level: 9 }).length).padStart(6), JSON.stringify(pk));
  } catch (e) { console.log(name, 'ERR', e.message.slice(0, 300)); }
}
