// The bundle's bytes, compressed sizes, and where the bytes go (esbuild metafile of a fresh build).
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { bundle } from '../scripts/build.mjs';
import { BUDGET, BUNDLE_FILE } from '../scripts/bundle.mjs';
import { round } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} BundleFacts
 * @property {string} file
 * @property {string} banner the first line
 * @property {number} bytes
 * @property {number | null} kib
 * @property {number} gzipBytes
 * @property {number} brotliBytes
 * @property {number} budgetBytes
 * @property {boolean} withinBudget
 * @property {boolean | null} distMatchesSources whether dist/ is what the current sources build (null: could not build)
 * @property {{ note: string, outputBytes: number, byPackage: { name: string, bytes: number }[], byModule: { path: string, bytes: number }[] } | { error: string } | null} metafile
 */

/**
 * @param {string} text the bundle as in dist/
 * @returns {Promise<BundleFacts>}
 */
export async function bundleFacts(text) {
  const raw = Buffer.byteLength(text);
  /** @type {BundleFacts} */
  const facts = {
    file: relative(root, BUNDLE_FILE),
    banner: text.split('\n', 1)[0],
    bytes: raw,
    kib: round(raw / 1024, 1),
    gzipBytes: zlib.gzipSync(text, { level: 9 }).length,
    brotliBytes: zlib.brotliCompressSync(text).length,
    budgetBytes: BUDGET,
    withinBudget: raw <= BUDGET,
    distMatchesSources: null,
    metafile: null,
  };
  // Where the bytes go: a metafile of a fresh build of the current sources (and: is dist/ what they build?).
  try {
    const built = await bundle({ metafile: true });
    if (!built.metafile) throw new Error('esbuild gave no metafile');
    const result = { metafile: built.metafile, bytes: Buffer.byteLength(built.text) };
    facts.distMatchesSources = built.text === text;
    const out = Object.values(result.metafile.outputs)[0];
    const byModule = Object.entries(out.inputs)
      .map(([path, i]) => ({ path, bytes: i.bytesInOutput }))
      .filter((x) => x.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes);
    const group = (/** @type {string} */ p) => {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p);
      return m ? m[1] : p.startsWith('src/') ? 'src' : p;
    };
    /** @type {Record<string, number>} */
    const byPackage = {};
    for (const x of byModule) byPackage[group(x.path)] = (byPackage[group(x.path)] || 0) + x.bytes;
    facts.metafile = {
      note: 'minified bytes in the output per input, from an esbuild metafile of a fresh build of the current sources (banner and footer not counted)',
      outputBytes: result.bytes,
      byPackage: Object.entries(byPackage)
        .sort((a, b) => b[1] - a[1])
        .map(([name, bytes]) => ({ name, bytes })),
      byModule: byModule.slice(0, 40),
    };
  } catch (/** @type {any} */ e) {
    facts.metafile = { error: String(e.message || e) };
  }
  return facts;
}
