// Builds dist/insomnia-plugin-dfns-signer/ (package.json, main.js, README.md): the Insomnia plugin, a request
// hook built from the same sources as dist/dfns-signer.js, for Insomnia versions whose script
// sandbox rejects the bundle. Reproducible, like scripts/build.mjs.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sourceHash } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PLUGIN_DIR = join(root, 'dist', 'insomnia-plugin-dfns-signer');

export async function bundleInsomniaPlugin() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [join(root, 'src', 'insomnia-plugin', 'index.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    // Insomnia 10 ships Electron 32 (Node 20); plugins are loaded with Node's require.
    target: 'node18',
    minify: false,
    legalComments: 'none',
    charset: 'utf8',
    banner: {
      js: `// ${pkg.name} ${pkg.version} Insomnia plugin, sources+lockfile sha256:${sourceHash()} (MIT; bundles @noble/curves, @noble/hashes, micro-rsa-dsa-dh: MIT)`,
    },
    logLevel: 'silent',
  });
  const manifest = {
    name: 'insomnia-plugin-dfns-signer',
    version: pkg.version,
    description: 'Dfns User Action Signing for Insomnia requests (request hook)',
    license: pkg.license,
    main: 'main.js',
    insomnia: {
      name: 'dfns-signer',
      displayName: 'Dfns signer',
      description: 'Signs Dfns requests (X-DFNS-USERACTION) in workspaces whose environment defines authToken',
    },
  };
  return {
    'package.json': JSON.stringify(manifest, null, 2) + '\n',
    'main.js': result.outputFiles[0].text,
    'README.md': readFileSync(join(root, 'src', 'insomnia-plugin', 'README.md'), 'utf8'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await bundleInsomniaPlugin();
  mkdirSync(PLUGIN_DIR, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(PLUGIN_DIR, name), text);
  console.log(`dist/insomnia-plugin-dfns-signer/main.js: ${files['main.js'].length} bytes`);
}
