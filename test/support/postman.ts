// Builds Postman collections around the bundle and runs them through newman in a child process.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');

export interface ItemSpec {
  name?: string;
  method: string;
  /** Raw URL, may hold {{variables}} and :pathVariables. */
  url: string;
  body?: string;
  /** raw body language: json (default) or text; 'formdata' / 'urlencoded' build those modes. */
  bodyMode?: 'raw-json' | 'raw-text' | 'formdata' | 'urlencoded' | 'file';
  headers?: Record<string, string>;
  pathVariables?: Record<string, string>;
  auth?: unknown;
  prerequest?: string;
}

function parseUrl(raw: string, pathVariables?: Record<string, string>) {
  const m = /^((?:[a-z]+:\/\/)?)([^/?]*)([^?]*)(\?.*)?$/.exec(raw)!;
  const url: Record<string, unknown> = {
    raw,
    host: [m[2]],
    path: m[3].split('/').filter((_s, i) => i > 0),
  };
  if (m[1]) url.protocol = m[1].replace('://', '');
  if (m[4])
    url.query = m[4]
      .slice(1)
      .split('&')
      .map((kv) => ({ key: kv.split('=')[0], value: kv.split('=').slice(1).join('=') }));
  if (pathVariables) url.variable = Object.entries(pathVariables).map(([key, value]) => ({ key, value }));
  return url;
}

export function item(spec: ItemSpec) {
  const header = Object.entries(spec.headers ?? {}).map(([key, value]) => ({ key, value }));
  let body: unknown;
  if (spec.body !== undefined) {
    if (spec.bodyMode === 'formdata') body = { mode: 'formdata', formdata: [{ key: 'a', value: spec.body, type: 'text' }] };
    else if (spec.bodyMode === 'file') body = { mode: 'file', file: { src: spec.body } };
    else if (spec.bodyMode === 'urlencoded') body = { mode: 'urlencoded', urlencoded: [{ key: 'a', value: spec.body }] };
    else body = { mode: 'raw', raw: spec.body, options: { raw: { language: spec.bodyMode === 'raw-text' ? 'text' : 'json' } } };
  }
  return {
    name: spec.name ?? `${spec.method} ${spec.url}`,
    request: { method: spec.method, header, url: parseUrl(spec.url, spec.pathVariables), body, auth: spec.auth },
    event: spec.prerequest ? [{ listen: 'prerequest', script: { type: 'text/javascript', exec: spec.prerequest.split('\n') } }] : [],
  };
}

export function collection(items: ItemSpec[], script = BUNDLE) {
  return {
    info: { name: 'dfns-signer test', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: script.split('\n') } }],
    item: items.map(item),
  };
}

/** A script's package imports as the Postman app stores them in the collection: name -> { id }. */
export type PackageDeclaration = Record<string, { id: string }>;

/** One entry per `pm.require('<name>')` with a literal name in `script` (the id is opaque here). */
export function packagesRequiredBy(script: string): PackageDeclaration | undefined {
  const names = [...script.matchAll(/\bpm\.require\(\s*(['"`])([^'"`]+)\1\s*\)/g)].map((m) => m[2]);
  return names.length
    ? Object.fromEntries(names.map((name) => [name, { id: `pkg-${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}` }]))
    : undefined;
}

function prerequest(script: string) {
  const packages = packagesRequiredBy(script);
  return [{ listen: 'prerequest', script: { type: 'text/javascript', exec: script.split('\n'), ...(packages ? { packages } : {}) } }];
}

/**
 * A collection for the Package Library: `script` (if any) is the collection-level pre-request script,
 * each item's `prerequest` its request-level one, and every script declares in `packages` the
 * packages it pm.require()s, as the Postman app saves them. Serve the sources with runNewman's `packages`.
 */
export function packageCollection(items: ItemSpec[], script?: string) {
  return {
    info: { name: 'dfns-signer package test', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    event: script ? prerequest(script) : [],
    item: items.map((spec) => ({ ...item(spec), event: spec.prerequest ? prerequest(spec.prerequest) : [] })),
  };
}

export interface NewmanReport {
  runError?: string;
  failures: { at: string; source?: string; message?: string }[];
  consoleLines: string[];
  sent: { item: string; method: string; url: string; error?: string }[];
  /** Every variable scope as it stood at the end of the run. */
  variables: Record<'environment' | 'globals' | 'collection', { key: string; value: unknown }[]>;
  runtime: string;
  /** With `packages`: what the runtime asked the package resolver, one entry per script run (null: no declaration). */
  packageRequests?: (PackageDeclaration | null)[];
}

export type Runtime = 'newman-6.2' | 'sandbox-6';
export const RUNTIMES: Runtime[] = ['newman-6.2', 'sandbox-6'];

export function runNewman(
  runtime: Runtime,
  input: {
    collection: unknown;
    env?: Record<string, string>;
    iterationData?: unknown[];
    iterationCount?: number;
    timeoutRequest?: number;
    /** newman's --ignore-redirects: a 3xx is the answer, to the requests and to the scripts' pm.sendRequest. */
    ignoreRedirects?: boolean;
    vaultSecrets?: { values: Record<string, string>; allowScriptAccess: boolean };
    /**
     * Package Library: name -> source text, served to `pm.require(name)` in scripts that declare it
     * (see packageCollection). Without it scripts have no pm.require, as in newman. Works on both runtimes.
     */
    packages?: Record<string, string>;
    /** Where form-data files (a file field's src) are read from. */
    workingDir?: string;
  },
  /** How long the newman child may run (a long soak on a loaded machine needs more). */
  timeoutMs = 120_000,
): Promise<NewmanReport> {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-newman-'));
  const file = join(dir, 'input.json');
  writeFileSync(file, JSON.stringify(input));
  const runner = new URL('./run-newman.cjs', import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [runner, runtime === 'sandbox-6' ? 'sandbox-6' : 'newman', file],
      { maxBuffer: 64 << 20, timeout: timeoutMs },
      (err, stdout, stderr) => {
        if (!stdout) return reject(new Error(`newman crashed: ${err?.message}\n${stderr}`));
        resolve(JSON.parse(stdout));
      },
    );
  });
}

export interface ShellRun {
  /** Exit code, null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a shell command line as a user types it (`npx newman run …`), in `cwd`, with `env` added, in its own process
 * group; kills the group `killAfter.graceMs` after a line of its output first matches `killAfter.match` (a run that
 * would not end by itself), or at `timeoutMs`.
 */
export function runShell(
  command: string,
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number; killAfter?: { match: RegExp; graceMs: number } },
): Promise<ShellRun> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_offline: 'true', ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killing = false;
    const kill = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // gone already
      }
    };
    const timer = setTimeout(kill, options.timeoutMs ?? 90_000);
    const watch = () => {
      const { killAfter } = options;
      if (!killAfter || killing) return;
      if ((stdout + stderr).split('\n').some((line) => killAfter.match.test(line.trim()))) {
        killing = true;
        setTimeout(kill, killAfter.graceMs);
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      watch();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      watch();
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      kill();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * Where the READMEs' commands run as written: a directory laid out like the repository, with the generated collection,
 * its environment template naming the emulator (dfnsApiScheme http: the emulator has no TLS), my.postman_environment.json
 * that template filled in (as collections/README.md says), the key as prime256v1.pem, and this repository's
 * node_modules (so `npx newman` runs the installed newman).
 */
export function recipeWorkspace(lab: { dfnsHost: string; token: string; privatePem: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfns-newman-recipe-'));
  mkdirSync(join(dir, 'collections'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  copyFileSync(join(ROOT, 'collections', 'dfns-api.postman_collection.json'), join(dir, 'collections', 'dfns-api.postman_collection.json'));
  const template = JSON.parse(readFileSync(join(ROOT, 'collections', 'dfns.postman_environment.json'), 'utf8'));
  const withValues = (values: Record<string, string>) => ({
    ...template,
    values: template.values.map((v: { key: string }) => (v.key in values ? { ...v, value: values[v.key] } : v)),
  });
  const emulator = { dfnsApiScheme: 'http', dfnsApiDomain: lab.dfnsHost };
  writeFileSync(join(dir, 'collections', 'dfns.postman_environment.json'), JSON.stringify(withValues(emulator), null, 2));
  writeFileSync(
    join(dir, 'my.postman_environment.json'),
    JSON.stringify(withValues({ ...emulator, authToken: lab.token, credentialPrivateKey: lab.privatePem }), null, 2),
  );
  writeFileSync(join(dir, 'prime256v1.pem'), lab.privatePem);
  return dir;
}
