// The request as the client will send it, read once: the facts the signer decides on and signs.
// Pure: the client adapters (src/clients/) read these from their client.
import type { SignerError } from './errors';
import * as fail from './errors/request';

export interface RequestUrl {
  /** The URL as given, variables resolved, not yet percent-encoded. */
  href: string;
  /** 'http' or 'https', lower case; 'http' when the URL names none, as the clients then send it. */
  scheme: string;
  /** Client and port as written (user info dropped), for messages. */
  authority: string;
  /** Client name, lower case, without a trailing dot; an IPv6 address keeps its brackets. */
  hostname: string;
  /** The port when the URL names one other than its scheme's default, else ''. */
  port: string;
  /** Scheme, host and port: where the signing exchange goes. */
  origin: string;
  /** Pathname as sent on the wire (percent-encoded), without query or fragment: what Dfns signs. */
  path: string;
}

export interface RequestFacts {
  /** Upper case. */
  method: string;
  url: RequestUrl;
  /**
   * What the request would send as Authorization if the signer set none: its own header, or what its
   * auth setting sends (`Bearer <token>`, or the setting's kind, `basic`, when it sends another scheme).
   */
  authorization?: string;
  /** A non-empty X-DFNS-USERACTION the user already set. */
  userAction?: string;
  /** Why this request, if it goes to Dfns, would not go out as it would be signed (an empty path variable). */
  unsendable?: SignerError;
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

// Characters the clients percent-encode in a path (postman-url-encoder's PATH_ENCODE_SET:
// C0 controls, space, ", #, <, >, ?, `, {, }, and every non-ASCII character, as UTF-8).
// biome-ignore lint/suspicious/noControlCharactersInRegex: C0 controls are part of the set
const PATH_ENCODE = /[\ud800-\udbff][\udc00-\udfff]|[\u0000-\u0020"#<>?`{}\u007f-\uffff]/g;

function encodePath(path: string): string {
  return path.replace(PATH_ENCODE, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch (_e) {
      return '%EF%BF%BD'; // a lone surrogate is sent as U+FFFD
    }
  });
}

/** Client name and port of an authority (`user@host:port`, `[::1]:8080`), compared as DNS does: case and a final dot do not matter. */
export function splitAuthority(authority: string): { hostname: string; port: string } {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  const hostname = (m ? m[1] : hostPort).toLowerCase().replace(/\.$/, '');
  return { hostname, port: (m && m[2]) || '' };
}

/**
 * A resolved URL as the client sends it; refuses one without a host. `encode` is how the client
 * percent-encodes the path when it sends it (most clients: the PATH_ENCODE set above).
 */
export function parseUrl(url: string, encode: (path: string) => string = encodePath): RequestUrl {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#]*)([^?#]*)/.exec(url.trim()) as RegExpExecArray;
  const scheme = (m[1] || 'http').toLowerCase();
  const authority = m[2].slice(m[2].lastIndexOf('@') + 1);
  const { hostname, port: written } = splitAuthority(authority);
  if (!hostname) throw fail.noHost(url);
  const port = written === DEFAULT_PORT[scheme] ? '' : written;
  return {
    href: url,
    scheme,
    authority,
    hostname,
    port,
    origin: `${scheme}://${hostname}${port ? `:${port}` : ''}`,
    path: encode(m[3] || '/') || '/',
  };
}

/** The key two authorities are compared by: host name and a port other than the scheme's default. */
export function hostKey(hostname: string, port: string): string {
  return port ? `${hostname}:${port}` : hostname;
}

/**
 * A path the clients do not all send as written: a `.` or `..` segment or a backslash (new URL() in
 * Hoppscotch and httpyac resolves them, others send them as they are), or a `%` that does not start an
 * escape (httpyac fails on it once the user action is spent; Insomnia's path comes here encoded, % as %25).
 */
export function refusePath(url: RequestUrl): void {
  if (/(^|\/)(\.|%2e){1,2}(\/|$)|\\/i.test(url.path)) throw fail.dotSegments(url.path);
  if (/%(?![0-9a-f]{2})/i.test(url.path)) throw fail.strayPercent(url.path);
}
