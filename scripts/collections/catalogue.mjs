// The endpoint catalogue (collections/dfns-endpoints.json) as every collection writer sees it: read and
// validated, grouped by area, the representative subset, body skeletons, path parameters, stable ids;
// and what every collection shares: its name, its variables, the notes on each request.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { bundleInfo } from '../bundle.mjs';
import { writtenNote } from './written.mjs';

/**
 * One entry of the endpoint catalogue (collections/dfns-endpoints.json).
 * @typedef {{ group: string, name: string, method: string, path: string, userAction: boolean }} Endpoint
 */
/** @typedef {{ version: string, hash: string }} BundleInfo */
/**
 * One client format (a module of this folder): the files it writes ({ 'collections/…': text }, pure), and
 * the directory it owns outright, if any (a file there that it no longer writes is stale).
 * @typedef {{ format: string, dir?: string, files: (catalogue: Endpoint[], bundle: string) => Record<string, string> }} Writer
 */

export const CATALOGUE_FILE = fileURLToPath(new URL('../../collections/dfns-endpoints.json', import.meta.url));

export const COLLECTION_NAME = 'Dfns API';
/**
 * The names of the official Dfns Postman environment: a collection set up with these alone reaches the real API;
 * then the optional ones of Create Credential (key rotation), registration (written.mjs) and login (login.mjs).
 */
export const VARIABLES = [
  'dfnsApiDomain',
  'authToken',
  'credentialPrivateKey',
  'credentialId',
  'newCredentialPrivateKey',
  'newCredentialName',
  'dfnsRegistrationCode',
  'dfnsUsername',
  'dfnsOrgId',
];
export const SECRET_VARIABLES = ['authToken', 'credentialPrivateKey', 'newCredentialPrivateKey'];
export const DEFAULT_DOMAIN = 'api.dfns.io';
/**
 * The URL scheme of every request, `{{dfnsApiScheme}}://{{dfnsApiDomain}}/…`: https by default, from the
 * collection's own scope (Postman collection variables, Bruno collection vars, Insomnia's base environment, …),
 * so the official environment, which does not have it, works unchanged; `http` points a collection at the
 * local emulator, and the signer refuses plain http to anything but this machine.
 */
export const SCHEME_VARIABLE = 'dfnsApiScheme';
export const DEFAULT_SCHEME = 'https';

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
  'POST /auth/action/init': {
    userActionServerKind: 'Api',
    userActionHttpMethod: 'POST',
    userActionHttpPath: '/wallets',
    userActionPayload: '{"network":"EthereumSepolia"}',
  },
  'POST /auth/action': {
    challengeIdentifier: '',
    firstFactor: { kind: 'Key', credentialAssertion: { credId: '', clientData: '', signature: '' } },
  },
  // The signer writes these two bodies itself when newCredentialPrivateKey / dfnsRegistrationCode are set (written.mjs).
  'POST /auth/credentials/init': { kind: 'Key' },
  'POST /auth/credentials': {
    credentialKind: 'Key',
    credentialInfo: { credId: '', clientData: '', attestationData: '' },
    credentialName: '',
    challengeIdentifier: '',
  },
  'POST /auth/registration/init': { orgId: '', username: '', registrationCode: '' },
  'POST /auth/registration': {
    firstFactorCredential: { credentialKind: 'Key', credentialInfo: { credId: '', clientData: '', attestationData: '' } },
  },
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

/**
 * The requests of the small collections (Bruno, Insomnia, Yaak, Apidog, httpyac, Hoppscotch's quickstart) and of
 * `npm run demo`: a GET and a signed POST, PUT and DELETE.
 */
export const SUBSET = ['GET /wallets', 'POST /wallets', 'PUT /wallets/{walletId}', 'DELETE /webhooks/{webhookId}'];

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** @param {unknown} catalogue @returns {asserts catalogue is Endpoint[]} */
export function validateCatalogue(catalogue) {
  if (!Array.isArray(catalogue) || catalogue.length === 0) throw new Error('the endpoint catalogue is not a non-empty array');
  const seen = new Set();
  for (const e of catalogue) {
    if (
      !e ||
      typeof e.group !== 'string' ||
      typeof e.name !== 'string' ||
      typeof e.method !== 'string' ||
      typeof e.path !== 'string' ||
      typeof e.userAction !== 'boolean'
    ) {
      throw new Error(`bad catalogue entry ${JSON.stringify(e)}`);
    }
    if (!e.path.startsWith('/')) throw new Error(`catalogue path does not start with /: ${e.path}`);
    if (seen.has(endpointKey(e))) throw new Error(`duplicate catalogue entry ${endpointKey(e)}`);
    seen.add(endpointKey(e));
  }
}

export const sha1 = (/** @type {string} */ text) => createHash('sha1').update(text).digest('hex');

/** A name-based (version 5 layout) UUID: stable across runs, different per key. @param {string} key */
export function stableUuid(key) {
  const h = sha1(`dfns-signer/collections:${key}`);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A JSON file's text: two-space indent, final newline. */
export const json = (/** @type {unknown} */ value) => `${JSON.stringify(value, null, 2)}\n`;
const titleCase = (/** @type {string} */ group) =>
  group
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
export const groupTitle = (/** @type {string} */ group) => GROUP_TITLES[group] ?? titleCase(group);
export const endpointKey = (/** @type {{ method: string, path: string }} */ e) => `${e.method} ${e.path}`;
export const pathParams = (/** @type {string} */ path) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
/** `/wallets/{walletId}` → `/wallets/:walletId` (Postman, Bruno and Insomnia path variables). */
export const colonPath = (/** @type {string} */ path) => path.replace(/\{([^}]+)\}/g, ':$1');

/** The bundle's `{version, hash}`; throws when the text is not a dfns-signer build. @param {string} bundle @returns {BundleInfo} */
export function signerInfo(bundle) {
  const info = bundleInfo(bundle);
  if (!info) throw new Error('the bundle does not start with the dfns-signer marker line');
  return info;
}

/** The body text of a request, or undefined when it takes none. @param {Endpoint} endpoint @returns {string | undefined} */
export function bodyText(endpoint) {
  const skeleton = BODIES[endpointKey(endpoint)];
  if (skeleton !== undefined) return JSON.stringify(skeleton, null, 2);
  return endpoint.method === 'POST' || endpoint.method === 'PUT' || endpoint.method === 'PATCH' ? '{}' : undefined;
}

/** Every path parameter of the catalogue, sorted: the environments' extra variables, empty. @param {Endpoint[]} catalogue */
export function allPathParams(catalogue) {
  return [...new Set(catalogue.flatMap((e) => pathParams(e.path)))].filter((p) => !VARIABLES.includes(p)).sort();
}

/**
 * The variables of every environment template, in order: the official names, the scheme, then the path
 * parameters of its requests (empty: set the one a request needs, in the environment or on the command line).
 * @param {string[]} params
 */
export const environmentVariables = (params) => [...VARIABLES, SCHEME_VARIABLE, ...params.filter((p) => !VARIABLES.includes(p))];
/** A variable's value in an environment template. @param {string} key */
export const templateValue = (key) => (key === 'dfnsApiDomain' ? DEFAULT_DOMAIN : key === SCHEME_VARIABLE ? DEFAULT_SCHEME : '');
/** The path parameters of these endpoints, in order of first use. @param {Endpoint[]} endpoints */
export const pathParamsOf = (endpoints) => [...new Set(endpoints.flatMap((e) => pathParams(e.path)))];

/** @param {Endpoint} endpoint */
export function signingNote(endpoint) {
  const signing = endpoint.userAction
    ? 'Needs a user action: the pre-request script signs it (User Action Signing) and sends it with X-DFNS-USERACTION.'
    : 'No user action needed: the pre-request script only adds the Authorization header.';
  const note = writtenNote(endpoint);
  return note ? `${signing}\n\n${note}` : signing;
}

/** Catalogue order of the areas; inside one, by path then method (List, Create, then per id). @param {Endpoint[]} catalogue */
export function byArea(catalogue) {
  /** @type {Map<string, Endpoint[]>} */
  const groups = new Map();
  for (const e of catalogue) {
    if (!groups.has(e.group)) groups.set(e.group, []);
    /** @type {Endpoint[]} */ (groups.get(e.group)).push(e);
  }
  const rank = (/** @type {string} */ m) => METHOD_ORDER.indexOf(m) + 1 || 99;
  for (const list of groups.values()) list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : rank(a.method) - rank(b.method)));
  return groups;
}

/** The SUBSET's endpoints, in its order. @param {Endpoint[]} catalogue */
export function subsetOf(catalogue) {
  return SUBSET.map((key) => {
    const e = catalogue.find((c) => endpointKey(c) === key);
    if (!e) throw new Error(`the catalogue lacks ${key}, used by the small collections and the demo`);
    return e;
  });
}

/**
 * The setup steps every full collection's description shares: make a key, get a token, and (after the
 * writer's own "import the environment" step) what to set each variable to.
 */
export const SETUP = {
  key: [
    '1. Make a key pair: `openssl ecparam -genkey -name prime256v1 -noout -out prime256v1.pem` and `openssl pkey -in prime256v1.pem -pubout -out prime256v1.public.pem`.',
    '2. In the Dfns dashboard, Settings > Personal Access Tokens > New: paste the public key (prime256v1.public.pem) and copy the token.',
  ],
  variables: [
    `   - \`dfnsApiDomain\`: \`${DEFAULT_DOMAIN}\` (already set); \`api.uae.dfns.io\` for the UAE region.`,
    '   - `authToken`: the token from step 2.',
    '   - `credentialPrivateKey`: the whole content of prime256v1.pem, BEGIN and END lines included (RSA, secp256k1 and Ed25519 keys work too).',
    '   - `credentialId`: leave empty unless the token has several key credentials.',
    '   - `dfnsUsername` and `dfnsOrgId`: only to log in with the credential key instead of pasting tokens (see Auth — Login > Complete User Login).',
  ],
};
