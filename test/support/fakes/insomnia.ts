// Fakes of Insomnia's two ways in, for the adapters' unit tests: the `insomnia` object a pre-request script
// sees (10.x; its objects from test/support/insomnia/objects.ts, which models insomnia-scripting-environment)
// and the context a plugin's request hook gets (plugins/context/request.ts), with what Insomnia then sends
// (wire()). Modelled on test/support/insomnia/ and the sources it names: after the script Insomnia renders the
// URL again (a /:name path parameter becomes encodeURIComponent(its value) when it has one, render.ts), then
// percent-encodes it (insomniaUrl, src/clients/insomnia-url.ts, unless the hook turned that off); the auth
// setting's Authorization is added only where no Authorization header is (parse-header-strings.ts).

import type { HttpRequest } from '../../../src/clients/client';
import { insomniaUrl } from '../../../src/clients/insomnia-url';
import { Environment, Header, HeaderList, Variables } from '../insomnia/objects';
import { acceptingDfns, type DfnsAnswer, type Wire } from './dfns';

export interface InsomniaScriptSpec {
  method?: string;
  /** As written, with {{ _.variables }} and /:pathParameters. */
  url: string;
  pathParameters?: { name: string; value: string }[];
  headers?: Record<string, string>;
  /** A raw (JSON) body, or another mode. */
  body?: { mode?: string; raw?: string };
  /** The request's auth setting: its type, and a Bearer token where the script can read it. */
  auth?: { type: string; token?: string };
}

export interface InsomniaFakeOptions {
  environment?: Record<string, unknown>;
  dfns?: DfnsAnswer;
}

const origin = (url: string) => /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)/.exec(url) as RegExpExecArray;

export function fakeInsomniaScript(spec: InsomniaScriptSpec, options: InsomniaFakeOptions = {}) {
  const environment = new Environment(options.environment ?? {});
  const variables = new Variables({
    local: new Environment(),
    iterationData: new Environment(),
    environment,
    base: new Environment(),
    globals: new Environment(),
  });
  const exchange: HttpRequest[] = [];
  let skipped = false;
  let thrown: unknown;
  const request = {
    method: spec.method ?? 'POST',
    url: { toString: () => spec.url },
    headers: new HeaderList(Object.entries(spec.headers ?? {}).map(([key, value]) => new Header({ key, value }))),
    body: {
      mode: spec.body?.mode,
      raw: spec.body?.raw,
      options: undefined as unknown,
      update(next: { mode: string; raw: string }) {
        this.mode = next.mode;
        this.raw = next.raw;
      },
    },
    // insomnia-sdk toPreRequestAuth: a Bearer auth's options as key-value pairs, unrendered.
    auth: {
      toJSON: () =>
        spec.auth?.type === 'bearer'
          ? {
              type: 'bearer',
              bearer: [
                { key: 'disabled', value: 'false' },
                { key: 'token', value: spec.auth.token ?? '' },
                { key: 'prefix', value: '' },
              ],
            }
          : { type: spec.auth?.type ?? 'noauth' },
    },
    pathParameters: spec.pathParameters ?? [],
    /** request.ts upsertHeader: headers of that exact key dropped, then appended. */
    upsertHeader(h: { key: string; value: string }) {
      this.headers = new HeaderList(this.headers.filter((x) => x.key !== h.key));
      this.headers.append(new Header(h));
    },
    addHeader(h: { key: string; value: string }) {
      this.headers.add(new Header(h));
    },
  };
  const insomnia = {
    variables,
    request,
    execution: { skipRequest: () => void (skipped = true) },
    sendRequest(
      req: { url: string; header: { key: string; value: string }[]; body: { raw: string } },
      callback: (error: unknown, response?: unknown) => void,
    ) {
      const sent: HttpRequest = {
        method: 'POST',
        url: req.url,
        headers: Object.fromEntries(req.header.map((h) => [h.key, h.value])),
        body: req.body.raw,
      };
      exchange.push(sent);
      const answer = (options.dfns ?? acceptingDfns)(sent);
      return Promise.resolve().then(() =>
        answer instanceof Error ? callback(answer.message) : callback(undefined, { code: answer.status, text: () => answer.text }),
      );
    },
  };

  const render = (text: string) => variables.replaceIn(text.replace(/\{\{\s*_\./g, '{{ '));
  /** What Insomnia sends after the script; undefined when the script asked to skip it (or threw: see threw()). */
  function wire(): Wire | undefined {
    if (skipped || thrown !== undefined) return undefined;
    const url = render(spec.url).replace(/\/:[^/?#:]+/g, (segment) => {
      const param = request.pathParameters.find((p) => p.name === segment.slice(2));
      const value = param ? render(param.value) : '';
      return value ? `/${encodeURIComponent(value)}` : segment;
    });
    const m = origin(insomniaUrl(url));
    const headers: Record<string, string> = {};
    request.headers.each((h) => {
      if (!h.disabled) headers[h.key] = render(h.value);
    });
    const auth = spec.auth;
    if (auth?.type === 'bearer' && !Object.keys(headers).some((k) => k.toLowerCase() === 'authorization'))
      headers.Authorization = `Bearer ${render(auth.token ?? '')}`;
    return {
      method: request.method,
      origin: m[1],
      path: m[2] || '/',
      headers,
      body: request.body.mode === 'raw' ? render(request.body.raw ?? '') : '',
    };
  }
  return { insomnia, request, exchange, wire, threw: (error: unknown) => void (thrown = error), skipped: () => skipped };
}

export interface InsomniaHookSpec {
  method?: string;
  /** Rendered: variables resolved, path parameters with a value replaced. */
  url: string;
  headers?: Record<string, string>;
  body?: { mimeType?: string; text?: string; params?: unknown[] };
  authentication?: { type: string; token?: string; prefix?: string; disabled?: boolean };
  environment?: Record<string, unknown>;
}

export function fakeInsomniaHook(spec: InsomniaHookSpec) {
  const r = {
    url: spec.url,
    method: spec.method ?? 'POST',
    headers: Object.entries(spec.headers ?? {}).map(([name, value]) => ({ name, value })),
    encode: true,
  };
  const alerts: string[] = [];
  const context = {
    request: {
      getUrl: () => r.url,
      setUrl: (url: string) => void (r.url = url),
      settingEncodeUrl: (enabled: boolean) => void (r.encode = enabled),
      getMethod: () => r.method,
      getHeader: (name: string) => {
        const found = r.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase());
        return found.length ? found[found.length - 1].value : null;
      },
      setHeader: (name: string, value: string) => {
        const found = r.headers.find((h) => h.name.toLowerCase() === name.toLowerCase());
        if (found) found.value = value;
        else r.headers.push({ name, value });
      },
      getBody: () => spec.body,
      getAuthentication: () => spec.authentication,
      getEnvironmentVariable: (name: string) => spec.environment?.[name],
    },
    app: { alert: (_title: string, message?: string) => void alerts.push(message ?? '') },
  };
  /** What Insomnia sends after the hooks (when none threw). */
  function wire(): Wire {
    const m = origin(r.encode ? insomniaUrl(r.url) : r.url);
    const headers: Record<string, string> = Object.fromEntries(r.headers.map((h) => [h.name, h.value]));
    const auth = spec.authentication;
    if (auth?.type === 'bearer' && !auth.disabled && !Object.keys(headers).some((k) => k.toLowerCase() === 'authorization'))
      headers.Authorization = `${auth.prefix || 'Bearer'} ${auth.token ?? ''}`;
    return { method: r.method, origin: m[1], path: m[2] || '/', headers, body: spec.body?.text ?? '' };
  }
  return { context, alerts, wire };
}
