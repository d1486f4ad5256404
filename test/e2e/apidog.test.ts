// Proves the Apidog harness (test/support/apidog.ts) with tiny probe scripts, not the signer, against a
// plain node:http server: a header set by a collection-level pre-request script arrives; a throwing script
// does NOT stop its request (the CLI exits 1); a request whose URL the script points at a `.invalid` host
// never reaches anyone. Measured facts: test/clients/apidog.md. One CLI run per test (each takes seconds).
import { describe, expect, it } from 'vitest';
import { apidogCollection, BUNDLE, runApidog } from '../support/apidog';
import { AFTER_RESPONSE_LINE, useLab } from '../support/lab';
import { noDfnsIn } from '../support/third-party';

const lab = useLab();
const origin = () => `http://${lab.other.host}`;
const seen = () => lab.other.received;

describe('apidog CLI harness', () => {
  it('a collection-level script: its header arrives, variables resolve, console lines are captured', async () => {
    const script = [
      "pm.request.headers.upsert({ key: 'X-Probe', value: 'seen:' + pm.variables.get('probeValue') });",
      "console.log('probe ran for ' + pm.request.method + ' ' + pm.request.url.getPath());",
    ].join('\n');
    const r = await runApidog(
      apidogCollection(
        [
          { name: 'create', method: 'POST', url: `${origin()}/wallets?probe={{probeValue}}`, body: '{\n  "name": "{{probeValue}}"\n}' },
          { name: 'list', method: 'GET', url: `${origin()}/wallets` },
        ],
        { script },
      ),
      { envVars: { probeValue: 'p1' } },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.failures).toEqual([]);
    expect(seen().map((s) => `${s.method} ${s.url} ${s.headers['x-probe']}`)).toEqual([
      'POST /wallets?probe=p1 seen:p1',
      'GET /wallets seen:p1',
    ]);
    expect(seen()[0].body).toBe('{\n  "name": "p1"\n}');
    expect(r.console).toEqual(['probe ran for POST /wallets', 'probe ran for GET /wallets']);
    expect(r.sent.map((s) => s.line.replace(/ \[.*/, ''))).toEqual([`POST ${origin()}/wallets?probe=p1`, `GET ${origin()}/wallets`]);
  });

  it('a throwing script does not stop its request (exit 1); a URL rewritten to a .invalid host stops it', async () => {
    const r = await runApidog(
      apidogCollection(
        [
          {
            name: 'throws',
            method: 'POST',
            url: `${origin()}/throws`,
            body: '{}',
            prerequest: "pm.request.headers.upsert({ key: 'X-Set-Before-Throw', value: '1' });\nthrow new Error('Probe: thrown. Fix it.');",
          },
          {
            name: 'refused',
            method: 'POST',
            url: `${origin()}/refused`,
            body: '{}',
            prerequest:
              "pm.test('Probe: refused. Fix it.', () => { throw new Error('Probe: refused. Fix it.'); });\npm.request.url.update('https://dfns-signer-refused.invalid/');",
          },
          { name: 'after', method: 'GET', url: `${origin()}/after` },
        ],
        { script: null },
      ),
    );
    expect(r.code).toBe(1);
    // The throw is reported, and the request went out anyway, with what the script set before throwing.
    expect(seen().map((s) => `${s.method} ${s.url}`)).toEqual(['POST /throws', 'GET /after']);
    expect(seen()[0].headers['x-set-before-throw']).toBe('1');
    expect(r.failures).toEqual([
      { item: 'throws', at: expect.stringMatching(/^prerequest-script/), message: 'Probe: thrown. Fix it.' },
      { item: 'refused', at: 'assertion:0 in test-script', message: 'Probe: refused. Fix it.' },
      { item: 'refused', at: 'request', message: 'getaddrinfo ENOTFOUND dfns-signer-refused.invalid' },
    ]);
    expect(r.sent[1]).toEqual({
      line: 'POST https://dfns-signer-refused.invalid/ [errored]',
      error: 'getaddrinfo ENOTFOUND dfns-signer-refused.invalid',
    });
  });
});

// The signer in the real apidog CLI (a postman-sandbox fork with no skip), against the emulator and
// beside a third-party API. A failure records a failed test and points the request at a .invalid host.
describe('dist/dfns-signer.js in apidog run', () => {
  const vars = lab.vars;

  it("signs the Dfns requests, Apidog's own dynamic values frozen, and sends the others untouched", async () => {
    const r = await runApidog(
      apidogCollection([
        { name: 'explorer', method: 'GET', url: 'http://{{partnerHost}}/tx/1?verbose=true' },
        {
          name: 'webhook',
          method: 'POST',
          url: 'http://{{partnerHost}}/hooks',
          body: '{"event":"wallet.created","name":"{{walletName}}"}',
        },
        {
          name: 'create',
          method: 'POST',
          url: 'http://{{dfnsApiDomain}}/wallets',
          body: '{"network":"Bitcoin","externalId":"{{$string.uuid}}","tag":"{{$randomUUID}}","name":"{{walletName}}"}',
        },
        {
          name: 'rename',
          method: 'PUT',
          url: 'http://{{dfnsApiDomain}}/wallets/:walletId',
          pathVariables: { walletId: 'wa-{{$randomInt}}' },
          body: '{"name":"renamed"}',
        },
        { name: 'list', method: 'GET', url: 'http://{{dfnsApiDomain}}/wallets' },
        { name: 'partner delete', method: 'DELETE', url: 'http://{{partnerHost}}/things/1' },
      ]),
      { envVars: vars() },
    );
    expect(r.failures).toEqual([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(noDfnsIn(lab.other.received, lab.token)).toEqual([]);
    expect(lab.other.received.map((q) => `${q.method} ${q.url} ${q.body}`)).toEqual([
      'GET /tx/1?verbose=true ',
      'POST /hooks {"event":"wallet.created","name":"w1"}',
      'DELETE /things/1 ',
    ]);
    const main = lab.emu.mainRequests();
    expect(main.map((q) => `${q.method} ${q.status}`)).toEqual(['POST 200', 'PUT 200', 'GET 200']);
    expect(main[0].body).toMatch(/^\{"network":"Bitcoin","externalId":"[0-9a-f-]{36}","tag":"[0-9a-f-]{36}","name":"w1"\}$/);
    expect(main[1].path).toMatch(/^\/wallets\/wa-\d+$/);
    expect(main.every((q) => q.headers.authorization === `Bearer ${lab.token}`)).toBe(true);
  });

  it('fails closed: a failed test, the request sent nowhere, exit 1; nothing reaches Dfns', async () => {
    const r = await runApidog(
      apidogCollection([
        { name: 'no key', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{}' },
        {
          name: 'late',
          method: 'POST',
          url: 'http://{{dfnsApiDomain}}/wallets',
          body: '{"name":"{{lateName}}"}',
          prerequest: "pm.variables.set('lateName', 'set late');",
        },
        { name: 'explorer', method: 'GET', url: 'http://{{partnerHost}}/tx/2' },
      ]),
      { envVars: vars({ credentialPrivateKey: '' }) },
    );
    expect(r.code).toBe(1);
    expect(r.failures.map((f) => `${f.item}: ${f.message}`)).toEqual([
      expect.stringMatching(/^no key: Dfns signer: credentialPrivateKey is not set, and POST \/wallets needs a user action\. /),
      'no key: getaddrinfo ENOTFOUND dfns-signer-refused.invalid',
      expect.stringMatching(/^late: Dfns signer: credentialPrivateKey is not set/),
      'late: getaddrinfo ENOTFOUND dfns-signer-refused.invalid',
    ]);
    expect(lab.emu.requests).toEqual([]);
    expect(lab.other.received.map((q) => q.url)).toEqual(['/tx/2']);
  });

  it('refuses a late body variable and plain http to a Dfns host', async () => {
    const r = await runApidog(
      apidogCollection([
        // Without dfnsApiDomain, api.dfns.io is the Dfns host.
        {
          name: 'late',
          method: 'POST',
          url: 'https://api.dfns.io/wallets',
          body: '{"name":"{{lateName}}"}',
          prerequest: "pm.variables.set('lateName', 'set late');",
        },
        { name: 'plain', method: 'POST', url: 'http://api.dfns.io/wallets', body: '{}' },
      ]),
      { envVars: vars({ dfnsApiDomain: '' }) },
    );
    expect(r.code).toBe(1);
    expect(r.failures.map((f) => `${f.item}: ${f.message}`)).toEqual([
      expect.stringMatching(
        /^late: Dfns signer: the request body holds \{\{lateName\}\}, but lateName is not defined when the signer runs/,
      ),
      'late: getaddrinfo ENOTFOUND dfns-signer-refused.invalid',
      expect.stringMatching(/^plain: Dfns signer: the request URL is plain http:\/\/api\.dfns\.io, which would send authToken unencrypted/),
      'plain: getaddrinfo ENOTFOUND dfns-signer-refused.invalid',
    ]);
    expect(lab.emu.requests).toEqual([]);
  });
  it('pasted in the Post-processors (Tests) by mistake: a failed test saying where the script belongs', async () => {
    const c = apidogCollection(
      [{ name: 'create', method: 'POST', url: 'http://{{dfnsApiDomain}}/wallets', body: '{"network":"Bitcoin"}' }],
      { script: null },
    );
    c.event = [{ listen: 'test', script: { type: 'text/javascript', exec: BUNDLE.split('\n') } }] as never;
    const r = await runApidog(c, { envVars: vars() });
    expect(r.code).toBe(1);
    expect(r.failures.map((f) => f.item)).toEqual(['create']);
    expect(r.failures.map((f) => f.message)).toEqual([expect.stringMatching(AFTER_RESPONSE_LINE)]);
    // Already sent, unsigned, when the script ran: Dfns refused it, and the signer added no exchange.
    expect(lab.emu.mainRequests().map((q) => `${q.method} ${q.status}`)).toEqual(['POST 401']);
    expect(lab.emu.usedUserActions).toHaveLength(0);
  });
});
