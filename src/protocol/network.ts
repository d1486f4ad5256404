// How the signer's own calls treat the network, as pure decisions: how long it waits for an answer,
// which answers it never follows (redirects), and when a busy Dfns is asked again (throttling).
// The waiting itself is the client's (Client.sleep, Client.send's limit); see src/exchange.ts.
import * as fail from '../errors/dfns';

/** How long the signer waits for each answer of its own calls, unless dfnsTimeoutSeconds says otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** A limit above this is surely a typo (milliseconds written as seconds). */
const MAX_TIMEOUT_SECONDS = 600;

/** dfnsTimeoutSeconds (unset: the default) as milliseconds; anything but a number of seconds is refused. */
export function readTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const text = value.trim();
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) throw fail.timeoutSetting(value, MAX_TIMEOUT_SECONDS);
  return Math.round(seconds * 1000);
}

/** A 3xx: the answer points elsewhere, and the signer never follows it (the token would go along). */
export const isRedirect = (status: number): boolean => status >= 300 && status <= 399;

/** How many times a busy answer is retried, and the longest wait the signer accepts. */
export const MAX_RETRIES = 3;
export const MAX_RETRY_AFTER_SECONDS = 10;

/** Statuses that say "come back later": Too Many Requests and Service Unavailable (RFC 9110 §10.2.3). */
export const isBusy = (status: number): boolean => status === 429 || status === 503;

export type RetryDecision =
  /** Ask again after `seconds`. */
  | { retry: true; seconds: number }
  /** Give up: not a busy answer, retries used up, or a wait longer than the signer accepts (`seconds`). */
  | { retry: false; why: 'not-busy' | 'exhausted' | 'too-long'; seconds?: number };

/**
 * Whether to ask again after a busy answer, and when. `attempt` is the retry about to be made (1 for the
 * first); `headers` holds the answer's headers by lower-case name; `nowMs` reads a Retry-After date.
 * Retry-After (seconds or an HTTP date) is honoured up to MAX_RETRY_AFTER_SECONDS; without one the waits
 * double from 1 s.
 */
export function retryAfter(status: number, headers: Record<string, string> | undefined, attempt: number, nowMs: number): RetryDecision {
  if (!isBusy(status)) return { retry: false, why: 'not-busy' };
  if (attempt > MAX_RETRIES) return { retry: false, why: 'exhausted' };
  const said = headers ? headers['retry-after'] : undefined;
  const seconds = said === undefined ? undefined : retryAfterSeconds(said, nowMs);
  const wait = seconds === undefined ? 2 ** (attempt - 1) : seconds;
  if (wait > MAX_RETRY_AFTER_SECONDS) return { retry: false, why: 'too-long', seconds: wait };
  return { retry: true, seconds: wait };
}

/** Retry-After as whole seconds from now: delay-seconds or an HTTP date; undefined when it is neither. */
function retryAfterSeconds(value: string, nowMs: number): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (!/[A-Za-z]/.test(text) || Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}
