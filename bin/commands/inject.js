// `dfns-signer inject`: puts the signer into a Postman collection v2.1 as its collection-level
// pre-request script, keeping everything else (the work on the collection: bin/collection.js).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { BUNDLE_FILE } from '../../scripts/bundle.mjs';
import { injectCollection } from '../collection.js';
import { Stop, UsageError } from '../errors.js';
import { format, readCollection, readScript, samePath, writeAtomic } from '../files.js';

/** For the CLI's help (bin/dfns-signer.js). */
export const usage = 'inject <collection.json>';
export const summary = 'put the Dfns signer into a Postman collection v2.1';

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

  --add-status-check   also add a collection-level test script that fails the run when a request is
                       answered other than 2xx, naming the status and Dfns's message (newman and the
                       Postman CLI then exit 1). It runs after every request of the collection, to other
                       hosts too. Your own tests are left as they are; a collection whose requests carry
                       the check already (the generated one) gets no second one.
  --script <file>      inject this build of the signer instead of ${BUNDLE_FILE}
  -h, --help           this help

Exit codes: 0 written (or already up to date), 2 bad arguments or input, 3 other signing scripts
left unresolved, 1 anything else.

Examples:
  node bin/dfns-signer.js inject "Dfns API.postman_collection.json"
  npm run inject -- my.postman_collection.json -o my.signed.postman_collection.json --replace-official
`;

/** What --add-status-check did, by InjectResult.statusCheck. */
const STATUS_CHECK_LINES = {
  added: 'added the status check as the collection-level test script: a request answered other than 2xx fails the run',
  replaced: "updated the collection-level status check to this version's",
  unchanged: 'the collection-level status check is up to date',
  'per-request': 'its requests carry the status check already: none added at collection level',
};

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
export async function run(argv) {
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
        'add-status-check': { type: 'boolean' },
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
  if (positionals.length !== 1)
    throw new UsageError(`expected one collection file, got ${positionals.length} (see: dfns-signer inject --help)`);
  if (values['in-place'] && values.output !== undefined) throw new UsageError('use either --in-place or --output, not both');
  if (values.output === '') throw new UsageError('--output needs a file name (or "-" for stdout)');

  const input = positionals[0];
  const toStdout = values.output === '-';
  const output = values['in-place'] ? input : toStdout ? '-' : (values.output ?? defaultOutput(input));
  const inPlace = !toStdout && samePath(input, output);
  if (!toStdout && existsSync(output) && statSync(output).isDirectory()) throw new UsageError(`${output} is a directory`);

  const bundle = readScript(values.script ? resolve(values.script) : BUNDLE_FILE);
  const { json, text } = readCollection(input);

  let replaceOthers = !!values['replace-official'];
  const addStatusCheck = !!values['add-status-check'];
  let result = injectCollection(json, bundle, { replaceOthers, addStatusCheck });
  if (result.conflicts.length && !values.force) {
    process.stderr.write(`dfns-signer inject: warning: ${input} has other scripts that sign Dfns requests (set X-DFNS-USERACTION):\n`);
    for (const c of result.conflicts) process.stderr.write(`  - ${c}\n`);
    process.stderr.write('  With them in place, requests would be signed twice or by the old script.\n');
    if (process.stdin.isTTY && process.stderr.isTTY && (await ask('Remove them and use dfns-signer instead? [y/N] '))) {
      replaceOthers = true;
      result = injectCollection(json, bundle, { replaceOthers, addStatusCheck });
    } else {
      throw new Stop('nothing written; re-run with --replace-official to remove them, or --force to keep them', 3);
    }
  } else if (result.conflicts.length) {
    process.stderr.write('dfns-signer inject: warning: kept (--force) other scripts that set X-DFNS-USERACTION:\n');
    for (const c of result.conflicts) process.stderr.write(`  - ${c}\n`);
  }

  for (const r of result.removed) process.stderr.write(`dfns-signer inject: removed ${r}\n`);
  if (result.statusCheck) process.stderr.write(`dfns-signer inject: ${STATUS_CHECK_LINES[result.statusCheck]}\n`);
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
