// Hoppscotch collection (v12, requests v17) and environment (v2), the formats `hopp test` (@hoppscotch/cli
// 0.31.4) validates (test/e2e/hoppscotch-collection.test.ts has it load these files): every endpoint,
// the signer as the collection's pre-request script, path parameters as environment variables.
import {
  allPathParams,
  bodyText,
  byArea,
  COLLECTION_NAME,
  DEFAULT_DOMAIN,
  groupTitle,
  json,
  pathParams,
  SECRET_VARIABLES,
  SETUP,
  signerInfo,
  signingNote,
  stableUuid,
  VARIABLES,
} from './catalogue.mjs';

/** @typedef {import('./catalogue.mjs').Endpoint} Endpoint */
/** @typedef {import('./catalogue.mjs').BundleInfo} BundleInfo */

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
    ...SETUP.key,
    '3. Import the environment `dfns.hoppscotch_environment.json` (Environments > Import > Hoppscotch) and select it. Set:',
    ...SETUP.variables,
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
function hoppscotchCollection(catalogue, bundle) {
  const info = signerInfo(bundle);
  const folders = [...byArea(catalogue)].map(([group, endpoints]) =>
    hoppscotchCollectionJson(groupTitle(group), null, HOPP_INHERIT, '', [], endpoints.map(hoppscotchRequest)),
  );
  // The bundle exactly as built: Hoppscotch keeps a script as one string.
  return hoppscotchCollectionJson(COLLECTION_NAME, hoppscotchDescription(catalogue, info), HOPP_NO_AUTH, bundle, folders, []);
}

/** @param {Endpoint[]} catalogue */
function hoppscotchEnvironment(catalogue) {
  const variable = (/** @type {string} */ key, value = '') => ({
    key,
    initialValue: value,
    currentValue: value,
    secret: SECRET_VARIABLES.includes(key),
  });
  return {
    v: 2,
    id: stableUuid('hoppscotch environment'),
    name: COLLECTION_NAME,
    variables: [
      ...VARIABLES.map((key) => variable(key, key === 'dfnsApiDomain' ? DEFAULT_DOMAIN : '')),
      ...allPathParams(catalogue)
        .filter((key) => !VARIABLES.includes(key))
        .map((key) => variable(key)),
    ],
  };
}

/** @type {import('./catalogue.mjs').Writer} */
export const hoppscotch = {
  format: 'Hoppscotch collection and environment',
  dir: 'collections/hoppscotch',
  files: (catalogue, bundle) => ({
    [HOPPSCOTCH_COLLECTION]: json(hoppscotchCollection(catalogue, bundle)),
    [HOPPSCOTCH_ENVIRONMENT]: json(hoppscotchEnvironment(catalogue)),
  }),
};
