// The files the CLI reads and writes: the signer script, a Postman collection (refused in one line when it
// is not one), and the output, written in the input's layout, whole or not at all.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BUNDLE_FILE, bundleInfo } from '../scripts/bundle.mjs';
import { collectionProblem } from './collection.js';
import { Stop, UsageError } from './errors.js';

/** The signer's text; refuses a file that is not a build of it. @param {string} file */
export function readScript(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (/** @type {any} */ e) {
    throw new UsageError(
      e.code === 'ENOENT'
        ? `the signer script ${file} does not exist${file === BUNDLE_FILE ? ' (run "npm run build" first)' : ''}`
        : `cannot read the signer script ${file}: ${e.message}`,
    );
  }
  if (!bundleInfo(text))
    throw new UsageError(
      `${file} is not a dfns-signer build (its first line lacks the "// dfns-signer <version> sources+lockfile sha256:" marker)`,
    );
  return text;
}

/** The parsed collection and its text; refuses anything but a Postman collection v2.1. @param {string} file */
export function readCollection(file) {
  let bytes;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${file} is a directory, not a collection file`);
    bytes = readFileSync(file);
  } catch (/** @type {any} */ e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(e.code === 'ENOENT' ? `${file}: no such file` : `cannot read ${file}: ${e.message}`);
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new UsageError(`${file} is empty`);
  let json;
  try {
    json = JSON.parse(text);
  } catch (/** @type {any} */ e) {
    throw new UsageError(`${file} is not valid JSON (${String(e.message).split('\n')[0]})`);
  }
  const problem = collectionProblem(json);
  if (problem) throw new UsageError(`${file} ${problem}`);
  return { json, text };
}

/** Same layout as the input: indentation, line ends, final newline. @param {unknown} json @param {string} inputText */
export function format(json, inputText) {
  const m = /^[{[]\r?\n([ \t]+)\S/.exec(inputText.trimStart());
  const indent = m ? m[1] : inputText.trimStart().startsWith('{\n') || inputText.trimStart().startsWith('{\r\n') ? 2 : 0;
  let text = JSON.stringify(json, null, indent);
  if (/\r\n/.test(inputText)) text = text.replace(/\n/g, '\r\n');
  const eol = /\r\n$/.test(inputText) ? '\r\n' : /\n$/.test(inputText) || indent ? '\n' : '';
  return text + eol;
}

/** Whether `a` and `b` name the same file (through links; `b` may not exist yet). @param {string} a @param {string} b */
export function samePath(a, b) {
  const real = (/** @type {string} */ p) => {
    try {
      return realpathSync(p);
    } catch {
      try {
        return join(realpathSync(dirname(p)), basename(p));
      } catch {
        return resolve(p);
      }
    }
  };
  return real(a) === real(b);
}

/** Write to a temporary file in the same directory, then rename: the target is whole or untouched. @param {string} file @param {string} text */
export function writeAtomic(file, text) {
  const target = existsSync(file) ? realpathSync(file) : resolve(file);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    if (existsSync(target)) chmodSync(tmp, statSync(target).mode & 0o7777);
    renameSync(tmp, target);
  } catch (/** @type {any} */ e) {
    try {
      unlinkSync(tmp);
    } catch {}
    throw new Stop(`cannot write ${file}: ${e.message}`, 1);
  }
}
