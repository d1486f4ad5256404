// Postman collection v2.1 and environment (Postman, newman, Apidog): every endpoint, folders by area,
// the signer as the collection-level pre-request script (the same event `dfns-signer inject` writes).
import { scriptText } from '../bundle.mjs';
import {
  allPathParams,
  bodyText,
  byArea,
  COLLECTION_NAME,
  colonPath,
  DEFAULT_SCHEME,
  endpointKey,
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
  templateValue,
} from './catalogue.mjs';
import { POSTMAN_STATUS_CHECK } from './checks.mjs';
import { CHECK, LOGIN_KEY, LOGIN_NOTE, postmanCheckScript, postmanLoginScript } from './login.mjs';
import { FORM_DATA, isForm } from './written.mjs';

/** @typedef {import('./catalogue.mjs').Endpoint} Endpoint */
/** @typedef {import('./catalogue.mjs').BundleInfo} BundleInfo */

const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** The bundle as Postman script lines (a final newline is not kept as an empty last line). @param {string} bundle */
export const scriptLines = (bundle) => scriptText(bundle).split('\n');

/**
 * The collection-level event that runs the bundle before every request.
 * @param {string} bundle
 * @returns {{ listen: 'prerequest', script: { type: 'text/javascript', exec: string[] } }}
 */
export function scriptEvent(bundle) {
  return { listen: 'prerequest', script: { type: 'text/javascript', exec: scriptLines(bundle) } };
}

/** The request-level event that fails the run on an answer other than 2xx (checks.mjs). */
export function statusCheckEvent() {
  return { listen: 'test', script: { type: 'text/javascript', exec: [...POSTMAN_STATUS_CHECK] } };
}

/** The text of an event's script: `exec` is an array of lines or a string (both are v2.1). @param {any} event @returns {string} */
export function eventText(event) {
  const exec = event && event.script && event.script.exec;
  if (Array.isArray(exec)) return exec.map((l) => (l == null ? '' : String(l))).join('\n');
  return typeof exec === 'string' ? exec : '';
}

/** @param {Endpoint[]} catalogue @param {BundleInfo} info */
function description(catalogue, info) {
  const signed = catalogue.filter((e) => e.userAction).length;
  return [
    `Every endpoint of the Dfns API (${catalogue.length} requests, ${signed} of them need a user action), ready to send.`,
    '',
    `The collection's pre-request script is dfns-signer ${info.version} (sha256:${info.hash.slice(0, 16)}…): before each request it adds \`Authorization: Bearer {{authToken}}\`, and for the requests that need a user action (POST, PUT and DELETE except login, registration and a few read-like POSTs) it performs Dfns User Action Signing with your credential key and adds \`X-DFNS-USERACTION\`. No collection or request auth is set: the script does it.`,
    '',
    '## Setup',
    '',
    ...SETUP.key,
    '3. Import the environment `dfns.postman_environment.json` and select it. Set:',
    ...SETUP.variables,
    '4. Send Wallets > List Wallets, then Wallets > Create Wallet.',
    '',
    'Path variables (`:walletId`, …) take their value from the variable of the same name (`{{walletId}}`), listed empty in the environment: set the one a request needs there, or on the command line (`--env-var walletId=wa-…`). Bodies are minimal skeletons: see the Dfns API reference (https://docs.dfns.co/api-reference) for every field.',
    '',
    "Every request has a test that fails when Dfns answers other than 2xx and shows Dfns's message, so a refused request fails a run.",
    '',
    `URLs are \`{{${SCHEME_VARIABLE}}}://{{dfnsApiDomain}}/…\`: the collection variable ${SCHEME_VARIABLE} is ${DEFAULT_SCHEME}; set it to http only for the local Dfns emulator (\`npm run emulator\` in the dfns-signer repository).`,
    '',
    'In CI, with newman: `npx newman run dfns-api.postman_collection.json -e my.postman_environment.json --folder "List Wallets" --folder "Create Wallet" --ignore-redirects --timeout-request 60000`; with the Postman CLI: `postman collection run dfns-api.postman_collection.json -e my.postman_environment.json -i "List Wallets" -i "Create Wallet" --ignore-redirects --timeout-request 60000` (`--ignore-redirects`: no redirect takes the signing calls and the token elsewhere; `--timeout-request`: a call Dfns never answers ends, so the run does).',
  ].join('\n');
}

/** A request of the Postman collection (and of the Apidog one, whose items are Postman's). @param {Endpoint} e */
export function postmanRequest(e) {
  const params = pathParams(e.path);
  const body = bodyText(e);
  /** @type {{ raw: string, protocol: string, host: string[], path: string[], variable?: { key: string, value: string, description: string }[] }} */
  const url = {
    raw: `{{${SCHEME_VARIABLE}}}://{{dfnsApiDomain}}${colonPath(e.path)}`,
    protocol: `{{${SCHEME_VARIABLE}}}`,
    host: ['{{dfnsApiDomain}}'],
    path: colonPath(e.path).split('/').slice(1),
  };
  if (params.length)
    url.variable = params.map((key) => ({
      key,
      value: `{{${key}}}`,
      description: `Required: the ${key} in ${e.method} ${e.path}, from the variable ${key} (environment, or --env-var ${key}=… on the command line).`,
    }));
  const form = isForm(e);
  /** @type {{ method: string, header: { key: string, value: string }[], body?: object, url?: object, description?: string }} */
  const request = {
    method: e.method,
    header: body === undefined || form ? [] : [{ key: 'Content-Type', value: 'application/json' }],
  };
  if (form)
    request.body = {
      mode: 'formdata',
      formdata: [
        { key: 'data', value: FORM_DATA, type: 'text' },
        { key: 'file', src: [], type: 'file' },
      ],
    };
  else if (body !== undefined) request.body = { mode: 'raw', raw: body, options: { raw: { language: 'json' } } };
  request.url = url;
  const login = endpointKey(e) === LOGIN_KEY;
  request.description = `\`${e.method} ${e.path}\`\n\n${signingNote(e)}${login ? `\n\n${LOGIN_NOTE}` : ''}`;
  // Complete User Login's test also keeps the token it answers (login.mjs).
  const event = login ? testEvent([...POSTMAN_STATUS_CHECK, ...postmanLoginScript().split('\n')]) : statusCheckEvent();
  return { id: stableUuid(`item ${endpointKey(e)}`), name: e.name, event: [event], request, response: [] };
}

/** A request's own script that runs once its answer is in. @param {string[]} exec */
const testEvent = (exec) => ({ listen: 'test', script: { type: 'text/javascript', exec } });

/** "Check my setup", first in the collection: its script is the check (it says what any status means). */
function checkItem() {
  const item = postmanRequest({ group: '', name: CHECK.name, method: CHECK.method, path: CHECK.path, userAction: false });
  return {
    ...item,
    id: stableUuid('item check'),
    event: [testEvent(postmanCheckScript().split('\n'))],
    request: { ...item.request, description: CHECK.description },
  };
}

/** @param {Endpoint[]} catalogue @param {string} bundle */
function postmanCollection(catalogue, bundle) {
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
      description: description(catalogue, info),
      schema: POSTMAN_SCHEMA,
    },
    item: [checkItem(), ...folders],
    event: [scriptEvent(bundle)],
    // The default scheme, below the environment: the official Dfns environment, which does not have it, works unchanged.
    variable: [
      { key: SCHEME_VARIABLE, value: DEFAULT_SCHEME, type: 'string', description: 'https; http only for the local Dfns emulator' },
    ],
  };
}

/** @param {Endpoint[]} catalogue */
function postmanEnvironment(catalogue) {
  return {
    id: stableUuid('environment'),
    name: COLLECTION_NAME,
    values: environmentVariables(allPathParams(catalogue)).map((key) => ({
      key,
      value: templateValue(key),
      type: SECRET_VARIABLES.includes(key) ? 'secret' : 'default',
      enabled: true,
    })),
    _postman_variable_scope: 'environment',
  };
}

/** @type {import('./catalogue.mjs').Writer} */
export const postman = {
  format: 'Postman collection v2.1 and environment',
  files: (catalogue, bundle) => ({
    'collections/dfns-api.postman_collection.json': json(postmanCollection(catalogue, bundle)),
    'collections/dfns.postman_environment.json': json(postmanEnvironment(catalogue)),
  }),
};
