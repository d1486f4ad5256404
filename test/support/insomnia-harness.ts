// A small reproduction of how Insomnia runs a pre-request script and a plugin request hook, enough to
// run dist/dfns-signer.js and the plugin against the emulator. No Insomnia runtime installs from
// the registry, so this is built from its sources (Kong/insomnia, read on GitHub):
//  - objects: packages/insomnia-scripting-environment/src/objects/ (insomnia-sdk in 10.x):
//    environments.ts (Environment, Variables: get = first truthy of local, folder, iteration data,
//    environment, base environment, globals), interpolator.ts (replaceIn: Nunjucks with
//    throwOnUndefined, {{ $faker }}), properties.ts (PropertyList, with its upsert bug), headers.ts,
//    urls.ts (Url.toString), request.ts (Request, RequestBody.update, upsertHeader, mergeRequests),
//    execution.ts (skipRequest), send-request.ts (callback + promise), response.ts (code, text, json);
//  - script wrappers: packages/insomnia/src/hidden-window.ts (10.x/11.x: AsyncFunction, no IIFE, sloppy
//    mode) and packages/insomnia/src/scripting/run-script.ts (12.5+: IIFE, 'use strict', masked
//    globals from scripting/script-security-policy.ts, AST check from scripting/sandbox.ts, which
//    insomnia-harness.checker.cjs reimplements);
//  - what the app does after the script: packages/insomnia/src/ui/routes/request.tsx (script error
//    or skipRequest: the request is not sent), common/render.ts (templates rendered after the script,
//    /:name path parameters replaced with encodeURIComponent(value));
//  - plugins: packages/insomnia/src/plugins/context/request.ts (context.request), network/network.ts
//    (_applyRequestPluginHooks: a throwing hook stops the request).
// Simplified, and said so where it matters: Nunjucks is reduced to {{ name }} / {{ a.b }} lookups
// (template tags throw, as Insomnia's replaceIn does for tags it cannot render); the async-task
// monitor is not reproduced (the bundle awaits all its work); requests go out with Node's fetch.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

// ---------- objects (insomnia-scripting-environment) ----------

const FAKER: Record<string, () => string> = { randomUUID: () => randomUUID(), randomInt: () => String(Math.floor(Math.random() * 1000)) };

function lookup(context: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== undefined && o !== null ? (o as Record<string, unknown>)[k] : undefined), context);
}

/** interpolator.ts render(): faker tags first, then variables; anything undefined throws (throwOnUndefined). */
export function render(template: string, context: Record<string, unknown>): string {
  const faked = template.replace(/\{\{\s*\$(\w+)\s*\}\}/g, (_m, name: string) => {
    if (!FAKER[name]) throw new Error(`replaceIn: no faker function is found: ${name}`);
    return FAKER[name]();
  });
  if (/\{%/.test(faked)) throw new Error('Template render error: unknown block tag');
  return faked.replace(/\{\{\s*([A-Za-z_$][\w$.]*)\s*\}\}/g, (_m, path: string) => {
    const value = lookup(context, path);
    if (value === undefined || value === null) throw new Error(`Template render error: attempted to output null or undefined value (${path})`);
    return String(value);
  });
}

export class Environment {
  private kvs: Map<string, unknown>;
  constructor(data: Record<string, unknown> = {}) {
    this.kvs = new Map(Object.entries(data));
  }
  has = (name: string) => this.kvs.has(name);
  get = (name: string) => this.kvs.get(name);
  set = (name: string, value: unknown) => void (value !== null && this.kvs.set(name, value));
  unset = (name: string) => void this.kvs.delete(name);
  replaceIn = (template: string) => render(template, this.toObject());
  toObject = () => Object.fromEntries(this.kvs.entries());
}

class Variables {
  constructor(private scopes: { local: Environment; folder: Environment; environment: Environment; base: Environment; globals: Environment }) {}
  private order = () => [this.scopes.local, this.scopes.folder, this.scopes.environment, this.scopes.base, this.scopes.globals];
  get = (name: string) => {
    let found: unknown;
    for (const env of this.order()) {
      const value = env.get(name);
      if (!found && value) found = value;
    }
    return found;
  };
  has = (name: string) => this.order().some((env) => env.has(name));
  set = (name: string, value: unknown) => this.scopes.local.set(name, value);
  replaceIn = (template: string) => render(template, Object.assign({}, ...this.order().reverse().map((e) => e.toObject())));
}

export class Header {
  id = '';
  key: string;
  value: string;
  disabled?: boolean;
  static _index = 'key';
  constructor(opts: { key: string; value: string; disabled?: boolean }) {
    this.key = opts.key || '';
    this.value = opts.value || '';
    this.disabled = opts.disabled;
  }
}

/** properties.ts PropertyList over headers (index field 'key', case-sensitive). */
export class HeaderList {
  constructor(public list: Header[]) {}
  add = (h: Header) => void this.list.push(h);
  append = (h: Header) => this.add(h);
  each = (fn: (h: Header) => void, _context?: object) => this.list.forEach(fn);
  filter = (fn: (h: Header) => boolean, _context?: object) => this.list.filter(fn);
  map = <T>(fn: (h: Header) => T, _context?: object) => this.list.map(fn);
  one = (key: string) => [...this.list].reverse().find((h) => h.key === key);
  get = (key: string) => this.one(key);
  indexOf = (item: string | Header) => this.list.findIndex((h) => h.key === (typeof item === 'string' ? item : item.key));
  count = () => this.list.length;
  /** As upstream: splice(0, idx) shortens the list before splice(idx + 1) reads it, so the header after the replaced one is lost. */
  upsert = (item: Header) => {
    const idx = this.indexOf(item);
    if (idx < 0) {
      this.add(item);
      return true;
    }
    const head = this.list.splice(0, idx);
    const tail = this.list.splice(idx + 1);
    this.list = [...head, item, ...tail];
    return false;
  };
}

class Url {
  private parsed?: URL;
  private query: { key: string; value: string }[] = [];
  constructor(private origin: string) {
    // urls.ts initFields: parsed when URL.canParse and no {% tag %}; query kept apart, raw.
    if (URL.canParse(origin) && !/\{%/.test(origin)) {
      this.parsed = new URL(origin);
      this.parsed.searchParams.forEach((value, key) => this.query.push({ key, value }));
      this.parsed.search = '';
    }
  }
  addQueryParams(params: { key: string; value: string; disabled?: boolean }[]) {
    this.query.push(...params.map((p) => ({ key: p.key, value: p.value })));
  }
  getQueryString = () => this.query.map((p) => `${p.key}=${p.value}`).join('&');
  toString(): string {
    if (!this.parsed) return this.origin;
    const copy = new URL(this.parsed.toString());
    copy.search = this.getQueryString();
    const text = copy.toString();
    return this.parsed.pathname === '/' && text === this.origin + '/' ? text.slice(0, -1) : text;
  }
  toStringWithoutQuery(): string {
    if (!this.parsed) return this.origin;
    const text = this.parsed.toString();
    return this.parsed.pathname === '/' && text === this.origin + '/' ? text.slice(0, -1) : text;
  }
}

class RequestBody {
  mode?: string;
  raw?: string;
  options?: object;
  constructor(opts: { mode?: string; raw?: string; options?: object }) {
    this.update(opts);
  }
  update(opts: { mode?: string; raw?: string; options?: object }) {
    this.mode = opts.mode;
    this.raw = opts.raw;
    this.options = opts.options;
  }
}

class ScriptRequest {
  url: Url;
  method: string;
  headers: HeaderList;
  body?: RequestBody;
  auth: { toJSON(): { type: string } };
  pathParameters: { name: string; value: string }[];
  constructor(r: InsomniaRequest) {
    this.url = new Url(r.url);
    this.url.addQueryParams((r.parameters ?? []).map((p) => ({ key: p.name, value: p.value })));
    this.method = r.method;
    this.headers = new HeaderList((r.headers ?? []).map((h) => new Header({ key: h.name, value: h.value, disabled: h.disabled })));
    // request.ts toScriptRequestBody: text → raw; urlencoded/file are modes the signer refuses.
    this.body = new RequestBody(r.body.text !== undefined ? { mode: 'raw', raw: r.body.text } : r.body.params ? { mode: 'urlencoded' } : { mode: undefined });
    const type = r.authentication?.type && r.authentication.type !== 'none' ? r.authentication.type : 'noauth';
    this.auth = { toJSON: () => ({ type }) };
    this.pathParameters = r.pathParameters ?? [];
  }
  addHeader(h: { key: string; value: string }) {
    this.headers.add(new Header(h));
  }
  /** request.ts upsertHeader: drop headers with the same key (case-sensitive), append. */
  upsertHeader(h: { key: string; value: string }) {
    this.headers = new HeaderList(this.headers.filter((existing) => existing.key !== h.key));
    this.headers.append(new Header(h));
  }
}

export class ScriptResponse {
  constructor(public code: number, private body: string) {}
  text = () => this.body;
  json = () => JSON.parse(this.body);
}

export type InsomniaVersion = '11' | '12.5';

/**
 * send-request.ts: a Postman-style request object. A failure reaches the callback as a string (curl's
 * message: curlOutputToResponse throws result.patch.error) and the promise resolves undefined; without
 * a callback 12.x rejects, while 10.x/11.x call the missing callback and never settle.
 */
function sendRequest(version: InsomniaVersion, req: any, cb?: (err?: unknown, res?: ScriptResponse) => void): Promise<ScriptResponse | void> {
  return new Promise(async (resolve, reject) => {
    try {
      const headers = Object.fromEntries((req.header ?? []).map((h: { key: string; value: string }) => [h.key, h.value]));
      const res = await fetch(req.url, { method: req.method, headers, body: req.body?.raw });
      const response = new ScriptResponse(res.status, await res.text());
      if (cb) cb(undefined, response);
      resolve(response);
    } catch (e: any) {
      const message = e?.cause?.code === 'ECONNREFUSED' ? "Couldn't connect to server" : String(e?.cause?.message ?? e?.message);
      if (cb) {
        cb(message);
        resolve();
      } else if (version === '12.5') reject(message);
    }
  });
}

/**
 * What Insomnia's script editor does to pasted text, and its Postman importer to scripts
 * (utils/importers/importers/postman.ts translateHandlersInScript, 10.x): every `pm.` not preceded
 * by [0-9a-zA-Z_$] becomes `insomnia.`, strings and comments included.
 */
export function pasteIntoScriptEditor(script: string): string {
  let out = '';
  for (let i = 0; i < script.length; i++) {
    if (script.startsWith('pm.', i) && !(i > 0 && /[0-9a-zA-Z_$]/.test(script[i - 1]))) {
      out += 'insomnia.';
      i += 2;
    } else out += script[i];
  }
  return out;
}

// ---------- the app around the script ----------

export interface InsomniaRequest {
  _id?: string;
  url: string;
  method: string;
  headers?: { name: string; value: string; disabled?: boolean }[];
  parameters?: { name: string; value: string }[];
  pathParameters?: { name: string; value: string }[];
  body: { mimeType?: string; text?: string; params?: { name: string; value: string }[] };
  authentication?: { type?: string; token?: string };
}

export interface InsomniaWorkspace {
  environment?: Record<string, unknown>;
  baseEnvironment?: Record<string, unknown>;
  globals?: Record<string, unknown>;
  folder?: Record<string, unknown>;
}

export interface Outcome {
  /** What the app shows instead of a response when the request is not sent. */
  error?: string;
  /** The request as it went out, when it did. */
  sent?: { url: string; method: string; headers: Record<string, string>; body?: string };
  status?: number;
  logs: string[];
}

/** common/render.ts, reduced: {{ _.x }} and {{ x }} from the environments, /:name path parameters. */
function renderRequest(r: InsomniaRequest, ws: InsomniaWorkspace) {
  const context = { ...ws.globals, ...ws.baseEnvironment, ...ws.environment, ...ws.folder };
  const ctx = { ...context, _: context };
  let url = render(r.url, ctx);
  if (!/^[a-z]+:\/\//i.test(url)) url = `http://${url}`;
  url = url.replace(/\/:[^/?#:]+/g, (m) => {
    const p = r.pathParameters?.find((x) => x.name === m.slice(2));
    return p && p.value ? `/${encodeURIComponent(render(p.value, ctx))}` : m;
  });
  const params = (r.parameters ?? []).map((p) => `${render(p.name, ctx)}=${render(p.value, ctx)}`).join('&');
  const headers = (r.headers ?? []).filter((h) => !h.disabled).map((h) => ({ name: render(h.name, ctx), value: render(h.value, ctx) }));
  const auth = r.authentication?.type === 'bearer' ? { ...r.authentication, token: render(r.authentication.token ?? '', ctx) } : r.authentication ?? {};
  return {
    _id: r._id ?? 'req_1',
    url: params ? `${url}${url.includes('?') ? '&' : '?'}${params}` : url,
    method: r.method,
    headers,
    body: r.body.text !== undefined ? { mimeType: r.body.mimeType, text: render(r.body.text, ctx) } : { ...r.body },
    authentication: auth,
    context,
  };
}

async function send(rendered: ReturnType<typeof renderRequest>, logs: string[]): Promise<Outcome> {
  const headers: Record<string, string> = {};
  for (const h of rendered.headers) headers[h.name] = h.value;
  if (rendered.authentication.type === 'bearer' && (rendered.authentication as any).token) headers.Authorization = `Bearer ${(rendered.authentication as any).token}`;
  if (rendered.body.mimeType && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = rendered.body.mimeType;
  const body = rendered.body.text;
  const res = await fetch(rendered.url, { method: rendered.method, headers, body: body === undefined || body === '' ? undefined : body });
  await res.text();
  return { sent: { url: rendered.url, method: rendered.method, headers, body }, status: res.status, logs };
}

export interface ScriptOptions {
  version: InsomniaVersion;
  /** 12.5+: Settings → Scripting → "Enable script sandbox" (default on). */
  sandbox?: boolean;
  timeoutMs?: number;
}

/** Runs `script` as the pre-request script of `request`, then sends the request unless the app would not. */
export async function runPreRequestScript(script: string, request: InsomniaRequest, ws: InsomniaWorkspace, options: ScriptOptions): Promise<Outcome> {
  const logs: string[] = [];
  const scriptConsole = { log: (...a: unknown[]) => logs.push(a.map(String).join(' ')), warn: (...a: unknown[]) => logs.push(a.map(String).join(' ')), error: (...a: unknown[]) => logs.push(a.map(String).join(' ')), info: (...a: unknown[]) => logs.push(a.map(String).join(' ')) };
  const scopes = { local: new Environment(), folder: new Environment(ws.folder), environment: new Environment(ws.environment), base: new Environment(ws.baseEnvironment), globals: new Environment(ws.globals) };
  let skip = false;
  const insomnia = {
    environment: scopes.environment,
    baseEnvironment: scopes.base,
    collectionVariables: scopes.base,
    globals: scopes.globals,
    variables: new Variables(scopes),
    request: new ScriptRequest(request),
    execution: { skipRequest: () => void (skip = true), location: [] as string[] },
    sendRequest: (req: unknown, cb?: (err?: unknown, res?: ScriptResponse) => void) => sendRequest(options.version, req, cb),
  };
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
  const bridge = { resetAsyncTasks() {}, stopMonitorAsyncTasks() {}, asyncTasksAllSettled: async () => {} };
  let run: () => Promise<unknown>;
  if (options.version === '11') {
    // hidden-window.ts (window is the hidden window's global there; a parameter here)
    const fn = new AsyncFunction('insomnia', 'require', 'console', 'eval', '_', 'setTimeout', 'setImmediate', 'queueMicrotask', 'process', 'window',
      `\n      const $ = insomnia;\n      window.bridge.resetAsyncTasks(); // exclude unnecessary ones\n      ${script};\n      window.bridge.stopMonitorAsyncTasks();  // the next one should not be monitored\n      await window.bridge.asyncTasksAllSettled();\n      return insomnia;`);
    const requireInterceptor = (name: string) => {
      throw new Error(`Cannot find module '${name}'`);
    };
    run = () => fn(insomnia, requireInterceptor, scriptConsole, (code: string) => (0, eval)(code), undefined, setTimeout, undefined, undefined, undefined, { bridge });
  } else {
    // run-script.ts + sandbox.ts: the AST check, then masked globals and strict mode.
    if (options.sandbox !== false) {
      const violation = checkScript(script);
      if (violation) return { error: `Execute pre-request script failed: ${violation}`, logs };
    }
    const masks = ['require', 'window', 'eval', 'globalThis', 'global', 'Function', 'process', 'setImmediate', 'queueMicrotask', 'Proxy', 'Reflect', 'WebAssembly'];
    const maskValues = [() => { throw new Error('require is not allowed'); }, { bridge }, () => { throw new Error('eval is not allowed'); }, ...masks.slice(3).map(() => undefined)];
    const body = ['__bridgeReset__();', 'await (async function() {', "  'use strict';", '  const $ = insomnia;', `  ${script}`, '})();', 'await __waitForAllTestsDone__();', '__bridgeStop__();', 'await __bridgeSettle__();', 'return insomnia;'].join('\n');
    const fn = new AsyncFunction('insomnia', 'console', '_', 'setTimeout', '__waitForAllTestsDone__', '__bridgeReset__', '__bridgeStop__', '__bridgeSettle__', ...masks, body);
    run = () => fn(insomnia, scriptConsole, undefined, setTimeout, async () => {}, () => {}, () => {}, async () => {}, ...maskValues);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await Promise.race([run(), new Promise((_r, reject) => setTimeout(() => reject(new Error('Timeout: Running script took too long')), timeoutMs).unref())]);
  } catch (e: any) {
    return { error: `Execute pre-request script failed: ${e?.message ?? e}`, logs };
  }
  if (skip) return { error: 'Request was cancelled by pre-request script', logs };
  // request.ts mergeRequests: URL without query, query from the Url, body text from raw, headers from the list.
  const r = insomnia.request;
  const merged: InsomniaRequest = {
    ...request,
    url: r.url.toStringWithoutQuery(),
    method: r.method,
    parameters: r.url.getQueryString() ? r.url.getQueryString().split('&').map((kv) => ({ name: kv.split('=')[0], value: kv.split('=').slice(1).join('=') })) : [],
    headers: r.headers.map((h) => ({ name: h.key, value: h.value, disabled: h.disabled })),
    body: { ...request.body, text: r.body?.mode === 'raw' ? r.body.raw : request.body.text },
  };
  return send(renderRequest(merged, ws), logs);
}

// ---------- plugins ----------

/** plugins/context/request.ts over a rendered request; app.alert records the dialog. */
export async function runRequestHook(hook: (context: any) => Promise<void> | void, request: InsomniaRequest, ws: InsomniaWorkspace): Promise<Outcome & { alerts: string[] }> {
  const logs: string[] = [];
  const alerts: string[] = [];
  const rendered = renderRequest(request, ws);
  const sameName = (name: string) => rendered.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase());
  const context = {
    request: {
      getId: () => rendered._id,
      getUrl: () => rendered.url,
      getMethod: () => rendered.method,
      setUrl: (url: string) => void (rendered.url = url),
      getEnvironmentVariable: (name: string) => (rendered.context as Record<string, unknown>)[name],
      getEnvironment: () => rendered.context,
      getHeader: (name: string) => {
        const found = sameName(name);
        return found.length ? found[found.length - 1].value || '' : null;
      },
      getHeaders: () => rendered.headers.map((h) => ({ name: h.name, value: h.value })),
      hasHeader: (name: string) => sameName(name).length > 0,
      removeHeader: (name: string) => void (rendered.headers = rendered.headers.filter((h) => !sameName(name).includes(h))),
      setHeader: (name: string, value: string) => {
        const found = sameName(name)[0];
        if (found) found.value = value;
        else rendered.headers.push({ name, value });
      },
      addHeader: (name: string, value: string) => void (sameName(name).length || rendered.headers.push({ name, value })),
      getBody: () => rendered.body,
      setBody: (body: any) => void (rendered.body = body),
      getAuthentication: () => rendered.authentication,
    },
    app: { alert: async (title: string, message?: string) => void alerts.push(`${title}: ${message}`) },
  };
  const original = { error: console.error, log: console.log };
  console.error = (...a: unknown[]) => logs.push(a.map(String).join(' '));
  console.log = (...a: unknown[]) => logs.push(a.map(String).join(' '));
  try {
    await hook(context);
  } catch (e) {
    return { error: `Failed to transform request with plugins: ${rendered._id}`, logs, alerts };
  } finally {
    console.error = original.error;
    console.log = original.log;
  }
  return { ...(await send(rendered, logs)), alerts };
}

// ---------- the 12.5 script checker ----------

const CHECKER = new URL('./insomnia-harness.checker.cjs', import.meta.url).pathname;

export interface CheckResult {
  /** The error sandbox.ts throws (the first violation it meets), undefined when the script passes. */
  violation?: string;
  /** Every violation, by rule: what a user would have to switch off. */
  counts: Record<string, number>;
  /** Which acorn parsed it. */
  parser: string;
}

/** sandbox.ts checkSandboxViolations with the default settings (every rule on, unresolvable properties blocked). */
export function checkScriptDetails(script: string): CheckResult {
  const out = execFileSync(process.execPath, [CHECKER], { input: script, maxBuffer: 16 << 20 }).toString();
  return JSON.parse(out);
}

export function checkScript(script: string): string | undefined {
  return checkScriptDetails(script).violation;
}
