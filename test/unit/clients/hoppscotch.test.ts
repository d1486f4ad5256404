// The Hoppscotch adapter over a fake `hopp` and `pw` (test/support/fakes/hoppscotch.ts): each Client method
// alone, every refusal it raises, and whole signings checked against what the fake `hopp test` then sends.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hoppscotchClient } from '../../../src/clients/hoppscotch';
import type { SignerError } from '../../../src/errors';
import { signOrFail } from '../../../src/flow';
import { now, SIGNING_VARIABLES, signedFor, TOKEN, wireHeader } from '../../support/fakes/dfns';
import { fakeHoppscotch, type HoppFakeOptions, type HoppRequestSpec } from '../../support/fakes/hoppscotch';

const env = (extra: Record<string, string> = {}) => ({ ...SIGNING_VARIABLES, ...extra });
const U = 'https://<<dfnsApiDomain>>';
const json = (body: string) => ({ contentType: 'application/json', body });

afterEach(() => vi.restoreAllMocks());

async function sign(spec: HoppRequestSpec, options: HoppFakeOptions = {}) {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const fake = fakeHoppscotch(spec, { environment: env(), ...options });
  const error = await signOrFail(hoppscotchClient(fake.hopp, fake.pw), now);
  return { ...fake, error, reported: reported.mock.calls.map((c) => String(c[0])), signed: signedFor(fake.exchange), sent: fake.wire() };
}

describe('what is signed is what is sent', () => {
  const cases: [string, HoppRequestSpec, Record<string, string>?][] = [
    [
      'a JSON body, re-serialized by the CLI',
      { url: `${U}/wallets`, body: json('{\n  // c\n  "n": 1.0, "id": "<<$randomUUID>>", "name": "<<walletName>>"\n}') },
      { walletName: 'ünï' },
    ],
    [
      'a variable in the path, and a query',
      { method: 'PUT', url: `${U}/wallets/<<walletId>>?x=1`, body: json('{}') },
      { walletId: 'wa 1' },
    ],
    ['an empty JSON body: no body at all', { method: 'DELETE', url: `${U}/webhooks/wh-1`, body: json('  ') }],
    ['a text body, sent as written', { url: `${U}/wallets`, body: { contentType: 'text/plain', body: ' not json ' } }],
  ];

  it.each(cases)('%s', async (_name, spec, extra) => {
    const r = await sign(spec, { environment: env(extra) });
    expect(r.error).toBeUndefined();
    expect(r.reported).toEqual([]);
    expect(r.signed).toEqual({ method: r.sent!.method, path: r.sent!.path, payload: r.sent!.body });
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(wireHeader(r.sent!, 'X-DFNS-USERACTION')).toBe('ua-1');
  });

  it('a Bearer <<authToken>> auth of its own or inherited keeps working', async () => {
    const r = await sign({ url: `${U}/wallets`, body: json('{}'), auth: { authType: 'bearer', authActive: true, token: '<<authToken>>' } });
    expect(r.error).toBeUndefined();
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
  });
});

describe('request()', () => {
  it('resolves what the script can see and leaves what it cannot (collection variables) as written', () => {
    const fake = fakeHoppscotch(
      { url: `${U}/wallets/<<walletId>>/<<cv>>` },
      { environment: env({ walletId: 'w1' }), collection: { cv: 'x' } },
    );
    expect(hoppscotchClient(fake.hopp, fake.pw).request().url.href).toBe('https://api.dfns.io/wallets/w1/<<cv>>');
  });

  it.each([
    ['none', undefined, undefined],
    ['inherit, which adds nothing', { authType: 'inherit', authActive: true }, undefined],
    ['an inactive bearer', { authType: 'bearer', authActive: false, token: 'x' }, undefined],
    ['a bearer', { authType: 'bearer', authActive: true, token: '<<authToken>>' }, `Bearer ${TOKEN}`],
    ['Basic', { authType: 'basic', authActive: true }, 'basic'],
  ] as [string, HoppRequestSpec['auth'], string | undefined][])(
    'the Authorization it would send, its auth setting: %s',
    (_name, auth, expected) => {
      const fake = fakeHoppscotch({ url: `${U}/x`, auth }, { environment: env() });
      expect(hoppscotchClient(fake.hopp, fake.pw).request().authorization).toBe(expected);
    },
  );

  it('a header, when no auth setting wins over it', () => {
    const fake = fakeHoppscotch(
      {
        url: `${U}/x`,
        headers: [
          { key: 'authorization', value: 'Bearer <<authToken>>' },
          { key: 'X-Off', value: 'x', active: false },
        ],
      },
      { environment: env() },
    );
    expect(hoppscotchClient(fake.hopp, fake.pw).request().authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('an empty <<variable>> that makes up a path segment: unsendable, naming it', () => {
    const fake = fakeHoppscotch({ url: `${U}/wallets/<<walletId>>` }, { environment: env({ walletId: '' }) });
    const unsendable = hoppscotchClient(fake.hopp, fake.pw).request().unsendable;
    expect(unsendable?.code).toBe('template-empty');
    expect(unsendable?.message).toBe('Dfns signer: the path variable walletId is empty. Set walletId in the environment');
  });
});

describe('body()', () => {
  it('re-serializes a JSON body as the CLI will; none is empty', () => {
    const fake = fakeHoppscotch({ url: `${U}/x`, body: json('{ "a": 1.50, /* c */ "b": "\\u00e9" }') }, { environment: env() });
    expect(hoppscotchClient(fake.hopp, fake.pw).body()).toBe('{"a":1.5,"b":"é"}');
    const none = fakeHoppscotch({ url: `${U}/x` });
    expect(hoppscotchClient(none.hopp, none.pw).body()).toBe('');
  });

  it('signs a form of data and file over data as written (key-store outputs); refuses other forms, and <<variables>> in data', () => {
    const form = (data: string, extra: object[] = []) =>
      fakeHoppscotch({
        url: `${U}/x`,
        body: {
          contentType: 'multipart/form-data',
          body: [
            { key: 'data', value: data, active: true, isFile: false },
            { key: 'file', value: [], active: true, isFile: true },
            ...extra,
          ],
        },
      });
    const ok = form('{"fileChecksum":"ab"}');
    expect(hoppscotchClient(ok.hopp, ok.pw).body()).toBe('{"fileChecksum":"ab"}');
    const inactive = form('{}', [{ key: 'note', value: 'x', active: false, isFile: false }]);
    expect(hoppscotchClient(inactive.hopp, inactive.pw).body()).toBe('{}');
    for (const [fake, what] of [
      [form('{}', [{ key: 'note', value: 'x', active: true, isFile: false }]), 'the field note'],
      [form('{"id":"<<walletId>>"}'), '<<walletId>> in its field data'],
      [fakeHoppscotch({ url: `${U}/x`, body: { contentType: 'multipart/form-data', body: [] } }), 'no field data'],
    ] as const)
      expect(() => hoppscotchClient(fake.hopp, fake.pw).body()).toThrow(
        expect.objectContaining({ code: 'body-not-json', message: expect.stringContaining(`a form with ${what}`) }),
      );
  });

  const refusal = (body: string): SignerError => {
    const fake = fakeHoppscotch({ url: `${U}/x`, body: json(body) });
    try {
      hoppscotchClient(fake.hopp, fake.pw).body();
    } catch (e) {
      return e as SignerError;
    }
    throw new Error('not refused');
  };

  it('refuses a JSON body that does not parse, saying why', () => {
    expect(refusal('{"a":1 "b":2}').message).toMatch(
      /^Dfns signer: the request body is not valid JSON \(.+\), which Hoppscotch cannot send: it re-serializes JSON bodies\. Fix the JSON, or send it as text$/,
    );
  });

  it('names a byte-order mark when it is the cause', () => {
    const error = refusal('\ufeff{"a":1}');
    expect(error.code).toBe('body-not-json');
    expect(error.message).toMatch(
      /^Dfns signer: the request body starts with a byte-order mark \(U\+FEFF\), so it is not valid JSON \(.+\), which Hoppscotch cannot send: it re-serializes JSON bodies\. Remove the byte-order mark$/,
    );
  });
});

describe('unresolved(), reference(), freeze(), send(), setHeader(), variable()', () => {
  it('unresolved() finds a <<reference>>; reference() writes one', () => {
    const client = hoppscotchClient(fakeHoppscotch({ url: `${U}/x` }).hopp, fakeHoppscotch({ url: `${U}/x` }).pw);
    expect(client.unresolved('a <<b>> {{c}}')).toBe('<<b>>');
    expect(client.unresolved('a {{c}}')).toBeUndefined();
    expect(client.reference!('authToken')).toBe('<<authToken>>');
  });

  it('freeze() writes the resolved URL and the body as signed; an empty JSON body becomes none', () => {
    const fake = fakeHoppscotch({ url: `${U}/w/<<$randomUUID>>`, body: json(' ') }, { environment: env() });
    const client = hoppscotchClient(fake.hopp, fake.pw);
    const facts = client.request();
    expect(client.body()).toBe('');
    client.freeze();
    expect(fake.request.url).toBe(facts.url.href);
    expect(fake.request.body).toEqual({ contentType: null, body: null });
  });

  it('send() goes through hopp.fetch; every status resolves, no answer rejects', async () => {
    const fake = fakeHoppscotch(
      { url: `${U}/x` },
      { dfns: (r) => (r.url.endsWith('/down') ? new Error('Fetch failed') : { status: 403, text: 'no' }) },
    );
    const client = hoppscotchClient(fake.hopp, fake.pw);
    await expect(
      client.send({ method: 'POST', url: 'https://api.dfns.io/auth/action/init', headers: {}, body: '{}' }, 30_000),
    ).resolves.toEqual({
      status: 403,
      text: 'no',
      headers: {},
      redirected: false,
    });
    expect(fake.sendOptions[0]).toMatchObject({ redirect: 'manual' });
    await expect(client.send({ method: 'POST', url: 'https://api.dfns.io/down', headers: {}, body: '' }, 30_000)).rejects.toThrow(
      'Fetch failed',
    );
  });

  it('setHeader() replaces in any case; variable() reads the environment, blank as unset', () => {
    const fake = fakeHoppscotch(
      { url: `${U}/x`, headers: [{ key: 'x-dfns-useraction', value: 'old' }] },
      { environment: { a: '<<b>>', b: 'B', blank: '' } },
    );
    const client = hoppscotchClient(fake.hopp, fake.pw);
    client.setHeader('X-DFNS-USERACTION', 'ua');
    expect(fake.request.headers).toEqual([{ key: 'x-dfns-useraction', value: 'ua', active: true, description: '' }]);
    expect([client.variable('a'), client.variable('blank'), client.variable('none')]).toEqual(['B', undefined, undefined]);
  });
});

describe('report() and stop()', () => {
  it('one line on the console, and the URL becomes the message, which no client sends', async () => {
    const r = await sign({ url: `${U}/wallets/<<walletId>>`, body: json('{}') }, { environment: env({ walletId: '' }) });
    expect(r.error).toBeUndefined();
    expect(r.reported).toEqual(['Dfns signer: the path variable walletId is empty. Set walletId in the environment']);
    expect(r.request.url).toBe('Dfns signer: the path variable walletId is empty. Set walletId in the environment');
    expect(r.sent).toBeUndefined();
    expect(r.exchange).toEqual([]);
  });

  it("a <<reference>> in the message is written «so», out of the CLI's reach", async () => {
    const r = await sign({ url: `${U}/wallets/<<cv>>`, body: json('{}') }, { collection: { cv: 'x' } });
    expect(r.request.url).toContain('holds «cv»');
    expect(r.sent).toBeUndefined();
  });
});

describe('every refusal of this adapter: reported once, nothing sent to Dfns', () => {
  const cases: [string, HoppRequestSpec, Record<string, string>, string][] = [
    [
      'an empty <<variable>> segment',
      { method: 'PUT', url: `${U}/wallets/<<walletId>>`, body: json('{}') },
      { walletId: '' },
      'template-empty',
    ],
    ['a form', { url: `${U}/wallets`, body: { contentType: 'application/x-www-form-urlencoded', body: 'a: 1' } }, {}, 'body-not-json'],
    ['a JSON body that does not parse', { url: `${U}/wallets`, body: json('{"a":}') }, {}, 'body-not-json'],
    ['a byte-order mark', { url: `${U}/wallets`, body: json('\ufeff{}') }, {}, 'body-not-json'],
    [
      'a bearer auth with another token',
      { url: `${U}/wallets`, body: json('{}'), auth: { authType: 'bearer', authActive: true, token: 'other' } },
      {},
      'token-conflict',
    ],
    [
      'an Authorization header with another token',
      { url: `${U}/wallets`, body: json('{}'), headers: [{ key: 'Authorization', value: 'Bearer other' }] },
      {},
      'token-conflict',
    ],
  ];
  it.each(cases)('%s', async (_name, spec, extra) => {
    const r = await sign(spec, { environment: env(extra) });
    expect(r.reported).toHaveLength(1);
    expect(r.exchange).toEqual([]);
    expect(r.sent).toBeUndefined();
  });

  it('the token-conflict line writes the reference as Hoppscotch does', async () => {
    const r = await sign({ url: `${U}/wallets`, body: json('{}'), headers: [{ key: 'Authorization', value: 'Bearer other' }] });
    expect(r.reported[0]).toMatch(/or set it to Bearer <<authToken>>$/);
  });

  it('a host the script cannot resolve (a collection variable) is left alone: sent as written, nothing added', async () => {
    const r = await sign({ url: '<<explorer>>/hooks', body: json('{"a":1}') }, { collection: { explorer: 'https://hooks.example.com' } });
    expect(r.reported).toEqual([]);
    expect(r.exchange).toEqual([]);
    expect(r.sent).toMatchObject({ origin: 'https://hooks.example.com', path: '/hooks', body: '{"a":1}' });
    expect(wireHeader(r.sent!, 'Authorization')).toBeUndefined();
  });
});
