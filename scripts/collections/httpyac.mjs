// httpyac (VS Code and the CLI): collections/httpyac/, the four requests of the other clients' collections in
// one .http file, the signer beside it as dfns-signer.cjs (the bundle as built; .cjs keeps it a CommonJS file in a
// project whose package.json says "type": "module") loaded by a file-wide {{+request}} block, the status check as
// a file-wide {{+response}} block, and httpyac.config.cjs with the defaults of the scheme and the host (httpyac
// takes --var over them; a variable written `@name = …` in the file would win over --var).
import { bodyText, DEFAULT_DOMAIN, DEFAULT_SCHEME, pathParams, pathParamsOf, SCHEME_VARIABLE, signerInfo, subsetOf } from './catalogue.mjs';
import { HTTPYAC_STATUS_CHECK } from './checks.mjs';

export const HTTPYAC_FILE = 'collections/httpyac/dfns-api.http';
export const HTTPYAC_SIGNER = 'collections/httpyac/dfns-signer.cjs';
export const HTTPYAC_CONFIG = 'collections/httpyac/httpyac.config.cjs';

const indent = (/** @type {string} */ text) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

/** @param {import('./catalogue.mjs').Endpoint} e */
function region(e) {
  const body = bodyText(e);
  const params = pathParams(e.path);
  return [
    '###',
    `# @name ${e.name}`,
    `# ${e.method} ${e.path}: ${e.userAction ? 'needs a user action, which the signer (the {{+request}} block) adds' : 'no user action needed: the signer adds only the Authorization header'}.`,
    ...(params.length ? [`# Needs ${params.map((p) => `--var ${p}=…`).join(' ')}.`] : []),
    `${e.method} {{${SCHEME_VARIABLE}}}://{{dfnsApiDomain}}${e.path.replace(/\{([^}]+)\}/g, '{{$1}}')}`,
    ...(body === undefined ? [] : ['Content-Type: application/json', '', body]),
    '',
  ].join('\n');
}

/** @param {import('./catalogue.mjs').Endpoint[]} catalogue @param {string} bundle */
function files(catalogue, bundle) {
  const info = signerInfo(bundle);
  const subset = subsetOf(catalogue);
  const params = pathParamsOf(subset);
  const http = [
    `# Four Dfns API requests (a GET and a signed POST, PUT and DELETE), signed by dfns-signer ${info.version}`,
    '# (dfns-signer.cjs, the same file as dist/dfns-signer.js). From the repository root:',
    '#   npx httpyac send collections/httpyac/dfns-api.http --all --var "authToken=$DFNS_AUTH_TOKEN" \\',
    `#     --var "credentialPrivateKey=$DFNS_PRIVATE_KEY" ${params.map((p) => `--var ${p}=…`).join(' ')}`,
    `# dfnsApiDomain is ${DEFAULT_DOMAIN} and ${SCHEME_VARIABLE} ${DEFAULT_SCHEME} (httpyac.config.cjs; --var overrides them:`,
    `# ${SCHEME_VARIABLE}=http only for the local Dfns emulator). A request Dfns answers other than 2xx fails its test.`,
    '',
    '{{+request',
    "  await require('./dfns-signer.cjs').sign({ request, $context })",
    '}}',
    '',
    '{{+response',
    indent(HTTPYAC_STATUS_CHECK),
    '}}',
    '',
    ...subset.map(region),
  ].join('\n');
  const config = [
    `// httpyac's defaults for dfns-api.http: the Dfns API over https (--var ${SCHEME_VARIABLE}=http only for the local Dfns emulator).`,
    `module.exports = { environments: { $shared: { dfnsApiDomain: '${DEFAULT_DOMAIN}', ${SCHEME_VARIABLE}: '${DEFAULT_SCHEME}' } } };`,
    '',
  ].join('\n');
  return { [HTTPYAC_FILE]: http, [HTTPYAC_SIGNER]: bundle, [HTTPYAC_CONFIG]: config };
}

/** @type {import('./catalogue.mjs').Writer} */
export const httpyac = { format: 'httpyac requests', dir: 'collections/httpyac', files };
