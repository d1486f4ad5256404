// Runs one collection through newman in a child process and prints a JSON report on stdout.
// `sandbox-6`: newman on the Postman app's runtime (see scripts/sandbox-6.cjs).
// Types: newman and postman-collection have no declarations (`any`, test/modules.d.ts), nor has
// postman-runtime (required by a computed name: `any`); the input and the report are runNewman's (postman.ts).

const [runtime, inputFile] = process.argv.slice(2);
if (runtime === 'sandbox-6') require('../../scripts/sandbox-6.cjs')();

const newman = require('newman');
/** @type {Parameters<typeof import('./postman.ts').runNewman>[1]} */
const input = JSON.parse(require('node:fs').readFileSync(inputFile, 'utf8'));
if (input.vaultSecrets) {
  // newman has no vault; the Postman app hands the runtime a VariableScope of vault secrets and an
  // access check (postman-runtime lib/runner/extensions/event.command.js `vaultSecrets._.allowScriptAccess`).
  const { VariableScope } = require('postman-collection');
  const scope = new VariableScope({ values: Object.entries(input.vaultSecrets.values).map(([key, value]) => ({ key, value })) });
  scope._ = { allowScriptAccess: async () => /** @type {NonNullable<typeof input.vaultSecrets>} */ (input.vaultSecrets).allowScriptAccess };
  const { Runner } = require(runtime === 'sandbox-6' ? 'postman-runtime-next' : 'postman-runtime');
  const run = Runner.prototype.run;
  /** @param {unknown} collection @param {{ script?: object }} options @param {unknown} callback */
  Runner.prototype.run = function (collection, options, callback) {
    return run.call(this, collection, Object.assign({}, options, { vaultSecrets: scope }), callback);
  };
}
// Package Library (`pm.require('@team/name')`): the Postman app hands postman-runtime a
// `script.packageResolver`; for every script it runs, the runtime calls it with the script's own
// `packages` declaration ({ '@team/name': { id } }, or undefined), and passes the answer,
// { name: { data: sourceText } | { error: message } }, to the sandbox, which then defines `pm.require`
// (lib/runner/extensions/event.command.js; postman-sandbox lib/sandbox/pm-require.js). This resolver
// serves `input.packages` (name -> source text), only for the names the script declares.
// newman passes no resolver, so without `packages` scripts have no pm.require; with it, newman 6.2's
// own runtime (postman-runtime 7.39.1, postman-sandbox 4.7) runs pm.require as well.
/** @type {(import('./postman.ts').PackageDeclaration | null)[]} */
const packageRequests = [];
if (input.packages) {
  const { Runner } = require(runtime === 'sandbox-6' ? 'postman-runtime-next' : 'postman-runtime');
  const run = Runner.prototype.run;
  /**
   * @param {{ packages?: import('./postman.ts').PackageDeclaration }} request
   * @param {(err: null, resolved: Record<string, { data: string } | { error: string }>) => void} callback
   */
  const packageResolver = ({ packages }, callback) => {
    packageRequests.push(packages === undefined ? null : packages);
    /** @type {Record<string, { data: string } | { error: string }>} */
    const resolved = {};
    for (const name of Object.keys(packages || {})) {
      resolved[name] = Object.prototype.hasOwnProperty.call(input.packages, name)
        ? { data: /** @type {Record<string, string>} */ (input.packages)[name] }
        : { error: `no package named ${name} in the test's packages` };
    }
    callback(null, resolved);
  };
  /** @param {unknown} collection @param {{ script?: object }} options @param {unknown} callback */
  Runner.prototype.run = function (collection, options, callback) {
    return run.call(
      this,
      collection,
      Object.assign({}, options, { script: Object.assign({}, options.script, { packageResolver }) }),
      callback,
    );
  };
}
/** @typedef {import('./postman.ts').NewmanReport} NewmanReport */
/** @type {NewmanReport['consoleLines']} */
const consoleLines = [];
/** @type {NewmanReport['sent']} */
const sent = [];
newman
  .run({
    collection: input.collection,
    envVar: Object.entries(input.env || {}).map(([key, value]) => ({ key, value })),
    iterationData: input.iterationData,
    iterationCount: input.iterationCount,
    reporters: [],
    timeoutRequest: input.timeoutRequest || 0,
    // Where form-data files (src) are read from; newman reads none outside it.
    workingDir: input.workingDir,
    ignoreRedirects: !!input.ignoreRedirects,
  })
  .on('console', (/** @type {Error | null} */ _err, /** @type {{ messages: unknown[] }} */ args) =>
    consoleLines.push(args.messages.map(String).join(' ')),
  )
  .on('request', (/** @type {Error | null} */ err, /** @type {any} */ args) => {
    if (args && args.item && args.request)
      sent.push({
        item: args.item.name,
        method: args.request.method,
        url: args.request.url.toString(),
        error: err ? String(err.message || err) : undefined,
      });
  })
  .on('done', (/** @type {Error | null} */ err, /** @type {any} */ summary) => {
    const failures = summary.run.failures.map((/** @type {any} */ f) => ({
      at: f.at,
      source: f.source && f.source.name,
      message: f.error && f.error.message,
    }));
    /** @param {any} scope @returns {{ key: string, value: unknown }[]} */
    const values = (scope) =>
      scope && scope.values
        ? scope.values.all().map((/** @type {{ key: string, value: unknown }} */ v) => ({ key: v.key, value: v.value }))
        : [];
    const variables = {
      environment: values(summary.environment),
      globals: values(summary.globals),
      collection: values(summary.collection && summary.collection.variables ? { values: summary.collection.variables } : undefined),
    };
    /** @type {NewmanReport} */
    const report = {
      runError: err ? String(err) : undefined,
      failures,
      consoleLines,
      sent,
      variables,
      runtime: require('postman-runtime/package.json').version,
    };
    if (input.packages) report.packageRequests = packageRequests;
    // Out, then exit: a call of a script still waiting on a server that never answers would hold the process
    // (newman's own CLI stays up until that connection ends: see the README on --timeout-request).
    process.stdout.write(JSON.stringify(report), () => process.exit(0));
  });
