// The tools around the signer keep their shape: small files, and imports in one direction
// (test → bench/scripts/bin/emulator; bench → scripts/emulator; bin → scripts; scripts → emulator; emulator → nothing).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CODE = /\.(?:mjs|cjs|js|ts)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.name === 'node_modules' ? [] : d.isDirectory() ? filesUnder(join(dir, d.name)) : CODE.test(d.name) ? [join(dir, d.name)] : [],
  );
}

/** The top-level folders a file's relative imports and requires reach. */
function importedFolders(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).split('/')[0]);
}

/** Which top-level folders each tool folder may import from, besides itself. */
const MAY_IMPORT: Record<string, string[]> = {
  emulator: [],
  scripts: ['emulator'],
  // bin/commands/doctor.js runs dist/doctor.mjs, the Node build of src/doctor.ts (scripts/build-doctor.mjs).
  bin: ['scripts', 'dist'],
  bench: ['scripts', 'emulator'],
};

describe('the tools (emulator/, scripts/, bin/, bench/)', () => {
  it('have no file over 300 lines in emulator/, scripts/ and bin/', () => {
    const long = ['emulator', 'scripts', 'bin']
      .flatMap(filesUnder)
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > 300);
    expect(long).toEqual([]);
  });

  it.each(Object.keys(MAY_IMPORT))('%s/ imports only from itself and the folders MAY_IMPORT names', (folder) => {
    const allowed = new Set([folder, ...MAY_IMPORT[folder]]);
    const files = filesUnder(folder);
    expect(files.length).toBeGreaterThan(0);
    const outside = files.flatMap((file) =>
      importedFolders(file)
        .filter((f) => !allowed.has(f))
        .map((f) => `${file} → ${f}/`),
    );
    expect(outside).toEqual([]);
  });

  it('test/ imports nothing from bench/ (the bench runs as a command)', () => {
    const files = filesUnder('test');
    expect(files.length).toBeGreaterThan(10);
    expect(
      files.flatMap((file) =>
        importedFolders(file)
          .filter((f) => f === 'bench')
          .map(() => file),
      ),
    ).toEqual([]);
  });
});

describe("the maintainers' notes (test/clients/*.md)", () => {
  it("cite no path of one machine: a probe's directory, a scratch file, a checkout", () => {
    const notes = readdirSync(join(ROOT, 'test/clients')).filter((f) => f.endsWith('.md'));
    expect(notes.length).toBeGreaterThan(0);
    const found = notes.flatMap((f) =>
      [...readFileSync(join(ROOT, 'test/clients', f), 'utf8').matchAll(/(?:\/tmp\/|\/work\/|\/root\/|\/home\/|\.tmp\/)\S*/g)].map(
        (m) => `${f}: ${m[0]}`,
      ),
    );
    expect(found).toEqual([]);
  });
});
