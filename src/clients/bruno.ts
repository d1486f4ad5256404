// Bruno (app and `bru run`), in both sandboxes: safe (QuickJS) and developer (node:vm).
// Source read: usebruno/bruno v4.1.0, packages/bruno-js/src/{bru.js,bruno-request.js},
// packages/bruno-js/src/sandbox/quickjs/shims/{bru.js,bruno-request.js},
// packages/bruno-cli/src/runner/{prepare-request.js,interpolate-vars.js,run-single-request.js},
// packages/bruno-requests/src/scripting/send-request.ts, packages/bruno-common/src/interpolate/index.ts.

import { emptyPathVariable, invalidJsonBody, unsignableBody } from '../errors/request';
import type { Client, HttpResponse } from './client';
import { emptySegmentVariable, headerOf, mustacheReference, requestFacts, splitUrl, text } from './shared';

/** Auth modes whose Authorization Bruno adds after the script (bearer, API key and the rest are headers by then). */
const LATE_AUTH = /^(basic|digest|awsv4|oauth1|oauth2)$/;

// Bruno escapes what its mock variables ({{$randomUUID}} …) produce when it resolves a JSON body
// (interpolate(…, { escapeJSONStrings: true }) in bruno-cli's interpolate-vars.js); bru.interpolate
// does not, so those are resolved here one by one, the same way.
function escapeJson(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/"/g, '\\"');
}

export function brunoClient(bru: any, req: any): Client {
  const interpolate = (value: string): string => (value.indexOf('{{') < 0 ? value : text(bru.interpolate(value)));
  /** A header's value as it will be sent, its variables resolved. */
  const header = (name: string): string | undefined => {
    const value = headerOf(req.getHeaders(), name);
    return value === undefined ? undefined : interpolate(value);
  };

  // The URL as bruno-cli's interpolate-vars.js builds it after the script: variables resolved,
  // then each `:name` segment replaced by its enabled path parameter when that is not blank.
  let emptyParam: string | undefined;
  function resolvedUrl(): string {
    emptyParam = undefined;
    const url = interpolate(text(req.getUrl()));
    const params: any[] = (typeof req.getPathParams === 'function' ? req.getPathParams() : req.pathParams) || [];
    if (params.length === 0) return url;
    const [head, written, rest] = splitUrl(url);
    const path = written
      .split('/')
      .map((segment) => {
        if (segment.charAt(0) !== ':') return segment;
        const param = params.filter((p) => p && p.name === segment.slice(1))[0];
        if (!param || param.enabled === false) return segment;
        const value = interpolate(text(param.value));
        if (value.trim() !== '') return value;
        emptyParam = emptyParam || param.name;
        return segment;
      })
      .join('/');
    return head + path + rest;
  }

  // Resolved once by request() and body(), written back by freeze().
  let url: string | undefined;
  let body: string | undefined;
  return {
    variable(name) {
      // Every scope at once, with Bruno's own precedence (runtime > request > folder > environment >
      // collection > global), nested {{variables}} resolved: what `{{name}}` in a request gives.
      const placeholder = `{{${name}}}`;
      const value = text(bru.interpolate(placeholder));
      return value === placeholder || value.trim() === '' ? undefined : value;
    },

    request() {
      url = resolvedUrl();
      const empty = emptySegmentVariable(text(req.getUrl()), /\{\{([^{}]*)\}\}/g, interpolate);
      const mode = typeof req.getAuthMode === 'function' ? req.getAuthMode() : 'none';
      return requestFacts({
        method: req.getMethod(),
        url,
        header,
        auth: header('Authorization') === undefined && LATE_AUTH.test(mode) ? mode : undefined,
        unsendable: emptyParam
          ? emptyPathVariable(emptyParam, `{{${emptyParam}}}`, '--env-var')
          : empty
            ? emptyPathVariable(empty, undefined, '--env-var')
            : undefined,
      });
    },

    body() {
      const raw = req.getBody({ raw: true });
      if (raw === undefined || raw === null || raw === '') return '';
      if (typeof raw !== 'string') throw unsignableBody('a form or a file', 'JSON (Body > JSON)');
      let resolved = raw;
      if (/json/i.test(header('Content-Type') || ''))
        resolved = resolved.replace(/\{\{\$\w+\}\}/g, (mock) => {
          const value = interpolate(mock);
          return value === mock ? mock : escapeJson(value);
        });
      body = interpolate(resolved);
      // axios, sending, checks a JSON-typed text with JSON.parse: JSON goes out trimmed, anything else
      // as a quoted JSON string (defaults.transformRequest, stringifySafely).
      if ((header('Content-Type') || '').indexOf('application/json') >= 0) {
        try {
          JSON.parse(body);
        } catch (e) {
          throw invalidJsonBody(body, e && (e as Error).message, 'Bruno would send as a quoted JSON string');
        }
        body = body.trim();
      }
      return body;
    },

    unresolved: mustacheReference,

    freeze() {
      // Written back resolved, so a mock variable keeps the value that was signed.
      if (url !== undefined) req.setUrl(url);
      // raw: stored as is; without it Bruno would re-serialize an object, never a string, but say so.
      if (body !== undefined) req.setBody(body, { raw: true });
    },

    send(request) {
      return bru
        .sendRequest({
          method: request.method,
          url: request.url,
          headers: request.headers,
          data: request.body,
          timeout: 30000,
          // The raw text, not axios' parsed JSON, and every status resolves (a function would not
          // survive the QuickJS boundary, null does: axios settle() resolves when !validateStatus).
          responseType: 'text',
          validateStatus: null,
        })
        .then((response: any): HttpResponse => {
          if (!response || typeof response.status !== 'number') throw new Error('no response');
          return { status: response.status, text: text(response.data) };
        });
    },

    setHeader(name, value) {
      req.setHeader(name, value);
    },

    log(line) {
      console.log(line);
    },

    report(error) {
      // bru run prints a thrown error with the source lines around the place its stack points to: for
      // the bundle, ~100 KB of minified code. Without a stack the developer sandbox prints the message
      // alone; the safe one (QuickJS) adds its own "SignerError: <message>" and host stack, which no
      // script can leave out (quickjs-emscripten appends them to every error that leaves the VM).
      try {
        (error as { stack?: string }).stack = undefined;
      } catch (_e) {
        // a read-only stack: Bruno prints the context, the message is still there
      }
    },

    stop() {
      // The throw (by the bundle's last line) is what fails `bru run` (exit 1, "Pre-request script
      // error", request not sent); skipping as well keeps the request unsent should a client catch it.
      if (bru.runner && typeof bru.runner.skipRequest === 'function') bru.runner.skipRequest();
      return 'throw';
    },
  };
}
