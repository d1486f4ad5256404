// Makes the newman required after this call run on the Postman app's runtime: postman-runtime 7.56.1
// and postman-collection 5.3.1 (postman-sandbox 6.x) in place of the ones newman 6.2 pins, as npm
// `overrides` of both would (the runtime alone fails: `event.script.isEmpty is not a function`).
// The runtime called `sandbox-6` by the newman children of the tests (test/support/run-newman.cjs) and
// of the bench (bench/newman-child.cjs): both take it from here, so they run the same runtime.
'use strict';
const Module = require('node:module');
const path = require('node:path');

// Module._resolveFilename is internal to Node (not in @types/node).
const internal = /** @type {{ _resolveFilename: (request: string, parent: NodeJS.Module | undefined, ...rest: unknown[]) => string }} */ (
  /** @type {unknown} */ (Module)
);

module.exports = function useSandbox6() {
  /** @type {Record<string, string>} */
  const swap = { 'postman-runtime': require.resolve('postman-runtime-next'), 'postman-collection': require.resolve('postman-collection') };
  const resolve = internal._resolveFilename;
  internal._resolveFilename = function (request, parent, ...rest) {
    if (swap[request] && parent && parent.filename && parent.filename.includes(`${path.sep}newman${path.sep}`)) return swap[request];
    return resolve.call(this, request, parent, ...rest);
  };
};
