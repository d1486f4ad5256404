// Builds dist/yaak-plugin-dfns-signer/ (package.json, build/index.js, README.md): the Yaak plugin, an
// authentication plugin built from the same sources as dist/dfns-signer.js. Yaak loads
// build/index.js with require() and takes its `plugin` export, so the file is self-contained.
// Reproducible, like scripts/build.mjs.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sourceHash } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const YAAK_PLUGIN_DIR = join(root, 'dist', 'yaak-plugin-dfns-signer');

/** @returns {Promise<Record<string, string>>} path under YAAK_PLUGIN_DIR → text */
export async function bundleYaakPlugin() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [join(root, 'src', 'yaak-plugin', 'index.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    // Yaak's plugin runtime refuses Node older than 24.
    target: 'node24',
    minify: false,
    legalComments: 'none',
    charset: 'utf8',
    banner: {
      js: `// ${pkg.name} ${pkg.version} Yaak plugin, sources+lockfile sha256:${sourceHash()} (MIT; bundles @noble/curves, @noble/hashes, micro-rsa-dsa-dh: MIT)`,
    },
    logLevel: 'silent',
  });
  const manifest = {
    name: 'yaak-plugin-dfns-signer',
    displayName: 'Dfns signer',
    version: pkg.version,
    description: 'Dfns User Action Signing for Yaak requests (authentication "Dfns User Action Signing")',
    license: pkg.license,
    main: 'build/index.js',
  };
  return {
    'package.json': JSON.stringify(manifest, null, 2) + '\n',
    'build/index.js': result.outputFiles[0].text,
    'README.md': readFileSync(join(root, 'src', 'yaak-plugin', 'README.md'), 'utf8'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await bundleYaakPlugin();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(YAAK_PLUGIN_DIR, name)), { recursive: true });
    writeFileSync(join(YAAK_PLUGIN_DIR, name), text);
  }
  console.log(`dist/yaak-plugin-dfns-signer/build/index.js: ${files['build/index.js'].length} bytes`);
}
