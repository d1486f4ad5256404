// Per key type: the cold signing cost in fresh node:vm contexts and inside the newman sandbox (the
// probes), and the bundle end to end signing with that key.
import { probeBundle, probeLines, probeScript, vmSigning } from './probes.mjs';
import { runNewman } from './runtimes.mjs';
import { median, round, timelineSegments } from './stats.mjs';
import { postmanCollection, walletPosts } from './workload.mjs';

/**
 * @typedef {object} AlgorithmRow
 * @property {string} name
 * @property {ReturnType<typeof vmSigning>} vm
 * @property {Record<string, { completed: boolean, evaluateMs: number | null, readKeyMs: number | null, signMs: number | null, firstSignMs: number | null, samples: number }>} sandbox per runtime: the probe as a pre-request script
 * @property {Record<string, { completed: boolean, wallMsPerRequest: number | null, itemMs?: number | null, scriptMs?: number | null, initToCompleteAnsweredMs?: number | null, inScriptMedianMs: number | null }>} bundle per runtime: the bundle signing with this key
 */

/**
 * @param {import('./lab.mjs').Lab} lab
 * @param {import('./workload.mjs').BenchKey[]} keys
 * @param {string} bundleText the signer, as in dist/
 * @param {import('./options.mjs').Options} opts
 * @param {(...args: unknown[]) => void} log
 * @returns {Promise<AlgorithmRow[]>}
 */
export async function runAlgorithms(lab, keys, bundleText, opts, log) {
  const { emu, answers } = lab;
  const probe = await probeBundle();
  const probeInput = (/** @type {import('./workload.mjs').BenchKey} */ key) =>
    lab.inputs.write({ collection: postmanCollection('probe', probeScript(probe), walletPosts(opts.algN)), env: lab.env(key) });
  /** @type {AlgorithmRow[]} */
  const algorithms = [];
  for (const key of opts.skipAlgorithms ? [] : keys) {
    log(`algorithm ${key.name} ...`);
    /** @type {AlgorithmRow} */
    const row = {
      name: key.name,
      vm: vmSigning(probe, key, key.name === 'RSA 4096' ? Math.min(opts.vmReps, 10) : opts.vmReps),
      sandbox: {},
      bundle: {},
    };
    for (const runtime of opts.algRuntimes) {
      const report = await runNewman(runtime, probeInput(key));
      const probes = probeLines(report.consoleLines);
      row.sandbox[runtime] = {
        completed: probes.length === opts.algN && report.failures.length === 0,
        evaluateMs: median(probes.map((p) => p.evaluateMs)),
        readKeyMs: median(probes.map((p) => p.readMs)),
        signMs: median(probes.map((p) => p.signMs)),
        firstSignMs: probes[0] ? probes[0].signMs : null,
        samples: probes.length,
      };
      lab.reset();
      const full = await runNewman(
        runtime,
        lab.inputs.write({ collection: postmanCollection('alg', bundleText, walletPosts(opts.algN)), env: lab.env(key), timeline: true }),
      );
      const main = emu.mainRequests();
      const lines = full.consoleLines.filter((l) => /^Dfns signer: signed /.test(l));
      const t = timelineSegments(full.timeline, answers) || {};
      row.bundle[runtime] = {
        completed:
          full.failures.length === 0 &&
          main.length === opts.algN &&
          main.every((q) => q.status === 200) &&
          lines.length === opts.algN &&
          lines.every((l) => l.includes(`(${row.vm.algorithm})`)),
        wallMsPerRequest: round(full.wallMs / opts.algN, 2),
        itemMs: t.item,
        scriptMs: t.script,
        initToCompleteAnsweredMs: t.initToCompleteAnswered,
        inScriptMedianMs: median(lines.map((l) => Number(/ in (\d+) ms$/.exec(l)?.[1]))),
      };
    }
    algorithms.push(row);
  }
  return algorithms;
}
