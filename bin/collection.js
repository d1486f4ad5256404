// A Postman collection v2.1 as the CLI reads and changes it: whether it is one, the other scripts in it
// that sign Dfns requests, and the signer put in as its collection-level pre-request script. Pure
// functions of parsed JSON (bin/files.js does the files); the event is the one the generator writes
// (scripts/collections/postman.mjs), so a generated collection is already "injected". On request, the status
// check (scripts/collections/checks.mjs) as the collection-level test script; users' own tests are never touched.
import { bundleInfo } from '../scripts/bundle.mjs';
import { POSTMAN_STATUS_CHECK, STATUS_CHECK_MARKER } from '../scripts/collections/checks.mjs';
import { eventText, scriptEvent, scriptLines } from '../scripts/collections/postman.mjs';

const SIGNS_DFNS_RE = /x-dfns-useraction/i;
const CHANGES_REQUEST_RE = /pm\.request\.(?:body|url|method)\b/;

const isPrerequest = (/** @type {any} */ event) => !!event && typeof event === 'object' && event.listen === 'prerequest';
const isStatusCheck = (/** @type {any} */ event) =>
  !!event && typeof event === 'object' && event.listen === 'test' && eventText(event).startsWith(STATUS_CHECK_MARKER);

/** @typedef {'collection' | 'folder' | 'request'} Level */

/**
 * Every folder and request, depth first, with a readable name of where it is.
 * @param {unknown} items
 * @param {string[]} [trail]
 * @returns {Generator<{ node: any, where: string, level: 'folder' | 'request' }>}
 */
function* walk(items, trail = []) {
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const name = typeof item.name === 'string' && item.name ? item.name : item.id || '(unnamed)';
    const here = [...trail, name];
    const isFolder = Array.isArray(item.item);
    yield { node: item, where: `${isFolder ? 'folder' : 'request'} "${here.join(' / ')}"`, level: isFolder ? 'folder' : 'request' };
    if (isFolder) yield* walk(item.item, here);
  }
}

/**
 * Why `json` is not a collection this tool can change, or undefined when it is one.
 * @param {unknown} json
 */
export function collectionProblem(json) {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return 'is not a Postman collection (the JSON is not an object)';
  const j = /** @type {Record<string, any>} */ (json);
  if (j._type === 'export' && j.__export_format)
    return 'is an Insomnia export, not a Postman collection (for Insomnia, import collections/insomnia/dfns-api.insomnia.json)';
  if (j._postman_variable_scope) return `is a Postman ${j._postman_variable_scope} file, not a collection`;
  const info = j.info;
  if (!info || typeof info !== 'object') return 'is not a Postman collection v2.1 (it has no "info" object)';
  const schema = typeof info.schema === 'string' ? info.schema : '';
  if (!schema) return 'is not a Postman collection v2.1 (info.schema is missing)';
  if (/\/v2\.0\.\d+\//.test(schema))
    return 'is a Postman collection v2.0; export it again as "Collection v2.1" (Postman: collection ⋯ > Export)';
  if (!/\/v2\.1\.\d+\/(?:draft-\d+\/)?collection\.json$/.test(schema))
    return `is not a Postman collection v2.1 (info.schema is ${JSON.stringify(schema.slice(0, 120))})`;
  if (!Array.isArray(j.item)) return 'is not a valid Postman collection v2.1 ("item" is not an array)';
  if (j.event !== undefined && !Array.isArray(j.event)) return 'is not a valid Postman collection v2.1 ("event" is not an array)';
  return undefined;
}

/**
 * @typedef {object} OtherSigner
 * @property {any} owner the collection, folder or request that holds the script
 * @property {any} event
 * @property {number} index the event's index in `owner.event`
 * @property {Level} level
 * @property {string} where
 * @property {string} what
 * @property {number} lines
 */

/**
 * The scripts other than our collection-level copy that set X-DFNS-USERACTION (the official Dfns
 * collection's script, older pasted copies, hand-written signers), with where they are.
 * @param {any} collection
 * @returns {OtherSigner[]}
 */
function findOtherSigners(collection) {
  /** @type {OtherSigner[]} */
  const found = [];
  /** @param {any} owner @param {string} where @param {Level} level */
  const scan = (owner, where, level) => {
    if (!Array.isArray(owner.event)) return;
    owner.event.forEach((/** @type {any} */ event, /** @type {number} */ index) => {
      if (!isPrerequest(event)) return;
      const text = eventText(event);
      const ours = bundleInfo(text);
      if (level === 'collection' && ours) return; // replaced in place, not a conflict
      if (!ours && !SIGNS_DFNS_RE.test(text)) return;
      const what = ours ? `a copy of dfns-signer ${ours.version}` : 'a script that sets X-DFNS-USERACTION';
      found.push({ owner, event, index, level, where, what, lines: text.split('\n').length });
    });
  };
  scan(collection, 'collection-level', 'collection');
  for (const { node, where, level } of walk(collection.item)) scan(node, where, level);
  return found;
}

/** Folder- and request-level pre-request scripts that change the request after the signer ran. @param {any} collection */
function findLaterRequestChanges(collection) {
  /** @type {string[]} */
  const found = [];
  for (const { node, where } of walk(collection.item)) {
    if (!Array.isArray(node.event)) continue;
    for (const event of node.event) {
      if (isPrerequest(event) && !event.disabled && CHANGES_REQUEST_RE.test(eventText(event)) && !SIGNS_DFNS_RE.test(eventText(event))) {
        found.push(where);
        break;
      }
    }
  }
  return found;
}

/**
 * The status check as the collection-level test script, which runs after every request (`out` is changed):
 * 'added', 'replaced' (an older text), 'unchanged', or 'per-request' when requests carry their own already (a
 * generated collection), where a second one would report every refusal twice.
 * @param {any} out
 * @returns {'added' | 'replaced' | 'unchanged' | 'per-request'}
 */
function addStatusCheck(out) {
  for (const { node } of walk(out.item)) if (Array.isArray(node.event) && node.event.some(isStatusCheck)) return 'per-request';
  const event = { listen: 'test', script: { type: 'text/javascript', exec: [...POSTMAN_STATUS_CHECK] } };
  if (!Array.isArray(out.event)) out.event = [];
  const at = out.event.findIndex(isStatusCheck);
  if (at < 0) {
    out.event.push(event);
    return 'added';
  }
  if (eventText(out.event[at]) === POSTMAN_STATUS_CHECK.join('\n')) return 'unchanged';
  out.event[at] = { ...out.event[at], script: event.script };
  return 'replaced';
}

/**
 * What injectCollection did. `previous` (the copy that was there) is set exactly when the
 * collection already had our script: status 'replaced' or 'unchanged'. `statusCheck`: what addStatusCheck did,
 * when asked to.
 * @typedef {{ collection: any, version: string, hash: string, removed: string[], conflicts: string[], notes: string[],
 *   statusCheck?: 'added' | 'replaced' | 'unchanged' | 'per-request' }
 *   & ({ status: 'added', previous?: undefined } | { status: 'replaced' | 'unchanged', previous: { version: string, hash: string } })} InjectResult
 */

/**
 * Inject `bundle` into `collection` (a parsed Postman collection v2.1; not modified).
 * Returns the new collection and what happened. With `replaceOthers`, the other signing scripts
 * (see findOtherSigners) are removed; without it they are kept and reported as `conflicts`. With
 * `addStatusCheck`, the status check goes in as the collection-level test script (addStatusCheck).
 * @param {any} collection
 * @param {string} bundle
 * @param {{ replaceOthers?: boolean, addStatusCheck?: boolean }} [options]
 * @returns {InjectResult}
 */
export function injectCollection(collection, bundle, { replaceOthers = false, addStatusCheck: withStatusCheck = false } = {}) {
  const problem = collectionProblem(collection);
  if (problem) throw new Error(`the input ${problem}`);
  const info = bundleInfo(bundle);
  if (!info) throw new Error('the script to inject does not start with the dfns-signer marker line');

  const out = structuredClone(collection);
  /** @type {string[]} */
  const notes = [];
  /** @type {string[]} */
  const removed = [];
  const others = findOtherSigners(out);
  /** @type {string[]} */
  let conflicts = [];

  if (others.length && replaceOthers) {
    // Remove from the end so the indexes of earlier events stay right.
    for (const o of [...others].sort((a, b) => b.index - a.index)) o.owner.event.splice(o.index, 1);
    for (const o of others) removed.push(`${o.where}: ${o.what} (${o.lines} line${o.lines === 1 ? '' : 's'})`);
  } else {
    conflicts = others.map((o) => `${o.where}: ${o.what}`);
  }

  const lines = scriptLines(bundle);
  const wanted = lines.join('\n');
  const events = Array.isArray(out.event) ? out.event : null;
  const oursAt = events
    ? events
        .map((/** @type {any} */ e, /** @type {number} */ i) => (isPrerequest(e) && bundleInfo(eventText(e)) ? i : -1))
        .filter((/** @type {number} */ i) => i >= 0)
    : [];
  /** @type {'added' | 'replaced' | 'unchanged'} */
  let status;
  let previous;
  if (oursAt.length) {
    const event = events[oursAt[0]];
    previous = bundleInfo(eventText(event));
    if (eventText(event) === wanted && event.script.type === 'text/javascript') status = 'unchanged';
    else {
      status = 'replaced';
      event.script = { ...event.script, type: 'text/javascript', exec: lines };
    }
    if (event.disabled)
      notes.push('the collection-level dfns-signer script is disabled in this collection; enable it (Scripts tab) to sign requests');
    for (const i of oursAt.slice(1).reverse()) {
      events.splice(i, 1);
      removed.push('collection-level: a second copy of dfns-signer');
      status = 'replaced';
    }
  } else {
    status = 'added';
    if (events) events.push(scriptEvent(bundle));
    else out.event = [scriptEvent(bundle)];
  }

  const statusCheck = withStatusCheck ? addStatusCheck(out) : undefined;

  const later = findLaterRequestChanges(out);
  if (later.length) {
    notes.push(
      `pre-request scripts that change the request's body, URL or method run after the collection-level signer (${later.slice(0, 3).join(', ')}${later.length > 3 ? `, +${later.length - 3} more` : ''}); the change must not touch signed requests`,
    );
  }
  // `previous` is defined whenever status is 'replaced' or 'unchanged' (both only when our copy was found).
  return /** @type {InjectResult} */ ({
    collection: out,
    status,
    version: info.version,
    hash: info.hash,
    previous,
    removed,
    conflicts,
    notes,
    ...(statusCheck ? { statusCheck } : {}),
  });
}
