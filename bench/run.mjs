#!/usr/bin/env node
// `npm run bench`: what the signer costs per request, measured side by side in one run, on loopback
// against the local Dfns emulator (in this process), with newman in child processes.
//
//   signer   dist/dfns-signer.js as the collection's pre-request script
//   floor    bench/floor.js: the same two extra round trips, no key parsing, no crypto
//   official bench/official.js: the official script's approach (download jsrsasign 8.0.20 from a
//            local stand-in for the CDN at every request, eval it, sign with its ECDSA)
//   none     no pre-request script at all (unsigned; what newman itself costs per request)
//
// Runs are interleaved (signer floor official none, signer floor official none, ...), medians are
// reported. First, the goals of issue 18: per key type (P-256, secp256k1, Ed25519, RSA 2048) the cost
// of a signed POST as a ratio to the floor, on loopback and with the emulator holding every answer back
// 25 ms, for this bundle and the previous one (main's dist/dfns-signer.js, or the last committed one that
// differs, or --baseline FILE) in the same interleaved rounds. Then: cold per-algorithm signing cost in
// fresh node:vm contexts and inside the newman sandbox, each algorithm end to end through the bundle, and
// the time to parse/evaluate the bundle.
//
// node bench/run.mjs [--n 100] [--official-n 50] [--rounds 3] [--alg-n 20] [--vm-reps 25] [--runtimes newman-6.2,sandbox-6]
//                    [--json bench/results.json] [--smoke] [--quiet] [--skip-algorithms]
//                    [--variant name=candidate.js ...] [--floor-variant name=script.js ...]
//                    [--baseline FILE|none] [--ratio-n 30] [--ratio-rounds 5] [--latencies 0,25] [--skip-ratios]
//                    [--only ratios]
// --variant adds a candidate build to the interleaving (A/B a change to src/ before committing it);
// --floor-variant adds an unsigned script (e.g. the floor plus the bundle's top level).
// --only ratios runs the floor ratios (phase 0) alone, about 8 minutes on 2 cores: the issue 18 goals, for trying
// a change; results.json is written only with --json then.
//
// The phases, one module each:
//   options.mjs        the command line
//   machine.mjs        what it ran on
//   bundle-facts.mjs   the bundle's bytes and where they go
//   lab.mjs            the emulator, the stand-in CDN (cdn.mjs) and the newman inputs
//   previous.mjs       the previous bundle
//   ratios.mjs         0. the floor ratios per key type and latency, this bundle and the previous one
//   variants.mjs       1. the interleaved runs per variant, newman run as runtimes.mjs says
//   probes.mjs         2. parse/evaluate cost in fresh node:vm contexts; the per-key probes
//   algorithms.mjs     3. per key type: the probes in vm and in the sandbox, the bundle end to end
//   report.mjs         results.json and the markdown tables
//   stats.mjs          medians, rounding, clocks, where a request's time goes
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUDGET, BUNDLE_FILE } from '../scripts/bundle.mjs';
import { runAlgorithms } from './algorithms.mjs';
import { bundleFacts } from './bundle-facts.mjs';
import { JSRSASIGN_FILE } from './cdn.mjs';
import { startLab } from './lab.mjs';
import { machine } from './machine.mjs';
import { parseOptions } from './options.mjs';
import { previousBundle } from './previous.mjs';
import { parseCosts } from './probes.mjs';
import { runRatios } from './ratios.mjs';
import { report, writeResults } from './report.mjs';
import { round } from './stats.mjs';
import { compareVariants, runVariants, variantList } from './variants.mjs';
import { keySet } from './workload.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const opts = parseOptions(process.argv.slice(2));
/** Progress on stderr, unless --quiet. @param {unknown[]} a */
const log = (...a) => {
  if (!opts.quiet) console.error(...a);
};

async function main() {
  const started = Date.now();
  const loadStart = os.loadavg().map((x) => round(x, 2));
  const info = machine();
  log(`dfns-signer bench on ${info.cpu} (${info.cores} cores), node ${info.node}, newman ${info.newman}`);
  log(
    `options: n=${opts.n} official-n=${opts.officialN} rounds=${opts.rounds} alg-n=${opts.algN} vm-reps=${opts.vmReps} runtimes=${opts.runtimes.join(',')}${opts.smoke ? ' (smoke)' : ''}`,
  );

  const bundleText = readFileSync(BUNDLE_FILE, 'utf8');
  const floorText = readFileSync(join(here, 'floor.js'), 'utf8');
  const officialText = readFileSync(join(here, 'official.js'), 'utf8');
  const bundle = await bundleFacts(bundleText);
  log(
    `bundle: ${bundle.bytes} bytes (${bundle.kib} KiB), gzip ${bundle.gzipBytes}, budget ${BUDGET}: ${bundle.withinBudget ? 'within' : 'OVER'}`,
  );

  const previous = previousBundle(opts.baseline, bundleText);
  log(`previous bundle: ${previous ? `${previous.label}, ${Buffer.byteLength(previous.text)} bytes` : 'none'}`);

  const keys = keySet(opts.smoke);
  const lab = await startLab(keys);

  // ---- 0. the goals: each key type's cost as a ratio to the floor, loopback and with latency, previous bundle beside
  const ratios = opts.skipRatios
    ? null
    : await runRatios(
        lab,
        keys,
        { bundle: bundleText, floor: floorText, previous },
        { runtime: opts.runtimes[0], n: opts.ratioN, rounds: opts.ratioRounds, latencies: opts.latencies },
        log,
      );

  // ---- 1.–3. the rest, unless --only ratios
  const rest = opts.onlyRatios ? null : await otherPhases(lab, keys, { bundleText, floorText, officialText, bytes: bundle.bytes });
  await lab.close();

  const first = opts.runtimes[0];
  const c = rest ? rest.comparison[first] : null;
  const rsa4096 = rest ? rest.algorithms.find((a) => a.name === 'RSA 4096') : undefined;
  /** @type {import('./report.mjs').Results} */
  const results = {
    schema: 1,
    date: new Date(started).toISOString(),
    durationS: round((Date.now() - started) / 1000, 1),
    loadAverage: { start: loadStart, end: os.loadavg().map((x) => round(x, 2)) },
    machine: info,
    options: {
      n: opts.n,
      officialN: opts.officialN,
      rounds: opts.rounds,
      algN: opts.algN,
      vmReps: opts.vmReps,
      runtimes: opts.runtimes,
      algRuntimes: opts.algRuntimes,
      smoke: opts.smoke,
      variants: opts.variants,
      ratioN: opts.ratioN,
      ratioRounds: opts.ratioRounds,
      latencies: opts.latencies,
    },
    bundle,
    ratios,
    variants: rest ? rest.variants : null,
    comparison: rest ? rest.comparison : null,
    parse: rest ? rest.parse : null,
    algorithms: rest ? rest.algorithms : null,
    goals: {
      runtime: first,
      overheadPctOfWall: c
        ? { goal: 15, value: c.overheadOverFloorPctOfSignerWall, met: Number(c.overheadOverFloorPctOfSignerWall) <= 15 }
        : null,
      speedupOverOfficial: c ? { goal: 3, value: c.speedupOverOfficial, met: Number(c.speedupOverOfficial) >= 3 } : null,
      bundleBytes: { goal: BUDGET, value: bundle.bytes, met: bundle.withinBudget },
      floorRatios: ratios
        ? ratios.rows.map((row) => ({
            key: row.key,
            latencyMs: row.latencyMs,
            ...row.goal,
            value: row.variants.bundle.ratio,
            previous: row.variants.previous?.ratio ?? null,
          }))
        : null,
      rsa4096SignMs: rsa4096 ? { vmCpu: rsa4096.vm.signCpuMs, sandbox: rsa4096.sandbox[first]?.signMs } : null,
    },
    completed: (!ratios || ratios.completed) && (!rest || rest.completed),
  };

  process.stdout.write(report(results));
  if (opts.json) {
    writeResults(opts.json, results);
    log(`results: ${opts.json}`);
  }
  if (!results.completed) {
    console.error('bench: some runs did not complete as expected (see "ok"/"completed" in the results)');
    process.exitCode = 1;
  }
}

/**
 * Phases 1–3: the interleaved runs (signer, floor, official, none), the parse cost, the per-key runs.
 * @param {import('./lab.mjs').Lab} lab
 * @param {import('./workload.mjs').BenchKey[]} keys
 * @param {{ bundleText: string, floorText: string, officialText: string, bytes: number }} s
 */
async function otherPhases(lab, keys, { bundleText, floorText, officialText, bytes }) {
  // ---- 1. interleaved runs: signer, floor, official, none (signing with P-256)
  const variantsRun = variantList({ bundle: bundleText, floor: floorText, official: officialText }, opts);
  const runs = await runVariants(lab, variantsRun, keys[0], opts, log);
  const { variants, comparison } = compareVariants(runs, variantsRun, opts);

  // ---- 2. parse / evaluate cost of each script in fresh node:vm contexts (no pm: the bundle finds no host and stops)
  log('parse/evaluate in fresh vm contexts ...');
  const parse = parseCosts(
    {
      signer: { text: bundleText, bytes },
      floor: { text: floorText, bytes: Buffer.byteLength(floorText) },
      jsrsasign: { text: readFileSync(JSRSASIGN_FILE, 'utf8'), bytes: lab.cdn.bytes },
    },
    Math.max(opts.vmReps, 3),
  );

  // ---- 3. per-algorithm: cold sign in vm, sign inside the sandbox, and the bundle end to end
  const algorithms = await runAlgorithms(lab, keys, bundleText, opts, log);

  const completed =
    opts.runtimes.every((r) => variantsRun.every((v) => variants[r][v.name].completed)) &&
    algorithms.every((a) => opts.algRuntimes.every((r) => a.sandbox[r].completed && a.bundle[r].completed));
  return { variants, comparison, parse, algorithms, completed };
}

await main();
