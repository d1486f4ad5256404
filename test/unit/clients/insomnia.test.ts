// The Insomnia adapters, the pre-request script's and the plugin's, over fakes of what Insomnia hands them
// (test/support/fakes/insomnia.ts): an empty path parameter, an Authorization with another token, what only
// matters to a Dfns request, and whole signings checked against what the fake Insomnia then sends.
// Insomnia's URL encoding has its own tests (insomnia-url.test.ts) and the harness its end-to-end ones.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HttpRequest } from '../../../src/clients/client';
import { insomniaClient } from '../../../src/clients/insomnia';
import { insomniaPluginClient } from '../../../src/clients/insomnia-plugin';
import { signOrFail } from '../../../src/flow';
import { acceptingDfns, now, SIGNING_VARIABLES, signedFor, TOKEN, wireHeader } from '../../support/fakes/dfns';
import { fakeInsomniaHook, fakeInsomniaScript, type InsomniaHookSpec, type InsomniaScriptSpec } from '../../support/fakes/insomnia';

const env = (extra: Record<string, unknown> = {}) => ({ ...SIGNING_VARIABLES, ...extra });
const U = 'https://{{ _.dfnsApiDomain }}';

afterEach(() => vi.restoreAllMocks());

async function script(spec: InsomniaScriptSpec, environment = env()) {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const fake = fakeInsomniaScript(spec, { environment });
  const error = await signOrFail(insomniaClient(fake.insomnia), now);
  if (error) fake.threw(error); // the bundle's last line throws it: Insomnia does not send the request
  return { ...fake, error, signed: signedFor(fake.exchange), sent: fake.wire() };
}

async function hook(spec: InsomniaHookSpec) {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const fake = fakeInsomniaHook({ ...spec, environment: spec.environment ?? env() });
  const exchange: HttpRequest[] = [];
  const transport = async (r: HttpRequest) => {
    exchange.push(r);
    const answer = acceptingDfns(r);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const error = await signOrFail(insomniaPluginClient(fake.context, transport), now);
  return { ...fake, error, exchange, signed: signedFor(exchange), sent: error ? undefined : fake.wire() };
}

describe("Insomnia's pre-request script", () => {
  it('signs what Insomnia sends: a path parameter, a {{ _.variable }}, the body rendered', async () => {
    const r = await script(
      {
        method: 'PUT',
        url: `${U}/wallets/:walletId/{{ _.sub }}`,
        pathParameters: [{ name: 'walletId', value: 'wa 1' }],
        body: { mode: 'raw', raw: '{"n":"{{ _.name }}"}' },
      },
      env({ sub: 'tags', name: 'ü' }),
    );
    expect(r.error).toBeUndefined();
    expect(r.signed).toEqual({ method: r.sent!.method, path: r.sent!.path, payload: r.sent!.body });
    expect(r.signed!.path).toBe('/wallets/wa%201/tags');
    expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('its own Bearer auth with {{ _.authToken }} keeps working; a header wins over the auth setting', async () => {
    for (const auth of [{ type: 'bearer', token: '{{ _.authToken }}' }]) {
      const r = await script({ url: `${U}/wallets`, body: { mode: 'raw', raw: '{}' }, auth });
      expect(r.error).toBeUndefined();
      expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
    }
    const header = await script({
      url: `${U}/wallets`,
      body: { mode: 'raw', raw: '{}' },
      headers: { Authorization: 'Bearer {{ _.authToken }}' },
      auth: { type: 'bearer', token: 'other' },
    });
    expect(header.error).toBeUndefined();
  });

  it.each([
    [
      'an empty path parameter',
      { url: `${U}/wallets/:walletId`, pathParameters: [{ name: 'walletId', value: '' }] },
      'Give it a value in the Params tab, or the value {{ _.walletId }} and set walletId in the environment',
    ],
    ['an empty {{ _.variable }} segment', { url: `${U}/wallets/{{ _.walletId }}` }, 'Set walletId in the environment'],
  ] as [string, InsomniaScriptSpec, string][])('refuses %s, naming it, before anything is sent', async (_name, spec, fix) => {
    const r = await script({ method: 'PUT', body: { mode: 'raw', raw: '{}' }, ...spec }, env({ walletId: '' }));
    expect(r.error?.message).toBe(`Dfns signer: the path variable walletId is empty. ${fix}`);
    expect(r.exchange).toEqual([]);
    expect(r.sent).toBeUndefined();
  });

  it.each([
    ['an Authorization header with another token', { headers: { Authorization: 'Bearer other' } }],
    ['a Bearer auth with another token', { auth: { type: 'bearer', token: 'other' } }],
    ['a Bearer auth with no token', { auth: { type: 'bearer' } }],
    ['Basic auth', { auth: { type: 'basic' } }],
  ] as [string, Partial<InsomniaScriptSpec>][])('refuses %s, writing the reference as Insomnia does', async (_name, spec) => {
    const r = await script({ url: `${U}/wallets`, body: { mode: 'raw', raw: '{}' }, ...spec });
    expect(r.error?.code).toBe('token-conflict');
    expect(r.error?.message).toMatch(/or set it to Bearer \{\{ _\.authToken \}\}$/);
    expect(r.exchange).toEqual([]);
  });

  it("leaves another host alone, whatever would stop a Dfns request: a random URL, a ', an empty parameter, another token", async () => {
    let n = 0;
    const fake = fakeInsomniaScript(
      {
        url: "https://hooks.example.com/it's/:id/{% uuid %}",
        pathParameters: [{ name: 'id', value: '' }],
        headers: { Authorization: 'Bearer theirs' },
        body: { mode: 'raw', raw: '{}' },
      },
      { environment: env() },
    );
    fake.insomnia.variables.replaceIn = (t: string) => t.replace('{% uuid %}', String(++n));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = await signOrFail(insomniaClient(fake.insomnia), now);
    expect(error).toBeUndefined();
    expect(fake.exchange).toEqual([]);
  });

  it('reference() writes {{ _.name }}', () => {
    expect(insomniaClient(fakeInsomniaScript({ url: U }).insomnia).reference!('authToken')).toBe('{{ _.authToken }}');
  });
});

describe("Insomnia's plugin (request hook)", () => {
  it('signs the rendered request as Insomnia sends it; its own Bearer auth of authToken kept', async () => {
    for (const authentication of [undefined, { type: 'bearer', token: TOKEN }]) {
      const r = await hook({
        url: 'https://api.dfns.io/wallets/wa%201',
        body: { mimeType: 'application/json', text: '{"a":1}' },
        authentication,
      });
      expect(r.error).toBeUndefined();
      expect(r.signed).toEqual({ method: r.sent!.method, path: r.sent!.path, payload: r.sent!.body });
      expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
    }
  });

  it('refuses a path parameter Insomnia left unrendered (it had no value), naming it', async () => {
    const r = await hook({ method: 'PUT', url: 'https://api.dfns.io/wallets/:walletId', body: { text: '{}' } });
    expect(r.error?.code).toBe('template-empty');
    expect(r.error?.message).toBe(
      'Dfns signer: the path variable walletId is empty. Give it a value in the Params tab, or the value {{ _.walletId }} and set walletId in the environment',
    );
    expect(r.alerts).toEqual([r.error?.message]);
    expect(r.exchange).toEqual([]);
  });

  it.each([
    ['an Authorization header with another token', { headers: { Authorization: 'Bearer other' } }],
    ['a Bearer auth with another token', { authentication: { type: 'bearer', token: 'other' } }],
    ['Basic auth', { authentication: { type: 'basic' } }],
  ] as [string, Partial<InsomniaHookSpec>][])('refuses %s before the exchange', async (_name, spec) => {
    const r = await hook({ url: 'https://api.dfns.io/wallets', body: { text: '{}' }, ...spec });
    expect(r.error?.code).toBe('token-conflict');
    expect(r.error?.message).toMatch(/or set it to Bearer \{\{ _\.authToken \}\}$/);
    expect(r.exchange).toEqual([]);
  });

  it('a disabled auth, or a header of authToken beside another auth, signs (the header wins in Insomnia)', async () => {
    for (const spec of [
      { authentication: { type: 'basic', disabled: true } },
      { headers: { Authorization: `Bearer ${TOKEN}` }, authentication: { type: 'basic' } },
    ] as Partial<InsomniaHookSpec>[]) {
      const r = await hook({ url: 'https://api.dfns.io/wallets', body: { text: '{}' }, ...spec });
      expect(r.error).toBeUndefined();
      expect(wireHeader(r.sent!, 'Authorization')).toBe(`Bearer ${TOKEN}`);
    }
  });
});
