// A multipart/form-data body a client hands over already built (httpyac: the Buffer it sends): its fields, read
// back so that the field data is signed as it goes out. Bytes are handled one character per byte (latin1), so a
// file's bytes cannot shift the parts; data's text is then decoded as UTF-8.
import { latin1, utf8Decode } from '../encoding';
import { unsignableForm } from '../errors/request';
import { type FormField, formData } from './shared';

/** The text of the field data of a built form whose Content-Type is `contentType`; refuses any other form. */
export function builtFormData(body: Uint8Array, contentType: string): string {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw unsignableForm('no boundary in its Content-Type');
  const parts = latin1(body).split(`--${boundary[1] || boundary[2]}`);
  const fields: (FormField & { value: string })[] = [];
  // parts[0] is the preamble; each part is CRLF, its headers, CRLF CRLF, its content, CRLF; '--' ends the form.
  for (let i = 1; i < parts.length && parts[i].slice(0, 2) !== '--'; i++) {
    const part = parts[i];
    const headEnd = part.indexOf('\r\n\r\n');
    const disposition = /^content-disposition:[^\r\n]*/im.exec(part.slice(0, headEnd));
    const name = disposition && /\bname="([^"]*)"/i.exec(disposition[0]);
    if (headEnd < 0 || !name || part.slice(0, 2) !== '\r\n' || part.slice(-2) !== '\r\n')
      throw unsignableForm('a part the signer cannot read');
    fields.push({ key: name[1], file: /\bfilename=/i.test(disposition[0]), value: part.slice(headEnd + 4, -2) });
  }
  const data = fields[formData(fields)].value;
  return utf8Decode(Uint8Array.from(data, (c) => c.charCodeAt(0)));
}
