// src/meanwhile.ts: the key's preparation runs beside the challenge request only when the answer is
// late, never after it came, and leaves no timer behind (Postman's sandbox waits for pending timers);
// then the same through the flow: user actions, retries and logins.
import { generateKeyPairSync, verify } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../src/clients/client';
import { signOrFail } from '../../src/flow';
import { meanwhile, PREPARE_AFTER_MS } from '../../src/meanwhile';
import { CHALLENGE, type FakeOptions, type FakeRequest, fakeClient } from '../support/fake-client';

const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('meanwhile', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('runs the work once, while the answer is still on its way, and hands the answer through', async () => {
    const ran: string[] = [];
    const answer = later(PREPARE_AFTER_MS + 60, 'answer').then((v) => {
      ran.push('answer');
      return v;
    });
    expect(await meanwhile(answer, () => ran.push('work'))).toBe('answer');
    expect(ran).toEqual(['work', 'answer']);
  });

  it('skips the work when the answer comes first, and clears its timer', async () => {
    const cleared: unknown[] = [];
    const clear = clearTimeout;
    vi.stubGlobal('clearTimeout', (t: NodeJS.Timeout) => {
      cleared.push(t);
      clear(t);
    });
    const work = vi.fn();
    expect(await meanwhile(Promise.resolve(7), work)).toBe(7);
    await later(PREPARE_AFTER_MS + 40, undefined);
    expect(work).not.toHaveBeenCalled();
    expect(cleared).toHaveLength(1);
  });

  it('a refusal passes through as it is, and the work does not run after it', async () => {
    const work = vi.fn();
    const refused = new Error('401');
    await expect(meanwhile(Promise.reject(refused), work)).rejects.toBe(refused);
    await later(PREPARE_AFTER_MS + 40, undefined);
    expect(work).not.toHaveBeenCalled();
  });

  it('work that throws is only a lost head start', async () => {
    const answer = later(PREPARE_AFTER_MS + 60, 'answer');
    expect(
      await meanwhile(answer, () => {
        throw new Error('no table');
      }),
    ).toBe('answer');
  });

  it('without clearTimeout (Bruno QuickJS) the late timer does nothing; without timers no work at all', async () => {
    vi.stubGlobal('clearTimeout', undefined);
    const work = vi.fn();
    expect(await meanwhile(Promise.resolve(1), work)).toBe(1);
    await later(PREPARE_AFTER_MS + 40, undefined);
    expect(work).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
    vi.stubGlobal('setTimeout', undefined);
    const answer = new Promise((resolve) => setImmediate(() => resolve('answer')));
    expect(await meanwhile(answer, work)).toBe('answer');
    expect(work).not.toHaveBeenCalled();
  });

  it('no work to do: the answer as it is', async () => {
    const answer = Promise.resolve('answer');
    expect(meanwhile(answer, undefined)).toBe(answer);
  });
});

// The flow with a client in memory whose answers come late, as over a network: the key read by the flow
// is wrapped so its preparation is counted (and can be made to throw); the real preparation still runs.
const preparation = vi.hoisted(() => ({ runs: 0, fails: false }));
vi.mock('../../src/keys/index', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/keys/index')>();
  return {
    ...real,
    readPrivateKey(text: string) {
      const key = real.readPrivateKey(text);
      const prepare = (): void => {
        preparation.runs++;
        if (preparation.fails) throw new Error('no table');
        key.prepare?.();
      };
      return { ...key, prepare };
    },
  };
});

describe('the flow prepares the key while a challenge is on its way', () => {
  const NOW = Date.UTC(2026, 11, 1);
  const jwt = (claims: object) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const PEM = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const VARS = { authToken: jwt({ exp: NOW / 1000 + 3600 }), credentialPrivateKey: PEM };
  const POST: FakeRequest = { method: 'POST', url: 'https://api.dfns.io/wallets', body: '{"network":"Bitcoin"}' };
  const LATE = PREPARE_AFTER_MS + 40;

  async function run(options: FakeOptions = {}, variables: Record<string, string> = VARS) {
    const fake = fakeClient(POST, { variables: { ...variables }, ...options });
    const error = await signOrFail(fake.client, () => NOW);
    return { ...fake, error };
  }

  /** The signature of a completion (POST /auth/action or /auth/login) verifies with the key's public key. */
  function verifies(body: string): boolean {
    const { credentialAssertion } = JSON.parse(body).firstFactor;
    const data = Buffer.from(credentialAssertion.clientData, 'base64url');
    return verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(credentialAssertion.signature, 'base64url'));
  }

  afterEach(() => {
    preparation.runs = 0;
    preparation.fails = false;
  });

  it('a late challenge: prepared once while it comes, then signed', async () => {
    const { reported, sent, headers } = await run({ latencyMs: LATE });
    expect(reported).toEqual([]);
    expect(preparation.runs).toBe(1);
    expect(verifies(sent[1].body)).toBe(true);
    expect(headers['X-DFNS-USERACTION']).toBe('ua-1');
  });

  it('a quick challenge: nothing prepared, neither before the answer nor after it', async () => {
    const { reported, sent } = await run();
    await later(LATE, undefined);
    expect(reported).toEqual([]);
    expect(preparation.runs).toBe(0);
    expect(verifies(sent[1].body)).toBe(true);
  });

  it('a preparation that throws is a lost head start: the request is still signed', async () => {
    preparation.fails = true;
    const { reported, sent, headers } = await run({ latencyMs: LATE });
    expect(preparation.runs).toBe(1);
    expect(reported).toEqual([]);
    expect(verifies(sent[1].body)).toBe(true);
    expect(headers['X-DFNS-USERACTION']).toBe('ua-1');
  });

  it('a preparation that throws, then Dfns refuses: the refusal is what the user sees', async () => {
    preparation.fails = true;
    const answer = (r: HttpRequest): HttpResponse =>
      r.url.endsWith('/init')
        ? { status: 200, text: JSON.stringify(CHALLENGE) }
        : { status: 401, text: '{"error":{"message":"Signature is invalid"}}' };
    const { reported, headers } = await run({ latencyMs: LATE, answer });
    expect(preparation.runs).toBe(1);
    expect(reported).toHaveLength(1);
    expect(reported[0].code).toBe('dfns-refused');
    expect(reported[0].message).toContain('POST /auth/action');
    expect(reported[0].message).not.toContain('no table');
    expect(headers).toEqual({});
  });

  it('a busy challenge: asked again, prepared beside each challenge (the key does the work once), signed from the second', async () => {
    let inits = 0;
    const answer = (r: HttpRequest): HttpResponse => {
      if (!r.url.endsWith('/auth/action/init')) return { status: 200, text: JSON.stringify({ userAction: 'ua-2' }) };
      if (++inits === 1) return { status: 429, text: '', headers: { 'retry-after': '0' } };
      return { status: 200, text: JSON.stringify({ ...CHALLENGE, challengeIdentifier: 'ci-2' }) };
    };
    const { reported, sent, headers, sleeps } = await run({ latencyMs: LATE, answer });
    expect(reported).toEqual([]);
    expect(sleeps).toEqual([0]);
    expect(preparation.runs).toBe(2);
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual(['/auth/action/init', '/auth/action/init', '/auth/action']);
    expect(JSON.parse(sent[2].body).challengeIdentifier).toBe('ci-2');
    expect(verifies(sent[2].body)).toBe(true);
    expect(headers['X-DFNS-USERACTION']).toBe('ua-2');
  });

  it('a late login challenge: prepared too (the same key then signs the login and the user action)', async () => {
    const user = { dfnsUsername: 'alice@example.com', dfnsOrgId: 'or-1', credentialPrivateKey: PEM };
    const { reported, sent } = await run({ latencyMs: LATE }, user);
    expect(reported).toEqual([]);
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual(['/auth/login/init', '/auth/login', '/auth/action/init', '/auth/action']);
    expect(preparation.runs).toBe(2); // beside each challenge; the key does the work once
    expect(verifies(sent[1].body)).toBe(true);
    expect(verifies(sent[3].body)).toBe(true);
  });
});
