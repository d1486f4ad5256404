// Finds PEM blocks in text as users paste it: on one line with literal \n, with CRLF, indented,
// quoted, with spaces instead of line breaks, or inside a JSON string; and writes a public key's PEM.
import { base64urlEncode } from '../encoding';

/** Undoes the ways a multi-line key gets flattened or wrapped when pasted into a variable. */
export function normalise(text: string): string {
  let t = text
    .replace(/[\uFEFF\u200B-\u200D\u2060]/g, '') // byte-order mark, zero-width spaces from chat and wiki pages
    .replace(/[\u2010-\u2015\u2212]/g, '-') // dashes that rich-text editors made of the armour's hyphens
    .replace(/[\u201C\u201D]/g, '"') // curly quotes around the key
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\\+r\\+n|\\+n|\\+r/g, '\n') // literal "\n" (two characters), also "\\n" from double escaping
    .replace(/\\+\//g, '/') // "\/" from JSON encoders that escape slashes
    .replace(/\\+t/g, ' ')
    .replace(/\r\n?/g, '\n')
    .trim();
  for (let i = 0; i < 3; i++) {
    const quoted = /^(["'`])([\s\S]*)\1,?$/.exec(t);
    if (!quoted) break;
    t = quoted[2].trim();
  }
  return t;
}

export interface PemBlock {
  /** Upper case, single spaces: 'PRIVATE KEY', 'EC PARAMETERS'. */
  readonly label: string;
  /** The base64 between the armour lines, whitespace and RFC 1421 header lines removed. */
  readonly base64: string;
  /** False when the END line is missing (or another BEGIN comes first). */
  readonly complete: boolean;
  /** The END line names another label than the BEGIN line. */
  readonly mismatched: boolean;
  /** Legacy OpenSSL encryption: a `Proc-Type: 4,ENCRYPTED` header. */
  readonly encrypted: boolean;
}

const BEGIN = /-{3,} ?BEGIN ([^-\n]{1,64}?) ?-{3,}/gi;
const END = /-{3,} ?END ([^-\n]{1,64}?) ?-{3,}/gi;

export const hasPemArmour = (text: string): boolean => /-{3,} ?BEGIN [^-\n]{1,64}?-{3,}/i.test(text);

const cleanLabel = (label: string): string => label.trim().replace(/\s+/g, ' ').toUpperCase();

/** Every `-----BEGIN X-----` in the text with what follows it up to its END line. */
export function pemBlocks(text: string): PemBlock[] {
  const begins: RegExpExecArray[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) begins.push(m);
  return begins.map((b, i) => {
    const label = cleanLabel(b[1]);
    const from = b.index + b[0].length;
    const limit = i + 1 < begins.length ? begins[i + 1].index : text.length;
    END.lastIndex = from;
    const end = END.exec(text);
    const complete = !!end && end.index < limit;
    const inner = text.slice(from, complete ? end!.index : limit);
    return {
      label,
      base64: inner
        .split('\n')
        .filter((line) => !/^\s*[A-Za-z][\w-]*:/.test(line)) // Proc-Type:, DEK-Info:, Comment: headers
        .join('')
        .replace(/\s+/g, ''),
      complete,
      mismatched: complete && cleanLabel(end![1]) !== label,
      encrypted: /Proc-Type:\s*4\s*,\s*ENCRYPTED/i.test(inner),
    };
  });
}

/** Words of the PEM labels in use (RFC 7468, OpenSSL, OpenSSH, PGP). */
const LABEL_WORDS = (
  'ANY ATTRIBUTE BLOCK CERTIFICATE CMS CRL DH DSA EC ED25519 ENCRYPTED KEY MESSAGE NEW OPENSSH PARAMETERS PGP PKCS7 ' +
  'PRIVATE PUBLIC REQUEST RSA SECRET SIGNATURE SIGNED SSH2 TRUSTED X509 X25519 X448'
).split(' ');

/** A label that may be quoted back to the user: made of known label words only, so never key material. */
export function printableLabel(label: string): string | undefined {
  const words = label.split(' ');
  return words.length <= 5 && words.every((w) => LABEL_WORDS.indexOf(w) >= 0) ? label : undefined;
}

/**
 * A public key's PEM as Dfns's key signers write it (WebCrypto's SPKI export, @dfns/sdk
 * exportPublicKeyInPemFormatBrowser): standard base64 in 64-character lines, no line break at the end.
 */
export function publicKeyPem(spki: Uint8Array): string {
  const b64 = base64urlEncode(spki).replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '=='.slice(0, (4 - (b64.length % 4)) % 4);
  return `-----BEGIN PUBLIC KEY-----\n${(padded.match(/.{1,64}/g) || []).join('\n')}\n-----END PUBLIC KEY-----`;
}
