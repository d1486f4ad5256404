// The status check of the generated requests (scripts/collections/checks.mjs), one text per scripting API, run in
// a fresh V8 context over a fake of that API: it names Dfns's message on a refusal, passes a 2xx, and adds nothing
// for a request that got no answer. The real clients run them in test/e2e/status-checks.test.ts (Insomnia, which no
// registry installs, only here: its after-response scripts are not in the harness).
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  BRUNO_STATUS_CHECK,
  HOPPSCOTCH_STATUS_CHECK,
  HTTPYAC_STATUS_CHECK,
  INSOMNIA_STATUS_CHECK,
  POSTMAN_STATUS_CHECK,
  STATUS_CHECK_MARKER,
} from '../../scripts/collections/checks.mjs';

interface Answer {
  status: number;
  statusText: string;
  body: string;
  /** Hoppscotch: the made-up answer `hopp test` gives a request that got none (no headers). */
  headers?: { key: string; value: string }[];
}
/** What the check reported: [test name, passed?]. */
type Tests = [string, boolean][];

/** A chai-like expect with the two assertions the checks use. */
function fakeExpect(value: unknown) {
  const within = (lo: number, hi: number) => {
    if (typeof value !== 'number' || value < lo || value > hi) throw new Error(`expected ${value} to be within ${lo}..${hi}`);
  };
  return { to: { be: { within } }, toBeLevel2xx: () => within(200, 299) };
}

function recorder() {
  const tests: Tests = [];
  const test = (name: string, fn: () => void) => {
    try {
      fn();
      tests.push([name, true]);
    } catch {
      tests.push([name, false]);
    }
  };
  return { tests, test };
}

const json = (text: string) => JSON.parse(text);
const clients: [string, string, (answer: Answer | undefined) => { globals: Record<string, unknown>; tests: Tests }][] = [
  [
    'Postman, newman, the Postman CLI, Apidog',
    POSTMAN_STATUS_CHECK.join('\n'),
    (a) => {
      const { tests, test } = recorder();
      const response = a && { code: a.status, status: a.statusText, text: () => a.body, json: () => json(a.body) };
      return { tests, globals: { pm: { response, test, expect: fakeExpect } } };
    },
  ],
  [
    'Bruno',
    BRUNO_STATUS_CHECK,
    (a) => {
      const { tests, test } = recorder();
      // res.getBody() gives parsed JSON when the body is JSON, else the text.
      const parsed = (body: string) => {
        try {
          return JSON.parse(body);
        } catch {
          return body;
        }
      };
      const res = a ? { getStatus: () => a.status, getStatusText: () => a.statusText, getBody: () => parsed(a.body) } : undefined;
      return { tests, globals: { res, test, expect: fakeExpect } };
    },
  ],
  [
    'Hoppscotch',
    HOPPSCOTCH_STATUS_CHECK,
    (a) => {
      const { tests, test } = recorder();
      const response = a
        ? {
            statusCode: a.status,
            headers: a.headers ?? [{ key: 'content-type', value: 'application/json' }],
            body: { asText: () => a.body },
          }
        : { statusCode: 400, headers: [], body: { asText: () => '{}' } };
      return { tests, globals: { hopp: { response, test, expect: fakeExpect } } };
    },
  ],
  [
    'Insomnia',
    INSOMNIA_STATUS_CHECK,
    (a) => {
      const { tests, test } = recorder();
      const response = a && { code: a.status, status: a.statusText, text: () => a.body, json: () => json(a.body) };
      return { tests, globals: { insomnia: { response, test, expect: fakeExpect } } };
    },
  ],
  [
    'httpyac',
    HTTPYAC_STATUS_CHECK,
    (a) => {
      const { tests, test } = recorder();
      // httpyac gives the body parsed when it is JSON.
      const response = a ? { statusCode: a.status, statusMessage: a.statusText, body: a.body.startsWith('{') ? json(a.body) : a.body } : {};
      return { tests, globals: { response, test } };
    },
  ],
];

const run = (script: string, globals: Record<string, unknown>) => vm.runInNewContext(script, { ...globals, JSON, String });

describe.each(clients)('the status check in %s', (_name, script, world) => {
  const check = (answer: Answer | undefined) => {
    const { globals, tests } = world(answer);
    run(script, globals);
    return tests;
  };

  it('starts with the marker inject recognises it by', () => {
    expect(script.split('\n')[0]).toBe(STATUS_CHECK_MARKER);
  });

  it('passes a 2xx, named after the status', () => {
    expect(check({ status: 200, statusText: 'OK', body: '{"id":"wa-1"}' })).toEqual([['Dfns answered 200', true]]);
    expect(check({ status: 204, statusText: 'No Content', body: '' })).toEqual([['Dfns answered 204', true]]);
  });

  it("fails anything else with Dfns's message: the current error body, the older one, else the body's start", () => {
    const error = JSON.stringify({ error: { id: '1', status: 403, message: 'Permission denied: Wallets:Read', details: {} } });
    expect(check({ status: 403, statusText: 'Forbidden', body: error })).toEqual([
      ['Dfns answered 403: Permission denied: Wallets:Read', false],
    ]);
    expect(check({ status: 401, statusText: 'Unauthorized', body: '{"message":"Not Authorized."}' })).toEqual([
      ['Dfns answered 401: Not Authorized.', false],
    ]);
    const page = `<html>${'x'.repeat(300)}</html>`;
    expect(check({ status: 502, statusText: 'Bad Gateway', body: page })).toEqual([[`Dfns answered 502: ${page.slice(0, 200)}`, false]]);
    expect(check({ status: 500, statusText: 'Internal Server Error', body: '' })[0][1]).toBe(false);
    expect(check({ status: 302, statusText: 'Found', body: '' })[0][1]).toBe(false);
  });

  it('adds nothing when no answer came (the signer stopped the request, or the connection failed)', () => {
    expect(check(undefined)).toEqual([]);
  });
});
