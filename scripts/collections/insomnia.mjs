// Insomnia export (format 4): the representative subset (SUBSET) in one folder whose pre-request script
// is the signer (Insomnia runs scripts at folder and request level only), and a private environment.
import { scriptText } from '../bundle.mjs';
import {
  bodyText,
  COLLECTION_NAME,
  colonPath,
  DEFAULT_DOMAIN,
  DEFAULT_SCHEME,
  endpointKey,
  environmentVariables,
  json,
  pathParams,
  pathParamsOf,
  SCHEME_VARIABLE,
  sha1,
  signerInfo,
  signingNote,
  subsetOf,
  templateValue,
} from './catalogue.mjs';
import { INSOMNIA_STATUS_CHECK } from './checks.mjs';

/** @typedef {import('./catalogue.mjs').Endpoint} Endpoint */

/** @param {Endpoint[]} catalogue @param {string} bundle */
function insomniaExport(catalogue, bundle) {
  const info = signerInfo(bundle);
  const id = (/** @type {string} */ prefix, /** @type {string} */ key) => `${prefix}_${sha1(`dfns-signer/insomnia:${key}`).slice(0, 32)}`;
  const workspace = id('wrk', 'workspace');
  const folder = id('fld', 'folder');
  const baseEnv = id('env', 'base');
  const subset = subsetOf(catalogue);
  const variables = environmentVariables(pathParamsOf(subset));
  /** @type {Record<string, unknown>[]} */
  const resources = [
    {
      _id: workspace,
      _type: 'workspace',
      parentId: null,
      name: COLLECTION_NAME,
      description: 'Dfns API requests signed with User Action Signing by dfns-signer.',
      scope: 'collection',
    },
    {
      _id: baseEnv,
      _type: 'environment',
      parentId: workspace,
      name: 'Base Environment',
      // The default scheme, below the sub environment's.
      data: { [SCHEME_VARIABLE]: DEFAULT_SCHEME },
      dataPropertyOrder: { '&': [SCHEME_VARIABLE] },
      color: null,
      isPrivate: false,
      metaSortKey: 1,
    },
    {
      _id: id('env', 'dfns'),
      _type: 'environment',
      parentId: baseEnv,
      name: COLLECTION_NAME,
      data: Object.fromEntries(variables.map((v) => [v, templateValue(v)])),
      dataPropertyOrder: { '&': variables },
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
      description: `The folder's pre-request script is dfns-signer ${info.version}: it signs every request in this folder. Insomnia runs scripts at folder and request level only, so keep Dfns requests inside this folder. Set authToken and credentialPrivateKey in the environment "${COLLECTION_NAME}"; dfnsApiDomain is ${DEFAULT_DOMAIN} (api.uae.dfns.io for the UAE region); path parameters come from the variables of the same name (walletId, …); ${SCHEME_VARIABLE} is ${DEFAULT_SCHEME}, http only for the local Dfns emulator. Each request's after-response script tests that Dfns answered 2xx and names Dfns's message when not.`,
      environment: {},
      environmentPropertyOrder: null,
      metaSortKey: 0,
      preRequestScript: scriptText(bundle),
      afterResponseScript: '',
      authentication: {},
      headers: [],
    },
  ];
  subset.forEach((e, i) => {
    const body = bodyText(e);
    resources.push({
      _id: id('req', endpointKey(e)),
      _type: 'request',
      parentId: folder,
      name: e.name,
      description: `\`${e.method} ${e.path}\`\n\n${signingNote(e)}`,
      url: `{{ _.${SCHEME_VARIABLE} }}://{{ _.dfnsApiDomain }}${colonPath(e.path)}`,
      method: e.method,
      body: body === undefined ? {} : { mimeType: 'application/json', text: body },
      parameters: [],
      pathParameters: pathParams(e.path).map((name) => ({ name, value: `{{ _.${name} }}` })),
      headers: body === undefined ? [] : [{ name: 'Content-Type', value: 'application/json' }],
      authentication: {},
      preRequestScript: '',
      afterResponseScript: INSOMNIA_STATUS_CHECK,
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

/** @type {import('./catalogue.mjs').Writer} */
export const insomnia = {
  format: 'Insomnia export 4',
  dir: 'collections/insomnia',
  files: (catalogue, bundle) => ({ 'collections/insomnia/dfns-api.insomnia.json': json(insomniaExport(catalogue, bundle)) }),
};
