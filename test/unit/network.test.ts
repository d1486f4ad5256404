// The network rules of the signer's own calls: the pure decisions (src/protocol/network.ts), and the
// exchange that applies them (src/exchange.ts) through the flow, with a client in memory: a limit on
// each answer, no redirect followed, busy answers asked again from a new challenge, one line each.
import { describe, expect, it } from 'vitest';
import { type HttpRequest, type HttpResponse, TimedOut } from '../../src/clients/client';
import { signOrFail } from '../../src/flow';
import { DEFAULT_TIMEOUT_SECONDS, isRedirect, MAX_RETRIES, readTimeout, retryAfter } from '../../src/protocol/network';
import { CHALLENGE, type FakeOptions, fakeClient } from '../support/fake-client';

const NOW = Date.UTC(2026, 11, 1);
const jwt = (exp: number) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
const TOKEN = jwt(NOW / 1000 + 3600);
const PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2
OF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r
1RTwjmYSi9R/zpBnuQ4EiMnCqfMPWiZqB4QdbAd0E7oH50VpuZ1P087G
-----END PRIVATE KEY-----`;
const POST = { method: 'POST', url: 'https://api.dfns.io/wallets', body: '{"network":"Bitcoin"}' };

/** Dfns answering from a script: each call takes the next answer for its path, then answers normally. */
function scripted(script: Partial<Record<'init' | 'complete', (HttpResponse | Error)[]>>) {
  let challenges = 0;
  return (request: HttpRequest): HttpResponse | Error => {
    const step = request.url.endsWith('/auth/action/init') ? 'init' : 'complete';
    const next = script[step]?.shift();
    if (next) return next;
    if (step === 'init') return { status: 200, text: JSON.stringify({ ...CHALLENGE, challengeIdentifier: `ci-${++challenges}` }) };
    return { status: 200, text: JSON.stringify({ userAction: `ua-for-${JSON.parse(request.body).challengeIdentifier}` }) };
  };
}

async function sign(options: FakeOptions & { vars?: Record<string, string> }) {
  const fake = fakeClient(POST, { ...options, variables: { authToken: TOKEN, credentialPrivateKey: PEM, ...options.vars } });
  const error = await signOrFail(fake.client, () => NOW);
  const steps = fake.calls.filter((c) => c.startsWith('send') || c.startsWith('sleep'));
  return { ...fake, error, steps };
}

const busy = (status: number, retryAfterValue?: string): HttpResponse => ({
  status,
  text: '{"error":{"message":"slow down"}}',
  headers: retryAfterValue === undefined ? {} : { 'retry-after': retryAfterValue },
});

describe('readTimeout: dfnsTimeoutSeconds', () => {
  it('is 30 s when unset, and takes seconds, fractions included', () => {
    expect(readTimeout(undefined)).toBe(DEFAULT_TIMEOUT_SECONDS * 1000);
    expect([readTimeout('1'), readTimeout(' 2.5 '), readTimeout('600')]).toEqual([1000, 2500, 600_000]);
  });

  it.each(['0', '0.5', '-1', 'soon', '30s', '1e3', '601', '30000'])('refuses %j in one line naming the variable', (value) => {
    expect(() => readTimeout(value)).toThrow(
      /^Dfns signer: dfnsTimeoutSeconds is ".*", not a number of seconds from 1 to 600\. Set dfnsTimeoutSeconds/,
    );
  });
});

describe('retryAfter: whether and when a busy answer is asked again', () => {
  it('only 429 and 503 are retried', () => {
    for (const status of [200, 307, 400, 401, 403, 500, 502, 504])
      expect(retryAfter(status, {}, 1, NOW)).toEqual({ retry: false, why: 'not-busy' });
  });

  it('honours Retry-After in seconds, up to 10', () => {
    expect(retryAfter(429, { 'retry-after': '1' }, 1, NOW)).toEqual({ retry: true, seconds: 1 });
    expect(retryAfter(503, { 'retry-after': '0' }, 2, NOW)).toEqual({ retry: true, seconds: 0 });
    expect(retryAfter(429, { 'retry-after': '10' }, 3, NOW)).toEqual({ retry: true, seconds: 10 });
    expect(retryAfter(429, { 'retry-after': '11' }, 1, NOW)).toEqual({ retry: false, why: 'too-long', seconds: 11 });
  });

  it('honours Retry-After as an HTTP date, rounded up, never negative', () => {
    const at = (ms: number) => new Date(NOW + ms).toUTCString();
    expect(retryAfter(429, { 'retry-after': at(3000) }, 1, NOW)).toEqual({ retry: true, seconds: 3 });
    expect(retryAfter(429, { 'retry-after': at(-5000) }, 1, NOW)).toEqual({ retry: true, seconds: 0 });
    expect(retryAfter(503, { 'retry-after': at(60_000) }, 1, NOW)).toEqual({ retry: false, why: 'too-long', seconds: 60 });
  });

  it('without a usable Retry-After, waits 1, 2, 4 s', () => {
    expect([1, 2, 3].map((attempt) => retryAfter(429, {}, attempt, NOW))).toEqual([1, 2, 4].map((seconds) => ({ retry: true, seconds })));
    expect(retryAfter(503, { 'retry-after': 'later' }, 1, NOW)).toEqual({ retry: true, seconds: 1 });
    expect(retryAfter(503, undefined, 2, NOW)).toEqual({ retry: true, seconds: 2 });
  });

  it(`gives up after ${MAX_RETRIES} retries`, () => {
    expect(retryAfter(429, { 'retry-after': '1' }, MAX_RETRIES + 1, NOW)).toEqual({ retry: false, why: 'exhausted' });
  });
});

describe('isRedirect', () => {
  it('is every 3xx', () => {
    expect([299, 300, 301, 302, 303, 304, 307, 308, 399, 400].map(isRedirect)).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('the limit on each answer', () => {
  it('every call gets dfnsTimeoutSeconds (30 s when unset)', async () => {
    expect((await sign({})).limits).toEqual([30_000, 30_000]);
    expect((await sign({ vars: { dfnsTimeoutSeconds: '2' } })).limits).toEqual([2000, 2000]);
  });

  it('a bad dfnsTimeoutSeconds stops the request before anything is sent', async () => {
    const { reported, sent } = await sign({ vars: { dfnsTimeoutSeconds: 'ten' } });
    expect(reported.map((e) => e.code)).toEqual(['timeout-invalid']);
    expect(sent).toEqual([]);
  });

  it('no answer within it: one line naming the URL and the limit, nothing retried', async () => {
    const { reported, steps } = await sign({ vars: { dfnsTimeoutSeconds: '2' }, answer: scripted({ init: [new TimedOut(2000)] }) });
    expect(reported.map((e) => [e.code, e.message])).toEqual([
      [
        'dfns-timeout',
        'Dfns signer: no answer from https://api.dfns.io/auth/action/init within 2 s, so the request was stopped. Check the API domain (dfnsApiDomain) and your network or proxy; if Dfns is just slow, raise dfnsTimeoutSeconds',
      ],
    ]);
    expect(steps).toEqual(['send /auth/action/init']);
  });

  it("another failure to reach Dfns (the client's own timeout) stays dfns-unreachable", async () => {
    const refused = Object.assign(new Error('ESOCKETTIMEDOUT'), { code: 'ESOCKETTIMEDOUT' });
    const { reported } = await sign({ answer: scripted({ complete: [refused] }) });
    expect(reported.map((e) => e.code)).toEqual(['dfns-unreachable']);
  });
});

describe('redirects are never followed', () => {
  it.each([301, 302, 303, 307, 308])('%i: one line naming where it pointed (origin only), nothing more sent', async (status) => {
    const { reported, steps, headers } = await sign({
      answer: scripted({ init: [{ status, text: '', headers: { location: 'https://elsewhere.example:8443/steal?token=x' } }] }),
    });
    expect(reported.map((e) => [e.code, e.message])).toEqual([
      [
        'dfns-redirected',
        `Dfns signer: POST /auth/action/init was answered ${status}, a redirect to https://elsewhere.example:8443, which the signer does not follow (authToken would go along). Point dfnsApiDomain and the request URL at the Dfns API itself (https://api.dfns.io or your region), not at an address that redirects`,
      ],
    ]);
    expect(steps).toEqual(['send /auth/action/init']);
    expect(headers).toEqual({});
  });

  it('a redirect of the completion, without a Location', async () => {
    const { reported } = await sign({ answer: scripted({ complete: [{ status: 302, text: '' }] }) });
    expect(reported.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Dfns signer: POST \/auth\/action was answered 302, a redirect, which/),
    ]);
  });

  it('an answer the client says it got by following a redirect is refused too', async () => {
    const { reported } = await sign({ answer: scripted({ init: [{ status: 200, text: JSON.stringify(CHALLENGE), redirected: true }] }) });
    expect(reported.map((e) => e.code)).toEqual(['dfns-redirected']);
  });
});

describe('busy answers (429, 503)', () => {
  it('a 429 on init: one line, the wait Retry-After asks, init again, signed', async () => {
    const { error, steps, logs, headers } = await sign({ answer: scripted({ init: [busy(429, '1')] }) });
    expect(error).toBeUndefined();
    expect(steps).toEqual(['send /auth/action/init', 'sleep 1000', 'send /auth/action/init', 'send /auth/action']);
    expect(logs[0]).toBe('Dfns signer: Dfns answered POST /auth/action/init with 429 (Too Many Requests); retrying in 1 s (1 of 3)');
    expect(headers['X-DFNS-USERACTION']).toBe('ua-for-ci-1');
  });

  it('a 503 on the completion starts again from a new challenge: the spent one is never replayed', async () => {
    const { error, steps, sent, logs, headers } = await sign({ answer: scripted({ complete: [busy(503, '2')] }) });
    expect(error).toBeUndefined();
    expect(steps).toEqual(['send /auth/action/init', 'send /auth/action', 'sleep 2000', 'send /auth/action/init', 'send /auth/action']);
    const completions = sent.filter((r) => r.url.endsWith('/auth/action')).map((r) => JSON.parse(r.body).challengeIdentifier);
    expect(completions).toEqual(['ci-1', 'ci-2']);
    expect(logs[0]).toBe('Dfns signer: Dfns answered POST /auth/action with 503 (Service Unavailable); retrying in 2 s (1 of 3)');
    expect(headers['X-DFNS-USERACTION']).toBe('ua-for-ci-2');
  });

  it('without Retry-After, waits 1, 2, 4 s; busy a fourth time: one line, stopped', async () => {
    const { reported, steps, logs, headers } = await sign({ answer: scripted({ init: [busy(429), busy(429), busy(503), busy(429)] }) });
    expect(steps).toEqual([
      'send /auth/action/init',
      'sleep 1000',
      'send /auth/action/init',
      'sleep 2000',
      'send /auth/action/init',
      'sleep 4000',
      'send /auth/action/init',
    ]);
    expect(logs.filter((l) => l.includes('retrying'))).toHaveLength(3);
    expect(reported.map((e) => [e.code, e.message])).toEqual([
      [
        'dfns-throttled',
        'Dfns signer: Dfns answered POST /auth/action/init with 429 (Too Many Requests) 4 times in a row. Wait a minute and run the request again, or run fewer requests at once',
      ],
    ]);
    expect(headers).toEqual({});
  });

  it('a Retry-After longer than 10 s: one line saying how long, no wait', async () => {
    const { reported, steps } = await sign({ answer: scripted({ complete: [busy(429, '60')] }) });
    expect(steps).toEqual(['send /auth/action/init', 'send /auth/action']);
    expect(reported.map((e) => e.message)).toEqual([
      'Dfns signer: Dfns answered POST /auth/action with 429 (Too Many Requests) and asks to wait 60 s, longer than the signer waits (10 s). Run the request again in 60 s',
    ]);
  });

  it('a client without timers does not retry: one line', async () => {
    const { reported, steps } = await sign({ noSleep: true, answer: scripted({ init: [busy(429, '1')] }) });
    expect(steps).toEqual(['send /auth/action/init']);
    expect(reported.map((e) => e.message)).toEqual([
      'Dfns signer: Dfns answered POST /auth/action/init with 429 (Too Many Requests). Wait a minute and run the request again, or run fewer requests at once',
    ]);
  });

  it('other refusals are not retried', async () => {
    const { reported, steps } = await sign({ answer: scripted({ init: [{ status: 500, text: '{"error":{"message":"boom"}}' }] }) });
    expect(steps).toEqual(['send /auth/action/init']);
    expect(reported.map((e) => e.code)).toEqual(['dfns-refused']);
  });
});
