// How a collection is run: newman in a child process (bench/newman-child.cjs), on newman 6.2 as
// installed or on the Postman app's runtime (sandbox-6), with its input in a temporary file.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nowMs } from './stats.mjs';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'newman-child.cjs');

/**
 * What bench/newman-child.cjs reads: the collection, its environment, and whether to record the timeline.
 * @typedef {{ collection: object, env: Record<string, string>, timeline?: boolean }} NewmanInput
 */

/**
 * What bench/newman-child.cjs reports (one JSON line), plus the child's lifetime and exit code.
 * @typedef {object} NewmanReport
 * @property {string} [runError]
 * @property {number} wallMs the run, in the child
 * @property {number} cpuMs the child's CPU time during the run
 * @property {number | null} mainThreadCpuMs the same for its main thread only (Linux; null elsewhere)
 * @property {number} maxRssKiB the child's peak RSS
 * @property {number} rssBeforeRunKiB
 * @property {Record<string, number>} statuses count per status code of the main requests
 * @property {number} requestErrors
 * @property {{ at: string, source?: string, message?: string }[]} failures
 * @property {string[]} consoleLines
 * @property {import('./stats.mjs').TimelineEntry[]} [timeline]
 * @property {string} runtime the postman-runtime version
 * @property {number} processMs the child process from spawn to exit, seen from here
 * @property {number | null} exitCode
 */

/** Input files for the newman children, in one temporary directory. */
export function newmanInputs() {
  const dir = mkdtempSync(join(os.tmpdir(), 'dfns-bench-'));
  let count = 0;
  return {
    /** Writes `input` to a new file; returns its path. @param {NewmanInput} input */
    write(input) {
      const file = join(dir, `input-${++count}.json`);
      writeFileSync(file, JSON.stringify(input));
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs the input in a fresh newman child process.
 * @param {import('./options.mjs').Runtime} runtime
 * @param {string} inputFile written by newmanInputs().write
 * @returns {Promise<NewmanReport>}
 */
export function runNewman(runtime, inputFile) {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const p = spawn(process.execPath, [CHILD, runtime === 'sandbox-6' ? 'sandbox-6' : 'newman', inputFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 600_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      const processMs = nowMs() - started;
      const line = out.trim().split('\n').pop();
      try {
        resolve({ ...JSON.parse(/** @type {string} */ (line)), processMs, exitCode: code });
      } catch {
        reject(new Error(`newman child failed (exit ${code}): ${err.slice(0, 2000)}`));
      }
    });
  });
}
