// The httpyac adapter over a fake request hook (test/support/fakes/httpyac.ts): each Client method alone,
// every refusal it raises, and whole signings checked against what the fake httpyac then sends.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpyacClient } from '../../../src/clients/httpyac';
import { signOrFail } from '../../../src/flow';
import { now, SIGNING_VARIABLES, signedFor, TOKEN, wireHeader } from '../../support/fakes/dfns';
import { fakeHttpyac, type HttpyacFakeOptions, type HttpyacRequestSpec } from '../../support/fakes/httpyac';

const vars = (extra: Record<string, unknown> = {}) => ({ ...SIGNING_VARIABLES, ...extra });
const U = 'https://{{dfnsApiDomain}}';
const JSON_TYPE = { 'Content-Type': 'application/json' };

afterEach(() => vi.unstubAllGlobals());

async function sign(spec: HttpyacRequestSpec, options: HttpyacFakeOptions = {}) {
  const fake = fakeHttpyac(spec, { variables: vars(), ...options });
  vi.stubGlobal('fetch', fake.fetch);
  const error = await signOrFail(httpyacClient(fake.request, fake.context), now);
  if (error) fake.threw(error); // sign() rejects, and the hook's throw stops the request
  return { ...fake, error, signed: signedFor(fake.exchange), sent: fake.wire() };
}

describe('what is signed is what is sent', () => {
  const cases: [string, HttpyacRequestSpec, Record<string, unknown>?][] = [
    [
      'an inline JSON body',
      { url: `${U}/wallets`, headers: JSON_TYPE, body: '{\n  "name": "{{walletName}}"\n}' },
      { walletName: 'ünï 😀' },
    ],
    [
      'a space and non-ASCII in the path',
      { method: 'PUT', url: `${U}/wallets/{{walletId}}`, headers: JSON_TYPE, body: '{}' },
      { walletId: 'a b/ü' },
    ],
    ['a body from a file (a Buffer, sent as is)', { url: `${U}/wallets`, headers: JSON_TYPE, body: Buffer.from('{"a":"é"}') }],
    ['no body', { method: 'DELETE', url: `${U}/webhooks/wh-1?force=true` }],
  ];

  it.each(cases)('%s', async (_name, spec, extra) => {
    const r = await sign(spec, { variables: vars(extra) });
    expect(r.error).toBeUndefined();
    expect(r.signed).toEqual({ method: r.sent!.method, path: r.sent!.path, payload: r.sent!.body });
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(wireHeader(r.sent!, 'X-DFNS-USERACTION')).toBe('ua-1');
    expect(r.logs.filter((l) => l.startsWith('Dfns signer: signed'))).toHaveLength(1);
  });

  it('an Authorization Bearer {{authToken}} written in the file keeps working', async () => {
    const r = await sign({ url: `${U}/wallets`, headers: { ...JSON_TYPE, authorization: 'Bearer {{authToken}}' }, body: '{}' });
    expect(r.error).toBeUndefined();
    expect(r.sent!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}` });
  });
});

describe('request()', () => {
  it('takes the URL as httpyac substituted it, and its Authorization header', () => {
    const fake = fakeHttpyac(
      { url: `${U}/wallets/{{walletId}}`, headers: { AUTHORIZATION: 'Bearer x' } },
      { variables: vars({ walletId: 'w1' }) },
    );
    const facts = httpyacClient(fake.request, fake.context).request();
    expect(facts.url.path).toBe('/wallets/w1');
    expect(facts.authorization).toBe('Bearer x');
  });

  it("an empty {{variable}} that makes up a path segment: unsendable, naming it (from the .http file's URL)", () => {
    for (const url of [`${U}/wallets/{{walletId}}`, `${U}/wallets/{{ walletId }}/tags`]) {
      const fake = fakeHttpyac({ method: 'PUT', url }, { variables: vars({ walletId: '' }) });
      const unsendable = httpyacClient(fake.request, fake.context).request().unsendable;
      expect(unsendable?.code).toBe('template-empty');
      expect(unsendable?.message).toBe('Dfns signer: the path variable walletId is empty. Set walletId (--var walletId=…)');
    }
  });

  it('a segment only partly a variable, or a JS expression, is not taken for one', () => {
    for (const url of [`${U}/wallets/wa-{{walletId}}`, `${U}/wallets/{{ walletId + '' }}`]) {
      const fake = fakeHttpyac({ url: url.replace("{{ walletId + '' }}", '{{walletId}}') }, { variables: vars({ walletId: '' }) });
      fake.context.httpRegion.request.url = url;
      expect(httpyacClient(fake.request, fake.context).request().unsendable).toBeUndefined();
    }
  });
});

describe('body()', () => {
  it('a string as it is, a Buffer as UTF-8, none as empty', () => {
    const body = (b: string | Uint8Array | undefined) => {
      const fake = fakeHttpyac({ url: 'https://api.dfns.io/x', body: b });
      return httpyacClient(fake.request, fake.context).body();
    };
    expect([body('{"a":1}'), body(Buffer.from('{"é":1}')), body(undefined)]).toEqual(['{"a":1}', '{"é":1}', '']);
  });

  it('refuses a stream or a form: Dfns signs JSON only', () => {
    const fake = fakeHttpyac({ url: 'https://api.dfns.io/x' });
    fake.request.body = [{ name: 'a' }];
    expect(() => httpyacClient(fake.request, fake.context).body()).toThrow(
      expect.objectContaining({
        code: 'body-not-json',
        message:
          'Dfns signer: the request body is a stream or a form, but Dfns signs JSON bodies only. Set the body to JSON written in the .http file, or <@ ./body.json',
      }),
    );
  });
});

describe('unresolved(), freeze(), send(), setHeader(), variable(), report(), stop()', () => {
  it('unresolved() finds a {{reference}}', () => {
    const fake = fakeHttpyac({ url: 'https://api.dfns.io/x' });
    expect(httpyacClient(fake.request, fake.context).unresolved('/a/{{b}}')).toBe('{{b}}');
  });

  it('freeze() writes back the URL and body it read', () => {
    const fake = fakeHttpyac({ url: 'https://api.dfns.io/x', body: Buffer.from('{}') });
    const client = httpyacClient(fake.request, fake.context);
    client.request();
    client.body();
    client.freeze();
    expect(fake.request.body).toBe('{}');
  });

  it('send() uses fetch; every status resolves, no answer rejects', async () => {
    const fake = fakeHttpyac(
      { url: 'https://api.dfns.io/x' },
      { dfns: (r) => (r.url.endsWith('/down') ? new Error('ECONNREFUSED') : { status: 429, text: 'slow' }) },
    );
    vi.stubGlobal('fetch', fake.fetch);
    const client = httpyacClient(fake.request, fake.context);
    await expect(
      client.send({ method: 'POST', url: 'https://api.dfns.io/auth/action/init', headers: {}, body: '{}' }, 30_000),
    ).resolves.toEqual({
      status: 429,
      text: 'slow',
      headers: {},
    });
    expect(fake.sendOptions[0]).toMatchObject({ redirect: 'manual', signal: expect.any(AbortSignal) });
    await expect(client.send({ method: 'POST', url: 'https://api.dfns.io/down', headers: {}, body: '' }, 30_000)).rejects.toThrow(
      'ECONNREFUSED',
    );
  });

  it('setHeader() replaces a header written in another case; variable() takes blank for unset', () => {
    const fake = fakeHttpyac({ url: 'https://api.dfns.io/x', headers: { authorization: 'old' } }, { variables: { n: 5, blank: ' ' } });
    const client = httpyacClient(fake.request, fake.context);
    client.setHeader('Authorization', 'new');
    expect(fake.request.headers).toEqual({ Accept: '*/*', 'User-Agent': 'httpyac', Authorization: 'new' });
    expect([client.variable('n'), client.variable('blank'), client.variable('none')]).toEqual(['5', undefined, undefined]);
  });

  it('report() adds nothing (httpyac prints the thrown error); stop() asks the hook to throw', async () => {
    const fake = fakeHttpyac({ url: 'https://api.dfns.io/x' });
    const client = httpyacClient(fake.request, fake.context);
    const error = new Error('x') as never;
    client.report(error);
    expect(client.stop(error)).toBe('throw');
    expect(fake.logs).toEqual([]);
  });
});

describe('every refusal of this adapter: thrown, nothing sent to Dfns', () => {
  const cases: [string, HttpyacRequestSpec, Record<string, unknown>, string, RegExp][] = [
    [
      'an empty {{variable}} segment',
      { method: 'PUT', url: `${U}/wallets/{{walletId}}`, body: '{}' },
      { walletId: '' },
      'template-empty',
      /walletId is empty/,
    ],
    [
      'a stray % in the path, which httpyac could not send (URI malformed)',
      { url: `${U}/wallets/a%b/tags`, body: '{}' },
      {},
      'url-malformed',
      /holds a % not followed by two hex digits/,
    ],
    [
      'an Authorization header with another token',
      { url: `${U}/wallets`, headers: { Authorization: 'Bearer other' }, body: '{}' },
      {},
      'token-conflict',
      /or set it to Bearer \{\{authToken\}\}$/,
    ],
  ];
  it.each(cases)('%s', async (_name, spec, extra, code, message) => {
    const r = await sign(spec, { variables: vars(extra) });
    expect(r.error?.code).toBe(code);
    expect(r.error?.message).toMatch(message);
    expect(r.exchange).toEqual([]);
    expect(r.sent).toBeUndefined();
  });
});
