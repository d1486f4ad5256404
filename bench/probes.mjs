// Per-key signing cost probes: src/keys built alone (as the bundle builds it) and measured cold in
// fresh node:vm contexts or as a pre-request script; and the parse/evaluate cost of whole scripts.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { SCRIPT_OPTIONS } from '../scripts/build.mjs';
import { cpuMs, median, nowMs, round } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What newman 6.2's sandbox offers that the bundle may touch (research/sandbox-facts.md). */
function sandboxGlobals() {
  return { Buffer, atob, btoa, setTimeout, clearTimeout, console: { log() {}, warn() {}, error() {} } };
}

/**
 * Compile (cold: unique source text, so V8's compilation cache cannot help; and repeated: the same
 * text again) and evaluate a script in a fresh context. Wall and CPU time, medians.
 * @param {string} source
 * @param {number} reps
 * @param {() => object} [makeGlobals] the context's globals
 */
function compileAndEvaluate(source, reps, makeGlobals = sandboxGlobals) {
  /** @type {Record<'compileCold' | 'compileRepeat' | 'evaluate' | 'compileColdCpu' | 'evaluateCpu', number[]>} */
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

/** What the probes sign: a clientData like the signer's. */
const CLIENT_DATA = `{"type":"key.get","challenge":"${Buffer.from(randomBytes(32).toString('hex')).toString('base64url')}"}`;

/** src/keys alone, built as scripts/build.mjs builds the bundle, exposing `dfnsProbe.readPrivateKey`. */
export async function probeBundle() {
  const result = await build({ ...SCRIPT_OPTIONS, entryPoints: [join(root, 'src', 'keys', 'index.ts')], globalName: 'dfnsProbe' });
  return result.outputFiles[0].text;
}

/**
 * @typedef {{ evaluateMs: number, evaluateCpuMs: number, algorithm: string, readMs: number, signMs: number, readCpuMs: number, signCpuMs: number, signatureBytes: number }} VmSample
 */

/**
 * Per algorithm, each rep in a fresh context: evaluate the key module, read the PEM, sign once. Wall and CPU ms.
 * @param {string} probeSource from probeBundle()
 * @param {{ privatePem: string }} key
 * @param {number} reps
 */
export function vmSigning(probeSource, key, reps) {
  const script = new vm.Script(probeSource, { filename: 'probe.js' });
  const driver = new vm.Script(
    'var __m=[];for(var __i=0;__i<__data.length;__i++)__m.push(__data.charCodeAt(__i));__m=new Uint8Array(__m);' +
      'var __t1=__now(),__c1=__cpu();var __k=dfnsProbe.readPrivateKey(__pem);var __t2=__now(),__c2=__cpu();var __s=__k.sign(__m);var __t3=__now(),__c3=__cpu();' +
      '__out={algorithm:__k.algorithm,readMs:__t2-__t1,signMs:__t3-__t2,readCpuMs:__c2-__c1,signCpuMs:__c3-__c2,signatureBytes:__s.length};',
  );
  /** @type {VmSample[]} */
  const rows = [];
  for (let i = 0; i < reps; i++) {
    const ctx = vm.createContext({
      ...sandboxGlobals(),
      __now: nowMs,
      __cpu: cpuMs,
      __pem: key.privatePem,
      __data: CLIENT_DATA,
      __out: null,
    });
    const t = nowMs();
    const c = cpuMs();
    script.runInContext(ctx);
    const evaluateMs = nowMs() - t;
    const evaluateCpuMs = cpuMs() - c;
    driver.runInContext(ctx);
    rows.push({ evaluateMs, evaluateCpuMs, ...ctx.__out });
  }
  /** @param {keyof VmSample | ((r: VmSample) => number)} f @param {number} [d] */
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

/**
 * The probe as a pre-request script: times evaluate / read / sign with Date.now (the sandbox has no
 * performance.now), logs one `dfns-probe {…}` line (see probeLines) and skips the request.
 * @param {string} probeSource from probeBundle()
 */
export function probeScript(probeSource) {
  return [
    'var __probeStart = Date.now();',
    probeSource,
    'var __m=[];var __d=' +
      JSON.stringify(CLIENT_DATA) +
      ';for(var __i=0;__i<__d.length;__i++)__m.push(__d.charCodeAt(__i));__m=new Uint8Array(__m);',
    "var __t1=Date.now();var __k=dfnsProbe.readPrivateKey(pm.variables.get('credentialPrivateKey'));var __t2=Date.now();__k.sign(__m);var __t3=Date.now();",
    "console.log('dfns-probe '+JSON.stringify({algorithm:__k.algorithm,evaluateMs:__t1-__probeStart,readMs:__t2-__t1,signMs:__t3-__t2}));",
    'pm.execution.skipRequest();',
  ].join('\n');
}

/**
 * The measurements probeScript logged in a newman run.
 * @param {string[]} consoleLines
 * @returns {{ algorithm: string, evaluateMs: number, readMs: number, signMs: number }[]}
 */
export const probeLines = (consoleLines) =>
  consoleLines.filter((l) => l.startsWith('dfns-probe ')).map((l) => JSON.parse(l.slice('dfns-probe '.length)));

/**
 * Parse and evaluate cost of whole scripts, each in fresh node:vm contexts (no pm: the bundle finds
 * no host and stops at once).
 * @param {{ signer: { text: string, bytes: number }, floor: { text: string, bytes: number }, jsrsasign: { text: string, bytes: number } }} scripts
 * @param {number} reps
 */
export function parseCosts(scripts, reps) {
  return {
    signer: { bytes: scripts.signer.bytes, ...compileAndEvaluate(scripts.signer.text, reps) },
    floor: { bytes: scripts.floor.bytes, ...compileAndEvaluate(scripts.floor.text, reps) },
    // jsrsasign probes browser globals at load time.
    jsrsasign: {
      bytes: scripts.jsrsasign.bytes,
      ...compileAndEvaluate(scripts.jsrsasign.text, reps, () => ({ ...sandboxGlobals(), navigator: {}, window: {} })),
    },
  };
}
