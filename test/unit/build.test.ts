// The committed bundle is exactly what the sources build, fits its byte budget, and holds nothing
// a sandbox or a preprocessor rejects.
import { readFileSync } from 'node:fs';
import decomment from 'decomment';
import esprima from 'esprima';
import { describe, expect, it } from 'vitest';
import { bundle, OUTFILE, sourceHash } from '../../scripts/build.mjs';
import { BUDGET, BUNDLE_FILE, bundleInfo } from '../../scripts/bundle.mjs';

const committed = readFileSync(OUTFILE, 'utf8');
const tokenize = (text: string): { type: string; value: string }[] => esprima.tokenize(text);

describe('dist/dfns-signer.js', () => {
  it('is what the sources build (run `npm run build` and commit dist/)', async () => {
    const { text } = await bundle();
    expect(text === committed, 'dist/dfns-signer.js differs from a fresh build: run `npm run build` and commit it').toBe(true);
  });

  it('names the package version and the hash of the sources and lockfile on its first line', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(committed.split('\n')[0]).toContain(`// dfns-signer ${pkg.version} sources+lockfile sha256:${sourceHash()}`);
  });

  it('is the file the other tools read (scripts/bundle.mjs), and they recognise its first line', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(BUNDLE_FILE).toBe(OUTFILE);
    expect(bundleInfo(committed)).toEqual({ version: pkg.version, hash: sourceHash() });
  });

  it('stays within the byte budget (100 KiB, scripts/bundle.mjs: the bench reports against the same constant)', () => {
    expect(BUDGET).toBe(100 * 1024);
    expect(Buffer.byteLength(committed)).toBeLessThanOrEqual(BUDGET);
  });

  it('loads no code at run time', () => {
    expect(committed).not.toMatch(/\beval\s*\(|new Function\b|\bFunction\s*\(|\bimport\s*\(|\brequire\s*\(/);
  });

  it("passes Bruno CLI's preprocessor (decomment/esprima 4: no BigInt literals, numeric separators, #private, regex v flag)", () => {
    expect(() => decomment(committed, { space: true })).not.toThrow();
    expect(() => tokenize(committed)).not.toThrow();
  });

  it('names no global a sandbox lacks (TextEncoder, URL, Buffer, process, atob)', () => {
    const tokens = tokenize(committed);
    const prev = (i: number) => (i > 0 ? tokens[i - 1].value : '');
    const next = (i: number) => (tokens[i + 1] ? tokens[i + 1].value : '');
    // free references only: not `a.name`, not `{name: …}`, not a class method `}name(…){`
    const used = tokens.filter(
      (t, i) => t.type === 'Identifier' && prev(i) !== '.' && next(i) !== ':' && !(next(i) === '(' && (prev(i) === '}' || prev(i) === '{')),
    );
    for (const name of ['TextEncoder', 'TextDecoder', 'URL', 'Buffer', 'process', 'atob', 'btoa', 'require']) {
      expect(used.map((t) => t.value), name).not.toContain(name);
    }
  });
});
