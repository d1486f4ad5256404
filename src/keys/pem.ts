// Finds PEM blocks in text as users paste it: on one line with literal \n, with CRLF, indented,
// quoted, with spaces instead of line breaks, or inside a JSON string.

/** Undoes the ways a multi-line key gets flattened or wrapped when pasted into a variable. */
export function normalise(text: string): string {
  let t = text
    .replace(/^\uFEFF/, '')
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

const BEGIN = /-{3,} ?BEGIN ([^-\n]{1,64}?) ?-{3,}/g;
const END = /-{3,} ?END ([^-\n]{1,64}?) ?-{3,}/g;

export const hasPemArmour = (text: string): boolean => /-{3,} ?BEGIN [^-\n]{1,64}?-{3,}/.test(text);

const cleanLabel = (label: string): string => label.trim().replace(/\s+/g, ' ').toUpperCase();

/** Every `-----BEGIN X-----` in the text with what follows it up to its END line. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const begins: { label: string; from: number; at: number }[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) begins.push({ label: cleanLabel(m[1]), from: m.index + m[0].length, at: m.index });
  for (let i = 0; i < begins.length; i++) {
    const b = begins[i];
    const limit = i + 1 < begins.length ? begins[i + 1].at : text.length;
    END.lastIndex = b.from;
    const end = END.exec(text);
    const complete = end !== null && end.index < limit;
    const inner = text.slice(b.from, complete && end ? end.index : limit);
    const encrypted = /Proc-Type:\s*4\s*,\s*ENCRYPTED/i.test(inner);
    const base64 = inner
      .split('\n')
      .filter((line) => !/^\s*[A-Za-z][\w-]*:/.test(line)) // Proc-Type:, DEK-Info:, Comment: headers
      .join('')
      .replace(/\s+/g, '');
    blocks.push({ label: b.label, base64, complete, mismatched: complete && !!end && cleanLabel(end[1]) !== b.label, encrypted });
  }
  return blocks;
}

/** A label that may be quoted back to the user: a few plain words, not key material. */
export function printableLabel(label: string): string | undefined {
  return /^[A-Z][A-Z0-9]{0,11}( [A-Z0-9]{1,12}){0,5}$/.test(label) && label.length <= 40 && !/[A-Z]{2,}\d|\d[A-Z]/.test(label)
    ? label
    : undefined;
}
