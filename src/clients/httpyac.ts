// httpyac (CLI and VS Code), from a request hook: a `{{+request … }}` block in a .http file, or an
// onRequest hook of httpyac.config.cjs, handing over the block's `request` and `$context`.
// Measured with httpyac 6.16.7: the hook sees the request after variables are substituted, and nothing
// changes it after the hook; a throw stops the request (exit 10).

import { utf8Encode } from '../encoding';
import { emptyPathVariable, unsignableBody } from '../errors/request';
import { type Client, type HttpResponse, TimedOut } from './client';
import { builtFormData } from './multipart';
import {
  answerHeadersOfFetch,
  emptySegmentVariable,
  headerOf,
  mustacheReference,
  present,
  requestFacts,
  sleepWithTimers,
  text,
  withDeadline,
} from './shared';

declare const fetch: (
  url: string,
  init: object,
) => Promise<{ status: number; text(): Promise<string>; headers: { get(name: string): string | null } }>;
declare const AbortSignal: { timeout?(ms: number): unknown } | undefined;

export function httpyacClient(request: any, context: any): Client {
  // The block's console: in --json mode it stays out of the JSON document.
  const out = context.scriptConsole || console;
  const header = (name: string): string | undefined => headerOf(request.headers, name);
  // As checked and written back by freeze().
  let url: string | undefined;
  let body: string | undefined;
  return {
    variable(name) {
      const value = present(context.variables[name]);
      return value === undefined ? undefined : text(context.variables[name]);
    },

    request() {
      // Sent as new URL(url): the path percent-encoded as parseUrl does (dot segments are refused by the flow).
      url = String(request.url);
      // The URL as written in the .http file, to name a variable that leaves a path segment empty.
      const region = context.httpRegion;
      const written = region && region.request && region.request.url;
      const variable = /\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g;
      const empty =
        typeof written === 'string'
          ? emptySegmentVariable(written, variable, (s) => s.replace(variable, (_, name) => text(context.variables[name])))
          : undefined;
      return requestFacts({
        method: request.method,
        url,
        header,
        unsendable: empty ? emptyPathVariable(empty, undefined, '--var') : undefined,
      });
    },

    body() {
      const b = request.body;
      if (b === undefined || b === null) return (body = '');
      // A string for an inline body or `<@ file`, a Buffer for `< file` (sent as is).
      // A multipart form arrives built (a Buffer, files inlined): data is signed as it is in there, nothing written back.
      const type = header('Content-Type') || '';
      if (/^multipart\/form-data/i.test(type) && (typeof b === 'string' || b instanceof Uint8Array))
        return builtFormData(typeof b === 'string' ? utf8Encode(b) : b, type);
      if (typeof b === 'string') return (body = b);
      if (b instanceof Uint8Array) return (body = String((b as any).toString('utf8')));
      throw unsignableBody('a stream or a form', 'JSON written in the .http file, or <@ ./body.json');
    },

    unresolved: mustacheReference,

    freeze() {
      if (url !== undefined) request.url = url;
      if (body !== undefined) request.body = body;
    },

    send(exchange, timeoutMs) {
      // Node's fetch: no redirect followed (the 3xx is the answer), the call aborted at the limit.
      const abortable = typeof AbortSignal !== 'undefined' && typeof AbortSignal.timeout === 'function';
      const call = fetch(exchange.url, {
        method: exchange.method,
        headers: exchange.headers,
        body: exchange.body,
        redirect: 'manual',
        ...(abortable ? { signal: (AbortSignal as any).timeout(timeoutMs) } : {}),
      }).then(
        (response) =>
          response.text().then(
            (answer): HttpResponse => ({
              status: response.status,
              text: answer,
              headers: answerHeadersOfFetch(response.headers),
            }),
          ),
        (error: any) => {
          throw error && error.name === 'TimeoutError' ? new TimedOut(timeoutMs) : error;
        },
      );
      return abortable ? call : withDeadline(call, timeoutMs);
    },

    replaceBody(text) {
      request.body = text;
    },

    sleep: sleepWithTimers,

    keepToken(token) {
      context.variables.authToken = token;
      return 'the variables';
    },

    setHeader(name, value) {
      // Names are kept as written in the file: replace any spelling of this one.
      request.headers = request.headers || {};
      Object.keys(request.headers).forEach((key) => {
        if (key.toLowerCase() === name.toLowerCase()) delete request.headers[key];
      });
      request.headers[name] = value;
    },

    log(line) {
      out.info(line);
    },

    report() {
      // httpyac prints the thrown error with the request.
    },

    stop() {
      return 'throw';
    },
  };
}
