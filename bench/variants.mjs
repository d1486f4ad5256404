// The interleaved runs: each variant's pre-request script on the same N POST /wallets, round after
// round (signer floor official none, signer floor official none, ...), and what they cost per request.
import { readFileSync } from 'node:fs';
import { runNewman } from './runtimes.mjs';
import { median, medianOfObjects, officialBreakdown, round, timelineSegments } from './stats.mjs';
import { postmanCollection, walletPosts } from './workload.mjs';

/**
 * A pre-request script in the interleaving, and what its main requests must be answered.
 * @typedef {{ name: string, script: string, expect: number, signer?: boolean, n: number }} Variant
 */

/**
 * signer, floor, official, none, then the --variant / --floor-variant scripts.
 * @param {{ bundle: string, floor: string, official: string }} scripts
 * @param {import('./options.mjs').Options} opts
 * @returns {Variant[]}
 */
export function variantList(scripts, opts) {
  const list = [
    { name: 'signer', script: scripts.bundle, expect: 200, signer: true },
    { name: 'floor', script: scripts.floor, expect: 403 },
    { name: 'official', script: scripts.official, expect: 200 },
    { name: 'none', script: '', expect: 401 },
    ...opts.variants.map((v) => ({
      name: v.name,
      script: readFileSync(v.file, 'utf8'),
      expect: v.unsigned ? 403 : 200,
      signer: !v.unsigned,
    })),
  ];
  return list.map((v) => ({ ...v, n: v.name === 'official' ? opts.officialN : opts.n }));
}

/**
 * One newman run of one variant.
 * @typedef {object} VariantRun
 * @property {number} round
 * @property {number} requests
 * @property {number | null} wallMs
 * @property {number | null} msPerRequest
 * @property {number | null} cpuMsPerRequest newman's (the child's) CPU time
 * @property {number | null} serverCpuMsPerRequest this process's: the emulator and the CDN
 * @property {number | null} processMs
 * @property {number} maxRssKiB
 * @property {Record<string, number>} statuses
 * @property {{ init: number, complete: number, main: number, cdn: number }} roundTrips
 * @property {number | null} [inScriptMedianMs] the signer's own "signed … in N ms", median
 * @property {ReturnType<typeof officialBreakdown>} [official]
 * @property {import('./stats.mjs').Segments} [timelineMs]
 * @property {boolean} ok every request made and answered as expected
 * @property {object} [problem] why not ok
 */

/**
 * The interleaved rounds, every variant on every runtime, signing with `key`.
 * @param {import('./lab.mjs').Lab} lab
 * @param {Variant[]} list from variantList
 * @param {import('./workload.mjs').BenchKey} key
 * @param {import('./options.mjs').Options} opts
 * @param {(...args: unknown[]) => void} log
 * @returns {Promise<Record<string, Record<string, VariantRun[]>>>} runtime → variant → runs
 */
export async function runVariants(lab, list, key, opts, log) {
  const { emu, cdn, answers } = lab;
  const inputs = Object.fromEntries(
    list.map((v) => [
      v.name,
      lab.inputs.write({ collection: postmanCollection(`bench ${v.name}`, v.script, walletPosts(v.n)), env: lab.env(key), timeline: true }),
    ]),
  );
  /** @type {Record<string, Record<string, VariantRun[]>>} */
  const runs = Object.fromEntries(opts.runtimes.map((r) => [r, Object.fromEntries(list.map((v) => [v.name, []]))]));
  for (let r = 1; r <= opts.rounds; r++) {
    for (const runtime of opts.runtimes) {
      for (const v of list) {
        lab.reset();
        const cpu0 = process.cpuUsage();
        const report = await runNewman(runtime, inputs[v.name]);
        const serverCpu = process.cpuUsage(cpu0);
        const paths = emu.requests.map((q) => q.path);
        const count = (/** @type {string} */ p) => paths.filter((x) => x === p).length;
        const signedLines = report.consoleLines.filter((l) => /^Dfns signer: signed /.test(l));
        const inScript = signedLines.map((l) => Number(/ in (\d+) ms$/.exec(l)?.[1]));
        const main = emu.mainRequests();
        const expectedExtra = v.name === 'none' ? 0 : v.n;
        const ok =
          !report.runError &&
          report.failures.length === 0 &&
          report.requestErrors === 0 &&
          main.length === v.n &&
          main.every((q) => q.status === v.expect) &&
          count('/auth/action/init') === expectedExtra &&
          count('/auth/action') === expectedExtra &&
          cdn.hits() === (v.name === 'official' ? v.n : 0) &&
          (!v.signer || signedLines.length === v.n);
        /** @type {VariantRun} */
        const row = {
          round: r,
          requests: v.n,
          wallMs: round(report.wallMs, 1),
          msPerRequest: round(report.wallMs / v.n, 3),
          cpuMsPerRequest: round(report.cpuMs / v.n, 3),
          serverCpuMsPerRequest: round((serverCpu.user + serverCpu.system) / 1000 / v.n, 3),
          processMs: round(report.processMs, 1),
          maxRssKiB: report.maxRssKiB,
          statuses: report.statuses,
          roundTrips: { init: count('/auth/action/init'), complete: count('/auth/action'), main: main.length, cdn: cdn.hits() },
          inScriptMedianMs: inScript.length ? median(inScript) : undefined,
          official: v.name === 'official' ? officialBreakdown(report.consoleLines) : undefined,
          timelineMs: timelineSegments(report.timeline, answers),
          ok,
        };
        if (!ok)
          row.problem = {
            runError: report.runError,
            failures: report.failures.slice(0, 3),
            requestErrors: report.requestErrors,
            console: report.consoleLines.slice(0, 5),
          };
        runs[runtime][v.name].push(row);
        log(
          `round ${r}/${opts.rounds} ${runtime.padEnd(10)} ${v.name.padEnd(8)} ${String(row.wallMs).padStart(9)} ms  ${String(row.msPerRequest).padStart(7)} ms/req  cpu ${String(row.cpuMsPerRequest).padStart(7)} ms/req  server ${String(row.serverCpuMsPerRequest).padStart(6)}  rss ${(row.maxRssKiB / 1024).toFixed(0)} MiB ${ok ? '' : ' NOT OK ' + JSON.stringify(row.problem)}`,
        );
      }
    }
  }
  return runs;
}

/**
 * Medians of one variant's runs.
 * @param {Variant} v
 * @param {VariantRun[]} rs
 */
function summary(v, rs) {
  return {
    completed: rs.every((x) => x.ok),
    medianWallMs: round(median(rs.map((x) => x.wallMs)), 1),
    medianMsPerRequest: round(median(rs.map((x) => x.msPerRequest)), 3),
    minMsPerRequest: round(Math.min(...rs.map((x) => /** @type {number} */ (x.msPerRequest))), 3),
    maxMsPerRequest: round(Math.max(...rs.map((x) => /** @type {number} */ (x.msPerRequest))), 3),
    medianCpuMsPerRequest: round(median(rs.map((x) => x.cpuMsPerRequest)), 3),
    medianServerCpuMsPerRequest: round(median(rs.map((x) => x.serverCpuMsPerRequest)), 3),
    medianPeakRssMiB: round(median(rs.map((x) => x.maxRssKiB / 1024)), 1),
    officialBreakdownMs: v.name === 'official' ? medianOfObjects(rs.map((x) => x.official)) : undefined,
    timelineMs: medianOfObjects(rs.map((x) => x.timelineMs)),
    inScriptMedianMs: v.signer ? median(rs.map((x) => x.inScriptMedianMs)) : undefined,
    runs: rs,
  };
}
/** @typedef {ReturnType<typeof summary>} VariantSummary */

/**
 * Per runtime: each variant's medians, and the signer (and each candidate) against the floor and the official approach.
 * @param {Record<string, Record<string, VariantRun[]>>} runs from runVariants
 * @param {Variant[]} list
 * @param {import('./options.mjs').Options} opts
 */
export function compareVariants(runs, list, opts) {
  /** @type {Record<string, Record<string, VariantSummary>>} */
  const variants = {};
  /** @type {Record<string, Comparison>} */
  const comparison = {};
  for (const runtime of opts.runtimes) {
    variants[runtime] = {};
    for (const v of list) variants[runtime][v.name] = summary(v, runs[runtime][v.name]);
    comparison[runtime] = compare(variants[runtime], opts);
  }
  return { variants, comparison };
}

/**
 * Per-request medians (the official approach may run fewer requests per run than the others).
 * The medians are numbers: every run reports its wall and CPU time.
 * @param {Record<string, VariantSummary>} v one runtime's summaries
 * @param {import('./options.mjs').Options} opts
 */
function compare(v, opts) {
  const m = (/** @type {string} */ name) => /** @type {number} */ (v[name].medianMsPerRequest);
  const c = (/** @type {string} */ name) => /** @type {number} */ (v[name].medianCpuMsPerRequest);
  const overhead = m('signer') - m('floor');
  return {
    overheadOverFloorMsPerRequest: round(overhead, 3),
    overheadOverFloorPctOfSignerWall: round((100 * overhead) / m('signer'), 1),
    overheadOverFloorPctOfFloorWall: round((100 * overhead) / m('floor'), 1),
    speedupOverOfficial: round(m('official') / m('signer'), 2),
    cpuOverheadOverFloorMsPerRequest: round(c('signer') - c('floor'), 3),
    cpuOverheadOverFloorPctOfSignerCpu: round((100 * (c('signer') - c('floor'))) / c('signer'), 1),
    cpuSpeedupOverOfficial: round(c('official') / c('signer'), 2),
    floorOverNoneMsPerRequest: round(m('floor') - m('none'), 3),
    candidates: Object.fromEntries(
      opts.variants.map((x) => [
        x.name,
        {
          overheadOverFloorMsPerRequest: round(m(x.name) - m('floor'), 3),
          overheadOverFloorPctOfWall: round((100 * (m(x.name) - m('floor'))) / m(x.name), 1),
          cpuOverheadOverFloorMsPerRequest: round(c(x.name) - c('floor'), 3),
          speedupOverOfficial: round(m('official') / m(x.name), 2),
        },
      ]),
    ),
    signerPeakRssOverFloorMiB: round(
      /** @type {number} */ (v.signer.medianPeakRssMiB) - /** @type {number} */ (v.floor.medianPeakRssMiB),
      1,
    ),
  };
}
/** @typedef {ReturnType<typeof compare>} Comparison */
