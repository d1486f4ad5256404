// A fake of Bruno's `bru` and `req` for one request (the same in the safe and the developer sandbox), as
// bruno-js 4.1 shows them to a collection's pre-request script, and what `bru run` then sends (wire()).
// Modelled on @usebruno/js bru.js and bruno-request.js (getAuthMode read from the headers, getBody({raw})),
// @usebruno/cli prepare-request.js (an auth's Authorization is a header before the script; basic, digest,
// AWS and OAuth add theirs after it), interpolate-vars.js (variables resolved after the script, mock
// variables JSON-escaped in a JSON body; with path parameters, the path rebuilt from new URL(): empty segments
// dropped, each `:name` taking its enabled, non-blank parameter) and axios 1.16's transformRequest (a
// JSON-typed text that parses goes out trimmed, any other as a quoted JSON string).
import type { HttpRequest } from '../../../src/clients/client';
import { acceptingDfns, type DfnsAnswer, encodedPath, freshUuid, type Wire } from './dfns';

export interface BrunoRequestSpec {
  method?: string;
  /** With {{variables}} and :pathParams. */
  url: string;
  pathParams?: { name: string; value: string; enabled?: boolean }[];
  headers?: Record<string, string>;
  /** A JSON body (Content-Type application/json is added), or another body as Bruno keeps it. */
  json?: string;
  body?: unknown;
  /** The request's auth mode, as prepare-request leaves it: bearer becomes a header, basic and OAuth 2 stay settings. */
  auth?: { mode: 'bearer'; token: string } | { mode: 'basic' | 'oauth2' };
}

export interface BrunoFakeOptions {
  variables?: Record<string, string>;
  dfns?: DfnsAnswer;
}

const escapeJson = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/"/g, '\\"');

export function fakeBruno(spec: BrunoRequestSpec, options: BrunoFakeOptions = {}) {
  const variables = { ...(options.variables ?? {}) };
  const exchange: HttpRequest[] = [];
  /** The axios options of each bru.sendRequest call, as given. */
  const sendOptions: Record<string, unknown>[] = [];
  let skipped = false;
  let thrown: unknown;

  // @usebruno/common interpolate: mock variables ({{$randomUUID}}) a new value at each call, other
  // variables nested, as they are.
  const interpolate = (text: unknown): string => {
    let out = typeof text === 'string' ? text : JSON.stringify(text);
    out = out.replace(/\{\{\$(\w+)\}\}/g, (ref, name: string) =>
      name === 'randomUUID' ? freshUuid() : name === 'randomInt' ? String(Math.floor(Math.random() * 1000)) : ref,
    );
    for (let depth = 0; depth < 10 && /\{\{[^{}$][^{}]*\}\}/.test(out); depth++)
      out = out.replace(/\{\{([^{}$][^{}]*)\}\}/g, (ref, name: string) =>
        Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : ref,
      );
    return out;
  };

  const headers: Record<string, string> = { ...(spec.headers ?? {}) };
  if (spec.json !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  if (spec.auth?.mode === 'bearer') headers.Authorization = `Bearer ${spec.auth.token}`;
  const data: { url: string; method: string; headers: Record<string, string>; data: unknown; auth?: unknown; oauth2?: unknown } = {
    url: spec.url,
    method: spec.method ?? 'POST',
    headers,
    data: spec.json !== undefined ? spec.json : spec.body,
    ...(spec.auth?.mode === 'basic' ? { auth: { username: 'u', password: 'p' } } : {}),
    ...(spec.auth?.mode === 'oauth2' ? { oauth2: {} } : {}),
  };
  const pathParams = spec.pathParams ?? [];

  const req = {
    getUrl: () => data.url,
    setUrl: (url: string) => void (data.url = url),
    getMethod: () => data.method,
    getHeaders: () => data.headers,
    setHeader: (name: string, value: string) => void (data.headers[name] = value),
    getBody: (opts: { raw?: boolean } = {}) => (opts.raw ? data.data : data.data),
    setBody: (body: unknown) => void (data.data = body),
    getPathParams: () => pathParams,
    // bruno-request.js: read from what prepare-request left.
    getAuthMode() {
      if (data.oauth2) return 'oauth2';
      if (data.headers.Authorization?.startsWith('Bearer')) return 'bearer';
      if (data.headers.Authorization?.startsWith('Basic') || data.auth) return 'basic';
      return 'none';
    },
  };

  const bru = {
    interpolate: (text: string) => interpolate(text),
    runner: { skipRequest: () => void (skipped = true) },
    sendRequest(opts: {
      method: string;
      url: string;
      headers: Record<string, string>;
      data: string;
      responseType?: string;
      validateStatus?: null;
      timeout?: number;
      maxRedirects?: number;
    }) {
      const sent: HttpRequest = { method: 'POST', url: opts.url, headers: opts.headers, body: opts.data };
      exchange.push(sent);
      sendOptions.push(opts);
      const answer = (options.dfns ?? acceptingDfns)(sent);
      return answer instanceof Error
        ? Promise.reject(answer)
        : Promise.resolve({ status: answer.status, data: answer.text, headers: { ...answer.headers } });
    },
  };

  /** What bru run sends after the script; undefined when the script threw or the request was skipped. */
  function wire(): Wire | undefined {
    if (thrown !== undefined || skipped) return undefined;
    let url = interpolate(data.url);
    if (pathParams.length) {
      const u = new URL(/^https?:\/\//.test(url) ? url : `http://${url}`);
      const path = u.pathname
        .split('/')
        .filter((p) => p !== '')
        .map((p) => {
          const param = p.startsWith(':') && pathParams.find((x) => x.name === p.slice(1));
          const value = param && param.enabled !== false ? interpolate(param.value) : '';
          return `/${value.trim() ? value : p}`;
        })
        .join('');
      url = u.origin + path + (u.pathname.endsWith('/') ? '/' : '') + u.search;
    }
    const sentHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(data.headers)) sentHeaders[k] = interpolate(v);
    if (data.oauth2) sentHeaders.Authorization = 'Bearer oauth2-access-token';
    const contentType = Object.entries(sentHeaders).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    let body = typeof data.data === 'string' ? data.data : data.data === undefined ? '' : JSON.stringify(data.data);
    if (contentType.includes('json')) body = body.replace(/\{\{\$(\w+)\}\}/g, (ref) => escapeJson(interpolate(ref))); // mock variables escaped for JSON
    body = interpolate(body);
    if (contentType.indexOf('application/json') > -1 && typeof data.data === 'string') {
      try {
        JSON.parse(body);
        body = body.trim();
      } catch (_e) {
        body = JSON.stringify(body);
      }
    }
    const m = /^(https?:\/\/[^/?#]*)([^?#]*)/.exec(/^https?:\/\//.test(url) ? url : `http://${url}`) as RegExpExecArray;
    return { method: data.method.toUpperCase(), origin: m[1], path: encodedPath(m[2] || '/'), headers: sentHeaders, body };
  }

  return { bru, req, exchange, sendOptions, wire, skipped: () => skipped, threw: (error: unknown) => void (thrown = error) };
}
