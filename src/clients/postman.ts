// Postman, newman and every client that runs postman-sandbox (4.x in newman 6.2, 6.x in the app),
// and Apidog's fork of it.

import { emptyPathVariable, unsignableBody } from '../errors/request';
import type { Client, HttpResponse } from './client';
import {
  answerHeaders,
  emptySegmentVariable,
  formData,
  headerIn,
  mustacheReference,
  present,
  requestFacts,
  sleepWithTimers,
  splitUrl,
  stripJsonComments,
  withDeadline,
} from './shared';

/** The answer headers of a postman-collection Response (its HeaderList.get ignores case). */
function headersOf(response: any): Record<string, string> {
  const list = response.headers;
  return list && typeof list.get === 'function' ? answerHeaders((name) => list.get(name)) : {};
}

const JSON_CONTENT_TYPE = /^application\/(\S+\+)?json/;

/** Where a request goes when the client cannot skip it: a name under .invalid never resolves (RFC 2606). */
const NOWHERE = 'https://dfns-signer-refused.invalid/';

export function postmanClient(pm: any): Client {
  const r = pm.request;
  // Apidog resolves its own dynamic values ({{$string.uuid}}) only asynchronously: prepare() does so
  // for every text the adapter resolves, before the flow reads the request.
  const resolved: Record<string, string> = Object.create(null);
  const resolve = (value: unknown): string => {
    const raw = value === undefined || value === null ? '' : String(value);
    return raw in resolved ? resolved[raw] : pm.variables.replaceIn(raw);
  };
  /** A header's value as it will be sent, its variables resolved. */
  const header = (name: string): string | undefined => {
    const value = headerIn(r.headers, name);
    return value === undefined ? undefined : resolve(value);
  };

  // What request() and body() resolved, for freeze() to write back: dynamic variables ({{$randomUUID}})
  // take a new value at every resolution, so each is resolved once.
  const pathVariables: [any, string][] = [];
  let segments: string[] | undefined;
  let body: string | undefined;
  /** A form's field data (key-store outputs) and its text as signed, written back in place of a raw body. */
  let dataField: { value: string } | undefined;
  let dataText = '';

  // postman-runtime strips comments from raw JSON bodies after the script (request-helpers-presend.js),
  // under these exact conditions; doing it first, with the same library, makes the signed text the sent text.
  function runtimeStripsComments(): boolean {
    const language = r.body.options && r.body.options.raw && r.body.options.raw.language;
    if (language) return language === 'json';
    const type = header('Content-Type');
    return type !== undefined && JSON_CONTENT_TYPE.test(type);
  }

  const client: Client = {
    variable(name) {
      const value = present(pm.variables.get(name));
      return value === undefined ? undefined : resolve(value);
    },

    request() {
      const url = r.url;
      const values: Record<string, string> = Object.create(null);
      url.variables.each((v: any) => {
        const value = resolve(v.value);
        pathVariables.push([v, value]);
        values[v.key] = value;
      });
      const raw: string[] = url.path || [];
      segments = url.path ? raw.map(resolve) : undefined;
      // As url.getPath() builds it when sending: a `:name` segment (or `:name.suffix`) takes the value of
      // the path variable of that name when that value is not empty, and is sent as written otherwise.
      let empty: string | undefined;
      const path = (segments || []).map((s) => {
        const name = s.charAt(0) === ':' ? s.slice(1).split('.')[0] : '';
        if (!name || !(name in values)) return s;
        if (values[name].trim() === '') empty = empty || name;
        return values[name] ? values[name] + s.slice(name.length + 1) : s;
      });
      const inSegment = emptySegmentVariable(`/${raw.join('/')}`, /\{\{([^{}]*)\}\}/g, resolve);
      const [head, , rest] = splitUrl(resolve(url.toString()));
      // An auth setting wins over a header; one inherited from the folder or collection is invisible here
      // (r.auth undefined): freeze() keeps it from replacing the Authorization the signer relies on.
      const type = r.auth && r.auth.type;
      return requestFacts({
        method: r.method,
        url: `${head}/${path.join('/')}${rest}`,
        header,
        auth:
          !type || type === 'noauth' || type === 'inherit'
            ? undefined
            : type === 'bearer'
              ? `Bearer ${resolve(r.auth.parameters().get('token'))}`
              : type,
        unsendable: empty
          ? emptyPathVariable(empty, `{{${empty}}}`, '--env-var')
          : inSegment
            ? emptyPathVariable(inSegment, undefined, '--env-var')
            : undefined,
      });
    },

    body() {
      const b = r.body;
      if (!b || b.disabled || !b.mode) return '';
      if (b.mode === 'formdata') {
        const fields = b.formdata.all().filter((f: any) => !f.disabled);
        dataField = fields[formData(fields.map((f: any) => ({ key: String(f.key), file: f.type === 'file' })))];
        dataText = resolve((dataField as { value: string }).value);
        return dataText;
      }
      if (b.mode !== 'raw') throw unsignableBody(b.mode, 'raw JSON (Body > raw > JSON)');
      body = resolve(b.raw);
      if (runtimeStripsComments() && (body.indexOf('//') >= 0 || body.indexOf('/*') >= 0)) body = stripJsonComments(body);
      return body;
    },

    unresolved: mustacheReference,

    freeze() {
      // No auth of its own: one inherited from the folder or collection would replace the Authorization
      // header after the script (newman, the Postman app); No Auth keeps the header, set or checked.
      if (!r.auth) r.authorizeUsing('noauth');
      pathVariables.forEach(([variable, value]) => {
        variable.set(value);
      });
      if (segments) r.url.path = segments;
      if (body !== undefined) r.body.update({ mode: 'raw', raw: body, options: r.body.options, disabled: r.body.disabled });
      if (dataField) dataField.value = dataText;
    },

    send(request, timeoutMs) {
      // pm.sendRequest takes no limit and no redirect setting of its own (postman-runtime builds the request
      // with fixed protocolProfileBehavior): the limit is a timer, and a redirect the runner follows
      // (unless run with --ignore-redirects) cannot be seen from here.
      const call = new Promise<HttpResponse>((done, failed) => {
        pm.sendRequest(
          {
            url: request.url,
            method: request.method,
            header: Object.keys(request.headers).map((key) => ({ key, value: request.headers[key] })),
            body: { mode: 'raw', raw: request.body },
          },
          // Only settle here: a throw inside this callback is swallowed by newman 6.2.
          (error: any, response: any) =>
            error || !response || typeof response.code !== 'number'
              ? failed(error || new Error('no response'))
              : done({ status: response.code, text: response.text(), headers: headersOf(response) }),
        );
      });
      return withDeadline(call, timeoutMs);
    },

    sleep: sleepWithTimers,

    setHeader(name, value) {
      r.headers.upsert({ key: name, value });
    },

    replaceBody(text) {
      if (!r.body) throw unsignableBody('empty', 'raw JSON (Body > raw > JSON), {} at least');
      r.body.update({ mode: 'raw', raw: text, options: { raw: { language: 'json' } } });
    },

    keepToken(token) {
      // The environment's current value: the next requests of the run read it, and it is never saved to a file.
      pm.environment.set('authToken', token);
      return 'the environment';
    },

    log(line) {
      console.log(line);
    },

    report(error) {
      // A failed test: newman prints it and exits 1; the app shows it in the test results.
      pm.test(error.message, () => {
        throw error;
      });
    },

    stop() {
      // A throw would not stop newman 6.2 from sending the request; skipping does.
      if (pm.execution && typeof pm.execution.skipRequest === 'function') {
        pm.execution.skipRequest();
        return 'skipped';
      }
      // Apidog has no skip: the request is sent nowhere instead.
      r.url.update(NOWHERE);
      return 'skipped';
    },
  };
  // pm.vault exists from postman-sandbox 6 (the Postman app); it rejects when the user has not granted
  // this collection's scripts access to the vault. Apidog's (the client with replaceInAsync) yields null.
  const apidog = typeof pm.variables.replaceInAsync === 'function';
  if (pm.vault && typeof pm.vault.get === 'function' && !apidog)
    client.vaultSecret = (name) => Promise.resolve(pm.vault.get(name)).then(present, () => undefined);
  if (apidog)
    client.prepare = () => {
      const texts: unknown[] = [r.url.toString(), r.body && r.body.raw];
      r.url.variables.each((v: any) => texts.push(v.value));
      (r.url.path || []).forEach((segment: unknown) => {
        texts.push(segment);
      });
      // A form's fields (key-store outputs: data is signed).
      if (r.body && r.body.mode === 'formdata' && r.body.formdata) r.body.formdata.each((f: any) => texts.push(f.value));
      return Promise.all(
        texts.map((text) =>
          typeof text === 'string' && text.indexOf('{{') >= 0
            ? Promise.resolve(pm.variables.replaceInAsync(text)).then((value) => void (resolved[text] = String(value)))
            : undefined,
        ),
      ).then(() => undefined);
    };
  return client;
}
