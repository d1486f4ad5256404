// Runs one collection through newman's node API in this (child) process and prints one JSON line:
// wall time of the run, this process's peak RSS, status codes of the main requests, console lines.
// argv: <runtime: newman | sandbox-6> <input.json {collection, env}>
// `sandbox-6`: newman on the Postman app's runtime (scripts/sandbox-6.cjs, which the tests' newman child uses too).
'use strict';
const fs = require('node:fs');

const [runtime, inputFile] = process.argv.slice(2);
if (runtime === 'sandbox-6') require('../scripts/sandbox-6.cjs')();

const newman = require('newman');
const runtimeVersion = require(runtime === 'sandbox-6' ? 'postman-runtime-next/package.json' : 'postman-runtime/package.json').version;
const input = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
/** @type {string[]} */
const consoleLines = [];
// Per item: when the pre-request script was dispatched and finished, and when the main request
// went out and came back (Date.now, the same clock as the emulator in the parent process).
/** @typedef {Partial<import('./stats.mjs').TimelineEntry>} Steps */
/** @type {Steps[]} */
const timeline = [];
/** @type {Steps | undefined} */
let current;
/** @type {Record<string, number>} */
const statuses = {};
let requestErrors = 0;
const rssBefore = process.resourceUsage().maxRSS;

/**
 * CPU time of this process's main thread, in ms (Linux, 10 ms ticks; null elsewhere): in newman 6.2 the
 * scripts run on it, so unlike the whole process's CPU it leaves out V8's compiler and GC helper threads.
 * @returns {number | null}
 */
function mainThreadCpuMs() {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
  } catch {
    return null;
  }
}
const mainThreadBefore = mainThreadCpuMs();
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
newman
  .run({
    collection: input.collection,
    envVar: Object.entries(input.env || {}).map(([key, value]) => ({ key, value })),
    reporters: [],
    timeoutRequest: 30000,
  })
  .on('console', (/** @type {unknown} */ _err, /** @type {{ messages: unknown[] }} */ args) =>
    consoleLines.push(args.messages.map(String).join(' ')),
  )
  .on('beforeItem', () => timeline.push((current = { beforeItem: Date.now() })))
  .on('beforePrerequest', () => current && (current.beforePrerequest = Date.now()))
  .on('prerequest', () => current && (current.prerequest = Date.now()))
  .on('beforeRequest', () => current && (current.beforeRequest = Date.now()))
  .on('item', () => current && (current.item = Date.now()))
  .on('request', (/** @type {unknown} */ err, /** @type {{ response?: { code: number } } | undefined} */ args) => {
    if (current && current.beforeRequest && !current.request) current.request = Date.now();
    if (err || !args || !args.response) requestErrors++;
    else statuses[args.response.code] = (statuses[args.response.code] || 0) + 1;
  })
  .on('done', (/** @type {unknown} */ err, /** @type {{ run: { failures: any[] } }} */ summary) => {
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpuBefore);
    const failures = summary.run.failures.map((f) => ({
      at: f.at,
      source: f.source && f.source.name,
      message: f.error && f.error.message,
    }));
    const report = {
      runError: err ? String(err) : undefined,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainThreadCpuMs: mainThreadBefore === null ? null : /** @type {number} */ (mainThreadCpuMs()) - mainThreadBefore,
      maxRssKiB: process.resourceUsage().maxRSS,
      rssBeforeRunKiB: rssBefore,
      statuses,
      requestErrors,
      failures,
      consoleLines,
      timeline: input.timeline ? timeline : undefined,
      runtime: runtimeVersion,
    };
    process.stdout.write(JSON.stringify(report) + '\n');
  });
