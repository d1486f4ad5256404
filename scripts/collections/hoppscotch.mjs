// Hoppscotch collections (v12, requests v17) and environments (v2), the formats `hopp test` (@hoppscotch/cli
// 0.31.4) validates (test/e2e/hoppscotch-collection.test.ts has it load these files): every endpoint, and the
// four requests of the other clients' collections (`hopp test` has no folder filter); the signer as the
// collection's pre-request script; path parameters, the scheme and the host as environment variables (scripts
// see no other); an environment for the app, and one for `hopp test` whose every value can come from the
// process environment.
import {
  allPathParams,
  bodyText,
  byArea,
  COLLECTION_NAME,
  environmentVariables,
  groupTitle,
  json,
  pathParams,
  SCHEME_VARIABLE,
  SECRET_VARIABLES,
  SETUP,
  signerInfo,
  signingNote,
  stableUuid,
  subsetOf,
  templateValue,
} from './catalogue.mjs';
import { HOPPSCOTCH_STATUS_CHECK } from './checks.mjs';
import { CHECK, hoppscotchCheckScript, hoppscotchLoginScript, LOGIN_KEY, LOGIN_NOTE } from './login.mjs';
import { FORM_DATA, isForm } from './written.mjs';

/** @typedef {import('./catalogue.mjs').Endpoint} Endpoint */
/** @typedef {import('./catalogue.mjs').BundleInfo} BundleInfo */

export const HOPPSCOTCH_COLLECTION = 'collections/hoppscotch/dfns-api.hoppscotch.json';
export const HOPPSCOTCH_ENVIRONMENT = 'collections/hoppscotch/dfns.hoppscotch_environment.json';
export const HOPPSCOTCH_QUICKSTART = 'collections/hoppscotch/dfns-quickstart.hoppscotch.json';
export const HOPPSCOTCH_CLI_ENVIRONMENT = 'collections/hoppscotch/dfns-cli.hoppscotch_environment.json';
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
    `URLs are \`<<${SCHEME_VARIABLE}>>://<<dfnsApiDomain>>/…\`: ${SCHEME_VARIABLE} is https in the environment; http only for the local Dfns emulator. Every request's test fails when Dfns answers other than 2xx and names Dfns's message.`,
    '',
    'With the CLI: `hopp test <collection> -e <environment>` runs every request of a collection (it has no folder filter): run `dfns-quickstart.hoppscotch.json` (four requests), or a collection of just the requests you want, with `dfns-cli.hoppscotch_environment.json`, whose every variable is read from the process environment variable of the same name when set there.',
  ].join('\n');
}

/** @param {Endpoint} e */
function hoppscotchRequest(e) {
  const body = bodyText(e);
  const params = pathParams(e.path);
  const paramsNote = params.length ? `\n\nSet the environment variable${params.length > 1 ? 's' : ''} ${params.join(', ')} first.` : '';
  const login = `${e.method} ${e.path}` === LOGIN_KEY;
  return {
    v: '17',
    name: e.name,
    method: e.method,
    endpoint: `<<${SCHEME_VARIABLE}>>://<<dfnsApiDomain>>${hoppPath(e.path)}`,
    params: [],
    headers: [],
    preRequestScript: '',
    // Complete User Login's test also keeps the token it answers (login.mjs).
    testScript: login ? `${HOPPSCOTCH_STATUS_CHECK}\n${hoppscotchLoginScript()}` : HOPPSCOTCH_STATUS_CHECK,
    auth: HOPP_INHERIT,
    body: isForm(e)
      ? {
          contentType: 'multipart/form-data',
          body: [
            { key: 'data', value: FORM_DATA, active: true, isFile: false },
            { key: 'file', value: [], active: true, isFile: true },
          ],
        }
      : body === undefined
        ? { contentType: null, body: null }
        : { contentType: 'application/json', body },
    requestVariables: [],
    responses: {},
    description: `\`${e.method} ${e.path}\`\n\n${signingNote(e)}${paramsNote}${login ? `\n\n${LOGIN_NOTE}` : ''}`,
  };
}

/** "Check my setup", at the top of the collection: its script is the check (it says what any status means). */
function checkRequest() {
  const request = hoppscotchRequest({ group: '', name: CHECK.name, method: CHECK.method, path: CHECK.path, userAction: false });
  return { ...request, testScript: hoppscotchCheckScript(), description: CHECK.description };
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
  return hoppscotchCollectionJson(COLLECTION_NAME, hoppscotchDescription(catalogue, info), HOPP_NO_AUTH, bundle, folders, [checkRequest()]);
}

/** The four requests of the other clients' collections, in one collection without folders. @param {Endpoint[]} catalogue @param {string} bundle */
function hoppscotchQuickstart(catalogue, bundle) {
  const info = signerInfo(bundle);
  const description = [
    `Four Dfns API requests (a GET and a signed POST, PUT and DELETE), signed by the collection's pre-request script, dfns-signer ${info.version}. dfns-api.hoppscotch.json has every endpoint.`,
    '',
    '`hopp test dfns-quickstart.hoppscotch.json -e dfns-cli.hoppscotch_environment.json`, with authToken, credentialPrivateKey, walletId and webhookId set as process environment variables (and dfnsApiScheme, dfnsApiDomain for another host than api.dfns.io). In the app, use the environment dfns.hoppscotch_environment.json.',
  ].join('\n');
  return hoppscotchCollectionJson(
    `${COLLECTION_NAME} (quickstart)`,
    description,
    HOPP_NO_AUTH,
    bundle,
    [],
    subsetOf(catalogue).map(hoppscotchRequest),
  );
}

/**
 * The app's environment: every value in the file, the token and key secret (kept on this machine).
 * `cli`: the environment for `hopp test`, every variable secret with the value empty and its default as the
 * initial value: the CLI then takes a secret from the process environment variable of the same name, and falls
 * back to the initial value (@hoppscotch/cli's processVariables).
 * @param {Endpoint[]} catalogue @param {boolean} cli
 */
function hoppscotchEnvironment(catalogue, cli) {
  const variable = (/** @type {string} */ key) => ({
    key,
    initialValue: templateValue(key),
    currentValue: cli ? '' : templateValue(key),
    secret: cli || SECRET_VARIABLES.includes(key),
  });
  return {
    v: 2,
    id: stableUuid(cli ? 'hoppscotch cli environment' : 'hoppscotch environment'),
    name: cli ? `${COLLECTION_NAME} (hopp test)` : COLLECTION_NAME,
    variables: environmentVariables(allPathParams(catalogue)).map(variable),
  };
}

/** @type {import('./catalogue.mjs').Writer} */
export const hoppscotch = {
  format: 'Hoppscotch collections and environments',
  dir: 'collections/hoppscotch',
  files: (catalogue, bundle) => ({
    [HOPPSCOTCH_COLLECTION]: json(hoppscotchCollection(catalogue, bundle)),
    [HOPPSCOTCH_ENVIRONMENT]: json(hoppscotchEnvironment(catalogue, false)),
    [HOPPSCOTCH_QUICKSTART]: json(hoppscotchQuickstart(catalogue, bundle)),
    [HOPPSCOTCH_CLI_ENVIRONMENT]: json(hoppscotchEnvironment(catalogue, true)),
  }),
};
