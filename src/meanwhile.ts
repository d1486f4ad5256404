// Work that fits in the time a request is on its way: the key's preparation (CredentialKey.prepare)
// while the challenge comes back. Nothing here may delay an answer that is quick: the work starts
// only once the answer is late, and never after it came.

/**
 * How late the answer must be before the work starts, in ms. On loopback (the emulator, a local
 * proxy) the challenge is back sooner and the work is skipped; over a network it comes later, and
 * the work, a few milliseconds in a JIT engine, is done by then.
 */
export const PREPARE_AFTER_MS = 12;

/**
 * `pending`, with `work` run beside it, once, if it is still pending after PREPARE_AFTER_MS. Where the
 * sandbox has no timers the work is skipped. The timer is cleared once `pending` settles: sandboxes
 * that wait for their pending timers (Postman's) are not held up by it.
 */
export function meanwhile<T>(pending: Promise<T>, work: (() => void) | undefined): Promise<T> {
  if (!work || typeof setTimeout !== 'function') return pending;
  let settled = false;
  const timer = setTimeout(() => {
    if (settled) return; // a sandbox without clearTimeout (Bruno's QuickJS): the answer came first
    try {
      work();
    } catch (_e) {
      // Only a head start: signing reports anything that is really wrong.
    }
  }, PREPARE_AFTER_MS);
  const settle = (): void => {
    settled = true;
    if (typeof clearTimeout === 'function') clearTimeout(timer);
  };
  return pending.then(
    (value) => {
      settle();
      return value;
    },
    (e) => {
      settle();
      throw e;
    },
  );
}
