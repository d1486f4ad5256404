// The collection `apidog run` takes offline (apidog-cli 2.2.9): not a Postman collection (that one it refuses as
// "the Apidog version of the exported data is too low") but its own export of a test scenario, `apidogCli` 1.1,
// whose items are Postman v2.1 requests. The four requests of the other clients' collections (`apidog run` runs
// every request of the file), the signer as the collection's pre-request script, each request's status check, and
// the environment inside the file (`environment.variable.values`), which `--env-var` overrides: the scheme and the
// host have their defaults there, the token, the key and the path parameters are given on the command line.
// The Apidog app imports the Postman collection instead. Format: the CLI's source, test/support/apidog.ts.
import {
  COLLECTION_NAME,
  environmentVariables,
  json,
  pathParamsOf,
  SCHEME_VARIABLE,
  signerInfo,
  subsetOf,
  templateValue,
} from './catalogue.mjs';
import { postmanRequest, scriptEvent } from './postman.mjs';

export const APIDOG_COLLECTION = 'collections/apidog/dfns-api.apidog-cli.json';
/** The lowest export version the CLI runs (lower: "the Apidog version of the exported data is too low"). */
const APIDOG_CLI_FORMAT = '1.1';

/** @param {import('./catalogue.mjs').Endpoint[]} catalogue @param {string} bundle */
function apidogCollection(catalogue, bundle) {
  const info = signerInfo(bundle);
  const subset = subsetOf(catalogue);
  const params = pathParamsOf(subset);
  return {
    apidogCli: APIDOG_CLI_FORMAT,
    info: {
      name: COLLECTION_NAME,
      description: [
        `Four Dfns API requests (a GET and a signed POST, PUT and DELETE) for \`apidog run\`, signed by the collection's pre-request script, dfns-signer ${info.version}. In the Apidog app, import dfns-api.postman_collection.json (every endpoint) instead.`,
        '',
        `\`apidog run dfns-api.apidog-cli.json --env-var "authToken=…" --env-var "credentialPrivateKey=$(cat key.pem)" --env-var walletId=… --env-var webhookId=…\`; the environment in this file has dfnsApiDomain api.dfns.io and ${SCHEME_VARIABLE} https (http only for the local Dfns emulator). Every request's test fails the run when Dfns answers other than 2xx, with Dfns's message.`,
      ].join('\n'),
    },
    environment: {
      name: COLLECTION_NAME,
      variable: { values: environmentVariables(params).map((key) => ({ key, value: templateValue(key) })) },
    },
    event: [scriptEvent(bundle)],
    item: [
      {
        name: COLLECTION_NAME,
        item: subset.map((e) => ({ ...postmanRequest(e), metaInfo: { type: 'http' } })),
      },
    ],
  };
}

/** @type {import('./catalogue.mjs').Writer} */
export const apidog = {
  format: 'Apidog CLI collection',
  dir: 'collections/apidog',
  files: (catalogue, bundle) => ({ [APIDOG_COLLECTION]: json(apidogCollection(catalogue, bundle)) }),
};
