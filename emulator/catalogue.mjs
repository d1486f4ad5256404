// @ts-check
// The endpoint catalogue (collections/dfns-endpoints.json, the research catalogue): which routes need a
// user action. Its path templates ('/wallets/{walletId}') are also how routes of the emulator are written.
import { readFileSync } from 'node:fs';

/** `/wallets/{walletId}` → a regex of the whole pathname, one segment per {param}. @param {string} template */
export const pathPattern = (template) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** {method, path template, userAction} per endpoint. */
const CATALOGUE = /** @type {{method: string, path: string, userAction: boolean}[]} */ (
  JSON.parse(readFileSync(new URL('../collections/dfns-endpoints.json', import.meta.url), 'utf8'))
);

const COMPILED = CATALOGUE.map((e) => ({
  ...e,
  params: (e.path.match(/\{[^}]+\}/g) ?? []).length,
  regex: pathPattern(e.path),
}));

/** Most specific catalogue entry (fewest {params}) for method + pathname, or undefined. @param {string} method @param {string} pathname */
function findEndpoint(method, pathname) {
  return COMPILED.filter((e) => e.method === method && e.regex.test(pathname)).sort((a, b) => a.params - b.params)[0];
}

/** GET/HEAD never; catalogue flag otherwise; unknown routes: yes (strict). @param {string} method @param {string} pathname */
export function requiresUserAction(method, pathname) {
  if (method === 'GET' || method === 'HEAD') return false;
  return findEndpoint(method, pathname)?.userAction ?? true;
}
