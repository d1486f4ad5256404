// What the client adapters share: how they read a client's headers and values, and the one
// function that turns what a client holds into the request facts.
import type { SignerError } from '../errors';
import { unsignableForm } from '../errors/request';
import { parseUrl, type RequestFacts } from '../request';
import { ANSWER_HEADERS, TimedOut } from './client';

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

/**
 * strip-json-comments 3.1.1 without whitespace, the function postman-runtime applies to raw JSON bodies after
 * the script (request-helpers-presend.js), step for step: outside strings, `//` to the end of the line (a CRLF's
 * CR with it) and `/* … *\/` removed; a `"` after an odd run of backslashes does not open or close a string.
 * test/unit/clients/shared.test.ts holds it to the library, byte for byte.
 */
export function stripJsonComments(text: string): string {
  let inString = false;
  let comment = '';
  let offset = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const pair = c + text[i + 1];
    if (!comment && c === '"') {
      let k = i;
      while (text[k - 1] === '\\') k--;
      if ((i - k) % 2 === 0) inString = !inString;
    }
    if (inString) continue;
    if (!comment && (pair === '//' || pair === '/*')) {
      out += text.slice(offset, i);
      comment = pair;
      i++;
    } else if (comment === '//' && (pair === '\r\n' || c === '\n')) {
      if (c === '\r') i++;
      comment = '';
      offset = i;
    } else if (comment === '/*' && pair === '*/') {
      i++;
      comment = '';
      offset = i + 1;
    }
  }
  return comment ? out : out + text.slice(offset);
}

/** The first `{{name}}` (Postman, Bruno, Insomnia, httpyac) or `{% tag %}` (Insomnia) reference in a text. */
export function mustacheReference(value: string): string | undefined {
  const m = /\{\{[^{}]*\}\}|\{%[^%]*%\}/.exec(value);
  return m ? m[0] : undefined;
}

/** A URL as written, in three: scheme and authority, path, query and fragment. */
export const splitUrl = (url: string): string[] =>
  (/^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#]*)([^?#]*)(.*)$/.exec(url) as RegExpExecArray).slice(1);

/**
 * The first variable that makes up a whole segment of `rawUrl`'s path and resolves to nothing, so the
 * segment would go out empty; `reference` finds the client's references (global, the name in group 1).
 */
export function emptySegmentVariable(rawUrl: string, reference: RegExp, resolve: (text: string) => string): string | undefined {
  let found: string | undefined;
  splitUrl(rawUrl)[1]
    .split('/')
    .forEach((segment) => {
      const m = new RegExp(reference.source).exec(segment);
      if (m && found === undefined && resolve(segment).trim() === '') found = m[1].trim();
    });
  return found;
}

/** What a client holds about a request, its variables resolved once. */
export interface ClientRequest {
  method: string;
  /** The URL as the client will send it (path variables substituted). */
  url: string;
  /** An enabled, non-empty header, by name in any case. */
  header(name: string): string | undefined;
  /** How the client percent-encodes the path when it sends it, where it differs from most (Insomnia). */
  encodePath?: (path: string) => string;
  /**
   * What the request's own auth setting sends as Authorization, which wins over a header: `Bearer <its
   * token>`, or the setting's kind (`basic`, `oauth2` …) when it sends another scheme; undefined for none.
   */
  auth?: string;
  /** Why the request, if it goes to Dfns, would not go out as signed. */
  unsendable?: SignerError;
}

export function requestFacts(request: ClientRequest): RequestFacts {
  return {
    method: String(request.method).toUpperCase(),
    url: parseUrl(request.url, request.encodePath),
    authorization: request.auth !== undefined ? request.auth : request.header('Authorization'),
    userAction: request.header('X-DFNS-USERACTION'),
    unsendable: request.unsendable,
  };
}

/** One enabled field of a multipart form, as a client holds it. */
export interface FormField {
  key: string;
  /** A file (its bytes are the client's to read), not a text value. */
  file: boolean;
}

/**
 * The index of the text field `data` in a form Dfns signs (key-store outputs, as @dfns/sdk sends them: `data`,
 * the JSON and the user action's payload, and a file `file`); refuses any other form, saying what it holds.
 */
export function formData(fields: FormField[]): number {
  const data = fields.filter((f) => f.key === 'data');
  const other = fields.filter((f) => f.key !== 'data' && !(f.key === 'file' && f.file));
  if (data.length !== 1 || data[0].file)
    throw unsignableForm(data.length ? (data[0].file ? 'a file as data' : 'several data fields') : 'no field data');
  if (other.length) throw unsignableForm(`the field${other.length > 1 ? 's' : ''} ${other.map((f) => f.key).join(', ')}`);
  if (fields.filter((f) => f.key === 'file').length > 1) throw unsignableForm('several files');
  return fields.indexOf(data[0]);
}

// The sandboxes' timers, where they have them (all do, but Bruno's QuickJS sandbox has no clearTimeout).
declare const setTimeout: ((fn: () => void, ms: number) => unknown) | undefined;
declare const clearTimeout: ((timer: unknown) => void) | undefined;

/** Waits `ms` with the sandbox's setTimeout; undefined where it has none. */
export const sleepWithTimers: ((ms: number) => Promise<void>) | undefined =
  typeof setTimeout === 'function'
    ? (ms) =>
        new Promise<void>((resolve) => {
          (setTimeout as (fn: () => void, ms: number) => unknown)(resolve, ms);
        })
    : undefined;

/** A timer pending until the returned release is called (Client.hold); a no-op without timers. */
export function holdWithTimer(): () => void {
  if (typeof setTimeout !== 'function' || typeof clearTimeout !== 'function') return () => undefined;
  const timer = (setTimeout as (fn: () => void, ms: number) => unknown)(() => undefined, 2147483647);
  return () => (clearTimeout as (t: unknown) => void)(timer);
}

/**
 * Settles as `call`, or rejects with TimedOut after `ms`, for clients whose send has no limit of its own.
 * The timer is cleared as soon as the call settles: a pending one would hold the script open (newman and
 * Hoppscotch wait for every timer). Without both timers the call is left as it is.
 */
export function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  if (typeof setTimeout !== 'function' || typeof clearTimeout !== 'function') return call;
  return new Promise<T>((resolve, reject) => {
    const timer = (setTimeout as (fn: () => void, ms: number) => unknown)(() => reject(new TimedOut(ms)), ms);
    call.then(
      (value) => {
        (clearTimeout as (t: unknown) => void)(timer);
        resolve(value);
      },
      (error) => {
        (clearTimeout as (t: unknown) => void)(timer);
        reject(error);
      },
    );
  });
}

/** The answer headers the exchange reads (Retry-After, Location), by lower-case name, from a client's header getter. */
export function answerHeaders(get: (name: string) => unknown): Record<string, string> {
  const out: Record<string, string> = {};
  ANSWER_HEADERS.forEach((name) => {
    const value = get(name);
    if (value !== undefined && value !== null && value !== false) out[name] = String(value);
  });
  return out;
}

/** answerHeaders of a fetch answer's Headers (hopp.fetch, Node's fetch); none where they have no get(). */
export const answerHeadersOfFetch = (headers: { get?: unknown } | undefined): Record<string, string> =>
  headers && typeof headers.get === 'function' ? answerHeaders((name) => (headers.get as (n: string) => unknown)(name)) : {};

/** answerHeaders of a plain object of headers (axios, Node), names in any case. */
export const answerHeadersOf = (headers: unknown): Record<string, string> =>
  answerHeaders((name) => headerOf(headers && typeof headers === 'object' ? (headers as Record<string, unknown>) : {}, name));
