// Each adapter's send(), over a stand-in for its client's send API: the options that keep the signer's calls
// from following a redirect and from waiting forever (where the client has them), the limit as a timer where it
// has none, the answer's headers read in any case, and the sleep the retries use. The behaviour in the real
// clients: test/e2e/network-*.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { brunoClient } from '../../../src/clients/bruno';
import { type HttpRequest, TimedOut } from '../../../src/clients/client';
import { hoppscotchClient } from '../../../src/clients/hoppscotch';
import { httpyacClient } from '../../../src/clients/httpyac';
import { insomniaClient } from '../../../src/clients/insomnia';
import { nodeTransport } from '../../../src/clients/node-transport';
import { postmanClient } from '../../../src/clients/postman';

const CALL: HttpRequest = {
  method: 'POST',
  url: 'https://api.dfns.io/auth/action/init',
  headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
  body: '{"a":1}',
};
const never = () => new Promise<never>(() => undefined);

/** A Postman-SDK-like list of {key, value}, as response headers come in Postman and Insomnia scripts. */
const headerList = (pairs: [string, string][]) => ({
  each: (fn: (h: { key: string; value: string }) => void) => {
    for (const [key, value] of pairs) fn({ key, value });
  },
  get: (name: string) => pairs.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1],
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('Postman, newman, Apidog (pm.sendRequest: no redirect or timeout option of its own)', () => {
  const pmWith = (sendRequest: (req: any, cb: (err: unknown, res: unknown) => void) => void) =>
    postmanClient({ sendRequest, request: {}, variables: { replaceIn: (t: string) => t } });

  it('sends the call as built, and reads the answer and its headers', async () => {
    const seen: any[] = [];
    const client = pmWith((req, cb) => {
      seen.push(req);
      cb(null, { code: 429, text: () => '{}', headers: headerList([['Retry-After', '2']]) });
    });
    expect(await client.send(CALL, 5000)).toEqual({ status: 429, text: '{}', headers: { 'retry-after': '2' } });
    expect(seen).toEqual([
      {
        url: CALL.url,
        method: 'POST',
        header: [
          { key: 'Authorization', value: 'Bearer t' },
          { key: 'Content-Type', value: 'application/json' },
        ],
        body: { mode: 'raw', raw: '{"a":1}' },
      },
    ]);
  });

  it('a call never answered rejects with TimedOut at the limit; an answer in time clears the timer', async () => {
    const hung = pmWith(() => undefined).send(CALL, 2000);
    vi.advanceTimersByTime(1999);
    const early = await Promise.race([
      hung.then(
        () => 'settled',
        () => 'settled',
      ),
      Promise.resolve('pending'),
    ]);
    expect(early).toBe('pending');
    vi.advanceTimersByTime(1);
    await expect(hung).rejects.toEqual(new TimedOut(2000));
    await pmWith((_req, cb) => cb(null, { code: 200, text: () => '{}' })).send(CALL, 2000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sleeps with the sandbox timer', async () => {
    const client = pmWith(() => undefined);
    let woke = false;
    void client.sleep?.(1000).then(() => void (woke = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(woke).toBe(true);
  });
});

describe('Bruno (bru.sendRequest: axios)', () => {
  const bruWith = (sendRequest: (config: any) => Promise<any>) => brunoClient({ sendRequest }, {});

  it('asks axios for no redirect and its own timeout at the limit, every status resolving, the raw text', async () => {
    const configs: any[] = [];
    const client = bruWith(async (config) => {
      configs.push(config);
      return { status: 307, data: '', headers: { location: 'https://elsewhere.example/', 'Retry-After': '1' } };
    });
    expect(await client.send(CALL, 7000)).toEqual({
      status: 307,
      text: '',
      headers: { location: 'https://elsewhere.example/', 'retry-after': '1' },
    });
    expect(configs).toEqual([
      {
        method: 'POST',
        url: CALL.url,
        headers: CALL.headers,
        data: CALL.body,
        timeout: 7000,
        maxRedirects: 0,
        responseType: 'text',
        validateStatus: null,
      },
    ]);
  });

  it("axios' timeout becomes TimedOut; other failures stay as they are", async () => {
    const failing = (error: object) => bruWith(() => Promise.reject(error)).send(CALL, 7000);
    await expect(failing({ code: 'ECONNABORTED', message: 'timeout of 7000ms exceeded' })).rejects.toEqual(new TimedOut(7000));
    await expect(failing({ code: 'ETIMEDOUT', message: 'timeout of 7000ms exceeded' })).rejects.toEqual(new TimedOut(7000));
    await expect(failing({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('Hoppscotch (hopp.fetch: no timeout, no working AbortSignal, redirects followed by `hopp test`)', () => {
  const hoppWith = (fetch: (url: string, init: any) => Promise<any>) =>
    hoppscotchClient({ fetch, request: {}, env: { get: () => null } }, {});
  const answer = (status: number, extra: object = {}) => ({
    status,
    text: async () => 'body',
    headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? '3' : null) },
    ...extra,
  });

  it("asks for redirect: 'manual' (honoured where the fetch honours it), reads the headers", async () => {
    const inits: any[] = [];
    const client = hoppWith(async (_url, init) => {
      inits.push(init);
      return answer(429);
    });
    expect(await client.send(CALL, 2000)).toEqual({ status: 429, text: 'body', headers: { 'retry-after': '3' }, redirected: false });
    expect(inits).toEqual([{ method: 'POST', headers: CALL.headers, body: CALL.body, redirect: 'manual' }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an answer the fetch says was redirected, or an opaque redirect, is marked redirected', async () => {
    expect((await hoppWith(async () => answer(200, { redirected: true })).send(CALL, 2000)).redirected).toBe(true);
    expect((await hoppWith(async () => answer(0, { type: 'opaqueredirect' })).send(CALL, 2000)).redirected).toBe(true);
  });

  it('a fetch never answered rejects with TimedOut at the limit', async () => {
    const hung = hoppWith(never).send(CALL, 2000);
    vi.advanceTimersByTime(2000);
    await expect(hung).rejects.toEqual(new TimedOut(2000));
  });

  it('holds the script with one pending timer until released (the sandbox ends a script once no timer or fetch is pending)', () => {
    const client = hoppWith(never);
    const release = client.hold?.();
    expect(vi.getTimerCount()).toBe(1);
    release?.();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("httpyac (Node's fetch)", () => {
  const client = () => httpyacClient({ method: 'POST', url: 'https://api.dfns.io/wallets', headers: {} }, { variables: {} });

  it("sends with redirect: 'manual' and an AbortSignal that times out at the limit", async () => {
    const inits: any[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: any) => {
      inits.push(init);
      return { status: 307, text: async () => '', headers: new Headers({ Location: 'https://elsewhere.example/' }) };
    });
    expect(await client().send(CALL, 4000)).toEqual({ status: 307, text: '', headers: { location: 'https://elsewhere.example/' } });
    expect(inits).toEqual([
      { method: 'POST', headers: CALL.headers, body: CALL.body, redirect: 'manual', signal: expect.any(AbortSignal) },
    ]);
  });

  it('its TimeoutError becomes TimedOut', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.reject(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })),
    );
    await expect(client().send(CALL, 4000)).rejects.toEqual(new TimedOut(4000));
  });
});

describe('Insomnia script (insomnia.sendRequest: follows the app settings)', () => {
  const insomniaWith = (sendRequest: (req: any, cb: (err: unknown, res?: unknown) => void) => unknown) =>
    insomniaClient({ sendRequest, request: {}, variables: { get: () => undefined, replaceIn: (t: string) => t } });

  it('reads the answer headers from its HeaderList, names in any case', async () => {
    const client = insomniaWith((_req, cb) => cb(undefined, { code: 503, text: () => '', headers: headerList([['RETRY-AFTER', '4']]) }));
    expect(await client.send(CALL, 2000)).toEqual({ status: 503, text: '', headers: { 'retry-after': '4' } });
  });

  it('a call never answered rejects with TimedOut at the limit', async () => {
    const hung = insomniaWith(() => undefined).send(CALL, 2000);
    vi.advanceTimersByTime(2000);
    await expect(hung).rejects.toEqual(new TimedOut(2000));
  });
});

describe("the plugins' transport (Node's http)", () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  async function server(handler: http.RequestListener) {
    const s = http.createServer(handler);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/auth/action/init`;
    return {
      url,
      close: () =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    };
  }

  it('returns a redirect as the answer, with its Location and Retry-After', async () => {
    const s = await server((_req, res) => res.writeHead(307, { Location: 'https://elsewhere.example/x', 'Retry-After': '5' }).end());
    try {
      expect(await nodeTransport({ ...CALL, url: s.url }, 5000)).toEqual({
        status: 307,
        text: '',
        headers: { location: 'https://elsewhere.example/x', 'retry-after': '5' },
      });
    } finally {
      await s.close();
    }
  });

  it('destroys a call not answered within its limit and rejects with TimedOut', async () => {
    const s = await server(() => undefined);
    try {
      await expect(nodeTransport({ ...CALL, url: s.url }, 100)).rejects.toEqual(new TimedOut(100));
    } finally {
      await s.close();
    }
  });
});
