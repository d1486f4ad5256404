// A minimal ASN.1 DER reader: just enough to take private key files apart. Parsing only,
// strict bounds everywhere, no recursion: any malformed input ends in a DerError.

/** Why a DER structure could not be read. `truncated`: the data ends before its own lengths say. */
export class DerError extends Error {
  readonly truncated: boolean;
  constructor(reason: string, truncated = false) {
    super(reason);
    this.name = 'DerError';
    this.truncated = truncated;
  }
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
} as const;

/** One tag-length-value element; the content is `bytes[start..end)`. */
export interface Tlv {
  readonly tag: number;
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/** Reads the element at `pos`, which must end at or before `limit`. */
export function readTlv(bytes: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new DerError('element header cut off', true);
  const tag = bytes[pos];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used in key files');
  let len = bytes[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new DerError('bad length form');
    if (start + n > limit) throw new DerError('length cut off', true);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[start + i];
    start += n;
    if (len < 0x80) throw new DerError('non-minimal length');
  }
  const end = start + len;
  if (end > limit) throw new DerError('element longer than its container', true);
  return { tag, bytes, start, end };
}

/** The single element that spans all of `bytes`. */
export function readDer(bytes: Uint8Array): Tlv {
  const top = readTlv(bytes, 0, bytes.length);
  if (top.end !== bytes.length) throw new DerError('data after the end of the structure');
  return top;
}

export function content(t: Tlv): Uint8Array {
  return t.bytes.subarray(t.start, t.end);
}

/** The elements inside a constructed element (SEQUENCE, [0], [1]). */
export function children(t: Tlv): Tlv[] {
  if (!(t.tag & 0x20)) throw new DerError('expected a constructed element');
  const out: Tlv[] = [];
  for (let pos = t.start; pos < t.end; ) {
    const c = readTlv(t.bytes, pos, t.end);
    out.push(c);
    pos = c.end;
  }
  return out;
}

export function tagged(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`expected ${what}`);
  return t;
}

/** A sequence's elements, checked to be present with the given tags. */
export function sequence(t: Tlv | undefined, what: string): Tlv[] {
  return children(tagged(t, TAG.SEQUENCE, what));
}

/** A non-negative INTEGER as its big-endian magnitude, without sign padding. */
export function unsigned(t: Tlv | undefined, what: string): Uint8Array {
  const v = content(tagged(t, TAG.INTEGER, what));
  if (v.length === 0 || v[0] & 0x80) throw new DerError(`${what} is not a positive integer`);
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.subarray(i);
}

/** A small INTEGER (version fields), or -1 when it does not fit. */
export function small(t: Tlv | undefined, what: string): number {
  const v = unsigned(t, what);
  return v.length === 1 ? v[0] : -1;
}

export function octets(t: Tlv | undefined, what: string): Uint8Array {
  return content(tagged(t, TAG.OCTET_STRING, what));
}

/** OBJECT IDENTIFIER in dotted form, e.g. '1.2.840.10045.3.1.7'. */
export function oid(t: Tlv | undefined, what: string): string {
  const v = content(tagged(t, TAG.OID, what));
  if (v.length === 0 || v.length > 40 || v[v.length - 1] & 0x80) throw new DerError(`${what} is malformed`);
  const arcs: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    acc = acc * 128 + (v[i] & 0x7f);
    if (acc > 0xffffffff) throw new DerError(`${what} is malformed`);
    if (!(v[i] & 0x80)) {
      if (arcs.length === 0) arcs.push(acc < 80 ? Math.floor(acc / 40) : 2, acc < 80 ? acc % 40 : acc - 80);
      else arcs.push(acc);
      acc = 0;
    }
  }
  return arcs.join('.');
}
