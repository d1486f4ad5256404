// @ts-check
// Every route no other family answers ('main'): the Dfns API itself, emulated as an echo of the
// request. Where the catalogue says it needs a user action, the request must carry a matching one.

import { requiresUserAction } from '../catalogue.mjs';
import { parseJson } from '../encoding.mjs';
import { DfnsError } from '../errors.mjs';
import { consumeUserAction } from './user-action.mjs';

/**
 * The route 'main' (no path: every path no other route has).
 * @param {import('../http.mjs').Emulation} emulation
 * @returns {import('../http.mjs').Route}
 */
export function apiRoute({ state }) {
  return {
    name: 'main',
    handle(call) {
      const { method, pathname, rawBody } = call;
      if (method === 'GET' || method === 'HEAD') return { ok: true, method, path: pathname };
      if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw new DfnsError(405, 'Method Not Allowed');
      const text = rawBody.toString('utf8');
      const echo = { ok: true, method, path: pathname, body: text === '' ? null : (parseJson(text) ?? text) };
      if (!requiresUserAction(method, pathname)) return { ...echo, userActionUsed: false };
      consumeUserAction(state, call);
      return { ...echo, userActionUsed: true };
    },
  };
}
