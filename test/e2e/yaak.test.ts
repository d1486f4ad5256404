// Yaak, which has no pre-request scripts: the Dfns signer as an authentication plugin
// (dist/yaak-plugin-dfns-signer, built from src/yaak-plugin/) in the real Yaak CLI 2026.8.1
// (test/clients; facts in test/clients/yaak.md), against the local Dfns emulator and a third-party API.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/collections/files.mjs';
import { YAAK_WORKSPACE } from '../../scripts/collections/yaak.mjs';
import { nodeTransport } from '../../src/clients/node-transport';
import { useLab } from '../support/lab';
import {
  expectNoExchangeElsewhere,
  expectSignedAsPlanned,
  LIMIT_SECONDS,
  mainRedirect,
  networkRequests,
  REFUSED,
  RETRY_LINES,
  setNetworkFaults,
} from '../support/network';
import { noDfnsIn } from '../support/third-party';
import { AUTH, workspaceExport, type YaakLab, type YaakRequestSpec, yaakLab } from '../support/yaak';

const lab = useLab();
const SIGNER_FAILED = /^Error: Failed to prepare request before send: Failed to apply authentication plugin: Plugin error: Dfns signer: /;

/** A server that answers every request with a redirect to the third-party API, recording what reached it. */
async function startRedirector(target: () => string) {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(307, { location: `http://${target()}/landed`, connection: 'close' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the Yaak plugin in the Yaak CLI', { timeout: 120_000 }, () => {
  let yaak: YaakLab;
  let ids: Record<string, string> = {};
  let environments: Record<string, string> = {};
  let redirector: Awaited<ReturnType<typeof startRedirector>>;
  let other: { token: string; pem: string };
  const file = () => join(yaak.dir, 'upload.bin');

  // Every request of the workspace; its auth (the plugin, no arguments) and variables (base environment) are the workspace's.
  const requests = (): YaakRequestSpec[] => [
    { name: 'get', method: 'GET', url: '${[ dfnsApiDomain ]}/wallets?limit=2' },
    {
      name: 'post',
      method: 'POST',
      url: 'http://${[ dfnsApiDomain ]}/wallets',
      // An empty Authorization the plugin fills in, between neighbours that must stay.
      headers: { 'X-Before': 'b', Authorization: '', 'X-After': 'a' },
      // Rendered by Yaak before the plugin runs; an escaped \${[ is sent as the text ${[, and signed as such.
      json: '{"network":"EthereumSepolia","name":"${[ walletName ]}","note":"\\${[ not a variable ]}"}',
    },
    {
      name: 'put',
      method: 'PUT',
      url: 'http://${[ dfnsApiDomain ]}/wallets/:walletId',
      pathParams: { walletId: 'wa 1/ü' },
      json: '{"name":"renamed"}',
    },
    { name: 'delete', method: 'DELETE', url: 'http://${[ dfnsApiDomain ]}/webhooks/wh-1', json: '{}' },
    { name: 'quote', method: 'POST', url: 'http://${[ dfnsApiDomain ]}/swaps/quotes', json: '{"amount":"1"}' },
    { name: 'partner post', method: 'POST', url: 'http://${[ partnerHost ]}/hooks', json: '{"event":"x"}' },
    { name: 'partner get', method: 'GET', url: 'http://${[ partnerHost ]}/status' },
    // Bodies Yaak does not show the plugin.
    { name: 'delete without body', method: 'DELETE', url: 'http://${[ dfnsApiDomain ]}/webhooks/wh-2' },
    {
      name: 'multipart',
      method: 'POST',
      url: 'http://${[ dfnsApiDomain ]}/wallets',
      body: { bodyType: 'multipart/form-data', body: { form: [{ enabled: true, name: 'a', value: 'b' }] } },
    },
    { name: 'file', method: 'POST', url: 'http://${[ dfnsApiDomain ]}/wallets', body: { bodyType: 'binary', body: { filePath: file() } } },
    // The plugin's arguments (the request's Auth tab) over the environment variables.
    { name: 'bad key', method: 'POST', url: 'http://${[ dfnsApiDomain ]}/wallets', json: '{}', auth: { credentialPrivateKey: 'nonsense' } },
    {
      name: 'other user',
      method: 'POST',
      url: 'http://${[ dfnsApiDomain ]}/wallets',
      json: '{}',
      auth: { authToken: other.token, credentialPrivateKey: other.pem.replace(/\n/g, ' ') },
    },
    { name: 'redirected', method: 'POST', url: `http://${redirector.host}/wallets`, json: '{}', auth: { dfnsApiDomain: redirector.host } },
    { name: 'unreachable', method: 'POST', url: 'http://127.0.0.1:1/wallets', json: '{}', auth: { dfnsApiDomain: '127.0.0.1:1' } },
  ];

  beforeAll(async () => {
    redirector = await startRedirector(() => lab.other.host);
    const key = lab.keys.find((k) => k.name === 'Ed25519 PKCS#8')!;
    other = { token: lab.emu.addUser({ credentials: [{ id: 'cr-ed', publicKey: key.publicKey }] }).token, pem: key.privatePem };
    yaak = await yaakLab();
    writeFileSync(file(), 'file bytes');
    const variables = { ...lab.vars({ walletName: 'ünïcode 😀' }) };
    // A variable that fails to render (an unknown template function), in an environment of its own.
    const broken = { credentialId: '${[ noSuchFunction() ]}' };
    ({ requests: ids, environments } = await yaak.load(workspaceExport({ variables, environments: { broken }, requests: requests() })));
  });
  afterAll(async () => {
    yaak?.close();
    await redirector?.close();
  });

  const send = (name: string, options?: Parameters<YaakLab['send']>[1]) => yaak.send(ids[name], options);

  it('signs POST (body rendered, an escaped template), PUT (path parameter) and DELETE as sent, keeping every other header', async () => {
    const runs = [];
    for (const name of ['post', 'put', 'delete']) runs.push(await send(name, { log: true }));
    expect(runs.map((r) => `${r.code} ${r.error ?? ''}`)).toEqual(['0 ', '0 ', '0 ']);
    const main = lab.emu.mainRequests();
    expect(main.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /wallets 200',
      'PUT /wallets/wa%201%2F%C3%BC 200',
      'DELETE /webhooks/wh-1 200',
    ]);
    expect(main.every((r) => r.headers.authorization === `Bearer ${lab.token}`)).toBe(true);
    expect(main[0].body).toBe('{"network":"EthereumSepolia","name":"ünïcode 😀","note":"${[ not a variable ]}"}');
    expect([main[0].headers['x-before'], main[0].headers['x-after']]).toEqual(['b', 'a']);
    expect(lab.emu.usedUserActions).toHaveLength(3);
    // The signer's lines are on the plugin runtime's stdout, which the CLI shows with --log info.
    expect(runs.map((r) => /Dfns signer: signed (\S+ \S+) with cr-1/.exec(r.stderr)?.[1])).toEqual([
      'POST /wallets',
      'PUT /wallets/wa%201%2F%C3%BC',
      'DELETE /webhooks/wh-1',
    ]);
  });

  it('gives a GET and an endpoint without user action only the token', async () => {
    for (const name of ['get', 'quote']) expect((await send(name)).code).toBe(0);
    const main = lab.emu.mainRequests();
    expect(main.map((r) => `${r.method} ${r.path}?${r.query} ${r.status}`)).toEqual([
      'GET /wallets?limit=2 200',
      'POST /swaps/quotes? 200',
    ]);
    expect(main.map((r) => r.headers.authorization)).toEqual([`Bearer ${lab.token}`, `Bearer ${lab.token}`]);
    expect(main.map((r) => r.headers['x-dfns-useraction'])).toEqual([undefined, undefined]);
    expect(lab.emu.requests.filter((r) => r.path.startsWith('/auth/action'))).toEqual([]);
  });

  it('leaves requests to another host untouched, and says so for a state-changing one', async () => {
    const post = await send('partner post', { log: true });
    expect((await send('partner get')).code).toBe(0);
    expect(post.code).toBe(0);
    expect(post.stderr).toContain(
      `Dfns signer: POST not signed: ${lab.other.host} is not a Dfns API host (dfnsApiDomain is ${lab.dfnsHost})`,
    );
    expect(lab.other.received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(['POST /hooks {"event":"x"}', 'GET /status ']);
    expect(noDfnsIn(lab.other.received, lab.token)).toEqual([]);
    expect(lab.emu.requests).toEqual([]);
  });

  it.each(['delete without body', 'multipart', 'file'])(
    'refuses a signed request whose body Yaak does not show the plugin (%s): one line, nothing sent',
    async (name) => {
      const run = await send(name);
      expect(run.code).toBe(1);
      expect(run.error).toMatch(SIGNER_FAILED);
      expect(run.error).toMatch(
        /Yaak shows the plugin no body for this (DELETE|POST) .*Set the body to JSON \(Body > JSON\), \{\} when the endpoint takes none/,
      );
      expect(lab.emu.requests).toEqual([]);
    },
  );

  it('stops the request on a bad key: exit 1, one line, nothing sent', async () => {
    const run = await send('bad key');
    expect(run.code).toBe(1);
    expect(run.error).toMatch(SIGNER_FAILED);
    expect(run.error).toMatch(/Dfns signer: credentialPrivateKey /);
    expect(run.stdout).toBe('');
    expect(lab.emu.requests).toEqual([]);
  });

  it("takes the plugin's arguments over the environment (a PEM pasted on one line)", async () => {
    const run = await send('other user');
    expect(run.code, run.stderr).toBe(0);
    const main = lab.emu.mainRequests();
    expect(main.map((r) => `${r.path} ${r.status} ${r.headers.authorization === `Bearer ${other.token}`}`)).toEqual(['/wallets 200 true']);
    expect(lab.emu.usedUserActions).toHaveLength(1);
  });

  it('never follows a redirect from the signing exchange: the token stays, the request is stopped', async () => {
    redirector.received.length = 0;
    const run = await send('redirected');
    expect(run.code).toBe(1);
    expect(run.error).toMatch(SIGNER_FAILED);
    expect(run.error).toMatch(/POST \/auth\/action\/init.*307/);
    expect(redirector.received).toEqual(['POST /auth/action/init']);
    expect(lab.other.received).toEqual([]);
  });

  it('says which environment variable Yaak could not render', async () => {
    const run = await send('post', { environment: environments.broken });
    expect(run.code).toBe(1);
    expect(run.error).toMatch(SIGNER_FAILED);
    expect(run.error).toMatch(
      /Dfns signer: the environment variable credentialId could not be rendered \(.*noSuchFunction.* not found.*\)\. Fix credentialId /,
    );
    expect(lab.emu.requests).toEqual([]);
  });

  it('says so when Dfns cannot be reached, and when it refuses', async () => {
    const unreachable = await send('unreachable');
    expect(unreachable.code).toBe(1);
    expect(unreachable.error).toMatch(/Dfns signer: could not reach http:\/\/127\.0\.0\.1:1\/auth\/action\/init \(ECONNREFUSED\)/);
    lab.emu.setFault({ init: { status: 500 } });
    const refused = await send('post');
    expect(refused.code).toBe(1);
    expect(refused.error).toMatch(/Dfns signer: .*POST \/auth\/action\/init.*500/);
    expect(lab.emu.mainRequests()).toEqual([]);
  });
});

describe("the network's faults in the Yaak CLI (test/support/network.ts)", { timeout: 120_000 }, () => {
  let yaak: YaakLab;
  let ids: Record<string, string> = {};
  beforeAll(async () => {
    yaak = await yaakLab();
    const requests: YaakRequestSpec[] = networkRequests().map((r) => ({
      name: r.name,
      method: r.method,
      url: `http://\${[ dfnsApiDomain ]}${r.path}`,
      json: r.body,
    }));
    ({ requests: ids } = await yaak.load(
      workspaceExport({ variables: lab.vars({ dfnsTimeoutSeconds: String(LIMIT_SECONDS) }), requests }),
    ));
  });
  afterAll(() => yaak?.close());

  it('no redirect followed by the plugin, nothing elsewhere, retries with one line each, the hang stopped at the limit', async () => {
    setNetworkFaults(lab.emu, lab.other.host);
    const runs = [];
    for (const r of networkRequests()) runs.push(await yaak.send(ids[r.name], { log: true }));
    const refused = (pattern: RegExp) =>
      expect.stringMatching(new RegExp(`${SIGNER_FAILED.source}${pattern.source.replace(/^\^Dfns signer: /, '')}`));
    expect(runs.map((r) => r.error ?? r.code)).toEqual([
      refused(REFUSED.redirected as RegExp),
      0,
      0,
      0,
      refused(REFUSED.hang as RegExp),
      refused(REFUSED['too-long'] as RegExp),
    ]);
    expect(runs.flatMap((r) => r.stderr.split('\n')).flatMap((l) => /Dfns signer: .*retrying.*/.exec(l) ?? [])).toEqual(RETRY_LINES);
    expectSignedAsPlanned(lab.emu);
    expectNoExchangeElsewhere(lab.other.received, lab.token);
    // Yaak follows the main request's redirect (the workspace setting, on by default): the token dropped, the user action kept.
    expect(mainRedirect(lab.other.received)).toEqual({
      followed: true,
      method: 'POST',
      authorization: false,
      userAction: true,
      body: '{"name":"main-redirected"}',
    });
  });
});

describe('collections/yaak in the Yaak CLI', { timeout: 120_000 }, () => {
  let yaak: YaakLab;
  beforeAll(async () => {
    yaak = await yaakLab();
  });
  afterAll(() => yaak?.close());

  it('imports as committed: a workspace whose requests inherit the plugin, an environment for the secrets', async () => {
    const { imported, requests, environments } = await yaak.load(join(ROOT, YAAK_WORKSPACE));
    expect(imported).toBe('Imported 1 workspace, 2 environments, 4 HTTP requests');
    expect(Object.keys(requests).sort()).toEqual(['Create Wallet', 'Delete Webhook', 'List Wallets', 'Update Wallet']);
    expect(Object.keys(environments).sort()).toEqual(['Dfns', 'Global Variables']);
  });

  it('signs its POST, PUT and DELETE and gives its GET the token, with the secrets in its environment Dfns', async () => {
    // As generated, with the lab's values in its environments (dfnsApiScheme http: the emulator has no TLS).
    const doc = JSON.parse(readFileSync(join(ROOT, YAAK_WORKSPACE), 'utf8'));
    const { resources } = doc;
    expect(resources.workspaces[0].authenticationType).toBe(AUTH);
    const set = (env: any, values: Record<string, string>) => {
      for (const [name, value] of Object.entries(values)) {
        const v = env.variables.find((x: any) => x.name === name);
        expect(v, `the environment ${env.name} has no variable ${name}`).toBeDefined();
        v.value = value;
      }
    };
    set(
      resources.environments.find((e: any) => e.name === 'Global Variables'),
      { dfnsApiDomain: lab.dfnsHost, dfnsApiScheme: 'http' },
    );
    set(
      resources.environments.find((e: any) => e.name === 'Dfns'),
      { authToken: lab.token, credentialPrivateKey: lab.key.privatePem, walletId: 'walletId-0001', webhookId: 'webhookId-0001' },
    );
    const { requests, environments } = await yaak.load(doc);
    const runs = [];
    for (const name of ['List Wallets', 'Create Wallet', 'Update Wallet', 'Delete Webhook'])
      runs.push(await yaak.send(requests[name], { environment: environments.Dfns }));
    expect(runs.map((r) => `${r.code} ${r.error ?? ''}`)).toEqual(['0 ', '0 ', '0 ', '0 ']);
    const main = lab.emu.mainRequests();
    expect(main.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /wallets 200',
      'POST /wallets 200',
      'PUT /wallets/walletId-0001 200',
      'DELETE /webhooks/webhookId-0001 200',
    ]);
    expect(lab.emu.usedUserActions).toHaveLength(3);
  });
});

describe("the plugin's transport (Node's http)", () => {
  it('returns a redirect as its status, without following it', async () => {
    const r = await startRedirector(() => lab.other.host);
    try {
      const answer = await nodeTransport(
        {
          method: 'POST',
          url: `http://${r.host}/auth/action/init`,
          headers: { Authorization: 'Bearer t' },
          body: '{}',
        },
        30_000,
      );
      expect(answer.status).toBe(307);
      expect(lab.other.received).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it('gives up on a server that never answers within its limit (dfnsTimeoutSeconds, 30 s by default)', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/auth/action/init`;
      await expect(nodeTransport({ method: 'POST', url, headers: {}, body: '{}' }, 200)).rejects.toMatchObject({
        code: 'DFNS_SIGNER_TIMEOUT',
        ms: 200,
      });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
