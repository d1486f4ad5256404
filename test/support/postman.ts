// Builds Postman collections around the bundle and runs them through newman in a child process.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
