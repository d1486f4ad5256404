// The Client for a Yaak authentication plugin: Yaak calls onApply(ctx, request) with the request rendered
// (templates, path parameters, query) and built (the body as the exact text it sends), and sends it
// with the headers onApply returns; nothing else of the request can change after it.
// Measured with the Yaak CLI 2026.8.1 (test/clients/yaak.md); read: mountain-loop/yaak
// crates/yaak/src/send.rs (apply_plugin_authentication), crates/yaak-http/src/types.rs (build_body).
import { SignerError } from '../errors';
import type { Client, HttpRequest, HttpResponse } from './client';
import { present, requestFacts, sleepWithTimers } from './shared';

// What Yaak 2026.8.1 passes and expects, as measured; declared here rather than taken from
// @yaakapp/api, whose published types (0.7.0) lack `body` and differ from what the CLI sends.

export interface YaakHeader {
  name: string;
  value: string;
}

/** onApply's second argument. */
export interface YaakAuthRequest {
  /** The plugin's arguments (Auth tab), their templates rendered. */
  values: Record<string, string | number | boolean | null | undefined>;
  /** Upper case. */
  method: string;
  /** Rendered, http:// added when no scheme is written, path parameters percent-encoded, query appended. */
  url: string;
  /** The enabled headers, Yaak's defaults (User-Agent, Accept) included. */
  headers: YaakHeader[];
  /**
   * The body exactly as sent, or null when there is none and when Yaak does not show it: a multipart
   * form, a file, more than 10 MiB, or not UTF-8.
   */
  body: string | null;
}

/** The part of onApply's context the signer uses. */
export interface YaakContext {
  templates: {
    /** Renders `${[ name ]}`; rejects when the variable is not defined in the active environment. */
    render(args: { data: string; purpose: 'send' | 'preview' }): Promise<unknown>;
  };
}

/** onApply's answer: headers replacing any of the same name (in any case), or added. */
export interface YaakAuthResponse {
  setHeaders: YaakHeader[];
}

/** Sends one call of the exchange within `timeoutMs`, following no redirect (node-transport.ts). */
export type Transport = (request: HttpRequest, timeoutMs: number) => Promise<HttpResponse>;

/** The settings, by the names the other clients use. */
export const SETTINGS = [
  'authToken',
  'credentialPrivateKey',
  'credentialId',
  'dfnsApiDomain',
  'dfnsTimeoutSeconds',
  'dfnsUsername',
  'dfnsOrgId',
];

/** Yaak's message for a variable the active environment lacks (ctx.templates.render). */
const NOT_DEFINED = /is not defined/;

export interface YaakClient extends Client {
  /** The headers to return from onApply. */
  setHeaders(): YaakHeader[];
}

export function yaakClient(ctx: YaakContext, request: YaakAuthRequest, transport: Transport): YaakClient {
  const setHeaders: YaakHeader[] = [];
  // The environment variables the arguments leave unset, read by prepare().
  const environment: Record<string, string | undefined> = {};
  const argument = (name: string): string | undefined => {
    const value = request.values ? request.values[name] : undefined;
    return value === undefined || value === null ? undefined : present(String(value));
  };
  const header = (name: string): string | undefined => {
    const lower = name.toLowerCase();
    const found = (request.headers || []).filter((h) => String(h.name).toLowerCase() === lower && present(h.value) !== undefined);
    return found.length ? String(found[0].value) : undefined;
  };

  return {
    variable(name) {
      return argument(name) ?? environment[name];
    },

    async prepare() {
      // An argument left empty falls back to the environment variable of the same name.
      const names = SETTINGS.filter((name) => argument(name) === undefined);
      const values = await Promise.all(
        names.map((name) =>
          ctx.templates.render({ data: `\${[ ${name} ]}`, purpose: 'send' }).then(
            (value) => (value === undefined || value === null ? undefined : present(String(value))),
            (e) => {
              const reason = String((e && e.message) || e);
              if (NOT_DEFINED.test(reason)) return undefined;
              throw new SignerError(
                'template-unresolved',
                `the environment variable ${name} could not be rendered (${reason.slice(0, 160)})`,
                `Fix ${name} in the active Yaak environment, or set ${name} in the Auth tab (Dfns User Action Signing)`,
              );
            },
          ),
        ),
      );
      names.forEach((name, i) => {
        environment[name] = values[i];
      });
    },

    request() {
      // The request's auth setting is this plugin: only a hand-written Authorization header counts (the flow
      // refuses a signed request whose header carries another token than authToken).
      return requestFacts({ method: request.method, url: request.url, header });
    },

    body() {
      // null is both "no body" and "a body Yaak does not show" (a file carries no header that tells).
      // Dfns's SDKs send {} to endpoints that take no body, so a signed request must show its body.
      if (request.body === null || request.body === undefined)
        throw new SignerError(
          'body-not-json',
          `Yaak shows the plugin no body for this ${String(request.method).toUpperCase()} ` +
            '(an empty body, a file, a multipart form or more than 10 MiB), so it cannot be signed as sent',
          "Set the body to JSON (Body > JSON), {} when the endpoint takes none, as Dfns's SDKs send",
        );
      return request.body;
    },

    unresolved() {
      // Yaak rendered every template before the plugin runs (an undefined variable fails the send), and
      // renders nothing after it: a ${[ left in the text was escaped, and is sent as it is.
      return undefined;
    },

    freeze() {
      // Yaak sends the URL and body the plugin saw; onApply can only add headers and query parameters.
    },

    send: transport,

    sleep: sleepWithTimers,

    setHeader(name, value) {
      const lower = name.toLowerCase();
      for (let i = setHeaders.length - 1; i >= 0; i--) if (setHeaders[i].name.toLowerCase() === lower) setHeaders.splice(i, 1);
      setHeaders.push({ name, value });
    },

    log(line) {
      // The plugin runtime's stdout: the Yaak CLI shows it with --log info.
      console.log(line);
    },

    report(error) {
      console.error(error.message);
    },

    stop() {
      // A throw from onApply stops the request: "Failed to prepare request before send: … Dfns signer: …", exit 1.
      return 'throw';
    },

    setHeaders() {
      return setHeaders.slice();
    },
  };
}
