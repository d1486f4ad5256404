// Runs the real Yaak CLI (the binary package @yaakapp/cli-linux-x64 2026.8.1 from test/clients) with the
// Dfns signer plugin built in dist/: a fresh data directory per lab, the plugin installed from its folder
// in place, workspaces imported from Yaak export files (the format collections/yaak/ is written in), and
// one `yaak send` per request. Facts this relies on, with how they were measured: test/clients/yaak.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { YAAK_PLUGIN_DIR } from '../../scripts/build-yaak.mjs';

const clients = createRequire(new URL('../clients/package.json', import.meta.url));
export const YAAK = join(dirname(clients.resolve('@yaakapp/cli-linux-x64/package.json')), 'bin', 'yaak');
/** Yaak starts its plugin runtime with the first `node` on PATH, and that must be 24 or later: the pinned one. */
const NODE24_BIN = join(dirname(clients.resolve('node24/package.json')), 'bin');
/** The authentication name of the plugin (src/yaak-plugin/index.ts). */
export const AUTH = 'dfns-signer';

export interface YaakRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs `yaak --data-dir <dir> …args` in its own process group, and kills the group once it exits. */
export function runYaak(dataDir: string, args: string[], timeoutMs = 60_000): Promise<YaakRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(YAAK, ['--data-dir', dataDir, ...args], {
      env: { ...process.env, PATH: `${NODE24_BIN}${delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    // The CLI starts its Node plugin runtime as a child: when the CLI is killed, that one may stay.
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    const timer = setTimeout(killGroup, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------- Yaak export files (yaakSchema 4)

export interface YaakRequestSpec {
  /** Unique in the workspace: requests are sent by name. */
  name: string;
  method: string;
  /** May hold ${[ variables ]} and :placeholders. */
  url: string;
  /** Values of the URL's :placeholders, by name without the colon. */
  pathParams?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON body (body type application/json). */
  json?: string;
  /** Any other body as Yaak stores it. */
  body?: { bodyType: string; body: Record<string, unknown> };
  /** Default: inherit from the workspace. 'none': no auth. An object: this plugin, with these arguments. */
  auth?: 'inherit' | 'none' | Record<string, string>;
}

export interface YaakWorkspaceSpec {
  /** The base environment ("Global Variables"), active without -e. */
  variables?: Record<string, string>;
  /** Sub-environments by name, each over the base one when sent with its id as -e. */
  environments?: Record<string, Record<string, string>>;
  /** The workspace's authentication: this plugin with these arguments (default: none given), or 'none'. */
  auth?: 'none' | Record<string, string>;
  requests: YaakRequestSpec[];
}

const kv = (entries: Record<string, string> = {}) => Object.entries(entries).map(([name, value]) => ({ enabled: true, name, value }));

/** A Yaak export document holding one workspace. */
export function workspaceExport(spec: YaakWorkspaceSpec) {
  const workspaceId = 'wk_dfnstest00';
  const authOf = (auth: YaakRequestSpec['auth']) =>
    auth === undefined || auth === 'inherit'
      ? { authenticationType: null, authentication: {} }
      : auth === 'none'
        ? { authenticationType: 'none', authentication: {} }
        : { authenticationType: AUTH, authentication: auth };
  return {
    yaakVersion: '2026.8.1',
    yaakSchema: 4,
    timestamp: '2025-01-01T00:00:00',
    resources: {
      workspaces: [{ model: 'workspace', id: workspaceId, name: 'dfns-signer test', headers: [], ...authOf(spec.auth ?? {}) }],
      environments: [
        {
          model: 'environment',
          id: 'ev_dfnstest00',
          workspaceId,
          name: 'Global Variables',
          parentModel: 'workspace',
          parentId: null,
          public: true,
          variables: kv(spec.variables),
        },
        ...Object.entries(spec.environments ?? {}).map(([name, variables], i) => ({
          model: 'environment',
          id: `ev_dfnstest${String(i + 1).padStart(2, '0')}`,
          workspaceId,
          name,
          parentModel: 'environment',
          parentId: null,
          public: false,
          variables: kv(variables),
        })),
      ],
      folders: [],
      httpRequests: spec.requests.map((r, i) => ({
        model: 'http_request',
        id: `rq_dfnstest${String(i).padStart(2, '0')}`,
        workspaceId,
        folderId: null,
        name: r.name,
        method: r.method,
        url: r.url,
        urlParameters: Object.entries(r.pathParams ?? {}).map(([name, value]) => ({ enabled: true, name: `:${name}`, value })),
        headers: kv({ ...(r.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...r.headers }),
        ...(r.body ?? (r.json !== undefined ? { bodyType: 'application/json', body: { text: r.json } } : { bodyType: null, body: {} })),
        ...authOf(r.auth),
        sortPriority: i + 1,
      })),
      grpcRequests: [],
      websocketRequests: [],
    },
  };
}

// ---------------------------------------------------------------- a data directory with the plugin

export interface SentRequest extends YaakRun {
  /** The one line Yaak prints when it did not send the request (stderr, "Error: …"), else undefined. */
  error?: string;
}

export interface YaakLab {
  dir: string;
  /** Imports an export file (a path), or a document; returns what the CLI printed and the ids Yaak gave the models, by name. */
  load(
    fileOrDocument: string | object,
  ): Promise<{ imported: string; workspaceId: string; requests: Record<string, string>; environments: Record<string, string> }>;
  /** Sends one request by id, with an environment (by id) over the base one. */
  send(requestId: string, options?: { environment?: string; log?: boolean }): Promise<SentRequest>;
  close(): void;
}

async function ok(dir: string, args: string[]): Promise<YaakRun> {
  const run = await runYaak(dir, args);
  if (run.code !== 0) throw new Error(`yaak ${args.join(' ')} failed (${run.code ?? run.signal}): ${run.stderr || run.stdout}`);
  return run;
}

/** A fresh data directory with dist/yaak-plugin-dfns-signer installed (in place, as `yaak plugin install <dir>` does). */
export async function yaakLab(): Promise<YaakLab> {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-yaak-'));
  await ok(dir, ['plugin', 'install', YAAK_PLUGIN_DIR]);
  const loaded = new Set<string>();
  return {
    dir,
    async load(fileOrDocument) {
      let file = fileOrDocument;
      if (typeof file !== 'string') writeFileSync((file = join(dir, `import-${loaded.size}.json`)), JSON.stringify(fileOrDocument));
      const imported = (await ok(dir, ['import', file])).stdout.trim();
      // Import gives new ids: read them back from an export of everything.
      const out = join(dir, `export-${loaded.size}.json`);
      await ok(dir, ['export', out, '--all', '--include-private-environments']);
      const { resources } = JSON.parse(readFileSync(out, 'utf8'));
      const workspace = resources.workspaces.find((w: any) => !loaded.has(w.id));
      loaded.add(workspace.id);
      const byName = (models: any[]) => Object.fromEntries(models.filter((m) => m.workspaceId === workspace.id).map((m) => [m.name, m.id]));
      return {
        imported,
        workspaceId: workspace.id,
        requests: byName(resources.httpRequests),
        environments: byName(resources.environments),
      };
    },
    async send(requestId, { environment, log = false } = {}) {
      const run = await runYaak(dir, [...(log ? ['--log', 'info'] : []), 'send', requestId, ...(environment ? ['-e', environment] : [])]);
      const error = run.stderr.split('\n').find((l) => l.startsWith('Error: '));
      return { ...run, error };
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
