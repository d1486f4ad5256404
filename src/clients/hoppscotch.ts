// Hoppscotch (app and `hopp test`), in its default scripting sandbox (QuickJS, the `hopp` namespace).
// Measured with @hoppscotch/cli 0.31.4; source read: hoppscotch/hoppscotch @afc2cf1, packages
// hoppscotch-js-sandbox (bootstrap-code/pre-request.js), hoppscotch-cli (utils/pre-request.ts, request.ts).

import { emptyPathVariable, invalidJsonBody, unsignableBody, unsignableForm } from '../errors/request';
import type { Client, HttpResponse } from './client';
import {
  answerHeadersOfFetch,
  emptySegmentVariable,
  formData,
  holdWithTimer,
  present,
  requestFacts,
  sleepWithTimers,
  stripJsonComments,
  withDeadline,
} from './shared';

const JSON_TYPE = /^application\/(.+[+-])?json$/;

export function hoppscotchClient(hopp: any, pw: any): Client {
  // The script sees every value raw (<<name>>); the client resolves them after it. A reference the
  // script cannot see is left as written, so the flow refuses it: collection and request variables are
  // invisible to scripts, and resolving them to "" here would sign and send something else.
  const resolve = (value: unknown): string =>
    String(value === undefined || value === null ? '' : value).replace(/<<([^<>]*)>>/g, (reference, name: string) =>
      name.charAt(0) === '$' || hopp.env.get(name) !== null ? String(pw.env.resolve(reference)) : reference,
    );

  const r = hopp.request;
  // Resolved once by request() and body(), written back by freeze(): dynamic variables (<<$randomUUID>>)
  // take a new value at every resolution.
  let url: string | undefined;
  let body: string | undefined;
  const header = (name: string): string | undefined => {
    let found: string | undefined;
    (r.headers || []).forEach((h: any) => {
      if (h.active !== false && String(h.key).toLowerCase() === name.toLowerCase() && present(resolve(h.value)) !== undefined)
        found = resolve(h.value);
    });
    return found;
  };
  /**
   * A form (key-store outputs): the text of its field data, signed as it is and not written back, since a form
   * taken back from the script would lose its file; so data may hold no <<variable>>. The client sends the active
   * fields with a key, and one with a content type as a file (hoppscotch-cli request.ts, toFormData).
   */
  const formText = (entries: any[]): string => {
    const fields = entries.filter((f) => f && f.active && f.key !== '');
    const data = fields[formData(fields.map((f) => ({ key: String(f.key), file: !!f.isFile || !!f.contentType })))];
    const value = String(data.value === undefined || data.value === null ? '' : data.value);
    const reference = /<<[^<>]*>>/.exec(value);
    if (reference)
      throw unsignableForm(
        `${reference[0]} in its field data`,
        "Write data's values themselves: Hoppscotch cannot take a form back from a script without losing its file",
      );
    return value;
  };

  return {
    variable(name) {
      const value = hopp.env.get(name);
      return present(value) === undefined ? undefined : String(value);
    },

    request() {
      // The client sends new URL(url): the path percent-encoded as parseUrl does (dot segments are refused by the flow).
      url = resolve(r.url);
      const empty = emptySegmentVariable(r.url, /<<([^<>]*)>>/g, resolve);
      // An auth setting, inherited ones included (resolved before the script), wins over a header the script sets.
      const auth = r.auth || {};
      const own = auth.authActive && auth.authType !== 'none' && auth.authType !== 'inherit';
      return requestFacts({
        method: r.method,
        url,
        header,
        auth: !own ? undefined : auth.authType === 'bearer' ? `Bearer ${resolve(auth.token)}` : String(auth.authType),
        unsendable: empty ? emptyPathVariable(empty, undefined, '') : undefined,
      });
    },

    body() {
      const b = r.body || {};
      if (!b.contentType) return '';
      if (b.contentType === 'multipart/form-data' && Array.isArray(b.body)) return formText(b.body);
      // A urlencoded body is kept as "key: value" lines and sent encoded (a=1): not as signed.
      if (typeof b.body !== 'string' || /urlencoded/.test(b.contentType))
        throw unsignableBody(b.contentType, 'JSON (Body > application/json)');
      body = resolve(b.body);
      if (!JSON_TYPE.test(b.contentType)) return body;
      if (body.trim() === '') return (body = '');
      // The client sends a JSON body re-serialized: JSON.stringify(JSON.parse(text without comments)).
      try {
        body = JSON.stringify(JSON.parse(stripJsonComments(body)));
      } catch (e) {
        throw invalidJsonBody(body, e && (e as Error).message, 'Hoppscotch cannot send: it re-serializes JSON bodies');
      }
      return body;
    },

    unresolved(text) {
      const m = /<<[^<>]*>>/.exec(text);
      return m ? m[0] : undefined;
    },

    reference(name) {
      return `<<${name}>>`;
    },

    freeze() {
      if (url !== undefined) r.setUrl(url);
      // An empty JSON body would go out as the two bytes "": no body at all is what was signed.
      if (body === '') r.setBody({ contentType: null, body: null });
      else if (body !== undefined) r.setBody({ body });
    },

    send(request, timeoutMs) {
      // hopp.fetch rejects only when no answer came; every status resolves. `hopp test` follows redirects
      // whatever redirect says (axios) and tells nothing of it; where a fetch honours 'manual' the 3xx comes
      // back, or an opaque redirect. It has no timeout and no working AbortSignal: the limit is a timer,
      // and a call left hanging holds `hopp test` open (it waits for every fetch) though the request is stopped.
      const call = hopp
        .fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' })
        .then((response: any) =>
          response.text().then(
            (text: string): HttpResponse => ({
              status: response.status,
              text,
              headers: answerHeadersOfFetch(response.headers),
              redirected: response.redirected === true || response.type === 'opaqueredirect',
            }),
          ),
        );
      return withDeadline(call, timeoutMs);
    },

    sleep: sleepWithTimers,

    hold() {
      // The sandbox waits for the fetches, and for the timers pending when the script's code returns, but
      // stops tracking timers once none is left: a wait between two calls (a retry) would let the request
      // go out unsigned. One timer pending from the start until signing is over keeps the script running.
      return holdWithTimer();
    },

    setHeader(name, value) {
      r.setHeader(name, value);
    },

    replaceBody(text) {
      r.setBody({ contentType: 'application/json', body: text });
    },

    keepToken(token) {
      hopp.env.set('authToken', token);
      return 'the environment';
    },

    log(line) {
      console.log(line);
    },

    report(error) {
      console.error(error.message);
    },

    stop(error) {
      // `hopp test` sends the request as written even when the script throws (and drops what the
      // script changed); a URL that is no URL is never sent, by the CLI or the app, and names the
      // failure (with its <<references>> out of the client's reach: it resolves them in the URL).
      r.setUrl(error.message.replace(/<<([^<>]*)>>/g, '«$1»'));
      return 'skipped';
    },
  };
}
