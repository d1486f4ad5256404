// The committed bundle is exactly what the sources build, fits its byte budget, and holds nothing
// a sandbox or a preprocessor rejects; the committed Yaak plugin is what the sources build.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import decomment from 'decomment';
import esprima from 'esprima';
import { describe, expect, it } from 'vitest';
import { bundle, OUTFILE, sourceHash } from '../../scripts/build.mjs';
import { bundleYaakPlugin, YAAK_PLUGIN_DIR } from '../../scripts/build-yaak.mjs';
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

  it('stays within the byte budget (128 KiB, scripts/bundle.mjs: the bench reports against the same constant)', () => {
    expect(BUDGET).toBe(128 * 1024);
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
      expect(
        used.map((t) => t.value),
        name,
      ).not.toContain(name);
    }
  });
});

describe('dist/yaak-plugin-dfns-signer', () => {
  const require = createRequire(import.meta.url);
  const committedFile = (name: string) => readFileSync(join(YAAK_PLUGIN_DIR, name), 'utf8');

  it('is what the sources build (run `npm run build` and commit dist/), and holds nothing else', async () => {
    const built = await bundleYaakPlugin();
    for (const [name, text] of Object.entries(built))
      expect(committedFile(name) === text, `${name} differs from a fresh build: run \`npm run build\``).toBe(true);
    const onDisk = readdirSync(YAAK_PLUGIN_DIR, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(YAAK_PLUGIN_DIR, join(e.parentPath, e.name)).split('\\').join('/'));
    expect(onDisk.sort()).toEqual(Object.keys(built).sort());
  });

  it('is a package Yaak loads: a name and version, and build/index.js exporting the authentication plugin', () => {
    const manifest = JSON.parse(committedFile('package.json'));
    expect(manifest.name).toBe('yaak-plugin-dfns-signer');
    expect(manifest.version).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
    const { plugin } = require(join(YAAK_PLUGIN_DIR, 'build', 'index.js'));
    expect(plugin.authentication.name).toBe('dfns-signer');
    expect(plugin.authentication.args.map((a: { name: string }) => a.name)).toEqual([
      'authToken',
      'credentialPrivateKey',
      'credentialId',
      'dfnsApiDomain',
      'dfnsTimeoutSeconds',
      'dfnsUsername',
      'dfnsOrgId',
    ]);
    expect(plugin.authentication.onApply).toBeTypeOf('function');
  });

  it('is self-contained: it requires nothing but Node built-ins, and loads no code at run time', () => {
    const code = committedFile('build/index.js');
    expect([...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))].sort()).toEqual(['http', 'https']);
    expect(code).not.toMatch(/\beval\s*\(|new Function\b|\bimport\s*\(/);
    expect(code.split('\n')[0]).toContain(`sources+lockfile sha256:${sourceHash()}`);
  });
});
