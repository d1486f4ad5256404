// Builds Apidog CLI collections around the bundle (or a probe script) in temp dirs and runs them with the
// real `apidog run` (apidog-cli 2.2.9, installed in test/clients, run with this Node). The file format is
// the one `apidog run <file>` takes offline: {apidogCli: "1.1", info, item: [folder: {name, event?, item:
// [{id, name, metaInfo: {type: "http"}, request: <Postman v2.1 request>, event}]}], event?}. Its sandbox is
// a postman-sandbox fork, so items are built with the newman helper (test/support/postman.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE, type ItemSpec, item } from './postman';

export { BUNDLE, type ItemSpec };

const CLI = fileURLToPath(new URL('../clients/node_modules/apidog-cli/bin/cli.js', import.meta.url));

/** Where the shared script goes: the collection's own `event`, the folder's, or each request's (before its own). */
export type ScriptLevel = 'collection' | 'folder' | 'request';

const prerequest = (script: string) => ({ listen: 'prerequest', script: { type: 'text/javascript', exec: script.split('\n') } });

/**
 * An Apidog CLI collection: one folder holding the requests in order. The shared script defaults to the
 * bundle (null: none); each spec's own `prerequest` runs after it, as in Postman.
 */
export function apidogCollection(items: ItemSpec[], options: { script?: string | null; level?: ScriptLevel } = {}) {
  const script = options.script === undefined ? BUNDLE : options.script;
  const level = options.level ?? 'collection';
  const shared = (at: ScriptLevel) => (script !== null && level === at ? [prerequest(script)] : []);
  return {
    apidogCli: '1.1',
    info: { name: 'dfns-signer test' },
    event: shared('collection'),
    item: [
      {
        name: 'requests',
        event: shared('folder'),
        item: items.map((spec, i) => {
          const it = item(spec);
          return { id: `req-${i + 1}`, ...it, metaInfo: { type: 'http' }, event: [...shared('request'), ...it.event] };
        }),
      },
    ],
  };
}

export interface ApidogFailure {
  /** The item's name ('' when the failure is not tied to one). */
  item: string;
  /** Where: 'prerequest-script:…', 'request', 'assertion:N in test-script'. */
  at: string;
  message: string;
}

export interface ApidogResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** From the JSON report (none: the run crashed before writing it). */
  failures: ApidogFailure[];
  /** Requests the runner counted (pm.sendRequest ones included) and how many of them errored. */
  requests?: { total: number; failed: number };
  /** console.* lines of the scripts, as the CLI reporter prints them (a lone string unquoted); the CLI
   * cuts lines at 54 characters and these are joined back (an entry of exactly 54 characters swallows the next). */
  console: string[];
  /** Every request the CLI reporter printed, pm.sendRequest ones included, in order: `POST http://… [200 OK, …]`,
   * or `POST https://… [errored]` with the error line under it (`getaddrinfo ENOTFOUND …`). */
  sent: { line: string; error?: string }[];
}

export interface RunOptions {
  /** --env-var key=value, one line each (a PEM as one line with literal \n). */
  envVars?: Record<string, string>;
  extraArgs?: string[];
  timeoutMs?: number;
  /** Files written next to the collection (name → content): a form-data file field's src names one. */
  files?: Record<string, string>;
}

const WRAP = 54;

function parseCliOutput(stdout: string): Pick<ApidogResult, 'console' | 'sent'> {
  const consoleLines: string[] = [];
  const sent: ApidogResult['sent'] = [];
  const lines = stdout.split('\n');
  let inBox = false;
  let last = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '  ┌') inBox = true;
    else if (line === '  └') inBox = false;
    else if (inBox && line.startsWith('  │ ')) {
      const part = line.slice(4);
      if (last.length === WRAP && consoleLines.length > 0) consoleLines[consoleLines.length - 1] += part;
      else consoleLines.push(part);
      last = part;
    } else if (/^ {2}[A-Z]+ \S* ?\[/.test(line) || /^ {2}\S+ \S* \[errored\]$/.test(line)) {
      const error = line.endsWith('[errored]') && lines[i + 1]?.startsWith('     ') ? lines[i + 1].trim() : undefined;
      sent.push({ line: line.trim(), error });
    }
  }
  const unquote = (s: string) => (/^(['"`]).*\1$/s.test(s) && !/^(['"`]).*\1, /s.test(s) ? s.slice(1, -1) : s);
  return { console: consoleLines.map(unquote), sent };
}

/** Writes the collection to a temp dir and runs `apidog run` there with a JSON report next to the CLI one. */
export function runApidog(collection: unknown, options: RunOptions = {}): Promise<ApidogResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-apidog-'));
  writeFileSync(join(dir, 'collection.json'), JSON.stringify(collection));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  const args = [CLI, 'run', 'collection.json', '--lang', 'en', '-r', 'cli,json', '--out-dir', 'report', '--out-file', 'report'];
  for (const [k, v] of Object.entries(options.envVars ?? {})) args.push('--env-var', `${k}=${v}`);
  args.push(...(options.extraArgs ?? []));
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: dir, maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (err, stdout, stderr) => {
        let failures: ApidogFailure[] = [];
        let requests: ApidogResult['requests'];
        try {
          const report = JSON.parse(readFileSync(join(dir, 'report', 'report.json'), 'utf8'));
          const names: string[] = (report.collection?.item ?? []).flatMap((f: any) => (f.item ? f.item.map((i: any) => i.name) : [f.name]));
          failures = (report.result?.failures ?? []).map((f: any) => ({
            item: names[f.cursor?.position] ?? '',
            at: String(f.at ?? ''),
            message: String(f.error?.message ?? ''),
          }));
          const r = report.result?.stats?.requests;
          if (r) requests = { total: r.total, failed: r.failed };
        } catch {
          // no report: stdout/stderr say why
        }
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
          failures,
          requests,
          ...parseCliOutput(stdout),
        });
      },
    );
  });
}
