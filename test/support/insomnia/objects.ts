// The `insomnia` object a pre-request script sees, reduced to what the signer touches. From Kong/insomnia
// packages/insomnia-scripting-environment/src/objects/ (insomnia-sdk/src/objects/ in 10.x):
// environments.ts (Environment, Variables), interpolator.ts (replaceIn), properties.ts (PropertyList, with its
// upsert bug), headers.ts, urls.ts (Url), request.ts (Request, RequestBody, upsertHeader), send-request.ts,
// response.ts; utils/importers/importers/postman.ts (the pm. to insomnia. rewrite on paste).
import { randomUUID } from 'node:crypto';
import type { InsomniaVersion } from './render';

const FAKER: Record<string, () => string> = { randomUUID: () => randomUUID(), randomInt: () => String(Math.floor(Math.random() * 1000)) };

function lookup(context: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((o, k) => (o !== undefined && o !== null ? (o as Record<string, unknown>)[k] : undefined), context);
}

/**
 * Nunjucks reduced to what the tests write: {{ name }} and {{ a.b }} lookups ({{ _.name }} too when the
 * context has `_`), {{ $faker }} names; anything undefined throws (throwOnUndefined), as does a {% tag %}.
 */
export function render(template: string, context: Record<string, unknown>): string {
  const faked = template.replace(/\{\{\s*\$(\w+)\s*\}\}/g, (_m, name: string) => {
    if (!FAKER[name]) throw new Error(`replaceIn: no faker function is found: ${name}`);
    return FAKER[name]();
  });
  if (/\{%/.test(faked)) throw new Error('Template render error: unknown block tag');
  return faked.replace(/\{\{\s*([A-Za-z_$][\w$.]*)\s*\}\}/g, (_m, path: string) => {
    const value = lookup(context, path);
    if (value === undefined || value === null)
      throw new Error(`Template render error: attempted to output null or undefined value (${path})`);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
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

export interface Scopes {
  local: Environment;
  /** Folder environments: seen by scripts in newer versions only (10.x has no folder scope). */
  folder?: Environment;
  iterationData: Environment;
  environment: Environment;
  base: Environment;
  globals: Environment;
}

/** environments.ts Variables: get = first truthy of local, (folder,) iteration data, environment, base, globals. */
export class Variables {
  constructor(private scopes: Scopes) {}
  private order = () => [
    this.scopes.local,
    ...(this.scopes.folder ? [this.scopes.folder] : []),
    this.scopes.iterationData,
    this.scopes.environment,
    this.scopes.base,
    this.scopes.globals,
  ];
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
  replaceIn = (template: string) =>
    render(
      template,
      Object.assign(
        {},
        ...this.order()
          .reverse()
          .map((e) => e.toObject()),
      ),
    );
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

export interface QueryPair {
  key: string;
  value: string;
}

/** The request URL object: `toString()` is what the app renders and sends after the script. */
export interface ScriptUrl {
  toString(): string;
  addQueryParams(params: QueryPair[]): void;
  /** The URL the app keeps after the script, and its Params tab (request.ts mergeRequests). */
  merged(): { url: string; parameters: QueryPair[] };
}

/** urls.ts of the newest sources: parsed with new URL() when it can be and holds no {% tag %}; query kept apart, raw. */
class WhatwgUrl implements ScriptUrl {
  private parsed?: URL;
  private query: QueryPair[] = [];
  constructor(private origin: string) {
    if (URL.canParse(origin) && !/\{%/.test(origin)) {
      this.parsed = new URL(origin);
      this.parsed.searchParams.forEach((value, key) => {
        this.query.push({ key, value });
      });
      this.parsed.search = '';
    }
  }
  addQueryParams(params: QueryPair[]) {
    this.query.push(...params);
  }
  private queryString = () => this.query.map((p) => `${p.key}=${p.value}`).join('&');
  private serialise(search: string): string {
    if (!this.parsed) return this.origin;
    const copy = new URL(this.parsed.toString());
    copy.search = search;
    const text = copy.toString();
    return this.parsed.pathname === '/' && text === this.origin + '/' ? text.slice(0, -1) : text;
  }
  toString = () => this.serialise(this.queryString());
  merged = () => ({ url: this.serialise(''), parameters: this.query.map((p) => ({ ...p })) });
}

/** urls.ts of 10.x: a hand-written split that keeps the path as written; mergeRequests keeps the query in the URL. */
class SplitUrl implements ScriptUrl {
  private base: string;
  private query: QueryPair[] = [];
  private hash: string;
  constructor(origin: string) {
    const hashAt = origin.indexOf('#');
    this.hash = hashAt >= 0 ? origin.slice(hashAt) : '';
    const rest = hashAt >= 0 ? origin.slice(0, hashAt) : origin;
    const q = rest.lastIndexOf('?');
    this.base = q >= 0 ? rest.slice(0, q) : rest;
    if (q >= 0)
      for (const pair of rest.slice(q + 1).split('&')) {
        const [key = '', value = ''] = pair.split('=');
        if (key !== '') this.query.push({ key, value });
      }
  }
  addQueryParams(params: QueryPair[]) {
    this.query.push(...params);
  }
  toString = () => {
    const query = this.query.map((p) => (p.value ? `${p.key}=${p.value}` : p.key)).join('&');
    return `${this.base}${query ? `?${query}` : ''}${this.hash}`;
  };
  merged = () => ({ url: this.toString(), parameters: [] });
}

export const scriptUrl = (version: InsomniaVersion, url: string): ScriptUrl => (version === '10' ? new SplitUrl(url) : new WhatwgUrl(url));

export class RequestBody {
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

export class ScriptResponse {
  /** response.ts: the last answer's headers, names as the server sent them. */
  headers: HeaderList;
  constructor(
    public code: number,
    private body: string,
    headers: [string, string][] = [],
  ) {
    this.headers = new HeaderList(headers.map(([key, value]) => new Header({ key, value })));
  }
  text = () => this.body;
  json = () => JSON.parse(this.body);
}

/** The app settings send-request.ts passes on to curl (models/settings.ts defaults: follow redirects, 30 s). */
export interface SendSettings {
  /** Preferences > Request / Response > Follow redirects (settingFollowRedirects 'on' / 'off' for the script's requests). */
  followRedirects: boolean;
  /** Preferences > Request timeout, in ms (curl's TIMEOUT_MS; 0: none). */
  timeout: number;
}
export const DEFAULT_SEND_SETTINGS: SendSettings = { followRedirects: true, timeout: 30_000 };

/**
 * send-request.ts: a Postman-style request object. A failure reaches the callback as a string (curl's
 * message) and the promise resolves undefined; without a callback the newest sources reject, while 10.x
 * calls the missing callback and never settles.
 */
export function sendRequest(
  version: InsomniaVersion,
  req: any,
  cb?: (err?: unknown, res?: ScriptResponse) => void,
  settings: SendSettings = DEFAULT_SEND_SETTINGS,
): Promise<ScriptResponse | undefined> {
  // biome-ignore lint/suspicious/noAsyncPromiseExecutor: the shape of Insomnia's send-request.ts, which this models
  return new Promise(async (resolve, reject) => {
    try {
      const headers = Object.fromEntries((req.header ?? []).map((h: { key: string; value: string }) => [h.key, h.value]));
      // curl follows redirects as the settings say (like fetch, curl sends no Authorization to another host or
      // port), and gives up after their timeout: "Timeout was reached".
      const res = await fetch(req.url, {
        method: req.method,
        headers,
        body: req.body?.raw,
        redirect: settings.followRedirects ? 'follow' : 'manual',
        ...(settings.timeout > 0 ? { signal: AbortSignal.timeout(settings.timeout) } : {}),
      }).catch((e) => {
        throw e?.name === 'TimeoutError' ? new Error('Timeout was reached') : e;
      });
      const response = new ScriptResponse(res.status, await res.text(), [...res.headers]);
      if (cb) cb(undefined, response);
      resolve(response);
    } catch (e: any) {
      const message = e?.cause?.code === 'ECONNREFUSED' ? "Couldn't connect to server" : String(e?.cause?.message ?? e?.message);
      if (cb) {
        cb(message);
        resolve(undefined);
      } else if (version !== '10') reject(message);
    }
  });
}

/**
 * What Insomnia's script editor does to pasted text, and its Postman importer to scripts
 * (translateHandlersInScript): every `pm.` not preceded by [0-9a-zA-Z_$] becomes `insomnia.`.
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
