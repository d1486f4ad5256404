// Request facts: what the host's request looks like once its variables are resolved.
import { SignerError } from './errors';

export interface RequestFacts {
  method: string;
  /** Scheme and authority of the request's own URL: the Dfns API the exchange goes to. */
  origin: string;
  /** Pathname as sent on the wire (percent-encoded), without query or fragment. */
  path: string;
  /** The request carries its own Authorization header or auth setting. */
  hasAuthorization: boolean;
  /** A non-empty X-DFNS-USERACTION the user already set. */
  userAction?: string;
}

// Characters the clients percent-encode in a path (postman-url-encoder's PATH_ENCODE_SET:
// C0 controls, space, ", #, <, >, ?, `, {, }, and every non-ASCII character, as UTF-8).
const PATH_ENCODE = /[\ud800-\udbff][\udc00-\udfff]|[\u0000-\u0020"#<>?`{}\u007f-\uffff]/g;

function encodePath(path: string): string {
  return path.replace(PATH_ENCODE, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch (e) {
      return '%EF%BF%BD'; // a lone surrogate is sent as U+FFFD
    }
  });
}

/** A value as the user set it, or undefined when it is unset, null or blank. */
export function present(value: unknown): string | undefined {
  return value === undefined || value === null || String(value).trim() === '' ? undefined : String(value);
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

/** A body Dfns cannot be asked to sign: `kind` says what it is, `where` how the client sets a JSON body. */
export function unsignableBody(kind: string, where: string): SignerError {
  return new SignerError(`the request body is ${kind}, but Dfns signs JSON bodies only`, `Set the body to ${where}`);
}

/** Splits a resolved URL into the origin the exchange goes to and the path Dfns signs. */
export function splitUrl(url: string, defaultScheme = 'http'): { origin: string; path: string } {
  if (/\{\{[^}]*\}\}/.test(url))
    throw new SignerError(
      `the request URL still holds an unresolved variable (${(url.match(/\{\{[^}]*\}\}/) as RegExpMatchArray)[0]})`,
      'Define that variable in the environment or collection, or fix its name',
    );
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#]*)([^?#]*)/.exec(url.trim()) as RegExpExecArray;
  if (!m[2])
    throw new SignerError(`the request URL "${url.slice(0, 100)}" has no host`, 'Use a URL like https://{{dfnsApiDomain}}/wallets');
  const origin = `${(m[1] || defaultScheme).toLowerCase()}://${m[2]}`;
  return { origin, path: encodePath(m[3] || '/') || '/' };
}
