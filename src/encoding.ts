// Encodings the sandboxes do not all provide: newman 6.2 and Bruno's QuickJS lack TextEncoder,
// and new Insomnia blocks Buffer, so the bundle carries its own. UTF-8 goes through the URI
// functions every ECMAScript engine has (encodeURIComponent and Annex B's escape/unescape).

/** Bytes as text, one character per byte (ISO 8859-1): for ASCII formats inside binary data. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

/** UTF-8 as TextEncoder makes it: each lone surrogate becomes U+FFFD. */
export function utf8Encode(text: string): Uint8Array {
  const wellFormed = text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (c) => (c.length > 1 ? c : '\ufffd'));
  return Uint8Array.from(unescape(encodeURIComponent(wellFormed)), (c) => c.charCodeAt(0));
}

/** Decodes UTF-8 (JWT payloads); never throws: bytes that are not UTF-8 come back one character per byte. */
export function utf8Decode(bytes: Uint8Array): string {
  const text = latin1(bytes);
  try {
    return decodeURIComponent(escape(text));
  } catch (_e) {
    return text;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]; // past the end: undefined, which is 0 here
    for (let k = 0; k < 4 && k <= bytes.length - i; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** Decodes base64 or base64url, padded or not; returns undefined for anything else. */
export function base64Decode(text: string): Uint8Array | undefined {
  const clean = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/_-]*$/.test(clean) || clean.length % 4 === 1) return undefined;
  const out: number[] = [];
  for (let i = 0, acc = 0, bits = 0; i < clean.length; i++) {
    acc = (acc << 6) | ALPHABET.indexOf(clean[i] === '+' ? '-' : clean[i] === '/' ? '_' : clean[i]);
    bits += 6;
    if (bits >= 8) out.push((acc >> (bits -= 8)) & 0xff);
  }
  return Uint8Array.from(out);
}

/** Parses text that should be JSON; undefined when it is not. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (_e) {
    return undefined;
  }
}
