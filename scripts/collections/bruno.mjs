// Bruno collection (.bru files): the representative subset (SUBSET), the signer as the collection's
// pre-request script, the environment Dfns with the token and key as secrets.
import { scriptText } from '../bundle.mjs';
import {
  bodyText,
  COLLECTION_NAME,
  colonPath,
  DEFAULT_DOMAIN,
  DEFAULT_SCHEME,
  environmentVariables,
  json,
  pathParams,
  pathParamsOf,
  SCHEME_VARIABLE,
  SECRET_VARIABLES,
  signerInfo,
  signingNote,
  subsetOf,
  templateValue,
} from './catalogue.mjs';
import { BRUNO_STATUS_CHECK } from './checks.mjs';
import { brunoCheckScript, CHECK } from './login.mjs';

/** @typedef {import('./catalogue.mjs').Endpoint} Endpoint */

const indent = (/** @type {string} */ text, by = '  ') =>
  text
    .split('\n')
    .map((l) => (l === '' ? '' : by + l))
    .join('\n');
/** Script and docs blocks: every line indented by two spaces (Bruno strips them when reading). */
const block = (/** @type {string} */ name, /** @type {string} */ text) =>
  `${name} {\n${text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n}\n`;
const pairs = (/** @type {string} */ name, /** @type {[string, string | number][]} */ entries) =>
  `${name} {\n${entries.map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n}\n`;

/** @param {Endpoint} e @param {number} seq */
function bruRequest(e, seq) {
  const body = bodyText(e);
  const parts = [
    pairs('meta', [
      ['name', e.name],
      ['type', 'http'],
      ['seq', seq],
    ]),
    pairs(e.method.toLowerCase(), [
      ['url', `{{${SCHEME_VARIABLE}}}://{{dfnsApiDomain}}${colonPath(e.path)}`],
      ['body', body === undefined ? 'none' : 'json'],
      ['auth', 'none'],
    ]),
  ];
  const params = pathParams(e.path);
  if (params.length)
    parts.push(
      pairs(
        'params:path',
        params.map((p) => [p, `{{${p}}}`]),
      ),
    );
  if (body !== undefined) {
    parts.push(pairs('headers', [['Content-Type', 'application/json']]));
    parts.push(`body:json {\n${indent(body)}\n}\n`);
  }
  parts.push(block('tests', BRUNO_STATUS_CHECK));
  parts.push(
    block(
      'docs',
      `\`${e.method} ${e.path}\`\n\n${signingNote(e)}${params.length ? `\n\nSet the variable${params.length > 1 ? 's' : ''} ${params.join(', ')} in the environment (bru run: --env-var ${params[0]}=…).` : ''}`,
    ),
  );
  return parts.join('\n');
}

/** @param {Endpoint[]} catalogue @param {string} bundle */
function files(catalogue, bundle) {
  const info = signerInfo(bundle);
  /** @type {Record<string, string>} */
  const files = {};
  files['collections/bruno/bruno.json'] = json({
    version: '1',
    name: COLLECTION_NAME,
    type: 'collection',
    ignore: ['node_modules', '.git'],
  });
  files['collections/bruno/collection.bru'] = [
    // The default scheme, below the environment's (Bruno: environment variables win over collection ones).
    pairs('vars:pre-request', [[SCHEME_VARIABLE, DEFAULT_SCHEME]]),
    pairs('auth', [['mode', 'none']]),
    block('script:pre-request', scriptText(bundle)),
    block(
      'docs',
      [
        `A few Dfns API requests, signed by the collection's pre-request script (dfns-signer ${info.version}).`,
        'The Postman collection (collections/dfns-api.postman_collection.json) has every endpoint.',
        '',
        'Select the environment Dfns and set authToken, credentialPrivateKey (the PEM, BEGIN and END lines',
        `included) and, only when the token has several key credentials, credentialId. dfnsApiDomain is ${DEFAULT_DOMAIN};`,
        'api.uae.dfns.io for the UAE region. Path parameters come from the variables of the same name (walletId, …).',
        `URLs are {{${SCHEME_VARIABLE}}}://{{dfnsApiDomain}}/…: ${SCHEME_VARIABLE} is ${DEFAULT_SCHEME}; http only for the local Dfns emulator.`,
        "Every request's test fails the run when Dfns answers other than 2xx, with Dfns's message.",
      ].join('\n'),
    ),
  ].join('\n');
  const subset = subsetOf(catalogue);
  files['collections/bruno/environments/Dfns.bru'] =
    pairs(
      'vars',
      environmentVariables(pathParamsOf(subset))
        .filter((v) => !SECRET_VARIABLES.includes(v))
        .map((v) => [v, templateValue(v)]),
    ) + `vars:secret [\n${SECRET_VARIABLES.map((v) => `  ${v}`).join(',\n')}\n]\n`;
  subset.forEach((e, i) => {
    files[`collections/bruno/${e.name}.bru`] = bruRequest(e, i + 1);
  });
  // Check my setup, last: its tests are the check (it says what any status means), its docs what it shows.
  const check = bruRequest({ group: '', name: CHECK.name, method: CHECK.method, path: CHECK.path, userAction: false }, subset.length + 1);
  files[`collections/bruno/${CHECK.name}.bru`] =
    `${check.slice(0, check.indexOf('tests {'))}${block('tests', brunoCheckScript())}\n${block('docs', CHECK.description)}`;
  return files;
}

/** @type {import('./catalogue.mjs').Writer} */
export const bruno = { format: 'Bruno collection', dir: 'collections/bruno', files };
