// The previous bundle, which the floor-ratio runs measure beside this one: a file given with
// --baseline, or else main's dist/dfns-signer.js when it differs from the one measured (on a branch:
// what the branch is compared with), or else the last committed dist/dfns-signer.js that differs (on
// main: the bundle before the last change).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = 'dist/dfns-signer.js';

/** @param {string[]} args */
const git = (args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });

/**
 * @param {string | undefined} baseline --baseline: a file, 'none', or undefined for main's bundle or the last committed change
 * @param {string} current the bundle measured
 * @returns {{ label: string, text: string } | undefined} undefined: none asked for, or no git history to take it from
 */
export function previousBundle(baseline, current) {
  if (baseline === 'none') return undefined;
  if (baseline !== undefined) return { label: baseline, text: readFileSync(baseline, 'utf8') };
  let commits;
  try {
    commits = git(['log', '--format=%H', '-n', '30', '--', DIST]).split('\n').filter(Boolean);
  } catch {
    return undefined; // not a git checkout
  }
  /** @param {string} rev @param {string} name */
  const at = (rev, name) => {
    try {
      const text = git(['show', `${rev}:${DIST}`]);
      return text === current ? undefined : { label: `${DIST} of ${name}${git(['show', '-s', '--format=%h, %cs', rev]).trim()}`, text };
    } catch {
      return undefined; // no such branch, or no bundle there
    }
  };
  for (const [rev, name] of [['main', 'main, '], ...commits.map((c) => [c, ''])]) {
    const previous = at(rev, name);
    if (previous) return previous;
  }
  return undefined;
}
