// Every failure has a stable code (src/errors.ts), every code is raised somewhere in src/, and the
// README's troubleshooting table lists exactly these codes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors';

const root = new URL('../../', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(root, dir, e.name), 'utf8')] : []));

describe('error codes', () => {
  it('are unique and each is raised somewhere in src/', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    const text = sources('src').join('\n').replace(/export const ERROR_CODES = \[[^\]]*\]/, '');
    for (const code of ERROR_CODES) expect(text, code).toContain(`'${code}'`);
  });

  it('are exactly the codes of the README troubleshooting table', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## How it works'));
    const listed = table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => line.split('|')[1].match(/`[a-z-]+`/g) ?? [])
      .map((code) => code.slice(1, -1));
    expect([...new Set(listed)].sort()).toEqual([...ERROR_CODES].sort());
  });
});
