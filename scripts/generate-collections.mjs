// Generates the ready-to-use collections from the endpoint catalogue and the built signer:
//   collections/dfns-api.postman_collection.json   every endpoint, folders by area, signer as collection script
//   collections/dfns.postman_environment.json      environment template (same variables as the official one)
//   collections/bruno/**                           Bruno collection, a representative subset
//   collections/insomnia/dfns-api.insomnia.json    Insomnia v4 export, the same subset
//   collections/hoppscotch/*.json                  Hoppscotch collection (every endpoint) and environment
//   collections/yaak/dfns-api.yaak.json            Yaak export, the Bruno subset (scripts/collections/yaak.mjs)
// Deterministic: the same catalogue and bundle give the same bytes (ids are derived from content).
//
//   node scripts/generate-collections.mjs            write the files
//   node scripts/generate-collections.mjs --check    exit 1 when a committed file differs
//   --bundle <file>                                  embed this build instead of dist/dfns-signer.js
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleInfo, scriptEvent } from '../bin/inject.js';
import { yaakFiles } from './collections/yaak.mjs';

/**
 * One entry of the endpoint catalogue (collections/dfns-endpoints.json).
 * @typedef {{ group: string, name: string, method: string, path: string, userAction: boolean }} Endpoint
 */
/** @typedef {{ version: string, hash: string }} BundleInfo */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CATALOGUE_FILE = join(ROOT, 'collections', 'dfns-endpoints.json');
export const BUNDLE_FILE = join(ROOT, 'dist', 'dfns-signer.js');
/** Directories the generator owns completely: files in them that it no longer writes are stale. */
export const GENERATED_DIRS = ['collections/bruno', 'collections/insomnia', 'collections/hoppscotch', 'collections/yaak'];

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
export const COLLECTION_NAME = 'Dfns API';
export const VARIABLES = ['dfnsApiDomain', 'authToken', 'credentialPrivateKey', 'credentialId'];
export const SECRET_VARIABLES = ['authToken', 'credentialPrivateKey'];
export const DEFAULT_DOMAIN = 'api.dfns.io';

/**
 * Folder names by catalogue group; a group not listed here gets its name title-cased.
 * @type {Record<string, string>}
 */
const GROUP_TITLES = {
  'auth-user-action-signing': 'Auth — User Action Signing',
  'auth-login': 'Auth — Login',
  'auth-registration': 'Auth — Registration',
  'auth-recovery': 'Auth — Recovery',
  'auth-credentials': 'Auth — Credentials',
  'auth-tokens': 'Auth — Tokens',
  'auth-audit-logs': 'Auth — Audit Logs',
  users: 'Users',
  'service-accounts': 'Service Accounts',
  'personal-access-tokens': 'Personal Access Tokens',
  applications: 'Applications',
  wallets: 'Wallets',
  'wallets-transfers': 'Wallets — Transfers',
  'wallets-transactions': 'Wallets — Transactions',
  'wallets-offers': 'Wallets — Offers',
  'wallets-assets-history': 'Wallets — Assets & History',
  keys: 'Keys',
  'keys-signatures': 'Keys — Signatures',
  policies: 'Policies',
  'policy-approvals': 'Policy Approvals',
  permissions: 'Permissions',
  webhooks: 'Webhooks',
  networks: 'Networks',
  exchanges: 'Exchanges',
  staking: 'Staking',
  swaps: 'Swaps',
  vaults: 'Vaults',
  'fee-sponsors': 'Fee Sponsors',
  'address-watches': 'Address Watches',
  allocations: 'Allocations',
  payins: 'Payins',
  payouts: 'Payouts',
  agreements: 'Agreements',
  'signers-keystores': 'Signers & Key Stores',
};

/**
 * Body skeletons, by "METHOD path". Other POST and PUT requests get `{}`; other DELETE and GET
 * requests get no body. Values that only the user can know are left empty, so a request sent as
 * is fails validation at Dfns instead of moving funds.
 * @type {Record<string, unknown>}
 */
const BODIES = {
  'POST /auth/action/init': { userActionServerKind: 'Api', userActionHttpMethod: 'POST', userActionHttpPath: '/wallets', userActionPayload: '{"network":"EthereumSepolia"}' },
  'POST /auth/action': { challengeIdentifier: '', firstFactor: { kind: 'Key', credentialAssertion: { credId: '', clientData: '', signature: '' } } },
  'POST /wallets': { network: 'EthereumSepolia', name: 'my wallet' },
  'PUT /wallets/{walletId}': { name: 'my renamed wallet' },
  'PUT /wallets/{walletId}/tags': { tags: ['my-tag'] },
  'DELETE /wallets/{walletId}/tags': { tags: ['my-tag'] },
  'POST /wallets/{walletId}/transfers': { kind: 'Native', to: '', amount: '1' },
  'POST /keys': { scheme: 'ECDSA', curve: 'secp256k1', name: 'my key' },
  'PUT /keys/{keyId}': { name: 'my renamed key' },
  'POST /keys/{keyId}/signatures': { kind: 'Hash', hash: '' },
  'POST /webhooks': { url: 'https://example.com/dfns-webhook', events: ['wallet.transfer.confirmed'], description: 'my webhook' },
  'PUT /webhooks/{webhookId}': { description: 'my webhook' },
  'PUT /vaults/{vaultId}/tags': { tags: ['my-tag'] },
  'DELETE /vaults/{vaultId}/tags': { tags: ['my-tag'] },
};

/** The requests of the Bruno and Insomnia collections and of `npm run demo`: a GET and a signed POST, PUT and DELETE. */
export const SUBSET = ['GET /wallets', 'POST /wallets', 'PUT /wallets/{walletId}', 'DELETE /webhooks/{webhookId}'];

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

// ---------------------------------------------------------------- helpers

const sha1 = (/** @type {string} */ text) => createHash('sha1').update(text).digest('hex');

/** A name-based (version 5 layout) UUID: stable across runs, different per key. @param {string} key */
export function stableUuid(key) {
  const h = sha1(`dfns-signer/collections:${key}`);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const json = (/** @type {unknown} */ value) => `${JSON.stringify(value, null, 2)}\n`;
const titleCase = (/** @type {string} */ group) => group.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
export const groupTitle = (/** @type {string} */ group) => GROUP_TITLES[group] ?? titleCase(group);
export const endpointKey = (/** @type {{ method: string, path: string }} */ e) => `${e.method} ${e.path}`;
export const pathParams = (/** @type {string} */ path) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
/** The bundle's `{version, hash}`; throws when the text is not a dfns-signer build. @param {string} bundle */
function signerInfo(bundle) {
  const info = bundleInfo(bundle);
  if (!info) throw new Error('the bundle does not start with the dfns-signer marker line');
  return info;
}
/** `/wallets/{walletId}` → `/wallets/:walletId` (Postman, Bruno and Insomnia path variables). */
const colonPath = (/** @type {string} */ path) => path.replace(/\{([^}]+)\}/g, ':$1');

/** The body text of a request, or undefined when it takes none. @param {Endpoint} endpoint @returns {string | undefined} */
export function bodyText(endpoint) {
  const skeleton = BODIES[endpointKey(endpoint)];
  if (skeleton !== undefined) return JSON.stringify(skeleton, null, 2);
  return endpoint.method === 'POST' || endpoint.method === 'PUT' || endpoint.method === 'PATCH' ? '{}' : undefined;
}

/** Every path parameter of the catalogue, sorted: the Hoppscotch environment's extra variables. @param {Endpoint[]} catalogue */
export function allPathParams(catalogue) {
  return [...new Set(catalogue.flatMap((e) => pathParams(e.path)))].sort();
}

/** @param {Endpoint} endpoint */
function signingNote(endpoint) {
  return endpoint.userAction
    ? 'Needs a user action: the pre-request script signs it (User Action Signing) and sends it with X-DFNS-USERACTION.'
    : 'No user action needed: the pre-request script only adds the Authorization header.';
}

/** @param {string} name @param {Endpoint} endpoint */
function paramNote(name, endpoint) {
  return `Required: the ${name} in ${endpoint.method} ${endpoint.path}.`;
}

/** @param {unknown} catalogue @returns {asserts catalogue is Endpoint[]} */
function validateCatalogue(catalogue) {
  if (!Array.isArray(catalogue) || catalogue.length === 0) throw new Error('the endpoint catalogue is not a non-empty array');
  const seen = new Set();
  for (const e of catalogue) {
    if (!e || typeof e.group !== 'string' || typeof e.name !== 'string' || typeof e.method !== 'string' || typeof e.path !== 'string' || typeof e.userAction !== 'boolean') {
      throw new Error(`bad catalogue entry ${JSON.stringify(e)}`);
    }
    if (!e.path.startsWith('/')) throw new Error(`catalogue path does not start with /: ${e.path}`);
    if (seen.has(endpointKey(e))) throw new Error(`duplicate catalogue entry ${endpointKey(e)}`);
    seen.add(endpointKey(e));
  }
}

/** Catalogue order of the areas; inside one, by path then method (List, Create, then per id). @param {Endpoint[]} catalogue */
function byArea(catalogue) {
  /** @type {Map<string, Endpoint[]>} */
  const groups = new Map();
  for (const e of catalogue) {
    if (!groups.has(e.group)) groups.set(e.group, []);
    /** @type {Endpoint[]} */ (groups.get(e.group)).push(e);
  }
  const rank = (/** @type {string} */ m) => (METHOD_ORDER.indexOf(m) + 1 || 99);
  for (const list of groups.values()) list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : rank(a.method) - rank(b.method)));
  return groups;
}

/** @param {Endpoint[]} catalogue */
function subsetOf(catalogue) {
  return SUBSET.map((key) => {
    const e = catalogue.find((c) => endpointKey(c) === key);
    if (!e) throw new Error(`the catalogue lacks ${key}, used by the Bruno/Insomnia collections and the demo`);
    return e;
  });
}

// ---------------------------------------------------------------- Postman

/** @param {Endpoint[]} catalogue @param {BundleInfo} info */
function collectionDescription(catalogue, info) {
  const signed = catalogue.filter((e) => e.userAction).length;
  return [
    `Every endpoint of the Dfns API (${catalogue.length} requests, ${signed} of them need a user action), ready to send.`,
    '',
    `The collection's pre-request script is dfns-signer ${info.version} (sha256:${info.hash.slice(0, 16)}…): before each request it adds \`Authorization: Bearer {{authToken}}\`, and for the requests that need a user action (POST, PUT and DELETE except login, registration and a few read-like POSTs) it performs Dfns User Action Signing with your credential key and adds \`X-DFNS-USERACTION\`. No collection or request auth is set: the script does it.`,
    '',
    '## Setup',
    '',
    '1. Make a key pair: `openssl ecparam -genkey -name prime256v1 -noout -out prime256v1.pem` and `openssl pkey -in prime256v1.pem -pubout -out prime256v1.public.pem`.',
    '2. In the Dfns dashboard, Settings > Personal Access Tokens > New: paste the public key (prime256v1.public.pem) and copy the token.',
    '3. Import the environment `dfns.postman_environment.json` and select it. Set:',
    `   - \`dfnsApiDomain\`: \`${DEFAULT_DOMAIN}\` (already set); \`api.uae.dfns.io\` for the UAE region.`,
    '   - `authToken`: the token from step 2.',
    '   - `credentialPrivateKey`: the whole content of prime256v1.pem, BEGIN and END lines included (RSA, secp256k1 and Ed25519 keys work too).',
    '   - `credentialId`: leave empty unless the token has several key credentials.',
    '4. Send Wallets > List Wallets, then Wallets > Create Wallet.',
    '',
    'Path variables (`:walletId`, …) are empty: fill them in the request\'s Params tab. Bodies are minimal skeletons: see the Dfns API reference (https://docs.dfns.co/api-reference) for every field.',
    '',
    'With newman: `npx newman run dfns-api.postman_collection.json -e my.postman_environment.json --folder "List Wallets" --folder "Create Wallet"`.',
  ].join('\n');
}

/** @param {Endpoint} e */
function postmanRequest(e) {
  const params = pathParams(e.path);
  const body = bodyText(e);
  /** @type {{ raw: string, protocol: string, host: string[], path: string[], variable?: { key: string, value: string, description: string }[] }} */
  const url = {
    raw: `https://{{dfnsApiDomain}}${colonPath(e.path)}`,
    protocol: 'https',
    host: ['{{dfnsApiDomain}}'],
    path: colonPath(e.path).split('/').slice(1),
  };
  if (params.length) url.variable = params.map((key) => ({ key, value: '', description: paramNote(key, e) }));
  /** @type {{ method: string, header: { key: string, value: string }[], body?: object, url?: object, description?: string }} */
  const request = {
    method: e.method,
    header: body === undefined ? [] : [{ key: 'Content-Type', value: 'application/json' }],
  };
  if (body !== undefined) request.body = { mode: 'raw', raw: body, options: { raw: { language: 'json' } } };
  request.url = url;
  request.description = `\`${e.method} ${e.path}\`\n\n${signingNote(e)}`;
  return { id: stableUuid(`item ${endpointKey(e)}`), name: e.name, request, response: [] };
}

/** @param {Endpoint[]} catalogue @param {string} bundle */
export function postmanCollection(catalogue, bundle) {
  const info = signerInfo(bundle);
  const folders = [...byArea(catalogue)].map(([group, endpoints]) => ({
    id: stableUuid(`folder ${group}`),
    name: groupTitle(group),
    item: endpoints.map(postmanRequest),
  }));
  return {
    info: {
      _postman_id: stableUuid('collection'),
      name: COLLECTION_NAME,
      description: collectionDescription(catalogue, info),
      schema: POSTMAN_SCHEMA,
    },
    item: folders,
    event: [scriptEvent(bundle)],
  };
}

export function postmanEnvironment() {
  return {
    id: stableUuid('environment'),
    name: COLLECTION_NAME,
    values: VARIABLES.map((key) => ({
      key,
      value: key === 'dfnsApiDomain' ? DEFAULT_DOMAIN : '',
      type: SECRET_VARIABLES.includes(key) ? 'secret' : 'default',
      enabled: true,
    })),
    _postman_variable_scope: 'environment',
  };
}

// ---------------------------------------------------------------- Bruno (.bru)

const indent = (/** @type {string} */ text, by = '  ') => text.split('\n').map((l) => (l === '' ? '' : by + l)).join('\n');
/** Script and docs blocks: every line indented by two spaces (Bruno strips them when reading). */
const block = (/** @type {string} */ name, /** @type {string} */ text) => `${name} {\n${text.split('\n').map((l) => `  ${l}`).join('\n')}\n}\n`;
const pairs = (/** @type {string} */ name, /** @type {[string, string | number][]} */ entries) => `${name} {\n${entries.map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n}\n`;

/** @param {Endpoint} e @param {number} seq */
function bruRequest(e, seq) {
  const body = bodyText(e);
  const parts = [
    pairs('meta', [['name', e.name], ['type', 'http'], ['seq', seq]]),
    pairs(e.method.toLowerCase(), [['url', `https://{{dfnsApiDomain}}${colonPath(e.path)}`], ['body', body === undefined ? 'none' : 'json'], ['auth', 'none']]),
  ];
  const params = pathParams(e.path);
  if (params.length) parts.push(pairs('params:path', params.map((p) => [p, ''])));
  if (body !== undefined) {
    parts.push(pairs('headers', [['Content-Type', 'application/json']]));
    parts.push(`body:json {\n${indent(body)}\n}\n`);
  }
  parts.push(block('docs', `\`${e.method} ${e.path}\`\n\n${signingNote(e)}${params.length ? `\n\nFill the path parameter${params.length > 1 ? 's' : ''} ${params.join(', ')} (Params tab).` : ''}`));
  return parts.join('\n');
}

/** @param {Endpoint[]} catalogue @param {string} bundle */
function brunoFiles(catalogue, bundle) {
  const info = signerInfo(bundle);
  /** @type {Record<string, string>} */
  const files = {};
  files['collections/bruno/bruno.json'] = json({ version: '1', name: COLLECTION_NAME, type: 'collection', ignore: ['node_modules', '.git'] });
  files['collections/bruno/collection.bru'] = [
    pairs('auth', [['mode', 'none']]),
    block('script:pre-request', bundle.replace(/\r?\n$/, '')),
    block(
      'docs',
      [
        `A few Dfns API requests, signed by the collection's pre-request script (dfns-signer ${info.version}).`,
        'The Postman collection (collections/dfns-api.postman_collection.json) has every endpoint.',
        '',
        'Select the environment Dfns and set authToken, credentialPrivateKey (the PEM, BEGIN and END lines',
        `included) and, only when the token has several key credentials, credentialId. dfnsApiDomain is ${DEFAULT_DOMAIN};`,
        'api.uae.dfns.io for the UAE region.',
      ].join('\n'),
    ),
  ].join('\n');
  files['collections/bruno/environments/Dfns.bru'] =
    pairs('vars', VARIABLES.filter((v) => !SECRET_VARIABLES.includes(v)).map((v) => [v, v === 'dfnsApiDomain' ? DEFAULT_DOMAIN : ''])) +
    `vars:secret [\n${SECRET_VARIABLES.map((v) => `  ${v}`).join(',\n')}\n]\n`;
  subsetOf(catalogue).forEach((e, i) => {
    files[`collections/bruno/${e.name}.bru`] = bruRequest(e, i + 1);
  });
  return files;
}

// ---------------------------------------------------------------- Insomnia (export format 4)

/** @param {Endpoint[]} catalogue @param {string} bundle */
function insomniaExport(catalogue, bundle) {
  const info = signerInfo(bundle);
  const id = (/** @type {string} */ prefix, /** @type {string} */ key) => `${prefix}_${sha1(`dfns-signer/insomnia:${key}`).slice(0, 32)}`;
  const workspace = id('wrk', 'workspace');
  const folder = id('fld', 'folder');
  const baseEnv = id('env', 'base');
  /** @type {Record<string, unknown>[]} */
  const resources = [
    { _id: workspace, _type: 'workspace', parentId: null, name: COLLECTION_NAME, description: 'Dfns API requests signed with User Action Signing by dfns-signer.', scope: 'collection' },
    { _id: baseEnv, _type: 'environment', parentId: workspace, name: 'Base Environment', data: {}, dataPropertyOrder: null, color: null, isPrivate: false, metaSortKey: 1 },
    {
      _id: id('env', 'dfns'),
      _type: 'environment',
      parentId: baseEnv,
      name: COLLECTION_NAME,
      data: Object.fromEntries(VARIABLES.map((v) => [v, v === 'dfnsApiDomain' ? DEFAULT_DOMAIN : ''])),
      dataPropertyOrder: { '&': VARIABLES },
      color: null,
      // Private environments are neither synced nor exported: the token and key stay on this machine.
      isPrivate: true,
      metaSortKey: 2,
    },
    {
      _id: folder,
      _type: 'request_group',
      parentId: workspace,
      name: 'Dfns API (signed)',
      description: `The folder's pre-request script is dfns-signer ${info.version}: it signs every request in this folder. Insomnia runs scripts at folder and request level only, so keep Dfns requests inside this folder. Set authToken and credentialPrivateKey in the environment "${COLLECTION_NAME}"; dfnsApiDomain is ${DEFAULT_DOMAIN} (api.uae.dfns.io for the UAE region).`,
      environment: {},
      environmentPropertyOrder: null,
      metaSortKey: 0,
      preRequestScript: bundle.replace(/\r?\n$/, ''),
      afterResponseScript: '',
      authentication: {},
      headers: [],
    },
  ];
  subsetOf(catalogue).forEach((e, i) => {
    const body = bodyText(e);
    resources.push({
      _id: id('req', endpointKey(e)),
      _type: 'request',
      parentId: folder,
      name: e.name,
      description: `\`${e.method} ${e.path}\`\n\n${signingNote(e)}`,
      url: `https://{{ _.dfnsApiDomain }}${colonPath(e.path)}`,
      method: e.method,
      body: body === undefined ? {} : { mimeType: 'application/json', text: body },
      parameters: [],
      pathParameters: pathParams(e.path).map((name) => ({ name, value: '' })),
      headers: body === undefined ? [] : [{ name: 'Content-Type', value: 'application/json' }],
      authentication: {},
      preRequestScript: '',
      afterResponseScript: '',
      metaSortKey: i + 1,
      isPrivate: false,
      settingEncodeUrl: true,
    });
  });
  return {
    _type: 'export',
    __export_format: 4,
    // Fixed, so that the file depends only on its inputs.
    __export_date: '2025-01-01T00:00:00.000Z',
    __export_source: `dfns-signer.generate-collections:v${info.version}`,
    resources,
  };
}

// ---------------------------------------------------------------- Hoppscotch (collection v12, requests v17, environment v2)
// The formats `hopp test` (@hoppscotch/cli 0.31.4) validates (test/e2e/hoppscotch-collection.test.ts has it load these files).

export const HOPPSCOTCH_COLLECTION = 'collections/hoppscotch/dfns-api.hoppscotch.json';
export const HOPPSCOTCH_ENVIRONMENT = 'collections/hoppscotch/dfns.hoppscotch_environment.json';
/** No auth setting at the top and inherited below it: a Hoppscotch auth setting would replace the signer's Authorization header. */
const HOPP_NO_AUTH = { authType: 'none', authActive: true };
const HOPP_INHERIT = { authType: 'inherit', authActive: true };

/**
 * `/wallets/{walletId}` → `/wallets/<<walletId>>`: environment variables, which the signer can read
 * (scripts see neither request nor collection variables, and the signer resolves a signed path itself).
 */
const hoppPath = (/** @type {string} */ path) => path.replace(/\{([^}]+)\}/g, '<<$1>>');

/** @param {Endpoint[]} catalogue @param {BundleInfo} info */
function hoppscotchDescription(catalogue, info) {
  const signed = catalogue.filter((e) => e.userAction).length;
  return [
    `Every endpoint of the Dfns API (${catalogue.length} requests, ${signed} of them need a user action), ready to send.`,
    '',
    `The collection's pre-request script is dfns-signer ${info.version} (sha256:${info.hash.slice(0, 16)}…): before each request it adds \`Authorization: Bearer <<authToken>>\`, and for the requests that need a user action (POST, PUT and DELETE except login, registration and a few read-like POSTs) it performs Dfns User Action Signing with your credential key and adds \`X-DFNS-USERACTION\`. The collection's authorization is None and every folder and request inherits it: leave it so, because an authorization set here (Bearer, API key, …) replaces the Authorization header the script sets.`,
    '',
    '## Setup',
    '',
    '1. Make a key pair: `openssl ecparam -genkey -name prime256v1 -noout -out prime256v1.pem` and `openssl pkey -in prime256v1.pem -pubout -out prime256v1.public.pem`.',
    '2. In the Dfns dashboard, Settings > Personal Access Tokens > New: paste the public key (prime256v1.public.pem) and copy the token.',
    '3. Import the environment `dfns.hoppscotch_environment.json` (Environments > Import > Hoppscotch) and select it. Set:',
    `   - \`dfnsApiDomain\`: \`${DEFAULT_DOMAIN}\` (already set); \`api.uae.dfns.io\` for the UAE region.`,
    '   - `authToken`: the token from step 2.',
    '   - `credentialPrivateKey`: the whole content of prime256v1.pem, BEGIN and END lines included (RSA, secp256k1 and Ed25519 keys work too).',
    '   - `credentialId`: leave empty unless the token has several key credentials.',
    '4. Settings > Experiments: keep the experimental scripting sandbox on (the default); the script needs it.',
    '5. Send Wallets > List Wallets, then Wallets > Create Wallet.',
    '',
    'Path parameters are environment variables (`<<walletId>>`, …), listed empty in the environment: set the one a request needs before sending it. Use environment variables, not request or collection variables, for anything in the path or body of a Dfns request: scripts cannot read those, so the script could not sign what is sent. Bodies are minimal skeletons: see the Dfns API reference (https://docs.dfns.co/api-reference) for every field.',
    '',
    'With the CLI: `hopp test <collection> -e <environment>` runs every request of a collection (it has no folder filter), so export a collection of just the requests you want to run. Secrets left empty in the environment file (`authToken`, `credentialPrivateKey`) are read from process environment variables of the same name.',
  ].join('\n');
}

/** @param {Endpoint} e */
function hoppscotchRequest(e) {
  const body = bodyText(e);
  const params = pathParams(e.path);
  const paramsNote = params.length ? `\n\nSet the environment variable${params.length > 1 ? 's' : ''} ${params.join(', ')} first.` : '';
  return {
    v: '17',
    name: e.name,
    method: e.method,
    endpoint: `https://<<dfnsApiDomain>>${hoppPath(e.path)}`,
    params: [],
    headers: [],
    preRequestScript: '',
    testScript: '',
    auth: HOPP_INHERIT,
    body: body === undefined ? { contentType: null, body: null } : { contentType: 'application/json', body },
    requestVariables: [],
    responses: {},
    description: `\`${e.method} ${e.path}\`\n\n${signingNote(e)}${paramsNote}`,
  };
}

/**
 * A Hoppscotch collection (or folder: the same shape).
 * @param {string} name @param {string | null} description @param {object} auth @param {string} script
 * @param {object[]} folders @param {object[]} requests
 */
function hoppscotchCollectionJson(name, description, auth, script, folders, requests) {
  return { v: 12, name, description, auth, headers: [], variables: [], preRequestScript: script, testScript: '', folders, requests };
}

/** @param {Endpoint[]} catalogue @param {string} bundle */
export function hoppscotchCollection(catalogue, bundle) {
  const info = signerInfo(bundle);
  const folders = [...byArea(catalogue)].map(([group, endpoints]) =>
    hoppscotchCollectionJson(groupTitle(group), null, HOPP_INHERIT, '', [], endpoints.map(hoppscotchRequest)),
  );
  // The bundle exactly as built: Hoppscotch keeps a script as one string.
  return hoppscotchCollectionJson(COLLECTION_NAME, hoppscotchDescription(catalogue, info), HOPP_NO_AUTH, bundle, folders, []);
}

/** @param {Endpoint[]} catalogue */
export function hoppscotchEnvironment(catalogue) {
  const variable = (/** @type {string} */ key, value = '') => ({ key, initialValue: value, currentValue: value, secret: SECRET_VARIABLES.includes(key) });
  return {
    v: 2,
    id: stableUuid('hoppscotch environment'),
    name: COLLECTION_NAME,
    variables: [
      ...VARIABLES.map((key) => variable(key, key === 'dfnsApiDomain' ? DEFAULT_DOMAIN : '')),
      ...allPathParams(catalogue).filter((key) => !VARIABLES.includes(key)).map((key) => variable(key)),
    ],
  };
}

// ---------------------------------------------------------------- entry points

/**
 * Reads the catalogue and the bundle (default dist/dfns-signer.js).
 * @param {{ bundleFile?: string, catalogueFile?: string }} [options]
 * @returns {{ bundle: string, catalogue: Endpoint[] }}
 */
export function readInputs({ bundleFile = BUNDLE_FILE, catalogueFile = CATALOGUE_FILE } = {}) {
  if (!existsSync(bundleFile)) throw new Error(`${relative(ROOT, bundleFile)} does not exist: run "npm run build" first`);
  const bundle = readFileSync(bundleFile, 'utf8');
  if (!bundleInfo(bundle)) throw new Error(`${relative(ROOT, bundleFile)} does not start with the "// dfns-signer <version> sources+lockfile sha256:" line`);
  const catalogue = JSON.parse(readFileSync(catalogueFile, 'utf8'));
  return { bundle, catalogue };
}

/** Every generated file: { 'collections/…': text }. Pure. @param {{ bundle: string, catalogue: Endpoint[] }} inputs @returns {Record<string, string>} */
export function generate({ bundle, catalogue }) {
  if (!bundleInfo(bundle)) throw new Error('the bundle does not start with the dfns-signer marker line');
  validateCatalogue(catalogue);
  return {
    'collections/dfns-api.postman_collection.json': json(postmanCollection(catalogue, bundle)),
    'collections/dfns.postman_environment.json': json(postmanEnvironment()),
    ...brunoFiles(catalogue, bundle),
    'collections/insomnia/dfns-api.insomnia.json': json(insomniaExport(catalogue, bundle)),
    [HOPPSCOTCH_COLLECTION]: json(hoppscotchCollection(catalogue, bundle)),
    [HOPPSCOTCH_ENVIRONMENT]: json(hoppscotchEnvironment(catalogue)),
    ...yaakFiles(subsetOf(catalogue).map((e) => ({ ...e, body: bodyText(e) })), { version: signerInfo(bundle).version }),
  };
}

/** @param {string} dir @returns {string[]} */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

/** Differences between `files` and the disk under `root`: [{file, problem}]. @param {Record<string, string>} files @param {string} [root] */
export function compare(files, root = ROOT) {
  /** @type {{ file: string, problem: string }[]} */
  const problems = [];
  for (const [file, text] of Object.entries(files)) {
    const abs = join(root, file);
    if (!existsSync(abs)) problems.push({ file, problem: 'missing' });
    else if (readFileSync(abs, 'utf8') !== text) problems.push({ file, problem: 'differs' });
  }
  for (const dir of GENERATED_DIRS) {
    for (const abs of filesUnder(join(root, dir))) {
      const file = relative(root, abs).split('\\').join('/');
      if (!(file in files)) problems.push({ file, problem: 'not generated (stale)' });
    }
  }
  return problems;
}

/** @param {Record<string, string>} files @param {string} [root] */
function write(files, root = ROOT) {
  for (const dir of GENERATED_DIRS) {
    for (const abs of filesUnder(join(root, dir))) {
      if (!(relative(root, abs).split('\\').join('/') in files)) rmSync(abs);
    }
  }
  for (const [file, text] of Object.entries(files)) {
    const abs = join(root, file);
    mkdirSync(dirname(abs), { recursive: true });
    if (!existsSync(abs) || readFileSync(abs, 'utf8') !== text) writeFileSync(abs, text);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { values } = parseArgs({ options: { check: { type: 'boolean' }, bundle: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log('Usage: node scripts/generate-collections.mjs [--check] [--bundle <file>]\n  --check   compare the committed files with what would be generated; exit 1 when they differ');
      process.exit(0);
    }
    const inputs = readInputs(values.bundle ? { bundleFile: resolve(values.bundle) } : {});
    const files = generate(inputs);
    const info = signerInfo(inputs.bundle);
    if (values.check) {
      const problems = compare(files);
      for (const p of problems) console.error(`${p.file}: ${p.problem}`);
      if (problems.length) {
        console.error(`collections are out of date with the catalogue or dfns-signer ${info.version} sha256:${info.hash.slice(0, 12)}: run "npm run generate"`);
        process.exit(1);
      }
      console.log(`collections up to date (${Object.keys(files).length} files, dfns-signer ${info.version} sha256:${info.hash.slice(0, 12)})`);
    } else {
      write(files);
      console.log(`wrote ${Object.keys(files).length} files from ${inputs.catalogue.length} endpoints and dfns-signer ${info.version} sha256:${info.hash.slice(0, 12)}:`);
      for (const f of Object.keys(files)) console.log(`  ${f}`);
    }
  } catch (/** @type {any} */ e) {
    console.error(`generate-collections: error: ${e.message}`);
    process.exit(2);
  }
}
