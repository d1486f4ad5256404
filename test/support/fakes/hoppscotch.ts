// A fake of Hoppscotch's `hopp` and `pw` for one request, as the default (QuickJS) sandbox of the app and of
// `hopp test` 0.31 shows them to a pre-request script, and what the CLI then sends (wire()). Modelled on
// test/clients/hoppscotch.md: the script sees every value raw (<<name>>) and the environment only (collection
// and request variables are invisible to it); hopp.env.get gives a resolved value or null, pw.env.resolve
// resolves a whole text ('' for the unknown); the CLI resolves <<name>> after the script from request >
// collection > environment variables, sends new URL(url) (a URL that does not parse is not sent), lets an
// auth setting (inherited ones included, resolved before the script) win over the script's header, and
// re-serializes a JSON body: JSON.stringify(JSON.parse(body without comments)).
import stripJsonComments from 'strip-json-comments';
import type { HttpRequest } from '../../../src/clients/client';
import { acceptingDfns, type DfnsAnswer, freshUuid, headerGetter, type Wire } from './dfns';

export interface HoppRequestSpec {
  method?: string;
  /** With <<variables>>. */
  url: string;
  headers?: { key: string; value: string; active?: boolean }[];
  body?: { contentType: string | null; body: unknown };
  auth?: { authType: string; authActive: boolean; token?: string };
}

export interface HoppFakeOptions {
  /** The environment: what scripts see. */
  environment?: Record<string, string>;
  /** Collection variables: used by the CLI, invisible to scripts. */
  collection?: Record<string, string>;
  dfns?: DfnsAnswer;
}

export function fakeHoppscotch(spec: HoppRequestSpec, options: HoppFakeOptions = {}) {
  const environment = { ...(options.environment ?? {}) };
  const collection = options.collection ?? {};
  const exchange: HttpRequest[] = [];
  /** The init of each hopp.fetch call, as given. */
  const sendOptions: Record<string, unknown>[] = [];

  const resolveWith = (scopes: Record<string, string>[], text: string): string => {
    let out = text;
    for (let depth = 0; depth < 10 && /<<[^<>]*>>/.test(out); depth++)
      out = out.replace(/<<([^<>]*)>>/g, (_ref, name: string) => {
        if (name === '$randomUUID' || name === '$guid') return freshUuid();
        const scope = scopes.find((s) => Object.prototype.hasOwnProperty.call(s, name));
        return scope ? scope[name] : '';
      });
    return out;
  };

  const request = {
    url: spec.url,
    method: spec.method ?? 'POST',
    headers: (spec.headers ?? []).map((h) => ({ key: h.key, value: h.value, active: h.active !== false, description: '' })),
    body: spec.body ?? { contentType: null, body: null },
    auth: spec.auth ?? { authType: 'none', authActive: true },
    setUrl(url: string) {
      this.url = url;
    },
    setHeader(name: string, value: string) {
      const found = this.headers.find((h) => h.key.toLowerCase() === name.toLowerCase());
      if (found) found.value = value;
      else this.headers.push({ key: name, value, active: true, description: '' });
    },
    setBody(next: { contentType?: string | null; body?: unknown }) {
      this.body = { ...this.body, ...next };
    },
  };

  const hopp = {
    env: {
      get: (name: string) =>
        Object.prototype.hasOwnProperty.call(environment, name) ? resolveWith([environment], environment[name]) : null,
    },
    request,
    fetch(url: string, init: { method: string; headers: Record<string, string>; body: string }) {
      const sent: HttpRequest = { method: 'POST', url, headers: init.headers, body: init.body };
      exchange.push(sent);
      sendOptions.push(init);
      const answer = (options.dfns ?? acceptingDfns)(sent);
      // hopp test's answer: no url, no redirected (it follows redirects and says nothing).
      return answer instanceof Error
        ? Promise.reject(answer)
        : Promise.resolve({ status: answer.status, text: () => Promise.resolve(answer.text), headers: { get: headerGetter(answer) } });
    },
  };
  const pw = { env: { resolve: (text: string) => resolveWith([environment], text) } };

  /** What hopp test sends after the script; undefined when its URL does not parse or its JSON body does not. */
  function wire(): Wire | undefined {
    const resolve = (text: string) => resolveWith([collection, environment], text);
    let url: URL;
    try {
      url = new URL(resolve(request.url));
    } catch (_e) {
      return undefined;
    }
    const headers: Record<string, string> = {};
    for (const h of request.headers.filter((x) => x.active)) headers[h.key] = resolve(h.value).trim();
    const auth = request.auth;
    if (auth.authActive && auth.authType === 'bearer') {
      for (const key of Object.keys(headers)) if (key.toLowerCase() === 'authorization') delete headers[key];
      headers.Authorization = `Bearer ${resolve(auth.token ?? '')}`;
    }
    let body = typeof request.body.body === 'string' ? resolve(request.body.body) : '';
    if (request.body.contentType && /^application\/(.+[+-])?json$/.test(request.body.contentType)) {
      try {
        body = JSON.stringify(JSON.parse(stripJsonComments(body)));
      } catch (_e) {
        return undefined;
      }
    }
    return { method: request.method.toUpperCase(), origin: url.origin, path: url.pathname, headers, body };
  }

  return { hopp, pw, request, exchange, sendOptions, wire };
}
