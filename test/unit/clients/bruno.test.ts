// The Bruno adapter over a fake `bru` and `req` (test/support/fakes/bruno.ts): each Client method alone,
// every refusal it raises, and whole signings checked against what the fake `bru run` then sends.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { brunoClient } from '../../../src/clients/bruno';
import type { SignerError } from '../../../src/errors';
import { signOrFail } from '../../../src/flow';
import { type BrunoFakeOptions, type BrunoRequestSpec, fakeBruno } from '../../support/fakes/bruno';
import { now, SIGNING_VARIABLES, signedFor, TOKEN, wireHeader } from '../../support/fakes/dfns';

const vars = (extra: Record<string, string> = {}) => ({ ...SIGNING_VARIABLES, ...extra });
const U = 'https://{{dfnsApiDomain}}';

afterEach(() => vi.restoreAllMocks());

async function sign(spec: BrunoRequestSpec, options: BrunoFakeOptions = {}) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const fake = fakeBruno(spec, { variables: vars(), ...options });
  const error = await signOrFail(brunoClient(fake.bru, fake.req), now);
  // The bundle's last line throws what signOrFail settles to: Bruno then does not send the request.
  if (error) fake.threw(error);
  const logs = log.mock.calls.map((c) => String(c[0]));
  log.mockRestore();
  return { ...fake, error, logs, signed: signedFor(fake.exchange), sent: fake.wire() };
}

describe('what is signed is what is sent', () => {
  const cases: [string, BrunoRequestSpec, Record<string, string>?][] = [
    [
      'a JSON body with a mock variable and a non-ASCII variable',
      { url: `${U}/wallets`, json: '{"id":"{{$randomUUID}}","name":"{{walletName}}"}' },
      { walletName: 'ünï 😀' },
    ],
    [
      'a path parameter',
      { method: 'PUT', url: `${U}/wallets/:walletId`, pathParams: [{ name: 'walletId', value: 'wa-{{walletName}}' }], json: '{}' },
      { walletName: 'w1' },
    ],
    [
      'a disabled path parameter, sent as written',
      { method: 'DELETE', url: `${U}/webhooks/:id`, pathParams: [{ name: 'id', value: 'x', enabled: false }] },
    ],
    [
      'a JSON body with spaces around, which axios trims',
      { url: `${U}/wallets`, json: '{{payload}}' },
      { payload: '  {"network":"Bitcoin"}\n' },
    ],
    ['a mock variable in the path and a query', { method: 'DELETE', url: `${U}/webhooks/{{$randomUUID}}?force=true` }],
    ['a text body, sent as written', { url: `${U}/wallets`, body: 'not { json', headers: { 'content-type': 'text/plain' } }],
  ];

  it.each(cases)('%s', async (_name, spec, extra) => {
    const r = await sign(spec, { variables: vars(extra) });
    expect(r.error).toBeUndefined();
    expect(r.signed).toEqual({ method: r.sent!.method, path: r.sent!.path, payload: r.sent!.body });
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(wireHeader(r.sent!, 'X-DFNS-USERACTION')).toBe('ua-1');
  });

  it('a Bearer {{authToken}} of its own (auth mode or header) keeps working', async () => {
    for (const spec of [
      { auth: { mode: 'bearer', token: '{{authToken}}' } },
      { headers: { Authorization: 'Bearer {{authToken}}' } },
    ] as Partial<BrunoRequestSpec>[]) {
      const r = await sign({ url: `${U}/wallets`, json: '{}', ...spec });
      expect(r.error).toBeUndefined();
      expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
    }
  });
});

describe('request()', () => {
  it('resolves the URL once, :name segments by their parameters, and writes nothing', () => {
    const fake = fakeBruno(
      { method: 'put', url: `${U}/wallets/:walletId/tags?x=1`, pathParams: [{ name: 'walletId', value: '{{id}}' }] },
      { variables: vars({ id: 'wa 1' }) },
    );
    const facts = brunoClient(fake.bru, fake.req).request();
    expect(facts.method).toBe('PUT');
    expect(facts.url).toMatchObject({ origin: 'https://api.dfns.io', path: '/wallets/wa%201/tags' });
    expect(fake.req.getUrl()).toBe(`${U}/wallets/:walletId/tags?x=1`);
  });

  it.each([
    ['nothing', {}, undefined],
    ['a bearer auth (a header by then)', { auth: { mode: 'bearer', token: '{{authToken}}' } }, `Bearer ${TOKEN}`],
    ['a header', { headers: { authorization: 'Bearer other' } }, 'Bearer other'],
    ['Basic auth, added after the script', { auth: { mode: 'basic' } }, 'basic'],
    ['OAuth 2, added after the script', { auth: { mode: 'oauth2' } }, 'oauth2'],
  ] as [string, Partial<BrunoRequestSpec>, string | undefined][])('the Authorization it would send: %s', (_name, spec, expected) => {
    const fake = fakeBruno({ url: `${U}/x`, ...spec }, { variables: vars() });
    expect(brunoClient(fake.bru, fake.req).request().authorization).toBe(expected);
  });

  it.each([
    [
      'an empty path parameter',
      { url: `${U}/wallets/:walletId`, pathParams: [{ name: 'walletId', value: '' }] },
      'Give it a value in the Params tab, or the value {{walletId}} and set walletId (--env-var walletId=…)',
    ],
    [
      'one whose variable is blank',
      { url: `${U}/wallets/:walletId`, pathParams: [{ name: 'walletId', value: '{{walletId}}' }] },
      'Give it a value in the Params tab, or the value {{walletId}} and set walletId (--env-var walletId=…)',
    ],
    ['an empty {{variable}} segment', { url: `${U}/wallets/{{walletId}}` }, 'Set walletId (--env-var walletId=…)'],
  ] as [string, BrunoRequestSpec, string][])('%s: unsendable, naming it and how to set it', (_name, spec, fix) => {
    const fake = fakeBruno(spec, { variables: vars({ walletId: ' ' }) });
    const unsendable = brunoClient(fake.bru, fake.req).request().unsendable;
    expect(unsendable?.code).toBe('template-empty');
    expect(unsendable?.message).toBe(`Dfns signer: the path variable walletId is empty. ${fix}`);
  });
});

describe('body()', () => {
  it('resolves the body once, mock variables escaped as Bruno escapes them in a JSON body', () => {
    const fake = fakeBruno({ url: `${U}/x`, json: '{"a":"{{v}}"}' }, { variables: vars({ v: 'x' }) });
    expect(brunoClient(fake.bru, fake.req).body()).toBe('{"a":"x"}');
    expect(brunoClient(fakeBruno({ url: `${U}/x` }).bru, fakeBruno({ url: `${U}/x` }).req).body()).toBe('');
  });

  it('refuses a form or a file: Dfns signs JSON only', () => {
    const fake = fakeBruno({ url: `${U}/x`, body: [{ name: 'a', value: 'b' }] });
    expect(() => brunoClient(fake.bru, fake.req).body()).toThrow(
      expect.objectContaining({
        code: 'body-not-json',
        message: 'Dfns signer: the request body is a form or a file, but Dfns signs JSON bodies only. Set the body to JSON (Body > JSON)',
      }),
    );
  });

  it.each([
    ['a trailing comma', '{"network":"Bitcoin",}'],
    ['text after the object', '{"network":"Bitcoin"} x'],
    ['a byte-order mark', '\ufeff{"network":"Bitcoin"}'],
  ])('refuses a JSON body with %s, which Bruno would send as a quoted JSON string', (name, json) => {
    const fake = fakeBruno({ url: `${U}/x`, json });
    let error: SignerError | undefined;
    try {
      brunoClient(fake.bru, fake.req).body();
    } catch (e) {
      error = e as SignerError;
    }
    expect(error?.code).toBe('body-not-json');
    expect(error?.message).toMatch(
      name === 'a byte-order mark'
        ? /^Dfns signer: the request body starts with a byte-order mark \(U\+FEFF\), so it is not valid JSON \(.+\), which Bruno would send as a quoted JSON string\. Remove the byte-order mark$/
        : /^Dfns signer: the request body is not valid JSON \(.+\), which Bruno would send as a quoted JSON string\. Fix the JSON, or send it as text$/,
    );
    expect(error?.message.split('\n')).toHaveLength(1);
  });
});

describe('unresolved(), freeze(), send(), setHeader(), variable()', () => {
  it('unresolved() finds the first {{reference}} left', () => {
    const fake = fakeBruno({ url: `${U}/x` });
    expect(brunoClient(fake.bru, fake.req).unresolved('a {{b}} {{c}}')).toBe('{{b}}');
  });

  it('freeze() writes the resolved URL and body back, so mock variables keep the value signed', () => {
    const fake = fakeBruno(
      {
        method: 'PUT',
        url: `${U}/w/:id/{{$randomUUID}}`,
        pathParams: [{ name: 'id', value: '{{$randomUUID}}' }],
        json: '{"e":"{{$randomUUID}}"}',
      },
      { variables: vars() },
    );
    const client = brunoClient(fake.bru, fake.req);
    const facts = client.request();
    const body = client.body();
    client.freeze();
    expect(fake.wire()).toMatchObject({ path: facts.url.path, body });
  });

  it('send() asks for the raw text and every status, no redirect, the limit as its timeout; rejects when no answer came', async () => {
    const fake = fakeBruno(
      { url: `${U}/x` },
      {
        dfns: (r) =>
          r.url.endsWith('/down') ? new Error('ECONNREFUSED') : { status: 500, text: '{"error":{}}', headers: { 'Retry-After': '2' } },
      },
    );
    const client = brunoClient(fake.bru, fake.req);
    await expect(
      client.send({ method: 'POST', url: 'https://api.dfns.io/auth/action/init', headers: { A: '1' }, body: '{}' }, 30_000),
    ).resolves.toEqual({ status: 500, text: '{"error":{}}', headers: { 'retry-after': '2' } });
    expect(fake.sendOptions[0]).toMatchObject({ timeout: 30_000, maxRedirects: 0, responseType: 'text', validateStatus: null });
    await expect(client.send({ method: 'POST', url: 'https://api.dfns.io/down', headers: {}, body: '' }, 30_000)).rejects.toThrow(
      'ECONNREFUSED',
    );
  });

  it('setHeader() sets it on the request; variable() reads every scope resolved, blank as unset', () => {
    const fake = fakeBruno({ url: `${U}/x` }, { variables: { a: '{{b}}', b: 'B', blank: '' } });
    const client = brunoClient(fake.bru, fake.req);
    client.setHeader('X-DFNS-USERACTION', 'ua');
    expect(fake.req.getHeaders()['X-DFNS-USERACTION']).toBe('ua');
    expect([client.variable('a'), client.variable('blank'), client.variable('none')]).toEqual(['B', undefined, undefined]);
  });
});

describe('report() and stop()', () => {
  it('the error is thrown by the script, its stack removed so bru run prints the line alone; skipped as well', async () => {
    const r = await sign({ url: `${U}/wallets`, json: '{"a":1,}' });
    expect(r.error?.code).toBe('body-not-json');
    expect(r.error?.stack).toBeUndefined();
    expect(r.skipped()).toBe(true);
    expect(r.sent).toBeUndefined();
    expect(r.exchange).toEqual([]);
  });
});

describe('every refusal of this adapter: thrown once, nothing sent to Dfns', () => {
  const cases: [string, BrunoRequestSpec, Record<string, string>, string][] = [
    [
      'an empty path parameter',
      { method: 'PUT', url: `${U}/wallets/:walletId`, pathParams: [{ name: 'walletId', value: '' }], json: '{}' },
      {},
      'template-empty',
    ],
    ['an empty {{variable}} segment', { method: 'PUT', url: `${U}/wallets/{{walletId}}`, json: '{}' }, { walletId: '' }, 'template-empty'],
    ['a form body', { url: `${U}/wallets`, body: [{ name: 'a' }] }, {}, 'body-not-json'],
    ['a JSON body that is not valid JSON', { url: `${U}/wallets`, json: '{"a":1,}' }, {}, 'body-not-json'],
    [
      'a variable with quotes that breaks the JSON (Bruno inserts variables as they are)',
      { url: `${U}/wallets`, json: '{"name":"{{walletName}}"}' },
      { walletName: 'a "b"' },
      'body-not-json',
    ],
    [
      'a bearer auth with another token',
      { url: `${U}/wallets`, json: '{}', auth: { mode: 'bearer', token: 'other' } },
      {},
      'token-conflict',
    ],
    ['Basic auth', { url: `${U}/wallets`, json: '{}', auth: { mode: 'basic' } }, {}, 'token-conflict'],
    [
      'an Authorization header with another token',
      { url: `${U}/wallets`, json: '{}', headers: { Authorization: 'Bearer other' } },
      {},
      'token-conflict',
    ],
  ];
  it.each(cases)('%s', async (_name, spec, extra, code) => {
    const r = await sign(spec, { variables: vars(extra) });
    expect(r.error?.code).toBe(code);
    expect(r.exchange).toEqual([]);
    expect(r.sent).toBeUndefined();
  });

  it('another host is left alone: an empty parameter, a body that is not JSON, another token', async () => {
    const r = await sign({
      url: 'https://hooks.example.com/x/:id',
      pathParams: [{ name: 'id', value: '' }],
      json: '{"a":1,}',
      headers: { Authorization: 'Bearer theirs' },
    });
    expect(r.error).toBeUndefined();
    expect(r.exchange).toEqual([]);
    expect(r.sent!.body).toBe('"{\\"a\\":1,}"');
  });
});
