// Builds dist/doctor.mjs: what `dfns-signer doctor` (bin/commands/doctor.js) runs, built from src/doctor.ts
// with the same sources as dist/dfns-signer.js (the flow, the key reading, the token), for Node.
// Reproducible, like scripts/build.mjs.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sourceHash } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DOCTOR_FILE = join(root, 'dist', 'doctor.mjs');
/** Its types, for the type check of bin/ (checkJs would otherwise read the whole bundle): those of its source. */
const SOURCE = ['..', 'src', 'doctor'].join('/'); // a path in the written file, not an import of this script
const DECLARATIONS = `// The types of dist/doctor.mjs: those of its source.\nexport { type Diagnosis, diagnose, nodeTransport, type Transport } from '${SOURCE}';\n`;

/** @returns {Promise<string>} the module's text */
export async function bundleDoctor() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [join(root, 'src', 'doctor.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: false,
    legalComments: 'none',
    charset: 'utf8',
    banner: {
      js: `// ${pkg.name} ${pkg.version} doctor, sources+lockfile sha256:${sourceHash()} (MIT; bundles @noble/curves, @noble/hashes, micro-rsa-dsa-dh, strip-json-comments: MIT)`,
    },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundleDoctor();
  mkdirSync(dirname(DOCTOR_FILE), { recursive: true });
  writeFileSync(DOCTOR_FILE, text);
  writeFileSync(DOCTOR_FILE.replace(/\.mjs$/, '.d.mts'), DECLARATIONS);
  console.log(`dist/doctor.mjs: ${text.length} bytes`);
}
