// The Client for Insomnia's plugin API: a request hook sees the request after Insomnia rendered it
// (templates, path parameters) and before it is sent, outside the script sandbox.
// Source read: Kong/insomnia packages/insomnia/src/plugins/context/request.ts (context.request),
// plugins/context/app.ts (context.app.alert), network/network.ts (_applyRequestPluginHooks /
// applyRequestHooks: a hook that throws stops the request: "Failed to transform request with plugins"
// in 10.x, "[plugin=<name>] <message>" from plugins/invoke-method.ts in newer sources; transformUrl:
// the URL is percent-encoded after the hooks, see insomnia-url.ts).

import { ambiguousPath, emptyPathVariable, unsignableBody } from '../errors/request';
import { parseUrl } from '../request';
import type { Client, HttpRequest, HttpResponse } from './client';
import { insomniaPath, insomniaPathAmbiguity, insomniaUrl } from './insomnia-url';
import { mustacheReference, present, requestFacts, sleepWithTimers, splitUrl } from './shared';

/** The part of Insomnia's request-hook context the signer uses. */
export interface RequestHookContext {
  request: {
    /** The rendered URL, without the Params tab's parameters (Insomnia adds those when it sends). */
    getUrl(): string;
    setUrl?(url: string): void;
    /** The request setting "Automatically encode special characters in URL"; there is no getter. */
    settingEncodeUrl?(enabled: boolean): void;
    getMethod(): string;
    getHeader(name: string): string | null;
    setHeader(name: string, value: string): void;
    getBody(): { mimeType?: string | null; text?: string; params?: unknown[]; fileName?: string } | undefined;
    /** In Insomnia's plugin API (context.request.setBody); a body the signer writes goes through it. */
    setBody?(body: { mimeType?: string | null; text?: string }): void;
    getAuthentication(): Record<string, unknown> | undefined;
    getEnvironmentVariable(name: string): unknown;
  };
  app?: { alert?(title: string, message?: string): unknown };
}

/** Sends one call of the exchange within `timeoutMs`, following no redirect (node-transport.ts). */
export type Transport = (request: HttpRequest, timeoutMs: number) => Promise<HttpResponse>;

export function insomniaPluginClient(context: RequestHookContext, transport: Transport): Client {
  const r = context.request;
  return {
    variable(name) {
      const value = r.getEnvironmentVariable(name);
      if (value === undefined || value === null) return undefined;
      return present(typeof value === 'object' ? JSON.stringify(value) : String(value));
    },

    request() {
      // Rendered: variables resolved, /:name path parameters replaced (render.ts), http:// added when missing;
      // the path signed as Insomnia will encode it (freeze() makes sure it does).
      const auth = r.getAuthentication() || {};
      const placeholder = /\/:([^/?#:]+)/.exec(splitUrl(r.getUrl())[1]);
      return requestFacts({
        method: r.getMethod(),
        url: r.getUrl(),
        header: (name) => present(r.getHeader(name)),
        // Rendered, and added as a header after the hooks only where no Authorization header is (parse-header-strings.ts).
        auth:
          typeof auth.type !== 'string' ||
          auth.type === 'none' ||
          auth.disabled === true ||
          present(r.getHeader('Authorization')) !== undefined
            ? undefined
            : auth.type === 'bearer'
              ? `${auth.prefix || 'Bearer'} ${auth.token || ''}`
              : auth.type,
        encodePath: insomniaPath,
        // A path parameter Insomnia left as written (/:walletId): it had no value when rendered.
        unsendable: placeholder ? emptyPathVariable(placeholder[1], `{{ _.${placeholder[1]} }}`, '') : undefined,
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

    reference(name) {
      return `{{ _.${name} }}`;
    },

    freeze() {
      // Nothing is rendered after the hook, but Insomnia percent-encodes the URL when it sends it, as the
      // request's encode setting says (which a hook cannot read), and newer versions encode ' and control
      // characters differently: where encoding changes the URL, the hook puts the encoded URL on the
      // request and turns Insomnia's encoding off, so the bytes sent are the bytes signed.
      const url = r.getUrl();
      const sent = insomniaUrl(url);
      if (sent === url) return;
      const signed = parseUrl(url, insomniaPath).path;
      if (typeof r.setUrl === 'function' && typeof r.settingEncodeUrl === 'function' && parseUrl(sent, (path) => path).path === signed) {
        r.setUrl(sent);
        r.settingEncodeUrl(false);
        return;
      }
      // Not reached with the plugin API of Insomnia 10 and later (setUrl and settingEncodeUrl exist).
      const odd = insomniaPathAmbiguity(parseUrl(url, (path) => path).path);
      if (odd) throw ambiguousPath(odd, "Write the path without it (percent-encoded in the URL itself, e.g. %27 for ')");
    },

    send: transport,

    sleep: sleepWithTimers,

    setHeader(name, value) {
      // Replaces a header of that name (any case) in place, or appends one.
      r.setHeader(name, value);
    },

    replaceBody(text) {
      (r.setBody as NonNullable<typeof r.setBody>)({ mimeType: 'application/json', text });
    },

    log(line) {
      console.log(line);
    },

    report(error) {
      // Insomnia 10 replaces a hook's error by "Failed to transform request with plugins: <id>", so the
      // line is also shown in a dialog and logged (View > Toggle DevTools > Console).
      console.error(error.message);
      try {
        if (context.app && typeof context.app.alert === 'function') {
          const shown = context.app.alert('Dfns signer', error.message) as any;
          if (shown && typeof shown.then === 'function') shown.then(undefined, () => undefined);
        }
      } catch (_e) {
        // no dialog outside the app window (inso): the console line and the failed request remain
      }
    },

    stop() {
      return 'throw'; // a hook that throws stops the request (network.ts applyRequestHooks)
    },
  };
}
