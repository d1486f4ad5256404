// A fake of what an httpyac request hook receives, `request` and `$context`, and of what httpyac 6.16
// then sends (wire()). Modelled on test/clients/httpyac.md: the hook sees the request with its variables
// substituted (an undefined one stops httpyac before any hook), headers as written in the file, the body a
// string (or a Buffer for `< file`), the .http file's own text of the URL in $context.httpRegion.request;
// nothing changes the request after the hook; got sends new URL(url) and fails on a malformed escape
// ("URI malformed"); a hook that throws stops the request. The exchange goes through the global fetch.
import type { HttpRequest } from '../../../src/clients/client';
import { acceptingDfns, type DfnsAnswer, type Wire } from './dfns';

export interface HttpyacRequestSpec {
  method?: string;
  /** As written in the .http file, with {{variables}}. */
  url: string;
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
}

export interface HttpyacFakeOptions {
  variables?: Record<string, unknown>;
  dfns?: DfnsAnswer;
}

export function fakeHttpyac(spec: HttpyacRequestSpec, options: HttpyacFakeOptions = {}) {
  const variables = { ...(options.variables ?? {}) };
  const exchange: HttpRequest[] = [];
  /** The init of each fetch call, as given. */
  const sendOptions: Record<string, unknown>[] = [];
  const logs: string[] = [];
  let thrown: unknown;

  const substitute = (text: string) =>
    text.replace(/\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g, (_ref, name: string) => {
      if (!(name in variables)) throw new ReferenceError(`${name} is not defined`);
      return String(variables[name]);
    });

  const request: { url: string; method: string; headers: Record<string, unknown>; body?: unknown } = {
    url: substitute(spec.url),
    method: spec.method ?? 'POST',
    headers: {
      Accept: '*/*',
      'User-Agent': 'httpyac',
      ...Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(substitute) : substitute(v)])),
    },
    body: typeof spec.body === 'string' ? substitute(spec.body) : spec.body,
  };
  const context = {
    variables,
    scriptConsole: { info: (line: string) => logs.push(line) },
    httpRegion: { request: { url: spec.url } },
  };

  /** The global fetch the adapter sends the exchange with. */
  const fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => {
    const sent: HttpRequest = { method: 'POST', url, headers: init.headers, body: init.body };
    exchange.push(sent);
    sendOptions.push(init);
    const answer = (options.dfns ?? acceptingDfns)(sent);
    return answer instanceof Error
      ? Promise.reject(answer)
      : Promise.resolve({ status: answer.status, text: () => Promise.resolve(answer.text), headers: new Headers(answer.headers ?? {}) });
  };

  /** What httpyac sends after the hook; undefined when the hook threw or got cannot send the URL. */
  function wire(): Wire | undefined {
    if (thrown !== undefined) return undefined;
    if (/%(?![0-9a-f]{2})/i.test(request.url)) return undefined; // got: "URI malformed"
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k] = String(v);
    const body =
      request.body === undefined
        ? ''
        : typeof request.body === 'string'
          ? request.body
          : Buffer.from(request.body as Uint8Array).toString('utf8');
    return { method: request.method, origin: url.origin, path: url.pathname, headers, body };
  }

  return { request, context, fetch, exchange, sendOptions, logs, wire, threw: (error: unknown) => void (thrown = error) };
}
