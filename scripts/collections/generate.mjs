// Every generated collection file from the endpoint catalogue and the built signer. Deterministic:
// the same catalogue and bundle give the same bytes (ids are derived from content).
// A new client format is one module of this folder exporting a Writer (catalogue.mjs), listed in WRITERS.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BUNDLE_FILE, bundleInfo } from '../bundle.mjs';
import { apidog } from './apidog.mjs';
import { bruno } from './bruno.mjs';
import { CATALOGUE_FILE, validateCatalogue } from './catalogue.mjs';
import { ROOT } from './files.mjs';
import { hoppscotch } from './hoppscotch.mjs';
import { httpyac } from './httpyac.mjs';
import { insomnia } from './insomnia.mjs';
import { postman } from './postman.mjs';
import { yaak } from './yaak.mjs';

/** @typedef {import('./catalogue.mjs').Endpoint} Endpoint */

/** @type {import('./catalogue.mjs').Writer[]} */
const WRITERS = [postman, bruno, insomnia, hoppscotch, yaak, apidog, httpyac];

/** Directories the generator owns completely: files in them that it no longer writes are stale. */
export const GENERATED_DIRS = WRITERS.flatMap((w) => (w.dir ? [w.dir] : []));

/**
 * Reads the catalogue and the bundle (default dist/dfns-signer.js).
 * @param {{ bundleFile?: string }} [options]
 * @returns {{ bundle: string, catalogue: Endpoint[] }}
 */
export function readInputs({ bundleFile = BUNDLE_FILE } = {}) {
  if (!existsSync(bundleFile)) throw new Error(`${relative(ROOT, bundleFile)} does not exist: run "npm run build" first`);
  const bundle = readFileSync(bundleFile, 'utf8');
  if (!bundleInfo(bundle))
    throw new Error(`${relative(ROOT, bundleFile)} does not start with the "// dfns-signer <version> sources+lockfile sha256:" line`);
  const catalogue = JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8'));
  return { bundle, catalogue };
}

/**
 * Every generated file: { 'collections/…': text }. Pure.
 * @param {{ bundle: string, catalogue: Endpoint[] }} inputs @returns {Record<string, string>}
 */
export function generate({ bundle, catalogue }) {
  if (!bundleInfo(bundle)) throw new Error('the bundle does not start with the dfns-signer marker line');
  validateCatalogue(catalogue);
  return Object.assign({}, ...WRITERS.map((w) => w.files(catalogue, bundle)));
}
