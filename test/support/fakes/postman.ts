// A fake of postman-sandbox's `pm` for one request, as newman 6.2 (sandbox 4.7), the Postman app's runtime
// (sandbox 6: pm.vault) and Apidog's fork (no pm.execution, pm.variables.replaceInAsync, a vault that yields
// null) show it to a pre-request script, and what the runtime then sends (wire()). Modelled on
// postman-collection's Url.getPath (a `:name` segment takes its path variable's value when that is not
// empty, a `.suffix` kept), postman-runtime's request-helpers-presend (comments stripped from raw JSON bodies,
// strip-json-comments without whitespace), its auth (the request's own or, when it has none, the folder's or
// collection's, applied after the script and winning over any Authorization header) and test/clients/apidog.md.
import stripJsonComments from 'strip-json-comments';
import type { HttpRequest } from '../../../src/clients/client';
import { acceptingDfns, type DfnsAnswer, encodedPath, freshUuid, headerGetter, type Wire } from './dfns';

export type Flavour = 'newman' | 'postman-app' | 'apidog';

export interface PostmanRequestSpec {
  method?: string;
  /** Raw, with {{variables}} and :pathVariables, e.g. https://{{dfnsApiDomain}}/wallets/:walletId?x=1 */
  url: string;
  pathVariables?: Record<string, string>;
  /** [key, value, disabled?] */
  headers?: [string, string, boolean?][];
  body?: {
    mode: string;
    raw?: string;
    language?: string;
    disabled?: boolean;
    /** mode formdata: its fields (type 'text' or 'file'), as postman-collection's FormParam holds them. */
    formdata?: { key: string; value?: string; type: 'text' | 'file'; disabled?: boolean }[];
  };
  /** The request's own auth setting; undefined: inherits from the folder or collection. */
  auth?: { type: string; token?: string };
  /** The folder's or collection's auth, applied after the script when the request has none of its own. */
  inherited?: { type: string; token?: string };
}

export interface PostmanFakeOptions {
  flavour?: Flavour;
  variables?: Record<string, string>;
  vault?: Record<string, string>;
  dfns?: DfnsAnswer;
}

interface Variable {
  key: string;
  value: string;
  set(value: string): void;
}

function auth(setting: { type: string; token?: string } | undefined) {
  if (!setting) return undefined;
  return { type: setting.type, parameters: () => ({ get: (key: string) => (key === 'token' ? setting.token : undefined) }) };
}

export function fakePostman(spec: PostmanRequestSpec, options: PostmanFakeOptions = {}) {
  const flavour = options.flavour ?? 'newman';
  const variables = { ...(options.variables ?? {}) };
  const exchange: HttpRequest[] = [];
  const tests: { name: string; passed: boolean }[] = [];
  const logs: string[] = [];
  let skipped = false;
  let ownAuth = spec.auth;

  // postman-collection's VariableScope.replaceIn: {{name}} from every scope, nested; Postman's dynamic
  // variables a new value at each call; Apidog's own ({{$string.uuid}}) only through replaceInAsync.
  const replace = (text: unknown, apidogValues: boolean): string => {
    let out = text === undefined || text === null ? '' : String(text);
    for (let depth = 0; depth < 10 && /\{\{[^{}]*\}\}/.test(out); depth++)
      out = out.replace(/\{\{([^{}]*)\}\}/g, (ref, name: string) => {
        if (name === '$randomUUID' || name === '$guid') return freshUuid();
        if (name === '$randomInt') return String(Math.floor(Math.random() * 1000));
        if (name === '$string.uuid' && apidogValues) return freshUuid();
        return Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : ref;
      });
    return out;
  };

  const m = /^(?:([a-z]+):\/\/)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(spec.url) as RegExpExecArray;
  const pathVariables: Variable[] = Object.entries(spec.pathVariables ?? {}).map(([key, value]) => {
    const v: Variable = { key, value, set: (next) => void (v.value = next) };
    return v;
  });
  const headers = (spec.headers ?? []).map(([key, value, disabled]) => ({ key, value, disabled: !!disabled }));
  const body = spec.body && {
    mode: spec.body.mode,
    raw: spec.body.raw,
    disabled: spec.body.disabled,
    options: spec.body.language ? { raw: { language: spec.body.language } } : undefined,
    formdata: spec.body.formdata && {
      all: () => spec.body?.formdata,
      each: (fn: (f: unknown) => void) => spec.body?.formdata?.forEach(fn),
    },
    update(next: { mode: string; raw: string; options?: unknown }) {
      this.mode = next.mode;
      this.raw = next.raw;
    },
  };

  /** postman-collection's Url.getPath: `:name` (up to a `.`) takes its variable's value when that is a non-empty string. */
  const getPath = (segments: string[]) =>
    `/${segments
      .map((segment) => {
        const key = segment.charAt(0) === ':' ? segment.slice(1).split('.')[0] : '';
        const variable = key ? pathVariables.filter((v) => v.key === key).pop() : undefined;
        return variable && variable.value ? variable.value + segment.slice(key.length + 1) : segment;
      })
      .join('/')}`;

  const url = {
    protocol: m[1],
    host: m[2],
    path: m[3].split('/').slice(1),
    query: m[4],
    variables: { each: (fn: (v: Variable) => void) => pathVariables.forEach(fn) },
    toString(): string {
      return `${this.protocol ? `${this.protocol}://` : ''}${this.host}${getPath(this.path)}${this.query !== undefined ? `?${this.query}` : ''}`;
    },
    update(raw: string) {
      const next = /^(?:([a-z]+):\/\/)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(raw) as RegExpExecArray;
      Object.assign(this, { protocol: next[1], host: next[2], path: next[3].split('/').slice(1), query: next[4] });
    },
  };

  const request = {
    method: spec.method ?? 'POST',
    url,
    headers: {
      each: (fn: (h: { key: string; value: string; disabled: boolean }) => void) => headers.forEach(fn),
      upsert({ key, value }: { key: string; value: string }) {
        const found = headers.find((h) => h.key.toLowerCase() === key.toLowerCase());
        if (found) found.value = value;
        else headers.push({ key, value, disabled: false });
      },
    },
    body,
    auth: auth(spec.auth),
    authorizeUsing(type: string) {
      ownAuth = { type };
      this.auth = auth(ownAuth);
    },
  };

  const pm: any = {
    request,
    variables: {
      get: (name: string) => variables[name],
      replaceIn: (text: string) => replace(text, false),
    },
    sendRequest(
      req: { url: string; method: string; header: { key: string; value: string }[]; body: { raw: string } },
      callback: (error: unknown, response: unknown) => void,
    ) {
      const sent: HttpRequest = {
        method: 'POST',
        url: req.url,
        headers: Object.fromEntries(req.header.map((h) => [h.key, h.value])),
        body: req.body.raw,
      };
      exchange.push(sent);
      const answer = (options.dfns ?? acceptingDfns)(sent);
      setTimeout(() =>
        answer instanceof Error
          ? callback(answer, null)
          : callback(null, { code: answer.status, text: () => answer.text, headers: { get: headerGetter(answer) } }),
      );
    },
    test(name: string, fn: () => void) {
      try {
        fn();
        tests.push({ name, passed: true });
      } catch (_e) {
        tests.push({ name, passed: false });
      }
    },
  };
  if (flavour !== 'apidog') pm.execution = { skipRequest: () => void (skipped = true) };
  if (flavour === 'apidog') pm.variables.replaceInAsync = (text: string) => Promise.resolve(replace(text, true));
  if (flavour !== 'newman') pm.vault = { get: (name: string) => Promise.resolve(flavour === 'apidog' ? null : options.vault?.[name]) };

  /** What the runtime sends after the script: undefined when skipped. Resolves variables again, as the runtime does. */
  function wire(): Wire | undefined {
    if (skipped) return undefined;
    const resolve = (text: string) => replace(text, flavour === 'apidog');
    const sentHeaders: Record<string, string> = {};
    for (const h of headers.filter((x) => !x.disabled)) sentHeaders[h.key] = resolve(h.value);
    // Apidog takes the auth before the script runs and ignores what the script sets; it has no handler
    // for an explicit `inherit` (nothing is applied).
    const setting = flavour === 'apidog' ? (spec.auth ?? spec.inherited) : (ownAuth ?? spec.inherited);
    if (setting && setting.type === 'bearer') {
      for (const key of Object.keys(sentHeaders)) if (key.toLowerCase() === 'authorization') delete sentHeaders[key];
      // Apidog sends an inherited token as written, {{variables}} unresolved (issue 23).
      sentHeaders.Authorization = `Bearer ${flavour === 'apidog' && setting === spec.inherited ? setting.token : resolve(setting.token ?? '')}`;
    }
    let text = body && !body.disabled && body.mode === 'raw' ? resolve(body.raw ?? '') : '';
    const language = body?.options?.raw?.language;
    const jsonType = Object.entries(sentHeaders).some(
      ([k, v]) => k.toLowerCase() === 'content-type' && /^application\/(\S+\+)?json/.test(v),
    );
    if (language ? language === 'json' : jsonType) text = stripJsonComments(text, { whitespace: false });
    for (const v of pathVariables) v.value = resolve(v.value);
    return {
      method: request.method,
      origin: `${url.protocol ?? 'http'}://${resolve(url.host)}`,
      path: encodedPath(getPath(url.path.map(resolve))),
      headers: sentHeaders,
      body: text,
    };
  }

  return { pm, request, variables, exchange, tests, logs, wire, skipped: () => skipped };
}
