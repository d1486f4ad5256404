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
// reported. Then: cold per-algorithm signing cost in fresh node:vm contexts and inside the newman
// sandbox, each algorithm end to end through the bundle, and the time to parse/evaluate the bundle.
//
// node bench/run.mjs [--n 100] [--official-n 50] [--rounds 3] [--alg-n 20] [--vm-reps 25] [--runtimes newman-6.2,sandbox-6]
//                    [--json bench/results.json] [--smoke] [--quiet] [--skip-algorithms]
//                    [--variant name=candidate.js ...] [--floor-variant name=script.js ...]
// --variant adds a candidate build to the interleaving (A/B a change to src/ before committing it);
// --floor-variant adds an unsigned script (e.g. the floor plus the bundle's top level).
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { build } from 'esbuild';
import { bundle, SCRIPT_OPTIONS } from '../scripts/build.mjs';
import { startEmulator } from '../emulator/emulator.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = (await import('node:module')).createRequire(import.meta.url);

// ------------------------------------------------------------------ options
function parseArgs(argv) {
  const o = { n: 100, officialN: undefined, rounds: 3, algN: 20, vmReps: 25, runtimes: ['newman-6.2', 'sandbox-6'], json: undefined, smoke: false, quiet: false, variants: [], skipAlgorithms: false };
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
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log('node bench/run.mjs [--n 100] [--official-n 50] [--rounds 3] [--alg-n 20] [--vm-reps 25] [--runtimes newman-6.2,sandbox-6] [--json FILE] [--smoke] [--quiet] [--skip-algorithms] [--variant name=candidate.js ...] [--floor-variant name=script.js ...]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  // Smoke: every code path once, quickly (CI proves the bench still works; it asserts no timings).
  if (o.smoke) Object.assign(o, { n: 3, officialN: 3, rounds: 1, algN: 2, vmReps: 2 });
  // The official approach costs about a second per request: by default it runs 50 requests per run
  // (its ms/request is stable; the first request's start-up is a few % of it), so a full bench stays
  // within about 10 minutes.
  if (o.officialN === undefined) o.officialN = Math.min(o.n, 50);
  o.algRuntimes = o.smoke ? o.runtimes.slice(0, 1) : o.runtimes;
  // A full default run refreshes bench/results.json; smoke runs and experiments write JSON only when asked.
  if (!o.smoke && !o.variants.length && !o.skipAlgorithms && o.json === undefined) o.json = join(here, 'results.json');
  for (const r of o.runtimes) if (r !== 'newman-6.2' && r !== 'sandbox-6') throw new Error(`unknown runtime ${r}`);
  if (!(o.n >= 1 && o.officialN >= 1 && o.rounds >= 1 && o.algN >= 1 && o.vmReps >= 1)) throw new Error('--n, --official-n, --rounds, --alg-n, --vm-reps must be >= 1');
  return o;
}
const opts = parseArgs(process.argv.slice(2));
const log = (...a) => {
  if (!opts.quiet) console.error(...a);
};

// ------------------------------------------------------------------ small statistics
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
/** This process's CPU time (user + system) in ms: less sensitive than wall time to other load on the machine. */
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Median of each field over objects with the same numeric fields. */
function medianOfObjects(objs) {
  const list = objs.filter(Boolean);
  if (!list.length) return undefined;
  return Object.fromEntries(Object.keys(list[0]).map((k) => [k, round(median(list.map((o) => o[k])), 1)]));
}

/**
 * Where each request's time goes, from newman's events (child) and the emulator's answers (here):
 * script start → init answered → complete answered → script end → main answered → item end.
 * Medians over the run's requests, in ms (Date.now resolution, so medians of many).
 */
function timelineSegments(timeline, answers) {
  if (!timeline || !timeline.length) return undefined;
  const inits = answers.filter((a) => a.path === '/auth/action/init').map((a) => a.t);
  const completes = answers.filter((a) => a.path === '/auth/action').map((a) => a.t);
  const mains = answers.filter((a) => a.path !== '/auth/action/init' && a.path !== '/auth/action').map((a) => a.t);
  const signed = inits.length === timeline.length && completes.length === timeline.length;
  const rows = timeline.map((x, i) => {
    const row = {
      script: x.prerequest - x.beforePrerequest,
      scriptEndToMainAnswered: mains[i] - x.prerequest,
      mainAnsweredToItemEnd: x.item - mains[i],
      item: x.item - x.beforeItem,
      betweenItems: timeline[i + 1] ? timeline[i + 1].beforeItem - x.item : undefined,
    };
    if (signed) {
      row.scriptStartToInitAnswered = inits[i] - x.beforePrerequest;
      row.initToCompleteAnswered = completes[i] - inits[i];
      row.completeAnsweredToScriptEnd = x.prerequest - completes[i];
    }
    return row;
  });
  const keys = ['scriptStartToInitAnswered', 'initToCompleteAnswered', 'completeAnsweredToScriptEnd', 'script', 'scriptEndToMainAnswered', 'mainAnsweredToItemEnd', 'betweenItems', 'item'];
  return Object.fromEntries(keys.filter((k) => rows.some((r) => r[k] !== undefined)).map((k) => [k, median(rows.map((r) => r[k]))]));
}

/** Medians of bench/official.js's per-request timing lines. */
function officialBreakdown(lines) {
  return medianOfObjects(lines.filter((l) => l.startsWith('official: ')).map((l) => JSON.parse(l.slice('official: '.length))));
}

// ------------------------------------------------------------------ machine
function machine() {
  let cpu = os.cpus()[0]?.model?.trim() || 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {}
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  return {
    cpu,
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    newman: version('newman'),
    postmanRuntime: { 'newman-6.2': version('postman-runtime'), 'sandbox-6': version('postman-runtime-next') },
    postmanSandbox: { 'newman-6.2': version('postman-sandbox'), 'sandbox-6': sandbox6Version() },
    jsrsasign: version('jsrsasign-8'),
  };
}
function sandbox6Version() {
  try {
    const dir = dirname(require.resolve('postman-runtime-next/package.json'));
    const p = require.resolve('postman-sandbox/package.json', { paths: [dir] });
    return JSON.parse(readFileSync(p, 'utf8')).version;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ bundle: bytes and where they go
const BUNDLE_FILE = join(root, 'dist', 'dfns-signer.js');
const BUDGET = 64 * 1024;

// The probes are built exactly as scripts/build.mjs builds the bundle.
const BUILD_OPTIONS = SCRIPT_OPTIONS;

async function bundleFacts(text) {
  const raw = Buffer.byteLength(text);
  const facts = {
    file: relative(root, BUNDLE_FILE),
    banner: text.split('\n', 1)[0],
    bytes: raw,
    kib: round(raw / 1024, 1),
    gzipBytes: zlib.gzipSync(text, { level: 9 }).length,
    brotliBytes: zlib.brotliCompressSync(text).length,
    budgetBytes: BUDGET,
    withinBudget: raw <= BUDGET,
    distMatchesSources: null,
    metafile: null,
  };
  // Where the bytes go: a metafile of a fresh build of the current sources (and: is dist/ what they build?).
  try {
    const built = await bundle({ metafile: true });
    const result = { metafile: built.metafile, bytes: Buffer.byteLength(built.text) };
    facts.distMatchesSources = built.text === text;
    const out = Object.values(result.metafile.outputs)[0];
    const byModule = Object.entries(out.inputs)
      .map(([path, i]) => ({ path, bytes: i.bytesInOutput }))
      .filter((x) => x.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes);
    const group = (p) => {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p);
      return m ? m[1] : p.startsWith('src/') ? 'src' : p;
    };
    const byPackage = {};
    for (const x of byModule) byPackage[group(x.path)] = (byPackage[group(x.path)] || 0) + x.bytes;
    facts.metafile = {
      note: 'minified bytes in the output per input, from an esbuild metafile of a fresh build of the current sources (banner and footer not counted)',
      outputBytes: result.bytes,
      byPackage: Object.entries(byPackage)
        .sort((a, b) => b[1] - a[1])
        .map(([name, bytes]) => ({ name, bytes })),
      byModule: byModule.slice(0, 40),
    };
  } catch (e) {
    facts.metafile = { error: String(e.message || e) };
  }
  return facts;
}

// ------------------------------------------------------------------ keys and collections
function keySet(smoke) {
  const gen = (type, options) => generateKeyPairSync(type, options);
  const pem = (k, type) => k.export({ format: 'pem', type }).toString();
  const specs = [
    { name: 'P-256', type: 'ec', options: { namedCurve: 'prime256v1' }, format: 'sec1' },
    { name: 'secp256k1', type: 'ec', options: { namedCurve: 'secp256k1' }, format: 'sec1' },
    { name: 'Ed25519', type: 'ed25519', options: {}, format: 'pkcs8' },
    { name: 'RSA 2048', type: 'rsa', options: { modulusLength: 2048 }, format: 'pkcs1' },
    { name: 'RSA 3072', type: 'rsa', options: { modulusLength: 3072 }, format: 'pkcs1' },
    { name: 'RSA 4096', type: 'rsa', options: { modulusLength: 4096 }, format: 'pkcs1' },
  ].filter((s) => !(smoke && s.name === 'RSA 4096'));
  return specs.map((s) => {
    const { privateKey, publicKey } = gen(s.type, s.options);
    return { name: s.name, id: `cr-${s.name.replace(/\W+/g, '').toLowerCase()}`, privatePem: pem(privateKey, s.format), publicKey };
  });
}

function postmanCollection(name, script, items) {
  return {
    info: { name, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    event: script ? [{ listen: 'prerequest', script: { type: 'text/javascript', exec: script.split('\n') } }] : [],
    item: items,
  };
}

/** N signed-looking POSTs: the request every variant makes. */
function walletPosts(n) {
  return Array.from({ length: n }, (_, i) => ({
    name: `POST /wallets #${i + 1}`,
    request: {
      method: 'POST',
      header: [],
      url: { raw: 'http://{{dfnsApiDomain}}/wallets', protocol: 'http', host: ['{{dfnsApiDomain}}'], path: ['wallets'] },
      body: { mode: 'raw', raw: `{"network":"EthereumSepolia","name":"bench ${i + 1}"}`, options: { raw: { language: 'json' } } },
    },
  }));
}

// ------------------------------------------------------------------ newman in a child process
const tmp = mkdtempSync(join(os.tmpdir(), 'dfns-bench-'));
let inputCount = 0;
function writeInput(input) {
  const file = join(tmp, `input-${++inputCount}.json`);
  writeFileSync(file, JSON.stringify(input));
  return file;
}

function runNewman(runtime, inputFile) {
  const child = join(here, 'newman-child.cjs');
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const p = spawn(process.execPath, [child, runtime === 'sandbox-6' ? 'sandbox-6' : 'newman', inputFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 600_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      const processMs = nowMs() - started;
      const line = out.trim().split('\n').pop();
      try {
        resolve({ ...JSON.parse(line), processMs, exitCode: code });
      } catch {
        reject(new Error(`newman child failed (exit ${code}): ${err.slice(0, 2000)}`));
      }
    });
  });
}

// ------------------------------------------------------------------ local CDN for jsrsasign
const JSRSASIGN_FILE = join(root, 'node_modules', 'jsrsasign-8', 'lib', 'jsrsasign-all-min.js');
async function startCdn() {
  const body = readFileSync(JSRSASIGN_FILE);
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/jsrsasign/8.0.20/jsrsasign-all-min.js`,
    bytes: body.length,
    hits: () => hits,
    resetHits: () => (hits = 0),
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
  };
}

// ------------------------------------------------------------------ cold cost in fresh node:vm contexts
function sandboxGlobals() {
  // What newman 6.2's sandbox offers that the bundle may touch (research/sandbox-facts.md).
  return { Buffer, atob, btoa, setTimeout, clearTimeout, console: { log() {}, warn() {}, error() {} } };
}

/**
 * Compile (cold: unique source text, so V8's compilation cache cannot help; and repeated: the same
 * text again) and evaluate a script in a fresh context. Wall and CPU time, medians.
 */
function compileAndEvaluate(source, reps, makeGlobals = sandboxGlobals) {
  const m = { compileCold: [], compileRepeat: [], evaluate: [], compileColdCpu: [], evaluateCpu: [] };
  for (let i = 0; i < reps; i++) {
    const unique = `${source}\n//${randomBytes(8).toString('hex')}`;
    let t = nowMs();
    let c = cpuMs();
    new vm.Script(unique);
    m.compileCold.push(nowMs() - t);
    m.compileColdCpu.push(cpuMs() - c);
    t = nowMs();
    const script = new vm.Script(source, { filename: 'prerequest.js' });
    m.compileRepeat.push(nowMs() - t);
    const ctx = vm.createContext(makeGlobals());
    t = nowMs();
    c = cpuMs();
    try {
      script.runInContext(ctx);
    } catch {}
    m.evaluate.push(nowMs() - t);
    m.evaluateCpu.push(cpuMs() - c);
  }
  return {
    compileColdMs: round(median(m.compileCold), 3),
    compileRepeatMs: round(median(m.compileRepeat), 3),
    evaluateMs: round(median(m.evaluate), 3),
    firstEvaluateMs: round(m.evaluate[0], 3),
    compileColdCpuMs: round(median(m.compileColdCpu), 3),
    evaluateCpuMs: round(median(m.evaluateCpu), 3),
    reps,
  };
}

const CLIENT_DATA = `{"type":"key.get","challenge":"${Buffer.from(randomBytes(32).toString('hex')).toString('base64url')}"}`;

/** Per algorithm, each rep in a fresh context: evaluate the key module, read the PEM, sign once. Wall and CPU ms. */
function vmSigning(probeSource, key, reps) {
  const script = new vm.Script(probeSource, { filename: 'probe.js' });
  const driver = new vm.Script(
    'var __m=[];for(var __i=0;__i<__data.length;__i++)__m.push(__data.charCodeAt(__i));__m=new Uint8Array(__m);' +
      'var __t1=__now(),__c1=__cpu();var __k=dfnsProbe.readPrivateKey(__pem);var __t2=__now(),__c2=__cpu();var __s=__k.sign(__m);var __t3=__now(),__c3=__cpu();' +
      '__out={algorithm:__k.algorithm,readMs:__t2-__t1,signMs:__t3-__t2,readCpuMs:__c2-__c1,signCpuMs:__c3-__c2,signatureBytes:__s.length};',
  );
  const rows = [];
  for (let i = 0; i < reps; i++) {
    const ctx = vm.createContext({ ...sandboxGlobals(), __now: nowMs, __cpu: cpuMs, __pem: key.privatePem, __data: CLIENT_DATA, __out: null });
    const t = nowMs();
    const c = cpuMs();
    script.runInContext(ctx);
    const evaluateMs = nowMs() - t;
    const evaluateCpuMs = cpuMs() - c;
    driver.runInContext(ctx);
    rows.push({ evaluateMs, evaluateCpuMs, ...ctx.__out });
  }
  const med = (f, d = 3) => round(median(rows.map((r) => (typeof f === 'function' ? f(r) : r[f]))), d);
  return {
    algorithm: rows[0].algorithm,
    signatureBytes: rows[0].signatureBytes,
    evaluateMs: med('evaluateMs'),
    readKeyMs: med('readMs'),
    signMs: med('signMs'),
    totalMs: med((r) => r.evaluateMs + r.readMs + r.signMs),
    evaluateCpuMs: med('evaluateCpuMs'),
    readKeyCpuMs: med('readCpuMs'),
    signCpuMs: med('signCpuMs'),
    totalCpuMs: med((r) => r.evaluateCpuMs + r.readCpuMs + r.signCpuMs),
    firstSignMs: round(rows[0].signMs, 3),
    reps,
  };
}

async function probeBundle() {
  const result = await build({ ...BUILD_OPTIONS, entryPoints: [join(root, 'src', 'keys', 'index.ts')], globalName: 'dfnsProbe' });
  return result.outputFiles[0].text;
}

/** The probe as a pre-request script: times evaluate / read / sign with Date.now (the sandbox has no performance.now). */
function probeScript(probeSource) {
  return [
    'var __probeStart = Date.now();',
    probeSource,
    'var __m=[];var __d=' + JSON.stringify(CLIENT_DATA) + ';for(var __i=0;__i<__d.length;__i++)__m.push(__d.charCodeAt(__i));__m=new Uint8Array(__m);',
    "var __t1=Date.now();var __k=dfnsProbe.readPrivateKey(pm.variables.get('credentialPrivateKey'));var __t2=Date.now();__k.sign(__m);var __t3=Date.now();",
    "console.log('dfns-probe '+JSON.stringify({algorithm:__k.algorithm,evaluateMs:__t1-__probeStart,readMs:__t2-__t1,signMs:__t3-__t2}));",
    'pm.execution.skipRequest();',
  ].join('\n');
}

// ------------------------------------------------------------------ main
async function main() {
  const started = Date.now();
  const loadStart = os.loadavg().map((x) => round(x, 2));
  const info = machine();
  log(`dfns-signer bench on ${info.cpu} (${info.cores} cores), node ${info.node}, newman ${info.newman}`);
  log(`options: n=${opts.n} official-n=${opts.officialN} rounds=${opts.rounds} alg-n=${opts.algN} vm-reps=${opts.vmReps} runtimes=${opts.runtimes.join(',')}${opts.smoke ? ' (smoke)' : ''}`);

  const bundleText = readFileSync(BUNDLE_FILE, 'utf8');
  const floorText = readFileSync(join(here, 'floor.js'), 'utf8');
  const officialText = readFileSync(join(here, 'official.js'), 'utf8');
  const bundle = await bundleFacts(bundleText);
  log(`bundle: ${bundle.bytes} bytes (${bundle.kib} KiB), gzip ${bundle.gzipBytes}, budget ${BUDGET}: ${bundle.withinBudget ? 'within' : 'OVER'}`);

  // When each emulator answer left (Date.now: the same clock as newman's events in the child).
  let answered = [];
  const emu = await startEmulator({ port: 0, onRequest: (e) => answered.push({ path: e.path, t: Date.now() }) });
  const cdn = await startCdn();
  const keys = keySet(opts.smoke);
  const users = new Map(keys.map((k) => [k.name, emu.addUser({ credentials: [{ id: k.id, publicKey: k.publicKey }] })]));
  const p256 = keys[0];
  const env = (key) => ({
    dfnsApiDomain: emu.url.replace('http://', ''),
    authToken: users.get(key.name).token,
    credentialPrivateKey: key.privatePem,
    jsrsasignUrl: cdn.url,
  });

  // ---- 1. interleaved runs: signer, floor, official, none
  const VARIANTS = [
    { name: 'signer', script: bundleText, expect: 200, signer: true },
    { name: 'floor', script: floorText, expect: 403 },
    { name: 'official', script: officialText, expect: 200 },
    { name: 'none', script: '', expect: 401 },
    ...opts.variants.map((v) => ({ name: v.name, script: readFileSync(v.file, 'utf8'), expect: v.unsigned ? 403 : 200, signer: !v.unsigned })),
  ];
  for (const v of VARIANTS) v.n = v.name === 'official' ? opts.officialN : opts.n;
  const inputs = Object.fromEntries(VARIANTS.map((v) => [v.name, writeInput({ collection: postmanCollection(`bench ${v.name}`, v.script, walletPosts(v.n)), env: env(p256), timeline: true })]));
  const runs = Object.fromEntries(opts.runtimes.map((r) => [r, Object.fromEntries(VARIANTS.map((v) => [v.name, []]))]));
  for (let r = 1; r <= opts.rounds; r++) {
    for (const runtime of opts.runtimes) {
      for (const v of VARIANTS) {
        emu.reset();
        cdn.resetHits();
        answered = [];
        const cpu0 = process.cpuUsage();
        const report = await runNewman(runtime, inputs[v.name]);
        const serverCpu = process.cpuUsage(cpu0);
        const paths = emu.requests.map((q) => q.path);
        const count = (p) => paths.filter((x) => x === p).length;
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
          timelineMs: timelineSegments(report.timeline, answered),
          ok,
        };
        if (!ok) row.problem = { runError: report.runError, failures: report.failures.slice(0, 3), requestErrors: report.requestErrors, console: report.consoleLines.slice(0, 5) };
        runs[runtime][v.name].push(row);
        log(`round ${r}/${opts.rounds} ${runtime.padEnd(10)} ${v.name.padEnd(8)} ${String(row.wallMs).padStart(9)} ms  ${String(row.msPerRequest).padStart(7)} ms/req  cpu ${String(row.cpuMsPerRequest).padStart(7)} ms/req  server ${String(row.serverCpuMsPerRequest).padStart(6)}  rss ${(row.maxRssKiB / 1024).toFixed(0)} MiB ${ok ? '' : ' NOT OK ' + JSON.stringify(row.problem)}`);
      }
    }
  }
  const variants = {};
  const comparison = {};
  for (const runtime of opts.runtimes) {
    variants[runtime] = {};
    for (const v of VARIANTS) {
      const rs = runs[runtime][v.name];
      variants[runtime][v.name] = {
        completed: rs.every((x) => x.ok),
        medianWallMs: round(median(rs.map((x) => x.wallMs)), 1),
        medianMsPerRequest: round(median(rs.map((x) => x.msPerRequest)), 3),
        minMsPerRequest: round(Math.min(...rs.map((x) => x.msPerRequest)), 3),
        maxMsPerRequest: round(Math.max(...rs.map((x) => x.msPerRequest)), 3),
        medianCpuMsPerRequest: round(median(rs.map((x) => x.cpuMsPerRequest)), 3),
        medianServerCpuMsPerRequest: round(median(rs.map((x) => x.serverCpuMsPerRequest)), 3),
        medianPeakRssMiB: round(median(rs.map((x) => x.maxRssKiB / 1024)), 1),
        officialBreakdownMs: v.name === 'official' ? medianOfObjects(rs.map((x) => x.official)) : undefined,
        timelineMs: medianOfObjects(rs.map((x) => x.timelineMs)),
        inScriptMedianMs: v.signer ? median(rs.map((x) => x.inScriptMedianMs)) : undefined,
        runs: rs,
      };
    }
    // Per-request medians (the official approach may run fewer requests per run than the others).
    const m = (name) => variants[runtime][name].medianMsPerRequest;
    const c = (name) => variants[runtime][name].medianCpuMsPerRequest;
    const overhead = m('signer') - m('floor');
    comparison[runtime] = {
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
      signerPeakRssOverFloorMiB: round(variants[runtime].signer.medianPeakRssMiB - variants[runtime].floor.medianPeakRssMiB, 1),
    };
  }

  // ---- 2. parse / evaluate cost of each script in fresh node:vm contexts (no pm: the bundle finds no host and stops)
  log('parse/evaluate in fresh vm contexts ...');
  const parseReps = Math.max(opts.vmReps, 3);
  const parse = {
    signer: { bytes: bundle.bytes, ...compileAndEvaluate(bundleText, parseReps) },
    floor: { bytes: Buffer.byteLength(floorText), ...compileAndEvaluate(floorText, parseReps) },
    jsrsasign: { bytes: cdn.bytes, ...compileAndEvaluate(readFileSync(JSRSASIGN_FILE, 'utf8'), parseReps, () => ({ ...sandboxGlobals(), navigator: {}, window: {} })) },
  };

  // ---- 3. per-algorithm: cold sign in vm, sign inside the sandbox, and the bundle end to end
  const probe = await probeBundle();
  const probeInput = (key) => writeInput({ collection: postmanCollection('probe', probeScript(probe), walletPosts(opts.algN)), env: env(key) });
  const algorithms = [];
  for (const key of opts.skipAlgorithms ? [] : keys) {
    log(`algorithm ${key.name} ...`);
    const row = { name: key.name, vm: vmSigning(probe, key, key.name === 'RSA 4096' ? Math.min(opts.vmReps, 10) : opts.vmReps), sandbox: {}, bundle: {} };
    for (const runtime of opts.algRuntimes) {
      const report = await runNewman(runtime, probeInput(key));
      const probes = report.consoleLines.filter((l) => l.startsWith('dfns-probe ')).map((l) => JSON.parse(l.slice('dfns-probe '.length)));
      row.sandbox[runtime] = {
        completed: probes.length === opts.algN && report.failures.length === 0,
        evaluateMs: median(probes.map((p) => p.evaluateMs)),
        readKeyMs: median(probes.map((p) => p.readMs)),
        signMs: median(probes.map((p) => p.signMs)),
        firstSignMs: probes[0] ? probes[0].signMs : null,
        samples: probes.length,
      };
      emu.reset();
      answered = [];
      const full = await runNewman(runtime, writeInput({ collection: postmanCollection('alg', bundleText, walletPosts(opts.algN)), env: env(key), timeline: true }));
      const main = emu.mainRequests();
      const lines = full.consoleLines.filter((l) => /^Dfns signer: signed /.test(l));
      const t = timelineSegments(full.timeline, answered) || {};
      row.bundle[runtime] = {
        completed: full.failures.length === 0 && main.length === opts.algN && main.every((q) => q.status === 200) && lines.length === opts.algN && lines.every((l) => l.includes(`(${row.vm.algorithm})`)),
        wallMsPerRequest: round(full.wallMs / opts.algN, 2),
        itemMs: t.item,
        scriptMs: t.script,
        initToCompleteAnsweredMs: t.initToCompleteAnswered,
        inScriptMedianMs: median(lines.map((l) => Number(/ in (\d+) ms$/.exec(l)?.[1]))),
      };
    }
    algorithms.push(row);
  }

  await cdn.close();
  await emu.close();
  rmSync(tmp, { recursive: true, force: true });

  const first = opts.runtimes[0];
  const c = comparison[first];
  const rsa4096 = algorithms.find((a) => a.name === 'RSA 4096');
  const results = {
    schema: 1,
    date: new Date(started).toISOString(),
    durationS: round((Date.now() - started) / 1000, 1),
    loadAverage: { start: loadStart, end: os.loadavg().map((x) => round(x, 2)) },
    machine: info,
    options: { n: opts.n, officialN: opts.officialN, rounds: opts.rounds, algN: opts.algN, vmReps: opts.vmReps, runtimes: opts.runtimes, algRuntimes: opts.algRuntimes, smoke: opts.smoke, variants: opts.variants },
    bundle,
    variants,
    comparison,
    parse,
    algorithms,
    goals: {
      runtime: first,
      overheadPctOfWall: { goal: 15, value: c.overheadOverFloorPctOfSignerWall, met: c.overheadOverFloorPctOfSignerWall <= 15 },
      speedupOverOfficial: { goal: 3, value: c.speedupOverOfficial, met: c.speedupOverOfficial >= 3 },
      bundleBytes: { goal: BUDGET, value: bundle.bytes, met: bundle.withinBudget },
      rsa4096SignMs: rsa4096 ? { vmCpu: rsa4096.vm.signCpuMs, sandbox: rsa4096.sandbox[first]?.signMs } : null,
    },
    completed: opts.runtimes.every((r) => VARIANTS.every((v) => variants[r][v.name].completed)) && algorithms.every((a) => opts.algRuntimes.every((r) => a.sandbox[r].completed && a.bundle[r].completed)),
  };

  process.stdout.write(report(results));
  if (opts.json) {
    mkdirSync(dirname(opts.json), { recursive: true });
    writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
    log(`results: ${opts.json}`);
  }
  if (!results.completed) {
    console.error('bench: some runs did not complete as expected (see "ok"/"completed" in the results)');
    process.exitCode = 1;
  }
}

// ------------------------------------------------------------------ the human-readable report (markdown)
function report(r) {
  const L = [];
  const f = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
  const signed = (x, d = 2) => (x === null || x === undefined ? '–' : (x >= 0 ? '+' : '') + f(x, d));
  const m = r.machine;
  const rts = r.options.runtimes;
  L.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; newman ${m.newman} (postman-sandbox ${m.postmanSandbox['newman-6.2']}); "sandbox-6" = newman on postman-runtime ${m.postmanRuntime['sandbox-6']} (postman-sandbox ${m.postmanSandbox['sandbox-6']}, the Postman app's); ${r.date.slice(0, 10)}; load average ${r.loadAverage.start.join(' ')} at start, ${r.loadAverage.end.join(' ')} at end.`);
  L.push(`Run: ${r.options.n} POST /wallets per newman run (official approach: ${r.options.officialN}), ${r.options.rounds} interleaved rounds (signer, floor, official, none), medians; loopback to the local emulator, which runs in the bench process.`);
  L.push('');
  L.push(`Bundle dist/dfns-signer.js: ${r.bundle.bytes} bytes (${r.bundle.kib} KiB; budget 64 KiB ${r.bundle.withinBudget ? 'met' : 'NOT met'}), gzip ${r.bundle.gzipBytes}, brotli ${r.bundle.brotliBytes}${r.bundle.distMatchesSources === false ? '; NOTE: dist/ is not what the current sources build (run npm run build)' : ''}.`);
  L.push('');
  L.push('| runtime | pre-request script | wall ms/request | vs floor | newman CPU ms/request | vs floor | newman peak RSS |');
  L.push('|---|---|---:|---:|---:|---:|---:|');
  const label = { ...Object.fromEntries(r.options.variants.map((x) => [x.name, `candidate ${x.name}`])), signer: 'this bundle', floor: 'floor: round trips only', official: 'official approach: jsrsasign 8 per request', none: 'none (unsigned)' };
  for (const runtime of rts) {
    const v = r.variants[runtime];
    for (const name of Object.keys(v)) {
      const x = v[name];
      const vs = (a, b) => (name === 'floor' ? '–' : signed(a - b));
      L.push(`| ${runtime} | ${label[name]}${x.completed ? '' : ' (NOT completed)'} | ${f(x.medianMsPerRequest, 2)} | ${vs(x.medianMsPerRequest, v.floor.medianMsPerRequest)} | ${f(x.medianCpuMsPerRequest, 2)} | ${vs(x.medianCpuMsPerRequest, v.floor.medianCpuMsPerRequest)} | ${f(x.medianPeakRssMiB, 0)} MiB |`);
    }
  }
  L.push('');
  L.push('| runtime | overhead over floor, ms/request (% of signer wall) | same in newman CPU | speed-up over official (wall / CPU) | two extra round trips (floor − none) |');
  L.push('|---|---:|---:|---:|---:|');
  for (const runtime of rts) {
    const c = r.comparison[runtime];
    L.push(`| ${runtime} | ${f(c.overheadOverFloorMsPerRequest, 2)} (${f(c.overheadOverFloorPctOfSignerWall)}%) | ${f(c.cpuOverheadOverFloorMsPerRequest, 2)} (${f(c.cpuOverheadOverFloorPctOfSignerCpu)}%) | ${f(c.speedupOverOfficial, 1)}× / ${f(c.cpuSpeedupOverOfficial, 1)}× | ${f(c.floorOverNoneMsPerRequest, 2)} ms |`);
    for (const [name, x] of Object.entries(c.candidates || {})) L.push(`| ${runtime}, candidate ${name} | ${f(x.overheadOverFloorMsPerRequest, 2)} (${f(x.overheadOverFloorPctOfWall)}%) | ${f(x.cpuOverheadOverFloorMsPerRequest, 2)} | ${f(x.speedupOverOfficial, 1)}× | |`);
  }
  L.push('');
  L.push('Where a request\'s time goes (ms, medians; from newman events and emulator answer times, Date.now resolution):');
  L.push('');
  L.push('| runtime | script | script start → init answered | → complete answered | → script end | script total | → main answered | → item end | item total |');
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const runtime of rts)
    for (const name of Object.keys(r.variants[runtime])) {
      const t = r.variants[runtime][name].timelineMs || {};
      L.push(`| ${runtime} | ${name} | ${f(t.scriptStartToInitAnswered)} | ${f(t.initToCompleteAnswered)} | ${f(t.completeAnsweredToScriptEnd)} | ${f(t.script)} | ${f(t.scriptEndToMainAnswered)} | ${f(t.mainAnsweredToItemEnd)} | ${f(t.item)} |`);
    }
  for (const runtime of rts) {
    const ob = r.variants[runtime].official.officialBreakdownMs;
    if (ob) L.push(`\n${runtime}, official approach inside its script (ms): download ${f(ob.downloadMs)}, eval ${f(ob.evalMs)}, init ${f(ob.initMs)}, read key ${f(ob.readKeyMs)}, sign ${f(ob.signMs)}, complete ${f(ob.completeMs)}; total ${f(ob.totalMs)} (the signer logs ${f(r.variants[runtime].signer.inScriptMedianMs)} for its whole exchange).`);
  }
  L.push('');
  L.push('Cold cost by key type, per request (ms, medians). vm: a fresh node:vm context per sample, CPU time of the key code only (evaluate the key modules, read the PEM, sign). In newman: the same key code as a pre-request script, Date.now resolution. Bundle: this bundle end to end, signed POSTs: whole item (script + main request), and init answered → complete answered (signing + one round trip).');
  L.push('');
  const ars = r.options.algRuntimes;
  L.push(`| key | vm: evaluate | vm: read key | vm: sign | ${ars.map((x) => `${x}: sign`).join(' | ')} | ${ars.map((x) => `${x}: bundle item (sign + round trip)`).join(' | ')} |`);
  L.push(`|---|---:|---:|---:|${ars.map(() => '---:').join('|')}|${ars.map(() => '---:').join('|')}|`);
  for (const a of r.algorithms) {
    L.push(`| ${a.name} | ${f(a.vm.evaluateCpuMs, 2)} | ${f(a.vm.readKeyCpuMs, 2)} | ${f(a.vm.signCpuMs, 2)} | ${ars.map((x) => f(a.sandbox[x].signMs, 0) + (a.sandbox[x].completed ? '' : ' (!)')).join(' | ')} | ${ars.map((x) => `${f(a.bundle[x].itemMs, 0)} (${f(a.bundle[x].initToCompleteAnsweredMs, 0)})` + (a.bundle[x].completed ? '' : ' (!)')).join(' | ')} |`);
  }
  L.push('');
  L.push('Parse and evaluate in a fresh node:vm context (ms, medians; "evaluate" runs the top level only: no host, so the signer stops at once):');
  L.push('');
  L.push('| script | bytes | compile, cold | compile, same text again | evaluate top level (CPU) |');
  L.push('|---|---:|---:|---:|---:|');
  for (const [name, p] of Object.entries(r.parse)) L.push(`| ${name} | ${p.bytes} | ${f(p.compileColdCpuMs, 2)} | ${f(p.compileRepeatMs, 2)} | ${f(p.evaluateCpuMs, 2)} |`);
  if (r.bundle.metafile && r.bundle.metafile.byPackage) {
    L.push('');
    L.push(`Where the bytes go (esbuild metafile, minified bytes in output): ${r.bundle.metafile.byPackage.map((p) => `${p.name} ${p.bytes}`).join(', ')}.`);
  }
  L.push('');
  return L.join('\n');
}

await main();
