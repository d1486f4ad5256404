// Bruno (app and `bru run`), in both sandboxes: safe (QuickJS) and developer (node:vm).
// Source read: usebruno/bruno v4.1.0, packages/bruno-js/src/{bru.js,bruno-request.js},
// packages/bruno-js/src/sandbox/quickjs/shims/{bru.js,bruno-request.js},
// packages/bruno-cli/src/runner/{prepare-request.js,interpolate-vars.js,run-single-request.js},
// packages/bruno-requests/src/scripting/send-request.ts, packages/bruno-common/src/interpolate/index.ts.

import { emptyPathVariable, invalidJsonBody, unsignableBody, unsignableForm } from '../errors/request';
import { type Client, type HttpResponse, TimedOut } from './client';
import {
  answerHeadersOf,
  emptySegmentVariable,
  formData,
  headerOf,
  mustacheReference,
  requestFacts,
  sleepWithTimers,
  splitUrl,
  text,
} from './shared';

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
  /** A form (key-store outputs): its fields, the field data, and data's text as signed, written back. */
  let form: any[] | undefined;
  let dataField: { value: unknown } | undefined;
  let dataText = '';
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
      // A multipart form is the list of its enabled fields until Bruno builds it, after the script.
      if (Array.isArray(raw) && /^multipart\//i.test(header('Content-Type') || '')) {
        form = raw;
        const fields = raw.filter((f: any) => f && f.enabled !== false);
        dataField = fields[formData(fields.map((f: any) => ({ key: String(f.name), file: f.type === 'file' })))];
        const value = (dataField as { value: unknown }).value;
        if (Array.isArray(value)) throw unsignableForm('several values in its field data');
        dataText = interpolate(text(value));
        return dataText;
      }
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
      // A copy in the safe sandbox (QuickJS): the whole list goes back, data's value resolved.
      if (form)
        req.setBody(
          form.map((f) => {
            if (f !== dataField) return f;
            const copy: Record<string, unknown> = {};
            for (const key in f) copy[key] = f[key];
            copy.value = dataText;
            return copy;
          }),
          { raw: true },
        );
    },

    send(request, timeoutMs) {
      return bru
        .sendRequest({
          method: request.method,
          url: request.url,
          headers: request.headers,
          data: request.body,
          // axios stops the call itself at the limit (its timeout) and follows no redirect (a 3xx is the answer).
          timeout: timeoutMs,
          maxRedirects: 0,
          // The raw text, not axios' parsed JSON, and every status resolves (a function would not
          // survive the QuickJS boundary, null does: axios settle() resolves when !validateStatus).
          responseType: 'text',
          validateStatus: null,
        })
        .then(
          (response: any): HttpResponse => {
            if (!response || typeof response.status !== 'number') throw new Error('no response');
            return { status: response.status, text: text(response.data), headers: answerHeadersOf(response.headers) };
          },
          (error: any) => {
            // axios' timeout: "timeout of <ms>ms exceeded", ECONNABORTED (ETIMEDOUT with clarifyTimeoutError).
            const timeout =
              error && (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') && /timeout/i.test(String(error.message));
            throw timeout ? new TimedOut(timeoutMs) : error;
          },
        );
    },

    // The safe sandbox's setTimeout (bru.sleep underneath) has no clearTimeout, so there are no deadlines
    // on timers here: axios keeps the limit.
    sleep: sleepWithTimers,

    setHeader(name, value) {
      req.setHeader(name, value);
    },

    replaceBody(text) {
      req.setBody(text, { raw: true });
    },

    keepToken(token) {
      // In memory for the run (and the app's session): without { persist: true } nothing is written to disk.
      bru.setEnvVar('authToken', token);
      return 'the environment';
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
