// Generates the ready-to-use collections from the endpoint catalogue and the built signer
// (the writers are in scripts/collections/, one module per client format):
//   collections/dfns-api.postman_collection.json   every endpoint, folders by area, signer as collection script
//   collections/dfns.postman_environment.json      environment template (same variables as the official one)
//   collections/bruno/**                           Bruno collection, a representative subset
//   collections/insomnia/dfns-api.insomnia.json    Insomnia v4 export, the same subset
//   collections/hoppscotch/*.json                  Hoppscotch collections (every endpoint; the subset) and environments (app; hopp test)
//   collections/yaak/dfns-api.yaak.json            Yaak export, the same subset as Bruno
//   collections/apidog/dfns-api.apidog-cli.json    the collection `apidog run` takes, the same subset
//   collections/httpyac/*                          httpyac: a .http file of the subset, the signer as dfns-signer.cjs, defaults
// Deterministic: the same catalogue and bundle give the same bytes (ids are derived from content).
//
//   node scripts/generate-collections.mjs            write the files
//   node scripts/generate-collections.mjs --check    exit 1 when a committed file differs
//   --bundle <file>                                  embed this build instead of dist/dfns-signer.js
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signerInfo } from './collections/catalogue.mjs';
import { compare, write } from './collections/files.mjs';
import { GENERATED_DIRS, generate, readInputs } from './collections/generate.mjs';

try {
  const { values } = parseArgs({
    options: { check: { type: 'boolean' }, bundle: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(
      'Usage: node scripts/generate-collections.mjs [--check] [--bundle <file>]\n  --check   compare the committed files with what would be generated; exit 1 when they differ',
    );
    process.exit(0);
  }
  const inputs = readInputs(values.bundle ? { bundleFile: resolve(values.bundle) } : {});
  const files = generate(inputs);
  const info = signerInfo(inputs.bundle);
  if (values.check) {
    const problems = compare(files, GENERATED_DIRS);
    for (const p of problems) console.error(`${p.file}: ${p.problem}`);
    if (problems.length) {
      console.error(
        `collections are out of date with the catalogue or dfns-signer ${info.version} sha256:${info.hash.slice(0, 12)}: run "npm run generate"`,
      );
      process.exit(1);
    }
    console.log(
      `collections up to date (${Object.keys(files).length} files, dfns-signer ${info.version} sha256:${info.hash.slice(0, 12)})`,
    );
  } else {
    write(files, GENERATED_DIRS);
    console.log(
      `wrote ${Object.keys(files).length} files from ${inputs.catalogue.length} endpoints and dfns-signer ${info.version} sha256:${info.hash.slice(0, 12)}:`,
    );
    for (const f of Object.keys(files)) console.log(`  ${f}`);
  }
} catch (/** @type {any} */ e) {
  console.error(`generate-collections: error: ${e.message}`);
  process.exit(2);
}
