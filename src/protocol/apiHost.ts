// Which requests are Dfns requests: the token and the signing exchange go to these hosts only.
import { insecure, schemeInApiDomain } from '../errors/request';
import { hostKey, type RequestUrl, splitAuthority } from '../request';

/**
 * Dfns's API hosts (research dfns-protocol.md §7: Europe, UAE, the deprecated staging and the old dev
 * host). A proxy, a mock or a local emulator is a Dfns host only when dfnsApiDomain names it.
 */
export const DFNS_API_HOSTS: readonly string[] = ['api.dfns.io', 'api.uae.dfns.io', 'api.dfns.ninja', 'api.dfns.wtf'];

/**
 * The host (and port) of dfnsApiDomain, written as users write it: `api.dfns.io`, `https://api.dfns.io/`,
 * `127.0.0.1:8080`, `localhost:3000`. A scheme's default port is dropped, like the request URL's.
 */
export function apiDomainHost(apiDomain: string): string {
  const m = /^\s*(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#\s]*)/.exec(apiDomain) as RegExpExecArray;
  const { hostname, port } = splitAuthority(m[2]);
  const scheme = (m[1] || '').toLowerCase();
  const defaultPort = scheme === 'https' ? port === '443' : scheme === 'http' ? port === '80' : port === '443' || port === '80';
  return hostKey(hostname, defaultPort ? '' : port);
}

/** Whether the request goes to the Dfns API: the host of dfnsApiDomain when it is set, else one of Dfns's own. */
export function isDfnsApi(url: RequestUrl, apiDomain: string | undefined): boolean {
  const host = hostKey(url.hostname, url.port);
  return apiDomain === undefined ? DFNS_API_HOSTS.indexOf(host) >= 0 : host === apiDomainHost(apiDomain);
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts the token may reach over plain http. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The line a state-changing request to another host gets, so a proxy that is not recognised is found at once.
 * `unresolved`: its host is a variable not resolved yet (set later by a request-level script), so it cannot be known for one.
 */
export function notDfnsApi(method: string, url: RequestUrl, apiDomain: string | undefined, unresolved?: boolean): string {
  const rule =
    apiDomain === undefined
      ? `dfnsApiDomain is not set; Dfns's own are ${DFNS_API_HOSTS.join(', ')}`
      : `dfnsApiDomain is ${apiDomain.trim()}`;
  return `Dfns signer: ${method} not signed: ${url.authority} is ${unresolved ? 'not resolved yet, so not known to be' : 'not'} a Dfns API host (${rule})`;
}

/**
 * dfnsApiDomain written with its scheme (https://api.dfns.io) in a URL that adds one: the request's host
 * is then the scheme's name. Refused for every request, since none of them could reach Dfns.
 */
export function refuseSchemeAsHost(url: RequestUrl, apiDomain: string | undefined): void {
  if ((url.hostname === 'https' || url.hostname === 'http') && apiDomain !== undefined && /^\s*https?:\/\//i.test(apiDomain))
    throw schemeInApiDomain(apiDomain, url.hostname);
}

/** The token never travels over plain http, except to this machine. */
export function refuseInsecure(url: RequestUrl): void {
  if (url.scheme === 'http' && !isLoopback(url.hostname)) throw insecure(url.authority);
}
