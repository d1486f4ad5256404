// How Insomnia sends a rendered request, after the plugins: the URL built and percent-encoded
// (network/network.ts transformUrl; smartEncodeUrl and flexibleEncodeComponent in utils/url/querystring.ts,
// common/utils/url/querystring.ts in the newest sources), the headers as libcurl gets them
// (main/network/parse-header-strings.ts, libcurl-promise.ts), the body (libcurl-promise.ts parseRequestBody).
// Written from those sources for the harness, independently of src/clients/insomnia-url.ts, which the unit
// tests compare with this. The request goes out with node:http, byte for byte as built here (no fetch,
// which would encode the URL its own way and merge repeated headers).
import { request as httpRequest } from 'node:http';
import { format as legacyFormat, parse as legacyParse } from 'node:url';
import type { InsomniaVersion, RenderedRequest } from './render';

const PATH_KEEPS = ':@$+,;=';

/**
 * flexibleEncodeComponent: %20 read as a space, escapes already there kept, `keep` left, the rest
 * encodeURIComponent'd, by way of placeholders: __ENC__XX for a kept escape, __RAW__XX for a kept character.
 * 10.x turns every __RAW__XX back (the text __RAW__41 in a path comes out as A), the newest sources only theirs.
 */
export function flexibleEncodeComponent(text = '', keep = '', version: InsomniaVersion = '10'): string {
  let s = text.replace(/%20/g, ' ').replace(/%([0-9a-fA-F]{2})/g, '__ENC__$1');
  for (const ch of keep) s = s.split(ch).join(`__RAW__${encodeURIComponent(ch).slice(1)}`);
  s = encodeURIComponent(s);
  if (version === '10') s = s.replace(/__RAW__([0-9a-fA-F]{2})/g, (_m, hex: string) => decodeURIComponent(`%${hex}`));
  else for (const ch of keep) s = s.split(`__RAW__${encodeURIComponent(ch).slice(1)}`).join(ch);
  return s.replace(/__ENC__([0-9a-fA-F]{2})/g, '%$1');
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * deconstructQueryStringToParams (each name and value decoded), each encoded, then buildQueryStringFromParams
 * (strict, strictNullHandling: a name without = stays bare), which encodes them again and puts , back in values.
 */
function encodeQuery(query: string, version: InsomniaVersion): string {
  return query
    .split('&')
    .map((pair) => {
      const [name, ...rest] = pair.split('=');
      const encode = (part: string) => flexibleEncodeComponent(flexibleEncodeComponent(decodeOrKeep(part), '', version), '', version);
      return { name: encode(name), value: rest.length ? encode(rest.join('=')) : null };
    })
    .filter((p) => p.name)
    .map((p) => (p.value === null ? p.name : `${p.name}=${p.value.replace(/%2C/gi, ',')}`))
    .join('&');
}

/** setDefaultProtocol, then smartEncodeUrl(url, encode, { strictNullHandling: true }). */
export function smartEncodeUrl(url: string, encode: boolean, version: InsomniaVersion): string {
  const trimmed = url.trim();
  const withScheme = trimmed.indexOf('://') < 0 ? `http://${trimmed}` : trimmed;
  if (!encode) return withScheme;
  if (version === '10') {
    // Node's legacy url.parse escapes { } | \ ^ ` ' " < > and whitespace first.
    const parsed = legacyParse(withScheme);
    if (parsed.pathname)
      parsed.pathname = parsed.pathname
        .split('/')
        .map((s) => flexibleEncodeComponent(s, PATH_KEEPS, version))
        .join('/');
    if (parsed.query) {
      parsed.query = encodeQuery(String(parsed.query), version);
      parsed.search = `?${parsed.query}`;
    }
    return legacyFormat(parsed);
  }
  const parsed = new URL(withScheme);
  parsed.pathname = parsed.pathname
    .split('/')
    .map((s) => flexibleEncodeComponent(s, PATH_KEEPS, version))
    .join('/');
  const query = parsed.search.replace(/^\?/, '');
  if (query) parsed.search = encodeQuery(query, version) ? `?${encodeQuery(query, version)}` : '';
  return parsed.toString();
}

/** transformUrl: the Params tab joined to the URL (each encoded), then the whole URL encoded unless the request says not to. */
export function finalUrl(r: RenderedRequest, version: InsomniaVersion): string {
  const params = r.parameters
    .filter((p) => p.name)
    .map((p) => `${flexibleEncodeComponent(p.name, '', version)}=${flexibleEncodeComponent(p.value, '', version).replace(/%2C/gi, ',')}`)
    .join('&');
  const [base, ...hashes] = r.url.split('#');
  const joined = params ? `${base}${base.includes('?') ? '&' : '?'}${params}${hashes.length ? `#${hashes.join('#')}` : ''}` : r.url;
  return smartEncodeUrl(joined, r.settingEncodeUrl, version);
}

/**
 * parseHeaderStrings: the request's headers as they are (a repeated name stays repeated), the auth
 * setting's Authorization only when no Authorization header is there, Accept: *\/* when there is no Accept;
 * no Content-Type from the body type, no Accept-Encoding, no Expect.
 */
export function headerLines(r: RenderedRequest): [string, string][] {
  const lines: [string, string][] = r.headers.filter((h) => h.name).map((h) => [h.name, h.value]);
  const has = (name: string) => lines.some(([n]) => n.toLowerCase() === name);
  const auth = r.authentication;
  if (!has('authorization') && !auth.disabled && auth.type === 'bearer' && auth.token)
    lines.push(['Authorization', `${auth.prefix?.trim() || 'Bearer'} ${auth.token.trim()}`]);
  if (!has('accept')) lines.push(['Accept', '*/*']);
  return lines;
}

/** parseRequestBody: the text for POST, PUT and PATCH, or for any method whose body has a type; else none. */
export function bodyText(r: RenderedRequest): string | undefined {
  const hasType = typeof r.body.mimeType === 'string' || ['POST', 'PUT', 'PATCH'].includes(r.method.toUpperCase());
  return hasType ? (r.body.text ?? '') : undefined;
}

export interface Sent {
  url: string;
  method: string;
  headers: [string, string][];
  body?: string;
}

/** Sends what Insomnia would put on the wire; rejects (as curl fails) when the URL cannot go out as it is. */
export function sendOnWire(r: RenderedRequest, version: InsomniaVersion): Promise<{ sent: Sent; status: number }> {
  const url = finalUrl(r, version);
  const m = /^(https?):\/\/([^/?#]*)([^#]*)/i.exec(url);
  if (!m) return Promise.reject(new Error(`URL rejected: ${url}`));
  const at = m[2].lastIndexOf('@');
  const hostPort = m[2].slice(at + 1);
  const portAt = hostPort.lastIndexOf(':');
  const host = portAt > hostPort.lastIndexOf(']') ? hostPort.slice(0, portAt) : hostPort;
  const port = portAt > hostPort.lastIndexOf(']') ? Number(hostPort.slice(portAt + 1)) : 80;
  const path = m[3] || '/';
  const headers = headerLines(r);
  const body = bodyText(r);
  // curl's own lines: Host first, Content-Length with a body (node:http adds neither to a raw header list).
  const raw = ['Host', hostPort, ...headers.flat(), ...(body !== undefined ? ['Content-Length', String(Buffer.byteLength(body))] : [])];
  const sent: Sent = { url, method: r.method, headers, body };
  return new Promise((resolve, reject) => {
    try {
      const req = httpRequest(
        { host: host.replace(/^\[|\]$/g, ''), port, method: r.method, path: path.startsWith('/') ? path : `/${path}`, headers: raw },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ sent, status: res.statusCode ?? 0 }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    } catch (e) {
      reject(e); // node:http refuses a raw space or non-ASCII character in the path, as curl does
    }
  });
}
