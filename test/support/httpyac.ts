// Writes .http files (plus optional .env, httpyac.config.cjs, a copy of the bundle …) into a temp dir and
// runs them with the real httpyac CLI (`httpyac send <file> --all`, httpyac 6.16.7 from the root install)
// in a child process. The dir is under os.tmpdir(), outside this repository: this package.json's
// "type": "module" would make a `.js` file there (httpyac.config.js, a required script) an ES module.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const HTTPYAC = join(dirname(require.resolve('httpyac/package.json')), 'bin', 'httpyac.js');

export const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');

/** A temp dir holding these files (name → content; names may hold sub dirs). Returns its path. */
export function writeHttpyacDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-httpyac-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** One request region's outcome, from `--json`. */
export interface HttpyacRequestResult {
  name: string;
  /** 'sent': a response came back; 'error': a script/hook threw or the request failed (nothing answered);
   * 'skipped': cancelled (`exports.$cancel`); 'failed': a test of it failed. */
  status: 'sent' | 'error' | 'skipped' | 'failed';
  statusCode?: number;
  /** Messages of the ERROR/FAILED test results (a thrown error's message). */
  errors: string[];
  /** What httpyac says it sent (url, method, headers, body) when a response came back. */
  request?: { url: string; method: string; headers: Record<string, string>; body?: string };
}

export interface HttpyacResult {
  /** 0 ok; 10 a script/hook/request errored; 20 a test failed; 1 crash. */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** With json (the default): per request region, in run order; [] without JSON output. */
  requests: HttpyacRequestResult[];
  /** The parsed `--json` document, when there is one. */
  json?: any;
}

export interface HttpyacRunOptions {
  /** The .http file, relative to dir. Default 'requests.http'. */
  file?: string;
  /** --var name=value (values may hold real newlines). */
  vars?: Record<string, string>;
  /** --env names (loads <name>.env / .env.<name> besides .env). */
  env?: string[];
  /** true (default): `--json`, machine-readable per-request results, but script console output is dropped.
   * false: `-o short`, the text output with script console lines and `✖ <error>` lines. */
  json?: boolean;
  extraArgs?: string[];
  /** Extra process environment for the CLI (e.g. HTTPYAC_PLUGIN). */
  processEnv?: Record<string, string>;
  timeoutMs?: number;
}

function results(doc: any): HttpyacRequestResult[] {
  return (doc?.requests ?? []).map((r: any) => {
    const tests: { status: string; message: string }[] = r.testResults ?? [];
    const errors = [...new Set(tests.filter((t) => t.status === 'ERROR' || t.status === 'FAILED').map((t) => t.message))];
    const status: HttpyacRequestResult['status'] = tests.some((t) => t.status === 'ERROR')
      ? 'error'
      : tests.some((t) => t.status === 'SKIPPED')
        ? 'skipped'
        : tests.some((t) => t.status === 'FAILED')
          ? 'failed'
          : r.response
            ? 'sent'
            : 'error';
    return { name: String(r.name), status, statusCode: r.response?.statusCode, errors, request: r.response?.request };
  });
}

/** Hooks in httpyac.config.* that console.log write to stdout before the JSON document: find where it starts. */
function parseJson(stdout: string): any {
  const at = stdout.startsWith('{\n  "_meta"') ? 0 : stdout.lastIndexOf('\n{\n  "_meta"') + 1;
  if (at < 0 || (at === 0 && !stdout.startsWith('{'))) return undefined;
  try {
    return JSON.parse(stdout.slice(at));
  } catch {
    return undefined;
  }
}

export function runHttpyac(dir: string, options: HttpyacRunOptions = {}): Promise<HttpyacResult> {
  const json = options.json ?? true;
  const args = [HTTPYAC, 'send', options.file ?? 'requests.http', '--all', ...(json ? ['--json'] : ['-o', 'short']), '--no-color'];
  for (const [k, v] of Object.entries(options.vars ?? {})) args.push('--var', `${k}=${v}`);
  if (options.env?.length) args.push('--env', ...options.env);
  args.push(...(options.extraArgs ?? []));
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: dir,
        maxBuffer: 64 << 20,
        timeout: options.timeoutMs ?? 60_000,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.processEnv },
      },
      (err, stdout, stderr) => {
        const doc = json ? parseJson(stdout) : undefined;
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
          requests: results(doc),
          json: doc,
        });
      },
    );
  });
}
