// Bruno (app and `bru run`), in both sandboxes: safe (QuickJS) and developer (node:vm).
// Source read: usebruno/bruno v4.1.0, packages/bruno-js/src/{bru.js,bruno-request.js},
// packages/bruno-js/src/sandbox/quickjs/shims/{bru.js,bruno-request.js},
// packages/bruno-cli/src/runner/{prepare-request.js,interpolate-vars.js,run-single-request.js},
// packages/bruno-requests/src/scripting/send-request.ts, packages/bruno-common/src/interpolate/index.ts.

import { unsignableBody } from '../errors/request';
import type { Client, HttpResponse } from './client';
import { headerOf, mustacheReference, requestFacts, text } from './shared';

// Bruno escapes what its mock variables ({{$randomUUID}} …) produce when it resolves a JSON body
// (interpolate(…, { escapeJSONStrings: true }) in bruno-cli's interpolate-vars.js); bru.interpolate
// does not, so those are resolved here one by one, the same way.
function escapeJson(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/"/g, '\\"');
}

export function brunoClient(bru: any, req: any): Client {
  const interpolate = (value: string): string => (value.indexOf('{{') < 0 ? value : text(bru.interpolate(value)));
  const header = (name: string): string | undefined => headerOf(req.getHeaders(), name);

  // The URL as bruno-cli's interpolate-vars.js builds it after the script: variables resolved,
  // then each `:name` segment replaced by its path parameter when that has a value.
  function resolvedUrl(): string {
    const url = interpolate(text(req.getUrl()));
    const params: any[] = (typeof req.getPathParams === 'function' ? req.getPathParams() : req.pathParams) || [];
    if (params.length === 0) return url;
    const m = /^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#]*)([^?#]*)(.*)$/.exec(url) as RegExpExecArray;
    const path = m[2]
      .split('/')
      .map((segment) => {
        if (segment.charAt(0) !== ':') return segment;
        const param = params.filter((p) => p && p.name === segment.slice(1))[0];
        if (!param || param.enabled === false) return segment;
        const value = interpolate(text(param.value));
        return value.trim() === '' ? segment : value;
      })
      .join('/');
    return m[1] + path + m[3];
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
      const mode = typeof req.getAuthMode === 'function' ? req.getAuthMode() : 'none';
      return requestFacts({ method: req.getMethod(), url, header, hasAuthSetting: !!mode && mode !== 'none' });
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
      // bru run prints the thrown error with the source lines around the place its stack points to:
      // for the bundle that is ~100 KB of minified code. Without a stack it prints the message alone.
      try {
        error.stack = '';
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
