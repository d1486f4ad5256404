// The generated files on disk: how they differ from what the generator makes (`--check`), and writing
// them, stale files in the directories the generator owns removed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the generated files' paths are relative to it. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @param {string} dir @returns {string[]} */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

/**
 * The files under the owned directories `dirs` that `files` does not have.
 * @param {Record<string, string>} files @param {string} root @param {string[]} dirs
 */
function staleFiles(files, root, dirs) {
  return dirs
    .flatMap((dir) => filesUnder(join(root, dir)).map((abs) => relative(root, abs).split('\\').join('/')))
    .filter((file) => !(file in files));
}

/**
 * Differences between `files` and the disk under `root`: [{file, problem}].
 * @param {Record<string, string>} files @param {string[]} dirs the directories owned outright @param {string} [root]
 */
export function compare(files, dirs, root = ROOT) {
  /** @type {{ file: string, problem: string }[]} */
  const problems = [];
  for (const [file, text] of Object.entries(files)) {
    const abs = join(root, file);
    if (!existsSync(abs)) problems.push({ file, problem: 'missing' });
    else if (readFileSync(abs, 'utf8') !== text) problems.push({ file, problem: 'differs' });
  }
  for (const file of staleFiles(files, root, dirs)) problems.push({ file, problem: 'not generated (stale)' });
  return problems;
}

/**
 * Writes `files` under `root` (a file already as wanted is not touched) and removes the stale ones.
 * @param {Record<string, string>} files @param {string[]} dirs the directories owned outright @param {string} [root]
 */
export function write(files, dirs, root = ROOT) {
  for (const file of staleFiles(files, root, dirs)) rmSync(join(root, file));
  for (const [file, text] of Object.entries(files)) {
    const abs = join(root, file);
    mkdirSync(dirname(abs), { recursive: true });
    if (!existsSync(abs) || readFileSync(abs, 'utf8') !== text) writeFileSync(abs, text);
  }
}
