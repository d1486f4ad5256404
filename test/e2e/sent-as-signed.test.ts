// Issues 16 and 23 in the real clients, one batched run each against the emulator beside a third-party
// API: an empty path variable, a % the clients cannot send, a body Bruno would send as a JSON string, a
// byte-order mark, an Authorization with another token and a dfnsApiDomain with its scheme are refused with
// one line before anything reaches Dfns; a host still a variable when the signer runs goes out as written;
// a path variable filled from the command line and an inherited auth (newman) are signed as sent.
// Each test starts its own emulator and third party; they run one after the other (the other files run beside).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { PLUGIN_DIR } from '../../scripts/build-insomnia.mjs';
import { apidogCollection, runApidog } from '../support/apidog';
import { type BruRequest, runBru, SANDBOXES, writeCollection } from '../support/bruno';
import { environment, collection as hoppCollection, runHopp } from '../support/hoppscotch';
import { BUNDLE as HTTPYAC_BUNDLE, runHttpyac, writeHttpyacDir } from '../support/httpyac';
import { type InsomniaRequest, type Outcome, runPreRequestScript, runRequestHook } from '../support/insomnia-harness';
import { keyCases } from '../support/keys';
import { collection, type ItemSpec, item, RUNTIMES, runNewman } from '../support/postman';
import { noDfnsIn, startThirdParty, type ThirdParty } from '../support/third-party';

const key = keyCases()[0];

interface World {
  emu: Emulator;
  other: ThirdParty;
  token: string;
  dfns: string;
  vars(extra?: Record<string, string>): Record<string, string>;
}

async function inWorld<T>(fn: (w: World) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ port: 0 });
  const other = await startThirdParty();
  const token = emu.addUser({ credentials: [{ id: 'cr-1', publicKey: key.publicKey }] }).token;
  const dfns = emu.url.replace('http://', '');
  const vars = (extra: Record<string, string> = {}) => ({
    dfnsApiDomain: dfns,
    partnerHost: other.host,
    authToken: token,
    credentialPrivateKey: key.privatePem,
    walletId: 'wa-1',
    emptyId: '',
    ...extra,
  });
  try {
    return await fn({ emu, other, token, dfns, vars });
  } finally {
    await emu.close();
    await other.close();
  }
}

const EMPTY_PARAM =
  /^Dfns signer: the path variable walletId is empty\. Give it a value in the Params tab, or the value \{\{walletId\}\} and set walletId \(--env-var walletId=…\)$/;
const EMPTY_SEGMENT = (flag: string) =>
  new RegExp(`^Dfns signer: the path variable emptyId is empty\\. Set emptyId ${flag ? `\\(${flag} emptyId=…\\)` : 'in the environment'}$`);
const STRAY_PERCENT = /^Dfns signer: the request path \/wallets\/a%b\/tags holds a % not followed by two hex digits\. Write it as %25$/;
const CONFLICT = (reference: string) =>
  new RegExp(
    `^Dfns signer: the request's Authorization \\(a header or its auth setting\\) is not Bearer authToken, the token the user action is for\\. Remove it \\(auth: No Auth, also where it inherits from; the signer sets the token\\) or set it to Bearer ${reference}$`,
  );
const LATE_HOST = (method: string, host: string, dfns: string) =>
  `Dfns signer: ${method} not signed: ${host} is not resolved yet, so not known to be a Dfns API host (dfnsApiDomain is ${dfns})`;

describe.each(RUNTIMES)('newman, %s', (runtime) => {
  it('refuses what would not go out as signed, signs the rest as sent, leaves a late host alone', () =>
    inWorld(async (w) => {
      const dfnsUrl = 'http://{{dfnsApiDomain}}';
      const items: ItemSpec[] = [
        { name: 'empty-param', method: 'PUT', url: `${dfnsUrl}/wallets/:walletId`, pathVariables: { walletId: '' }, body: '{}' },
        { name: 'empty-segment', method: 'PUT', url: `${dfnsUrl}/wallets/{{emptyId}}`, body: '{}' },
        {
          name: 'param-from-env',
          method: 'PUT',
          url: `${dfnsUrl}/wallets/:walletId`,
          pathVariables: { walletId: '{{walletId}}' },
          body: '{"name":"renamed"}',
        },
        { name: 'stray-percent', method: 'POST', url: `${dfnsUrl}/wallets/a%b/tags`, body: '{}' },
        { name: 'other-token', method: 'POST', url: `${dfnsUrl}/wallets`, body: '{}', headers: { Authorization: 'Bearer another-token' } },
        {
          name: 'own-token',
          method: 'POST',
          url: `${dfnsUrl}/wallets`,
          body: '{"network":"Bitcoin"}',
          headers: { Authorization: 'Bearer {{authToken}}' },
        },
        {
          name: 'late-host',
          method: 'POST',
          url: 'http://{{explorer}}/hooks',
          body: '{"a":1}',
          prerequest: "pm.variables.set('explorer', pm.variables.get('partnerHost'));",
        },
      ];
      const coll = collection(items);
      // A folder whose Bearer auth carries another token: newman would apply it after the script.
      coll.item.push({
        name: 'folder',
        auth: { type: 'bearer', bearer: [{ key: 'token', value: 'another-token', type: 'string' }] },
        item: [item({ name: 'inherited-auth', method: 'POST', url: `${dfnsUrl}/wallets`, body: '{"network":"Bitcoin"}' })],
      } as never);
      const report = await runNewman(runtime, { collection: coll, env: w.vars() });
      // dfnsApiDomain with its scheme, in URLs that add one: every request stopped, a GET too.
      const scheme = await runNewman(runtime, {
        collection: collection([
          { name: 'scheme-get', method: 'GET', url: `${dfnsUrl}/wallets` },
          { name: 'scheme-post', method: 'POST', url: `${dfnsUrl}/wallets`, body: '{}' },
        ]),
        env: w.vars({ dfnsApiDomain: `http://${w.dfns}` }),
      });

      expect(report.failures.map((f) => [f.source, f.message])).toEqual([
        ['empty-param', expect.stringMatching(EMPTY_PARAM)],
        ['empty-segment', expect.stringMatching(EMPTY_SEGMENT('--env-var'))],
        ['stray-percent', expect.stringMatching(STRAY_PERCENT)],
        ['other-token', expect.stringMatching(CONFLICT('\\{\\{authToken\\}\\}'))],
      ]);
      expect(report.sent.filter((r) => r.item).map((r) => `${r.item} ${r.method} ${r.url.replace(/^http:\/\/[^/]+/, '')}`)).toEqual([
        'param-from-env PUT /wallets/wa-1',
        'own-token POST /wallets',
        'late-host POST /hooks',
        'inherited-auth POST /wallets',
      ]);
      // Signed as sent, each with the token the user action was obtained with (the folder's auth pinned away).
      expect(
        w.emu.mainRequests().map((r) => `${r.method} ${r.path} ${r.status} ${r.headers.authorization === `Bearer ${w.token}`}`),
      ).toEqual(['PUT /wallets/wa-1 200 true', 'POST /wallets 200 true', 'POST /wallets 200 true']);
      expect(w.other.received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(['POST /hooks {"a":1}']);
      expect(noDfnsIn(w.other.received, w.token)).toEqual([]);
      expect(report.consoleLines).toContain(LATE_HOST('POST', '{{explorer}}', w.dfns));

      const schemeLine = `Dfns signer: dfnsApiDomain is http://${w.dfns}, with its scheme, so the request would go to a host named http. Set dfnsApiDomain to the host only, e.g. api.dfns.io`;
      expect(scheme.failures.map((f) => [f.source, f.message])).toEqual([
        ['scheme-get', schemeLine],
        ['scheme-post', schemeLine],
      ]);
      expect(scheme.sent).toEqual([]);
    }));
});

describe.each(SANDBOXES)('bru run --sandbox %s', (sandbox) => {
  it('refuses what would not go out as signed, each with one line; signs the rest as sent', () =>
    inWorld(async (w) => {
      const u = 'http://{{dfnsApiDomain}}';
      const requests: BruRequest[] = [
        { name: 'trailing-comma', method: 'POST', url: `${u}/wallets`, json: '{"network":"Bitcoin",}' },
        { name: 'text-after', method: 'POST', url: `${u}/wallets`, json: '{"network":"Bitcoin"} x' },
        { name: 'padded', method: 'POST', url: `${u}/wallets`, json: '{{payload}}', vars: { payload: '  {"network":"Bitcoin"}  ' } },
        { name: 'empty-param', method: 'PUT', url: `${u}/wallets/:walletId`, pathParams: { walletId: '' }, json: '{}' },
        { name: 'empty-segment', method: 'PUT', url: `${u}/wallets/{{emptyId}}`, json: '{}' },
        { name: 'stray-percent', method: 'POST', url: `${u}/wallets/a%b/tags`, json: '{}' },
        { name: 'other-token', method: 'POST', url: `${u}/wallets`, json: '{}', headers: { Authorization: 'Bearer another-token' } },
        { name: 'other-bearer', method: 'POST', url: `${u}/wallets`, json: '{}', bearer: 'another-token' },
        { name: 'huge-token', method: 'POST', url: `${u}/wallets`, json: '{}', vars: { authToken: `${w.token}${'A'.repeat(70000)}` } },
        {
          name: 'late-host',
          method: 'POST',
          url: 'http://{{explorer}}/hooks',
          json: '{"a":1}',
          script: "bru.setVar('explorer', bru.getEnvVar('partnerHost'));",
        },
      ];
      const run = await runBru(writeCollection(requests, w.vars()), sandbox);

      const notJson = (reason: string) =>
        `Dfns signer: the request body is not valid JSON (${reason}), which Bruno would send as a quoted JSON string. Fix the JSON, or send it as text`;
      expect(run.code).toBe(1);
      expect(run.results.map((r) => [r.name.slice(3), r.status, r.error ?? null])).toEqual([
        [
          'trailing-comma',
          'error',
          notJson(sandbox === 'safe' ? 'expecting property name' : 'Expected double-quoted property name in JSON at position 21'),
        ],
        [
          'text-after',
          'error',
          notJson(sandbox === 'safe' ? 'unexpected data at the end' : 'Unexpected non-whitespace character after JSON at position 22'),
        ],
        ['padded', 'pass', null],
        ['empty-param', 'error', expect.stringMatching(EMPTY_PARAM)],
        ['empty-segment', 'error', expect.stringMatching(EMPTY_SEGMENT('--env-var'))],
        ['stray-percent', 'error', expect.stringMatching(STRAY_PERCENT)],
        ['other-token', 'error', expect.stringMatching(CONFLICT('\\{\\{authToken\\}\\}'))],
        ['other-bearer', 'error', expect.stringMatching(CONFLICT('\\{\\{authToken\\}\\}'))],
        [
          'huge-token',
          'error',
          expect.stringMatching(/^Dfns signer: authToken is 70\d{3} characters long, far longer than any Dfns token\. Paste the token/),
        ],
        ['late-host', 'pass', null],
      ]);
      // The padded JSON body, signed trimmed as axios sends it; nothing else reached Dfns.
      expect(w.emu.mainRequests().map((r) => `${r.method} ${r.path} ${r.status} ${r.body}`)).toEqual([
        'POST /wallets 200 {"network":"Bitcoin"}',
      ]);
      expect(w.emu.usedUserActions).toHaveLength(1);
      expect(w.other.received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(['POST /hooks {"a":1}']);
      expect(noDfnsIn(w.other.received, w.token)).toEqual([]);
      // One line per failure: the developer sandbox prints the message alone; the safe one (QuickJS) can only
      // add its own "SignerError: <message>" and host stack, never the bundle's source around the throw.
      const lines = run.stdout.split('\n');
      for (const error of new Set(run.results.map((x) => x.error).filter((e): e is string => !!e))) {
        const times = run.results.filter((x) => x.error === error).length;
        expect(lines.filter((l) => l === error)).toHaveLength(times);
        expect(lines.filter((l) => l.includes(error))).toHaveLength((sandbox === 'safe' ? 2 : 1) * times);
      }
      expect(run.stdout).not.toContain('dfnsSigner=');
      expect(run.stdout).toContain(LATE_HOST('POST', '{{explorer}}', w.dfns));
    }));
});

describe('hopp test', () => {
  it('refuses what would not go out as signed, naming a byte-order mark; leaves a collection-variable host alone', () =>
    inWorld(async (w) => {
      const u = 'http://<<dfnsApiDomain>>';
      const run = await runHopp(
        hoppCollection(
          [
            { name: 'bom', method: 'POST', url: `${u}/wallets`, json: '\ufeff{"network":"Bitcoin"}' },
            { name: 'empty-segment', method: 'PUT', url: `${u}/wallets/<<emptyId>>`, json: '{}' },
            { name: 'stray-percent', method: 'POST', url: `${u}/wallets/a%b/tags`, json: '{}' },
            { name: 'other-token', method: 'POST', url: `${u}/wallets`, json: '{}', headers: { Authorization: 'Bearer another-token' } },
            { name: 'own-bearer', method: 'POST', url: `${u}/wallets`, json: '{"network":"Bitcoin"}', bearer: '<<authToken>>' },
            { name: 'collection-host', method: 'POST', url: 'http://<<explorer>>/hooks', json: '{"a":1}' },
          ],
          { variables: { explorer: w.other.host } },
        ),
        environment(w.vars(), { secret: ['authToken', 'credentialPrivateKey'] }),
      );
      expect(run.code).toBe(1);
      // A refused request's URL becomes its line, which the CLI does not send (Invalid URL); the line is on stderr.
      expect(run.results.map((r) => [r.name, r.sent?.status])).toEqual([
        ['bom', 'ERROR'],
        ['empty-segment', 'ERROR'],
        ['stray-percent', 'ERROR'],
        ['other-token', 'ERROR'],
        ['own-bearer', 200],
        ['collection-host', 200],
      ]);
      const stderr = run.stderr.split('\n');
      expect(stderr).toContain(
        'Dfns signer: the request body starts with a byte-order mark (U+FEFF), so it is not valid JSON (unexpected character), which Hoppscotch cannot send: it re-serializes JSON bodies. Remove the byte-order mark',
      );
      expect(stderr).toContainEqual(expect.stringMatching(EMPTY_SEGMENT('')));
      expect(stderr).toContainEqual(expect.stringMatching(STRAY_PERCENT));
      expect(stderr).toContainEqual(expect.stringMatching(CONFLICT('<<authToken>>')));
      expect(
        w.emu.mainRequests().map((r) => `${r.method} ${r.path} ${r.status} ${r.headers.authorization === `Bearer ${w.token}`}`),
      ).toEqual(['POST /wallets 200 true']);
      expect(w.emu.usedUserActions).toHaveLength(1);
      // A host the script cannot see (a collection variable): the CLI resolves it and sends the request as written.
      expect(w.other.received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(['POST /hooks {"a":1}']);
      expect(noDfnsIn(w.other.received, w.token)).toEqual([]);
      expect(run.results[5].console).toEqual([LATE_HOST('POST', '<<explorer>>', w.dfns)]);
    }));
});

describe('httpyac', () => {
  it('refuses a stray % before the exchange, an empty path variable and another token', () =>
    inWorld(async (w) => {
      const region = (name: string, line: string, headers = '') =>
        `\n###\n# @name ${name}\n${line}\nContent-Type: application/json\n${headers}\n{}\n`;
      const file =
        "{{+request\n  await require('./dfns-signer.cjs').sign({ request, $context })\n}}\n" +
        region('stray-percent', 'POST http://{{dfnsApiDomain}}/wallets/a%b/tags') +
        region('empty-segment', 'PUT http://{{dfnsApiDomain}}/wallets/{{emptyId}}') +
        region('other-token', 'POST http://{{dfnsApiDomain}}/wallets', 'Authorization: Bearer another-token\n') +
        region('own-token', 'POST http://{{dfnsApiDomain}}/wallets', 'Authorization: Bearer {{authToken}}\n');
      const r = await runHttpyac(writeHttpyacDir({ 'requests.http': file, 'dfns-signer.cjs': HTTPYAC_BUNDLE }), { vars: w.vars() });
      expect(r.code).toBe(10);
      expect(r.requests.map((q) => [q.name, q.status, q.statusCode, q.errors])).toEqual([
        ['stray-percent', 'error', undefined, [expect.stringMatching(STRAY_PERCENT)]],
        ['empty-segment', 'error', undefined, [expect.stringMatching(EMPTY_SEGMENT('--var'))]],
        ['other-token', 'error', undefined, [expect.stringMatching(CONFLICT('\\{\\{authToken\\}\\}'))]],
        ['own-token', 'sent', 200, []],
      ]);
      // Refused before the exchange: the only user action is the one the last request went out with.
      expect(w.emu.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
        'POST /auth/action/init 200',
        'POST /auth/action 200',
        'POST /wallets 200',
      ]);
    }));
});

describe('apidog run', () => {
  it('refuses an empty path variable and another token; leaves a late host alone', () =>
    inWorld(async (w) => {
      const u = 'http://{{dfnsApiDomain}}';
      const coll = apidogCollection([
        { name: 'empty-param', method: 'PUT', url: `${u}/wallets/:walletId`, pathVariables: { walletId: '' }, body: '{}' },
        { name: 'other-token', method: 'POST', url: `${u}/wallets`, body: '{}', headers: { Authorization: 'Bearer another-token' } },
        {
          name: 'own-token',
          method: 'POST',
          url: `${u}/wallets`,
          body: '{"network":"Bitcoin"}',
          headers: { Authorization: 'Bearer {{authToken}}' },
        },
        {
          name: 'late-host',
          method: 'POST',
          url: 'http://{{explorer}}/hooks',
          body: '{"a":1}',
          prerequest: "pm.variables.set('explorer', pm.variables.get('partnerHost'));",
        },
      ]);
      // A folder whose Bearer auth is {{authToken}}: Apidog applies it after the script, unresolved, whatever the
      // script sets (test/clients/apidog.md), and the script cannot see it. Pinned here as the README documents it.
      coll.item.push({
        name: 'inheriting',
        auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{authToken}}', type: 'string' }] },
        item: [
          { id: 'inh-1', ...item({ name: 'inherited-auth', method: 'POST', url: `${u}/wallets`, body: '{}' }), metaInfo: { type: 'http' } },
        ],
      } as never);
      const r = await runApidog(coll, { envVars: { ...w.vars(), credentialPrivateKey: key.privatePem.trim().split('\n').join('\\n') } });

      expect(r.code).toBe(1);
      expect(r.failures.map((f) => [f.item, f.at, f.message])).toEqual([
        ['empty-param', 'assertion:0 in test-script', expect.stringMatching(EMPTY_PARAM)],
        ['empty-param', 'request', 'getaddrinfo ENOTFOUND dfns-signer-refused.invalid'],
        ['other-token', 'assertion:0 in test-script', expect.stringMatching(CONFLICT('\\{\\{authToken\\}\\}'))],
        ['other-token', 'request', 'getaddrinfo ENOTFOUND dfns-signer-refused.invalid'],
      ]);
      expect(
        w.emu
          .mainRequests()
          .map(
            (q) =>
              `${q.method} ${q.path} ${q.status} ${q.headers.authorization === `Bearer ${w.token}` ? 'authToken' : q.headers.authorization}`,
          ),
      ).toEqual(['POST /wallets 200 authToken', 'POST /wallets 401 Bearer {{authToken}}']);
      expect(w.other.received.map((q) => `${q.method} ${q.url} ${q.body}`)).toEqual(['POST /hooks {"a":1}']);
      expect(noDfnsIn(w.other.received, w.token)).toEqual([]);
      expect(r.console).toContain(LATE_HOST('POST', '{{explorer}}', w.dfns));
    }));
});

describe('Insomnia, in the harness built from its sources', () => {
  const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');
  const plugin = createRequire(import.meta.url)(join(PLUGIN_DIR, 'main.js'));
  const json = { mimeType: 'application/json', text: '{}' };
  const headers = [{ name: 'Content-Type', value: 'application/json' }];
  const runners: [string, (request: InsomniaRequest, vars: Record<string, string>) => Promise<Outcome>][] = [
    ['script, 10', (request, vars) => runPreRequestScript(BUNDLE, request, { environment: vars }, { version: '10' })],
    [
      'script, newest with its sandbox off',
      (request, vars) => runPreRequestScript(BUNDLE, request, { environment: vars }, { version: 'newest', sandbox: false }),
    ],
    ['plugin', (request, vars) => runRequestHook(plugin.requestHooks[0], request, { environment: vars })],
  ];

  it.each(runners)('%s: refuses an empty path parameter and another token; signs a Bearer {{ _.authToken }} auth', (_name, run) =>
    inWorld(async (w) => {
      const u = 'http://{{ _.dfnsApiDomain }}';
      const emptyParam = await run(
        { url: `${u}/wallets/:walletId`, method: 'PUT', body: json, headers, pathParameters: [{ name: 'walletId', value: '' }] },
        w.vars(),
      );
      const otherToken = await run(
        {
          url: `${u}/wallets`,
          method: 'POST',
          body: json,
          headers: [...headers, { name: 'Authorization', value: 'Bearer another-token' }],
        },
        w.vars(),
      );
      const ownAuth = await run(
        { url: `${u}/wallets`, method: 'POST', body: json, headers, authentication: { type: 'bearer', token: '{{ _.authToken }}' } },
        w.vars(),
      );
      const said = (o: Outcome) => [o.error ?? '', ...o.logs].join('\n');
      expect(emptyParam.sent).toBeUndefined();
      expect(said(emptyParam)).toContain(
        'Dfns signer: the path variable walletId is empty. Give it a value in the Params tab, or the value {{ _.walletId }} and set walletId in the environment',
      );
      expect(otherToken.sent).toBeUndefined();
      expect(said(otherToken)).toMatch(
        /Dfns signer: the request's Authorization \(a header or its auth setting\) is not Bearer authToken, .* or set it to Bearer \{\{ _\.authToken \}\}/,
      );
      expect(ownAuth.status).toBe(200);
      expect(
        w.emu.mainRequests().map((r) => `${r.method} ${r.path} ${r.status} ${r.headers.authorization === `Bearer ${w.token}`}`),
      ).toEqual(['POST /wallets 200 true']);
      expect(w.emu.usedUserActions).toHaveLength(1);
    }),
  );
});
