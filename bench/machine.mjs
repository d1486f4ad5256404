// What the bench ran on: the machine, Node, and the versions of the runtimes it measured.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export function machine() {
  let cpu = os.cpus()[0]?.model?.trim() || 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {}
  return {
    cpu,
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    newman: version('newman'),
    postmanRuntime: { 'newman-6.2': version('postman-runtime'), 'sandbox-6': version('postman-runtime-next') },
    postmanSandbox: { 'newman-6.2': version('postman-sandbox'), 'sandbox-6': sandbox6Version() },
    jsrsasign: version('jsrsasign-8'),
  };
}
/** @typedef {ReturnType<typeof machine>} Machine */

/**
 * The version of a package installed at the top of node_modules, or null.
 * @param {string} name
 * @returns {string | null}
 */
function version(name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The postman-sandbox that postman-runtime-next (the Postman app's runtime) uses. @returns {string | null} */
function sandbox6Version() {
  try {
    const dir = dirname(require.resolve('postman-runtime-next/package.json'));
    const p = require.resolve('postman-sandbox/package.json', { paths: [dir] });
    return JSON.parse(readFileSync(p, 'utf8')).version;
  } catch {
    return null;
  }
}
