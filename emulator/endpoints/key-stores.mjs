// @ts-check
// Key-store outputs (POST /key-stores/{storeId}/{operation}/output; research §10): a multipart/form-data body of
// the fields `data` (the JSON, with fileChecksum) and `file` (the bytes), as @dfns/sdk sends them; the user action
// covers the text of `data`. Parsed by Node's own fetch Response, independently of the clients that build the form.
import crypto from 'node:crypto';
import { isObject, parseJson } from '../encoding.mjs';
import { badRequest } from '../errors.mjs';
import { consumeUserAction } from './user-action.mjs';

/**
 * The route 'key-store-output'.
 * @param {import('../http.mjs').Emulation} emulation @returns {import('../http.mjs').Route[]}
 */
export function keyStoreRoutes({ state }) {
  return [
    {
      name: 'keyStoreOutput',
      path: '/key-stores/{storeId}/{operation}/output',
      method: 'POST',
      async handle(call) {
        const form = await readForm(call);
        const data = form.get('data');
        const file = form.get('file');
        if (typeof data !== 'string') throw badRequest('Invalid request body.', 'the form has no text field data');
        if (!file || typeof file === 'string') throw badRequest('Invalid request body.', 'the form has no file field file');
        const extra = [...form.keys()].filter((k) => k !== 'data' && k !== 'file');
        if (extra.length) throw badRequest('Invalid request body.', `unexpected form fields ${extra.join(', ')}`);
        const json = parseJson(data);
        if (!isObject(json)) throw badRequest('Invalid request body.', 'data is not a JSON object');
        const fileChecksum = crypto
          .createHash('sha256')
          .update(Buffer.from(await file.arrayBuffer()))
          .digest('hex');
        if (json.fileChecksum !== fileChecksum)
          throw badRequest('fileChecksum does not match the file.', `data.fileChecksum ${String(json.fileChecksum)}, file ${fileChecksum}`);
        consumeUserAction(state, call, Buffer.from(data, 'utf8'));
        return { message: 'success', path: call.pathname, fileChecksum, userActionUsed: true };
      },
    },
  ];
}

/** The multipart body's fields (assumption: anything else is a 400, as a JSON body would be). @param {import('../http.mjs').Call} call */
async function readForm({ req, rawBody }) {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;/i.test(type))
    throw badRequest(
      'Invalid request body.',
      `a key-store output is multipart/form-data (fields data and file), not ${type || 'no content type'}`,
    );
  try {
    return await new Response(rawBody, { headers: { 'content-type': type } }).formData();
  } catch {
    throw badRequest('Invalid request body.', 'the multipart body does not parse');
  }
}
