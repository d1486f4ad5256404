// @ts-check
// Fault switches: per route, an answer that replaces the whole processing (a faulted request
// consumes no challenge or user action), optionally only for the next `times` requests.
import http from 'node:http';
import { errorBody } from './errors.mjs';

/**
 * The routes faults are set on, by the name of their route (emulator/endpoints/).
 * @typedef {'init'|'complete'|'main'|'credentialsInit'|'credentials'|'registrationInit'|'registration'|'keyStoreOutput'} RouteKind
 */
/**
 * status: answer it (body: text as is, object as JSON, default a Dfns error body); nonJson: an HTML page (502 unless status);
 * delayMs: wait first (alone: then process normally); destroy: reset the connection without answering.
 * @typedef {{ status?: number, body?: string|object, delayMs?: number, nonJson?: boolean, destroy?: boolean, times?: number }} Fault
 */
/**
 * How a fault answers one request (http.mjs makes one per request).
 * @typedef {{ send: (status: number, text: string, contentType: string, reason?: string) => void,
 *             json: (status: number, value: unknown, reason?: string) => void, destroy: () => void }} Reply
 */

export function createFaults() {
  /** @type {Partial<Record<RouteKind, Fault>>} */
  let faults = {};
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
    /** @param {Partial<Record<RouteKind, Fault>>} f replaces the faults of the routes named */
    set(f) {
      faults = { ...faults, ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, { ...v }])) };
    },
    clear() {
      faults = {};
    },
    /** The fault of `route` for this request, counting it against `times`. @param {RouteKind} route */
    take(route) {
      const fault = faults[route];
      if (fault && fault.times !== undefined && --fault.times <= 0) delete faults[route];
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
      if (fault.status === undefined && !fault.nonJson && fault.body === undefined) return false; // delay only: process normally
      const status = fault.status ?? (fault.nonJson ? 502 : 500);
      if (fault.nonJson) reply.send(status, '<html>502 Bad Gateway</html>', 'text/html', 'fault');
      else if (typeof fault.body === 'string') reply.send(status, fault.body, 'application/json; charset=utf-8', 'fault');
      else reply.json(status, fault.body ?? errorBody(status, http.STATUS_CODES[status] ?? 'Error'), 'fault');
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
