// The Client for Insomnia's plugin API: a request hook sees the request after Insomnia rendered it
// (templates, path parameters) and before it is sent, outside the script sandbox.
// Source read: Kong/insomnia packages/insomnia/src/plugins/context/request.ts (context.request),
// plugins/context/app.ts (context.app.alert), network/network.ts (_applyRequestPluginHooks /
// applyRequestHooks: a hook that throws stops the request: "Failed to transform request with plugins").
import type { Client, HttpRequest, HttpResponse } from './client';
import { unsignableBody } from '../errors/request';
import { mustacheReference, present, requestFacts } from './shared';

/** The part of Insomnia's request-hook context the signer uses. */
export interface RequestHookContext {
  request: {
    getUrl(): string;
    getMethod(): string;
    getHeader(name: string): string | null;
    setHeader(name: string, value: string): void;
    getBody(): { mimeType?: string | null; text?: string; params?: unknown[]; fileName?: string } | undefined;
    getAuthentication(): Record<string, unknown> | undefined;
    getEnvironmentVariable(name: string): unknown;
  };
  app?: { alert?(title: string, message?: string): unknown };
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export function insomniaPluginClient(context: RequestHookContext, transport: Transport): Client {
  const r = context.request;
  return {
    variable(name) {
      const value = r.getEnvironmentVariable(name);
      if (value === undefined || value === null) return undefined;
      return present(typeof value === 'object' ? JSON.stringify(value) : String(value));
    },

    request() {
      // Rendered: variables resolved, /:name path parameters replaced (render.ts), http:// added when missing.
      const auth = r.getAuthentication() || {};
      return requestFacts({
        method: r.getMethod(),
        url: r.getUrl(),
        header: (name) => present(r.getHeader(name)),
        hasAuthSetting: typeof auth.type === 'string' && auth.type !== 'none' && auth.disabled !== true,
      });
    },

    body() {
      // Already rendered and sent as is: nothing to resolve or write back.
      const body = r.getBody();
      if (!body) return '';
      if ((body.params && body.params.length) || body.fileName) throw unsignableBody('a form or a file', 'JSON (Body > JSON)');
      return typeof body.text === 'string' ? body.text : '';
    },

    unresolved: mustacheReference,

    freeze() {
      // The hook sees the request as it will be sent: nothing is rendered after it.
    },

    send: transport,

    setHeader(name, value) {
      // Replaces a header of that name (any case) in place, or appends one.
      r.setHeader(name, value);
    },

    log(line) {
      console.log(line);
    },

    report(error) {
      // Insomnia replaces a hook's error by "Failed to transform request with plugins: <id>", so the
      // line is also shown in a dialog and logged (View > Toggle DevTools > Console).
      console.error(error.message);
      try {
        if (context.app && typeof context.app.alert === 'function') {
          const shown = context.app.alert('Dfns signer', error.message) as any;
          if (shown && typeof shown.then === 'function') shown.then(undefined, () => undefined);
        }
      } catch (e) {
        // no dialog outside the app window (inso): the console line and the failed request remain
      }
    },

    stop() {
      return 'throw'; // a hook that throws stops the request (network.ts applyRequestHooks)
    },
  };
}
