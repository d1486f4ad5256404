// The command line of bench/run.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runtimes a newman run can use: newman 6.2 as installed, and newman on the Postman app's runtime. */
const RUNTIMES = /** @type {const} */ (['newman-6.2', 'sandbox-6']);
/** @typedef {typeof RUNTIMES[number]} Runtime */

/** Where a full default run writes its results. */
const RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'results.json');

const USAGE =
  'node bench/run.mjs [--n 100] [--official-n 50] [--rounds 3] [--alg-n 20] [--vm-reps 25] [--runtimes newman-6.2,sandbox-6] [--json FILE] [--smoke] [--quiet] [--skip-algorithms] [--variant name=candidate.js ...] [--floor-variant name=script.js ...] [--baseline FILE|none] [--ratio-n 30] [--ratio-rounds 5] [--latencies 0,25] [--skip-ratios] [--only ratios]';

/**
 * A script to add to the interleaving: a candidate build of the signer, or (`unsigned`) a script
 * like the floor whose main requests get 403.
 * @typedef {{ name: string, file: string, unsigned?: boolean }} ExtraVariant
 */

/**
 * @typedef {object} Options
 * @property {number} n POST /wallets per newman run
 * @property {number} officialN the same for the official approach (slow)
 * @property {number} rounds interleaved rounds
 * @property {number} algN requests per newman run in the per-key runs
 * @property {number} vmReps fresh node:vm contexts per measurement
 * @property {Runtime[]} runtimes
 * @property {Runtime[]} algRuntimes the runtimes of the per-key runs
 * @property {string | undefined} json where to write the results as JSON
 * @property {boolean} smoke
 * @property {boolean} quiet
 * @property {ExtraVariant[]} variants
 * @property {boolean} skipAlgorithms
 * @property {string | undefined} baseline the previous bundle to compare with: a file, 'none', or (undefined) main's
 *   dist/dfns-signer.js, or the last committed one, whichever first differs from the current one (bench/previous.mjs)
 * @property {number} ratioN POST /wallets per newman run in the floor-ratio runs
 * @property {number} ratioRounds their interleaved rounds
 * @property {number[]} latencies how long the emulator holds back every answer in the floor-ratio runs, ms
 * @property {boolean} skipRatios
 * @property {boolean} onlyRatios --only ratios: the floor ratios alone (about 8 minutes on 2 cores), no other phase
 */

/**
 * @param {string[]} argv the arguments after the script name
 * @returns {Options}
 */
export function parseOptions(argv) {
  const o = {
    n: 100,
    /** @type {number | undefined} */ officialN: undefined,
    rounds: 3,
    algN: 20,
    vmReps: 25,
    /** @type {string[]} */ runtimes: [...RUNTIMES],
    /** @type {string | undefined} */ json: undefined,
    smoke: false,
    quiet: false,
    /** @type {ExtraVariant[]} */ variants: [],
    skipAlgorithms: false,
    /** @type {string | undefined} */ baseline: undefined,
    ratioN: 30,
    ratioRounds: 5,
    latencies: [0, 25],
    skipRatios: false,
    onlyRatios: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--n') o.n = Number(value());
    else if (a === '--official-n') o.officialN = Number(value());
    else if (a === '--rounds') o.rounds = Number(value());
    else if (a === '--alg-n') o.algN = Number(value());
    else if (a === '--vm-reps') o.vmReps = Number(value());
    else if (a === '--runtimes') o.runtimes = value().split(',');
    else if (a === '--json') o.json = value();
    else if (a === '--smoke') o.smoke = true;
    else if (a === '--variant') {
      // --variant name=path/to/candidate.js: one more signed variant in the interleaving (A/B a build).
      const [name, ...file] = value().split('=');
      o.variants.push({ name, file: file.join('=') });
    } else if (a === '--floor-variant') {
      // --floor-variant name=path/to/script.js: one more unsigned variant (like the floor: main requests get 403).
      const [name, ...file] = value().split('=');
      o.variants.push({ name, file: file.join('='), unsigned: true });
    } else if (a === '--skip-algorithms') o.skipAlgorithms = true;
    else if (a === '--baseline') o.baseline = value();
    else if (a === '--ratio-n') o.ratioN = Number(value());
    else if (a === '--ratio-rounds') o.ratioRounds = Number(value());
    else if (a === '--latencies') o.latencies = value().split(',').map(Number);
    else if (a === '--skip-ratios') o.skipRatios = true;
    else if (a === '--only') {
      const phase = value();
      if (phase !== 'ratios') throw new Error(`--only takes one phase, ratios; got "${phase}"`);
      o.onlyRatios = true;
    } else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  // Smoke: every code path once, quickly (CI proves the bench still works; it asserts no timings).
  if (o.smoke) Object.assign(o, { n: 3, officialN: 3, rounds: 1, algN: 2, vmReps: 2, ratioN: 2, ratioRounds: 1 });
  // The official approach costs about a second per request: by default it runs 50 requests per run
  // (its ms/request is stable; the first request's start-up is a few % of it), so a full bench stays
  // within about 10 minutes.
  const officialN = o.officialN ?? Math.min(o.n, 50);
  // A full default run refreshes bench/results.json; smoke runs and experiments write JSON only when asked.
  const json =
    !o.smoke && !o.variants.length && !o.skipAlgorithms && !o.skipRatios && !o.onlyRatios && o.json === undefined ? RESULTS_FILE : o.json;
  const runtimes = o.runtimes.map((r) => {
    if (!isRuntime(r)) throw new Error(`unknown runtime ${r}`);
    return r;
  });
  if (!(o.n >= 1 && officialN >= 1 && o.rounds >= 1 && o.algN >= 1 && o.vmReps >= 1 && o.ratioN >= 1 && o.ratioRounds >= 1))
    throw new Error('--n, --official-n, --rounds, --alg-n, --vm-reps, --ratio-n, --ratio-rounds must be >= 1');
  if (o.onlyRatios && o.skipRatios) throw new Error('--only ratios and --skip-ratios leave nothing to run');
  if (!o.latencies.length || !o.latencies.every((ms) => Number.isFinite(ms) && ms >= 0))
    throw new Error('--latencies must be milliseconds, 0 or more, separated by commas');
  return { ...o, officialN, runtimes, algRuntimes: o.smoke ? runtimes.slice(0, 1) : runtimes, json };
}

/** @param {string} name @returns {name is Runtime} */
const isRuntime = (name) => /** @type {readonly string[]} */ (RUNTIMES).includes(name);
