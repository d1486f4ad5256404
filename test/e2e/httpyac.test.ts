// Proves the httpyac harness (test/support/httpyac.ts) with tiny probe scripts, not the signer, against a
// plain node:http server: what a request hook changes reaches the wire, and a throwing hook stops its
// request (the run goes on, the CLI exits 10). Measured facts: test/clients/httpyac.md.
import { describe, expect, it } from 'vitest';
import { BUNDLE, type HttpyacResult, runHttpyac, writeHttpyacDir } from '../support/httpyac';
import { useLab } from '../support/lab';
import { noDfnsIn } from '../support/third-party';

const lab = useLab();
const origin = () => `http://${lab.other.host}`;
const seen = () => lab.other.received;

// The request regions shared by the probes: a multi-line JSON body with a variable, and a GET.
const requests = () => `
###
# @name create
POST ${origin()}/wallets?probe={{probeValue}}
Content-Type: application/json

{
  "name": "{{probeValue}}",
  "n": [1, 2]
}

###
# @name list
GET ${origin()}/wallets
`;

describe('httpyac CLI harness', () => {
  it('a file-wide {{+request}} hook sees the resolved request, and its header and body changes are sent', async () => {
    const hook = `{{+request
  request.headers['X-Probe'] = 'seen:' + $context.variables.probeValue + ':' + typeof request.body;
  if (request.body) request.body = request.body.replace('"n"', '"m"');
}}
`;
    const r = await runHttpyac(writeHttpyacDir({ 'requests.http': hook + requests() }), { vars: { probeValue: 'p1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.requests.map((q) => `${q.name} ${q.status} ${q.statusCode}`)).toEqual(['create sent 200', 'list sent 200']);
    expect(seen().map((s) => `${s.method} ${s.url} ${s.headers['x-probe']}`)).toEqual([
      'POST /wallets?probe=p1 seen:p1:string',
      'GET /wallets seen:p1:undefined',
    ]);
    // The body lines go out joined with \n, no trailing newline, variables resolved before the hook.
    expect(seen()[0].body).toBe('{\n  "name": "p1",\n  "m": [1, 2]\n}');
    expect(r.requests[0].request?.body).toBe(seen()[0].body);
  });

  it('a hook registered in httpyac.config.cjs (configureHooks) runs before every request', async () => {
    const config = `module.exports = {
  configureHooks(api) {
    api.hooks.onRequest.addHook('probe', async (request, context) => {
      request.headers['X-Config-Probe'] = context.variables.probeValue;
    });
  },
};
`;
    const r = await runHttpyac(writeHttpyacDir({ 'requests.http': requests(), 'httpyac.config.cjs': config }), {
      vars: { probeValue: 'p2' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(seen().map((s) => s.headers['x-config-probe'])).toEqual(['p2', 'p2']);
  });

  it('a hook that throws: its request is not sent, the next one is, the CLI exits 10 and reports the message', async () => {
    const hook = `{{+request
  if (request.method === 'POST') throw new Error('Probe: refused ' + request.method + '. Fix it.');
}}
`;
    const dir = writeHttpyacDir({ 'requests.http': hook + requests() });
    const json = await runHttpyac(dir, { vars: { probeValue: 'p3' } });
    expect(json.code).toBe(10);
    expect(json.requests.map((q) => `${q.name} ${q.status}`)).toEqual(['create error', 'list sent']);
    expect(json.requests[0].errors).toEqual(['Probe: refused POST. Fix it.']);
    expect(seen().map((s) => `${s.method} ${s.url}`)).toEqual(['GET /wallets']);

    // Text output: the message on stdout after "✖", same exit code.
    lab.other.reset();
    const text = await runHttpyac(dir, { vars: { probeValue: 'p3' }, json: false });
    expect(text.code).toBe(10);
    expect(text.stdout).toContain('✖ Probe: refused POST. Fix it.');
    expect(seen().map((s) => s.method)).toEqual(['GET']);
  });
});

// The signer in the real httpyac CLI, against the emulator, beside a third-party API: loaded with
// require from a file-wide {{+request}} block (the README's way), pasted into the block, and from
// httpyac.config.cjs. A failure throws from the hook: the request is not sent, the CLI exits 10.
describe('dist/dfns-signer.js in httpyac', () => {
  const vars = lab.vars;
  const HOOK = "{{+request\n  await require('./dfns-signer.cjs').sign({ request, $context })\n}}\n";
  const mixed = `
###
# @name explorer
GET http://{{partnerHost}}/tx/1?verbose=true

###
# @name webhook
POST http://{{partnerHost}}/hooks
Content-Type: application/json

{"event": "wallet.created", "id": "{{$uuid}}"}

###
# @name create
POST http://{{dfnsApiDomain}}/wallets
Content-Type: application/json

{
  "network": "Bitcoin",
  "externalId": "{{$uuid}}"
}

###
# @name list
GET http://{{dfnsApiDomain}}/wallets

###
# @name remove
DELETE http://{{dfnsApiDomain}}/webhooks/wh 1
`;

  function expectSignedMixed(r: HttpyacResult) {
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.requests.map((q) => `${q.name} ${q.status} ${q.statusCode}`)).toEqual([
      'explorer sent 200',
      'webhook sent 200',
      'create sent 200',
      'list sent 200',
      'remove sent 200',
    ]);
    expect(noDfnsIn(lab.other.received, lab.token)).toEqual([]);
    expect(lab.other.received.map((q) => `${q.method} ${q.url}`)).toEqual(['GET /tx/1?verbose=true', 'POST /hooks']);
    expect(lab.other.received[1].body).toMatch(/^\{"event": "wallet.created", "id": "[0-9a-f-]{36}"\}$/);
    const main = lab.emu.mainRequests();
    expect(main.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
      'POST /wallets 200',
      'GET /wallets 200',
      'DELETE /webhooks/wh%201 200',
    ]);
    expect(main.every((q) => q.headers.authorization === `Bearer ${lab.token}`)).toBe(true);
    expect(main[0].body).toMatch(/^\{\n {2}"network": "Bitcoin",\n {2}"externalId": "[0-9a-f-]{36}"\n\}$/);
    expect(lab.emu.usedUserActions).toHaveLength(2);
  }

  it('loaded with require from a {{+request}} block: signs the Dfns requests, leaves the others untouched', async () => {
    expectSignedMixed(await runHttpyac(writeHttpyacDir({ 'requests.http': HOOK + mixed, 'dfns-signer.cjs': BUNDLE }), { vars: vars() }));
  });

  it('pasted whole into the {{+request}} block: the same', async () => {
    expectSignedMixed(await runHttpyac(writeHttpyacDir({ 'requests.http': `{{+request\n${BUNDLE}\n}}\n` + mixed }), { vars: vars() }));
  });

  it('from httpyac.config.cjs, for every .http file of the project: the same, and its lines stay out of --json', async () => {
    const config =
      "module.exports = {\n  configureHooks(api) {\n    api.hooks.onRequest.addHook('dfns-signer', (request, context) => require('./dfns-signer.cjs').sign({ request, $context: context }));\n  },\n};\n";
    const r = await runHttpyac(writeHttpyacDir({ 'requests.http': mixed, 'httpyac.config.cjs': config, 'dfns-signer.cjs': BUNDLE }), {
      vars: vars(),
    });
    expectSignedMixed(r);
    expect(r.stdout.startsWith('{')).toBe(true);
  });

  it('logs the signing and the requests it leaves alone, in the block console', async () => {
    const r = await runHttpyac(writeHttpyacDir({ 'requests.http': HOOK + mixed, 'dfns-signer.cjs': BUNDLE }), {
      vars: vars(),
      json: false,
    });
    expect(r.stdout).toContain('Dfns signer: signed POST /wallets with cr-1 (ECDSA P-256)');
    expect(r.stdout).toContain(`Dfns signer: POST not signed: ${lab.other.host} is not a Dfns API host (dfnsApiDomain is ${lab.dfnsHost})`);
  });

  it('stops a failing request with one line and exits 10; nothing reaches Dfns; the other requests go on', async () => {
    const post = (name: string, url: string) => `\n###\n# @name ${name}\nPOST ${url}\nContent-Type: application/json\n\n{}\n`;
    const dir = writeHttpyacDir({
      'requests.http':
        HOOK +
        post('nokey', 'http://{{dfnsApiDomain}}/wallets') +
        post('plain', 'http://api.dfns.io/wallets') +
        '\n###\n# @name explorer\nGET http://{{partnerHost}}/tx/2\n',
      'dfns-signer.cjs': BUNDLE,
    });
    const noKey = await runHttpyac(dir, { vars: vars({ credentialPrivateKey: '' }) });
    expect(noKey.code).toBe(10);
    // api.dfns.io is not the host dfnsApiDomain names: left alone, it goes out unsigned and finds no network here.
    expect(noKey.requests.map((q) => `${q.name} ${q.status} ${q.errors}`)).toEqual([
      'nokey error ' + noKey.requests[0].errors,
      'plain error getaddrinfo ENOTFOUND api.dfns.io',
      'explorer sent ',
    ]);
    expect(noKey.requests[0].errors).toEqual([
      expect.stringMatching(/^Dfns signer: credentialPrivateKey is not set, and POST \/wallets needs a user action\. Set /),
    ]);
    expect(lab.emu.requests).toEqual([]);
    // Without dfnsApiDomain, api.dfns.io is the Dfns host: plain http to it is refused.
    const { dfnsApiDomain, ...withoutDomain } = vars();
    const plain = await runHttpyac(dir, { vars: withoutDomain });
    expect(plain.requests.map((q) => `${q.name} ${q.status}`)).toEqual(['nokey error', 'plain error', 'explorer sent']);
    expect(plain.requests[1].errors).toEqual([
      expect.stringMatching(/^Dfns signer: the request URL is plain http:\/\/api\.dfns\.io, which would send authToken unencrypted\. /),
    ]);
    expect(lab.emu.requests).toEqual([]);
  });

  it('a block with no client in reach: require alone signs nothing and sign() refuses', async () => {
    const file = "{{+request\n  await require('./dfns-signer.cjs').sign({})\n}}\n\n###\nGET http://{{partnerHost}}/tx/3\n";
    const r = await runHttpyac(writeHttpyacDir({ 'requests.http': file, 'dfns-signer.cjs': BUNDLE }), { vars: vars() });
    expect(r.code).toBe(10);
    expect(r.requests[0].errors).toEqual([expect.stringContaining('Dfns signer: this API client is not one the signer knows')]);
    expect(lab.other.received).toEqual([]);
  });
});
