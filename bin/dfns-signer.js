#!/usr/bin/env node
// dfns-signer CLI: `inject` puts the signer into any Postman collection v2.1.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleInfo, collectionProblem, injectCollection } from './inject.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SCRIPT = join(ROOT, 'dist', 'dfns-signer.js');

const HELP = `Usage: dfns-signer inject <collection.json> [options]

Puts the Dfns signer (dist/dfns-signer.js) in as the collection-level pre-request script of a
Postman collection v2.1 (Postman: collection ⋯ > Export > Collection v2.1), keeping everything else.
Run it again after an update: the previous copy is recognised by its first line and replaced.

Output (the input file is never changed unless you ask for it):
  default              writes <collection>.signed.json next to the input
  -o, --output <file>  writes <file>; "-" writes to stdout
  -i, --in-place       replaces the input file (written to a temporary file, then renamed)

Other scripts that set X-DFNS-USERACTION (the official Dfns collection's script, older copies
pasted into folders or requests) would sign a second time. When there are any, inject lists them and
  --replace-official   removes them (collection, folder and request level) and says what it removed
  --force              keeps them and injects anyway
and otherwise asks (in a terminal) or stops with exit code 3 without writing anything.

  --script <file>      inject this build of the signer instead of ${DEFAULT_SCRIPT}
  -h, --help           this help

Exit codes: 0 written (or already up to date), 2 bad arguments or input, 3 other signing scripts
left unresolved, 1 anything else.

Examples:
  node bin/dfns-signer.js inject "Dfns API.postman_collection.json"
  npm run inject -- my.postman_collection.json -o my.signed.postman_collection.json --replace-official
`;

const MAIN_HELP = `Usage: dfns-signer <command>

Commands:
  inject <collection.json>   put the Dfns signer into a Postman collection v2.1 (see: dfns-signer inject --help)

Options:
  -v, --version              version of the signer bundle
  -h, --help                 this help
`;

class UsageError extends Error {}
class Stop extends Error {
  /** @param {string} message @param {number} code the exit code */
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** @param {string} file */
function readScript(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (/** @type {any} */ e) {
    throw new UsageError(
      e.code === 'ENOENT' ? `the signer script ${file} does not exist${file === DEFAULT_SCRIPT ? ' (run "npm run build" first)' : ''}` : `cannot read the signer script ${file}: ${e.message}`,
    );
  }
  if (!bundleInfo(text)) throw new UsageError(`${file} is not a dfns-signer build (its first line lacks the "// dfns-signer <version> sources+lockfile sha256:" marker)`);
  return text;
}

/** @param {string} file */
function readCollection(file) {
  let bytes;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${file} is a directory, not a collection file`);
    bytes = readFileSync(file);
  } catch (/** @type {any} */ e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(e.code === 'ENOENT' ? `${file}: no such file` : `cannot read ${file}: ${e.message}`);
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new UsageError(`${file} is empty`);
  let json;
  try {
    json = JSON.parse(text);
  } catch (/** @type {any} */ e) {
    throw new UsageError(`${file} is not valid JSON (${String(e.message).split('\n')[0]})`);
  }
  const problem = collectionProblem(json);
  if (problem) throw new UsageError(`${file} ${problem}`);
  return { json, text };
}

/** Same layout as the input: indentation, line ends, final newline. @param {unknown} json @param {string} inputText */
function format(json, inputText) {
  const m = /^[{[]\r?\n([ \t]+)\S/.exec(inputText.trimStart());
  const indent = m ? m[1] : inputText.trimStart().startsWith('{\n') || inputText.trimStart().startsWith('{\r\n') ? 2 : 0;
  let text = JSON.stringify(json, null, indent);
  if (/\r\n/.test(inputText)) text = text.replace(/\n/g, '\r\n');
  const eol = /\r\n$/.test(inputText) ? '\r\n' : /\n$/.test(inputText) || indent ? '\n' : '';
  return text + eol;
}

/** @param {string} a @param {string} b */
function samePath(a, b) {
  const real = (/** @type {string} */ p) => {
    try {
      return realpathSync(p);
    } catch {
      try {
        return join(realpathSync(dirname(p)), basename(p));
      } catch {
        return resolve(p);
      }
    }
  };
  return real(a) === real(b);
}

/** Write to a temporary file in the same directory, then rename: the target is whole or untouched. @param {string} file @param {string} text */
function writeAtomic(file, text) {
  const target = existsSync(file) ? realpathSync(file) : resolve(file);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    if (existsSync(target)) chmodSync(tmp, statSync(target).mode & 0o7777);
    renameSync(tmp, target);
  } catch (/** @type {any} */ e) {
    try {
      unlinkSync(tmp);
    } catch {}
    throw new Stop(`cannot write ${file}: ${e.message}`, 1);
  }
}

/** @param {string} input */
function defaultOutput(input) {
  const name = basename(input).replace(/\.json$/i, '');
  return join(dirname(input), `${name}.signed.json`);
}

/** @param {string} question */
async function ask(question) {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** @param {string[]} argv @returns {Promise<number>} */
async function inject(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        'in-place': { type: 'boolean', short: 'i' },
        'replace-official': { type: 'boolean' },
        force: { type: 'boolean' },
        script: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (/** @type {any} */ e) {
    throw new UsageError(`${e.message} (see: dfns-signer inject --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one collection file, got ${positionals.length} (see: dfns-signer inject --help)`);
  if (values['in-place'] && values.output !== undefined) throw new UsageError('use either --in-place or --output, not both');
  if (values.output === '') throw new UsageError('--output needs a file name (or "-" for stdout)');

  const input = positionals[0];
  const toStdout = values.output === '-';
  const output = values['in-place'] ? input : toStdout ? '-' : values.output ?? defaultOutput(input);
  const inPlace = !toStdout && samePath(input, output);
  if (!toStdout && existsSync(output) && statSync(output).isDirectory()) throw new UsageError(`${output} is a directory`);

  const bundle = readScript(values.script ? resolve(values.script) : DEFAULT_SCRIPT);
  const { json, text } = readCollection(input);

  let replaceOthers = !!values['replace-official'];
  let result = injectCollection(json, bundle, { replaceOthers });
  if (result.conflicts.length && !values.force) {
    process.stderr.write(`dfns-signer inject: warning: ${input} has other scripts that sign Dfns requests (set X-DFNS-USERACTION):\n`);
    for (const c of result.conflicts) process.stderr.write(`  - ${c}\n`);
    process.stderr.write('  With them in place, requests would be signed twice or by the old script.\n');
    if (process.stdin.isTTY && process.stderr.isTTY && (await ask('Remove them and use dfns-signer instead? [y/N] '))) {
      replaceOthers = true;
      result = injectCollection(json, bundle, { replaceOthers });
    } else {
      throw new Stop('nothing written; re-run with --replace-official to remove them, or --force to keep them', 3);
    }
  } else if (result.conflicts.length) {
    process.stderr.write('dfns-signer inject: warning: kept (--force) other scripts that set X-DFNS-USERACTION:\n');
    for (const c of result.conflicts) process.stderr.write(`  - ${c}\n`);
  }

  for (const r of result.removed) process.stderr.write(`dfns-signer inject: removed ${r}\n`);
  for (const n of result.notes) process.stderr.write(`dfns-signer inject: note: ${n}\n`);

  const outText = format(result.collection, text);
  const what =
    result.status === 'added'
      ? `added dfns-signer ${result.version} (sha256:${result.hash.slice(0, 12)}) as the collection-level pre-request script`
      : result.status === 'replaced'
        ? `replaced dfns-signer ${result.previous.version} (sha256:${result.previous.hash.slice(0, 12)}) with ${result.version} (sha256:${result.hash.slice(0, 12)})`
        : `dfns-signer ${result.version} (sha256:${result.hash.slice(0, 12)}) is already the collection-level pre-request script`;

  if (toStdout) {
    process.stdout.write(outText);
    process.stderr.write(`dfns-signer inject: ${what}\n`);
  } else if (inPlace && outText === text) {
    process.stderr.write(`dfns-signer inject: ${what}; ${input} unchanged\n`);
  } else {
    writeAtomic(output, outText);
    process.stderr.write(`dfns-signer inject: ${what} -> ${output}\n`);
  }
  return 0;
}

/** @param {string[]} argv @returns {Promise<number>} */
async function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    let build = 'dist/dfns-signer.js not built';
    try {
      const info = bundleInfo(readFileSync(DEFAULT_SCRIPT, 'utf8'));
      if (info) build = `bundle ${info.version} sha256:${info.hash}`;
    } catch {}
    process.stdout.write(`${pkg.name} ${pkg.version} (${build})\n`);
    return 0;
  }
  if (command === 'inject') return inject(rest);
  throw new UsageError(`unknown command "${command}" (see: dfns-signer --help)`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    const prefix = process.argv[2] === 'inject' ? 'dfns-signer inject' : 'dfns-signer';
    process.stderr.write(`${prefix}: error: ${e.message}\n`);
    process.exitCode = e instanceof UsageError ? 2 : e instanceof Stop ? e.code : 1;
  },
);
