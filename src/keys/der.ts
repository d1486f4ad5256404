// A minimal ASN.1 DER reader: just enough to take private key files apart. Parsing only,
// strict bounds everywhere, no recursion: any malformed input ends in a DerError. fromDer turns
// every DerError into "incomplete" or "corrupted", so the error says only which of the two.

/** Why a DER structure could not be read. `truncated`: the data ends before its own lengths say. */
export class DerError extends Error {
  constructor(readonly truncated = false) {
    super();
    this.name = 'DerError';
  }
}

// Tags (esbuild inlines these numbers where they are used).
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const NULL = 0x05;
export const OID = 0x06;
export const SEQUENCE = 0x30;
export const CONTEXT_0 = 0xa0;
export const CONTEXT_1 = 0xa1;

/** One tag-length-value element and its content. */
export interface Tlv {
  readonly tag: number;
  readonly v: Uint8Array;
}

const cut = (): never => {
  throw new DerError(true);
};
export const malformed = (): never => {
  throw new DerError();
};

/** The element at `pos`, which must end within `b`, and where it ends. */
function readTlv(b: Uint8Array, pos: number): [Tlv, number] {
  if (pos + 2 > b.length) cut();
  const tag = b[pos];
  if ((tag & 0x1f) === 0x1f) malformed(); // multi-byte tags are not used in key files
  let len = b[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    let n = len & 0x7f;
    if (n === 0 || n > 3) malformed();
    if (start + n > b.length) cut();
    for (len = 0; n > 0; n--) len = len * 256 + b[start++];
    if (len < 0x80) malformed(); // not minimal
  }
  const end = start + len;
  if (end > b.length) cut();
  return [{ tag, v: b.subarray(start, end) }, end];
}

/** The single element that spans all of `bytes`. */
export function readDer(bytes: Uint8Array): Tlv {
  const [top, end] = readTlv(bytes, 0);
  if (end !== bytes.length) malformed();
  return top;
}

/** The elements inside a constructed element (SEQUENCE, [0], [1]). */
export function children(t: Tlv): Tlv[] {
  if (!(t.tag & 0x20)) malformed();
  const out: Tlv[] = [];
  for (let pos = 0, c: Tlv; pos < t.v.length; ) {
    [c, pos] = readTlv(t.v, pos);
    out.push(c);
  }
  return out;
}

/** The content of `t`, which must be there with this tag. */
export const content = (t: Tlv | undefined, tag: number): Uint8Array => (t && t.tag === tag ? t.v : malformed());

/** A sequence's elements. */
export function sequence(t: Tlv | undefined): Tlv[] {
  content(t, SEQUENCE);
  return children(t!);
}

/** A non-negative INTEGER as its big-endian magnitude, without sign padding. */
export function unsigned(t: Tlv | undefined): Uint8Array {
  const v = content(t, INTEGER);
  if (v.length === 0 || v[0] & 0x80) malformed();
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.subarray(i);
}

/** A small INTEGER (version fields), or -1 when it does not fit. */
export function small(t: Tlv | undefined): number {
  const v = unsigned(t);
  return v.length === 1 ? v[0] : -1;
}

/** OBJECT IDENTIFIER in dotted form, e.g. '1.2.840.10045.3.1.7'. */
export function oid(t: Tlv | undefined): string {
  const v = content(t, OID);
  if (v.length === 0 || v.length > 40 || v[v.length - 1] & 0x80) malformed();
  const arcs: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    acc = acc * 128 + (v[i] & 0x7f);
    if (acc > 0xffffffff) malformed();
    if (!(v[i] & 0x80)) {
      if (arcs.length === 0) arcs.push(acc < 80 ? Math.floor(acc / 40) : 2, acc < 80 ? acc % 40 : acc - 80);
      else arcs.push(acc);
      acc = 0;
    }
  }
  return arcs.join('.');
}

/** One DER element of `tag` around `parts` (public keys: SubjectPublicKeyInfo, RFC 5280). */
export function encode(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]; // keys stay under 64 KiB
  const out = new Uint8Array(1 + length.length + n);
  out.set([tag, ...length]);
  let at = 1 + length.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** DER written as hex: the fixed algorithm identifiers of public keys. */
export const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) || [], (h) => parseInt(h, 16));

/** A non-negative INTEGER: big-endian, a 0 byte first where the top bit is set. */
export function integer(value: bigint): Uint8Array {
  const hex = value.toString(16);
  const even = hex.length % 2 ? `0${hex}` : hex;
  return encode(INTEGER, fromHex(/^[89a-f]/.test(even) ? `00${even}` : even));
}

/** SubjectPublicKeyInfo: the algorithm identifier's DER (its inner elements) and the key bits. */
export const spki = (algorithm: Uint8Array, key: Uint8Array): Uint8Array =>
  encode(SEQUENCE, encode(SEQUENCE, algorithm), encode(BIT_STRING, Uint8Array.of(0), key));
