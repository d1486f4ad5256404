// Small statistics and clocks for the bench: medians, rounding, and where a request's time goes.

/**
 * Median of the finite numbers in `xs` (others are ignored), or null when there are none.
 * @param {readonly unknown[]} xs
 * @returns {number | null}
 */
export const median = (xs) => {
  const s = /** @type {number[]} */ (xs.filter((x) => typeof x === 'number' && Number.isFinite(x))).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * `x` rounded to `digits` decimals, or null when it is not a finite number.
 * @param {number | null | undefined} x
 * @param {number} [digits]
 * @returns {number | null}
 */
export const round = (x, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

/** Monotonic wall clock in ms. */
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** This process's CPU time (user + system) in ms: less sensitive than wall time to other load on the machine. */
export const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * Median of each field over objects with the same numeric fields (those of the first one).
 * @template {Record<string, number | null | undefined>} T
 * @param {readonly (T | null | undefined)[]} objs
 * @returns {{ [K in keyof T]: number | null } | undefined}
 */
export function medianOfObjects(objs) {
  const list = /** @type {T[]} */ (objs.filter(Boolean));
  if (!list.length) return undefined;
  return /** @type {{ [K in keyof T]: number | null }} */ (
    Object.fromEntries(Object.keys(list[0]).map((k) => [k, round(median(list.map((o) => o[k])), 1)]))
  );
}

/**
 * When newman reached each step of one item (Date.now, from bench/newman-child.cjs). A step newman
 * did not reach is missing: the differences with it are NaN, which the medians ignore.
 * @typedef {{ beforeItem: number, beforePrerequest: number, prerequest: number, beforeRequest: number, request: number, item: number }} TimelineEntry
 */

/** When the emulator answered a request (Date.now: the same clock as newman's events in the child). @typedef {{ path: string, t: number }} Answer */

/**
 * @typedef {object} Segments medians over a run's requests, in ms; the first three only for signed runs
 * @property {number | null} [scriptStartToInitAnswered]
 * @property {number | null} [initToCompleteAnswered]
 * @property {number | null} [completeAnsweredToScriptEnd]
 * @property {number | null} [script]
 * @property {number | null} [scriptEndToMainAnswered]
 * @property {number | null} [mainAnsweredToItemEnd]
 * @property {number | null} [betweenItems]
 * @property {number | null} [item]
 */

/**
 * Where each request's time goes, from newman's events (child) and the emulator's answers (here):
 * script start → init answered → complete answered → script end → main answered → item end.
 * Medians over the run's requests, in ms (Date.now resolution, so medians of many).
 * @param {TimelineEntry[] | undefined} timeline
 * @param {Answer[]} answers
 * @returns {Segments | undefined}
 */
export function timelineSegments(timeline, answers) {
  if (!timeline || !timeline.length) return undefined;
  const inits = answers.filter((a) => a.path === '/auth/action/init').map((a) => a.t);
  const completes = answers.filter((a) => a.path === '/auth/action').map((a) => a.t);
  const mains = answers.filter((a) => a.path !== '/auth/action/init' && a.path !== '/auth/action').map((a) => a.t);
  const signed = inits.length === timeline.length && completes.length === timeline.length;
  const rows = timeline.map((x, i) => {
    /** @type {Record<string, number | undefined>} */
    const row = {
      script: x.prerequest - x.beforePrerequest,
      scriptEndToMainAnswered: mains[i] - x.prerequest,
      mainAnsweredToItemEnd: x.item - mains[i],
      item: x.item - x.beforeItem,
      betweenItems: timeline[i + 1] ? timeline[i + 1].beforeItem - x.item : undefined,
    };
    if (signed) {
      row.scriptStartToInitAnswered = inits[i] - x.beforePrerequest;
      row.initToCompleteAnswered = completes[i] - inits[i];
      row.completeAnsweredToScriptEnd = x.prerequest - completes[i];
    }
    return row;
  });
  const keys = [
    'scriptStartToInitAnswered',
    'initToCompleteAnswered',
    'completeAnsweredToScriptEnd',
    'script',
    'scriptEndToMainAnswered',
    'mainAnsweredToItemEnd',
    'betweenItems',
    'item',
  ];
  return Object.fromEntries(keys.filter((k) => rows.some((r) => r[k] !== undefined)).map((k) => [k, median(rows.map((r) => r[k]))]));
}

/**
 * The timing line bench/official.js logs per request, in ms.
 * @typedef {{ downloadMs: number, evalMs: number, initMs: number, readKeyMs: number, signMs: number, completeMs: number, totalMs: number }} OfficialTiming
 */

/**
 * Medians of bench/official.js's per-request timing lines.
 * @param {string[]} lines a newman run's console lines
 */
export function officialBreakdown(lines) {
  return medianOfObjects(
    lines.filter((l) => l.startsWith('official: ')).map((l) => /** @type {OfficialTiming} */ (JSON.parse(l.slice('official: '.length)))),
  );
}
