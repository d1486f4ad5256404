// Postman, newman and every client that runs postman-sandbox (4.x in newman 6.2, 6.x in the app).
import stripJsonComments from 'strip-json-comments';
import { headerIn, present, splitUrl, unsignableBody } from '../request';
import type { Host, HttpResponse } from './host';

declare const pm: any;

const JSON_CONTENT_TYPE = /^application\/(\S+\+)?json/;

function resolve(value: unknown): string {
  return value === undefined || value === null ? '' : pm.variables.replaceIn(String(value));
}

const enabledHeader = (name: string): string | undefined => headerIn(pm.request.headers, name);

// postman-runtime strips comments from raw JSON bodies after the script (request-helpers-presend.js),
// under these exact conditions; doing it first, with the same library, makes the signed text the sent text.
function runtimeStripsComments(body: any): boolean {
  const language = body.options && body.options.raw && body.options.raw.language;
  if (language) return language === 'json';
  const type = enabledHeader('Content-Type');
  return type !== undefined && JSON_CONTENT_TYPE.test(type);
}

export function postmanHost(): Host {
  return {
    variable(name) {
      const value = present(pm.variables.get(name));
      return value === undefined ? undefined : resolve(value);
    },

    vaultSecret(name) {
      // pm.vault exists from postman-sandbox 6 (the Postman app); it rejects when the user has not
      // granted this collection's scripts access to the vault.
      if (typeof pm.vault === 'undefined' || !pm.vault || typeof pm.vault.get !== 'function') return Promise.resolve(undefined);
      return Promise.resolve(pm.vault.get(name)).then(present, () => undefined);
    },

    request() {
      const url = pm.request.url;
      // Resolve the path once and write it back: dynamic variables ({{$randomUUID}}) would
      // otherwise take a new value when the client resolves the URL again for sending.
      url.variables.each((v: any) => v.set(resolve(v.value)));
      url.path = (url.path || []).map(resolve);
      const { origin } = splitUrl(resolve(url.toString()));
      const { path } = splitUrl(origin + url.getPath());
      const auth = pm.request.auth;
      return {
        method: String(pm.request.method).toUpperCase(),
        origin,
        path,
        hasAuthorization: enabledHeader('Authorization') !== undefined || !!(auth && auth.type && auth.type !== 'noauth'),
        userAction: enabledHeader('X-DFNS-USERACTION'),
      };
    },

    freezeBody() {
      const body = pm.request.body;
      if (!body || body.disabled || !body.mode) return '';
      if (body.mode !== 'raw')
        throw unsignableBody(body.mode, 'raw JSON (Body > raw > JSON)');
      let text = resolve(body.raw);
      if (runtimeStripsComments(body) && (text.indexOf('//') >= 0 || text.indexOf('/*') >= 0))
        text = stripJsonComments(text, { whitespace: false });
      body.update({ mode: 'raw', raw: text, options: body.options, disabled: body.disabled });
      return text;
    },

    send(request) {
      return new Promise<HttpResponse>((done, failed) => {
        pm.sendRequest(
          {
            url: request.url,
            method: request.method,
            header: Object.keys(request.headers).map((key) => ({ key, value: request.headers[key] })),
            body: { mode: 'raw', raw: request.body },
          },
          // Only settle here: a throw inside this callback is swallowed by newman 6.2.
          (error: any, response: any) =>
            error || !response || typeof response.code !== 'number' ? failed(error || new Error('no response')) : done({ status: response.code, text: response.text() }),
        );
      });
    },

    setHeader(name, value) {
      pm.request.headers.upsert({ key: name, value });
    },

    log(line) {
      console.log(line);
    },

    fail(error) {
      // A throw would not stop newman from sending the request: record a failed test instead,
      // so the run fails, and skip the request.
      pm.test(error.message, () => {
        throw error;
      });
      pm.execution.skipRequest();
      return undefined;
    },
  };
}
