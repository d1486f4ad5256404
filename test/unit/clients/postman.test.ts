// The Postman adapter (Postman app, newman, the Postman CLI, Apidog) over a fake `pm` (test/support/fakes/postman.ts):
// each Client method alone, every refusal it raises, and whole signings checked against what the fake runtime
// then sends: what is signed is what is sent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postmanClient } from '../../../src/clients/postman';
import { signOrFail } from '../../../src/flow';
import { now, PEM, SIGNING_VARIABLES, signedFor, TOKEN, wireHeader } from '../../support/fakes/dfns';
import { type Flavour, fakePostman, type PostmanFakeOptions, type PostmanRequestSpec } from '../../support/fakes/postman';

const FLAVOURS: Flavour[] = ['newman', 'postman-app', 'apidog'];
const JSON_BODY = (raw: string) => ({ mode: 'raw', raw, language: 'json' });
const vars = (extra: Record<string, string> = {}) => ({ ...SIGNING_VARIABLES, ...extra });

afterEach(() => vi.restoreAllMocks());

async function sign(spec: PostmanRequestSpec, options: PostmanFakeOptions = {}) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const fake = fakePostman(spec, { variables: vars(), ...options });
  const error = await signOrFail(postmanClient(fake.pm), now);
  const logs = log.mock.calls.map((c) => String(c[0]));
  log.mockRestore();
  return { ...fake, error, logs, signed: signedFor(fake.exchange), sent: fake.wire() };
}

/** The failed tests the adapter recorded, i.e. the refusals the user sees. */
const failures = (r: Awaited<ReturnType<typeof sign>>) => r.tests.filter((t) => !t.passed).map((t) => t.name);

describe.each(FLAVOURS)('%s: what is signed is what is sent', (flavour) => {
  const cases: [string, PostmanRequestSpec, Record<string, string>?][] = [
    [
      'a JSON body with a dynamic variable',
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{"externalId":"{{$randomUUID}}","name":"{{walletName}}"}') },
      { walletName: 'ünï 😀' },
    ],
    [
      'a path variable',
      {
        method: 'PUT',
        url: 'https://{{dfnsApiDomain}}/wallets/:walletId',
        pathVariables: { walletId: 'wa-{{$randomInt}}' },
        body: JSON_BODY('{}'),
      },
    ],
    [
      'a path variable with a suffix',
      {
        method: 'PUT',
        url: 'https://{{dfnsApiDomain}}/wallets/:walletId.json/tags',
        pathVariables: { walletId: 'wa-1' },
        body: JSON_BODY('{}'),
      },
    ],
    ['a :name no path variable fills, sent as written', { method: 'DELETE', url: 'https://{{dfnsApiDomain}}/webhooks/:webhookId' }],
    [
      'a dynamic variable in the path and a query',
      { method: 'DELETE', url: 'https://{{dfnsApiDomain}}/webhooks/{{$randomUUID}}?force=true' },
    ],
    [
      'JSON comments, stripped by the runtime',
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{\n  // c\n  "a": "x//y", /* b */ "n": 1\n}') },
    ],
    [
      'a text body with comment-like text, sent as written',
      { url: 'https://{{dfnsApiDomain}}/wallets', body: { mode: 'raw', raw: '{"a": 1} // not JSON', language: 'text' } },
    ],
    [
      'a space and non-ASCII in the path',
      { method: 'PUT', url: 'https://{{dfnsApiDomain}}/wallets/:walletId', pathVariables: { walletId: 'a b/ü' }, body: JSON_BODY('{}') },
    ],
  ];

  it.each(cases)('%s', async (_name, spec, extra) => {
    const r = await sign(spec, { flavour, variables: vars(extra) });
    expect(failures(r)).toEqual([]);
    expect(r.sent).toBeDefined();
    expect(r.signed).toEqual({ method: r.sent!.method, path: r.sent!.path, payload: r.sent!.body });
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(wireHeader(r.sent!, 'X-DFNS-USERACTION')).toBe('ua-1');
    expect(r.logs.filter((l) => l.startsWith('Dfns signer: signed'))).toHaveLength(1);
  });

  it('a request of its own Bearer {{authToken}} auth keeps it: signed, the token sent once', async () => {
    const r = await sign(
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}'), auth: { type: 'bearer', token: '{{authToken}}' } },
      { flavour },
    );
    expect(failures(r)).toEqual([]);
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('an Authorization header {{authToken}} set by hand keeps working', async () => {
    const r = await sign(
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}'), headers: [['Authorization', 'Bearer {{authToken}}']] },
      { flavour },
    );
    expect(failures(r)).toEqual([]);
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
  });
});

describe('request()', () => {
  it('resolves the URL once, path variables substituted, and writes nothing', () => {
    const fake = fakePostman(
      {
        method: 'put',
        url: 'https://{{dfnsApiDomain}}:443/wallets/:walletId/tags?x={{walletName}}',
        pathVariables: { walletId: 'wa-{{walletName}}' },
      },
      { variables: vars({ walletName: 'w1' }) },
    );
    const facts = postmanClient(fake.pm).request();
    expect(facts.method).toBe('PUT');
    expect(facts.url).toMatchObject({
      origin: 'https://api.dfns.io',
      path: '/wallets/wa-w1/tags',
      href: 'https://api.dfns.io:443/wallets/wa-w1/tags?x=w1',
    });
    expect(fake.request.url.path).toEqual(['wallets', ':walletId', 'tags']);
    expect(fake.request.auth).toBeUndefined();
  });

  it.each([
    ['no auth of its own and no header', {}, undefined],
    ['a header', { headers: [['authorization', 'Bearer {{authToken}}']] }, `Bearer ${TOKEN}`],
    ['a disabled header', { headers: [['Authorization', 'Bearer x', true]] }, undefined],
    [
      'its own Bearer auth, which wins over a header',
      { auth: { type: 'bearer', token: '{{authToken}}' }, headers: [['Authorization', 'Bearer x']] },
      `Bearer ${TOKEN}`,
    ],
    ['Basic auth', { auth: { type: 'basic' } }, 'basic'],
    ['No Auth and a header', { auth: { type: 'noauth' }, headers: [['Authorization', 'Bearer y']] }, 'Bearer y'],
    ["Apidog's explicit inherit, which applies nothing", { auth: { type: 'inherit' } }, undefined],
  ] as [string, Partial<PostmanRequestSpec>, string | undefined][])('the Authorization it would send: %s', (_name, spec, expected) => {
    const fake = fakePostman({ url: 'https://api.dfns.io/wallets', ...spec }, { variables: vars() });
    expect(postmanClient(fake.pm).request().authorization).toBe(expected);
  });

  it.each([
    ['an empty path variable', { url: 'https://api.dfns.io/wallets/:walletId', pathVariables: { walletId: '' } }, 'walletId', true],
    ['a blank one', { url: 'https://api.dfns.io/wallets/:walletId', pathVariables: { walletId: '  ' } }, 'walletId', true],
    [
      'one whose variable is empty',
      { url: 'https://api.dfns.io/wallets/:walletId', pathVariables: { walletId: '{{walletId}}' } },
      'walletId',
      true,
    ],
    ['a {{variable}} segment that is empty', { url: 'https://api.dfns.io/wallets/{{walletId}}/tags' }, 'walletId', false],
  ] as [string, PostmanRequestSpec, string, boolean][])('%s: unsendable, naming it and how to set it', (_name, spec, name, param) => {
    const facts = postmanClient(fakePostman(spec, { variables: vars({ walletId: '' }) }).pm).request();
    expect(facts.unsendable?.code).toBe('template-empty');
    expect(facts.unsendable?.message).toBe(
      param
        ? `Dfns signer: the path variable ${name} is empty. Give it a value in the Params tab, or the value {{${name}}} and set ${name} (--env-var ${name}=…)`
        : `Dfns signer: the path variable ${name} is empty. Set ${name} (--env-var ${name}=…)`,
    );
  });
});

describe('body()', () => {
  it('resolves the raw body once; none, a disabled one or an empty one is empty', () => {
    const fake = fakePostman(
      { url: 'https://api.dfns.io/wallets', body: JSON_BODY('{"n":"{{walletName}}"}') },
      { variables: vars({ walletName: 'w' }) },
    );
    expect(postmanClient(fake.pm).body()).toBe('{"n":"w"}');
    expect(fake.request.body!.raw).toBe('{"n":"{{walletName}}"}');
    for (const body of [undefined, { ...JSON_BODY('{}'), disabled: true }, { mode: '' }])
      expect(postmanClient(fakePostman({ url: 'https://api.dfns.io/x', body }).pm).body()).toBe('');
  });

  it('strips comments as the runtime does: JSON language, or no language and a JSON Content-Type', () => {
    const raw = '{"a":1 /* c */}';
    const body = (spec: Partial<PostmanRequestSpec>) => postmanClient(fakePostman({ url: 'https://api.dfns.io/x', ...spec }).pm).body();
    expect(body({ body: JSON_BODY(raw) })).toBe('{"a":1 }');
    expect(body({ body: { mode: 'raw', raw, language: 'text' }, headers: [['Content-Type', 'application/json']] })).toBe(raw);
    expect(body({ body: { mode: 'raw', raw }, headers: [['Content-Type', 'application/vnd.api+json']] })).toBe('{"a":1 }');
    expect(body({ body: { mode: 'raw', raw } })).toBe(raw);
  });

  it('signs a form of data and file over data, resolved once and written back (key-store outputs)', () => {
    const formdata: NonNullable<NonNullable<PostmanRequestSpec['body']>['formdata']> = [
      { key: 'data', value: '{"id":"{{$randomUUID}}","fileChecksum":"ab"}', type: 'text' },
      { key: 'file', type: 'file' },
      { key: 'note', value: 'off', type: 'text', disabled: true },
    ];
    const client = postmanClient(fakePostman({ url: 'https://api.dfns.io/x', body: { mode: 'formdata', formdata } }).pm);
    const signed = client.body();
    expect(signed).toMatch(/^\{"id":"[0-9a-f-]{36}","fileChecksum":"ab"\}$/);
    client.freeze();
    expect(formdata[0].value).toBe(signed);
  });

  it("Apidog: a form's data resolved ahead, its dynamic values included", async () => {
    const formdata = [
      { key: 'data', value: '{"id":"{{$string.uuid}}"}', type: 'text' as const },
      { key: 'file', type: 'file' as const },
    ];
    const client = postmanClient(
      fakePostman({ url: 'https://api.dfns.io/x', body: { mode: 'formdata', formdata } }, { flavour: 'apidog' }).pm,
    );
    await client.prepare?.();
    expect(client.body()).toMatch(/^\{"id":"[0-9a-f-]{36}"\}$/);
  });

  it.each([
    [
      'the field note',
      [
        { key: 'data', value: '{}', type: 'text' as const },
        { key: 'note', value: 'x', type: 'text' as const },
      ],
    ],
    ['no field data', [{ key: 'file', type: 'file' as const }]],
    ['a file as data', [{ key: 'data', type: 'file' as const }]],
  ])('refuses a form with %s', (what, formdata) => {
    const client = postmanClient(fakePostman({ url: 'https://api.dfns.io/x', body: { mode: 'formdata', formdata } }).pm);
    expect(() => client.body()).toThrow(
      expect.objectContaining({ code: 'body-not-json', message: expect.stringContaining(`a form with ${what}`) }),
    );
  });

  it.each(['urlencoded', 'file', 'graphql'])('refuses a %s body: Dfns signs JSON only', (mode) => {
    const client = postmanClient(fakePostman({ url: 'https://api.dfns.io/x', body: { mode } }).pm);
    expect(() => client.body()).toThrow(
      expect.objectContaining({
        code: 'body-not-json',
        message: `Dfns signer: the request body is ${mode}, but Dfns signs JSON bodies only. Set the body to raw JSON (Body > raw > JSON)`,
      }),
    );
  });
});

describe('unresolved()', () => {
  it('finds the first {{reference}} left', () => {
    const client = postmanClient(fakePostman({ url: 'https://api.dfns.io/x' }).pm);
    expect(client.unresolved('/wallets/{{walletId}}/{{x}}')).toBe('{{walletId}}');
    expect(client.unresolved('/wallets/w1')).toBeUndefined();
  });
});

describe('freeze()', () => {
  it('writes back the resolved path, path variables and body, so dynamic values keep the value signed', () => {
    const fake = fakePostman({
      method: 'PUT',
      url: 'https://api.dfns.io/w/{{$randomUUID}}/:id',
      pathVariables: { id: '{{$randomUUID}}' },
      body: JSON_BODY('{"e":"{{$randomUUID}}"}'),
    });
    const client = postmanClient(fake.pm);
    const facts = client.request();
    const body = client.body();
    client.freeze();
    const sent = fake.wire()!;
    expect(sent.path).toBe(facts.url.path);
    expect(sent.body).toBe(body);
  });

  it("pins No Auth on a request that inherits its auth, so the folder's or collection's cannot replace the token (newman)", async () => {
    const r = await sign({
      url: 'https://{{dfnsApiDomain}}/wallets',
      body: JSON_BODY('{}'),
      inherited: { type: 'bearer', token: 'another-token' },
    });
    expect(failures(r)).toEqual([]);
    expect(r.request.auth?.type).toBe('noauth');
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('leaves an auth setting of its own alone', () => {
    const fake = fakePostman({ url: 'https://api.dfns.io/wallets', auth: { type: 'bearer', token: '{{authToken}}' } });
    postmanClient(fake.pm).freeze();
    expect(fake.request.auth?.type).toBe('bearer');
  });
});

describe('send(), setHeader(), variable()', () => {
  it('send() goes through pm.sendRequest and settles with the status and text; a transport error rejects', async () => {
    const fake = fakePostman(
      { url: 'https://api.dfns.io/x' },
      { dfns: (r) => (r.url.endsWith('/fail') ? new Error('ECONNREFUSED') : { status: 401, text: 'no' }) },
    );
    const client = postmanClient(fake.pm);
    await expect(
      client.send({ method: 'POST', url: 'https://api.dfns.io/auth/action/init', headers: { A: '1' }, body: '{}' }, 30_000),
    ).resolves.toEqual({ status: 401, text: 'no', headers: {} });
    expect(fake.exchange[0]).toEqual({ method: 'POST', url: 'https://api.dfns.io/auth/action/init', headers: { A: '1' }, body: '{}' });
    await expect(client.send({ method: 'POST', url: 'https://api.dfns.io/fail', headers: {}, body: '' }, 30_000)).rejects.toThrow(
      'ECONNREFUSED',
    );
  });

  it('setHeader() replaces a header of that name in any case, or adds it', () => {
    const fake = fakePostman({ url: 'https://api.dfns.io/x', headers: [['authorization', 'old']] });
    const client = postmanClient(fake.pm);
    client.setHeader('Authorization', 'new');
    client.setHeader('X-DFNS-USERACTION', 'ua');
    expect(fake.wire()!.headers).toEqual({ authorization: 'new', 'X-DFNS-USERACTION': 'ua' });
  });

  it('variable() resolves nested references, and takes a blank value for unset', () => {
    const client = postmanClient(fakePostman({ url: 'https://api.dfns.io/x' }, { variables: { a: '{{b}}', b: 'B', blank: ' ' } }).pm);
    expect([client.variable('a'), client.variable('blank'), client.variable('none')]).toEqual(['B', undefined, undefined]);
  });
});

describe('report() and stop()', () => {
  it('newman and the Postman app: one failed test with the line, the request skipped, the run failed', async () => {
    for (const flavour of ['newman', 'postman-app'] as Flavour[]) {
      const r = await sign({ url: 'https://{{dfnsApiDomain}}/wallets', body: { mode: 'urlencoded' } }, { flavour });
      expect(failures(r)).toEqual([
        'Dfns signer: the request body is urlencoded, but Dfns signs JSON bodies only. Set the body to raw JSON (Body > raw > JSON)',
      ]);
      expect(r.error).toBeUndefined();
      expect(r.skipped()).toBe(true);
      expect(r.sent).toBeUndefined();
    }
  });

  it('Apidog, which has no skip: the request is pointed at a host under .invalid, which never resolves', async () => {
    const r = await sign({ url: 'https://{{dfnsApiDomain}}/wallets', body: { mode: 'urlencoded' } }, { flavour: 'apidog' });
    expect(failures(r)).toHaveLength(1);
    expect(r.sent!.origin).toBe('https://dfns-signer-refused.invalid');
  });
});

describe('every refusal of this adapter, reported once and nothing sent to Dfns', () => {
  const cases: [string, PostmanRequestSpec, Record<string, string>, string, RegExp][] = [
    [
      'an empty path variable',
      { method: 'PUT', url: 'https://{{dfnsApiDomain}}/wallets/:walletId', pathVariables: { walletId: '' }, body: JSON_BODY('{}') },
      {},
      'template-empty',
      /the path variable walletId is empty/,
    ],
    [
      'an empty {{variable}} segment',
      { method: 'PUT', url: 'https://{{dfnsApiDomain}}/wallets/{{walletId}}', body: JSON_BODY('{}') },
      { walletId: '' },
      'template-empty',
      /the path variable walletId is empty/,
    ],
    [
      'a form body',
      { url: 'https://{{dfnsApiDomain}}/wallets', body: { mode: 'urlencoded' } },
      {},
      'body-not-json',
      /the request body is urlencoded/,
    ],
    [
      'its own Bearer auth with another token',
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}'), auth: { type: 'bearer', token: 'another' } },
      {},
      'token-conflict',
      /Bearer \{\{authToken\}\}$/,
    ],
    [
      'Basic auth',
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}'), auth: { type: 'basic' } },
      {},
      'token-conflict',
      /is not Bearer authToken/,
    ],
    [
      'an Authorization header with another token',
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}'), headers: [['Authorization', 'Bearer another']] },
      {},
      'token-conflict',
      /is not Bearer authToken/,
    ],
  ];
  it.each(cases)('%s', async (_name, spec, extra, code, message) => {
    for (const flavour of FLAVOURS) {
      const r = await sign(spec, { flavour, variables: vars(extra) });
      expect(failures(r), flavour).toEqual([expect.stringMatching(message)]);
      expect(r.exchange).toEqual([]);
      expect(r.sent === undefined || r.sent.origin === 'https://dfns-signer-refused.invalid').toBe(true);
      expect(code).toMatch(/^[a-z-]+$/);
    }
  });

  it('a GET with an empty path variable is refused too: it could only reach the wrong path', async () => {
    const r = await sign({ method: 'GET', url: 'https://{{dfnsApiDomain}}/wallets/:walletId', pathVariables: { walletId: '' } });
    expect(failures(r)).toEqual([expect.stringMatching(/the path variable walletId is empty/)]);
  });

  it('another host is left alone, even with an empty path variable or another token', async () => {
    const r = await sign({
      url: 'https://hooks.example.com/x/:id',
      pathVariables: { id: '' },
      headers: [['Authorization', 'Bearer theirs']],
      body: JSON_BODY('{}'),
    });
    expect(failures(r)).toEqual([]);
    expect(r.exchange).toEqual([]);
    expect(wireHeader(r.sent!, 'Authorization')).toBe('Bearer theirs');
  });
});

describe('Postman Vault and Apidog', () => {
  it('the Postman app: the key from the vault when the variable is unset, and the missing-key line names the vault', async () => {
    const { credentialPrivateKey, ...noKey } = vars();
    const fromVault = await sign(
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}') },
      { flavour: 'postman-app', variables: noKey, vault: { credentialPrivateKey: PEM } },
    );
    expect(failures(fromVault)).toEqual([]);
    const missing = await sign(
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}') },
      { flavour: 'postman-app', variables: noKey },
    );
    expect(failures(missing)[0]).toContain('(or, in the Postman app, a vault secret of that name)');
  });

  it.each(['newman', 'apidog'] as Flavour[])('%s: the missing-key line does not mention Postman Vault', async (flavour) => {
    const { credentialPrivateKey, ...noKey } = vars();
    const r = await sign({ url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}') }, { flavour, variables: noKey });
    expect(failures(r)).toEqual([
      expect.stringMatching(
        /^Dfns signer: credentialPrivateKey is not set, and POST \/wallets needs a user action\. Set the variable credentialPrivateKey to the private key/,
      ),
    ]);
    expect(failures(r)[0]).not.toMatch(/vault/i);
  });

  it('Apidog: its own dynamic values ({{$string.uuid}}) are resolved before signing, and sent as signed', async () => {
    const r = await sign({ url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{"id":"{{$string.uuid}}"}') }, { flavour: 'apidog' });
    expect(failures(r)).toEqual([]);
    expect(r.signed!.payload).toMatch(/^\{"id":"00000000-/);
    expect(r.sent!.body).toBe(r.signed!.payload);
  });

  it("Apidog: a folder's or collection's Bearer auth, which Apidog applies after the script and sends unresolved, cannot be seen or pinned (documented limitation)", async () => {
    const r = await sign(
      { url: 'https://{{dfnsApiDomain}}/wallets', body: JSON_BODY('{}'), inherited: { type: 'bearer', token: '{{authToken}}' } },
      { flavour: 'apidog' },
    );
    expect(failures(r)).toEqual([]);
    expect(wireHeader(r.sent!, 'Authorization')).toBe('Bearer {{authToken}}');
  });
});
