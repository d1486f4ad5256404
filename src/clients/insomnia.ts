// Insomnia's pre-request scripts (app 10 and later; the `insomnia` object).
// Source read: Kong/insomnia packages/insomnia-scripting-environment/src/objects/{insomnia,request,
// headers,properties,environments,interpolator,send-request,response,execution}.ts, and
// packages/insomnia/src/common/render.ts (path parameters), models/request.ts (PATH_PARAMETER_REGEX),
// network/network.ts (transformUrl: the URL is percent-encoded when sent, see insomnia-url.ts).
import { ambiguousPath, dynamicUrl, emptyPathVariable, unrenderable, unsignableBody } from '../errors/request';
import { parseUrl } from '../request';
import type { Client, HttpResponse } from './client';
import { insomniaPath, insomniaPathAmbiguity } from './insomnia-url';
import {
  answerHeaders,
  emptySegmentVariable,
  headerIn,
  mustacheReference,
  present,
  requestFacts,
  sleepWithTimers,
  withDeadline,
} from './shared';

/** The answer headers of an Insomnia script Response: a HeaderList of {key, value}, names as the server sent them. */
function headersOf(response: any): Record<string, string> {
  const list = response.headers;
  return list && typeof list.each === 'function' ? answerHeaders((name) => headerIn(list, name)) : {};
}

export function insomniaClient(insomnia: any): Client {
  // Insomnia's editor writes {{ _.name }}; insomnia.variables.replaceIn renders with the variables as
  // the context (no `_`), so both spellings are brought to {{ name }} first.
  const resolve = (value: unknown, what: string): string => {
    if (value === undefined || value === null) return '';
    const template = String(value).replace(/\{\{\s*_\./g, '{{ ');
    if (template.indexOf('{{') < 0 && template.indexOf('{%') < 0) return template;
    try {
      return String(insomnia.variables.replaceIn(template));
    } catch (e) {
      const reason = e && typeof e === 'object' && 'message' in e ? String((e as Error).message).split('\n')[0] : String(e);
      throw unrenderable(what, reason);
    }
  };

  const header = (name: string): string | undefined => {
    const value = headerIn(insomnia.request.headers, name);
    return value === undefined ? undefined : resolve(value, `the header ${name}`);
  };

  // Path parameters are rendered after the script (render.ts): each /:name segment becomes
  // /encodeURIComponent(value) when the parameter has a value, and stays as written otherwise.
  let empty: string | undefined;
  const resolvedUrl = (): string => {
    const r = insomnia.request;
    const params: any[] = r.pathParameters || [];
    empty = undefined;
    return resolve(r.url.toString(), 'the request URL').replace(/\/:[^/?#:]+/g, (segment) => {
      const param = params.filter((p) => p && p.name === segment.slice(2))[0];
      const value = param ? resolve(param.value, `the path parameter ${param.name}`) : '';
      if (param && value.trim() === '') empty = empty || param.name;
      return value ? `/${encodeURIComponent(value)}` : segment;
    });
  };

  // Resolved once by body(), written back by freeze().
  let body: string | undefined;
  return {
    variable(name) {
      // Local, folder, iteration data, environment, base environment (collection), globals: first set wins.
      const value = insomnia.variables.get(name);
      if (present(value) === undefined) return undefined;
      return resolve(typeof value === 'object' ? JSON.stringify(value) : value, `the variable ${name}`);
    },

    request() {
      const r = insomnia.request;
      const url = resolvedUrl();
      const emptyParam = empty;
      const dynamic = resolvedUrl() !== url;
      // Insomnia renders the URL again after the script, and the script cannot write it back: a URL
      // that renders differently each time ({% faker %}, {% uuid %}) would go out with other values than signed.
      // What Insomnia versions encode differently cannot be signed from here (the plugin can: it pins the URL).
      // Both only matter to a Dfns request: unsendable, not thrown.
      const odd = insomniaPathAmbiguity(parseUrl(url, (path) => path).path);
      const inSegment = emptySegmentVariable(r.url.toString(), /\{\{\s*(?:_\.)?([^{}]*?)\s*\}\}/g, (text) =>
        resolve(text, 'the request URL'),
      );
      // The auth setting adds its header when sending, only where no Authorization header is
      // (parse-header-strings.ts): a header wins, the signer's too. The script sees it as insomnia-sdk's
      // toPreRequestAuth makes it: a Bearer token, prefix and disabled as key-value pairs, unrendered.
      const auth = r.auth && typeof r.auth.toJSON === 'function' && header('Authorization') === undefined ? r.auth.toJSON() : {};
      const option = (key: string) => ((auth.bearer || []).filter((p: any) => p && p.key === key)[0] || {}).value;
      const bearer = auth.type === 'bearer' && option('disabled') !== 'true';
      // The path is signed as Insomnia encodes it with "Automatically encode special characters in URL" on (the
      // default): a script can read neither that setting nor which Insomnia version will encode the URL.
      return requestFacts({
        method: r.method,
        url,
        header,
        auth: bearer
          ? `${String(option('prefix') || '').trim() || 'Bearer'} ${resolve(option('token'), 'the auth token').trim()}`
          : auth.type && auth.type !== 'noauth' && auth.type !== 'bearer'
            ? auth.type
            : undefined,
        encodePath: insomniaPath,
        unsendable: dynamic
          ? dynamicUrl()
          : odd
            ? ambiguousPath(
                odd,
                "Write the path without it (percent-encoded in the URL itself, e.g. %27 for '), or use the Insomnia plugin, which sends the path it signed",
              )
            : emptyParam
              ? emptyPathVariable(emptyParam, `{{ _.${emptyParam} }}`, '')
              : inSegment
                ? emptyPathVariable(inSegment, undefined, '')
                : undefined,
      });
    },

    body() {
      const b = insomnia.request.body;
      if (!b || b.mode === undefined) return '';
      if (b.mode !== 'raw') throw unsignableBody(b.mode === 'urlencoded' ? 'a form' : b.mode, 'JSON (Body > JSON)');
      body = resolve(b.raw, 'the request body');
      return body;
    },

    unresolved: mustacheReference,

    reference(name) {
      return `{{ _.${name} }}`;
    },

    freeze() {
      // Insomnia renders the body again after the script; resolved text has nothing left to render.
      const b = insomnia.request.body;
      if (body !== undefined) b.update({ mode: 'raw', raw: body, options: b.options });
    },

    send(request, timeoutMs) {
      // insomnia.sendRequest follows redirects as the app's setting says (Preferences: Follow redirects, on
      // by default) and tells nothing of it; its limit is the app's request timeout. The signer's own is a timer.
      const call = new Promise<HttpResponse>((done, failed) => {
        // Settled from the callback only: Insomnia 10/11 resolves the returned promise with undefined
        // on error and never rejects it; newer versions reject it only when no callback is given.
        const pending = insomnia.sendRequest(
          {
            url: request.url,
            method: request.method,
            header: Object.keys(request.headers).map((key) => ({ key, value: request.headers[key] })),
            body: { mode: 'raw', raw: request.body },
          },
          (error: any, response: any) => {
            if (error || !response || typeof response.code !== 'number')
              failed(typeof error === 'string' ? new Error(error) : error || new Error('no response'));
            else done({ status: response.code, text: response.text(), headers: headersOf(response) });
          },
        );
        if (pending && typeof pending.then === 'function') pending.then(undefined, failed);
      });
      return withDeadline(call, timeoutMs);
    },

    replaceBody(text) {
      const b = insomnia.request.body;
      b.update({ mode: 'raw', raw: text, options: b.options });
    },

    sleep: sleepWithTimers,

    keepToken(token) {
      insomnia.environment.set('authToken', token);
      return 'the environment';
    },

    setHeader(name, value) {
      // upsertHeader, not headers.upsert: PropertyList.upsert drops the header after the one it replaces.
      const r = insomnia.request;
      if (typeof r.upsertHeader === 'function') r.upsertHeader({ key: name, value });
      else r.addHeader({ key: name, value });
    },

    log(line) {
      console.log(line);
    },

    report() {
      // Insomnia shows the thrown error: "Execute pre-request script failed: <message>".
    },

    stop() {
      // The throw (by the bundle's last line) is what stops the request; skipRequest as well, where
      // it exists, should a version ever swallow the throw.
      const execution = insomnia.execution;
      if (execution && typeof execution.skipRequest === 'function') execution.skipRequest();
      return 'throw';
    },
  };
}
