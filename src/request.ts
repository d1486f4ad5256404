// The request as the client will send it, read once: the facts the signer decides on and signs.
// Pure: the client adapters (src/hosts/) read these from their client.
import { SignerError } from './errors';

export interface RequestUrl {
  /** The URL as given, variables resolved, not yet percent-encoded. */
  href: string;
  /** 'http' or 'https', lower case; 'http' when the URL names none, as the clients then send it. */
  scheme: string;
  /** Host and port as written (user info dropped), for messages. */
  authority: string;
  /** Host name, lower case, without a trailing dot; an IPv6 address keeps its brackets. */
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
  /** The request carries its own Authorization header or auth setting. */
  hasAuthorization: boolean;
  /** A non-empty X-DFNS-USERACTION the user already set. */
  userAction?: string;
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

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

/** Host name and port of an authority (`user@host:port`, `[::1]:8080`), compared as DNS does: case and a final dot do not matter. */
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
  if (!hostname)
    throw new SignerError('url-no-host', `the request URL "${url.slice(0, 100)}" has no host`, 'Use a URL like https://{{dfnsApiDomain}}/wallets');
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
 * A variable reference still in the path or body after resolving: the client would resolve it again
 * after the signer ran (a request-level script may set it), so what is sent would differ from what was signed.
 * `reference` is written as the client writes it: `{{walletName}}`, `<<walletName>>`.
 */
export function unresolvedVariable(where: string, reference: string): SignerError {
  const name = reference.replace(/^(\{\{|<<)\s*(_\.)?|\s*(\}\}|>>)$/g, '');
  // Hoppscotch (<<name>>) shows its scripts neither collection nor request variables.
  const scopes = reference.charAt(0) === '<' ? 'the environment' : 'the environment or the collection';
  const dynamic = reference.charAt(0) === '{' ? ', use a dynamic variable such as {{$randomUUID}}' : '';
  return new SignerError(
    'template-unresolved',
    `${where} holds ${reference}, but ${name} is not defined when the signer runs (a request-level script may set it only after the request was signed)`,
    `Define ${name} in ${scopes}, set it in a script that runs before the signer${dynamic}, or run the signer after your own code (at the end of the request's own pre-request script)`,
  );
}

/**
 * A `.` or `..` segment (or a backslash) in the path: some clients resolve it before sending (new URL()
 * in Hoppscotch and httpyac) and others send it as written, so what is signed could differ from what goes out.
 */
export function refuseDotSegments(url: RequestUrl): void {
  if (/(^|\/)(\.|%2e){1,2}(\/|$)|\\/i.test(url.path))
    throw new SignerError(
      'url-dot-segments',
      `the request path ${url.path} holds a . or .. segment or a backslash, which some clients resolve before sending and others send as written`,
      'Write the path without them, as Dfns documents it',
    );
}
