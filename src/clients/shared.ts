// What the client adapters share: how they read a client's headers and values, and the one
// function that turns what a client holds into the request facts.
import { parseUrl, type RequestFacts } from '../request';

/** A value as the user set it, or undefined when it is unset, null or blank. */
export function present(value: unknown): string | undefined {
  return value === undefined || value === null || String(value).trim() === '' ? undefined : String(value);
}

/** Any value as text: strings as they are, objects as JSON, nothing as ''. */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The value of an enabled, non-empty header in a Postman-SDK-like header list (Postman, Insomnia scripts). */
export function headerIn(list: { each(fn: (h: any) => void, context?: unknown): void }, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  list.each((h) => {
    if (!h.disabled && String(h.key).toLowerCase() === lower && present(h.value) !== undefined) found = String(h.value);
  }, {});
  return found;
}

/** The value of a non-empty header in a plain object of headers, by name in any case (Bruno, httpyac). */
export function headerOf(headers: Record<string, unknown> | undefined | null, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  Object.keys(headers || {}).forEach((key) => {
    const value = (headers as Record<string, unknown>)[key];
    if (key.toLowerCase() === lower && present(value) !== undefined) found = String(value);
  });
  return found;
}

/** The first `{{name}}` (Postman, Bruno, Insomnia, httpyac) or `{% tag %}` (Insomnia) reference in a text. */
export function mustacheReference(value: string): string | undefined {
  const m = /\{\{[^{}]*\}\}|\{%[^%]*%\}/.exec(value);
  return m ? m[0] : undefined;
}

/** What a client holds about a request, its variables resolved once. */
export interface ClientRequest {
  method: string;
  /** The URL as the client will send it (path variables substituted). */
  url: string;
  /** An enabled, non-empty header, by name in any case. */
  header(name: string): string | undefined;
  /** The request has an auth setting of its own (Bearer, API key …), not none. */
  hasAuthSetting: boolean;
  /** How the client percent-encodes the path when it sends it, where it differs from most (Insomnia). */
  encodePath?: (path: string) => string;
}

export function requestFacts(request: ClientRequest): RequestFacts {
  return {
    method: String(request.method).toUpperCase(),
    url: parseUrl(request.url, request.encodePath),
    hasAuthorization: request.header('Authorization') !== undefined || request.hasAuthSetting,
    userAction: request.header('X-DFNS-USERACTION'),
  };
}
