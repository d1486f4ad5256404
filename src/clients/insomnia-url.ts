// How Insomnia percent-encodes a request URL when it sends it, with the request setting "Automatically
// encode special characters in URL" on (the default): smartEncodeUrl in Kong/insomnia
// packages/insomnia/src/utils/url/querystring.ts (10.x; common/utils/url/querystring.ts in newer sources),
// called by transformUrl in network/network.ts. Reproduced, not copied: the bundle cannot load Node's url module.
//
// What Insomnia 10.x does, step by step:
//  1. Node's legacy url.parse escapes { } | \ ^ ` ' " < > space, tab, CR and LF, and turns a backslash
//     before the query into /;
//  2. every path segment goes through flexibleEncodeComponent with : @ $ + , ; = left alone: %20 is
//     read as a space, an escape already there (%XX) is kept, everything else is encodeURIComponent'd
//     (so a stray % becomes %25, | [ ] ^ & become %7C %5B %5D %5E %26, non-ASCII becomes UTF-8 escapes);
//     the literal text __ENC__XX comes out as %XX (its placeholder for a kept escape);
//  3. each query name and value is decoded, then encoded the same way without exceptions (a value keeps ,).
// Newer sources parse with new URL() instead of url.parse: the result is the same but for ' (sent as is),
// tab/CR/LF (dropped) and %2e segments (resolved); the script refuses those (insomniaPathAmbiguity), the
// plugin sends the URL it signed with Insomnia's encoding turned off.

// Step 1: what url.parse escapes (its autoEscapeChars; a backslash only after the path).
const URL_PARSE_ESCAPES = /[{}|\\^`'"<> \t\r\n]/g;
// Step 2: what stays as written in a path segment (Insomnia's URL_PATH_CHARACTER_WHITELIST).
const PATH_KEEPS = ':@$+,;=';

function escapeForUrlParse(text: string): string {
  return text.replace(URL_PARSE_ESCAPES, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** encodeURIComponent of one code point; a lone surrogate (which Insomnia cannot send) as U+FFFD. */
function encodeCodePoint(ch: string): string {
  try {
    return encodeURIComponent(ch);
  } catch (_e) {
    return '%EF%BF%BD';
  }
}

/** Insomnia's flexibleEncodeComponent: escapes already there are kept, `keep` is left as written, the rest encoded. */
function flexibleEncode(text: string, keep: string): string {
  const out: string[] = [];
  const chars = Array.from(text.replace(/%20/g, ' '));
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '%' && /^[0-9a-fA-F]{2}$/.test((chars[i + 1] || '') + (chars[i + 2] || ''))) {
      out.push(ch + chars[i + 1] + chars[i + 2]);
      i += 2;
    } else out.push(keep.indexOf(ch) >= 0 ? ch : encodeCodePoint(ch));
  }
  return out.join('').replace(/__ENC__([0-9a-fA-F]{2})/g, '%$1');
}

/**
 * A path (no query, no fragment) as Insomnia 10.x sends it. A backslash is kept as written (Insomnia
 * sends it as /): the flow refuses a path with one before anything is sent.
 */
export function insomniaPath(path: string): string {
  return path
    .split('\\')
    .map((part) =>
      escapeForUrlParse(part)
        .split('/')
        .map((segment) => flexibleEncode(segment, PATH_KEEPS))
        .join('/'),
    )
    .join('\\');
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (_e) {
    return text;
  }
}

/** A query string (without ?) as Insomnia 10.x sends it: names and values decoded, then re-encoded. */
export function insomniaQuery(query: string): string {
  const pairs: string[] = [];
  escapeForUrlParse(query)
    .split('&')
    .forEach((pair) => {
      const eq = pair.indexOf('=');
      const name = flexibleEncode(decodeOrKeep(eq < 0 ? pair : pair.slice(0, eq)), '');
      if (!name) return;
      if (eq < 0) pairs.push(name);
      else pairs.push(`${name}=${flexibleEncode(decodeOrKeep(pair.slice(eq + 1)), '').replace(/%2C/gi, ',')}`);
    });
  return pairs.join('&');
}

/**
 * A whole URL as Insomnia 10.x sends it with encoding on (http:// added when it names no scheme, scheme
 * and host in lower case, / for an empty path): what the plugin puts on the request before turning
 * Insomnia's own encoding off, so the bytes sent are the bytes signed.
 */
export function insomniaUrl(url: string): string {
  const trimmed = url.trim();
  const withScheme = trimmed.indexOf('://') < 0 ? `http://${trimmed}` : trimmed;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#\\]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(withScheme);
  if (!m) return withScheme;
  const [, scheme, authority, path, query, hash] = m;
  const at = authority.lastIndexOf('@');
  const host = `${authority.slice(0, at + 1)}${authority.slice(at + 1).toLowerCase()}`;
  const encodedQuery = query === undefined ? '' : `?${insomniaQuery(query)}`;
  const encodedHash = hash === undefined ? '' : `#${escapeForUrlParse(hash)}`;
  return `${scheme.toLowerCase()}${host}${insomniaPath(path || '/')}${encodedQuery}${encodedHash}`;
}

/**
 * What in a path Insomnia versions send differently (10.x with url.parse, newer with new URL), so a script,
 * which cannot pin the URL, cannot know what will be sent; undefined when there is nothing of the kind.
 */
export function insomniaPathAmbiguity(path: string): string | undefined {
  if (path.indexOf("'") >= 0) return "' (sent as %27 by Insomnia 10 and as ' by newer versions)";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'a control character (tab, line break…), which Insomnia versions encode differently';
  if (/__RAW__[0-9a-fA-F]{2}/.test(path)) return '__RAW__ and two hex digits, which Insomnia rewrites';
  try {
    encodeURIComponent(path);
  } catch (_e) {
    return 'a lone UTF-16 surrogate, which Insomnia cannot encode';
  }
  return undefined;
}
