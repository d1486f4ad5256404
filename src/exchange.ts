// The signer's own calls to the Dfns API (the user-action exchange, and any other call it makes), with
// the network rules every client shares: a limit on each answer (dfnsTimeoutSeconds), no redirect
// followed, and busy answers (429, 503) asked again a bounded number of times, from the beginning.
import { type Client, type HttpResponse, TimedOut } from './clients/client';
import { parseJson } from './encoding';
import { SignerError } from './errors';
import * as fail from './errors/dfns';
import { isBusy, isRedirect, MAX_RETRIES, MAX_RETRY_AFTER_SECONDS, retryAfter } from './protocol/network';

/** One call: POST `body` as JSON to `path` on the Dfns API's `origin`, with the token when there is one. */
export interface Call {
  origin: string;
  path: `/${string}`;
  token?: string;
  body: unknown;
  /** The credential that signed, named when Dfns refuses the signature. */
  credId?: string;
  /** The line for a refusal (a status other than 2xx, busy and redirects aside), where the call says more than the default. */
  refuse?: (status: number, text: string) => SignerError;
}

/** A busy answer: retrying() asks again; outside it, it is the refusal it says. */
class Busy extends SignerError {
  constructor(
    readonly step: fail.Step,
    readonly response: HttpResponse,
  ) {
    const refused = fail.throttled(step, response.status, 1);
    super(refused.code, refused.what, refused.fix);
  }
}

/**
 * POSTs the call and returns the JSON of its 2xx answer. Refuses, with one line each: no answer within
 * `timeoutMs`, a redirect (never followed: the token would go along), any other non-2xx, a body that is
 * not JSON. A busy answer (429, 503) is handed to retrying().
 */
export async function post(client: Client, call: Call, timeoutMs: number): Promise<unknown> {
  const url = call.origin + call.path;
  const step: fail.Step = `POST ${call.path}`;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (call.token !== undefined) headers.Authorization = `Bearer ${call.token}`;
  let response: HttpResponse;
  try {
    response = await client.send({ method: 'POST', url, headers, body: JSON.stringify(call.body) }, timeoutMs);
  } catch (e) {
    if (e instanceof TimedOut) throw fail.timedOut(url, e.ms);
    throw fail.unreachable(url, e && typeof e === 'object' && ((e as any).code || (e as any).message));
  }
  const { status } = response;
  if (isRedirect(status)) throw fail.redirected(step, status, response.headers && response.headers.location);
  if (response.redirected) throw fail.redirected(step, status, undefined);
  if (isBusy(status)) throw new Busy(step, response);
  if (status < 200 || status > 299)
    throw call.refuse ? call.refuse(status, response.text) : fail.refusal(step, status, response.text, call.credId);
  const json = parseJson(response.text);
  if (json === undefined) throw fail.notJson(step, status);
  return json;
}

/**
 * Runs `attempt` (a sequence of calls) and, when Dfns answers one of them busy, runs it again from its
 * start after the wait the answer asks for: a busy completion is never replayed, as its challenge may be
 * spent. One line per retry; at most MAX_RETRIES, waits up to MAX_RETRY_AFTER_SECONDS, or one line and stop.
 */
export async function retrying<T>(client: Client, now: () => number, attempt: () => Promise<T>): Promise<T> {
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof Busy)) throw e;
      const { step, response } = e;
      const decision = retryAfter(response.status, response.headers, retry, now());
      if (!decision.retry && decision.why === 'too-long')
        throw fail.throttledTooLong(step, response.status, decision.seconds as number, MAX_RETRY_AFTER_SECONDS);
      if (!decision.retry || !client.sleep) throw fail.throttled(step, response.status, retry);
      client.log(fail.retrying(step, response.status, decision.seconds, retry, MAX_RETRIES));
      await client.sleep(decision.seconds * 1000);
    }
  }
}
