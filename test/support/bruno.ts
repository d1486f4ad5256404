// Builds Bruno collections (.bru format) around the bundle in temp dirs and runs them with the real
// `bru run` (@usebruno/cli from the registry). Request and environment files are written with
// Bruno's own serializer (@usebruno/lang, what the app writes); collection.bru is written by hand,
// the way users and the collection generator do: the script indented two spaces.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const lang = require('@usebruno/lang');
const BRU = require.resolve('@usebruno/cli/bin/bru.js');

export const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');

export type Sandbox = 'safe' | 'developer';
export const SANDBOXES: Sandbox[] = ['safe', 'developer'];

export interface BruRequest {
  name: string;
  method: string;
  /** May hold {{variables}} and :pathParams. */
  url: string;
  /** JSON body text (body mode json); omitted: no body. */
  json?: string;
  text?: string;
  /** A multipart form (body mode multipartForm): text values, or a file's path relative to the collection. */
  form?: { name: string; value: string; type: 'text' | 'file' }[];
  headers?: Record<string, string>;
  pathParams?: Record<string, string>;
  bearer?: string;
  /** Request-level variables (vars:pre-request): they win over the environment's. */
  vars?: Record<string, string>;
  script?: string;
}

export type ScriptTab = 'pre-request' | 'post-response';

/** collection.bru with the script as collection-level script (pre-request by default), every line indented two spaces. */
export function collectionBru(script: string, tab: ScriptTab = 'pre-request'): string {
  const body = script
    .split(/\r?\n/)
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');
  return `meta {\n  name: dfns-signer test\n}\n\nauth {\n  mode: none\n}\n\nscript:${tab} {\n${body}\n}\n`;
}

function requestBru(r: BruRequest, seq: number): string {
  const mode = r.json !== undefined ? 'json' : r.text !== undefined ? 'text' : r.form ? 'multipartForm' : 'none';
  return lang.jsonToBruV2({
    meta: { name: r.name, type: 'http', seq },
    http: { method: r.method.toLowerCase(), url: r.url, body: mode, auth: r.bearer !== undefined ? 'bearer' : 'none' },
    params: Object.entries(r.pathParams ?? {}).map(([name, value]) => ({ name, value, type: 'path', enabled: true })),
    headers: Object.entries(r.headers ?? {}).map(([name, value]) => ({ name, value, enabled: true })),
    auth: r.bearer !== undefined ? { bearer: { token: r.bearer } } : undefined,
    body: {
      json: r.json,
      text: r.text,
      multipartForm: r.form?.map((f) => ({ name: f.name, value: f.type === 'file' ? [f.value] : f.value, enabled: true, type: f.type })),
    },
    vars: r.vars ? { req: Object.entries(r.vars).map(([name, value]) => ({ name, value, enabled: true })) } : undefined,
    script: r.script ? { req: r.script } : undefined,
  });
}

/** A collection dir: bruno.json, collection.bru (the bundle), NN-name.bru per request, environments/local.bru. */
export function writeCollection(
  requests: BruRequest[],
  env: Record<string, string>,
  script = BUNDLE,
  tab: ScriptTab = 'pre-request',
): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-bruno-'));
  writeFileSync(
    join(dir, 'bruno.json'),
    JSON.stringify({ version: '1', name: 'dfns-signer test', type: 'collection', ignore: ['node_modules', '.git'] }, null, 2),
  );
  writeFileSync(join(dir, 'collection.bru'), collectionBru(script, tab));
  requests.forEach((r, i) => {
    writeFileSync(join(dir, `${String(i + 1).padStart(2, '0')}-${r.name}.bru`), requestBru(r, i + 1));
  });
  mkdirSync(join(dir, 'environments'));
  writeFileSync(
    join(dir, 'environments', 'local.bru'),
    lang.envJsonToBruV2({ variables: Object.entries(env).map(([name, value]) => ({ name, value, enabled: true, secret: false })) }),
  );
  return dir;
}

export interface BruResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Per request, in run order: status 'error' | 'skipped' | 'pass' | 'fail', the error message, the response status. */
  results: { name: string; status: string; error?: string; responseStatus?: unknown }[];
  ms: number;
}

export function runBru(dir: string, sandbox: Sandbox, envVars: Record<string, string> = {}): Promise<BruResult> {
  const args = [BRU, 'run', '--env', 'local', '--sandbox', sandbox, '--reporter-json', 'report.json', '--reporter-skip-all-headers'];
  for (const [k, v] of Object.entries(envVars)) args.push('--env-var', `${k}=${v}`);
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: dir, maxBuffer: 64 << 20, timeout: 180_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (err, stdout, stderr) => {
        let results: BruResult['results'] = [];
        try {
          const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
          const runs = Array.isArray(report) ? report.flatMap((r: any) => r.results) : report.results;
          results = runs.map((r: any) => ({
            name: String(r.test?.filename ?? '').replace(/\.bru$/, ''),
            status: String(r.status),
            error: r.error ?? undefined,
            responseStatus: r.response?.status,
          }));
        } catch {
          // no report: the run crashed before writing one; stdout/stderr say why
        }
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr, results, ms: Date.now() - started });
      },
    );
  });
}
