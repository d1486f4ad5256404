// Runs Postman collections with the official Postman CLI: `postman collection run` of the native binary of
// postman-cli 1.34.0, @postman/pm-bin-linux-x64, installed in test/clients. (The npm package postman-cli that users
// install is a small wrapper, bin/postman.js, that finds this binary and runs it with the same arguments and
// output; it cannot be locked here, see test/clients/postman-cli.md.) Collections are built with the newman
// helpers (test/support/postman.ts): the CLI runs the same Postman collection v2.1 files, offline, with no login.
// What each run records: the CLI's JSON report (its own structure: one execution per request, tests and errors),
// the console lines of the scripts (from the CLI reporter, joined back where it cuts them), the exit code.
// Facts this relies on, and the probes that showed them: test/clients/postman-cli.md.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const clients = createRequire(new URL('../clients/package.json', import.meta.url));

/** The `postman` executable, as postman-cli's wrapper runs it. */
export const POSTMAN_CLI = join(dirname(clients.resolve('@postman/pm-bin-linux-x64/package.json')), 'bin', 'postman');
/** The version test/clients pins (the binary's is postman-cli's), which the README's install line must name. */
export const POSTMAN_CLI_VERSION: string = clients('@postman/pm-bin-linux-x64/package.json').version;

/** The two lines every run without a login prints, before and after the run. */
export const LOGIN_LINES = [
  'No authorization data found. Please use the `postman login` command.',
  'Postman credentials are required for publishing run details to Postman cloud.',
];

export interface CliTest {
  name: string;
  status: 'passed' | 'failed' | string;
  message?: string;
}

export interface CliExecution {
  /** The request's name in the collection. */
  item: string;
  method: string;
  /** The URL as the report gives it (after the scripts ran). */
  url: string;
  /** False when the CLI did not send the request (skipped: no headers, no response). */
  sent: boolean;
  /** The response's status code, if one came. */
  status?: number;
  /** pm.test results of the item's scripts. */
  tests: CliTest[];
  /** Script errors and request errors, as `<source>: <message>`. */
  errors: string[];
}

export interface PostmanCliResult {
  /** The exit code of the `postman` command (null: killed). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** The scripts' console.* lines, one per call, as the CLI reporter printed them (a lone string unquoted). */
  console: string[];
  /** From the JSON report (empty when the run crashed before writing it). */
  executions: CliExecution[];
  /** Every failed test's message, in run order. */
  failedTests: string[];
}

/**
 * A HOME of its own for each run: no login (a developer's `postman login` would make the CLI try to
 * publish the run to Postman's cloud), and a postmanrc that says the daily update check was just done,
 * so the CLI contacts no server (https://dl-cli.pstmn.io) during the tests.
 */
function isolatedEnv(dir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const home = join(dir, 'home');
  mkdirSync(join(home, '.postman'), { recursive: true });
  writeFileSync(join(home, '.postman', 'postmanrc'), JSON.stringify({ updates: { updateCheckedTimestamp: Date.now() } }));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
  delete env.POSTMAN_API_KEY;
  return env;
}

/** Runs a command line and kills its whole process group at `timeoutMs` (a shell and the CLI under it). */
function spawnGroup(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// The CLI reporter prints a script's console lines in a box (with --disable-unicode: `  -`, `  | <text>`, …, `  -`),
// each call on a new line, cut into pieces of 54 characters. A string is printed quoted, with a quote it does not
// hold: it goes on until that quote closes it; anything else goes on while its pieces are full.
const WRAP = 54;

function consoleLines(stdout: string): string[] {
  const lines: string[] = [];
  let inBox = false;
  let open = false;
  for (const line of stdout.split('\n')) {
    if (line === '  -') {
      inBox = !inBox;
      open = false;
    } else if (inBox && line.startsWith('  | ')) {
      const piece = line.slice(4);
      if (open) lines[lines.length - 1] += piece;
      else lines.push(piece);
      const text = lines[lines.length - 1];
      const quote = /^['"`]/.test(text) ? text[0] : '';
      open = quote ? text.length < 2 || !text.endsWith(quote) : piece.length === WRAP;
    }
  }
  return lines.map((text) => (/^(['"`]).*\1$/s.test(text) ? text.slice(1, -1) : text));
}

/** A report's URL object ({protocol, host[], port, path[], query[]}) as text. */
function urlText(url: any): string {
  if (!url || typeof url !== 'object') return String(url ?? '');
  const host = (url.host ?? []).join('.') + (url.port ? `:${url.port}` : '');
  const query = (url.query ?? []).map((q: any) => `${q.key}=${q.value ?? ''}`).join('&');
  return `${url.protocol ? `${url.protocol}://` : ''}${host}/${(url.path ?? []).join('/')}${query ? `?${query}` : ''}`;
}

function readReport(file: string): Pick<PostmanCliResult, 'executions' | 'failedTests'> {
  let report: any;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { executions: [], failedTests: [] };
  }
  const executions: CliExecution[] = (report.run?.executions ?? []).map((e: any) => ({
    item: String(e.requestExecuted?.name ?? ''),
    method: String(e.requestExecuted?.method ?? ''),
    url: urlText(e.requestExecuted?.url),
    sent: Array.isArray(e.requestExecuted?.headers) && e.requestExecuted.headers.length > 0,
    status: typeof e.response?.code === 'number' ? e.response.code : undefined,
    tests: (e.tests ?? []).map((t: any) => ({
      name: String(t.name),
      status: String(t.status),
      message: t.error ? String(t.error.message) : undefined,
    })),
    errors: (e.errors ?? []).map((x: any) => `${x.source ?? x.type}: ${x.message}`),
  }));
  return {
    executions,
    failedTests: executions.flatMap((e) => e.tests.filter((t) => t.status === 'failed').map((t) => t.message ?? t.name)),
  };
}

export interface PostmanCliOptions {
  /** Written to environment.json and passed with -e. */
  environment?: Record<string, string>;
  /** --env-var key=value, one each (a value may hold line breaks). */
  envVars?: Record<string, string>;
  /** More options: --ignore-redirects, --timeout-request 500, -i <name>, … */
  args?: string[];
  timeoutMs?: number;
}

/** Writes the collection (and environment) to a temp dir and runs `postman collection run` there. */
export async function runPostmanCli(collection: unknown, options: PostmanCliOptions = {}): Promise<PostmanCliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-postman-cli-'));
  writeFileSync(join(dir, 'collection.json'), JSON.stringify(collection));
  const args = ['collection', 'run', 'collection.json', '--disable-unicode', '-r', 'cli,json', '--reporter-json-export', 'report.json'];
  if (options.environment) {
    const values = Object.entries(options.environment).map(([key, value]) => ({ key, value, enabled: true }));
    writeFileSync(join(dir, 'environment.json'), JSON.stringify({ name: 'test', values }));
    args.push('-e', 'environment.json');
  }
  for (const [k, v] of Object.entries(options.envVars ?? {})) args.push('--env-var', `${k}=${v}`);
  args.push(...(options.args ?? []));
  const run = await spawnGroup(POSTMAN_CLI, args, { cwd: dir, env: isolatedEnv(dir, {}), timeoutMs: options.timeoutMs ?? 90_000 });
  return { ...run, console: consoleLines(run.stdout), ...readReport(join(dir, 'report.json')) };
}

/**
 * Runs a shell command line as a user types it, in `cwd`, with `postman` on the PATH (the binary from test/clients,
 * alone: the rest of test/clients/node_modules/.bin holds a Node 22 that would shadow this one) and `env` added.
 */
export function runPostmanShell(command: string, options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-postman-sh-'));
  mkdirSync(join(dir, 'bin'));
  symlinkSync(POSTMAN_CLI, join(dir, 'bin', 'postman'));
  const env = isolatedEnv(dir, options.env ?? {});
  env.PATH = `${join(dir, 'bin')}:${process.env.PATH ?? ''}`;
  return spawnGroup('/bin/sh', ['-c', command], { cwd: options.cwd, env, timeoutMs: options.timeoutMs ?? 90_000 }).then((run) => ({
    ...run,
    console: consoleLines(run.stdout),
  }));
}
