// What a bench run found: bench/results.json (schema 1), and the same as markdown tables on stdout
// (the README's benchmark tables are copied from these).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The goals the README states, and how this run did.
 * @typedef {object} Goals
 * @property {string} runtime the runtime the goals are read on (the first one measured)
 * @property {{ goal: number, value: number | null, met: boolean } | null} overheadPctOfWall null: --only ratios
 * @property {{ goal: number, value: number | null, met: boolean } | null} speedupOverOfficial
 * @property {{ goal: number, value: number, met: boolean }} bundleBytes
 * @property {{ vmCpu: number | null, sandbox: number | null | undefined } | null} rsa4096SignMs
 * @property {{ key: string, latencyMs: number, max: number | null, noWorseThanPrevious: boolean, met: boolean | null,
 *              value: number | null, previous: number | null }[] | null} floorRatios
 */

/**
 * bench/results.json.
 * @typedef {object} Results
 * @property {1} schema
 * @property {string} date ISO time of the start
 * @property {number | null} durationS
 * @property {{ start: (number | null)[], end: (number | null)[] }} loadAverage
 * @property {import('./machine.mjs').Machine} machine
 * @property {Pick<import('./options.mjs').Options, 'n' | 'officialN' | 'rounds' | 'algN' | 'vmReps' | 'runtimes' | 'algRuntimes' | 'smoke' | 'variants' | 'ratioN' | 'ratioRounds' | 'latencies'>} options
 * @property {import('./bundle-facts.mjs').BundleFacts} bundle
 * @property {import('./ratios.mjs').Ratios | null} ratios each key type against the floor, this bundle and the previous one
 * @property {Record<string, Record<string, import('./variants.mjs').VariantSummary>> | null} variants runtime → variant → medians and runs (null: --only ratios, as the next three)
 * @property {Record<string, import('./variants.mjs').Comparison> | null} comparison runtime → the signer against the floor and the official approach
 * @property {ReturnType<typeof import('./probes.mjs').parseCosts> | null} parse
 * @property {import('./algorithms.mjs').AlgorithmRow[] | null} algorithms
 * @property {Goals} goals
 * @property {boolean} completed every run made and answered every request as expected
 */

/** Writes the results as JSON. @param {string} file @param {Results} results */
export function writeResults(file, results) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}

/**
 * The human-readable report (markdown).
 * @param {Results} r
 */
export function report(r) {
  /** @type {string[]} */
  const L = [];
  const f = (/** @type {number | null | undefined} */ x, d = 1) =>
    x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(d);
  const signed = (/** @type {number | null | undefined} */ x, d = 2) =>
    x === null || x === undefined ? '–' : (x >= 0 ? '+' : '') + f(x, d);
  const m = r.machine;
  const rts = r.options.runtimes;
  L.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; newman ${m.newman} (postman-sandbox ${m.postmanSandbox['newman-6.2']}); "sandbox-6" = newman on postman-runtime ${m.postmanRuntime['sandbox-6']} (postman-sandbox ${m.postmanSandbox['sandbox-6']}, the Postman app's); ${r.date.slice(0, 10)}; load average ${r.loadAverage.start.join(' ')} at start, ${r.loadAverage.end.join(' ')} at end.`,
  );
  const { variants, comparison, parse, algorithms } = r;
  if (!variants || !comparison || !parse || !algorithms) {
    // --only ratios
    L.push('');
    if (r.ratios) ratioTable(L, r.ratios, f);
    return L.join('\n');
  }
  L.push(
    `Run: ${r.options.n} POST /wallets per newman run (official approach: ${r.options.officialN}), ${r.options.rounds} interleaved rounds (signer, floor, official, none), medians; loopback to the local emulator, which runs in the bench process.`,
  );
  L.push('');
  L.push(
    `Bundle dist/dfns-signer.js: ${r.bundle.bytes} bytes (${r.bundle.kib} KiB; budget ${r.bundle.budgetBytes / 1024} KiB ${r.bundle.withinBudget ? 'met' : 'NOT met'}), gzip ${r.bundle.gzipBytes}, brotli ${r.bundle.brotliBytes}${r.bundle.distMatchesSources === false ? '; NOTE: dist/ is not what the current sources build (run npm run build)' : ''}.`,
  );
  L.push('');
  if (r.ratios) ratioTable(L, r.ratios, f);
  L.push('| runtime | pre-request script | wall ms/request | vs floor | newman CPU ms/request | vs floor | newman peak RSS |');
  L.push('|---|---|---:|---:|---:|---:|---:|');
  /** @type {Record<string, string>} */
  const label = {
    ...Object.fromEntries(r.options.variants.map((x) => [x.name, `candidate ${x.name}`])),
    signer: 'this bundle',
    floor: 'floor: round trips only',
    official: 'official approach: jsrsasign 8 per request',
    none: 'none (unsigned)',
  };
  for (const runtime of rts) {
    const v = variants[runtime];
    for (const name of Object.keys(v)) {
      const x = v[name];
      const vs = (/** @type {number | null} */ a, /** @type {number | null} */ b) =>
        name === 'floor' ? '–' : signed(Number(a) - Number(b));
      L.push(
        `| ${runtime} | ${label[name]}${x.completed ? '' : ' (NOT completed)'} | ${f(x.medianMsPerRequest, 2)} | ${vs(x.medianMsPerRequest, v.floor.medianMsPerRequest)} | ${f(x.medianCpuMsPerRequest, 2)} | ${vs(x.medianCpuMsPerRequest, v.floor.medianCpuMsPerRequest)} | ${f(x.medianPeakRssMiB, 0)} MiB |`,
      );
    }
  }
  L.push('');
  L.push(
    '| runtime | overhead over floor, ms/request (% of signer wall) | same in newman CPU | speed-up over official (wall / CPU) | two extra round trips (floor − none) |',
  );
  L.push('|---|---:|---:|---:|---:|');
  for (const runtime of rts) {
    const c = comparison[runtime];
    L.push(
      `| ${runtime} | ${f(c.overheadOverFloorMsPerRequest, 2)} (${f(c.overheadOverFloorPctOfSignerWall)}%) | ${f(c.cpuOverheadOverFloorMsPerRequest, 2)} (${f(c.cpuOverheadOverFloorPctOfSignerCpu)}%) | ${f(c.speedupOverOfficial, 1)}× / ${f(c.cpuSpeedupOverOfficial, 1)}× | ${f(c.floorOverNoneMsPerRequest, 2)} ms |`,
    );
    for (const [name, x] of Object.entries(c.candidates || {}))
      L.push(
        `| ${runtime}, candidate ${name} | ${f(x.overheadOverFloorMsPerRequest, 2)} (${f(x.overheadOverFloorPctOfWall)}%) | ${f(x.cpuOverheadOverFloorMsPerRequest, 2)} | ${f(x.speedupOverOfficial, 1)}× | |`,
      );
  }
  L.push('');
  L.push("Where a request's time goes (ms, medians; from newman events and emulator answer times, Date.now resolution):");
  L.push('');
  L.push(
    '| runtime | script | script start → init answered | → complete answered | → script end | script total | → main answered | → item end | item total |',
  );
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const runtime of rts)
    for (const name of Object.keys(variants[runtime])) {
      const t = variants[runtime][name].timelineMs || {};
      L.push(
        `| ${runtime} | ${name} | ${f(t.scriptStartToInitAnswered)} | ${f(t.initToCompleteAnswered)} | ${f(t.completeAnsweredToScriptEnd)} | ${f(t.script)} | ${f(t.scriptEndToMainAnswered)} | ${f(t.mainAnsweredToItemEnd)} | ${f(t.item)} |`,
      );
    }
  for (const runtime of rts) {
    const ob = variants[runtime].official.officialBreakdownMs;
    if (ob)
      L.push(
        `\n${runtime}, official approach inside its script (ms): download ${f(ob.downloadMs)}, eval ${f(ob.evalMs)}, init ${f(ob.initMs)}, read key ${f(ob.readKeyMs)}, sign ${f(ob.signMs)}, complete ${f(ob.completeMs)}; total ${f(ob.totalMs)} (the signer logs ${f(variants[runtime].signer.inScriptMedianMs)} for its whole exchange).`,
      );
  }
  L.push('');
  L.push(
    'Cold cost by key type, per request (ms, medians). vm: a fresh node:vm context per sample, CPU time of the key code only (evaluate the key modules, read the PEM, sign). In newman: the same key code as a pre-request script, Date.now resolution. Bundle: this bundle end to end, signed POSTs: whole item (script + main request), and init answered → complete answered (signing + one round trip).',
  );
  L.push('');
  const ars = r.options.algRuntimes;
  L.push(
    `| key | vm: evaluate | vm: read key | vm: sign | ${ars.map((x) => `${x}: sign`).join(' | ')} | ${ars.map((x) => `${x}: bundle item (sign + round trip)`).join(' | ')} |`,
  );
  L.push(`|---|---:|---:|---:|${ars.map(() => '---:').join('|')}|${ars.map(() => '---:').join('|')}|`);
  for (const a of algorithms) {
    L.push(
      `| ${a.name} | ${f(a.vm.evaluateCpuMs, 2)} | ${f(a.vm.readKeyCpuMs, 2)} | ${f(a.vm.signCpuMs, 2)} | ${ars.map((x) => f(a.sandbox[x].signMs, 0) + (a.sandbox[x].completed ? '' : ' (!)')).join(' | ')} | ${ars.map((x) => `${f(a.bundle[x].itemMs, 0)} (${f(a.bundle[x].initToCompleteAnsweredMs, 0)})` + (a.bundle[x].completed ? '' : ' (!)')).join(' | ')} |`,
    );
  }
  L.push('');
  L.push(
    'Parse and evaluate in a fresh node:vm context (ms, medians; "evaluate" runs the top level only: no host, so the signer stops at once):',
  );
  L.push('');
  L.push('| script | bytes | compile, cold | compile, same text again | evaluate top level (CPU) |');
  L.push('|---|---:|---:|---:|---:|');
  for (const [name, p] of Object.entries(parse))
    L.push(`| ${name} | ${p.bytes} | ${f(p.compileColdCpuMs, 2)} | ${f(p.compileRepeatMs, 2)} | ${f(p.evaluateCpuMs, 2)} |`);
  if (r.bundle.metafile && 'byPackage' in r.bundle.metafile && r.bundle.metafile.byPackage) {
    L.push('');
    L.push(
      `Where the bytes go (esbuild metafile, minified bytes in output): ${r.bundle.metafile.byPackage.map((p) => `${p.name} ${p.bytes}`).join(', ')}.`,
    );
  }
  L.push('');
  return L.join('\n');
}

/**
 * The goals of issue 18: per key type and latency, the floor and each bundle's ratio to it.
 * @param {string[]} L @param {import('./ratios.mjs').Ratios} q @param {(x: number | null | undefined, d?: number) => string} f
 */
function ratioTable(L, q, f) {
  const prev = q.previous ? `previous bundle (${q.previous.label}, ${q.previous.bytes} bytes)` : 'no previous bundle';
  L.push(
    `Per signed POST, ${q.runtime}, ratio to the floor (the same round trips, no key, no crypto): medians of ${q.rounds} interleaved rounds of ${q.n} requests (wall time; in brackets also the CPU time of newman's main thread, which runs the scripts, against the floor's: steadier on a busy machine); the emulator holds every answer back by the latency shown. Beside this bundle: the ${prev}.`,
  );
  L.push('');
  L.push('| key | latency per answer | floor ms/request | previous: ms/request (ratio) | this bundle: ms/request (ratio) | goal | met |');
  L.push('|---|---:|---:|---:|---:|---|---|');
  for (const row of q.rows) {
    const v = row.variants;
    const cell = (/** @type {import('./ratios.mjs').RatioCell | undefined} */ c) =>
      c ? `${f(c.msPerRequest, 1)} (${f(c.ratio, 2)}×; CPU ${f(c.cpuRatio, 2)}×)${c.completed ? '' : ' (!)'}` : '–';
    const goal = row.goal.noWorseThanPrevious ? `no worse than previous (+${q.noWorseSlack})` : `≤ ${row.goal.max}×`;
    const met = row.goal.met === null ? '–' : row.goal.met ? 'yes' : 'no';
    L.push(
      `| ${row.key} | ${row.latencyMs ? `${row.latencyMs} ms` : 'loopback'} | ${f(v.floor.msPerRequest, 1)} | ${cell(v.previous)} | ${cell(v.bundle)} | ${goal} | ${met} |`,
    );
  }
  L.push('');
}
