// Builds dist/dfns-signer.js: one IIFE that runs as a pre-request script in every client.
// Reproducible: the same sources and lockfile give the same bytes, and the first line says which.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTFILE = join(root, 'dist', 'dfns-signer.js');

/** @param {string} dir @returns {string[]} */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** sha256 over every source file (path and content) and the lockfile: what the bundle was built from. */
export function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(join(root, 'src')), join(root, 'package-lock.json'), join(root, 'scripts', 'build.mjs')]) {
    hash.update(relative(root, file).split('\\').join('/') + '\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

// micro-rsa-dsa-dh is written with BigInt literals (10n); Bruno CLI's script
// preprocessor (decomment/esprima) rejects them, so each distinct literal becomes one module-level
// BigInt("10") constant (evaluated once, not again at every use inside the arithmetic loops).
/** @type {import('esbuild').Plugin} */
export const bigintLiterals = {
  name: 'bigint-literals',
  setup(b) {
    b.onLoad({ filter: /micro-rsa-dsa-dh[\\/].*\.js$/ }, (args) => {
      /** @type {Map<string, string>} */
      const names = new Map();
      const code = readFileSync(args.path, 'utf8').replace(/\b(0x[0-9a-fA-F]+|\d+)n\b/g, (_, digits) => {
        if (!names.has(digits)) names.set(digits, `__bigint${names.size}`);
        return /** @type {string} */ (names.get(digits));
      });
      const constants = [...names].map(([digits, name]) => `${name} = /* @__PURE__ */ BigInt("${digits}")`);
      return { contents: (constants.length ? `var ${constants.join(', ')};\n` : '') + code, loader: 'js' };
    });
  },
};

// In clients with top-level await this awaits the signing, so a failure throws from the script
// itself (Bruno, Insomnia). In newman 6.2, which has none, `await(...)` is a call of an undefined
// name that throws and is caught; the sandbox then waits for the pending sendRequest callbacks.
const FOOTER = 'var __dfnsError;try{__dfnsError=await(dfnsSigner.done)}catch(e){}if(__dfnsError)throw __dfnsError;';

/**
 * How the sandboxes' script is built; the benchmark builds its probes the same way.
 * @satisfies {import('esbuild').BuildOptions}
 */
export const SCRIPT_OPTIONS = {
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2019',
  // Public class fields, instance and static (noble's Point.BASE), run in every target sandbox and
  // pass Bruno CLI's preprocessor; lowering them costs ~1.2 KB. (#private fields stay out: esprima 4 rejects them.)
  supported: { 'class-field': true, 'class-static-field': true },
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  plugins: [bigintLiterals],
  logLevel: 'silent',
};

/** @param {{ metafile?: boolean }} [options] */
export async function bundle({ metafile = false } = {}) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const result = await build({
    ...SCRIPT_OPTIONS,
    entryPoints: [join(root, 'src', 'entry.ts')],
    globalName: 'dfnsSigner',
    metafile,
    banner: {
      js: `// ${pkg.name} ${pkg.version} sources+lockfile sha256:${sourceHash()} (MIT; bundles @noble/curves, @noble/hashes, micro-rsa-dsa-dh: MIT)`,
    },
    footer: { js: FOOTER },
  });
  return { text: result.outputFiles[0].text, metafile: result.metafile };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { text, metafile } = await bundle({ metafile: process.argv.includes('--analyze') });
  mkdirSync(dirname(OUTFILE), { recursive: true });
  writeFileSync(OUTFILE, text);
  console.log(`dist/dfns-signer.js: ${text.length} bytes`);
  if (metafile) {
    const inOutput = Object.values(metafile.outputs)[0].inputs;
    const rows = Object.entries(inOutput).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
    console.log(rows.map(([file, i]) => `${String(i.bytesInOutput).padStart(8)}  ${file}`).join('\n'));
  }
}
