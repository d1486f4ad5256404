// `dfns-signer inject`: puts the signer into a Postman collection v2.1 and keeps everything else.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectionProblem, injectCollection } from '../../bin/collection.js';
import { bundleInfo } from '../../scripts/bundle.mjs';
import { POSTMAN_STATUS_CHECK, STATUS_CHECK_MARKER } from '../../scripts/collections/checks.mjs';

// postman-collection ships no types.
const { Collection } = createRequire(import.meta.url)('postman-collection');
const CLI = new URL('../../bin/dfns-signer.js', import.meta.url).pathname;
const DIST = new URL('../../dist/dfns-signer.js', import.meta.url).pathname;
const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

const fakeBundle = (version: string, hex: string, body = `console.log("signer ${version}");`) =>
  `// dfns-signer ${version} sources+lockfile sha256:${hex.repeat(64 / hex.length)} (MIT)\n"use strict";${body}\nvar __dfnsError;\n`;
const OLD = fakeBundle('0.0.9', 'a');
const NEW = fakeBundle('0.1.0', 'b');
const lines = (bundle: string) => bundle.replace(/\n$/, '').split('\n');

/** An official-like signer, as a Postman user would have pasted or forked it. */
const OFFICIAL = [
  'const method = pm.request.method;',
  "if (['POST', 'PUT', 'DELETE'].includes(method)) {",
  "  pm.sendRequest({ url: 'https://' + pm.environment.get('dfnsApiDomain') + '/auth/action/init', method: 'POST' }, (err, res) => {",
  '    // ... sign the challenge with credentialPrivateKey, POST /auth/action ...',
  "    pm.request.headers.add({ key: 'X-DFNS-USERACTION', value: res.json().userAction });",
  '  });',
  '}',
];

/** A realistic export of the Postman app: folders, scripts at every level, auth everywhere, variables, examples. */
function realistic() {
  return {
    info: {
      _postman_id: '6f1c9a52-0b7e-4d1b-9d0e-3b8f6a3c2d11',
      name: 'Payments platform',
      description: 'Internal API, with *Markdown*.',
      schema: V21,
      _exporter_id: '45971326',
      _collection_link: 'https://www.postman.com/acme/workspace/x/collection/45971326-6f1c9a52',
    },
    item: [
      {
        name: 'Wallets',
        description: 'Folder with its own auth and scripts',
        auth: {
          type: 'apikey',
          apikey: [
            { key: 'key', value: 'X-API-Key', type: 'string' },
            { key: 'value', value: '{{apiKey}}', type: 'string' },
          ],
        },
        item: [
          {
            name: 'Create wallet',
            event: [
              {
                listen: 'prerequest',
                script: { id: 'd1f2', exec: ["pm.variables.set('walletName', 'w-' + Date.now());"], type: 'text/javascript', packages: {} },
              },
              {
                listen: 'test',
                script: {
                  id: 'e3a4',
                  exec: [
                    'pm.test("201", () => pm.response.to.have.status(201));',
                    'pm.collectionVariables.set("walletId", pm.response.json().id);',
                  ],
                  type: 'text/javascript',
                },
              },
            ],
            protocolProfileBehavior: { disabledSystemHeaders: { 'content-type': true } },
            request: {
              auth: { type: 'noauth' },
              method: 'POST',
              header: [
                { key: 'Content-Type', value: 'application/json' },
                { key: 'X-Debug', value: '1', disabled: true, description: 'only in dev' },
              ],
              body: {
                mode: 'raw',
                raw: '{\n  "network": "EthereumSepolia",\n  "name": "{{walletName}}"\n}',
                options: { raw: { language: 'json' } },
              },
              url: {
                raw: '{{baseUrl}}/wallets?dryRun=false',
                host: ['{{baseUrl}}'],
                path: ['wallets'],
                query: [{ key: 'dryRun', value: 'false', description: 'd' }],
              },
              description: 'Creates a wallet',
            },
            response: [
              {
                name: 'Created',
                originalRequest: {
                  method: 'POST',
                  header: [],
                  url: { raw: '{{baseUrl}}/wallets', host: ['{{baseUrl}}'], path: ['wallets'] },
                },
                status: 'Created',
                code: 201,
                _postman_previewlanguage: 'json',
                header: [{ key: 'Content-Type', value: 'application/json' }],
                cookie: [],
                body: '{"id":"wa-1"}',
              },
            ],
          },
          {
            name: 'Nested',
            item: [
              {
                name: 'Get wallet',
                request: {
                  method: 'GET',
                  header: [],
                  url: {
                    raw: '{{baseUrl}}/wallets/:walletId',
                    host: ['{{baseUrl}}'],
                    path: ['wallets', ':walletId'],
                    variable: [{ key: 'walletId', value: '{{walletId}}', description: 'id' }],
                  },
                  auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{otherToken}}', type: 'string' }] },
                },
                response: [],
              },
              {
                name: 'Upload',
                request: {
                  method: 'POST',
                  header: [],
                  body: {
                    mode: 'formdata',
                    formdata: [
                      { key: 'file', type: 'file', src: '/tmp/a.txt' },
                      { key: 'note', value: 'n', type: 'text' },
                    ],
                  },
                  url: 'https://example.com/upload',
                },
              },
            ],
            event: [{ listen: 'test', script: { type: 'text/javascript', exec: 'console.log("folder test")' } }],
          },
        ],
        event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: ['console.log("folder pre")'] } }],
      },
      {
        name: 'GraphQL',
        request: {
          method: 'POST',
          header: [],
          body: { mode: 'graphql', graphql: { query: 'query { me { id } }', variables: '{}' } },
          url: { raw: 'https://example.com/graphql', protocol: 'https', host: ['example', 'com'], path: ['graphql'] },
        },
        response: [],
      },
    ],
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{authToken}}', type: 'string' }] },
    event: [
      {
        listen: 'prerequest',
        script: {
          id: 'c0ll',
          type: 'text/javascript',
          exec: ['// collection pre-request: set a timestamp', "pm.variables.set('ts', Date.now());"],
          packages: {},
        },
      },
      {
        listen: 'test',
        script: { type: 'text/javascript', exec: ['pm.test("fast", () => pm.expect(pm.response.responseTime).to.be.below(5000));'] },
      },
    ],
    variable: [
      { key: 'baseUrl', value: 'https://{{dfnsApiDomain}}', type: 'string' },
      { key: 'walletId', value: '' },
      { key: 'retries', value: 3, type: 'number', disabled: true },
    ],
    protocolProfileBehavior: { followRedirects: false },
  };
}

function tmp() {
  return mkdtempSync(join(tmpdir(), 'dfns-inject-'));
}
function writeBundles(dir: string) {
  writeFileSync(join(dir, 'old.js'), OLD);
  writeFileSync(join(dir, 'new.js'), NEW);
  return { old: join(dir, 'old.js'), new: join(dir, 'new.js') };
}
function run(args: string[], opts: { input?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: opts.input ?? '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function writeJson(file: string, json: unknown, indent: string | number = '\t') {
  writeFileSync(file, JSON.stringify(json, null, indent));
  return readFileSync(file);
}
const loadJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const ours = (c: any) => c.event.filter((e: any) => e.listen === 'prerequest' && bundleInfo(e.script.exec.join('\n')));

describe('inject (CLI)', { timeout: 30_000 }, () => {
  it('adds the signer after the other collection-level scripts and keeps everything else, in a new file', () => {
    const dir = tmp();
    const b = writeBundles(dir);
    const input = join(dir, 'Payments.postman_collection.json');
    const before = writeJson(input, realistic());

    const r = run(['inject', input, '--script', b.new]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('added dfns-signer 0.1.0');
    expect(readFileSync(input)).toEqual(before); // input untouched
    const outFile = join(dir, 'Payments.postman_collection.signed.json');
    const out = loadJson(outFile);

    const expected: any = realistic();
    expected.event.push({ listen: 'prerequest', script: { type: 'text/javascript', exec: lines(NEW) } });
    expect(out).toEqual(expected);
    // Same layout as the export (tabs), same key order.
    expect(readFileSync(outFile, 'utf8').split('\n')[1]).toMatch(/^\t"info"/);
    expect(Object.keys(out)).toEqual(Object.keys(realistic()));
    // Still a collection the Postman library reads, with the script where Postman runs it.
    const loaded = new Collection(out);
    expect(loaded.events.listeners('prerequest').map((e: any) => e.script.exec.join('\n'))).toContain(lines(NEW).join('\n'));
  });

  it('is idempotent: injecting twice gives the same bytes as once', () => {
    const dir = tmp();
    const b = writeBundles(dir);
    const input = join(dir, 'c.json');
    writeJson(input, realistic(), 2);
    expect(run(['inject', input, '-o', join(dir, 'once.json'), '--script', b.new]).code).toBe(0);
    const again = run(['inject', join(dir, 'once.json'), '-o', join(dir, 'twice.json'), '--script', b.new]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already the collection-level pre-request script');
    expect(readFileSync(join(dir, 'twice.json'), 'utf8')).toBe(readFileSync(join(dir, 'once.json'), 'utf8'));

    // In place, when nothing changes, the file is not even rewritten.
    const mtime = statSync(join(dir, 'once.json')).mtimeMs;
    const inPlace = run(['inject', join(dir, 'once.json'), '--in-place', '--script', b.new]);
    expect(inPlace.code).toBe(0);
    expect(inPlace.stderr).toContain('unchanged');
    expect(statSync(join(dir, 'once.json')).mtimeMs).toBe(mtime);
  });

  it('replaces an older copy where it is, recognised by its marker line', () => {
    const dir = tmp();
    const b = writeBundles(dir);
    const input = join(dir, 'c.json');
    const c: any = realistic();
    c.event.unshift({ listen: 'prerequest', script: { id: 'keep-me', type: 'text/javascript', exec: lines(OLD) } });
    writeJson(input, c);

    const r = run(['inject', input, '-i', '--script', b.new]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/replaced dfns-signer 0\.0\.9 \(sha256:a+\) with 0\.1\.0 \(sha256:b+\)/);
    const out = loadJson(input);
    expect(out.event).toHaveLength(3);
    expect(out.event[0]).toEqual({ listen: 'prerequest', script: { id: 'keep-me', type: 'text/javascript', exec: lines(NEW) } });
    expect(ours(out)).toHaveLength(1);
    expect({ ...out, event: out.event.slice(1) }).toEqual(realistic());
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('stops on an official-like signer (exit 3, nothing written), lists where, and replaces it with --replace-official', () => {
    const dir = tmp();
    const b = writeBundles(dir);
    const input = join(dir, 'official.json');
    const c: any = realistic();
    c.event.unshift({ listen: 'prerequest', script: { type: 'text/javascript', exec: OFFICIAL } });
    c.item[0].item[0].event.push({
      listen: 'prerequest',
      script: { type: 'text/javascript', exec: "pm.request.headers.upsert({key: 'x-dfns-useraction', value: pm.variables.get('ua')})" },
    });
    c.item[0].item[1].event.push({ listen: 'prerequest', script: { type: 'text/javascript', exec: lines(OLD) } });
    const before = writeJson(input, c);

    const refused = run(['inject', input, '--script', b.new]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('collection-level: a script that sets X-DFNS-USERACTION');
    expect(refused.stderr).toContain('request "Wallets / Create wallet": a script that sets X-DFNS-USERACTION');
    expect(refused.stderr).toContain('folder "Wallets / Nested": a copy of dfns-signer 0.0.9');
    expect(refused.stderr).toContain('--replace-official');
    expect(readFileSync(input)).toEqual(before);
    expect(existsSync(join(dir, 'official.signed.json'))).toBe(false);

    const replaced = run(['inject', input, '--replace-official', '--script', b.new]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stderr).toContain('removed collection-level: a script that sets X-DFNS-USERACTION (7 lines)');
    expect(replaced.stderr).toContain('removed request "Wallets / Create wallet"');
    expect(replaced.stderr).toContain('removed folder "Wallets / Nested": a copy of dfns-signer 0.0.9');
    expect(readFileSync(input)).toEqual(before);
    const out = loadJson(join(dir, 'official.signed.json'));
    const expected: any = realistic();
    expected.event.push({ listen: 'prerequest', script: { type: 'text/javascript', exec: lines(NEW) } });
    expect(out).toEqual(expected);

    const forced = run(['inject', input, '--force', '-o', join(dir, 'forced.json'), '--script', b.new]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('kept (--force)');
    expect(loadJson(join(dir, 'forced.json')).event[0].script.exec).toEqual(OFFICIAL);
  });

  it('writes to stdout with -o -, and notes request scripts that change the request after signing', () => {
    const dir = tmp();
    const b = writeBundles(dir);
    const input = join(dir, 'c.json');
    const c: any = realistic();
    c.item[1].event = [{ listen: 'prerequest', script: { type: 'text/javascript', exec: ["pm.request.body.update('{}')"] } }];
    writeJson(input, c);
    const r = run(['inject', input, '-o', '-', '--script', b.new]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).event.at(-1).script.exec).toEqual(lines(NEW));
    expect(r.stderr).toContain('note: pre-request scripts that change');
    expect(r.stderr).toContain('request "GraphQL"');
  });

  it('keeps CRLF line ends and preserves the file mode when writing in place', () => {
    const dir = tmp();
    const b = writeBundles(dir);
    const input = join(dir, 'c.json');
    writeFileSync(input, `${JSON.stringify(realistic(), null, 4).replace(/\n/g, '\r\n')}\r\n`);
    chmodSync(input, 0o640);
    expect(run(['inject', input, '--in-place', '--script', b.new]).code).toBe(0);
    const text = readFileSync(input, 'utf8');
    expect(text.endsWith('}\r\n')).toBe(true);
    expect(text.split('\r\n')[1]).toMatch(/^ {4}"info"/);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
    expect(statSync(input).mode & 0o777).toBe(0o640);
  });

  it.each([
    ['a missing file', null, /error: .*missing\.json: no such file$/],
    ['an empty file', '', /is empty$/],
    ['text that is not JSON', '{"info": {"schema": ', /is not valid JSON \(/],
    ['JSON that is not an object', '[1,2]', /is not a Postman collection \(the JSON is not an object\)$/],
    ['JSON without info', '{"item": []}', /is not a Postman collection v2\.1 \(it has no "info" object\)$/],
    [
      'a v2.0 collection',
      JSON.stringify({ info: { name: 'x', schema: 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json' }, item: [] }),
      /is a Postman collection v2\.0; export it again as "Collection v2\.1"/,
    ],
    ['a v1 collection', JSON.stringify({ id: 'x', name: 'x', order: [], requests: [] }), /is not a Postman collection v2\.1/],
    ['a collection without item', JSON.stringify({ info: { name: 'x', schema: V21 } }), /"item" is not an array/],
    [
      'a Postman environment',
      JSON.stringify({ id: 'e', name: 'env', values: [], _postman_variable_scope: 'environment' }),
      /is a Postman environment file, not a collection$/,
    ],
    ['an Insomnia export', JSON.stringify({ _type: 'export', __export_format: 4, resources: [] }), /is an Insomnia export/],
  ])('refuses %s: exit 2, one clear line, input and output untouched', (_name, content, message) => {
    const dir = tmp();
    const b = writeBundles(dir);
    const input = join(dir, content === null ? 'missing.json' : 'in.json');
    if (content !== null) writeFileSync(input, content);
    const out = join(dir, 'out.json');
    writeFileSync(out, 'previous output');
    for (const extra of [[], ['-o', out], ['--in-place']]) {
      const r = run(['inject', input, '--script', b.new, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const errLines = r.stderr.trimEnd().split('\n');
      expect(errLines).toHaveLength(1);
      expect(errLines[0]).toMatch(/^dfns-signer inject: error: /);
      expect(errLines[0]).toMatch(message);
      if (content === null) expect(existsSync(input)).toBe(false);
      else expect(readFileSync(input, 'utf8')).toBe(content);
      expect(readFileSync(out, 'utf8')).toBe('previous output');
    }
    expect(readdirSync(dir).sort()).toEqual([...(content === null ? [] : ['in.json']), 'new.js', 'old.js', 'out.json'].sort());
  });

  it('refuses bad arguments and a script that is not the signer', () => {
    const dir = tmp();
    const input = join(dir, 'c.json');
    writeJson(input, realistic());
    writeFileSync(join(dir, 'other.js'), 'console.log(1)\n');
    expect(run(['inject']).code).toBe(2);
    expect(run(['inject', input, input]).code).toBe(2);
    expect(run(['inject', input, '--bogus']).stderr).toMatch(/^dfns-signer inject: error: .*bogus/);
    expect(run(['inject', input, '-i', '-o', 'x.json']).code).toBe(2);
    const notOurs = run(['inject', input, '--script', join(dir, 'other.js')]);
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toContain('is not a dfns-signer build');
    expect(run(['frobnicate']).code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['c.json', 'other.js']);
  });

  it('has help that says where the output goes', () => {
    const r = run(['inject', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<collection>.signed.json');
    expect(r.stdout).toContain('--in-place');
    expect(r.stdout).toContain('--replace-official');
    expect(r.stdout).toContain('--add-status-check');
    expect(run(['--help']).stdout).toContain('inject <collection.json>');
  });

  it("--add-status-check adds the status check as the collection-level test script, leaves the requests' own tests alone, and not twice", () => {
    const dir = tmp();
    const b = writeBundles(dir);
    const input = join(dir, 'c.json');
    writeJson(input, realistic());
    const r = run(['inject', input, '-o', join(dir, 'checked.json'), '--add-status-check', '--script', b.new]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('added the status check as the collection-level test script');
    const out = loadJson(join(dir, 'checked.json'));
    const expected: any = realistic();
    expected.event.push(
      { listen: 'prerequest', script: { type: 'text/javascript', exec: lines(NEW) } },
      { listen: 'test', script: { type: 'text/javascript', exec: POSTMAN_STATUS_CHECK } },
    );
    expect(out).toEqual(expected);
    expect(new Collection(out).events.listeners('test').map((e: any) => e.script.exec[0])).toContain(STATUS_CHECK_MARKER);

    const again = run(['inject', join(dir, 'checked.json'), '-o', join(dir, 'again.json'), '--add-status-check', '--script', b.new]);
    expect(again.stderr).toContain('the collection-level status check is up to date');
    expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(readFileSync(join(dir, 'checked.json'), 'utf8'));
    // Without the option, nothing about tests changes: the check stays, and none is added to a collection without one.
    expect(run(['inject', join(dir, 'checked.json'), '-o', join(dir, 'kept.json'), '--script', b.new]).stderr).not.toContain(
      'status check',
    );
    expect(loadJson(join(dir, 'kept.json'))).toEqual(out);
    expect(run(['inject', input, '-o', join(dir, 'plain.json'), '--script', b.new]).stderr).not.toContain('status check');
    expect(loadJson(join(dir, 'plain.json')).event.some((e: any) => e.listen === 'test' && e.script.exec[0] === STATUS_CHECK_MARKER)).toBe(
      false,
    );
  });

  it.runIf(existsSync(DIST))('injects dist/dfns-signer.js by default', () => {
    const dir = tmp();
    const input = join(dir, 'c.json');
    writeJson(input, realistic());
    const r = run(['inject', input, '-o', join(dir, 'out.json')]);
    expect(r.code, r.stderr).toBe(0);
    const out = loadJson(join(dir, 'out.json'));
    expect(out.event.at(-1).script.exec.join('\n')).toBe(readFileSync(DIST, 'utf8').replace(/\n$/, ''));
  });
});

describe('injectCollection (library)', () => {
  it('round-trips the generated collection and a collection without events', () => {
    const bare = { info: { name: 'x', schema: V21 }, item: [] };
    const r = injectCollection(bare, NEW);
    expect(r.status).toBe('added');
    expect(r.collection).toEqual({ ...bare, event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: lines(NEW) } }] });
    expect(bare).toEqual({ info: { name: 'x', schema: V21 }, item: [] }); // input not mutated
    expect(injectCollection(r.collection, NEW).status).toBe('unchanged');
  });

  it('accepts exec as a string and the draft-07 schema URL', () => {
    const c = {
      info: { name: 'x', schema: 'https://schema.postman.com/json/collection/v2.1.0/draft-07/collection.json' },
      item: [],
      event: [{ listen: 'prerequest', script: { exec: OLD } }],
    };
    expect(collectionProblem(c)).toBeUndefined();
    const r = injectCollection(c, NEW);
    expect(r.status).toBe('replaced');
    expect(r.collection.event).toEqual([{ listen: 'prerequest', script: { exec: lines(NEW), type: 'text/javascript' } }]);
  });

  it('removes a second copy, and says when our copy is disabled', () => {
    const c = {
      info: { name: 'x', schema: V21 },
      item: [],
      event: [
        { listen: 'prerequest', disabled: true, script: { type: 'text/javascript', exec: lines(OLD) } },
        { listen: 'prerequest', script: { type: 'text/javascript', exec: lines(OLD) } },
      ],
    };
    const r = injectCollection(c, NEW);
    expect(r.collection.event).toHaveLength(1);
    expect(r.removed).toEqual(['collection-level: a second copy of dfns-signer']);
    expect(r.notes[0]).toContain('disabled');
  });

  it('--add-status-check: an older check is updated in place; requests that carry their own (a generated collection) get no second one', () => {
    const old = { listen: 'test', script: { type: 'text/javascript', exec: [STATUS_CHECK_MARKER, 'pm.test("old", function () {});'] } };
    const c = { info: { name: 'x', schema: V21 }, item: [], event: [old] };
    const r = injectCollection(c, NEW, { addStatusCheck: true });
    expect(r.statusCheck).toBe('replaced');
    expect(r.collection.event[0]).toEqual({ listen: 'test', script: { type: 'text/javascript', exec: POSTMAN_STATUS_CHECK } });
    expect(injectCollection(r.collection, NEW, { addStatusCheck: true }).statusCheck).toBe('unchanged');
    expect(injectCollection(c, NEW).statusCheck).toBeUndefined();

    const perRequest = {
      info: { name: 'x', schema: V21 },
      item: [{ name: 'f', item: [{ name: 'r', request: { method: 'GET', url: 'https://api.dfns.io/wallets' }, event: [{ ...old }] }] }],
    };
    const p = injectCollection(perRequest, NEW, { addStatusCheck: true });
    expect(p.statusCheck).toBe('per-request');
    expect(p.collection.event.map((e: any) => e.listen)).toEqual(['prerequest']);
  });

  it('finds signers in any case of the header name, at every level', () => {
    const c: any = realistic();
    c.item[0].event.push({ listen: 'prerequest', script: { exec: ["headers['X-Dfns-UserAction'] = ua"] } });
    c.item[0].item[0].event.push({ listen: 'test', script: { exec: ["pm.expect(pm.request.headers.get('x-dfns-useraction')).to.exist"] } });
    // test scripts do not sign
    expect(injectCollection(c, NEW).conflicts).toEqual(['folder "Wallets": a script that sets X-DFNS-USERACTION']);
  });
});
