// @ts-check
// Fault switches: per route, an answer that replaces the whole processing (a faulted request
// consumes no challenge or user action), optionally only for the next `times` requests, or a list of
// them answering one request after another. The network's faults as well as the server's: a redirect
// elsewhere, a connection accepted and never answered, a busy answer that says when to come back.
import http from 'node:http';
import { errorBody } from './errors.mjs';

/**
 * The routes faults are set on, by the name of their route (emulator/endpoints/).
 * @typedef {'init'|'complete'|'main'|'loginInit'|'login'|'credentialsInit'|'credentials'|'registrationInit'|'registration'|'keyStoreOutput'} RouteKind
 */
/**
 * status: answer it (body: text as is, object as JSON, default a Dfns error body); nonJson: an HTML page (502 unless status);
 * delayMs: wait first (alone: then process normally); destroy: reset the connection without answering;
 * redirect: answer 307 (or status) with this Location and no body; hang: accept the request and never answer
 * (close() ends the connection); retryAfter: answer 429 (or status, e.g. 503) with this Retry-After, and, when it
 * is a number of seconds, answer 429 again to whatever comes to this route before they have passed;
 * headers: more headers on the fault's answer. times: for the next N requests only (in a list, 1 by default).
 * @typedef {{ status?: number, body?: string|object, delayMs?: number, nonJson?: boolean, destroy?: boolean,
 *             redirect?: string, hang?: boolean, retryAfter?: number|string, headers?: Record<string, string>,
 *             times?: number }} Fault
 */
/** A route's faults: one, or a list answering one request after another ({} answers one request normally). @typedef {Fault | Fault[]} Faulting */
/**
 * How a fault answers one request (http.mjs makes one per request).
 * @typedef {{ send: (status: number, text: string, contentType: string, reason?: string, headers?: Record<string, string>) => void,
 *             json: (status: number, value: unknown, reason?: string, headers?: Record<string, string>) => void,
 *             destroy: () => void, hang: () => void }} Reply
 */

export function createFaults() {
  /** @type {Partial<Record<RouteKind, Fault[]>>} */
  let faults = {};
  /** When each route takes requests again after a Retry-After in seconds (ms since the epoch). @type {Partial<Record<RouteKind, number>>} */
  let notBefore = {};
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();

  /** @param {number} ms */
  const sleep = (ms) =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve(undefined);
      }, ms);
      timers.add(t);
    });

  return {
    /** @param {Partial<Record<RouteKind, Faulting>>} f replaces the faults of the routes named */
    set(f) {
      for (const [route, faulting] of Object.entries(f)) {
        const list = Array.isArray(faulting) ? faulting.map((fault) => ({ times: 1, ...fault })) : [{ ...faulting }];
        faults[/** @type {RouteKind} */ (route)] = list;
      }
    },
    clear() {
      faults = {};
      notBefore = {};
    },
    /** The fault of `route` for this request, counting it against `times`. @param {RouteKind} route @returns {Fault | undefined} */
    take(route) {
      const wait = (notBefore[route] ?? 0) - Date.now();
      if (wait > 0)
        return { status: 429, headers: { 'retry-after': String(Math.ceil(wait / 1000)), 'x-emulator-reason': 'retried too early' } };
      const list = faults[route];
      const fault = list?.[0];
      if (!list || !fault) return undefined;
      if (fault.times !== undefined && --fault.times <= 0) list.shift();
      if (typeof fault.retryAfter === 'number') notBefore[route] = Date.now() + fault.retryAfter * 1000;
      return fault;
    },
    /**
     * Answers with `fault`; false when it only delays and the request is to be processed normally.
     * @param {Fault} fault @param {Reply} reply
     */
    async answer(fault, reply) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.destroy) {
        reply.destroy();
        return true;
      }
      if (fault.hang) {
        reply.hang();
        return true;
      }
      const headers = { ...fault.headers };
      if (fault.redirect !== undefined) {
        reply.send(fault.status ?? 307, '', 'text/plain', 'fault', { ...headers, location: fault.redirect });
        return true;
      }
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      const busy = fault.retryAfter !== undefined ? 429 : undefined;
      if (fault.status === undefined && busy === undefined && !fault.nonJson && fault.body === undefined && !fault.headers) return false; // delay only
      const status = fault.status ?? busy ?? (fault.nonJson ? 502 : 500);
      if (fault.nonJson) reply.send(status, '<html>502 Bad Gateway</html>', 'text/html', 'fault', headers);
      else if (typeof fault.body === 'string') reply.send(status, fault.body, 'application/json; charset=utf-8', 'fault', headers);
      else reply.json(status, fault.body ?? errorBody(status, http.STATUS_CODES[status] ?? 'Error'), 'fault', headers);
      return true;
    },
    /** Cancels the pending delays (at close). */
    cancelDelays() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/** @typedef {ReturnType<typeof createFaults>} Faults */
