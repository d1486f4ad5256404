// The built signer, dist/dfns-signer.js, as the tools around it see it (the collection generator, the
// CLI, the demo, the bench, the tests): where it is, the marker its first line carries, and the byte
// budget it must fit. scripts/build.mjs writes it; it is not imported here, because it pulls esbuild
// in and because its own bytes are hashed into that first line (a constant added there would change
// every build).
import { fileURLToPath } from 'node:url';

export const BUNDLE_FILE = fileURLToPath(new URL('../dist/dfns-signer.js', import.meta.url));

/**
 * The size goal for the bundle, minified: build.test.ts holds the build to it, the bench reports against it.
 * 128 KiB leaves room for the faster audited code: the bytes cost little at run time (V8 compiles only
 * what runs), a slow first signature costs tens of milliseconds at every request (issue 18).
 */
export const BUDGET = 128 * 1024;

/** First line of every build of the bundle (scripts/build.mjs banner). */
const MARKER_RE = /^\/\/ dfns-signer (\S+) sources\+lockfile sha256:([0-9a-f]{8,})/;

/**
 * `{version, hash}` from the bundle's first line, or undefined when the text is not our script.
 * @param {unknown} text
 * @returns {{ version: string, hash: string } | undefined}
 */
export function bundleInfo(text) {
  const firstLine = String(text)
    .replace(/^\uFEFF/, '')
    .split('\n', 1)[0]
    .trim();
  const m = MARKER_RE.exec(firstLine);
  return m ? { version: m[1], hash: m[2] } : undefined;
}

/** The bundle as the clients keep a pasted script: without its final newline. @param {string} bundle */
export const scriptText = (bundle) => String(bundle).replace(/\r?\n$/, '');
