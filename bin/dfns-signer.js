#!/usr/bin/env node
// dfns-signer CLI: one module per command in bin/commands/ (`inject` puts the signer into any Postman
// collection v2.1, `doctor` checks the variables against Dfns); this file dispatches, and turns a thrown
// error into one line and an exit code.
import { readFileSync } from 'node:fs';
import { BUNDLE_FILE, bundleInfo } from '../scripts/bundle.mjs';
import * as doctor from './commands/doctor.js';
import * as inject from './commands/inject.js';
import { Stop, UsageError } from './errors.js';

/**
 * The commands by name: each module exports its usage line, a summary, and `run(argv)` → exit code.
 * @type {Record<string, { usage: string, summary: string, run: (argv: string[]) => Promise<number> }>}
 */
const COMMANDS = { inject, doctor };

/** @param {string | undefined} name @returns {name is string} */
const isCommand = (name) => name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name);

const MAIN_HELP = `Usage: dfns-signer <command>

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${c.usage.padEnd(26)} ${c.summary} (see: dfns-signer ${name} --help)`)
  .join('\n')}

Options:
  -v, --version              version of the signer bundle
  -h, --help                 this help
`;

function version() {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  let build = 'dist/dfns-signer.js not built';
  try {
    const info = bundleInfo(readFileSync(BUNDLE_FILE, 'utf8'));
    if (info) build = `bundle ${info.version} sha256:${info.hash}`;
  } catch {}
  return `${pkg.name} ${pkg.version} (${build})\n`;
}

/** @param {string[]} argv @returns {Promise<number>} */
async function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(version());
    return 0;
  }
  if (isCommand(command)) return COMMANDS[command].run(rest);
  throw new UsageError(`unknown command "${command}" (see: dfns-signer --help)`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    const command = process.argv[2];
    const prefix = isCommand(command) ? `dfns-signer ${command}` : 'dfns-signer';
    process.stderr.write(`${prefix}: error: ${e.message}\n`);
    process.exitCode = e instanceof UsageError ? 2 : e instanceof Stop ? e.code : 1;
  },
);
