// `dfns-signer doctor`: takes the variables as newman does (--env-var NAME=VALUE, -e environment.json),
// and says who the token is, which credential the key is, whether the API domain answers and accepts the
// token, and whether a signed request would work; one line per problem with its fix. The work is
// src/doctor.ts, built for Node into dist/doctor.mjs. Never prints the token or the key.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

/** For the CLI's help (bin/dfns-signer.js). */
export const usage = 'doctor [options]';
export const summary = 'check your Dfns variables: who you are and what is wrong';

const HELP = `Usage: dfns-signer doctor [-e environment.json] [--env-var NAME=VALUE ...]

Takes the variables the signer reads, as newman does: a Postman environment file (-e) and
--env-var NAME=VALUE (repeated; they win over the file). Variables: authToken, credentialPrivateKey
(a PEM on one line with literal \\n is fine), credentialId, dfnsApiDomain (default api.dfns.io),
dfnsUsername and dfnsOrgId (to log in with the credential key).

It says who authToken is (user, org, kind, expiry: the token's claims), which algorithm the key is,
then, with Dfns (dfnsApiDomain; https, or http for localhost):
  - GET /auth/credentials with the token the signer would send (it logs in first when dfnsUsername is
    set and authToken is unset or expired): whether the API domain answers and accepts the token, the
    token's credentials, and which of them credentialPrivateKey is (or that it is none of them, or only
    a deactivated one);
  - a user action for POST /wallets, as the signer gets it for a signed request: the POST itself is never
    sent, and the user action is never used.
Nothing is written anywhere; the token and the key are never printed. When the doctor says ok and a
client still gets 403 "user action signature is missing or invalid", the script did not run in that
client (paste it at collection level), or a script after it changed the request.

Options:
  -e, --environment <file>   a Postman environment (Environments > Export), or a JSON object of names to values
  --env-var <NAME=VALUE>     a variable (repeatable)
  -h, --help                 this help

Exit codes: 0 a signed request would work; 1 it would not (one line per problem, with its fix);
2 bad arguments.

Example:
  npx dfns-signer doctor -e dfns.postman_environment.json --env-var "credentialPrivateKey=$(cat key.pem)"
`;

/** A Postman environment's enabled values, or a plain object of names to strings. @param {string} file */
function readEnvironment(file) {
  let json;
  try {
    json = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (/** @type {any} */ e) {
    throw new UsageError(e.code === 'ENOENT' ? `${file}: no such file` : `${file} is not a JSON environment (${e.message.split('\n')[0]})`);
  }
  /** @type {Record<string, string>} */
  const variables = {};
  if (json && Array.isArray(json.values)) {
    for (const v of json.values)
      if (v && typeof v.key === 'string' && v.enabled !== false && v.value != null) variables[v.key] = String(v.value);
  } else if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [key, value] of Object.entries(json)) if (typeof value === 'string') variables[key] = value;
  } else throw new UsageError(`${file} is neither a Postman environment nor an object of variables`);
  return variables;
}

/** @param {string[]} argv @returns {Promise<number>} */
export async function run(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        environment: { type: 'string', short: 'e' },
        'env-var': { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (/** @type {any} */ e) {
    throw new UsageError(`${e.message} (see: dfns-signer doctor --help)`);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Relative to where the command was typed, also under `npm run doctor` (which runs it in the package's folder).
  const variables = values.environment ? readEnvironment(resolve(process.env.INIT_CWD || process.cwd(), values.environment)) : {};
  for (const pair of values['env-var']) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--env-var takes NAME=VALUE, got "${pair.slice(0, 40)}"`);
    variables[pair.slice(0, at)] = pair.slice(at + 1);
  }
  // Built from src/doctor.ts by scripts/build-doctor.mjs (npm run build).
  const { diagnose, nodeTransport } = await import('../../dist/doctor.mjs');
  const { facts, problems } = await diagnose(variables, nodeTransport);
  const out = facts.map((f) => `  ${f}`);
  out.push(...problems.map((p) => `problem: ${p}`));
  out.push(
    problems.length
      ? `${problems.length} problem${problems.length > 1 ? 's' : ''}: a signed request would not work`
      : 'ok: a signed request would work',
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return problems.length ? 1 : 0;
}
