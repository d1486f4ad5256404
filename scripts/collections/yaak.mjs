// The Yaak workspace: collections/yaak/dfns-api.yaak.json, a Yaak export file (`yaakSchema` 4, what
// `yaak export` writes and `yaak import` or the app's Import reads; Yaak gives the models new ids on
// import). Yaak has no pre-request scripts: the workspace's authentication is the Dfns signer plugin
// (dist/yaak-plugin-dfns-signer), which every request inherits. Pure and deterministic.
import { createHash } from 'node:crypto';
import { bodyText, DEFAULT_SCHEME, SCHEME_VARIABLE, signerInfo, subsetOf } from './catalogue.mjs';

/**
 * One request of the workspace: a catalogue entry and its body text (undefined when it takes none).
 * @typedef {{ name: string, method: string, path: string, userAction: boolean, body?: string }} YaakEndpoint
 */

export const YAAK_WORKSPACE = 'collections/yaak/dfns-api.yaak.json';
/** The plugin's authentication name (src/yaak-plugin/index.ts). */
export const YAAK_AUTH = 'dfns-signer';
export const YAAK_DEFAULT_DOMAIN = 'api.dfns.io';

/** A stable model id, in Yaak's form (a type prefix and 10 characters). @param {string} prefix @param {string} key */
const modelId = (prefix, key) => `${prefix}_${createHash('sha1').update(`dfns-signer/yaak:${key}`).digest('hex').slice(0, 10)}`;

const variable = (/** @type {string} */ name, value = '') => ({ enabled: true, name, value });

/** `/wallets/{walletId}` → `/wallets/:walletId` (Yaak's path placeholders, filled from the request's URL parameters). @param {string} path */
const colonPath = (path) => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * The body Yaak sends and shows the plugin. Yaak shows an auth plugin no body at all when there is none, so
 * a request that needs a user action always has one: `{}` where the endpoint takes none (as Dfns's SDKs send).
 * @param {YaakEndpoint} e
 */
function bodyOf(e) {
  return e.body !== undefined ? e.body : e.userAction ? '{}' : undefined;
}

/** @param {YaakEndpoint} e @param {number} i @param {string} workspaceId */
function httpRequest(e, i, workspaceId) {
  const body = bodyOf(e);
  const params = [...e.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  return {
    model: 'http_request',
    id: modelId('rq', `${e.method} ${e.path}`),
    workspaceId,
    folderId: null,
    name: e.name,
    description: [
      `\`${e.method} ${e.path}\``,
      '',
      e.userAction
        ? 'Needs a user action: the Dfns signer plugin signs it (User Action Signing) and sends it with X-DFNS-USERACTION.'
        : 'No user action needed: the Dfns signer plugin only adds the Authorization header.',
      ...(params.length ? ['', `Set the variable${params.length > 1 ? 's' : ''} ${params.join(', ')} in the environment Dfns.`] : []),
    ].join('\n'),
    method: e.method,
    url: `\${[ ${SCHEME_VARIABLE} ]}://\${[ dfnsApiDomain ]}${colonPath(e.path)}`,
    urlParameters: params.map((name) => ({ enabled: true, name: `:${name}`, value: `\${[ ${name} ]}` })),
    headers: body === undefined ? [] : [{ enabled: true, name: 'Content-Type', value: 'application/json' }],
    bodyType: body === undefined ? null : 'application/json',
    body: body === undefined ? {} : { text: body },
    // Inherited from the workspace: the Dfns signer.
    authenticationType: null,
    authentication: {},
    sortPriority: i + 1,
  };
}

/**
 * The workspace's files: { path: text }.
 * @param {YaakEndpoint[]} endpoints the requests, in order
 * @param {{ version: string }} signer the dfns-signer version the plugin comes with
 * @returns {Record<string, string>}
 */
export function yaakFiles(endpoints, { version }) {
  const workspaceId = modelId('wk', 'workspace');
  const workspace = {
    model: 'workspace',
    id: workspaceId,
    name: 'Dfns API',
    description: [
      `Dfns API requests signed by the Dfns signer plugin (dfns-signer ${version}, folder dist/yaak-plugin-dfns-signer: see its README).`,
      '',
      'Every request inherits the workspace authentication "Dfns User Action Signing". Select the environment Dfns and set',
      'authToken, credentialPrivateKey (the PEM) and, only when the token has several key credentials, credentialId.',
      `dfnsApiDomain (Global Variables) is ${YAAK_DEFAULT_DOMAIN}; api.uae.dfns.io for the UAE region. ${SCHEME_VARIABLE} is ${DEFAULT_SCHEME}; http only for the local Dfns emulator.`,
      'Path parameters come from the variables of the same name (walletId, …), in the environment Dfns.',
      "Yaak has no scripts, so no request tests that Dfns answered 2xx (the other clients' collections do): read each response's status.",
    ].join('\n'),
    headers: [],
    authenticationType: YAAK_AUTH,
    // Empty: the plugin reads the environment variables of the same names.
    authentication: {},
  };
  const environments = [
    {
      model: 'environment',
      id: modelId('ev', 'base'),
      workspaceId,
      name: 'Global Variables',
      parentModel: 'workspace',
      parentId: null,
      public: true,
      variables: [variable('dfnsApiDomain', YAAK_DEFAULT_DOMAIN), variable(SCHEME_VARIABLE, DEFAULT_SCHEME)],
    },
    {
      model: 'environment',
      id: modelId('ev', 'dfns'),
      workspaceId,
      name: 'Dfns',
      parentModel: 'environment',
      parentId: null,
      // Private: Yaak neither exports nor syncs it, so the token and the key stay on this machine.
      public: false,
      variables: [
        ...['authToken', 'credentialPrivateKey', 'credentialId'].map((name) => variable(name)),
        ...[...new Set(endpoints.flatMap((e) => [...e.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])))].map((name) => variable(name)),
      ],
    },
  ];
  const document = {
    yaakVersion: '2026.8.1',
    yaakSchema: 4,
    // Fixed, so that the file depends only on its inputs.
    timestamp: '2025-01-01T00:00:00',
    resources: {
      workspaces: [workspace],
      environments,
      folders: [],
      httpRequests: endpoints.map((e, i) => httpRequest(e, i, workspaceId)),
      grpcRequests: [],
      websocketRequests: [],
    },
  };
  return { [YAAK_WORKSPACE]: `${JSON.stringify(document, null, 2)}\n` };
}

/** @type {import('./catalogue.mjs').Writer} */
export const yaak = {
  format: 'Yaak workspace',
  dir: 'collections/yaak',
  files: (catalogue, bundle) =>
    yaakFiles(
      subsetOf(catalogue).map((e) => ({ ...e, body: bodyText(e) })),
      { version: signerInfo(bundle).version },
    ),
};
