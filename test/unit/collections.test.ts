// The committed collections are exactly what scripts/generate-collections.mjs (scripts/collections/) writes from the
// catalogue and dist/dfns-signer.js, and each is a faithful file of its client's format.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { injectCollection } from '../../bin/collection.js';
import { BUNDLE_FILE, bundleInfo } from '../../scripts/bundle.mjs';
import {
  allPathParams,
  DEFAULT_SCHEME,
  type Endpoint,
  endpointKey,
  pathParams,
  SCHEME_VARIABLE,
  SECRET_VARIABLES,
  SUBSET,
  VARIABLES,
} from '../../scripts/collections/catalogue.mjs';
import {
  BRUNO_STATUS_CHECK,
  HOPPSCOTCH_STATUS_CHECK,
  HTTPYAC_STATUS_CHECK,
  INSOMNIA_STATUS_CHECK,
  POSTMAN_STATUS_CHECK,
} from '../../scripts/collections/checks.mjs';
import { compare, ROOT } from '../../scripts/collections/files.mjs';
import { GENERATED_DIRS, generate, readInputs } from '../../scripts/collections/generate.mjs';
import {
  HOPPSCOTCH_CLI_ENVIRONMENT,
  HOPPSCOTCH_COLLECTION,
  HOPPSCOTCH_ENVIRONMENT,
  HOPPSCOTCH_QUICKSTART,
} from '../../scripts/collections/hoppscotch.mjs';
import { CHECK, hoppscotchLoginScript, LOGIN_KEY } from '../../scripts/collections/login.mjs';

const require = createRequire(import.meta.url);
// postman-collection ships no types.
const { Collection, Url } = require('postman-collection');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const POSTMAN = 'collections/dfns-api.postman_collection.json';

let bundle = '';
let catalogue: Endpoint[] = [];
let files: Record<string, string> = {};
let collection: any;

beforeAll(() => {
  ({ bundle, catalogue } = readInputs());
  files = generate({ bundle, catalogue });
  collection = JSON.parse(read(POSTMAN));
});

/** The collection's folders: every item but "Check my setup", which comes first. */
const folderItems = (items: any[]) => items.filter((it) => it.name !== CHECK.name);
/** Every request of a Postman collection with the names of its folders. */
function requests(items: any[], trail: string[] = []): { item: any; folders: string[] }[] {
  return items.flatMap((it) => (Array.isArray(it.item) ? requests(it.item, [...trail, it.name]) : [{ item: it, folders: trail }]));
}
/** `/wallets/:walletId` → `/wallets/{walletId}`. */
const catalogPath = (segments: string[]) => `/${segments.map((s) => s.replace(/^:(.+)$/, '{$1}')).join('/')}`;
const script = () => bundle.replace(/\r?\n$/, '');
/** 'PUT /wallets/{walletId}' → 'PUT <scheme>://<host>/wallets/:walletId'. */
const subsetUrls = (scheme: string, host: string) =>
  SUBSET.map((k) => {
    const [method, path] = k.split(' ');
    return `${method} ${scheme}://${host}${path.replace(/\{([^}]+)\}/g, ':$1')}`;
  });
/** The path parameters of the subset's requests, in order of first use. */
const SUBSET_PARAMS = [...new Set(SUBSET.flatMap((k) => pathParams(k)))];
/** The variables of an environment template: the official names, the scheme, then path parameters. */
const templateVariables = (params: string[]) => [...VARIABLES, SCHEME_VARIABLE, ...params];
const templateValue = (key: string) => (key === 'dfnsApiDomain' ? 'api.dfns.io' : key === SCHEME_VARIABLE ? 'https' : '');

describe('generated files are committed as generated', { timeout: 30_000 }, () => {
  it('every file under collections/ equals the generator output for the catalogue and dist/dfns-signer.js', () => {
    expect(Object.keys(files).sort()).toEqual([
      'collections/apidog/dfns-api.apidog-cli.json',
      'collections/bruno/Check my setup.bru',
      'collections/bruno/Create Wallet.bru',
      'collections/bruno/Delete Webhook.bru',
      'collections/bruno/List Wallets.bru',
      'collections/bruno/Update Wallet.bru',
      'collections/bruno/bruno.json',
      'collections/bruno/collection.bru',
      'collections/bruno/environments/Dfns.bru',
      'collections/dfns-api.postman_collection.json',
      'collections/dfns.postman_environment.json',
      'collections/hoppscotch/dfns-api.hoppscotch.json',
      'collections/hoppscotch/dfns-cli.hoppscotch_environment.json',
      'collections/hoppscotch/dfns-quickstart.hoppscotch.json',
      'collections/hoppscotch/dfns.hoppscotch_environment.json',
      'collections/httpyac/dfns-api.http',
      'collections/httpyac/dfns-signer.cjs',
      'collections/httpyac/httpyac.config.cjs',
      'collections/insomnia/dfns-api.insomnia.json',
      'collections/yaak/dfns-api.yaak.json',
    ]);
    const problems = compare(files, GENERATED_DIRS);
    expect(problems, 'run "npm run build && npm run generate" and commit the result').toEqual([]);
  });

  it('--check agrees, and reports a committed file that was edited by hand', () => {
    const ok = spawnSync(process.execPath, [join(ROOT, 'scripts/generate-collections.mjs'), '--check'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^collections up to date \(20 files, dfns-signer /);

    const root = mkdtempSync(join(tmpdir(), 'dfns-gen-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    expect(compare(files, GENERATED_DIRS, root)).toEqual([]);
    writeFileSync(join(root, POSTMAN), files[POSTMAN].replace('"Create Wallet"', '"Create wallet"'));
    writeFileSync(join(root, 'collections/bruno/Old Request.bru'), 'meta {\n  name: Old\n}\n');
    writeFileSync(join(root, HOPPSCOTCH_COLLECTION), files[HOPPSCOTCH_COLLECTION].replace('"authType": "none"', '"authType": "bearer"'));
    writeFileSync(join(root, 'collections/hoppscotch/old.hoppscotch.json'), '{}\n');
    expect(compare(files, GENERATED_DIRS, root)).toEqual([
      { file: POSTMAN, problem: 'differs' },
      { file: HOPPSCOTCH_COLLECTION, problem: 'differs' },
      { file: 'collections/bruno/Old Request.bru', problem: 'not generated (stale)' },
      { file: 'collections/hoppscotch/old.hoppscotch.json', problem: 'not generated (stale)' },
    ]);
  });

  it('--check fails (exit 1, nothing written) when the committed files are not what this bundle gives', () => {
    const other = join(mkdtempSync(join(tmpdir(), 'dfns-gen-')), 'other.js');
    writeFileSync(other, bundle.replace(/sha256:[0-9a-f]+/, `sha256:${'0'.repeat(64)}`));
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/generate-collections.mjs'), '--check', '--bundle', other], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${POSTMAN}: differs`);
    expect(r.stderr).toContain(
      `collections are out of date with the catalogue or dfns-signer ${bundleInfo(bundle)!.version} sha256:000000000000: run "npm run generate"`,
    );
    expect(compare(files, GENERATED_DIRS)).toEqual([]);
  });

  it('is deterministic and embeds the bundle found in dist/', () => {
    expect(generate({ bundle, catalogue })).toEqual(files);
    expect(bundleInfo(bundle)).toBeDefined();
    expect(bundle).toBe(readFileSync(BUNDLE_FILE, 'utf8'));
    for (const text of Object.values(files)) expect(text.endsWith('\n')).toBe(true);
  });

  it('changes when the bundle changes', () => {
    const other = bundle.replace(/sha256:[0-9a-f]+/, `sha256:${'0'.repeat(64)}`);
    const changed = generate({ bundle: other, catalogue });
    expect(changed[POSTMAN]).not.toBe(files[POSTMAN]);
    expect(changed['collections/dfns.postman_environment.json']).toBe(files['collections/dfns.postman_environment.json']);
    expect(changed[HOPPSCOTCH_COLLECTION]).not.toBe(files[HOPPSCOTCH_COLLECTION]);
    expect(changed[HOPPSCOTCH_ENVIRONMENT]).toBe(files[HOPPSCOTCH_ENVIRONMENT]);
  });
});

describe('Postman collection', () => {
  it('is a collection v2.1 with the bundle as its only collection-level script, no auth, and the scheme https as its one variable', () => {
    expect(collection.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(collection.info.name).toBe('Dfns API');
    expect(collection.auth).toBeUndefined();
    // Below the environment: the official Dfns environment, which has no dfnsApiScheme, gets https.
    expect(collection.variable).toEqual([expect.objectContaining({ key: 'dfnsApiScheme', value: 'https', type: 'string' })]);
    expect(collection.event).toHaveLength(1);
    expect(collection.event[0].listen).toBe('prerequest');
    expect(collection.event[0].script.type).toBe('text/javascript');
    expect(collection.event[0].script.exec.join('\n')).toBe(script());
    expect(collection.event[0].script.exec[0]).toMatch(/^\/\/ dfns-signer \S+ sources\+lockfile sha256:[0-9a-f]{64}/);
  });

  it('has every catalogue endpoint exactly once, in a folder named after its area', () => {
    const all = requests(folderItems(collection.item));
    const keys = all.map(({ item }) => `${item.request.method} ${catalogPath(item.request.url.path)}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(catalogue.map(endpointKey).sort());
    expect(all.every(({ folders }) => folders.length === 1)).toBe(true);
    const byKey = new Map(
      all.map(({ item, folders }) => [`${item.request.method} ${catalogPath(item.request.url.path)}`, { item, folder: folders[0] }]),
    );
    for (const e of catalogue) {
      const { item, folder } = byKey.get(endpointKey(e))!;
      expect(item.name).toBe(e.name);
      expect(item.request.description).toContain(e.userAction ? 'Needs a user action' : 'No user action needed');
      expect(folder).toMatch(/^[A-Z]/);
      expect(folder).not.toMatch(/-[a-z]/); // readable, not the group id
    }
    const folders = folderItems(collection.item).map((f: any) => f.name);
    expect(folders).toContain('Wallets');
    expect(folders).toContain('Auth — User Action Signing');
    expect(folders).toContain('Keys');
    expect(new Set(folders).size).toBe(folders.length);
    expect(new Set(catalogue.map((e) => e.group)).size).toBe(folders.length);
  });

  it('uses {{dfnsApiScheme}}://{{dfnsApiDomain}} and Postman path variables for {params}, valued {{param}} and described', () => {
    for (const { item } of requests(collection.item)) {
      const url = item.request.url;
      const path = catalogPath(url.path);
      expect(url.raw).toBe(`{{dfnsApiScheme}}://{{dfnsApiDomain}}${path.replace(/\{([^}]+)\}/g, ':$1')}`);
      expect(url.protocol).toBe('{{dfnsApiScheme}}');
      expect(url.host).toEqual(['{{dfnsApiDomain}}']);
      expect(url.query).toBeUndefined();
      const params = pathParams(path);
      if (params.length === 0) expect(url.variable).toBeUndefined();
      else {
        expect(url.variable.map((v: any) => v.key)).toEqual(params);
        for (const v of url.variable) {
          // A variable reference: newman's --env-var can set it, a path variable it cannot.
          expect(v.value).toBe(`{{${v.key}}}`);
          expect(v.description).toContain(`--env-var ${v.key}=`);
        }
      }
      expect(item.request.auth).toBeUndefined();
      // Every request carries the status check, and nothing else; Complete User Login's keeps the token too, and
      // Check my setup's is the check itself (login.mjs).
      const exec = item.event.map((e: any) => e.script.exec);
      if (item.name === CHECK.name) expect(exec[0].join('\n')).toContain('function dfnsSetupCheck(');
      else if (item.name === 'Complete User Login') expect(exec[0].slice(0, POSTMAN_STATUS_CHECK.length)).toEqual(POSTMAN_STATUS_CHECK);
      else expect(item.event).toEqual([{ listen: 'test', script: { type: 'text/javascript', exec: POSTMAN_STATUS_CHECK } }]);
    }
  });

  it('starts with "Check my setup" (GET /auth/credentials), whose test script never reads a key', () => {
    const check = collection.item[0];
    expect([check.name, check.request.method, check.request.url.raw]).toEqual([
      CHECK.name,
      'GET',
      '{{dfnsApiScheme}}://{{dfnsApiDomain}}/auth/credentials',
    ]);
    expect(check.event.map((e: any) => e.listen)).toEqual(['test']);
    const text = check.event[0].script.exec.join('\n');
    expect(text).toContain("pm.variables.get('authToken')");
    expect(text).not.toMatch(/get\('credentialPrivateKey'\)/);
    expect(text).not.toMatch(/console\.log\([^)]*authToken/);
  });

  it('Complete User Login: described, and its test keeps the token in the environment without printing it', () => {
    const login = requests(collection.item).find(
      ({ item }) => `${item.request.method} ${catalogPath(item.request.url.path)}` === LOGIN_KEY,
    )!.item;
    expect(login.request.description).toContain('set dfnsUsername');
    expect(login.event.map((e: any) => e.listen)).toEqual(['test']);
    const text = login.event[0].script.exec.join('\n');
    expect(text).toContain("pm.environment.set('authToken', token)");
    expect(text).not.toMatch(/console\./);
  });

  it('gives POST and PUT a raw JSON body with Content-Type, GET none, DELETE only where Dfns takes one', () => {
    for (const { item } of requests(collection.item)) {
      const r = item.request;
      const contentType = r.header.filter((h: any) => h.key === 'Content-Type');
      if (r.body?.mode === 'formdata') continue; // the key-store outputs: below
      if (r.body) {
        expect(r.body.mode).toBe('raw');
        expect(r.body.options).toEqual({ raw: { language: 'json' } });
        expect(() => JSON.parse(r.body.raw)).not.toThrow();
        expect(contentType).toEqual([{ key: 'Content-Type', value: 'application/json' }]);
      } else expect(r.header).toEqual([]);
      if (r.method === 'POST' || r.method === 'PUT') expect(r.body).toBeDefined();
      if (r.method === 'GET') expect(r.body).toBeUndefined();
      if (r.method === 'DELETE' && r.body) expect(catalogPath(r.url.path)).toMatch(/\/tags$/);
    }
    const body = (name: string) => JSON.parse(requests(collection.item).find(({ item }) => item.name === name)!.item.request.body.raw);
    expect(body('Create Wallet')).toEqual({ network: 'EthereumSepolia', name: 'my wallet' });
    expect(body('Update Wallet')).toHaveProperty('name');
    expect(body('Transfer Asset')).toHaveProperty('kind', 'Native');
  });

  it('sends the key-store outputs as a form of data (the JSON signed, with fileChecksum) and file, as the Dfns SDK does', () => {
    const forms = requests(collection.item).filter(({ item }) => item.request.body?.mode === 'formdata');
    expect(forms.map(({ item }) => catalogPath(item.request.url.path)).sort()).toEqual(
      catalogue
        .filter((e) => e.method === 'POST' && /^\/key-stores\/\{storeId\}\/[^/]+\/output$/.test(e.path))
        .map((e) => e.path)
        .sort(),
    );
    expect(forms).toHaveLength(7);
    for (const { item } of forms) {
      expect(item.request.header).toEqual([]);
      expect(item.request.body.formdata).toEqual([
        { key: 'data', value: '{\n  "outputJson": {},\n  "fileChecksum": ""\n}', type: 'text' },
        { key: 'file', src: [], type: 'file' },
      ]);
      expect(item.request.description).toContain('sha256sum');
    }
  });

  it('says what makes Create Credential and registration sendable as they are, and which requests still are not', () => {
    const describe = (name: string) => requests(collection.item).find(({ item }) => item.name === name)!.item.request.description;
    expect(describe('Create Credential')).toMatch(/newCredentialPrivateKey.*login token only/s);
    expect(describe('Complete User Registration')).toMatch(/dfnsRegistrationCode.*temporary token/s);
    expect(describe('Recover User')).toMatch(/^`POST \/auth\/recover\/user`\n\n.*\n\nCannot be sent as it is/s);
  });

  it('has stable, unique ids', () => {
    const ids = [
      collection.info._postman_id,
      ...folderItems(collection.item).map((f: any) => f.id),
      ...requests(collection.item).map(({ item }) => item.id),
    ];
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('loads in postman-collection with every method, URL, path variable and body intact', () => {
    const loaded = new Collection(collection);
    expect(Collection.isCollection(loaded)).toBe(true);
    const again = loaded.toJSON() as any;
    expect(again.info.schema).toBe(collection.info.schema);
    expect(again.event[0].script.exec.join('\n')).toBe(script());

    const expected = new Map(requests(collection.item).map(({ item }) => [item.id, item]));
    let count = 0;
    loaded.forEachItem((item: any) => {
      count++;
      const original = expected.get(item.id)!;
      expect(item.name).toBe(original.name);
      expect(item.request.method).toBe(original.request.method);
      expect(item.request.url.getPath(true)).toBe(`/${original.request.url.path.join('/')}`);
      expect(item.request.url.getHost()).toBe('{{dfnsApiDomain}}');
      expect(item.request.url.protocol).toBe('{{dfnsApiScheme}}');
      expect(item.request.url.variables.map((v: any) => v.key)).toEqual((original.request.url.variable ?? []).map((v: any) => v.key));
      expect(item.request.body?.raw).toBe(original.request.body?.raw);
      // Resolving the path variables gives the catalogue path with the values in place.
      const filled = new Url(item.request.url.toJSON());
      filled.variables.each((v: any) => v.set(`${v.key}-1`));
      expect(filled.getPath()).toBe(catalogPath(original.request.url.path).replace(/\{([^}]+)\}/g, '$1-1'));
    });
    expect(count).toBe(catalogue.length + 1); // and Check my setup
    // The round trip through the library keeps every request field the collection has (toString puts each
    // path variable's value, {{name}}, in place of its :name).
    const backAgain = requests(again.item);
    expect(backAgain.map(({ item }) => new Url(item.request.url).toString())).toEqual(
      requests(collection.item).map(({ item }) => item.request.url.raw.replace(/\/:(\w+)/g, '/{{$1}}')),
    );
  });

  it('is already injected: inject finds its script up to date and changes nothing', () => {
    const result = injectCollection(collection, bundle);
    expect(result.status).toBe('unchanged');
    expect(result.conflicts).toEqual([]);
    expect(result.collection).toEqual(collection);
  });
});

describe('Postman environment', () => {
  it('is an environment template with the official variable names, the scheme, and every path parameter, empty; secrets marked', () => {
    const env = JSON.parse(read('collections/dfns.postman_environment.json'));
    expect(env._postman_variable_scope).toBe('environment');
    expect(env.name).toBe('Dfns API');
    expect(env.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(env.values.slice(0, 10)).toEqual([
      { key: 'dfnsApiDomain', value: 'api.dfns.io', type: 'default', enabled: true },
      { key: 'authToken', value: '', type: 'secret', enabled: true },
      { key: 'credentialPrivateKey', value: '', type: 'secret', enabled: true },
      { key: 'credentialId', value: '', type: 'default', enabled: true },
      { key: 'newCredentialPrivateKey', value: '', type: 'secret', enabled: true },
      { key: 'newCredentialName', value: '', type: 'default', enabled: true },
      { key: 'dfnsRegistrationCode', value: '', type: 'default', enabled: true },
      { key: 'dfnsUsername', value: '', type: 'default', enabled: true },
      { key: 'dfnsOrgId', value: '', type: 'default', enabled: true },
      { key: 'dfnsApiScheme', value: 'https', type: 'default', enabled: true },
    ]);
    expect(env.values.slice(10)).toEqual(allPathParams(catalogue).map((key) => ({ key, value: '', type: 'default', enabled: true })));
    // Every path variable of the collection is a variable of the environment.
    const keys = new Set(env.values.map((v: any) => v.key));
    for (const { item } of requests(collection.item)) for (const v of item.request.url.variable ?? []) expect(keys.has(v.key)).toBe(true);
  });

  it('describes the setup, the path variables from the command line, the status check, the scheme, newman and the Postman CLI', () => {
    const d = collection.info.description;
    expect(d).toContain('api.uae.dfns.io');
    expect(d).toContain('--env-var walletId=');
    expect(d).toContain('fails when Dfns answers other than 2xx');
    expect(d).toContain('{{dfnsApiScheme}}://{{dfnsApiDomain}}/');
    expect(d).toContain('npx newman run dfns-api.postman_collection.json');
    expect(d).toContain('postman collection run dfns-api.postman_collection.json');
  });
});

describe('Bruno collection', { timeout: 30_000 }, () => {
  const lang = () => require('@usebruno/lang');

  it("parses with Bruno's own .bru parser: the bundle is the collection pre-request script, no auth, the scheme https", () => {
    const parsed = lang().collectionBruToJson(read('collections/bruno/collection.bru'));
    expect(parsed.script.req).toBe(script());
    expect(parsed.auth).toEqual({ mode: 'none' });
    expect(parsed.vars.req).toEqual([expect.objectContaining({ name: 'dfnsApiScheme', value: 'https', enabled: true })]);
    expect(JSON.parse(read('collections/bruno/bruno.json'))).toMatchObject({ version: '1', type: 'collection', name: 'Dfns API' });
  });

  it('has the environment Dfns with the same variables, the scheme and the path parameters, the token and key as secrets', () => {
    const env = lang().bruToEnvJsonV2(read('collections/bruno/environments/Dfns.bru'));
    const byName = Object.fromEntries(env.variables.map((v: any) => [v.name, v]));
    const names = templateVariables(SUBSET_PARAMS);
    expect(Object.keys(byName).sort()).toEqual([...names].sort());
    for (const name of names) {
      expect(byName[name].secret).toBe(SECRET_VARIABLES.includes(name));
      expect(byName[name].value).toBe(templateValue(name));
    }
  });

  it('has the representative requests with path params and JSON bodies', () => {
    SUBSET.forEach((key, i) => {
      const e = catalogue.find((c) => endpointKey(c) === key)!;
      const parsed = lang().bruToJsonV2(read(`collections/bruno/${e.name}.bru`));
      expect(parsed.meta).toMatchObject({ name: e.name, type: 'http', seq: String(i + 1) });
      expect(parsed.http.method).toBe(e.method.toLowerCase());
      expect(parsed.http.url).toBe(`{{dfnsApiScheme}}://{{dfnsApiDomain}}${e.path.replace(/\{([^}]+)\}/g, ':$1')}`);
      expect(parsed.http.auth).toBe('none');
      expect((parsed.params ?? []).map((p: any) => [p.name, p.value, p.type])).toEqual(
        pathParams(e.path).map((p) => [p, `{{${p}}}`, 'path']),
      );
      expect(parsed.tests).toBe(BRUNO_STATUS_CHECK);
      if (e.method === 'POST' || e.method === 'PUT') {
        expect(parsed.http.body).toBe('json');
        expect(JSON.parse(parsed.body.json)).toBeTypeOf('object');
      } else expect(parsed.http.body).toBe('none');
    });
  });
});

describe('Insomnia export', () => {
  const exp = () => JSON.parse(read('collections/insomnia/dfns-api.insomnia.json'));

  it('is an export format 4 with a folder whose pre-request script is the bundle', () => {
    const data = exp();
    expect(data).toMatchObject({ _type: 'export', __export_format: 4 });
    expect(typeof data.__export_date).toBe('string');
    expect(typeof data.__export_source).toBe('string');
    const byType = (t: string) => data.resources.filter((r: any) => r._type === t);
    const [workspace] = byType('workspace');
    expect(workspace).toMatchObject({ parentId: null, scope: 'collection', name: 'Dfns API' });
    const [folder] = byType('request_group');
    expect(folder.parentId).toBe(workspace._id);
    expect(folder.preRequestScript).toBe(script());
    const envs = byType('environment');
    expect(envs.find((e: any) => e.parentId === workspace._id)).toBeDefined();
    const base = envs.find((e: any) => e.parentId === workspace._id);
    // The default scheme below the sub environment.
    expect(base.data).toEqual({ dfnsApiScheme: 'https' });
    const dfns = envs.find((e: any) => e.parentId !== workspace._id);
    expect(Object.keys(dfns.data)).toEqual(templateVariables(SUBSET_PARAMS));
    for (const [key, value] of Object.entries(dfns.data)) expect(value).toBe(templateValue(key));
    const reqs = byType('request');
    expect(reqs.map((r: any) => `${r.method} ${r.url}`)).toEqual(subsetUrls('{{ _.dfnsApiScheme }}', '{{ _.dfnsApiDomain }}'));
    expect(reqs.map((r: any) => r.pathParameters)).toEqual(
      SUBSET.map((k) => pathParams(k).map((name) => ({ name, value: `{{ _.${name} }}` }))),
    );
    expect(reqs.map((r: any) => r.afterResponseScript)).toEqual(SUBSET.map(() => INSOMNIA_STATUS_CHECK));
    expect(reqs.every((r: any) => r.parentId === folder._id)).toBe(true);
    expect(new Set(data.resources.map((r: any) => r._id)).size).toBe(data.resources.length);
    expect(data.resources.every((r: any) => /^(wrk|env|fld|req)_[0-9a-f]{32}$/.test(r._id))).toBe(true);
  });

  it("imports with a third-party Insomnia v4 importer (Bruno's) into the same requests", () => {
    const { insomniaToBruno } = require('@usebruno/converters');
    const converted = insomniaToBruno(exp());
    const folder = converted.items[0];
    expect(folder.type).toBe('folder');
    // (this importer lists a folder's requests twice; the set is what matters)
    expect([...new Set(folder.items.map((r: any) => `${r.request.method} ${r.request.url}`))]).toEqual(
      subsetUrls('{{dfnsApiScheme}}', '{{dfnsApiDomain}}'),
    );
    const env = converted.environments.find((e: any) => e.name === 'Dfns API');
    expect(env.variables.map((v: any) => v.name).sort()).toEqual(templateVariables(SUBSET_PARAMS).sort());
  });
});

// Hoppscotch has no parser of its own on the npm registry (@hoppscotch/data is bundled inside the CLI):
// test/e2e/hoppscotch-collection.test.ts has the real `hopp test` load the whole committed collection and
// environment. Here: the shape `hopp test` 0.31.4 validates (collection v12, request v17, environment v2).
describe('Hoppscotch collection', () => {
  const hopp = () => JSON.parse(read(HOPPSCOTCH_COLLECTION));
  const hoppEnv = () => JSON.parse(read(HOPPSCOTCH_ENVIRONMENT));
  const COLLECTION_KEYS = [
    'auth',
    'description',
    'folders',
    'headers',
    'name',
    'preRequestScript',
    'requests',
    'testScript',
    'v',
    'variables',
  ];
  const REQUEST_KEYS = [
    'auth',
    'body',
    'description',
    'endpoint',
    'headers',
    'method',
    'name',
    'params',
    'preRequestScript',
    'requestVariables',
    'responses',
    'testScript',
    'v',
  ];
  const PREFIX = '<<dfnsApiScheme>>://<<dfnsApiDomain>>';
  /** Every request of a Hoppscotch collection with the names of its folders. */
  const hoppRequests = (c: any, trail: string[] = []): { request: any; folders: string[] }[] => [
    ...c.requests.map((request: any) => ({ request, folders: trail })),
    ...c.folders.flatMap((f: any) => hoppRequests(f, [...trail, f.name])),
  ];
  /** `<<dfnsApiScheme>>://<<dfnsApiDomain>>/wallets/<<walletId>>` → `/wallets/{walletId}`. */
  const hoppCatalogPath = (endpoint: string) => endpoint.slice(PREFIX.length).replace(/<<([^<>]+)>>/g, '{$1}');
  const keyOf = (r: any) => `${r.method} ${hoppCatalogPath(r.endpoint)}`;

  it('is a collection v12 whose only script is the bundle, byte for byte, at collection level, with auth None', () => {
    const c = hopp();
    expect(Object.keys(c).sort()).toEqual(COLLECTION_KEYS);
    expect(c).toMatchObject({
      v: 12,
      name: 'Dfns API',
      auth: { authType: 'none', authActive: true },
      headers: [],
      variables: [],
      testScript: '',
    });
    expect(c.preRequestScript).toBe(bundle);
    expect(c.preRequestScript).toBe(readFileSync(BUNDLE_FILE, 'utf8'));
    expect(bundleInfo(c.preRequestScript)).toBeDefined();
    expect(c.description).toContain('api.uae.dfns.io');
    expect(c.description).toContain('Settings > Experiments');
    // Folders and requests inherit the None: an auth setting would win over the signer's Authorization header.
    for (const f of c.folders) {
      expect(Object.keys(f).sort()).toEqual(COLLECTION_KEYS);
      expect(f).toMatchObject({
        v: 12,
        auth: { authType: 'inherit', authActive: true },
        headers: [],
        variables: [],
        preRequestScript: '',
        testScript: '',
        folders: [],
      });
    }
    expect(c.requests.map((r: any) => [r.name, r.method, r.endpoint])).toEqual([
      [CHECK.name, 'GET', '<<dfnsApiScheme>>://<<dfnsApiDomain>>/auth/credentials'],
    ]);
    expect(c.requests[0].testScript).toContain("hopp.env.get('authToken')");
    expect(c.requests[0].testScript).not.toMatch(/get\('credentialPrivateKey'\)/);
    for (const { request } of hoppRequests(c)) {
      expect(request.auth).toEqual({ authType: 'inherit', authActive: true });
      expect(request.preRequestScript).toBe('');
      if (keyOf(request) === LOGIN_KEY) expect(request.testScript).toBe(`${HOPPSCOTCH_STATUS_CHECK}\n${hoppscotchLoginScript()}`);
      else if (request.name !== CHECK.name) expect(request.testScript).toBe(HOPPSCOTCH_STATUS_CHECK);
    }
  });

  it('has every catalogue endpoint exactly once, in the folders of the Postman collection, in the same order', () => {
    const all = hoppRequests(hopp()).filter(({ request }) => request.name !== CHECK.name);
    const keys = all.map(({ request }) => keyOf(request));
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(catalogue.map(endpointKey).sort());
    expect(all.every(({ folders }) => folders.length === 1)).toBe(true);
    // Same folders, same requests in the same order as Postman's.
    const postman = requests(folderItems(collection.item)).map(({ item, folders }) => [
      folders[0],
      item.name,
      `${item.request.method} ${catalogPath(item.request.url.path)}`,
    ]);
    expect(all.map(({ request, folders }) => [folders[0], request.name, keyOf(request)])).toEqual(postman);
    const byKey = new Map(all.map(({ request }) => [keyOf(request), request]));
    for (const e of catalogue) {
      const request = byKey.get(endpointKey(e))!;
      expect(request.name).toBe(e.name);
      expect(request.description).toContain(`\`${e.method} ${e.path}\``);
      expect(request.description).toContain(e.userAction ? 'Needs a user action' : 'No user action needed');
      for (const p of pathParams(e.path)) expect(request.description).toContain(p);
    }
  });

  it('writes each request as a v17 request: <<dfnsApiScheme>>://<<dfnsApiDomain>> URLs, path parameters as <<environment variables>>, no {{', () => {
    const env = new Set(hoppEnv().variables.map((v: any) => v.key));
    for (const { request } of hoppRequests(hopp())) {
      expect(Object.keys(request).sort()).toEqual(REQUEST_KEYS);
      expect(request.v).toBe('17');
      expect(request.endpoint.startsWith(`${PREFIX}/`)).toBe(true);
      expect(request.endpoint).not.toMatch(/[{}?#\s]|:\w/);
      expect(request.params).toEqual([]);
      expect(request.headers).toEqual([]);
      expect(request.requestVariables).toEqual([]);
      expect(request.responses).toEqual({});
      // Each <<reference>> is an environment variable: the signer resolves only those (scripts see no
      // request or collection variables).
      const text = `${request.endpoint} ${request.body.body ?? ''}`;
      expect(text).not.toContain('{{');
      for (const [, name] of text.matchAll(/<<([^<>]*)>>/g))
        expect(env.has(name), `${name} (${request.name}) is not in the environment`).toBe(true);
      // Resolving the variables gives the catalogue path with the values in place.
      const path = hoppCatalogPath(request.endpoint);
      const filled = request.endpoint.replace(/<<([^<>]+)>>/g, (_: string, name: string) =>
        name === 'dfnsApiDomain' ? 'api.dfns.io' : name === 'dfnsApiScheme' ? 'https' : `${name}-1`,
      );
      expect(new URL(filled).pathname).toBe(path.replace(/\{([^}]+)\}/g, '$1-1'));
      expect(new URL(filled).protocol).toBe('https:');
    }
  });

  it('has the bodies of the Postman collection, as application/json; none where Postman has none', () => {
    const postman = new Map(
      requests(collection.item).map(({ item }) => [`${item.request.method} ${catalogPath(item.request.url.path)}`, item.request]),
    );
    for (const { request } of hoppRequests(hopp())) {
      const postmanBody = postman.get(keyOf(request))!.body;
      if (postmanBody?.mode === 'formdata') {
        expect(request.body).toEqual({
          contentType: 'multipart/form-data',
          body: [
            { key: 'data', value: postmanBody.formdata[0].value, active: true, isFile: false },
            { key: 'file', value: [], active: true, isFile: true },
          ],
        });
        continue;
      }
      const raw = postmanBody?.raw;
      if (raw === undefined) expect(request.body).toEqual({ contentType: null, body: null });
      else {
        expect(request.body).toEqual({ contentType: 'application/json', body: raw });
        expect(() => JSON.parse(request.body.body)).not.toThrow();
      }
      if (request.method === 'GET') expect(request.body.contentType).toBeNull();
      if (request.method === 'POST' || request.method === 'PUT') expect(request.body.contentType).toBe('application/json');
    }
    const body = (name: string) => JSON.parse(hoppRequests(hopp()).find(({ request }) => request.name === name)!.request.body.body);
    expect(body('Create Wallet')).toEqual({ network: 'EthereumSepolia', name: 'my wallet' });
    expect(body('Update Wallet')).toHaveProperty('name');
  });

  it('has an environment v2 with the variables of the other collections, the secrets marked, and every path parameter, empty', () => {
    const env = hoppEnv();
    expect(Object.keys(env).sort()).toEqual(['id', 'name', 'v', 'variables']);
    expect(env).toMatchObject({ v: 2, name: 'Dfns API' });
    expect(env.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const params = allPathParams(catalogue);
    expect(params).toContain('walletId');
    expect(params).toEqual([...new Set(catalogue.flatMap((e) => pathParams(e.path)))].sort());
    expect(env.variables.map((v: any) => v.key)).toEqual(templateVariables(params));
    for (const v of env.variables) {
      expect(Object.keys(v).sort()).toEqual(['currentValue', 'initialValue', 'key', 'secret']);
      expect(v.secret).toBe(SECRET_VARIABLES.includes(v.key));
      expect(v.currentValue).toBe(v.initialValue);
      expect(v.initialValue).toBe(templateValue(v.key));
    }
    expect(SECRET_VARIABLES).toEqual(['authToken', 'credentialPrivateKey', 'newCredentialPrivateKey']);
  });

  it('has an environment for hopp test whose every value the process environment can set: secret, empty, the default as initial value', () => {
    // @hoppscotch/cli takes a secret whose value is empty from the process environment variable of its name, else its initial value.
    const env = JSON.parse(read(HOPPSCOTCH_CLI_ENVIRONMENT));
    expect(env).toMatchObject({ v: 2, name: 'Dfns API (hopp test)' });
    expect(env.variables).toEqual(
      templateVariables(allPathParams(catalogue)).map((key) => ({ key, initialValue: templateValue(key), currentValue: '', secret: true })),
    );
    expect(env.id).not.toBe(hoppEnv().id);
  });

  it('has a quickstart collection of the four requests, without folders, the same requests as the full one', () => {
    const quick = JSON.parse(read(HOPPSCOTCH_QUICKSTART));
    const full = new Map(hoppRequests(hopp()).map(({ request }) => [keyOf(request), request]));
    expect(Object.keys(quick).sort()).toEqual(COLLECTION_KEYS);
    expect(quick).toMatchObject({ v: 12, name: 'Dfns API (quickstart)', auth: { authType: 'none', authActive: true }, folders: [] });
    expect(quick.preRequestScript).toBe(bundle);
    expect(quick.requests.map(keyOf)).toEqual(SUBSET);
    for (const r of quick.requests) expect(r).toEqual(full.get(keyOf(r)));
  });
});

describe('Apidog CLI collection', () => {
  const apidog = () => JSON.parse(read('collections/apidog/dfns-api.apidog-cli.json'));

  it('is the export `apidog run` takes: apidogCli 1.1, the bundle at collection level, the environment inside with its defaults', () => {
    const a = apidog();
    expect(a.apidogCli).toBe('1.1');
    expect(a.info.name).toBe('Dfns API');
    expect(a.event).toEqual(collection.event);
    expect(a.environment.name).toBe('Dfns API');
    expect(a.environment.variable.values).toEqual(templateVariables(SUBSET_PARAMS).map((key) => ({ key, value: templateValue(key) })));
  });

  it("has the four requests, each the Postman collection's request (status check included) as an http item", () => {
    const a = apidog();
    expect(a.item).toHaveLength(1);
    const postman = new Map(requests(collection.item).map(({ item }) => [item.id, item]));
    expect(a.item[0].item.map((i: any) => `${i.request.method} ${catalogPath(i.request.url.path)}`)).toEqual(SUBSET);
    for (const i of a.item[0].item) {
      const { metaInfo, ...rest } = i;
      expect(metaInfo).toEqual({ type: 'http' });
      expect(rest).toEqual(postman.get(i.id));
    }
  });
});

describe('httpyac requests', () => {
  const http = () => read('collections/httpyac/dfns-api.http');

  it('load the bundle as dfns-signer.cjs from a file-wide {{+request}} block, and run the status check after every response', () => {
    expect(read('collections/httpyac/dfns-signer.cjs')).toBe(bundle);
    expect(http()).toContain("{{+request\n  await require('./dfns-signer.cjs').sign({ request, $context })\n}}\n");
    const check = HTTPYAC_STATUS_CHECK.split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
    expect(http()).toContain(`{{+response\n${check}\n}}\n`);
  });

  it('are the four requests, {{dfnsApiScheme}}://{{dfnsApiDomain}} URLs, path parameters as {{variables}}, the JSON bodies of the other collections', () => {
    const regions = http().split(/^###$/m).slice(1);
    expect(regions).toHaveLength(SUBSET.length);
    const postman = new Map(
      requests(collection.item).map(({ item }) => [`${item.request.method} ${catalogPath(item.request.url.path)}`, item.request]),
    );
    SUBSET.forEach((key, i) => {
      const [method, path] = key.split(' ');
      const lines = regions[i].split('\n');
      expect(lines[1]).toBe(`# @name ${catalogue.find((e) => endpointKey(e) === key)!.name}`);
      const line = lines.find((l) => /^[A-Z]+ /.test(l))!;
      expect(line).toBe(`${method} {{dfnsApiScheme}}://{{dfnsApiDomain}}${path.replace(/\{([^}]+)\}/g, '{{$1}}')}`);
      const raw = postman.get(key)!.body?.raw;
      if (raw === undefined) expect(regions[i]).not.toContain('Content-Type');
      else expect(regions[i]).toContain(`Content-Type: application/json\n\n${raw}\n`);
    });
  });

  it("take the scheme's and the host's defaults from httpyac.config.cjs, which --var overrides", () => {
    const config = { exports: {} as any };
    new Function('module', read('collections/httpyac/httpyac.config.cjs'))(config);
    expect((config as any).exports).toEqual({ environments: { $shared: { dfnsApiDomain: 'api.dfns.io', dfnsApiScheme: 'https' } } });
  });
});

describe('Yaak workspace', () => {
  it('writes {{dfnsApiScheme}} and path parameters as variables: https and the host in Global Variables, the path parameters in Dfns', () => {
    const { resources } = JSON.parse(read('collections/yaak/dfns-api.yaak.json'));
    expect(resources.httpRequests.map((r: any) => `${r.method} ${r.url}`)).toEqual(
      subsetUrls('${[ dfnsApiScheme ]}', '${[ dfnsApiDomain ]}'),
    );
    for (const r of resources.httpRequests) {
      const params = [...r.url.matchAll(/\/:(\w+)/g)].map((m: RegExpMatchArray) => m[1]);
      expect(r.urlParameters).toEqual(params.map((p) => ({ enabled: true, name: `:${p}`, value: `\${[ ${p} ]}` })));
    }
    const [base, dfns] = resources.environments;
    expect(base.variables.map((v: any) => [v.name, v.value])).toEqual([
      ['dfnsApiDomain', 'api.dfns.io'],
      ['dfnsApiScheme', DEFAULT_SCHEME],
    ]);
    expect(dfns.variables.map((v: any) => [v.name, v.value])).toEqual(
      ['authToken', 'credentialPrivateKey', 'credentialId', ...SUBSET_PARAMS].map((name) => [name, '']),
    );
    expect(resources.workspaces[0].description).toContain('Yaak has no scripts');
  });
});
