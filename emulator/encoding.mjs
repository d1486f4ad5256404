// @ts-check
// Byte and text helpers of the emulator: strict base64url, JSON that may not parse, request targets.

/** @param {string|Uint8Array} data */
export const b64u = (data) => Buffer.from(data).toString('base64url');

/** Strict base64url: alphabet [A-Za-z0-9_-], no padding, canonical. Returns null when not. @param {unknown} s */
export function decodeBase64url(s) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : null;
}

/** @param {unknown} v @returns {v is Record<string, any>} */
export const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parsed JSON, or undefined when `text` is not JSON. @param {string} text */
export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Split a request target into percent-encoded pathname and query (without '?'); fragments dropped. @param {string} target */
export function splitTarget(target) {
  const noFragment = target.split('#')[0];
  const q = noFragment.indexOf('?');
  return q < 0 ? { pathname: noFragment, query: '' } : { pathname: noFragment.slice(0, q), query: noFragment.slice(q + 1) };
}
