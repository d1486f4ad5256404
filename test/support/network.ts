// The network's faults, as one batch of requests every client runs in one go against the emulator: a
// redirect elsewhere, throttling of each step, a redirect of the main request, a Dfns that never answers,
// a wait longer than the signer spends. Each request signs a body naming its case, so the emulator's log
// says which ones went out; the faults answer them in order (emulator/faults.mjs lists).
import { expect } from 'vitest';
import type { Emulator, Fault } from '../../emulator/emulator.mjs';
import { noDfnsIn, type Received } from './third-party';

/** The signer's limit in these runs (dfnsTimeoutSeconds): small, so the hang costs the suite little. */
export const LIMIT_SECONDS = 2;

export type NetworkCase = 'redirected' | 'throttled' | 'busy' | 'main-redirected' | 'hang' | 'too-long';

/** Every case, in the order a batch runs them. */
export const ALL_CASES: NetworkCase[] = ['redirected', 'throttled', 'busy', 'main-redirected', 'hang', 'too-long'];

export interface NetworkRequest {
  name: NetworkCase;
  method: 'POST';
  /** Path on the Dfns API; the body is {"name":"<case>"}. */
  path: '/wallets';
  body: string;
}

/** The batch's requests, in run order. */
export const networkRequests = (cases: NetworkCase[] = ALL_CASES): NetworkRequest[] =>
  cases.map((name) => ({ name, method: 'POST', path: '/wallets', body: JSON.stringify({ name }) }));

/** Where the main request of main-redirected is sent on: the third party, under this path. */
export const MAIN_REDIRECT_PATH = '/main-redirected';

type Route = 'init' | 'complete' | 'main';

/**
 * Per case, what each route answers it, in order, and the exchange the emulator then logs (path and status):
 * redirected: init 307 to the third party; throttled: init 429 Retry-After 1, then normally; busy: the
 * completion 503 Retry-After 1, then again from init; main-redirected: its main request 307 to the third
 * party; hang: init never answers; too-long: init 429 Retry-After 60.
 */
function plan(name: NetworkCase, thirdParty: string): { faults: Partial<Record<Route, Fault[]>>; exchange: string[]; main?: number } {
  const signed = { init: [{}], complete: [{}], main: [{}] };
  switch (name) {
    case 'redirected':
      return { faults: { init: [{ redirect: `http://${thirdParty}/auth/action/init` }] }, exchange: ['/auth/action/init 307'] };
    case 'throttled':
      return {
        faults: { ...signed, init: [{ retryAfter: 1 }, {}] },
        exchange: ['/auth/action/init 429', '/auth/action/init 200', '/auth/action 200'],
        main: 200,
      };
    case 'busy':
      return {
        faults: { init: [{}, {}], complete: [{ status: 503, retryAfter: 1 }, {}], main: [{}] },
        exchange: ['/auth/action/init 200', '/auth/action 503', '/auth/action/init 200', '/auth/action 200'],
        main: 200,
      };
    case 'main-redirected':
      return {
        faults: { ...signed, main: [{ redirect: `http://${thirdParty}${MAIN_REDIRECT_PATH}` }] },
        exchange: ['/auth/action/init 200', '/auth/action 200'],
        main: 307,
      };
    case 'hang':
      return { faults: { init: [{ hang: true }] }, exchange: ['/auth/action/init 0'] };
    case 'too-long':
      return { faults: { init: [{ retryAfter: 60 }] }, exchange: ['/auth/action/init 429'] };
  }
}

/** Sets the faults the cases meet, one request after another, on the emulator. */
export function setNetworkFaults(emu: Emulator, thirdParty: string, cases: NetworkCase[] = ALL_CASES) {
  const faults: Record<Route, Fault[]> = { init: [], complete: [], main: [] };
  for (const name of cases) {
    const p = plan(name, thirdParty).faults;
    for (const route of ['init', 'complete', 'main'] as Route[]) faults[route].push(...(p[route] ?? []));
  }
  emu.setFault(faults);
}

/** The one line each refused case shows (after `Dfns signer: `). */
export const REFUSED: Partial<Record<NetworkCase, RegExp>> = {
  redirected:
    /^Dfns signer: POST \/auth\/action\/init was answered 307, a redirect to http:\/\/127\.0\.0\.1:\d+, which the signer does not follow \(authToken would go along\)\. Point dfnsApiDomain/,
  hang: new RegExp(
    `^Dfns signer: no answer from http://127\\.0\\.0\\.1:\\d+/auth/action/init within ${LIMIT_SECONDS} s, so the request was stopped\\. Check the API domain`,
  ),
  'too-long':
    /^Dfns signer: Dfns answered POST \/auth\/action\/init with 429 \(Too Many Requests\) and asks to wait 60 s, longer than the signer waits \(10 s\)\. Run the request again in 60 s$/,
};

/** The retry lines of the batch, in order: one per retry. */
export const RETRY_LINES = [
  'Dfns signer: Dfns answered POST /auth/action/init with 429 (Too Many Requests); retrying in 1 s (1 of 3)',
  'Dfns signer: Dfns answered POST /auth/action with 503 (Service Unavailable); retrying in 1 s (1 of 3)',
];

/** What the signer's side of the cases leaves at the emulator, whatever the client. */
export function expectSignedAsPlanned(emu: Emulator, cases: NetworkCase[] = ALL_CASES) {
  const plans = cases.map((name) => ({ name, ...plan(name, '') }));
  // Signed and sent: throttled and busy after their retry, main-redirected (answered 307).
  expect(emu.mainRequests().map((r) => [JSON.parse(r.body).name, r.status])).toEqual(
    plans.filter((p) => p.main !== undefined).map((p) => [p.name, p.main]),
  );
  // The redirect answered main-redirected in the user action's place: that one is still unspent.
  expect(emu.usedUserActions).toHaveLength(plans.filter((p) => p.main === 200).length);
  // The exchange as planned: each busy answer waited out (no "too early" 429), nothing else sent.
  expect(emu.requests.filter((r) => r.path.startsWith('/auth/action')).map((r) => `${r.path} ${r.status}`)).toEqual(
    plans.flatMap((p) => p.exchange),
  );
}

/** Nothing of the signer reached the third party (what the client did with the main request's redirect aside). */
export function expectNoExchangeElsewhere(received: Received[], token: string) {
  expect(
    noDfnsIn(
      received.filter((r) => !r.url.startsWith(MAIN_REDIRECT_PATH)),
      token,
    ),
  ).toEqual([]);
}

/** What the client sent on when the main request was redirected: the measured facts the README states. */
export function mainRedirect(received: Received[]) {
  const r = received.find((x) => x.url.startsWith(MAIN_REDIRECT_PATH));
  if (!r) return { followed: false };
  return {
    followed: true,
    method: r.method,
    authorization: r.headers.authorization !== undefined,
    userAction: r.headers['x-dfns-useraction'] !== undefined,
    body: r.body,
  };
}
