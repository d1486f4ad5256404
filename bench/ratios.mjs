// The goals of issue 18: per signed POST, each key type's cost as a ratio to the floor (the same
// round trips, no key, no crypto), on loopback and with every answer held back as over a network,
// for this bundle and the previous one side by side in the same run. Rounds are interleaved (per
// round: every latency, every key, floor / previous / this bundle, in an order that rotates), and
// the ratio of a round is taken against the floor of the same round; medians over the rounds.
import { runNewman } from './runtimes.mjs';
import { median, round } from './stats.mjs';
import { postmanCollection, walletPosts } from './workload.mjs';

/** The key types the goals name, and what each must reach (a ratio to the floor, per latency in ms). */
const GOALS = [
  { key: 'P-256', max: { 0: 1.3, 25: 1.08 } },
  { key: 'secp256k1', max: { 0: 1.3, 25: 1.08 } },
  { key: 'Ed25519', max: { 0: 1.3, 25: 1.08 } },
  // RSA: no worse than the previous bundle (within the noise of one run: 0.05 of the floor).
  { key: 'RSA 2048', max: {} },
];
const NO_WORSE_SLACK = 0.05;

/**
 * @typedef {object} RatioVariant
 * @property {string} name 'floor' | 'previous' | 'bundle'
 * @property {string} script
 * @property {number} expect the main requests' status
 */

/**
 * @typedef {object} RatioCell medians over the rounds, per request
 * @property {number | null} msPerRequest wall
 * @property {number | null} cpuMsPerRequest newman's CPU: its main thread, where newman 6.2 runs the scripts (Linux), else the whole process
 * @property {number | null} ratio wall ratio to the floor of the same round
 * @property {number | null} cpuRatio the same in that CPU time
 * @property {(number | null)[]} ratios one per round
 * @property {boolean} completed every request made and answered as expected, in every round
 */

/**
 * @typedef {object} RatioRow
 * @property {string} key
 * @property {number} latencyMs
 * @property {Record<string, RatioCell>} variants floor, previous (when there is one), bundle
 * @property {{ max: number | null, noWorseThanPrevious: boolean, met: boolean | null }} goal
 */

/**
 * @param {import('./lab.mjs').Lab} lab
 * @param {import('./workload.mjs').BenchKey[]} keys
 * @param {{ bundle: string, floor: string, previous?: { label: string, text: string } }} scripts
 * @param {{ runtime: import('./options.mjs').Runtime, n: number, rounds: number, latencies: number[] }} o
 * @param {(...args: unknown[]) => void} log
 */
export async function runRatios(lab, keys, scripts, o, log) {
  /** @type {RatioVariant[]} */
  const list = [
    { name: 'floor', script: scripts.floor, expect: 403 },
    ...(scripts.previous ? [{ name: 'previous', script: scripts.previous.text, expect: 200 }] : []),
    { name: 'bundle', script: scripts.bundle, expect: 200 },
  ];
  const goalKeys = GOALS.map((g) => keys.find((k) => k.name === g.key)).filter((k) => k !== undefined);
  const inputs = new Map(
    goalKeys.flatMap((key) =>
      list.map((v) => [
        `${key.name}|${v.name}`,
        lab.inputs.write({ collection: postmanCollection(`ratio ${v.name}`, v.script, walletPosts(o.n)), env: lab.env(key) }),
      ]),
    ),
  );
  /** @type {Map<string, { ms: number, cpu: number, ok: boolean }[]>} */
  const samples = new Map();
  for (let r = 0; r < o.rounds; r++) {
    for (const latencyMs of o.latencies) {
      lab.emu.setLatency(latencyMs);
      for (const key of goalKeys) {
        // Rotate the order each round, so no variant always runs first (or right after another).
        const order = list.map((_, i) => list[(i + r) % list.length]);
        for (const v of order) {
          lab.reset();
          const report = await runNewman(o.runtime, /** @type {string} */ (inputs.get(`${key.name}|${v.name}`)));
          const main = lab.emu.mainRequests();
          const ok = !report.runError && report.failures.length === 0 && main.length === o.n && main.every((q) => q.status === v.expect);
          const sample = { ms: report.wallMs / o.n, cpu: (report.mainThreadCpuMs ?? report.cpuMs) / o.n, ok };
          const id = `${key.name}|${latencyMs}|${v.name}`;
          samples.set(id, [...(samples.get(id) || []), sample]);
          log(
            `ratios round ${r + 1}/${o.rounds} ${String(latencyMs).padStart(3)} ms ${key.name.padEnd(9)} ${v.name.padEnd(8)} ${sample.ms.toFixed(2).padStart(8)} ms/req  cpu ${sample.cpu.toFixed(2).padStart(7)}${ok ? '' : '  NOT OK ' + JSON.stringify({ runError: report.runError, failures: report.failures.slice(0, 2), statuses: report.statuses })}`,
          );
        }
      }
    }
  }
  lab.emu.setLatency(0);

  /** @type {RatioRow[]} */
  const rows = [];
  for (const latencyMs of o.latencies) {
    for (const key of goalKeys) {
      const floor = /** @type {{ ms: number, cpu: number, ok: boolean }[]} */ (samples.get(`${key.name}|${latencyMs}|floor`));
      /** @type {Record<string, RatioCell>} */
      const variants = {};
      for (const v of list) {
        const s = /** @type {{ ms: number, cpu: number, ok: boolean }[]} */ (samples.get(`${key.name}|${latencyMs}|${v.name}`));
        const ratios = s.map((x, i) => round(x.ms / floor[i].ms, 3));
        variants[v.name] = {
          msPerRequest: round(median(s.map((x) => x.ms)), 2),
          cpuMsPerRequest: round(median(s.map((x) => x.cpu)), 2),
          ratio: round(median(ratios), 3),
          cpuRatio: round(median(s.map((x, i) => x.cpu / floor[i].cpu)), 3),
          ratios,
          completed: s.every((x) => x.ok),
        };
      }
      const g = /** @type {{ key: string, max: Record<number, number> }} */ (GOALS.find((x) => x.key === key.name));
      const max = g.max[latencyMs] ?? null;
      const mine = variants.bundle.ratio;
      const before = variants.previous ? variants.previous.ratio : null;
      const noWorse = max === null;
      const met = mine === null ? null : noWorse ? (before === null ? null : mine <= before + NO_WORSE_SLACK) : mine <= max;
      rows.push({ key: key.name, latencyMs, variants, goal: { max, noWorseThanPrevious: noWorse, met } });
    }
  }
  return {
    runtime: o.runtime,
    n: o.n,
    rounds: o.rounds,
    latencies: o.latencies,
    previous: scripts.previous ? { label: scripts.previous.label, bytes: Buffer.byteLength(scripts.previous.text) } : null,
    noWorseSlack: NO_WORSE_SLACK,
    rows,
    completed: rows.every((row) => Object.values(row.variants).every((c) => c.completed)),
  };
}
/** @typedef {Awaited<ReturnType<typeof runRatios>>} Ratios */
