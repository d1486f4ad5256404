// dfns-signer 0.1.0 Insomnia plugin, sources+lockfile sha256:8a7c54b73f6cd521cff358bd18144565845f4f854caa04a6af65f9987a76ca15 (MIT; bundles @noble/curves, @noble/hashes, micro-rsa-dsa-dh: MIT)
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod2, isNodeMode, target) => (target = mod2 != null ? __create(__getProtoOf(mod2)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod2 || !mod2.__esModule ? __defProp(target, "default", { value: mod2, enumerable: true }) : target,
  mod2
));
var __toCommonJS = (mod2) => __copyProps(__defProp({}, "__esModule", { value: true }), mod2);

// node_modules/@noble/hashes/utils.js
function isBytes(a) {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
}
function anumber(n, title = "") {
  if (typeof n !== "number")
    throw new TypeError(atitle(title) + "expected number, got " + typeof n);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(atitle(title) + "expected integer >= 0, got " + n);
  return n;
}
function abytes(value, length, title = "") {
  if (isBytes(value) && (length === void 0 || value.length === length))
    return value;
  if (length !== void 0)
    anumber(length, "length");
  const bytes2 = isBytes(value);
  const ofLen = length !== void 0 ? ` of length ${length}` : "";
  const got = bytes2 ? `length=${value.length}` : `type=${typeof value}`;
  const message = atitle(title) + "expected Uint8Array" + ofLen + ", got " + got;
  if (!bytes2)
    throw new TypeError(message);
  throw new RangeError(message);
}
function ahash(h) {
  if (typeof h !== "function" || typeof h.create !== "function")
    throw new TypeError("expected hash wrapped by utils.createHasher");
  anumber(h.outputLen);
  anumber(h.blockLen);
  if (h.outputLen < 1 || h.blockLen < 1)
    throw new Error("hash blockLen / outputLen must be >= 1");
}
function aexists(instance, checkFinished = true) {
  if (instance.destroyed)
    throw new Error("hash was destroyed");
  if (checkFinished && instance.finished)
    throw new Error("digest() was already called");
}
function aoutput(out, instance) {
  abytes(out, void 0, "output");
  const min = instance.outputLen;
  if (!(out.length >= min)) {
    throw new RangeError('"output" expected length >= ' + min);
  }
}
function clean(...arrays) {
  for (let i = 0; i < arrays.length; i++) {
    arrays[i].fill(0);
  }
}
function createView(arr) {
  return new DataView(arr.buffer, arr.byteOffset, arr.byteLength);
}
function rotr(word, shift) {
  return word << 32 - shift | word >>> shift;
}
function bytesToHex(bytes2) {
  abytes(bytes2);
  if (hasHexBuiltin)
    return bytes2.toHex();
  let hex = "";
  for (let i = 0; i < bytes2.length; i++) {
    hex += hexes[bytes2[i]];
  }
  return hex;
}
function asciiToBase16(ch) {
  return ch >= 48 && ch <= 57 ? ch - 48 : ch >= 65 && ch <= 70 ? ch - (65 - 10) : ch >= 97 && ch <= 102 ? ch - (97 - 10) : void 0;
}
function hexToBytes(hex) {
  if (typeof hex !== "string")
    throw new TypeError("hex string expected, got " + typeof hex);
  if (hasHexBuiltin) {
    try {
      return Uint8Array.fromHex(hex);
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new RangeError(error.message);
      throw error;
    }
  }
  const hl = hex.length;
  const al = hl / 2;
  if (hl % 2)
    throw new RangeError("hex string expected, got unpadded hex of length " + hl);
  const array = new Uint8Array(al);
  for (let ai = 0, hi = 0; ai < al; ai++, hi += 2) {
    const n1 = asciiToBase16(hex.charCodeAt(hi));
    const n2 = asciiToBase16(hex.charCodeAt(hi + 1));
    if (n1 === void 0 || n2 === void 0) {
      const char = hex[hi] + hex[hi + 1];
      throw new RangeError('hex string expected, got non-hex character "' + char + '" at index ' + hi);
    }
    array[ai] = n1 * 16 + n2;
  }
  return array;
}
function concatBytes(...arrays) {
  let sum = 0;
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i];
    abytes(a);
    sum += a.length;
  }
  const res = new Uint8Array(sum);
  for (let i = 0, pad = 0; i < arrays.length; i++) {
    const a = arrays[i];
    res.set(a, pad);
    pad += a.length;
  }
  return res;
}
function checkOpts(defaults, opts, title = "opts") {
  aopts(defaults, "defaults");
  if (opts !== void 0)
    aopts(opts, title);
  const merged = Object.assign(/* @__PURE__ */ Object.create(null), defaults, opts);
  return merged;
}
function createHasher(hashCons, info = {}) {
  if (typeof hashCons !== "function")
    throw new TypeError('"hashCons" expected function, got type=' + typeof hashCons);
  info = checkOpts({}, info, "info");
  const hashC = (msg, opts) => hashCons(opts).update(msg).digest();
  const tmp = hashCons(void 0);
  hashC.outputLen = tmp.outputLen;
  hashC.blockLen = tmp.blockLen;
  hashC.canXOF = tmp.canXOF;
  hashC.create = (opts) => hashCons(opts);
  Object.assign(hashC, info);
  return Object.freeze(hashC);
}
function randomBytes(bytesLength = 32) {
  anumber(bytesLength, "bytesLength");
  const cr = typeof globalThis === "object" ? globalThis.crypto : null;
  if (typeof cr?.getRandomValues !== "function")
    throw new Error("crypto.getRandomValues must be defined");
  if (bytesLength > 65536)
    throw new RangeError(`"bytesLength" expected <= 65536, got ${bytesLength}`);
  return cr.getRandomValues(new Uint8Array(bytesLength));
}
var atitle, aobject, aopts, hasHexBuiltin, hexes, oidNist;
var init_utils = __esm({
  "node_modules/@noble/hashes/utils.js"() {
    atitle = (title) => title ? `"${title}" ` : "";
    aobject = (value, label) => {
      if (value === null || typeof value !== "object" || Array.isArray(value))
        throw new TypeError((label === "object" ? "" : `"${label}" `) + "expected object, got type=" + typeof value);
    };
    aopts = (value, label) => {
      aobject(value, label);
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`"${label}" expected plain object`);
      if (Object.hasOwn(value, "__proto__"))
        throw new TypeError(`"${label}.__proto__" is not allowed`);
    };
    hasHexBuiltin = /* @__PURE__ */ (() => (
      // @ts-ignore
      typeof Uint8Array.from([]).toHex === "function" && typeof Uint8Array.fromHex === "function"
    ))();
    hexes = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
    oidNist = (suffix) => ({
      // Current NIST hashAlgs suffixes used here fit in one DER subidentifier octet.
      // Larger suffix values would need base-128 OID encoding and a different length byte.
      oid: Uint8Array.from([6, 9, 96, 134, 72, 1, 101, 3, 4, 2, suffix])
    });
  }
});

// node_modules/@noble/curves/utils.js
function aarray(item, title, inner = () => {
}) {
  if (!Array.isArray(item))
    throw new TypeError(`"${title}" expected array, got type=${typeof item}`);
  for (let i = 0; i < item.length; i++)
    inner(item[i], `${title}[${i}]`);
  return item;
}
function astring(value, title = "") {
  if (typeof value !== "string") {
    const prefix = title && `"${title}" `;
    throw new TypeError(prefix + "expected string, got type=" + typeof value);
  }
  return value;
}
function aobject2(value, title = "object") {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new TypeError(title === "object" ? "expected valid options object" : `"${title}" expected object, got type=${typeof value}`);
  return value;
}
function afunction(value, title) {
  if (typeof value !== "function")
    throw new TypeError(`"${title}" is invalid: expected function, got ${typeof value}`);
  return value;
}
function abool(value, title = "") {
  if (typeof value !== "boolean")
    throw new TypeError(atitle2(title) + "expected boolean, got type=" + typeof value);
  return value;
}
function abignumber(n) {
  if (typeof n === "bigint") {
    if (!isPosBig(n))
      throw new RangeError("positive bigint expected, got " + n);
  } else
    anumber2(n);
  return n;
}
function asafenumber(value, title = "") {
  if (typeof value !== "number") {
    const prefix = title && `"${title}" `;
    throw new TypeError(prefix + "expected number, got type=" + typeof value);
  }
  if (!Number.isSafeInteger(value)) {
    const prefix = title && `"${title}" `;
    throw new RangeError(prefix + "expected safe integer, got " + value);
  }
}
function numberToHexUnpadded(num) {
  const hex = abignumber(num).toString(16);
  return hex.length & 1 ? "0" + hex : hex;
}
function hexToNumber(hex) {
  if (typeof hex !== "string")
    throw new TypeError("hex string expected, got " + typeof hex);
  return hex === "" ? _0n : BigInt("0x" + hex);
}
function bytesToNumberBE(bytes2) {
  return hexToNumber(bytesToHex(bytes2));
}
function bytesToNumberLE(bytes2) {
  return hexToNumber(bytesToHex(copyBytes(abytes(bytes2)).reverse()));
}
function numberToBytesBE(n, len) {
  anumber(len);
  if (len === 0)
    throw new Error("zero output length is invalid");
  n = abignumber(n);
  const expectedLen = len * 2;
  const hex = n.toString(16);
  if (hex.length > expectedLen)
    throw new RangeError("number is too large");
  return hexToBytes(hex.padStart(expectedLen, "0"));
}
function numberToBytesLE(n, len) {
  return numberToBytesBE(n, len).reverse();
}
function copyBytes(bytes2) {
  return Uint8Array.from(abytes2(bytes2));
}
function isPosBig(n) {
  return typeof n === "bigint" && _0n <= n;
}
function inRange(n, min, max) {
  return isPosBig(n) && isPosBig(min) && isPosBig(max) && min <= n && n < max;
}
function aInRange(title, n, min, max) {
  if (!inRange(n, min, max))
    throw new RangeError("expected valid " + title + ": " + min + " <= n < " + max + ", got " + n);
}
function bitLen(n) {
  if (n < _0n)
    throw new Error("expected non-negative bigint, got " + n);
  return n === _0n ? 0 : n.toString(2).length;
}
function createHmacDrbg(hashLen, qByteLen, hmacFn) {
  anumber(hashLen, "hashLen");
  anumber(qByteLen, "qByteLen");
  if (typeof hmacFn !== "function")
    throw new TypeError("hmacFn must be a function");
  const u8n = (len) => new Uint8Array(len);
  const NULL2 = Uint8Array.of();
  const byte0 = Uint8Array.of(0);
  const byte1 = Uint8Array.of(1);
  const _maxDrbgIters = 1e3;
  let v = u8n(hashLen);
  let k = u8n(hashLen);
  let i = 0;
  const reset = () => {
    v.fill(1);
    k.fill(0);
    i = 0;
  };
  const h = (...msgs) => hmacFn(k, concatBytes2(v, ...msgs));
  const reseed = (seed = NULL2) => {
    k = h(byte0, seed);
    v = h();
    if (seed.length === 0)
      return;
    k = h(byte1, seed);
    v = h();
  };
  const gen = () => {
    if (i++ >= _maxDrbgIters)
      throw new Error("drbg: tried max amount of iterations");
    let len = 0;
    const out = [];
    while (len < qByteLen) {
      v = h();
      const sl = v.slice();
      out.push(sl);
      len += v.length;
    }
    return concatBytes2(...out);
  };
  const genUntil = (seed, pred) => {
    reset();
    reseed(seed);
    let res = void 0;
    while ((res = pred(gen())) === void 0)
      reseed();
    reset();
    return res;
  };
  return genUntil;
}
function validateObject(object, fields2 = {}, optFields = {}, title = "object") {
  aobject2(object, title);
  aobject2(fields2, "fields");
  aobject2(optFields, "optFields");
  function checkField(fieldName, expectedType, isOpt) {
    const label = title === "object" ? `param "${String(fieldName)}"` : `"${title}.${String(fieldName)}"`;
    const val = object[fieldName];
    if (!Object.hasOwn(object, fieldName) && (isOpt ? val !== void 0 : expectedType !== "function")) {
      throw new TypeError(`${label} is invalid: expected own property`);
    }
    if (isOpt && val === void 0)
      return;
    const current = typeof val;
    if (current !== expectedType || val === null)
      throw new TypeError(`${label} is invalid: expected ${expectedType}, got ${current}`);
  }
  const iter = (f, isOpt) => Object.entries(f).forEach(([k, v]) => checkField(k, v, isOpt));
  iter(fields2, false);
  iter(optFields, true);
}
var abytes2, anumber2, bytesToHex2, concatBytes2, hexToBytes2, isBytes2, randomBytes2, _0n, _1n, atitle2, bitMask;
var init_utils2 = __esm({
  "node_modules/@noble/curves/utils.js"() {
    init_utils();
    abytes2 = (value, length, title) => abytes(value, length, title);
    anumber2 = anumber;
    bytesToHex2 = bytesToHex;
    concatBytes2 = (...arrays) => concatBytes(...arrays);
    hexToBytes2 = (hex) => hexToBytes(hex);
    isBytes2 = isBytes;
    randomBytes2 = (bytesLength) => randomBytes(bytesLength);
    _0n = /* @__PURE__ */ BigInt(0);
    _1n = /* @__PURE__ */ BigInt(1);
    atitle2 = (title) => title ? `"${title}" ` : "";
    bitMask = (n) => {
      asafenumber(n, "n");
      return (_1n << BigInt(n)) - _1n;
    };
  }
});

// node_modules/@noble/hashes/_u64.js
function fromBig(n, le = false) {
  if (le)
    return { h: Number(n & U32_MASK64), l: Number(n >> _32n & U32_MASK64) };
  return { h: Number(n >> _32n & U32_MASK64) | 0, l: Number(n & U32_MASK64) | 0 };
}
function split(lst, le = false) {
  const len = lst.length;
  let Ah = new Uint32Array(len);
  let Al = new Uint32Array(len);
  for (let i = 0; i < len; i++) {
    const { h, l } = fromBig(lst[i], le);
    [Ah[i], Al[i]] = [h, l];
  }
  return [Ah, Al];
}
function setU64FromNum(view, byteOffset, n, isLE) {
  const h = fromNumH(n);
  const l = fromNumL(n);
  view.setUint32(byteOffset, isLE ? l : h, isLE);
  view.setUint32(byteOffset + 4, isLE ? h : l, isLE);
}
function add(Ah, Al, Bh, Bl) {
  const l = (Al >>> 0) + (Bl >>> 0);
  return { h: Ah + Bh + (l / 2 ** 32 | 0) | 0, l: l | 0 };
}
var U32_MASK64, _32n, fromNumH, fromNumL, shrSH, shrSL, rotrSH, rotrSL, rotrBH, rotrBL, add3L, add3H, add4L, add4H, add5L, add5H;
var init_u64 = __esm({
  "node_modules/@noble/hashes/_u64.js"() {
    U32_MASK64 = /* @__PURE__ */ (() => BigInt(2 ** 32 - 1))();
    _32n = /* @__PURE__ */ BigInt(32);
    fromNumH = (n) => n / 2 ** 32 | 0;
    fromNumL = (n) => n >>> 0;
    shrSH = (h, _l, s) => h >>> s;
    shrSL = (h, l, s) => h << 32 - s | l >>> s;
    rotrSH = (h, l, s) => h >>> s | l << 32 - s;
    rotrSL = (h, l, s) => h << 32 - s | l >>> s;
    rotrBH = (h, l, s) => h << 64 - s | l >>> s - 32;
    rotrBL = (h, l, s) => h >>> s - 32 | l << 64 - s;
    add3L = (Al, Bl, Cl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0);
    add3H = (low, Ah, Bh, Ch) => Ah + Bh + Ch + (low / 2 ** 32 | 0) | 0;
    add4L = (Al, Bl, Cl, Dl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0);
    add4H = (low, Ah, Bh, Ch, Dh) => Ah + Bh + Ch + Dh + (low / 2 ** 32 | 0) | 0;
    add5L = (Al, Bl, Cl, Dl, El) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0) + (El >>> 0);
    add5H = (low, Ah, Bh, Ch, Dh, Eh) => Ah + Bh + Ch + Dh + Eh + (low / 2 ** 32 | 0) | 0;
  }
});

// node_modules/@noble/hashes/_md.js
function Chi(a, b, c) {
  return a & b ^ ~a & c;
}
function Maj(a, b, c) {
  return a & b ^ a & c ^ b & c;
}
var HashMD, SHA256_IV, SHA384_IV, SHA512_IV;
var init_md = __esm({
  "node_modules/@noble/hashes/_md.js"() {
    init_u64();
    init_utils();
    HashMD = class {
      blockLen;
      outputLen;
      canXOF = false;
      padOffset;
      isLE;
      // For partial updates less than block size
      buffer;
      view;
      finished = false;
      length = 0;
      pos = 0;
      destroyed = false;
      constructor(blockLen, outputLen, padOffset, isLE) {
        this.blockLen = blockLen;
        this.outputLen = outputLen;
        this.padOffset = padOffset;
        this.isLE = isLE;
        this.buffer = new Uint8Array(blockLen);
        this.view = createView(this.buffer);
      }
      update(data) {
        aexists(this);
        abytes(data);
        const { view, buffer, blockLen } = this;
        const len = data.length;
        let processed = false;
        for (let pos = 0; pos < len; ) {
          const take = Math.min(blockLen - this.pos, len - pos);
          if (take === blockLen) {
            const dataView = createView(data);
            for (; blockLen <= len - pos; pos += blockLen)
              this.process(dataView, pos);
            processed = true;
            continue;
          }
          buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
          this.pos += take;
          pos += take;
          if (this.pos === blockLen) {
            this.process(view, 0);
            this.pos = 0;
            processed = true;
          }
        }
        this.length += data.length;
        if (processed)
          this.roundClean();
        return this;
      }
      digestInto(out) {
        aexists(this);
        aoutput(out, this);
        this.finished = true;
        const { buffer, view, blockLen, isLE } = this;
        let { pos } = this;
        buffer[pos++] = 128;
        buffer.fill(0, pos);
        if (this.padOffset > blockLen - pos) {
          this.process(view, 0);
          buffer.fill(0);
        }
        setU64FromNum(view, blockLen - 8, this.length * 8, isLE);
        this.process(view, 0);
        this.roundClean();
        const oview = out === buffer ? view : createView(out);
        const len = this.outputLen;
        const outLen = len / 4;
        const state = this.get();
        if (len % 4 || outLen > state.length)
          throw new Error("invalid outputLen");
        for (let i = 0; i < outLen; i++)
          oview.setUint32(4 * i, state[i], isLE);
      }
      digest() {
        const { buffer, outputLen } = this;
        this.digestInto(buffer);
        const res = buffer.slice(0, outputLen);
        this.destroy();
        return res;
      }
      _cloneIntoMeta(to) {
        const { buffer, length, finished, destroyed, pos } = this;
        to.destroyed = destroyed;
        to.finished = finished;
        to.length = length;
        to.pos = pos;
        if (pos)
          to.buffer.set(buffer);
        return to;
      }
      clone() {
        return this._cloneInto();
      }
    };
    SHA256_IV = /* @__PURE__ */ Uint32Array.from([
      1779033703,
      3144134277,
      1013904242,
      2773480762,
      1359893119,
      2600822924,
      528734635,
      1541459225
    ]);
    SHA384_IV = /* @__PURE__ */ Uint32Array.from([
      3418070365,
      3238371032,
      1654270250,
      914150663,
      2438529370,
      812702999,
      355462360,
      4144912697,
      1731405415,
      4290775857,
      2394180231,
      1750603025,
      3675008525,
      1694076839,
      1203062813,
      3204075428
    ]);
    SHA512_IV = /* @__PURE__ */ Uint32Array.from([
      1779033703,
      4089235720,
      3144134277,
      2227873595,
      1013904242,
      4271175723,
      2773480762,
      1595750129,
      1359893119,
      2917565137,
      2600822924,
      725511199,
      528734635,
      4215389547,
      1541459225,
      327033209
    ]);
  }
});

// node_modules/@noble/hashes/sha2.js
var SHA256_K, SHA256_W, SHA2_32B, _SHA256, K512, SHA512_Kh, SHA512_Kl, SHA512_W_H, SHA512_W_L, SHA2_64B, _SHA512, _SHA384, sha256, sha512, sha384;
var init_sha2 = __esm({
  "node_modules/@noble/hashes/sha2.js"() {
    init_md();
    init_u64();
    init_utils();
    SHA256_K = /* @__PURE__ */ Uint32Array.from([
      1116352408,
      1899447441,
      3049323471,
      3921009573,
      961987163,
      1508970993,
      2453635748,
      2870763221,
      3624381080,
      310598401,
      607225278,
      1426881987,
      1925078388,
      2162078206,
      2614888103,
      3248222580,
      3835390401,
      4022224774,
      264347078,
      604807628,
      770255983,
      1249150122,
      1555081692,
      1996064986,
      2554220882,
      2821834349,
      2952996808,
      3210313671,
      3336571891,
      3584528711,
      113926993,
      338241895,
      666307205,
      773529912,
      1294757372,
      1396182291,
      1695183700,
      1986661051,
      2177026350,
      2456956037,
      2730485921,
      2820302411,
      3259730800,
      3345764771,
      3516065817,
      3600352804,
      4094571909,
      275423344,
      430227734,
      506948616,
      659060556,
      883997877,
      958139571,
      1322822218,
      1537002063,
      1747873779,
      1955562222,
      2024104815,
      2227730452,
      2361852424,
      2428436474,
      2756734187,
      3204031479,
      3329325298
    ]);
    SHA256_W = /* @__PURE__ */ new Uint32Array(64);
    SHA2_32B = class extends HashMD {
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and makes sha256 3x slower (measured).
      A = 0;
      B = 0;
      C = 0;
      D = 0;
      E = 0;
      F = 0;
      G = 0;
      H = 0;
      constructor(outputLen, IV) {
        super(64, outputLen, 8, false);
        this.A = IV[0] | 0;
        this.B = IV[1] | 0;
        this.C = IV[2] | 0;
        this.D = IV[3] | 0;
        this.E = IV[4] | 0;
        this.F = IV[5] | 0;
        this.G = IV[6] | 0;
        this.H = IV[7] | 0;
      }
      get() {
        const { A, B, C, D, E, F, G, H } = this;
        return [A, B, C, D, E, F, G, H];
      }
      // prettier-ignore
      set(A, B, C, D, E, F, G, H) {
        this.A = A | 0;
        this.B = B | 0;
        this.C = C | 0;
        this.D = D | 0;
        this.E = E | 0;
        this.F = F | 0;
        this.G = G | 0;
        this.H = H | 0;
      }
      _cloneInto(to) {
        (to ||= new this.constructor()).set(...this.get());
        return this._cloneIntoMeta(to);
      }
      process(view, offset) {
        for (let i = 0; i < 16; i++, offset += 4)
          SHA256_W[i] = view.getUint32(offset, false);
        for (let i = 16; i < 64; i++) {
          const W15 = SHA256_W[i - 15];
          const W2 = SHA256_W[i - 2];
          const s0 = rotr(W15, 7) ^ rotr(W15, 18) ^ W15 >>> 3;
          const s1 = rotr(W2, 17) ^ rotr(W2, 19) ^ W2 >>> 10;
          SHA256_W[i] = s1 + SHA256_W[i - 7] + s0 + SHA256_W[i - 16] | 0;
        }
        let { A, B, C, D, E, F, G, H } = this;
        for (let i = 0; i < 64; i++) {
          const sigma1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
          const T1 = H + sigma1 + Chi(E, F, G) + SHA256_K[i] + SHA256_W[i] | 0;
          const sigma0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
          const T2 = sigma0 + Maj(A, B, C) | 0;
          H = G;
          G = F;
          F = E;
          E = D + T1 | 0;
          D = C;
          C = B;
          B = A;
          A = T1 + T2 | 0;
        }
        A = A + this.A | 0;
        B = B + this.B | 0;
        C = C + this.C | 0;
        D = D + this.D | 0;
        E = E + this.E | 0;
        F = F + this.F | 0;
        G = G + this.G | 0;
        H = H + this.H | 0;
        this.set(A, B, C, D, E, F, G, H);
      }
      roundClean() {
        clean(SHA256_W);
      }
      destroy() {
        this.destroyed = true;
        this.set(0, 0, 0, 0, 0, 0, 0, 0);
        clean(this.buffer);
      }
    };
    _SHA256 = class extends SHA2_32B {
      constructor() {
        super(32, SHA256_IV);
      }
    };
    K512 = /* @__PURE__ */ (() => split([
      "0x428a2f98d728ae22",
      "0x7137449123ef65cd",
      "0xb5c0fbcfec4d3b2f",
      "0xe9b5dba58189dbbc",
      "0x3956c25bf348b538",
      "0x59f111f1b605d019",
      "0x923f82a4af194f9b",
      "0xab1c5ed5da6d8118",
      "0xd807aa98a3030242",
      "0x12835b0145706fbe",
      "0x243185be4ee4b28c",
      "0x550c7dc3d5ffb4e2",
      "0x72be5d74f27b896f",
      "0x80deb1fe3b1696b1",
      "0x9bdc06a725c71235",
      "0xc19bf174cf692694",
      "0xe49b69c19ef14ad2",
      "0xefbe4786384f25e3",
      "0x0fc19dc68b8cd5b5",
      "0x240ca1cc77ac9c65",
      "0x2de92c6f592b0275",
      "0x4a7484aa6ea6e483",
      "0x5cb0a9dcbd41fbd4",
      "0x76f988da831153b5",
      "0x983e5152ee66dfab",
      "0xa831c66d2db43210",
      "0xb00327c898fb213f",
      "0xbf597fc7beef0ee4",
      "0xc6e00bf33da88fc2",
      "0xd5a79147930aa725",
      "0x06ca6351e003826f",
      "0x142929670a0e6e70",
      "0x27b70a8546d22ffc",
      "0x2e1b21385c26c926",
      "0x4d2c6dfc5ac42aed",
      "0x53380d139d95b3df",
      "0x650a73548baf63de",
      "0x766a0abb3c77b2a8",
      "0x81c2c92e47edaee6",
      "0x92722c851482353b",
      "0xa2bfe8a14cf10364",
      "0xa81a664bbc423001",
      "0xc24b8b70d0f89791",
      "0xc76c51a30654be30",
      "0xd192e819d6ef5218",
      "0xd69906245565a910",
      "0xf40e35855771202a",
      "0x106aa07032bbd1b8",
      "0x19a4c116b8d2d0c8",
      "0x1e376c085141ab53",
      "0x2748774cdf8eeb99",
      "0x34b0bcb5e19b48a8",
      "0x391c0cb3c5c95a63",
      "0x4ed8aa4ae3418acb",
      "0x5b9cca4f7763e373",
      "0x682e6ff3d6b2b8a3",
      "0x748f82ee5defb2fc",
      "0x78a5636f43172f60",
      "0x84c87814a1f0ab72",
      "0x8cc702081a6439ec",
      "0x90befffa23631e28",
      "0xa4506cebde82bde9",
      "0xbef9a3f7b2c67915",
      "0xc67178f2e372532b",
      "0xca273eceea26619c",
      "0xd186b8c721c0c207",
      "0xeada7dd6cde0eb1e",
      "0xf57d4f7fee6ed178",
      "0x06f067aa72176fba",
      "0x0a637dc5a2c898a6",
      "0x113f9804bef90dae",
      "0x1b710b35131c471b",
      "0x28db77f523047d84",
      "0x32caab7b40c72493",
      "0x3c9ebe0a15c9bebc",
      "0x431d67c49c100d4c",
      "0x4cc5d4becb3e42b6",
      "0x597f299cfc657e2a",
      "0x5fcb6fab3ad6faec",
      "0x6c44198c4a475817"
    ].map((n) => BigInt(n))))();
    SHA512_Kh = /* @__PURE__ */ (() => K512[0])();
    SHA512_Kl = /* @__PURE__ */ (() => K512[1])();
    SHA512_W_H = /* @__PURE__ */ new Uint32Array(80);
    SHA512_W_L = /* @__PURE__ */ new Uint32Array(80);
    SHA2_64B = class extends HashMD {
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // h -- high 32 bits, l -- low 32 bits
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and slows hashing down (measured on sha256).
      Ah = 0;
      Al = 0;
      Bh = 0;
      Bl = 0;
      Ch = 0;
      Cl = 0;
      Dh = 0;
      Dl = 0;
      Eh = 0;
      El = 0;
      Fh = 0;
      Fl = 0;
      Gh = 0;
      Gl = 0;
      Hh = 0;
      Hl = 0;
      constructor(outputLen, IV) {
        super(128, outputLen, 16, false);
        this.Ah = IV[0] | 0;
        this.Al = IV[1] | 0;
        this.Bh = IV[2] | 0;
        this.Bl = IV[3] | 0;
        this.Ch = IV[4] | 0;
        this.Cl = IV[5] | 0;
        this.Dh = IV[6] | 0;
        this.Dl = IV[7] | 0;
        this.Eh = IV[8] | 0;
        this.El = IV[9] | 0;
        this.Fh = IV[10] | 0;
        this.Fl = IV[11] | 0;
        this.Gh = IV[12] | 0;
        this.Gl = IV[13] | 0;
        this.Hh = IV[14] | 0;
        this.Hl = IV[15] | 0;
      }
      // prettier-ignore
      get() {
        const { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
        return [Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl];
      }
      // prettier-ignore
      set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl) {
        this.Ah = Ah | 0;
        this.Al = Al | 0;
        this.Bh = Bh | 0;
        this.Bl = Bl | 0;
        this.Ch = Ch | 0;
        this.Cl = Cl | 0;
        this.Dh = Dh | 0;
        this.Dl = Dl | 0;
        this.Eh = Eh | 0;
        this.El = El | 0;
        this.Fh = Fh | 0;
        this.Fl = Fl | 0;
        this.Gh = Gh | 0;
        this.Gl = Gl | 0;
        this.Hh = Hh | 0;
        this.Hl = Hl | 0;
      }
      _cloneInto(to) {
        (to ||= new this.constructor()).set(...this.get());
        return this._cloneIntoMeta(to);
      }
      process(view, offset) {
        for (let i = 0; i < 16; i++, offset += 4) {
          SHA512_W_H[i] = view.getUint32(offset);
          SHA512_W_L[i] = view.getUint32(offset += 4);
        }
        for (let i = 16; i < 80; i++) {
          const W15h = SHA512_W_H[i - 15] | 0;
          const W15l = SHA512_W_L[i - 15] | 0;
          const s0h = rotrSH(W15h, W15l, 1) ^ rotrSH(W15h, W15l, 8) ^ shrSH(W15h, W15l, 7);
          const s0l = rotrSL(W15h, W15l, 1) ^ rotrSL(W15h, W15l, 8) ^ shrSL(W15h, W15l, 7);
          const W2h = SHA512_W_H[i - 2] | 0;
          const W2l = SHA512_W_L[i - 2] | 0;
          const s1h = rotrSH(W2h, W2l, 19) ^ rotrBH(W2h, W2l, 61) ^ shrSH(W2h, W2l, 6);
          const s1l = rotrSL(W2h, W2l, 19) ^ rotrBL(W2h, W2l, 61) ^ shrSL(W2h, W2l, 6);
          const SUMl = add4L(s0l, s1l, SHA512_W_L[i - 7], SHA512_W_L[i - 16]);
          const SUMh = add4H(SUMl, s0h, s1h, SHA512_W_H[i - 7], SHA512_W_H[i - 16]);
          SHA512_W_H[i] = SUMh | 0;
          SHA512_W_L[i] = SUMl | 0;
        }
        let { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
        for (let i = 0; i < 80; i++) {
          const sigma1h = rotrSH(Eh, El, 14) ^ rotrSH(Eh, El, 18) ^ rotrBH(Eh, El, 41);
          const sigma1l = rotrSL(Eh, El, 14) ^ rotrSL(Eh, El, 18) ^ rotrBL(Eh, El, 41);
          const CHIh = Eh & Fh ^ ~Eh & Gh;
          const CHIl = El & Fl ^ ~El & Gl;
          const T1ll = add5L(Hl, sigma1l, CHIl, SHA512_Kl[i], SHA512_W_L[i]);
          const T1h = add5H(T1ll, Hh, sigma1h, CHIh, SHA512_Kh[i], SHA512_W_H[i]);
          const T1l = T1ll | 0;
          const sigma0h = rotrSH(Ah, Al, 28) ^ rotrBH(Ah, Al, 34) ^ rotrBH(Ah, Al, 39);
          const sigma0l = rotrSL(Ah, Al, 28) ^ rotrBL(Ah, Al, 34) ^ rotrBL(Ah, Al, 39);
          const MAJh = Ah & Bh ^ Ah & Ch ^ Bh & Ch;
          const MAJl = Al & Bl ^ Al & Cl ^ Bl & Cl;
          Hh = Gh | 0;
          Hl = Gl | 0;
          Gh = Fh | 0;
          Gl = Fl | 0;
          Fh = Eh | 0;
          Fl = El | 0;
          ({ h: Eh, l: El } = add(Dh | 0, Dl | 0, T1h | 0, T1l | 0));
          Dh = Ch | 0;
          Dl = Cl | 0;
          Ch = Bh | 0;
          Cl = Bl | 0;
          Bh = Ah | 0;
          Bl = Al | 0;
          const All = add3L(T1l, sigma0l, MAJl);
          Ah = add3H(All, T1h, sigma0h, MAJh);
          Al = All | 0;
        }
        ({ h: Ah, l: Al } = add(this.Ah | 0, this.Al | 0, Ah | 0, Al | 0));
        ({ h: Bh, l: Bl } = add(this.Bh | 0, this.Bl | 0, Bh | 0, Bl | 0));
        ({ h: Ch, l: Cl } = add(this.Ch | 0, this.Cl | 0, Ch | 0, Cl | 0));
        ({ h: Dh, l: Dl } = add(this.Dh | 0, this.Dl | 0, Dh | 0, Dl | 0));
        ({ h: Eh, l: El } = add(this.Eh | 0, this.El | 0, Eh | 0, El | 0));
        ({ h: Fh, l: Fl } = add(this.Fh | 0, this.Fl | 0, Fh | 0, Fl | 0));
        ({ h: Gh, l: Gl } = add(this.Gh | 0, this.Gl | 0, Gh | 0, Gl | 0));
        ({ h: Hh, l: Hl } = add(this.Hh | 0, this.Hl | 0, Hh | 0, Hl | 0));
        this.set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl);
      }
      roundClean() {
        clean(SHA512_W_H, SHA512_W_L);
      }
      destroy() {
        this.destroyed = true;
        clean(this.buffer);
        this.set(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      }
    };
    _SHA512 = class extends SHA2_64B {
      constructor() {
        super(64, SHA512_IV);
      }
    };
    _SHA384 = class extends SHA2_64B {
      constructor() {
        super(48, SHA384_IV);
      }
    };
    sha256 = /* @__PURE__ */ createHasher(
      () => new _SHA256(),
      /* @__PURE__ */ oidNist(1)
    );
    sha512 = /* @__PURE__ */ createHasher(
      () => new _SHA512(),
      /* @__PURE__ */ oidNist(3)
    );
    sha384 = /* @__PURE__ */ createHasher(
      () => new _SHA384(),
      /* @__PURE__ */ oidNist(2)
    );
  }
});

// node_modules/@noble/curves/abstract/modular.js
function mod(a, b) {
  if (b <= _0n2)
    throw new Error("mod: expected positive modulus, got " + b);
  const result = a % b;
  return result >= _0n2 ? result : b + result;
}
function pow(num, power, modulo) {
  if (modulo <= _1n2)
    throw new Error("pow: expected modulus > 1, got " + modulo);
  if (typeof power !== "bigint")
    throw new TypeError("invalid exponent: expected bigint, got " + typeof power);
  if (power < _0n2)
    throw new Error("invalid exponent, negatives unsupported");
  if (power === _0n2)
    return _1n2;
  if (power === _1n2)
    return num;
  let d = num % modulo;
  if (d < _0n2)
    d += modulo;
  if (power < POW_WINDOWED_MIN) {
    let p2 = _1n2;
    while (power > _0n2) {
      if (power & _1n2)
        p2 = p2 * d % modulo;
      d = d * d % modulo;
      power >>= _1n2;
    }
    return p2;
  }
  const digits = [];
  while (power > _0n2) {
    digits.push(Number(power & _15n));
    power >>= _4n;
  }
  const table = new Array(16);
  table[0] = _1n2;
  table[1] = d;
  for (let i = 2; i < 16; i++)
    table[i] = table[i - 1] * d % modulo;
  let p = table[digits[digits.length - 1]];
  for (let w = digits.length - 2; w >= 0; w--) {
    p = p * p % modulo;
    p = p * p % modulo;
    p = p * p % modulo;
    p = p * p % modulo;
    const digit = digits[w];
    if (digit !== 0)
      p = p * table[digit] % modulo;
  }
  return p;
}
function pow2(x, power, modulo) {
  if (modulo <= _1n2)
    throw new Error("pow2: expected modulus > 1, got " + modulo);
  if (power < _0n2)
    throw new Error("pow2: expected non-negative exponent, got " + power);
  let res = x;
  while (power-- > _0n2) {
    res *= res;
    res %= modulo;
  }
  return res;
}
function invert(number2, modulo) {
  if (number2 === _0n2)
    throw new Error("invert: expected non-zero number");
  if (modulo <= _1n2)
    throw new Error("invert: expected modulus > 1, got " + modulo);
  let a = mod(number2, modulo);
  let b = modulo;
  let x = _0n2, u = _1n2;
  while (a !== _0n2) {
    const q = b / a;
    const r = b - a * q;
    const m = x - u * q;
    b = a, a = r, x = u, u = m;
  }
  const gcd2 = b;
  if (gcd2 !== _1n2)
    throw new Error("invert: does not exist");
  return mod(x, modulo);
}
function invertCt(a, prime) {
  if (prime <= _1n2)
    throw new Error("invertCt: expected prime modulus > 1, got " + prime);
  const an = mod(a, prime);
  if (an === _0n2)
    throw new Error("invertCt: expected non-zero number");
  const inverse = pow(an, prime - _2n, prime);
  if (mod(an * inverse, prime) !== _1n2)
    throw new Error("invertCt: does not exist");
  return inverse;
}
function assertIsSquare(Fp2, root, n) {
  const F = Fp2;
  if (!F.eql(F.sqr(root), n))
    throw new Error("Cannot find square root");
}
function aoddModulus(order, fnName) {
  if ((order & _1n2) === _0n2)
    throw new Error(fnName + ": expected odd modulus, got " + order);
}
function sqrt3mod4(Fp2, n) {
  const F = Fp2;
  const p1div4 = (F.ORDER + _1n2) / _4n;
  const root = F.pow(n, p1div4);
  assertIsSquare(F, root, n);
  return root;
}
function sqrt5mod8(Fp2, n) {
  const F = Fp2;
  const p5div8 = (F.ORDER - _5n) / _8n;
  const n2 = F.mul(n, _2n);
  const v = F.pow(n2, p5div8);
  const nv = F.mul(n, v);
  const i = F.mul(F.mul(nv, _2n), v);
  const root = F.mul(nv, F.sub(i, F.ONE));
  assertIsSquare(F, root, n);
  return root;
}
function sqrt9mod16(P) {
  const Fp_ = Field(P);
  const tn = tonelliShanks(P);
  const c1 = tn(Fp_, Fp_.neg(Fp_.ONE));
  const c2 = tn(Fp_, c1);
  const c3 = tn(Fp_, Fp_.neg(c1));
  const c4 = (P + _7n) / _16n;
  return ((Fp2, n) => {
    const F = Fp2;
    let tv1 = F.pow(n, c4);
    let tv2 = F.mul(tv1, c1);
    const tv3 = F.mul(tv1, c2);
    const tv4 = F.mul(tv1, c3);
    const e1 = F.eql(F.sqr(tv2), n);
    const e2 = F.eql(F.sqr(tv3), n);
    tv1 = F.cmov(tv1, tv2, e1);
    tv2 = F.cmov(tv4, tv3, e2);
    const e3 = F.eql(F.sqr(tv2), n);
    const root = F.cmov(tv1, tv2, e3);
    assertIsSquare(F, root, n);
    return root;
  });
}
function tonelliShanks(P) {
  if (P < _3n)
    throw new Error("sqrt is not defined for small field");
  aoddModulus(P, "tonelliShanks");
  let Q = P - _1n2;
  let S = 0;
  while (Q % _2n === _0n2) {
    Q /= _2n;
    S++;
  }
  let Z = _2n;
  const _Fp = Field(P);
  while (FpLegendre(_Fp, Z) === 1) {
    if (Z++ > 1e3)
      throw new Error("Cannot find square root: probably non-prime P");
  }
  if (S === 1)
    return sqrt3mod4;
  let cc = _Fp.pow(Z, Q);
  const Q1div2 = (Q + _1n2) / _2n;
  return function tonelliSlow(Fp2, n) {
    const F = Fp2;
    if (F.is0(n))
      return n;
    if (FpLegendre(F, n) !== 1)
      throw new Error("Cannot find square root");
    let M = S;
    let c = F.mul(F.ONE, cc);
    let t = F.pow(n, Q);
    let R = F.pow(n, Q1div2);
    while (!F.eql(t, F.ONE)) {
      if (F.is0(t))
        throw new Error("Cannot find square root: probably non-prime P");
      let i = 1;
      let t_tmp = F.sqr(t);
      while (!F.eql(t_tmp, F.ONE)) {
        i++;
        t_tmp = F.sqr(t_tmp);
        if (i === M)
          throw new Error("Cannot find square root");
      }
      const exponent = _1n2 << BigInt(M - i - 1);
      const b = F.pow(c, exponent);
      M = i;
      c = F.sqr(b);
      t = F.mul(t, c);
      R = F.mul(R, b);
    }
    return R;
  };
}
function FpSqrt(P) {
  aoddModulus(P, "Fp.sqrt");
  if (P % _4n === _3n)
    return sqrt3mod4;
  if (P % _8n === _5n)
    return sqrt5mod8;
  if (P % _16n === _9n)
    return sqrt9mod16(P);
  return tonelliShanks(P);
}
function validateField(field) {
  aobject2(field, "field");
  if (typeof field.ORDER !== "bigint")
    throw new TypeError('param "ORDER" is invalid: expected bigint, got ' + typeof field.ORDER);
  asafenumber(field.BYTES, "BYTES");
  asafenumber(field.BITS, "BITS");
  for (const name of FIELD_FIELDS)
    afunction(field[name], "field." + name);
  if (field.BYTES < 1 || field.BITS < 1)
    throw new Error("invalid field: expected BYTES/BITS > 0");
  if (field.ORDER <= _1n2)
    throw new Error("invalid field: expected ORDER > 1, got " + field.ORDER);
  return field;
}
function FpInvertBatch(Fp2, nums, passZero = false) {
  validateField(Fp2);
  aarray(nums, "nums");
  abool(passZero, "passZero");
  const F = Fp2;
  const inverted = new Array(nums.length).fill(passZero ? F.ZERO : void 0);
  const multipliedAcc = nums.reduce((acc, num, i) => {
    if (F.is0(num))
      return acc;
    inverted[i] = acc;
    return F.mul(acc, num);
  }, F.ONE);
  const invertedAcc = F.inv(multipliedAcc);
  nums.reduceRight((acc, num, i) => {
    if (F.is0(num))
      return acc;
    inverted[i] = F.mul(acc, inverted[i]);
    return F.mul(acc, num);
  }, invertedAcc);
  return inverted;
}
function FpLegendre(Fp2, n) {
  validateField(Fp2);
  const F = Fp2;
  aoddModulus(F.ORDER, "FpLegendre");
  const p1mod2 = (F.ORDER - _1n2) / _2n;
  const powered = F.pow(n, p1mod2);
  const yes = F.eql(powered, F.ONE);
  const zero = F.eql(powered, F.ZERO);
  const no = F.eql(powered, F.neg(F.ONE));
  if (!yes && !zero && !no)
    throw new Error("invalid Legendre symbol result");
  return yes ? 1 : zero ? 0 : -1;
}
function nLength(n, nBitLength) {
  if (nBitLength !== void 0)
    anumber2(nBitLength);
  if (n <= _0n2)
    throw new Error("invalid n length: expected positive n, got " + n);
  if (nBitLength !== void 0 && nBitLength < 1)
    throw new Error("invalid n length: expected positive bit length, got " + nBitLength);
  const bits = bitLen(n);
  if (nBitLength !== void 0 && nBitLength < bits)
    throw new Error(`invalid n length: expected nBitLength (${nBitLength}) >= bitLen(n) (${bits})`);
  const _nBitLength = nBitLength !== void 0 ? nBitLength : bits;
  const nByteLength = Math.ceil(_nBitLength / 8);
  return { nBitLength: _nBitLength, nByteLength };
}
function Field(ORDER, opts = {}) {
  Object.freeze(_Field.prototype);
  return new _Field(ORDER, opts);
}
function getFieldBytesLength(fieldOrder) {
  if (typeof fieldOrder !== "bigint")
    throw new Error("field order must be bigint");
  if (fieldOrder <= _1n2)
    throw new Error("field order must be greater than 1");
  const bitLength = bitLen(fieldOrder - _1n2);
  return Math.ceil(bitLength / 8);
}
function getMinHashLength(fieldOrder) {
  const length = getFieldBytesLength(fieldOrder);
  return length + Math.ceil(length / 2);
}
function mapHashToField(key, fieldOrder, isLE = false) {
  abytes2(key);
  const len = key.length;
  const fieldLen = getFieldBytesLength(fieldOrder);
  const minLen = Math.max(getMinHashLength(fieldOrder), 16);
  if (len < minLen || len > 1024)
    throw new Error("expected " + minLen + "-1024 bytes of input, got " + len);
  const num = isLE ? bytesToNumberLE(key) : bytesToNumberBE(key);
  const reduced = mod(num, fieldOrder - _1n2) + _1n2;
  return isLE ? numberToBytesLE(reduced, fieldLen) : numberToBytesBE(reduced, fieldLen);
}
var _0n2, _1n2, _2n, _3n, _4n, _5n, _7n, _8n, _9n, _15n, _16n, POW_WINDOWED_MIN, isNegativeLE, FIELD_FIELDS, FIELD_SQRT, _Field;
var init_modular = __esm({
  "node_modules/@noble/curves/abstract/modular.js"() {
    init_utils2();
    _0n2 = /* @__PURE__ */ BigInt(0);
    _1n2 = /* @__PURE__ */ BigInt(1);
    _2n = /* @__PURE__ */ BigInt(2);
    _3n = /* @__PURE__ */ BigInt(3);
    _4n = /* @__PURE__ */ BigInt(4);
    _5n = /* @__PURE__ */ BigInt(5);
    _7n = /* @__PURE__ */ BigInt(7);
    _8n = /* @__PURE__ */ BigInt(8);
    _9n = /* @__PURE__ */ BigInt(9);
    _15n = /* @__PURE__ */ BigInt(15);
    _16n = /* @__PURE__ */ BigInt(16);
    POW_WINDOWED_MIN = /* @__PURE__ */ BigInt("0x10000000000000000");
    isNegativeLE = (num, modulo) => (mod(num, modulo) & _1n2) === _1n2;
    FIELD_FIELDS = [
      "create",
      "isValid",
      "is0",
      "neg",
      "inv",
      "sqrt",
      "sqr",
      "eql",
      "add",
      "sub",
      "mul",
      "pow",
      "div",
      "addN",
      "subN",
      "mulN",
      "sqrN"
    ];
    FIELD_SQRT = /* @__PURE__ */ new WeakMap();
    _Field = class {
      ORDER;
      BITS;
      BYTES;
      isLE;
      ZERO = _0n2;
      ONE = _1n2;
      _lengths;
      _mod;
      constructor(ORDER, opts = {}) {
        if (ORDER <= _1n2)
          throw new Error("invalid field: expected ORDER > 1, got " + ORDER);
        let _nbitLength = void 0;
        this.isLE = false;
        if (opts != null && typeof opts === "object") {
          if (typeof opts.BITS === "number")
            _nbitLength = opts.BITS;
          if (typeof opts.sqrt === "function")
            Object.defineProperty(this, "sqrt", { value: opts.sqrt, enumerable: true });
          if (typeof opts.isLE === "boolean")
            this.isLE = opts.isLE;
          if (opts.allowedLengths)
            this._lengths = Object.freeze(opts.allowedLengths.slice());
          if (typeof opts.modFromBytes === "boolean")
            this._mod = opts.modFromBytes;
        }
        const { nBitLength, nByteLength } = nLength(ORDER, _nbitLength);
        if (nByteLength > 2048)
          throw new Error("invalid field: expected ORDER of <= 2048 bytes");
        this.ORDER = ORDER;
        this.BITS = nBitLength;
        this.BYTES = nByteLength;
        Object.freeze(this);
      }
      create(num) {
        return mod(num, this.ORDER);
      }
      isValid(num) {
        if (typeof num !== "bigint")
          throw new TypeError("invalid field element: expected bigint, got " + typeof num);
        return _0n2 <= num && num < this.ORDER;
      }
      is0(num) {
        return num === _0n2;
      }
      // is valid and invertible
      isValidNot0(num) {
        return !this.is0(num) && this.isValid(num);
      }
      isOdd(num) {
        return (num & _1n2) === _1n2;
      }
      neg(num) {
        return mod(-num, this.ORDER);
      }
      eql(lhs, rhs) {
        return lhs === rhs;
      }
      sqr(num) {
        return mod(num * num, this.ORDER);
      }
      add(lhs, rhs) {
        return mod(lhs + rhs, this.ORDER);
      }
      sub(lhs, rhs) {
        return mod(lhs - rhs, this.ORDER);
      }
      mul(lhs, rhs) {
        return mod(lhs * rhs, this.ORDER);
      }
      pow(num, power) {
        return pow(num, power, this.ORDER);
      }
      div(lhs, rhs) {
        return mod(lhs * invert(rhs, this.ORDER), this.ORDER);
      }
      // Same as above, but doesn't normalize
      sqrN(num) {
        return num * num;
      }
      addN(lhs, rhs) {
        return lhs + rhs;
      }
      subN(lhs, rhs) {
        return lhs - rhs;
      }
      mulN(lhs, rhs) {
        return lhs * rhs;
      }
      inv(num) {
        return invert(num, this.ORDER);
      }
      sqrt(num) {
        let sqrt2 = FIELD_SQRT.get(this);
        if (!sqrt2)
          FIELD_SQRT.set(this, sqrt2 = FpSqrt(this.ORDER));
        return sqrt2(this, num);
      }
      toBytes(num) {
        return this.isLE ? numberToBytesLE(num, this.BYTES) : numberToBytesBE(num, this.BYTES);
      }
      fromBytes(bytes2, skipValidation = false) {
        abytes2(bytes2);
        const { _lengths: allowedLengths, BYTES, isLE, ORDER, _mod: modFromBytes } = this;
        if (allowedLengths) {
          if (bytes2.length < 1 || !allowedLengths.includes(bytes2.length) || bytes2.length > BYTES) {
            throw new Error("Field.fromBytes: expected " + allowedLengths + " bytes, got " + bytes2.length);
          }
          const padded = new Uint8Array(BYTES);
          padded.set(bytes2, isLE ? 0 : padded.length - bytes2.length);
          bytes2 = padded;
        }
        if (bytes2.length !== BYTES)
          throw new Error("Field.fromBytes: expected " + BYTES + " bytes, got " + bytes2.length);
        let scalar = isLE ? bytesToNumberLE(bytes2) : bytesToNumberBE(bytes2);
        if (modFromBytes)
          scalar = mod(scalar, ORDER);
        if (!skipValidation) {
          if (!this.isValid(scalar))
            throw new Error("invalid field element: outside of range 0..ORDER");
        }
        return scalar;
      }
      // TODO: we don't need it here, move out to separate fn
      invertBatch(lst) {
        return FpInvertBatch(this, lst, true);
      }
      // We can't move this out because Fp6, Fp12 implement it
      // and it's unclear what to return in there.
      cmov(a, b, condition) {
        abool(condition, "condition");
        return condition ? b : a;
      }
    };
  }
});

// node_modules/@noble/curves/abstract/curve.js
function validatePointCons(Point) {
  const pc = Point;
  if (typeof pc !== "function")
    throw new TypeError('"Point" expected constructor, got type=' + typeof Point);
  afunction(pc.fromAffine, "Point.fromAffine");
  afunction(pc.fromBytes, "Point.fromBytes");
  afunction(pc.fromHex, "Point.fromHex");
  aobject2(pc.BASE, "Point.BASE");
  aobject2(pc.ZERO, "Point.ZERO");
  validateField(pc.Fp);
  validateField(pc.Fn);
}
function normalizeZ(c, points) {
  validatePointCons(c);
  validateMSMPoints(points, c);
  const invertedZs = FpInvertBatch(c.Fp, points.map((p) => p.Z));
  return points.map((p, i) => c.fromAffine(p.toAffine(invertedZs[i])));
}
function validateW(W, bits, min = 1) {
  if (!Number.isSafeInteger(W) || W < min || W > bits)
    throw new Error("invalid window size, expected [" + min + ".." + bits + "], got W=" + W);
}
function validateTableBytes(numPoints, fpBytes) {
  const bytes2 = numPoints * (4 * fpBytes + 128);
  if (bytes2 > TABLE_BYTES_MAX)
    throw new Error("invalid window size: table would need ~" + Math.ceil(bytes2 / 2 ** 20) + " MiB, max " + TABLE_BYTES_MAX / 2 ** 20 + " MiB");
}
function probeRandomBytes(randomBytes3, length) {
  if (randomBytes3 === void 0)
    return void 0;
  afunction(randomBytes3, "randomBytes");
  try {
    const probe = randomBytes3(length);
    if (!isBytes2(probe) || probe.length !== length)
      return void 0;
  } catch {
    return void 0;
  }
  return randomBytes3;
}
function validateMSMPoints(points, c) {
  aarray(points, "points");
  points.forEach((p, i) => {
    if (!(p instanceof c))
      throw new Error("invalid point at index " + i);
  });
}
function validateMSMScalars(scalars, field, maxScalar) {
  if (!Array.isArray(scalars))
    throw new Error("array of scalars expected");
  scalars.forEach((s, i) => {
    const ok = maxScalar === void 0 ? field.isValid(s) : isPosBig(s) && s < maxScalar;
    if (!ok)
      throw new Error("invalid scalar at index " + i);
  });
}
function getWindowSize(P) {
  return pointWindowSizes.get(P) || 1;
}
function oddMultiples(p, size) {
  const dbl = p.double();
  const t = [p];
  for (let j = 1; j < size; j++)
    t.push(t[j - 1].add(dbl));
  return t;
}
function wnafDigits(n, W) {
  const size = 2 ** W;
  const half = size / 2;
  const mask = BigInt(size - 1);
  const d = [];
  while (n > _0n3) {
    let w = 0;
    if (n & _1n3) {
      w = Number(n & mask);
      if (w >= half)
        w -= size;
      n -= BigInt(w);
    }
    d.push(w);
    n >>= _1n3;
  }
  return d;
}
function signedWindowDigits(n, W, windows) {
  const size = 2 ** W;
  const half = size / 2;
  const mask = BigInt(size - 1);
  const shiftBy = BigInt(W);
  const d = [];
  for (let w = 0; w < windows; w++) {
    let v = Number(n & mask);
    n >>= shiftBy;
    if (v > half) {
      v -= size;
      n += _1n3;
    }
    d.push(v);
  }
  if (n !== _0n3)
    throw new Error("invalid wnaf");
  return d;
}
function wnafWalk(zero, tables, digits) {
  let max = 0;
  for (const d of digits)
    max = Math.max(max, d.length);
  let acc = zero;
  for (let bit = max - 1; bit >= 0; bit--) {
    if (bit !== max - 1)
      acc = acc.double();
    for (let i = 0; i < digits.length; i++) {
      const w = digits[i][bit];
      if (w) {
        const item = tables[i][Math.abs(w) - 1 >> 1];
        acc = acc.add(w < 0 ? item.negate() : item);
      }
    }
  }
  return acc;
}
function mulAddUnsafe(c, points, scalars, allowOversized = false) {
  validatePointCons(c);
  validateMSMPoints(points, c);
  abool(allowOversized, "allowOversized");
  validateMSMScalars(scalars, c.Fn, allowOversized ? c.Fn.ORDER ** _4n2 : void 0);
  if (points.length !== scalars.length)
    throw new Error("arrays of points and scalars must have equal length");
  const tables = points.map((p) => oddMultiples(p, 4));
  const digits = scalars.map((n) => wnafDigits(n, 4));
  return wnafWalk(c.ZERO, tables, digits);
}
function createField(order, field, isLE) {
  if (field) {
    if (field.ORDER !== order)
      throw new Error("Field.ORDER must match order: Fp == p, Fn == n");
    validateField(field);
    return field;
  } else {
    return Field(order, { isLE });
  }
}
function createCurveFields(type, CURVE, curveOpts = {}, FpFnLE) {
  if (type !== "weierstrass" && type !== "edwards")
    throw new Error('expected curve type "weierstrass" or "edwards"');
  if (FpFnLE === void 0)
    FpFnLE = type === "edwards";
  if (!CURVE || typeof CURVE !== "object")
    throw new Error(`expected valid ${type} CURVE object`);
  validateObject(curveOpts);
  for (const p of ["p", "n", "h"]) {
    const val = CURVE[p];
    if (!(isPosBig(val) && val !== _0n3))
      throw new Error(`CURVE.${p} must be positive bigint`);
  }
  const Fp2 = createField(CURVE.p, curveOpts.Fp, FpFnLE);
  const Fn = createField(CURVE.n, curveOpts.Fn, FpFnLE);
  const _b = type === "weierstrass" ? "b" : "d";
  const params = ["Gx", "Gy", "a", _b];
  for (const p of params) {
    if (!Fp2.isValid(CURVE[p]))
      throw new Error(`CURVE.${p} must be valid field element of CURVE.Fp`);
  }
  CURVE = Object.freeze(Object.assign({}, CURVE));
  return { CURVE, Fp: Fp2, Fn };
}
function createKeygen(randomSecretKey, getPublicKey) {
  return function keygen(seed) {
    const secretKey = randomSecretKey(seed);
    return { secretKey, publicKey: getPublicKey(secretKey) };
  };
}
var _0n3, _1n3, _4n2, BLIND_BYTES, BLIND_BITS, FW_WINDOW, TABLE_BYTES_MAX, pointWindowSizes, ScalarMultiplier;
var init_curve = __esm({
  "node_modules/@noble/curves/abstract/curve.js"() {
    init_utils2();
    init_modular();
    _0n3 = /* @__PURE__ */ BigInt(0);
    _1n3 = /* @__PURE__ */ BigInt(1);
    _4n2 = /* @__PURE__ */ BigInt(4);
    BLIND_BYTES = 16;
    BLIND_BITS = 128;
    FW_WINDOW = 5;
    TABLE_BYTES_MAX = /* @__PURE__ */ (() => 2 ** 31)();
    pointWindowSizes = /* @__PURE__ */ new WeakMap();
    ScalarMultiplier = class {
      Point;
      BASE;
      ZERO;
      randomBytes;
      wnafPrecomputes = /* @__PURE__ */ new WeakMap();
      baseCanBeBlinded;
      bits;
      // Parametrized with a given Point class (not individual point)
      constructor(Point, randomBytes3) {
        validatePointCons(Point);
        this.randomBytes = probeRandomBytes(randomBytes3, BLIND_BYTES);
        this.Point = Point;
        this.BASE = Point.BASE;
        this.ZERO = Point.ZERO;
        this.bits = Point.Fn.BITS;
      }
      /**
       * Creates a signed fixed-window wNAF precomputation table: for every window w, the
       * multiples `[1..2^(W−1)]⋅2^(w⋅W)⋅P`, flattened. All doublings are baked into the table,
       * so cached multiplication is additions-only. `windows = ceil(bits/W) + 1`: the extra
       * window absorbs the final carry of signed-digit recoding.
       * For a 256-bit curve and W=6, the table is 44⋅32 = 1408 points.
       * @param point - Point instance
       * @param W - window size
       * @param bits - scalar bitlength the table must cover
       */
      buildWnafTable(point, W, bits) {
        const windows = Math.ceil(bits / W) + 1;
        const half = 2 ** (W - 1);
        const comp = [];
        let base = point;
        for (let w = 0; w < windows; w++) {
          let acc = base;
          for (let i = 0; i < half; i++) {
            comp.push(acc);
            acc = acc.add(base);
          }
          base = comp[comp.length - 1].double();
        }
        return { W, bits, windows, comp };
      }
      /**
       * Implements ec multiplication using precomputed signed fixed-window wNAF tables.
       * Constant-time: fixed window count with one table addition per window — zero digits feed
       * the fake accumulator — and no doublings; the lookup scans the whole window slice.
       * Scalar bounds are validated by the public entry points ({@link ScalarMultiplier.mulCT},
       * {@link ScalarMultiplier.mulCTBlinded}, {@link ScalarMultiplier.mulUnsafe});
       * signedWindowDigits throws if `n` exceeds the table.
       * @returns real and fake (for const-time) points
       */
      wnafCachedCT(precomputes, n) {
        const { W, windows, comp } = precomputes;
        const half = 2 ** (W - 1);
        const digits = signedWindowDigits(n, W, windows);
        let p = this.ZERO;
        let f = this.BASE;
        for (let w = 0; w < windows; w++) {
          const digit = digits[w];
          const start = w * half;
          const idx = Math.abs(digit) - 1;
          let sel = comp[start];
          for (let i = 1; i < half; i++)
            sel = i === idx ? comp[start + i] : sel;
          const neg = sel.negate();
          if (digit === 0)
            f = f.add(comp[start]);
          else
            p = p.add(digit < 0 ? neg : sel);
        }
        return { p, f };
      }
      // Cache key is point identity plus (W, bits); at most two entries exist per point (public-width
      // `Fn.BITS` and blinded `Fn.BITS + BLIND_BITS`). Callers must not reuse the same point with
      // incompatible `transform(...)` layouts and expect a separate cache entry.
      getWnafPrecomputes(W, point, bits, transform) {
        let entries = this.wnafPrecomputes.get(point);
        let comp = entries?.find((entry) => entry.W === W && entry.bits === bits);
        if (!comp) {
          comp = this.buildWnafTable(point, W, bits);
          if (typeof transform === "function")
            comp = { ...comp, comp: transform(comp.comp) };
          if (!entries) {
            entries = [];
            this.wnafPrecomputes.set(point, entries);
          }
          entries.push(comp);
        }
        return comp;
      }
      assertPoint(point) {
        if (!(point instanceof this.Point))
          throw new TypeError('"point" expected Point instance, got type=' + typeof point);
      }
      // Shared prologue of the constant-time entry points. Rejects scalar 0: in key/signature-style
      // callers a zero scalar means broken upstream plumbing, and concrete Points already reject it.
      // Uses inRange instead of Fn.isValidNot0: validateField() only certifies the arithmetic subset.
      validateMulInput(point, scalar) {
        this.assertPoint(point);
        if (!inRange(scalar, _1n3, this.Point.Fn.ORDER))
          throw new Error("invalid scalar");
      }
      // Constant-time dispatch shared by mulCT / mulCTBlinded. Un-precomputed points (W===1, e.g.
      // ECDH peer keys) skip building a throwaway cached table in favor of a small fixed-window
      // multiply. `n` must be < 2^bits.
      runCT(point, n, bits, transform) {
        const W = getWindowSize(point);
        if (W === 1)
          return this.fixedWindowCT(point, n, bits);
        return this.wnafCachedCT(this.getWnafPrecomputes(W, point, bits, transform), n);
      }
      mulCT(point, scalar, transform) {
        this.validateMulInput(point, scalar);
        return this.runCT(point, scalar, this.bits, transform);
      }
      mulCTBlinded(point, scalar, transform) {
        this.validateMulInput(point, scalar);
        if (this.randomBytes === void 0)
          throw new Error("randomBytes is required for scalar blinding");
        const bits = this.Point.Fn.BITS + BLIND_BITS;
        const blind = this.randomBytes(BLIND_BYTES);
        if (!isBytes2(blind) || blind.length !== BLIND_BYTES)
          throw new Error("randomBytes returned invalid byte array");
        blind[0] = blind[0] & 63 | 128;
        const n = scalar + bytesToNumberBE(blind) * this.Point.Fn.ORDER;
        return this.runCT(point, n, bits, transform);
      }
      /**
       * Constant-time multiplication `n*point` for an un-precomputed point, via a small fixed window.
       * A cached wNAF table only pays off when reused; a flat 2^FW_WINDOW table (`size-1` adds) is
       * far cheaper to build for a single use. The point-operation sequence is independent of `n`:
       * build the table, then per window exactly FW_WINDOW doublings, a data-oblivious scan over
       * every table entry, and one addition (adds the identity when the window digit is 0 — never
       * skipped).
       *
       * `n` must be `< 2^bits`. Assumes complete addition (adding the identity costs the same as any
       * add), which holds for the Weierstrass/Edwards point types used here. The table is left in
       * projective form (no normalizeZ): normalizing this small a table costs more than the
       * mixed-add savings it would buy for a single multiply.
       * @returns real point `p`; `f` duplicates it only to match {@link wnafCachedCT}'s return shape
       * (this path needs no fake accumulator — its op-count is already scalar-independent).
       */
      fixedWindowCT(point, n, bits) {
        const W = FW_WINDOW;
        const size = 1 << W;
        const mask = bitMask(W);
        const table = new Array(size);
        table[0] = this.ZERO;
        for (let i = 1; i < size; i++)
          table[i] = table[i - 1].add(point);
        const windows = Math.ceil(bits / W);
        let acc = this.ZERO;
        for (let window = windows - 1; window >= 0; window--) {
          if (window !== windows - 1)
            for (let d = 0; d < W; d++)
              acc = acc.double();
          const digit = Number(n >> BigInt(window * W) & mask);
          let sel = table[0];
          for (let i = 1; i < size; i++)
            sel = i === digit ? table[i] : sel;
          acc = acc.add(sel);
        }
        return { p: acc, f: acc };
      }
      shouldBlind(point, cofactor) {
        if (this.randomBytes === void 0)
          return false;
        if (cofactor === _1n3)
          return true;
        if (point !== this.BASE)
          return false;
        if (this.baseCanBeBlinded === void 0)
          this.baseCanBeBlinded = this.mulUnsafe(this.BASE, this.Point.Fn.ORDER).is0();
        return this.baseCanBeBlinded;
      }
      mulSecret(point, scalar, cofactor, transform) {
        return this.shouldBlind(point, cofactor) ? this.mulCTBlinded(point, scalar, transform) : this.mulCT(point, scalar, transform);
      }
      mulUnsafe(point, scalar, transform) {
        this.assertPoint(point);
        if (!isPosBig(scalar))
          throw new Error("invalid scalar");
        const W = getWindowSize(point);
        if (W === 1 || scalar >= this.Point.Fn.ORDER)
          return mulAddUnsafe(this.Point, [point], [scalar], true);
        const precomputes = this.getWnafPrecomputes(W, point, this.bits, transform);
        return this.wnafCachedCT(precomputes, scalar).p;
      }
      // Remembers the window size used for precomputed wNAF multiplication of the given point
      // and drops any previously built tables. Usually only the base point is precomputed.
      // W=1 resets the point to the un-precomputed (table-less) paths.
      // W is additionally capped so tables stay under ~2 GiB ({@link TABLE_BYTES_MAX}).
      setWindowSize(point, W) {
        this.assertPoint(point);
        validateW(W, this.bits);
        const windows = Math.ceil((this.bits + BLIND_BITS) / W) + 1;
        validateTableBytes(windows * 2 ** (W - 1), this.Point.Fp.BYTES);
        pointWindowSizes.set(point, W);
        this.wnafPrecomputes.delete(point);
      }
      // True when a window size is set: tables themselves are built lazily on first multiply.
      hasWindowSize(point) {
        return getWindowSize(point) !== 1;
      }
    };
  }
});

// node_modules/@noble/hashes/hmac.js
var _HMAC, hmac;
var init_hmac = __esm({
  "node_modules/@noble/hashes/hmac.js"() {
    init_utils();
    _HMAC = class {
      oHash;
      iHash;
      blockLen;
      outputLen;
      canXOF = false;
      finished = false;
      destroyed = false;
      constructor(hash, key) {
        ahash(hash);
        abytes(key, void 0, "key");
        this.iHash = hash.create();
        if (typeof this.iHash.update !== "function")
          throw new Error("expected Hash instance");
        this.blockLen = this.iHash.blockLen;
        this.outputLen = this.iHash.outputLen;
        const blockLen = this.blockLen;
        const pad = new Uint8Array(blockLen);
        pad.set(key.length > blockLen ? hash.create().update(key).digest() : key);
        for (let i = 0; i < pad.length; i++)
          pad[i] ^= 54;
        this.iHash.update(pad);
        this.oHash = hash.create();
        for (let i = 0; i < pad.length; i++)
          pad[i] ^= 54 ^ 92;
        this.oHash.update(pad);
        clean(pad);
      }
      update(buf) {
        aexists(this);
        this.iHash.update(buf);
        return this;
      }
      digestInto(out) {
        aexists(this);
        aoutput(out, this);
        this.finished = true;
        const buf = out.subarray(0, this.outputLen);
        this.iHash.digestInto(buf);
        this.oHash.update(buf);
        this.oHash.digestInto(buf);
        this.destroy();
      }
      digest() {
        const out = new Uint8Array(this.oHash.outputLen);
        this.digestInto(out);
        return out;
      }
      _cloneInto(to) {
        to ||= Object.create(Object.getPrototypeOf(this), {});
        const { oHash, iHash, finished, destroyed, blockLen, outputLen, canXOF } = this;
        to = to;
        to.finished = finished;
        to.destroyed = destroyed;
        to.blockLen = blockLen;
        to.outputLen = outputLen;
        to.canXOF = canXOF;
        to.oHash = oHash._cloneInto(to.oHash);
        to.iHash = iHash._cloneInto(to.iHash);
        return to;
      }
      clone() {
        return this._cloneInto();
      }
      destroy() {
        this.destroyed = true;
        this.oHash.destroy();
        this.iHash.destroy();
      }
    };
    hmac = /* @__PURE__ */ (() => {
      const hmac_ = ((hash, key, message) => new _HMAC(hash, key).update(message).digest());
      hmac_.create = (hash, key) => new _HMAC(hash, key);
      return hmac_;
    })();
  }
});

// node_modules/@noble/curves/abstract/der.js
var _0n4, DERErr, _DER, DER;
var init_der = __esm({
  "node_modules/@noble/curves/abstract/der.js"() {
    init_utils2();
    _0n4 = /* @__PURE__ */ BigInt(0);
    DERErr = class extends Error {
      constructor(m = "") {
        super(m);
      }
    };
    _DER = {
      // asn.1 DER encoding utils
      Err: DERErr,
      // Basic building block is TLV (Tag-Length-Value)
      _tlv: {
        encode: (tag, data) => {
          const { Err: E } = _DER;
          asafenumber(tag, "tag");
          if (tag < 0 || tag > 255)
            throw new E("tlv.encode: wrong tag");
          astring(data, "data");
          if (data.length & 1)
            throw new E("tlv.encode: unpadded data");
          const dataLen = data.length / 2;
          const len = numberToHexUnpadded(dataLen);
          if (len.length / 2 & 128)
            throw new E("tlv.encode: long form length too big");
          const lenLen = dataLen > 127 ? numberToHexUnpadded(len.length / 2 | 128) : "";
          const t = numberToHexUnpadded(tag);
          return t + lenLen + len + data;
        },
        // v - value, l - left bytes (unparsed)
        decode(tag, data) {
          const { Err: E } = _DER;
          data = abytes2(data, void 0, "DER data");
          let pos = 0;
          if (tag < 0 || tag > 255)
            throw new E("tlv.decode: wrong tag");
          if (data.length < 2 || data[pos++] !== tag)
            throw new E("tlv.decode: wrong tlv");
          const first = data[pos++];
          const isLong = !!(first & 128);
          let length = 0;
          if (!isLong)
            length = first;
          else {
            const lenLen = first & 127;
            if (!lenLen)
              throw new E("tlv.decode(long): indefinite length not supported");
            if (lenLen > 4)
              throw new E("tlv.decode(long): byte length is too big");
            const lengthBytes = data.subarray(pos, pos + lenLen);
            if (lengthBytes.length !== lenLen)
              throw new E("tlv.decode: length bytes not complete");
            if (lengthBytes[0] === 0)
              throw new E("tlv.decode(long): zero leftmost byte");
            for (const b of lengthBytes)
              length = length << 8 | b;
            pos += lenLen;
            if (length < 128)
              throw new E("tlv.decode(long): not minimal encoding");
          }
          const v = data.subarray(pos, pos + length);
          if (v.length !== length)
            throw new E("tlv.decode: wrong value length");
          return { v, l: data.subarray(pos + length) };
        }
      },
      // https://crypto.stackexchange.com/a/57734 Leftmost bit of first byte is 'negative' flag,
      // since we always use positive integers here. It must always be empty:
      // - add zero byte if exists
      // - if next byte doesn't have a flag, leading zero is not allowed (minimal encoding)
      _int: {
        encode(num) {
          const { Err: E } = _DER;
          abignumber(num);
          if (num < _0n4)
            throw new E("integer: negative integers are not allowed");
          let hex = numberToHexUnpadded(num);
          if (Number.parseInt(hex[0], 16) & 8)
            hex = "00" + hex;
          if (hex.length & 1)
            throw new E("unexpected DER parsing assertion: unpadded hex");
          return hex;
        },
        decode(data) {
          const { Err: E } = _DER;
          if (data.length < 1)
            throw new E("invalid signature integer: empty");
          if (data[0] & 128)
            throw new E("invalid signature integer: negative");
          if (data.length > 1 && data[0] === 0 && !(data[1] & 128))
            throw new E("invalid signature integer: unnecessary leading zero");
          return bytesToNumberBE(data);
        }
      },
      toSig(bytes2, maxScalarBytes) {
        const { Err: E, _int: int, _tlv: tlv } = _DER;
        if (maxScalarBytes !== void 0) {
          asafenumber(maxScalarBytes, "maxScalarBytes");
          if (maxScalarBytes < 1)
            throw new E("invalid signature: maxScalarBytes must be positive");
        }
        const data = abytes2(bytes2, void 0, "signature");
        const { v: seqBytes, l: seqLeftBytes } = tlv.decode(48, data);
        if (seqLeftBytes.length)
          throw new E("invalid signature: left bytes after parsing");
        const { v: rBytes, l: rLeftBytes } = tlv.decode(2, seqBytes);
        const { v: sBytes, l: sLeftBytes } = tlv.decode(2, rLeftBytes);
        if (sLeftBytes.length)
          throw new E("invalid signature: left bytes after parsing");
        if (maxScalarBytes !== void 0 && (rBytes.length > maxScalarBytes || sBytes.length > maxScalarBytes))
          throw new E("invalid signature: integer too large");
        return { r: int.decode(rBytes), s: int.decode(sBytes) };
      },
      hexFromSig(sig) {
        const { _tlv: tlv, _int: int } = _DER;
        validateObject(sig, { r: "bigint", s: "bigint" }, {}, "sig");
        const rs = tlv.encode(2, int.encode(sig.r));
        const ss = tlv.encode(2, int.encode(sig.s));
        const seq = rs + ss;
        return tlv.encode(48, seq);
      }
    };
    DER = /* @__PURE__ */ (() => {
      Object.freeze(_DER._tlv);
      Object.freeze(_DER._int);
      return Object.freeze(_DER);
    })();
  }
});

// node_modules/@noble/curves/abstract/weierstrass.js
function _splitEndoScalar(k, basis, n) {
  aInRange("scalar", k, _0n5, n);
  const [[a1, b1], [a2, b2]] = basis;
  const c1 = divNearest(b2 * k, n);
  const c2 = divNearest(-b1 * k, n);
  let k12 = k - c1 * a1 - c2 * a2;
  let k2 = -c1 * b1 - c2 * b2;
  const k1neg = k12 < _0n5;
  const k2neg = k2 < _0n5;
  if (k1neg)
    k12 = -k12;
  if (k2neg)
    k2 = -k2;
  const MAX_NUM = bitMask(Math.ceil(bitLen(n) / 2)) + _1n4;
  if (k12 < _0n5 || k12 >= MAX_NUM || k2 < _0n5 || k2 >= MAX_NUM) {
    throw new Error("splitScalar (endomorphism): failed for k");
  }
  return { k1neg, k1: k12, k2neg, k2 };
}
function validateSigFormat(format) {
  if (!["compact", "recovered", "der"].includes(format))
    throw new Error('Signature format must be "compact", "recovered", or "der"');
  return format;
}
function validateSigOpts(opts, def) {
  validateObject(opts);
  const optsn = {};
  for (let optName of Object.keys(def)) {
    optsn[optName] = opts[optName] === void 0 ? def[optName] : opts[optName];
  }
  abool(optsn.lowS, "lowS");
  abool(optsn.prehash, "prehash");
  if (optsn.format !== void 0)
    validateSigFormat(optsn.format);
  return optsn;
}
function weierstrass(params, extraOpts = {}) {
  const validated = createCurveFields("weierstrass", params, extraOpts);
  const Fp2 = validated.Fp;
  const Fn = validated.Fn;
  let CURVE = validated.CURVE;
  const { h: cofactor, n: CURVE_ORDER } = CURVE;
  validateObject(extraOpts, {}, {
    allowInfinityPoint: "boolean",
    clearCofactor: "function",
    isTorsionFree: "function",
    fromBytes: "function",
    toBytes: "function",
    endo: "object",
    randomBytes: "function"
  });
  const { endo: endoOpts, allowInfinityPoint, clearCofactor, isTorsionFree, fromBytes, toBytes } = extraOpts;
  const randomBytes3 = extraOpts.randomBytes === void 0 ? randomBytes2 : extraOpts.randomBytes;
  if (endoOpts) {
    if (!Fp2.is0(CURVE.a) || typeof endoOpts.beta !== "bigint" || !Array.isArray(endoOpts.basises)) {
      throw new Error('invalid endo: expected "beta": bigint and "basises": array');
    }
  }
  const endo = endoOpts ? {
    beta: endoOpts.beta,
    basises: endoOpts.basises.map((basis) => [...basis])
  } : void 0;
  const lengths = getWLengths(Fp2, Fn);
  function assertCompressionIsSupported() {
    if (!Fp2.isOdd)
      throw new Error("compression is not supported: Field does not have .isOdd()");
  }
  function pointToBytes(_c, point, isCompressed) {
    if (point.is0()) {
      if (!allowInfinityPoint)
        throw new Error("bad point: ZERO");
      return Uint8Array.of(0);
    }
    const { x, y } = point.toAffine();
    const bx = Fp2.toBytes(x);
    abool(isCompressed, "isCompressed");
    if (isCompressed) {
      assertCompressionIsSupported();
      const hasEvenY = !Fp2.isOdd(y);
      return concatBytes2(pprefix(hasEvenY), bx);
    } else {
      return concatBytes2(Uint8Array.of(4), bx, Fp2.toBytes(y));
    }
  }
  function pointFromBytes(bytes2) {
    abytes2(bytes2, void 0, "Point");
    const { publicKey: comp, publicKeyUncompressed: uncomp } = lengths;
    const length = bytes2.length;
    const head = bytes2[0];
    const tail = bytes2.subarray(1);
    if (allowInfinityPoint && length === 1 && head === 0)
      return { x: Fp2.ZERO, y: Fp2.ZERO };
    if (length === comp && (head === 2 || head === 3)) {
      const x = Fp2.fromBytes(tail);
      if (!Fp2.isValid(x))
        throw new Error("bad point: is not on curve, wrong x");
      const y2 = weierstrassEquation(x);
      let y;
      try {
        y = Fp2.sqrt(y2);
      } catch (sqrtError) {
        const err = sqrtError instanceof Error ? ": " + sqrtError.message : "";
        throw new Error("bad point: is not on curve, sqrt error" + err);
      }
      assertCompressionIsSupported();
      const evenY = Fp2.isOdd(y);
      const evenH = (head & 1) === 1;
      if (evenH !== evenY)
        y = Fp2.neg(y);
      return { x, y };
    } else if (length === uncomp && head === 4) {
      const L = Fp2.BYTES;
      const x = Fp2.fromBytes(tail.subarray(0, L));
      const y = Fp2.fromBytes(tail.subarray(L, L * 2));
      if (!isValidXY(x, y))
        throw new Error("bad point: is not on curve");
      return { x, y };
    } else {
      throw new Error(`bad point: got length ${length}, expected compressed=${comp} or uncompressed=${uncomp}`);
    }
  }
  const encodePoint = toBytes === void 0 ? pointToBytes : toBytes;
  const decodePoint = fromBytes === void 0 ? pointFromBytes : fromBytes;
  const b3 = Fp2.mul(CURVE.b, _3n2);
  const mulA = Fp2.is0(CURVE.a) ? (_) => Fp2.ZERO : (x) => Fp2.mul(CURVE.a, x);
  function weierstrassEquation(x) {
    const x2 = Fp2.sqr(x);
    const x3 = Fp2.mul(x2, x);
    return Fp2.add(Fp2.add(x3, Fp2.mul(x, CURVE.a)), CURVE.b);
  }
  function isValidXY(x, y) {
    const left = Fp2.sqr(y);
    const right = weierstrassEquation(x);
    return Fp2.eql(left, right);
  }
  if (!isValidXY(CURVE.Gx, CURVE.Gy))
    throw new Error("bad curve params: generator point");
  const _4a3 = Fp2.mul(Fp2.pow(CURVE.a, _3n2), _4n3);
  const _27b2 = Fp2.mul(Fp2.sqr(CURVE.b), BigInt(27));
  if (Fp2.is0(Fp2.add(_4a3, _27b2)))
    throw new Error("bad curve params: a or b");
  function acoord(title, n, banZero = false) {
    if (!Fp2.isValid(n) || banZero && Fp2.is0(n))
      throw new Error(`bad point coordinate ${title}`);
    return typeof n === "object" && n !== null ? Fp2.create(n) : n;
  }
  function aprjpoint(other) {
    if (!(other instanceof Point))
      throw new Error("Weierstrass Point expected");
  }
  function splitEndoScalarN(k) {
    if (!endo || !endo.basises)
      throw new Error("no endo");
    return _splitEndoScalar(k, endo.basises, Fn.ORDER);
  }
  function pushWnafPair(points, scalars, p, k) {
    if (!Fn.isValid(k))
      throw new RangeError("invalid scalar: out of range");
    if (endo) {
      const { k1neg, k1: k12, k2neg, k2 } = splitEndoScalarN(k);
      const psi = new Point(Fp2.mul(p.X, endo.beta), p.Y, p.Z);
      points.push(k1neg ? p.negate() : p, k2neg ? psi.negate() : psi);
      scalars.push(k12, k2);
    } else {
      points.push(p);
      scalars.push(k);
    }
  }
  const validityCache = /* @__PURE__ */ new WeakSet();
  class Point {
    static BASE = new Point(CURVE.Gx, CURVE.Gy, Fp2.ONE);
    static ZERO = new Point(Fp2.ZERO, Fp2.ONE, Fp2.ZERO);
    static Fp = Fp2;
    static Fn = Fn;
    X;
    Y;
    Z;
    /** Does NOT validate if the point is valid. Use `.assertValidity()`. */
    constructor(X, Y, Z) {
      this.X = acoord("x", X);
      this.Y = acoord("y", Y, true);
      this.Z = acoord("z", Z);
      Object.freeze(this);
    }
    static CURVE() {
      return CURVE;
    }
    /** Does NOT validate if the point is valid. Use `.assertValidity()`. */
    static fromAffine(p) {
      const { x, y } = p || {};
      if (!p || !Fp2.isValid(x) || !Fp2.isValid(y))
        throw new Error("invalid affine point");
      if (p instanceof Point)
        throw new Error("projective point not allowed");
      if (Fp2.is0(x) && Fp2.is0(y))
        return Point.ZERO;
      return new Point(x, y, Fp2.ONE);
    }
    static fromBytes(bytes2) {
      const P = Point.fromAffine(decodePoint(abytes2(bytes2, void 0, "point")));
      P.assertValidity();
      return P;
    }
    static fromHex(hex) {
      return Point.fromBytes(hexToBytes2(hex));
    }
    get x() {
      return this.toAffine().x;
    }
    get y() {
      return this.toAffine().y;
    }
    /**
     * @param isLazy - true will defer table computation until the first multiplication
     */
    precompute(windowSize = 6, isLazy = true) {
      wnaf.setWindowSize(this, windowSize);
      if (!isLazy)
        this.multiply(_3n2);
      return this;
    }
    // TODO: return `this`
    /** A point on curve is valid if it conforms to equation. */
    assertValidity() {
      const p = this;
      if (p.is0()) {
        if (allowInfinityPoint && Fp2.is0(p.X) && Fp2.eql(p.Y, Fp2.ONE) && Fp2.is0(p.Z))
          return;
        throw new Error("bad point: ZERO");
      }
      if (validityCache.has(p))
        return;
      const { x, y } = p.toAffine();
      if (!Fp2.isValid(x) || !Fp2.isValid(y))
        throw new Error("bad point: x or y not field elements");
      if (!isValidXY(x, y))
        throw new Error("bad point: equation left != right");
      if (!p.isTorsionFree())
        throw new Error("bad point: not in prime-order subgroup");
      validityCache.add(p);
    }
    hasEvenY() {
      const { y } = this.toAffine();
      if (!Fp2.isOdd)
        throw new Error("Field doesn't support isOdd");
      return !Fp2.isOdd(y);
    }
    /** Compare one point to another. */
    equals(other) {
      aprjpoint(other);
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const { X: X2, Y: Y2, Z: Z2 } = other;
      const U1 = Fp2.eql(Fp2.mul(X1, Z2), Fp2.mul(X2, Z1));
      const U2 = Fp2.eql(Fp2.mul(Y1, Z2), Fp2.mul(Y2, Z1));
      return U1 && U2;
    }
    /** Flips point to one corresponding to (x, -y) in Affine coordinates. */
    negate() {
      return new Point(this.X, Fp2.neg(this.Y), this.Z);
    }
    // Renes-Costello-Batina exception-free doubling formula.
    // There is 30% faster Jacobian formula, but it is not complete.
    // https://eprint.iacr.org/2015/1060, algorithm 3
    // Cost: 8M + 3S + 3*a + 2*b3 + 15add.
    double() {
      const { X: X1, Y: Y1, Z: Z1 } = this;
      let X3 = Fp2.ZERO, Y3 = Fp2.ZERO, Z3 = Fp2.ZERO;
      let t0 = Fp2.mul(X1, X1);
      let t1 = Fp2.mul(Y1, Y1);
      let t2 = Fp2.mul(Z1, Z1);
      let t3 = Fp2.mul(X1, Y1);
      t3 = Fp2.add(t3, t3);
      Z3 = Fp2.mul(X1, Z1);
      Z3 = Fp2.add(Z3, Z3);
      X3 = mulA(Z3);
      Y3 = Fp2.mul(b3, t2);
      Y3 = Fp2.add(X3, Y3);
      X3 = Fp2.sub(t1, Y3);
      Y3 = Fp2.add(t1, Y3);
      Y3 = Fp2.mul(X3, Y3);
      X3 = Fp2.mul(t3, X3);
      Z3 = Fp2.mul(b3, Z3);
      t2 = mulA(t2);
      t3 = Fp2.sub(t0, t2);
      t3 = mulA(t3);
      t3 = Fp2.add(t3, Z3);
      Z3 = Fp2.add(t0, t0);
      t0 = Fp2.add(Z3, t0);
      t0 = Fp2.add(t0, t2);
      t0 = Fp2.mul(t0, t3);
      Y3 = Fp2.add(Y3, t0);
      t2 = Fp2.mul(Y1, Z1);
      t2 = Fp2.add(t2, t2);
      t0 = Fp2.mul(t2, t3);
      X3 = Fp2.sub(X3, t0);
      Z3 = Fp2.mul(t2, t1);
      Z3 = Fp2.add(Z3, Z3);
      Z3 = Fp2.add(Z3, Z3);
      return new Point(X3, Y3, Z3);
    }
    // Renes-Costello-Batina exception-free addition formula.
    // There is 30% faster Jacobian formula, but it is not complete.
    // https://eprint.iacr.org/2015/1060, algorithm 1
    // Cost: 12M + 0S + 3*a + 3*b3 + 23add.
    add(other) {
      aprjpoint(other);
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const { X: X2, Y: Y2, Z: Z2 } = other;
      let X3 = Fp2.ZERO, Y3 = Fp2.ZERO, Z3 = Fp2.ZERO;
      let t0 = Fp2.mul(X1, X2);
      let t1 = Fp2.mul(Y1, Y2);
      let t2 = Fp2.mul(Z1, Z2);
      let t3 = Fp2.add(X1, Y1);
      let t4 = Fp2.add(X2, Y2);
      t3 = Fp2.mul(t3, t4);
      t4 = Fp2.add(t0, t1);
      t3 = Fp2.sub(t3, t4);
      t4 = Fp2.add(X1, Z1);
      let t5 = Fp2.add(X2, Z2);
      t4 = Fp2.mul(t4, t5);
      t5 = Fp2.add(t0, t2);
      t4 = Fp2.sub(t4, t5);
      t5 = Fp2.add(Y1, Z1);
      X3 = Fp2.add(Y2, Z2);
      t5 = Fp2.mul(t5, X3);
      X3 = Fp2.add(t1, t2);
      t5 = Fp2.sub(t5, X3);
      Z3 = mulA(t4);
      X3 = Fp2.mul(b3, t2);
      Z3 = Fp2.add(X3, Z3);
      X3 = Fp2.sub(t1, Z3);
      Z3 = Fp2.add(t1, Z3);
      Y3 = Fp2.mul(X3, Z3);
      t1 = Fp2.add(t0, t0);
      t1 = Fp2.add(t1, t0);
      t2 = mulA(t2);
      t4 = Fp2.mul(b3, t4);
      t1 = Fp2.add(t1, t2);
      t2 = Fp2.sub(t0, t2);
      t2 = mulA(t2);
      t4 = Fp2.add(t4, t2);
      t0 = Fp2.mul(t1, t4);
      Y3 = Fp2.add(Y3, t0);
      t0 = Fp2.mul(t5, t4);
      X3 = Fp2.mul(t3, X3);
      X3 = Fp2.sub(X3, t0);
      t0 = Fp2.mul(t3, t1);
      Z3 = Fp2.mul(t5, Z3);
      Z3 = Fp2.add(Z3, t0);
      return new Point(X3, Y3, Z3);
    }
    subtract(other) {
      aprjpoint(other);
      return this.add(other.negate());
    }
    is0() {
      return this.equals(Point.ZERO);
    }
    /**
     * Constant time multiplication.
     * Uses precomputed tables (signed fixed-window wNAF) when available.
     * Uses scalar blinding and avoids endomorphism splitting in the secret-scalar path.
     * @param scalar - by which the point would be multiplied
     * @returns New point
     */
    multiply(scalar) {
      if (!Fn.isValidNot0(scalar))
        throw new RangeError("invalid scalar: out of range");
      const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
      return normalize([p, f])[0];
    }
    /**
     * Non-constant-time multiplication. Uses width-4 wNAF with GLV endomorphism splitting
     * when available (two half-width scalars sharing one halved doubling chain).
     * It's faster, but should only be used when you don't care about
     * an exposed secret key e.g. sig verification, which works over *public* keys.
     */
    multiplyUnsafe(scalar) {
      const p = this;
      const sc = scalar;
      if (!Fn.isValid(sc))
        throw new RangeError("invalid scalar: out of range");
      if (sc === _0n5 || p.is0())
        return Point.ZERO;
      if (sc === _1n4)
        return p;
      if (wnaf.hasWindowSize(this))
        return wnaf.mulUnsafe(p, sc, normalize);
      const points = [];
      const scalars = [];
      pushWnafPair(points, scalars, p, sc);
      return mulAddUnsafe(Point, points, scalars);
    }
    /**
     * Non-constant-time double-scalar multiplication `a⋅this + b⋅other` (Strauss–Shamir).
     * Both walks share one doubling chain via {@link mulAddUnsafe}, and GLV endomorphism
     * (when available) halves the chain again by splitting each scalar into two half-width
     * parts. Used by ECDSA verification and public-key recovery for `R = u1⋅G + u2⋅P`.
     * Only for public scalars.
     */
    mulAddUnsafe(a, other, b) {
      aprjpoint(other);
      const points = [];
      const scalars = [];
      pushWnafPair(points, scalars, this, a);
      pushWnafPair(points, scalars, other, b);
      return mulAddUnsafe(Point, points, scalars);
    }
    /**
     * Converts Projective point to affine (x, y) coordinates.
     * (X, Y, Z) ∋ (x=X/Z, y=Y/Z).
     * @param invertedZ - Z^-1 (inverted zero) - optional, precomputation is useful for invertBatch
     */
    toAffine(invertedZ) {
      const p = this;
      let iz = invertedZ;
      if (iz != null && !Fp2.isValid(iz))
        throw new RangeError('"invertedZ" expected valid field element');
      const { X, Y, Z } = p;
      if (Fp2.eql(Z, Fp2.ONE))
        return { x: X, y: Y };
      const is0 = p.is0();
      if (iz == null)
        iz = is0 ? Fp2.ONE : Fp2.inv(Z);
      const x = Fp2.mul(X, iz);
      const y = Fp2.mul(Y, iz);
      const zz = Fp2.mul(Z, iz);
      if (is0)
        return { x: Fp2.ZERO, y: Fp2.ZERO };
      if (!Fp2.eql(zz, Fp2.ONE))
        throw new Error("invZ was invalid");
      return { x, y };
    }
    /**
     * Checks whether Point is free of torsion elements (is in prime subgroup).
     * Always torsion-free for cofactor=1 curves.
     */
    isTorsionFree() {
      if (cofactor === _1n4)
        return true;
      if (isTorsionFree)
        return isTorsionFree(Point, this);
      return wnaf.mulUnsafe(this, CURVE_ORDER).is0();
    }
    clearCofactor() {
      if (cofactor === _1n4)
        return this;
      if (clearCofactor)
        return clearCofactor(Point, this);
      return this.multiplyUnsafe(cofactor);
    }
    isSmallOrder() {
      if (cofactor === _1n4)
        return this.is0();
      return this.clearCofactor().is0();
    }
    toBytes(isCompressed = true) {
      abool(isCompressed, "isCompressed");
      this.assertValidity();
      return encodePoint(Point, this, isCompressed);
    }
    toHex(isCompressed = true) {
      return bytesToHex2(this.toBytes(isCompressed));
    }
    toString() {
      return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
    }
  }
  const normalize = (points) => normalizeZ(Point, points);
  const wnaf = new ScalarMultiplier(Point, randomBytes3);
  if (wnaf.bits >= 6)
    Point.BASE.precompute(6);
  Object.freeze(Point.prototype);
  Object.freeze(Point);
  return Point;
}
function pprefix(hasEvenY) {
  return Uint8Array.of(hasEvenY ? 2 : 3);
}
function getWLengths(Fp2, Fn) {
  return {
    secretKey: Fn.BYTES,
    publicKey: 1 + Fp2.BYTES,
    publicKeyUncompressed: 1 + 2 * Fp2.BYTES,
    publicKeyHasPrefix: true,
    // Raw compact `(r || s)` signature width; DER and recovered signatures use
    // different lengths outside this helper.
    signature: 2 * Fn.BYTES
  };
}
function ecdh(Point, ecdhOpts = {}) {
  validatePointCons(Point);
  const { Fn } = Point;
  const randomBytes_ = ecdhOpts.randomBytes === void 0 ? randomBytes2 : ecdhOpts.randomBytes;
  const lengths = Object.assign(getWLengths(Point.Fp, Fn), {
    seed: Math.max(getMinHashLength(Fn.ORDER), 16)
  });
  function isValidSecretKey(secretKey) {
    try {
      const num = Fn.fromBytes(secretKey);
      return Fn.isValidNot0(num);
    } catch (error) {
      return false;
    }
  }
  function isValidPublicKey(publicKey2, isCompressed) {
    const { publicKey: comp, publicKeyUncompressed } = lengths;
    try {
      const l = publicKey2.length;
      if (isCompressed === true && l !== comp)
        return false;
      if (isCompressed === false && l !== publicKeyUncompressed)
        return false;
      return !Point.fromBytes(publicKey2).is0();
    } catch (error) {
      return false;
    }
  }
  function randomSecretKey(seed) {
    seed = seed === void 0 ? randomBytes_(lengths.seed) : seed;
    return mapHashToField(abytes2(seed, lengths.seed, "seed"), Fn.ORDER);
  }
  function getPublicKey(secretKey, isCompressed = true) {
    return Point.BASE.multiply(Fn.fromBytes(secretKey)).toBytes(isCompressed);
  }
  function isProbPub(item) {
    const { secretKey, publicKey: publicKey2, publicKeyUncompressed } = lengths;
    const allowedLengths = Fn._lengths;
    if (!isBytes2(item))
      return void 0;
    const l = abytes2(item, void 0, "key").length;
    const isPub = l === publicKey2 || l === publicKeyUncompressed;
    const isSec = l === secretKey || !!allowedLengths?.includes(l);
    if (isPub && isSec)
      return void 0;
    return isPub;
  }
  function getSharedSecret(secretKeyA, publicKeyB, isCompressed = true) {
    if (isProbPub(secretKeyA) === true)
      throw new Error("first arg must be private key");
    if (isProbPub(publicKeyB) === false)
      throw new Error("second arg must be public key");
    const s = Fn.fromBytes(secretKeyA);
    const b = Point.fromBytes(publicKeyB);
    if (b.is0())
      throw new Error("invalid public key: point at infinity");
    return b.multiply(s).toBytes(isCompressed);
  }
  const utils = {
    isValidSecretKey,
    isValidPublicKey,
    randomSecretKey
  };
  const keygen = createKeygen(randomSecretKey, getPublicKey);
  Object.freeze(utils);
  Object.freeze(lengths);
  return Object.freeze({ getPublicKey, getSharedSecret, keygen, Point, utils, lengths });
}
function ecdsa(Point, hash, ecdsaOpts = {}) {
  validatePointCons(Point);
  const hash_ = hash;
  ahash(hash_);
  validateObject(ecdsaOpts, {}, {
    hmac: "function",
    lowS: "boolean",
    randomBytes: "function",
    bits2int: "function",
    bits2int_modN: "function"
  });
  const opts = Object.assign({}, ecdsaOpts);
  const randomBytes3 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const hmac2 = opts.hmac === void 0 ? (key, msg) => hmac(hash_, key, msg) : opts.hmac;
  const { Fp: Fp2, Fn } = Point;
  const { ORDER: CURVE_ORDER, BITS: fnBits } = Fn;
  const blindLength = getMinHashLength(CURVE_ORDER);
  const csprng = probeRandomBytes(randomBytes3, blindLength);
  const { keygen, getPublicKey, getSharedSecret, utils, lengths } = ecdh(Point, opts);
  const defaultSigOpts = {
    prehash: true,
    lowS: typeof opts.lowS === "boolean" ? opts.lowS : true,
    format: "compact",
    extraEntropy: false
  };
  const hasLargeRecoveryLifts = CURVE_ORDER * _2n2 + _1n4 < Fp2.ORDER;
  function isBiggerThanHalfOrder(number2) {
    const HALF = CURVE_ORDER >> _1n4;
    return number2 > HALF;
  }
  function validateRS(title, num) {
    if (!Fn.isValidNot0(num))
      throw new Error(`invalid signature ${title}: out of range 1..Point.Fn.ORDER`);
    return num;
  }
  function assertFieldSignIsSupported() {
    if (!Fp2.isOdd)
      throw new Error("Field doesn't support isOdd");
  }
  function getRecoveryBit(x, y, r) {
    assertFieldSignIsSupported();
    return (x === r ? 0 : 2) | Number(Fp2.isOdd(y));
  }
  function assertRecoverableCurve() {
    if (hasLargeRecoveryLifts)
      throw new Error('"recovered" sig type is not supported for cofactor >2 curves');
  }
  function validateSigLength(bytes2, format) {
    validateSigFormat(format);
    const size = lengths.signature;
    const sizer = format === "compact" ? size : format === "recovered" ? size + 1 : void 0;
    return abytes2(bytes2, sizer);
  }
  class Signature {
    r;
    s;
    recovery;
    constructor(r, s, recovery) {
      this.r = validateRS("r", r);
      this.s = validateRS("s", s);
      if (recovery != null) {
        assertRecoverableCurve();
        if (![0, 1, 2, 3].includes(recovery))
          throw new Error("invalid recovery id");
        this.recovery = recovery;
      }
      Object.freeze(this);
    }
    static fromBytes(bytes2, format = defaultSigOpts.format) {
      validateSigLength(bytes2, format);
      let recid;
      if (format === "der") {
        if (bytes2.length > 2 * Fn.BYTES + 16)
          throw new DER.Err("invalid signature: DER signature too long");
        const { r: r2, s: s2 } = DER.toSig(abytes2(bytes2), Fn.BYTES + 1);
        return new Signature(r2, s2);
      }
      if (format === "recovered") {
        recid = bytes2[0];
        format = "compact";
        bytes2 = bytes2.subarray(1);
      }
      const L = lengths.signature / 2;
      const r = bytes2.subarray(0, L);
      const s = bytes2.subarray(L, L * 2);
      return new Signature(Fn.fromBytes(r), Fn.fromBytes(s), recid);
    }
    static fromHex(hex, format) {
      return this.fromBytes(hexToBytes2(hex), format);
    }
    assertRecovery() {
      const { recovery } = this;
      if (recovery == null)
        throw new Error("invalid recovery id: must be present");
      return recovery;
    }
    addRecoveryBit(recovery) {
      return new Signature(this.r, this.s, recovery);
    }
    // Unlike the top-level helper below, this method expects a digest that has
    // already been hashed to the curve's message representative.
    recoverPublicKey(messageHash) {
      const { r, s } = this;
      const recovery = this.assertRecovery();
      const radj = recovery === 2 || recovery === 3 ? r + CURVE_ORDER : r;
      if (!Fp2.isValid(radj))
        throw new Error("invalid recovery id: sig.r+curve.n != R.x");
      const x = Fp2.toBytes(radj);
      const R = Point.fromBytes(concatBytes2(pprefix((recovery & 1) === 0), x));
      const ir = Fn.inv(radj);
      const h = bits2int_modN(abytes2(messageHash, void 0, "msgHash"));
      const u1 = Fn.create(-h * ir);
      const u2 = Fn.create(s * ir);
      const Q = Point.BASE.mulAddUnsafe(u1, R, u2);
      if (Q.is0())
        throw new Error("invalid recovery: point at infinify");
      Q.assertValidity();
      return Q;
    }
    // Signatures should be low-s, to prevent malleability.
    hasHighS() {
      return isBiggerThanHalfOrder(this.s);
    }
    toBytes(format = defaultSigOpts.format) {
      validateSigFormat(format);
      if (format === "der")
        return hexToBytes2(DER.hexFromSig(this));
      const { r, s } = this;
      const rb = Fn.toBytes(r);
      const sb = Fn.toBytes(s);
      if (format === "recovered") {
        assertRecoverableCurve();
        return concatBytes2(Uint8Array.of(this.assertRecovery()), rb, sb);
      }
      return concatBytes2(rb, sb);
    }
    toHex(format) {
      return bytesToHex2(this.toBytes(format));
    }
  }
  Object.freeze(Signature.prototype);
  Object.freeze(Signature);
  const bits2int = opts.bits2int === void 0 ? function bits2int_def(bytes2) {
    if (bytes2.length > 8192)
      throw new Error("input is too large");
    const num = bytesToNumberBE(bytes2);
    const delta = bytes2.length * 8 - fnBits;
    return delta > 0 ? num >> BigInt(delta) : num;
  } : opts.bits2int;
  const bits2int_modN = opts.bits2int_modN === void 0 ? function bits2int_modN_def(bytes2) {
    return Fn.create(bits2int(bytes2));
  } : opts.bits2int_modN;
  const ORDER_MASK = bitMask(fnBits);
  function int2octets(num) {
    aInRange("num < 2^" + fnBits, num, _0n5, ORDER_MASK);
    return Fn.toBytes(num);
  }
  function validateMsgAndHash(message, prehash) {
    abytes2(message, void 0, "message");
    return prehash ? abytes2(hash_(message), void 0, "prehashed message") : message;
  }
  function prepSig(message, secretKey, opts2) {
    const { lowS, prehash, extraEntropy } = validateSigOpts(opts2, defaultSigOpts);
    message = validateMsgAndHash(message, prehash);
    const h1int = bits2int_modN(message);
    const d = Fn.fromBytes(secretKey);
    if (!Fn.isValidNot0(d))
      throw new Error("invalid private key");
    const seedArgs = [int2octets(d), int2octets(h1int)];
    if (extraEntropy != null && extraEntropy !== false) {
      const e = extraEntropy === true ? randomBytes3(lengths.secretKey) : extraEntropy;
      seedArgs.push(abytes2(e, void 0, "extraEntropy"));
    }
    const seed = concatBytes2(...seedArgs);
    const m = h1int;
    function k2sig(kBytes) {
      const k = bits2int(kBytes);
      if (!Fn.isValidNot0(k))
        return;
      const q = Point.BASE.multiply(k).toAffine();
      const r = Fn.create(q.x);
      if (r === _0n5)
        return;
      let s;
      if (csprng !== void 0) {
        const b = bytesToNumberBE(mapHashToField(csprng(blindLength), CURVE_ORDER));
        const ibk = Fn.inv(Fn.mul(b, k));
        const bm = Fn.mul(b, m);
        const bd = Fn.mul(b, d);
        s = Fn.create(ibk * Fn.create(bm + bd * r));
      } else {
        const ik = invertCt(k, CURVE_ORDER);
        s = Fn.create(ik * Fn.create(m + r * d));
      }
      if (s === _0n5)
        return;
      let recovery = getRecoveryBit(q.x, q.y, r);
      let normS = s;
      if (lowS && isBiggerThanHalfOrder(s)) {
        normS = Fn.neg(s);
        recovery ^= 1;
      }
      return new Signature(r, normS, hasLargeRecoveryLifts ? void 0 : recovery);
    }
    return { seed, k2sig };
  }
  function sign(message, secretKey, opts2 = {}) {
    const { seed, k2sig } = prepSig(message, secretKey, opts2);
    const drbg = createHmacDrbg(hash_.outputLen, Fn.BYTES, hmac2);
    const sig = drbg(seed, k2sig);
    return sig.toBytes(opts2.format);
  }
  function verify(signature, message, publicKey2, opts2 = {}) {
    const { lowS, prehash, format } = validateSigOpts(opts2, defaultSigOpts);
    publicKey2 = abytes2(publicKey2, void 0, "publicKey");
    message = validateMsgAndHash(message, prehash);
    if (!isBytes2(signature)) {
      const end = signature instanceof Signature ? ", use sig.toBytes()" : "";
      throw new Error("verify expects Uint8Array signature" + end);
    }
    validateSigLength(signature, format);
    try {
      const sig = Signature.fromBytes(signature, format);
      const P = Point.fromBytes(publicKey2);
      if (P.is0())
        return false;
      if (lowS && sig.hasHighS())
        return false;
      const { r, s } = sig;
      const h = bits2int_modN(message);
      const is = Fn.inv(s);
      const u1 = Fn.create(h * is);
      const u2 = Fn.create(r * is);
      const R = Point.BASE.mulAddUnsafe(u1, P, u2);
      if (R.is0())
        return false;
      const q = R.toAffine();
      const v = Fn.create(q.x);
      if (v !== r)
        return false;
      if (format === "recovered" && sig.recovery !== getRecoveryBit(q.x, q.y, r))
        return false;
      return true;
    } catch (e) {
      return false;
    }
  }
  function recoverPublicKey(signature, message, opts2 = {}) {
    const { prehash } = validateSigOpts(opts2, defaultSigOpts);
    message = validateMsgAndHash(message, prehash);
    return Signature.fromBytes(signature, "recovered").recoverPublicKey(message).toBytes();
  }
  return Object.freeze({
    keygen,
    getPublicKey,
    getSharedSecret,
    utils,
    lengths,
    Point,
    sign,
    verify,
    recoverPublicKey,
    Signature,
    hash: hash_
  });
}
var divNearest, _0n5, _1n4, _2n2, _3n2, _4n3;
var init_weierstrass = __esm({
  "node_modules/@noble/curves/abstract/weierstrass.js"() {
    init_hmac();
    init_utils();
    init_utils2();
    init_curve();
    init_der();
    init_modular();
    divNearest = (num, den) => (num + (num >= 0 ? den : -den) / _2n2) / den;
    _0n5 = /* @__PURE__ */ BigInt(0);
    _1n4 = /* @__PURE__ */ BigInt(1);
    _2n2 = /* @__PURE__ */ BigInt(2);
    _3n2 = /* @__PURE__ */ BigInt(3);
    _4n3 = /* @__PURE__ */ BigInt(4);
  }
});

// node_modules/@noble/curves/nist.js
var p256_CURVE, p384_CURVE, p521_CURVE, p256_Point, p256, p384_Point, p384, p521_Point, p521;
var init_nist = __esm({
  "node_modules/@noble/curves/nist.js"() {
    init_sha2();
    init_weierstrass();
    p256_CURVE = /* @__PURE__ */ (() => ({
      p: BigInt("0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
      n: BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
      h: BigInt(1),
      a: BigInt("0xffffffff00000001000000000000000000000000fffffffffffffffffffffffc"),
      b: BigInt("0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
      Gx: BigInt("0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
      Gy: BigInt("0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")
    }))();
    p384_CURVE = /* @__PURE__ */ (() => ({
      p: BigInt("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
      n: BigInt("0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
      h: BigInt(1),
      a: BigInt("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc"),
      b: BigInt("0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
      Gx: BigInt("0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"),
      Gy: BigInt("0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f")
    }))();
    p521_CURVE = /* @__PURE__ */ (() => ({
      p: BigInt("0x1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
      n: BigInt("0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"),
      h: BigInt(1),
      a: BigInt("0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc"),
      b: BigInt("0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00"),
      Gx: BigInt("0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66"),
      Gy: BigInt("0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650")
    }))();
    p256_Point = /* @__PURE__ */ weierstrass(p256_CURVE);
    p256 = /* @__PURE__ */ ecdsa(p256_Point, sha256);
    p384_Point = /* @__PURE__ */ weierstrass(p384_CURVE);
    p384 = /* @__PURE__ */ ecdsa(p384_Point, sha384);
    p521_Point = /* @__PURE__ */ weierstrass(p521_CURVE);
    p521 = /* @__PURE__ */ ecdsa(p521_Point, sha512);
  }
});

// src/keys/presets/nist.ts
var nist_exports = {};
__export(nist_exports, {
  p256: () => p256,
  p384: () => p384,
  p521: () => p521
});
var init_nist2 = __esm({
  "src/keys/presets/nist.ts"() {
    "use strict";
    init_nist();
    for (const curve of [p256, p384, p521]) curve.Point.BASE.precompute(1);
  }
});

// node_modules/@noble/curves/secp256k1.js
function sqrtMod(y) {
  const P = secp256k1_CURVE.p;
  const _3n3 = BigInt(3), _6n = BigInt(6), _11n = BigInt(11), _22n = BigInt(22);
  const _23n = BigInt(23), _44n = BigInt(44), _88n = BigInt(88);
  const b2 = y * y * y % P;
  const b3 = b2 * b2 * y % P;
  const b6 = pow2(b3, _3n3, P) * b3 % P;
  const b9 = pow2(b6, _3n3, P) * b3 % P;
  const b11 = pow2(b9, _2n3, P) * b2 % P;
  const b22 = pow2(b11, _11n, P) * b11 % P;
  const b44 = pow2(b22, _22n, P) * b22 % P;
  const b88 = pow2(b44, _44n, P) * b44 % P;
  const b176 = pow2(b88, _88n, P) * b88 % P;
  const b220 = pow2(b176, _44n, P) * b44 % P;
  const b223 = pow2(b220, _3n3, P) * b3 % P;
  const t1 = pow2(b223, _23n, P) * b22 % P;
  const t2 = pow2(t1, _6n, P) * b2 % P;
  const root = pow2(t2, _2n3, P);
  if (!Fpk1.eql(Fpk1.sqr(root), y))
    throw new Error("Cannot find square root");
  return root;
}
var secp256k1_CURVE, secp256k1_ENDO, _2n3, Fpk1, Pointk1, secp256k1;
var init_secp256k1 = __esm({
  "node_modules/@noble/curves/secp256k1.js"() {
    init_sha2();
    init_modular();
    init_weierstrass();
    secp256k1_CURVE = {
      p: BigInt("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"),
      n: BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
      h: BigInt(1),
      a: BigInt(0),
      b: BigInt(7),
      Gx: BigInt("0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
      Gy: BigInt("0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
    };
    secp256k1_ENDO = {
      beta: BigInt("0x7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501ee"),
      basises: [
        [BigInt("0x3086d221a7d46bcde86c90e49284eb15"), -BigInt("0xe4437ed6010e88286f547fa90abfe4c3")],
        [BigInt("0x114ca50f7a8e2f3f657c1108d9d44cfd8"), BigInt("0x3086d221a7d46bcde86c90e49284eb15")]
      ]
    };
    _2n3 = /* @__PURE__ */ BigInt(2);
    Fpk1 = /* @__PURE__ */ Field(secp256k1_CURVE.p, { sqrt: sqrtMod });
    Pointk1 = /* @__PURE__ */ weierstrass(secp256k1_CURVE, {
      Fp: Fpk1,
      endo: secp256k1_ENDO
    });
    secp256k1 = /* @__PURE__ */ ecdsa(Pointk1, sha256);
  }
});

// src/keys/presets/secp256k1.ts
var secp256k1_exports = {};
__export(secp256k1_exports, {
  secp256k1: () => secp256k1
});
var init_secp256k12 = __esm({
  "src/keys/presets/secp256k1.ts"() {
    "use strict";
    init_secp256k1();
    secp256k1.Point.BASE.precompute(1);
  }
});

// node_modules/@noble/curves/abstract/edwards.js
function isEdValidXY(Fp2, CURVE, x, y) {
  const x2 = Fp2.sqr(x);
  const y2 = Fp2.sqr(y);
  const left = Fp2.add(Fp2.mul(CURVE.a, x2), y2);
  const right = Fp2.add(Fp2.ONE, Fp2.mul(CURVE.d, Fp2.mul(x2, y2)));
  return Fp2.eql(left, right);
}
function edwards(params, extraOpts = {}) {
  validateObject(extraOpts, {}, {}, "extraOpts");
  const opts = extraOpts;
  const validated = createCurveFields("edwards", params, opts, opts.FpFnLE);
  const { Fp: Fp2, Fn } = validated;
  let CURVE = validated.CURVE;
  const { h: cofactor } = CURVE;
  if (FpLegendre(Fp2, CURVE.a) !== 1)
    throw new Error("edwards: CURVE.a must be a square in Fp for complete addition formulas");
  if (FpLegendre(Fp2, CURVE.d) !== -1)
    throw new Error("edwards: CURVE.d must be a non-square in Fp for complete addition formulas");
  validateObject(opts, {}, { uvRatio: "function", randomBytes: "function" });
  const randomBytes3 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const MASK = _2n4 << BigInt(Fp2.BYTES * 8) - _1n5;
  function isOdd(n) {
    if (!Fp2.isOdd)
      throw new Error("Field does not have .isOdd()");
    return Fp2.isOdd(n);
  }
  const uvRatio2 = opts.uvRatio === void 0 ? (u, v) => {
    try {
      return { isValid: true, value: Fp2.sqrt(Fp2.div(u, v)) };
    } catch (e) {
      return { isValid: false, value: _0n6 };
    }
  } : opts.uvRatio;
  if (!isEdValidXY(Fp2, CURVE, CURVE.Gx, CURVE.Gy))
    throw new Error("bad curve params: generator point");
  const mulA = Fp2.eql(CURVE.a, Fp2.neg(Fp2.ONE)) ? (x) => Fp2.neg(x) : Fp2.eql(CURVE.a, Fp2.ONE) ? (x) => x : (x) => Fp2.mul(CURVE.a, x);
  function acoord(title, n, banZero = false) {
    const min = banZero ? _1n5 : _0n6;
    aInRange("coordinate " + title, n, min, MASK);
    return n;
  }
  function aedpoint(other) {
    if (!(other instanceof Point))
      throw new Error("EdwardsPoint expected");
  }
  class Point {
    static BASE = new Point(CURVE.Gx, CURVE.Gy, Fp2.ONE, Fp2.mul(CURVE.Gx, CURVE.Gy));
    static ZERO = new Point(Fp2.ZERO, Fp2.ONE, Fp2.ONE, Fp2.ZERO);
    static Fp = Fp2;
    static Fn = Fn;
    X;
    Y;
    Z;
    T;
    constructor(X, Y, Z, T) {
      this.X = acoord("x", X);
      this.Y = acoord("y", Y);
      this.Z = acoord("z", Z, true);
      this.T = acoord("t", T);
      Object.freeze(this);
    }
    static CURVE() {
      return CURVE;
    }
    /**
     * Create one extended Edwards point from affine coordinates.
     * Does NOT validate that the point is on-curve or torsion-free.
     * Use `.assertValidity()` on adversarial inputs.
     */
    static fromAffine(p) {
      if (p instanceof Point)
        throw new Error("extended point not allowed");
      const { x, y } = p || {};
      acoord("x", x);
      acoord("y", y);
      return new Point(x, y, Fp2.ONE, Fp2.mul(x, y));
    }
    // Uses algo from RFC8032 5.1.3.
    static fromBytes(bytes2, zip215 = false) {
      const len = Fp2.BYTES;
      const { a, d } = CURVE;
      bytes2 = copyBytes(abytes2(bytes2, len, "point"));
      abool(zip215, "zip215");
      const normed = copyBytes(bytes2);
      const lastByte = bytes2[len - 1];
      normed[len - 1] = lastByte & ~128;
      const y = bytesToNumberLE(normed);
      const max = zip215 ? MASK : Fp2.ORDER;
      aInRange("point.y", y, _0n6, max);
      const y2 = Fp2.sqr(y);
      const u = Fp2.sub(y2, Fp2.ONE);
      const v = Fp2.sub(Fp2.mulN(d, y2), a);
      let { isValid, value: x } = uvRatio2(u, v);
      if (!isValid)
        throw new Error("bad point: invalid y coordinate");
      const isXOdd = isOdd(x);
      const isLastByteOdd = (lastByte & 128) !== 0;
      if (!zip215 && Fp2.is0(x) && isLastByteOdd)
        throw new Error("bad point: x=0 and x_0=1");
      if (isLastByteOdd !== isXOdd)
        x = Fp2.neg(x);
      return Point.fromAffine({ x, y });
    }
    static fromHex(hex, zip215 = false) {
      return Point.fromBytes(hexToBytes2(hex), zip215);
    }
    get x() {
      return this.toAffine().x;
    }
    get y() {
      return this.toAffine().y;
    }
    precompute(windowSize = 6, isLazy = true) {
      wnaf.setWindowSize(this, windowSize);
      if (!isLazy)
        this.multiply(_2n4);
      return this;
    }
    // Useful in fromAffine() - not for fromBytes(), which always created valid points.
    assertValidity() {
      const p = this;
      const { a, d } = CURVE;
      if (p.is0())
        throw new Error("bad point: ZERO");
      const { X, Y, Z, T } = p;
      const X2 = Fp2.sqr(X);
      const Y2 = Fp2.sqr(Y);
      const Z2 = Fp2.sqr(Z);
      const Z4 = Fp2.sqr(Z2);
      const aX2 = Fp2.mul(X2, a);
      const left = Fp2.mul(Fp2.add(aX2, Y2), Z2);
      const right = Fp2.add(Z4, Fp2.mul(d, Fp2.mul(X2, Y2)));
      if (!Fp2.eql(left, right))
        throw new Error("bad point: equation left != right (1)");
      const XY = Fp2.mul(X, Y);
      const ZT = Fp2.mul(Z, T);
      if (!Fp2.eql(XY, ZT))
        throw new Error("bad point: equation left != right (2)");
    }
    // Compare one point to another.
    equals(other) {
      aedpoint(other);
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const { X: X2, Y: Y2, Z: Z2 } = other;
      const X1Z2 = Fp2.mul(X1, Z2);
      const X2Z1 = Fp2.mul(X2, Z1);
      const Y1Z2 = Fp2.mul(Y1, Z2);
      const Y2Z1 = Fp2.mul(Y2, Z1);
      return Fp2.eql(X1Z2, X2Z1) && Fp2.eql(Y1Z2, Y2Z1);
    }
    is0() {
      return this.equals(Point.ZERO);
    }
    negate() {
      return new Point(Fp2.neg(this.X), this.Y, this.Z, Fp2.neg(this.T));
    }
    // Fast algo for doubling Extended Point.
    // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#doubling-dbl-2008-hwcd
    // Cost: 4M + 4S + 1*a + 6add + 1*2.
    double() {
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const A = Fp2.sqr(X1);
      const B = Fp2.sqr(Y1);
      const C = Fp2.mul(Fp2.sqr(Z1), _2n4);
      const D = mulA(A);
      const x1y1 = Fp2.addN(X1, Y1);
      const E = Fp2.sub(Fp2.subN(Fp2.sqr(x1y1), A), B);
      const G = Fp2.addN(D, B);
      const F = Fp2.subN(G, C);
      const H = Fp2.subN(D, B);
      const X3 = Fp2.mul(E, F);
      const Y3 = Fp2.mul(G, H);
      const T3 = Fp2.mul(E, H);
      const Z3 = Fp2.mul(F, G);
      return new Point(X3, Y3, Z3, T3);
    }
    // Fast algo for adding 2 Extended Points.
    // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#addition-add-2008-hwcd
    // Cost: 9M + 1*a + 1*d + 7add.
    add(other) {
      aedpoint(other);
      const { d } = CURVE;
      const { X: X1, Y: Y1, Z: Z1, T: T1 } = this;
      const { X: X2, Y: Y2, Z: Z2, T: T2 } = other;
      const A = Fp2.mul(X1, X2);
      const B = Fp2.mul(Y1, Y2);
      const C = Fp2.mul(Fp2.mulN(T1, d), T2);
      const D = Fp2.mul(Z1, Z2);
      const E = Fp2.sub(Fp2.subN(Fp2.mulN(Fp2.addN(X1, Y1), Fp2.addN(X2, Y2)), A), B);
      const F = Fp2.subN(D, C);
      const G = Fp2.addN(D, C);
      const H = Fp2.sub(B, mulA(A));
      const X3 = Fp2.mul(E, F);
      const Y3 = Fp2.mul(G, H);
      const T3 = Fp2.mul(E, H);
      const Z3 = Fp2.mul(F, G);
      return new Point(X3, Y3, Z3, T3);
    }
    subtract(other) {
      aedpoint(other);
      return this.add(other.negate());
    }
    // Constant-time multiplication.
    multiply(scalar) {
      if (!Fn.isValidNot0(scalar))
        throw new RangeError("invalid scalar: expected 1 <= sc < curve.n");
      const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
      return normalize([p, f])[0];
    }
    // Non-constant-time multiplication. Uses double-and-add algorithm.
    // It's faster, but should only be used when you don't care about
    // an exposed private key e.g. sig verification.
    // Keeps the same subgroup-scalar contract: 0 is allowed for public-scalar callers, but
    // n and larger values are rejected instead of being reduced mod n to the identity point.
    multiplyUnsafe(scalar) {
      if (!Fn.isValid(scalar))
        throw new RangeError("invalid scalar: expected 0 <= sc < curve.n");
      if (scalar === _0n6)
        return Point.ZERO;
      if (this.is0() || scalar === _1n5)
        return this;
      return wnaf.mulUnsafe(this, scalar, normalize);
    }
    // Checks if point is of small order.
    // If you add something to small order point, you will have "dirty"
    // point with torsion component.
    // Clears cofactor and checks if the result is 0.
    isSmallOrder() {
      return this.clearCofactor().is0();
    }
    // Multiplies point by curve order and checks if the result is 0.
    // Returns `false` is the point is dirty.
    isTorsionFree() {
      return wnaf.mulUnsafe(this, CURVE.n).is0();
    }
    // Converts Extended point to default (x, y) coordinates.
    // Can accept precomputed Z^-1 - for example, from invertBatch.
    toAffine(invertedZ) {
      const p = this;
      let iz = invertedZ;
      if (iz != null && typeof iz !== "bigint")
        throw new TypeError('"invertedZ" expected bigint, got type=' + typeof iz);
      const { X, Y, Z } = p;
      const is0 = p.is0();
      if (iz == null)
        iz = is0 ? Fp2.create(_8n2) : Fp2.inv(Z);
      const x = Fp2.mul(X, iz);
      const y = Fp2.mul(Y, iz);
      const zz = Fp2.mul(Z, iz);
      if (is0)
        return { x: Fp2.ZERO, y: Fp2.ONE };
      if (!Fp2.eql(zz, Fp2.ONE))
        throw new Error("invZ was invalid");
      return { x, y };
    }
    clearCofactor() {
      if (cofactor === _1n5)
        return this;
      if (cofactor === _2n4)
        return this.double();
      if (cofactor === _4n4)
        return this.double().double();
      if (cofactor === _8n2)
        return this.double().double().double();
      return this.multiplyUnsafe(cofactor);
    }
    toBytes() {
      const { x, y } = this.toAffine();
      const bytes2 = Fp2.toBytes(y);
      bytes2[bytes2.length - 1] |= isOdd(x) ? 128 : 0;
      return bytes2;
    }
    toHex() {
      return bytesToHex2(this.toBytes());
    }
    toString() {
      return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
    }
  }
  const normalize = (points) => normalizeZ(Point, points);
  const wnaf = new ScalarMultiplier(Point, randomBytes3);
  if (wnaf.bits >= 6)
    Point.BASE.precompute(6);
  Object.freeze(Point.prototype);
  Object.freeze(Point);
  return Point;
}
function eddsa(Point, cHash, eddsaOpts = {}) {
  validatePointCons(Point);
  if (typeof cHash !== "function")
    throw new Error('"hash" function param is required');
  const hash = cHash;
  const opts = eddsaOpts;
  validateObject(opts, {}, {
    adjustScalarBytes: "function",
    randomBytes: "function",
    domain: "function",
    prehash: "function",
    zip215: "boolean",
    mapToCurve: "function",
    toMontgomery: "function",
    toMontgomerySecret: "function"
  });
  const { prehash } = opts;
  const { BASE, Fp: Fp2, Fn } = Point;
  const outputLen = hash.outputLen;
  const expectedLen = 2 * Fp2.BYTES;
  if (outputLen !== void 0) {
    asafenumber(outputLen, "hash.outputLen");
    if (outputLen !== expectedLen)
      throw new Error(`hash.outputLen must be ${expectedLen}, got ${outputLen}`);
  }
  const randomBytes3 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const toMontgomery2 = opts.toMontgomery;
  const toMontgomerySecret2 = opts.toMontgomerySecret;
  const adjustScalarBytes2 = opts.adjustScalarBytes === void 0 ? (bytes2) => bytes2 : opts.adjustScalarBytes;
  const domain = opts.domain === void 0 ? (data, ctx, phflag) => {
    abool(phflag, "phflag");
    if (ctx.length || phflag)
      throw new Error("Contexts/pre-hash are not supported");
    return data;
  } : opts.domain;
  function modN_LE(hash2) {
    return Fn.create(bytesToNumberLE(hash2));
  }
  function getPrivateScalar(key) {
    const len = lengths.secretKey;
    abytes2(key, lengths.secretKey, "secretKey");
    const hashed = abytes2(hash(key), 2 * len, "hashedSecretKey");
    const head = adjustScalarBytes2(hashed.slice(0, len));
    const prefix = hashed.slice(len, 2 * len);
    const scalar = modN_LE(head);
    return { head, prefix, scalar };
  }
  function getExtendedPublicKey(secretKey) {
    const { head, prefix, scalar } = getPrivateScalar(secretKey);
    const point = BASE.multiply(scalar);
    const pointBytes = point.toBytes();
    return { head, prefix, scalar, point, pointBytes };
  }
  function getPublicKey(secretKey) {
    return getExtendedPublicKey(secretKey).pointBytes;
  }
  function hashDomainToScalar(context = Uint8Array.of(), ...msgs) {
    const msg = concatBytes2(...msgs);
    return modN_LE(hash(domain(msg, abytes2(context, void 0, "context"), !!prehash)));
  }
  function sign(msg, secretKey, options = {}) {
    validateObject(options, {}, {}, "options");
    msg = copyBytes(abytes2(msg, void 0, "message"));
    if (prehash)
      msg = prehash(msg);
    const { prefix, scalar, pointBytes } = getExtendedPublicKey(secretKey);
    const r = hashDomainToScalar(options.context, prefix, msg);
    const R = BASE.multiply(r).toBytes();
    const k = hashDomainToScalar(options.context, R, pointBytes, msg);
    const s = Fn.create(r + k * scalar);
    if (!Fn.isValid(s))
      throw new Error("sign failed: invalid s");
    const rs = concatBytes2(R, Fn.toBytes(s));
    return abytes2(rs, lengths.signature, "result");
  }
  const verifyOpts = {
    zip215: opts.zip215
  };
  function verify(sig, msg, publicKey2, options = verifyOpts) {
    validateObject(options);
    const { context } = options;
    const zip215 = options.zip215 === void 0 ? !!verifyOpts.zip215 : options.zip215;
    const len = lengths.signature;
    sig = abytes2(sig, len, "signature");
    msg = abytes2(msg, void 0, "message");
    publicKey2 = abytes2(publicKey2, lengths.publicKey, "publicKey");
    if (zip215 !== void 0)
      abool(zip215, "zip215");
    if (prehash)
      msg = prehash(msg);
    const mid = len / 2;
    const r = sig.subarray(0, mid);
    const s = bytesToNumberLE(sig.subarray(mid, len));
    let A, R, SB;
    try {
      A = Point.fromBytes(publicKey2, zip215);
      R = Point.fromBytes(r, zip215);
      SB = BASE.multiplyUnsafe(s);
    } catch (error) {
      return false;
    }
    if (!zip215 && A.isSmallOrder())
      return false;
    const k = hashDomainToScalar(context, r, publicKey2, msg);
    const RkA = R.add(A.multiplyUnsafe(k));
    return RkA.subtract(SB).clearCofactor().is0();
  }
  const _size = Fp2.BYTES;
  const lengths = {
    secretKey: _size,
    publicKey: _size,
    signature: 2 * _size,
    seed: _size
  };
  function randomSecretKey(seed) {
    seed = seed === void 0 ? randomBytes3(lengths.seed) : seed;
    return abytes2(seed, lengths.seed, "seed");
  }
  function isValidSecretKey(key) {
    return isBytes2(key) && key.length === lengths.secretKey;
  }
  function isValidPublicKey(key, zip215) {
    try {
      return !!Point.fromBytes(key, zip215 === void 0 ? verifyOpts.zip215 : zip215);
    } catch (error) {
      return false;
    }
  }
  const utils = {
    getExtendedPublicKey,
    randomSecretKey,
    isValidSecretKey,
    isValidPublicKey,
    /** Converts an Edwards public key to a companion Montgomery public key. */
    toMontgomery(publicKey2) {
      if (toMontgomery2 === void 0)
        throw new Error("Montgomery conversion is not supported for this curve");
      return toMontgomery2(Point.fromBytes(publicKey2));
    },
    toMontgomerySecret(secretKey) {
      if (toMontgomerySecret2 === void 0)
        throw new Error("Montgomery conversion is not supported for this curve");
      return toMontgomerySecret2(secretKey);
    }
  };
  Object.freeze(lengths);
  Object.freeze(utils);
  return Object.freeze({
    keygen: createKeygen(randomSecretKey, getPublicKey),
    getPublicKey,
    sign,
    verify,
    utils,
    Point,
    lengths
  });
}
var _0n6, _1n5, _2n4, _4n4, _8n2;
var init_edwards = __esm({
  "node_modules/@noble/curves/abstract/edwards.js"() {
    init_utils2();
    init_curve();
    init_modular();
    _0n6 = /* @__PURE__ */ BigInt(0);
    _1n5 = /* @__PURE__ */ BigInt(1);
    _2n4 = /* @__PURE__ */ BigInt(2);
    _4n4 = /* @__PURE__ */ BigInt(4);
    _8n2 = /* @__PURE__ */ BigInt(8);
  }
});

// node_modules/@noble/curves/ed25519.js
function ed25519_pow_2_252_3(x) {
  const _10n = BigInt(10), _20n = BigInt(20), _40n = BigInt(40), _80n = BigInt(80);
  const P = ed25519_CURVE_p;
  const x2 = x * x % P;
  const b2 = x2 * x % P;
  const b4 = pow2(b2, _2n5, P) * b2 % P;
  const b5 = pow2(b4, _1n6, P) * x % P;
  const b10 = pow2(b5, _5n2, P) * b5 % P;
  const b20 = pow2(b10, _10n, P) * b10 % P;
  const b40 = pow2(b20, _20n, P) * b20 % P;
  const b80 = pow2(b40, _40n, P) * b40 % P;
  const b160 = pow2(b80, _80n, P) * b80 % P;
  const b240 = pow2(b160, _80n, P) * b80 % P;
  const b250 = pow2(b240, _10n, P) * b10 % P;
  const pow_p_5_8 = pow2(b250, _2n5, P) * x % P;
  return { pow_p_5_8, b2 };
}
function adjustScalarBytes(bytes2) {
  bytes2[0] &= 248;
  bytes2[31] &= 127;
  bytes2[31] |= 64;
  return bytes2;
}
function uvRatio(u, v) {
  const P = ed25519_CURVE_p;
  const v3 = mod(v * v * v, P);
  const v7 = mod(v3 * v3 * v, P);
  const pow4 = ed25519_pow_2_252_3(u * v7).pow_p_5_8;
  let x = mod(u * v3 * pow4, P);
  const vx2 = mod(v * x * x, P);
  const root1 = x;
  const root2 = mod(x * ED25519_SQRT_M1, P);
  const useRoot1 = vx2 === u;
  const useRoot2 = vx2 === mod(-u, P);
  const noRoot = vx2 === mod(-u * ED25519_SQRT_M1, P);
  if (useRoot1)
    x = root1;
  if (useRoot2 || noRoot)
    x = root2;
  if (isNegativeLE(x, P))
    x = mod(-x, P);
  return { isValid: useRoot1 || useRoot2, value: x };
}
function toMontgomery(point) {
  const { y } = point;
  return Fp.toBytes(Fp.div(_1n6 + y, _1n6 - y));
}
function toMontgomerySecret(secretKey) {
  const size = ed25519_Point.Fp.BYTES;
  abytes(secretKey, size);
  return adjustScalarBytes(sha512(secretKey.subarray(0, size))).subarray(0, size);
}
function ed(opts) {
  return eddsa(ed25519_Point, sha512, Object.assign({ adjustScalarBytes, toMontgomery, toMontgomerySecret, zip215: true }, opts));
}
var _1n6, _2n5, _5n2, _8n3, ed25519_CURVE_p, ed25519_CURVE, ED25519_SQRT_M1, ed25519_Point, Fp, ed25519;
var init_ed25519 = __esm({
  "node_modules/@noble/curves/ed25519.js"() {
    init_sha2();
    init_utils();
    init_edwards();
    init_modular();
    _1n6 = /* @__PURE__ */ BigInt(1);
    _2n5 = /* @__PURE__ */ BigInt(2);
    _5n2 = /* @__PURE__ */ BigInt(5);
    _8n3 = /* @__PURE__ */ BigInt(8);
    ed25519_CURVE_p = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
    ed25519_CURVE = /* @__PURE__ */ (() => ({
      p: ed25519_CURVE_p,
      n: BigInt("0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed"),
      h: _8n3,
      a: BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"),
      d: BigInt("0x52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3"),
      Gx: BigInt("0x216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a"),
      Gy: BigInt("0x6666666666666666666666666666666666666666666666666666666666666658")
    }))();
    ED25519_SQRT_M1 = /* @__PURE__ */ BigInt("19681161376707505956807079304988542015446066515923890162744021073123829784752");
    ed25519_Point = /* @__PURE__ */ edwards(ed25519_CURVE, { uvRatio });
    Fp = /* @__PURE__ */ (() => ed25519_Point.Fp)();
    ed25519 = /* @__PURE__ */ ed({});
  }
});

// src/keys/presets/ed25519.ts
var ed25519_exports = {};
__export(ed25519_exports, {
  ed25519: () => ed25519
});
var init_ed255192 = __esm({
  "src/keys/presets/ed25519.ts"() {
    "use strict";
    init_ed25519();
    ed25519.Point.BASE.precompute(1);
  }
});

// node_modules/micro-rsa-dsa-dh/utils.js
function isBytes3(a) {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array";
}
function ensureBytes(title, hex, expectedLength) {
  let res;
  if (typeof hex === "string") {
    try {
      res = hexToBytes(hex);
    } catch (e) {
      throw new Error(`${title} must be valid hex string, got "${hex}". Cause: ${e}`);
    }
  } else if (isBytes3(hex)) {
    res = Uint8Array.from(hex);
  } else {
    throw new Error(`${title} must be hex string or Uint8Array`);
  }
  const len = res.length;
  if (typeof expectedLength === "number" && len !== expectedLength)
    throw new Error(`${title} expected ${expectedLength} bytes, got ${len}`);
  return res;
}
function I2OSP(x, xLen) {
  if (x >= 256n ** BigInt(xLen))
    throw new Error("integer too large");
  const res = new Uint8Array(xLen);
  for (let i = xLen - 1; i >= 0; i--) {
    res[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return res;
}
function OS2IP(X) {
  let x = 0n;
  for (let i = 0; i < X.length; i++)
    x = (x << 8n) + BigInt(X[i]);
  return x;
}
function pow3(num, power, modulo) {
  if (modulo <= 0n || power < 0n)
    throw new Error("Expected power/modulo > 0");
  if (modulo === 1n)
    return 0n;
  let res = 1n;
  while (power > 0n) {
    if (power & 1n)
      res = res * num % modulo;
    num = num * num % modulo;
    power >>= 1n;
  }
  return res;
}
var init_utils3 = __esm({
  "node_modules/micro-rsa-dsa-dh/utils.js"() {
    init_utils();
  }
});

// node_modules/micro-rsa-dsa-dh/rsa.js
function equalBytes(a, b) {
  if (a.length !== b.length)
    return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++)
    diff |= a[i] ^ b[i];
  return diff === 0;
}
function RSASP1(privateKey, m) {
  const { n } = privateKey;
  if (m < 0n || m >= n)
    throw new Error("message representative out of range");
  return pow3(m, privateKey.d, n);
}
function RSAVP1(publicKey2, s) {
  const { n, e } = publicKey2;
  if (s < 0n || s >= n)
    return false;
  return pow3(s, e, n);
}
function EMSA_PKCS1_V1_5_ENCODE(hash, prefix, M, emLen) {
  const H = hash(M);
  const T = concatBytes(hexToBytes(prefix), H);
  const tLen = T.length;
  if (emLen < tLen + 11)
    throw new Error("intended encoded message length too short");
  const PS = new Uint8Array(emLen - tLen - 3).fill(255);
  return concatBytes(new Uint8Array([0, 1]), PS, new Uint8Array([0]), T);
}
var validatePublicKey, validatePrivateKey, PKCS1, PKCS1_SHA256;
var init_rsa = __esm({
  "node_modules/micro-rsa-dsa-dh/rsa.js"() {
    init_sha2();
    init_utils();
    init_utils3();
    validatePublicKey = (key) => {
      if (key === null || typeof key !== "object" || typeof key.n !== "bigint" || typeof key.e !== "bigint")
        throw new Error("wrong private key");
    };
    validatePrivateKey = (key) => {
      if (key === null || typeof key !== "object" || typeof key.n !== "bigint" || typeof key.d !== "bigint")
        throw new Error("wrong private key");
    };
    PKCS1 = (hash, prefix) => ({
      verify(publicKey2, M, S) {
        validatePublicKey(publicKey2);
        M = ensureBytes("message", M);
        S = ensureBytes("signature", S);
        const { n, e } = publicKey2;
        const k = Math.ceil(n.toString(16).length / 2);
        if (S.length !== k)
          return false;
        const s = OS2IP(S);
        const m = RSAVP1({ n, e }, s);
        if (m === false)
          return false;
        const EM = I2OSP(m, k);
        if (EM.length !== k)
          return false;
        const EMprime = EMSA_PKCS1_V1_5_ENCODE(hash, prefix, M, k);
        return equalBytes(EM, EMprime);
      },
      sign(privateKey, M) {
        validatePrivateKey(privateKey);
        M = ensureBytes("message", M);
        const { n, d } = privateKey;
        const k = Math.ceil(n.toString(16).length / 2);
        const EM = EMSA_PKCS1_V1_5_ENCODE(hash, prefix, M, k);
        const m = OS2IP(EM);
        const s = RSASP1({ n, d }, m);
        return I2OSP(s, k);
      }
    });
    PKCS1_SHA256 = /* @__PURE__ */ PKCS1(sha256, "3031300d060960864801650304020105000420");
  }
});

// src/keys/presets/rsa.ts
var rsa_exports = {};
__export(rsa_exports, {
  PKCS1_SHA256: () => PKCS1_SHA256
});
var init_rsa2 = __esm({
  "src/keys/presets/rsa.ts"() {
    "use strict";
    init_rsa();
  }
});

// src/keys/presets/sha2.ts
var sha2_exports = {};
__export(sha2_exports, {
  sha256: () => sha256
});
var init_sha22 = __esm({
  "src/keys/presets/sha2.ts"() {
    "use strict";
    init_sha2();
  }
});

// src/insomnia-plugin/index.ts
var index_exports = {};
__export(index_exports, {
  nodeTransport: () => nodeTransport,
  requestHooks: () => requestHooks,
  signHook: () => signHook
});
module.exports = __toCommonJS(index_exports);

// src/errors/index.ts
var SignerError = class extends Error {
  constructor(code, what, fix) {
    super(`Dfns signer: ${what}. ${fix}`);
    this.name = "SignerError";
    this.code = code;
    this.what = what;
    this.fix = fix;
  }
};
function asSignerError(e) {
  if (e instanceof SignerError) return e;
  const detail = e && typeof e === "object" && "message" in e ? String(e.message) : String(e);
  return new SignerError(
    "internal",
    `unexpected internal error (${detail.slice(0, 200)})`,
    "Please report it with the Dfns signer version shown in the first line of the script"
  );
}

// src/errors/request.ts
var noHost = (url) => new SignerError("url-no-host", `the request URL "${url.slice(0, 100)}" has no host`, "Use a URL like https://{{dfnsApiDomain}}/wallets");
var insecure = (authority) => new SignerError(
  "url-insecure",
  `the request URL is plain http://${authority}, which would send authToken unencrypted`,
  "Use https://{{dfnsApiDomain}}/…; plain http reaches only localhost, 127.0.0.0/8 and ::1"
);
var schemeInApiDomain = (apiDomain, host) => new SignerError(
  "url-no-host",
  `dfnsApiDomain is ${apiDomain.trim()}, with its scheme, so the request would go to a host named ${host}`,
  "Set dfnsApiDomain to the host only, e.g. api.dfns.io"
);
var dotSegments = (path) => new SignerError(
  "url-dot-segments",
  `the request path ${path} holds a . or .. segment or a backslash, which clients send differently`,
  "Write the path without them"
);
var strayPercent = (path) => new SignerError("url-malformed", `the request path ${path} holds a % not followed by two hex digits`, "Write it as %25");
var emptyPathVariable = (name, param, flag) => new SignerError(
  "template-empty",
  `the path variable ${name} is empty`,
  `${param ? `Give it a value in the Params tab, or the value ${param} and set ${name}` : `Set ${name}`}${flag ? ` (${flag} ${name}=…)` : " in the environment"}`
);
function unresolvedVariable(where, reference) {
  const name = reference.replace(/^(\{\{|<<)\s*(_\.)?|\s*(\}\}|>>)$/g, "");
  const scopes = reference.charAt(0) === "<" ? "the environment" : "the environment or the collection";
  const dynamic = reference.charAt(0) === "{" ? ", use a dynamic variable such as {{$randomUUID}}" : "";
  return new SignerError(
    "template-unresolved",
    `${where} holds ${reference}, but ${name} is not defined when the signer runs (a request-level script may set it only after the request was signed)`,
    `Define ${name} in ${scopes}, set it in a script that runs before the signer${dynamic}, or run the signer after your own code (at the end of the request's own pre-request script)`
  );
}
var unsignableBody = (kind, where) => new SignerError("body-not-json", `the request body is ${kind}, but Dfns signs JSON bodies only`, `Set the body to ${where}`);
var ambiguousPath = (what, fix) => new SignerError("url-ambiguous", `the request path holds ${what}, so the path Insomnia sends could differ from the path signed`, fix);

// src/request.ts
var DEFAULT_PORT = { http: "80", https: "443" };
var PATH_ENCODE = /[\ud800-\udbff][\udc00-\udfff]|[\u0000-\u0020"#<>?`{}\u007f-\uffff]/g;
function encodePath(path) {
  return path.replace(PATH_ENCODE, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch (_e) {
      return "%EF%BF%BD";
    }
  });
}
function splitAuthority(authority) {
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  const hostname = (m ? m[1] : hostPort).toLowerCase().replace(/\.$/, "");
  return { hostname, port: m && m[2] || "" };
}
function parseUrl(url, encode2 = encodePath) {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#]*)([^?#]*)/.exec(url.trim());
  const scheme = (m[1] || "http").toLowerCase();
  const authority = m[2].slice(m[2].lastIndexOf("@") + 1);
  const { hostname, port: written } = splitAuthority(authority);
  if (!hostname) throw noHost(url);
  const port = written === DEFAULT_PORT[scheme] ? "" : written;
  return {
    href: url,
    scheme,
    authority,
    hostname,
    port,
    origin: `${scheme}://${hostname}${port ? `:${port}` : ""}`,
    path: encode2(m[3] || "/") || "/"
  };
}
function hostKey(hostname, port) {
  return port ? `${hostname}:${port}` : hostname;
}
function refusePath(url) {
  if (/(^|\/)(\.|%2e){1,2}(\/|$)|\\/i.test(url.path)) throw dotSegments(url.path);
  if (/%(?![0-9a-f]{2})/i.test(url.path)) throw strayPercent(url.path);
}

// src/clients/insomnia-url.ts
var URL_PARSE_ESCAPES = /[{}|\\^`'"<> \t\r\n]/g;
var PATH_KEEPS = ":@$+,;=";
function escapeForUrlParse(text2) {
  return text2.replace(URL_PARSE_ESCAPES, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
function encodeCodePoint(ch) {
  try {
    return encodeURIComponent(ch);
  } catch (_e) {
    return "%EF%BF%BD";
  }
}
function flexibleEncode(text2, keep) {
  const out = [];
  const chars = Array.from(text2.replace(/%20/g, " "));
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === "%" && /^[0-9a-fA-F]{2}$/.test((chars[i + 1] || "") + (chars[i + 2] || ""))) {
      out.push(ch + chars[i + 1] + chars[i + 2]);
      i += 2;
    } else out.push(keep.indexOf(ch) >= 0 ? ch : encodeCodePoint(ch));
  }
  return out.join("").replace(/__ENC__([0-9a-fA-F]{2})/g, "%$1");
}
function insomniaPath(path) {
  return path.split("\\").map(
    (part) => escapeForUrlParse(part).split("/").map((segment) => flexibleEncode(segment, PATH_KEEPS)).join("/")
  ).join("\\");
}
function decodeOrKeep(text2) {
  try {
    return decodeURIComponent(text2);
  } catch (_e) {
    return text2;
  }
}
function insomniaQuery(query) {
  const pairs = [];
  escapeForUrlParse(query).split("&").forEach((pair) => {
    const eq = pair.indexOf("=");
    const name = flexibleEncode(decodeOrKeep(eq < 0 ? pair : pair.slice(0, eq)), "");
    if (!name) return;
    if (eq < 0) pairs.push(name);
    else pairs.push(`${name}=${flexibleEncode(decodeOrKeep(pair.slice(eq + 1)), "").replace(/%2C/gi, ",")}`);
  });
  return pairs.join("&");
}
function insomniaUrl(url) {
  const trimmed = url.trim();
  const withScheme = trimmed.indexOf("://") < 0 ? `http://${trimmed}` : trimmed;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#\\]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(withScheme);
  if (!m) return withScheme;
  const [, scheme, authority, path, query, hash] = m;
  const at = authority.lastIndexOf("@");
  const host = `${authority.slice(0, at + 1)}${authority.slice(at + 1).toLowerCase()}`;
  const encodedQuery = query === void 0 ? "" : `?${insomniaQuery(query)}`;
  const encodedHash = hash === void 0 ? "" : `#${escapeForUrlParse(hash)}`;
  return `${scheme.toLowerCase()}${host}${insomniaPath(path || "/")}${encodedQuery}${encodedHash}`;
}
function insomniaPathAmbiguity(path) {
  if (path.indexOf("'") >= 0) return "' (sent as %27 by Insomnia 10 and as ' by newer versions)";
  if (/[\u0000-\u001f\u007f]/.test(path)) return "a control character (tab, line break…), which Insomnia versions encode differently";
  if (/__RAW__[0-9a-fA-F]{2}/.test(path)) return "__RAW__ and two hex digits, which Insomnia rewrites";
  try {
    encodeURIComponent(path);
  } catch (_e) {
    return "a lone UTF-16 surrogate, which Insomnia cannot encode";
  }
  return void 0;
}

// src/clients/client.ts
var ANSWER_HEADERS = ["retry-after", "location"];
var TimedOut = class extends Error {
  constructor(ms) {
    super(`no answer in ${ms / 1e3} s`);
    this.ms = ms;
    this.code = "DFNS_SIGNER_TIMEOUT";
  }
};
async function secret(client, name) {
  return client.variable(name) ?? (client.vaultSecret && await client.vaultSecret(name));
}

// src/clients/shared.ts
function present(value) {
  return value === void 0 || value === null || String(value).trim() === "" ? void 0 : String(value);
}
function headerOf(headers, name) {
  const lower = name.toLowerCase();
  let found;
  Object.keys(headers || {}).forEach((key) => {
    const value = headers[key];
    if (key.toLowerCase() === lower && present(value) !== void 0) found = String(value);
  });
  return found;
}
function mustacheReference(value) {
  const m = /\{\{[^{}]*\}\}|\{%[^%]*%\}/.exec(value);
  return m ? m[0] : void 0;
}
var splitUrl = (url) => /^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#]*)([^?#]*)(.*)$/.exec(url).slice(1);
function requestFacts(request) {
  return {
    method: String(request.method).toUpperCase(),
    url: parseUrl(request.url, request.encodePath),
    authorization: request.auth !== void 0 ? request.auth : request.header("Authorization"),
    userAction: request.header("X-DFNS-USERACTION"),
    unsendable: request.unsendable
  };
}
var sleepWithTimers = typeof setTimeout === "function" ? (ms) => new Promise((resolve) => {
  setTimeout(resolve, ms);
}) : void 0;
function answerHeaders(get) {
  const out = {};
  ANSWER_HEADERS.forEach((name) => {
    const value = get(name);
    if (value !== void 0 && value !== null && value !== false) out[name] = String(value);
  });
  return out;
}
var answerHeadersOf = (headers) => answerHeaders((name) => headerOf(headers && typeof headers === "object" ? headers : {}, name));

// src/clients/insomnia-plugin.ts
function insomniaPluginClient(context, transport) {
  const r = context.request;
  return {
    variable(name) {
      const value = r.getEnvironmentVariable(name);
      if (value === void 0 || value === null) return void 0;
      return present(typeof value === "object" ? JSON.stringify(value) : String(value));
    },
    request() {
      const auth = r.getAuthentication() || {};
      const placeholder = /\/:([^/?#:]+)/.exec(splitUrl(r.getUrl())[1]);
      return requestFacts({
        method: r.getMethod(),
        url: r.getUrl(),
        header: (name) => present(r.getHeader(name)),
        // Rendered, and added as a header after the hooks only where no Authorization header is (parse-header-strings.ts).
        auth: typeof auth.type !== "string" || auth.type === "none" || auth.disabled === true || present(r.getHeader("Authorization")) !== void 0 ? void 0 : auth.type === "bearer" ? `${auth.prefix || "Bearer"} ${auth.token || ""}` : auth.type,
        encodePath: insomniaPath,
        // A path parameter Insomnia left as written (/:walletId): it had no value when rendered.
        unsendable: placeholder ? emptyPathVariable(placeholder[1], `{{ _.${placeholder[1]} }}`, "") : void 0
      });
    },
    body() {
      const body = r.getBody();
      if (!body) return "";
      if (body.params && body.params.length || body.fileName) throw unsignableBody("a form or a file", "JSON (Body > JSON)");
      return typeof body.text === "string" ? body.text : "";
    },
    unresolved: mustacheReference,
    reference(name) {
      return `{{ _.${name} }}`;
    },
    freeze() {
      const url = r.getUrl();
      const sent = insomniaUrl(url);
      if (sent === url) return;
      const signed = parseUrl(url, insomniaPath).path;
      if (typeof r.setUrl === "function" && typeof r.settingEncodeUrl === "function" && parseUrl(sent, (path) => path).path === signed) {
        r.setUrl(sent);
        r.settingEncodeUrl(false);
        return;
      }
      const odd = insomniaPathAmbiguity(parseUrl(url, (path) => path).path);
      if (odd) throw ambiguousPath(odd, "Write the path without it (percent-encoded in the URL itself, e.g. %27 for ')");
    },
    send: transport,
    sleep: sleepWithTimers,
    setHeader(name, value) {
      r.setHeader(name, value);
    },
    replaceBody(text2) {
      r.setBody({ mimeType: "application/json", text: text2 });
    },
    log(line) {
      console.log(line);
    },
    report(error) {
      console.error(error.message);
      try {
        if (context.app && typeof context.app.alert === "function") {
          const shown = context.app.alert("Dfns signer", error.message);
          if (shown && typeof shown.then === "function") shown.then(void 0, () => void 0);
        }
      } catch (_e) {
      }
    },
    stop() {
      return "throw";
    }
  };
}

// src/clients/node-transport.ts
var http = __toESM(require("http"), 1);
var https = __toESM(require("https"), 1);
function nodeTransport(request, timeoutMs) {
  return new Promise((resolve, reject) => {
    const client = /^https:/i.test(request.url) ? https : http;
    const body = Buffer.from(request.body, "utf8");
    const outgoing = client.request(
      request.url,
      { method: request.method, headers: { ...request.headers, "Content-Length": String(body.length) }, timeout: timeoutMs, agent: false },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on(
          "end",
          () => resolve({
            status: response.statusCode || 0,
            text: Buffer.concat(chunks).toString("utf8"),
            headers: answerHeadersOf(response.headers)
          })
        );
        response.on("error", reject);
      }
    );
    outgoing.on("timeout", () => outgoing.destroy(new TimedOut(timeoutMs)));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

// src/errors/credential.ts
var none = (otherKinds) => new SignerError(
  "credential-none",
  `Dfns offers no Key credential for this token${otherKinds.length ? ` (it has only: ${otherKinds.join(", ")})` : ""}`,
  "Use a personal access token or service account token whose credential is a key pair, and paste that key into credentialPrivateKey"
);
var unknown = (credentialId, offered, holder) => new SignerError(
  "credential-unknown",
  `credentialId "${credentialId}" is not among the credentials Dfns offers for ${holder} (${offered.join(", ")})`,
  "Set credentialId to one of those, or unset it"
);
var ambiguous = (offered, holder) => new SignerError(
  "credential-ambiguous",
  `Dfns offers several Key credentials for ${holder} (${offered.join(", ")})`,
  "Set the variable credentialId to the one whose private key is in credentialPrivateKey"
);
var newKey = (e) => new SignerError(
  e.code,
  e.what.replace(/^credentialPrivateKey\b/, "newCredentialPrivateKey"),
  e.fix.replace(/ of the credential registered with authToken| registered with authToken/g, " of the new credential")
);
var unwritableBody = (what) => new SignerError(
  "body-unwritable",
  `the signer writes the body of ${what} (the new key's attestation), but this client lets it add headers only`,
  "Send it from another client, or write the body yourself and unset newCredentialPrivateKey or dfnsRegistrationCode"
);
var registrationSetup = (what, fix) => new SignerError("registration-setup", `POST /auth/registration: ${what}`, fix);

// src/encoding.ts
function latin1(bytes2) {
  let out = "";
  for (let i = 0; i < bytes2.length; i++) out += String.fromCharCode(bytes2[i]);
  return out;
}
function utf8Encode(text2) {
  const wellFormed = text2.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (c) => c.length > 1 ? c : "�");
  return Uint8Array.from(unescape(encodeURIComponent(wellFormed)), (c) => c.charCodeAt(0));
}
function utf8Decode(bytes2) {
  const text2 = latin1(bytes2);
  try {
    return decodeURIComponent(escape(text2));
  } catch (_e) {
    return text2;
  }
}
var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
function base64urlEncode(bytes2) {
  let out = "";
  for (let i = 0; i < bytes2.length; i += 3) {
    const n = bytes2[i] << 16 | bytes2[i + 1] << 8 | bytes2[i + 2];
    for (let k = 0; k < 4 && k <= bytes2.length - i; k++) out += ALPHABET[n >> 18 - 6 * k & 63];
  }
  return out;
}
function base64Decode(text2) {
  const clean2 = text2.replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/_-]*$/.test(clean2) || clean2.length % 4 === 1) return void 0;
  const out = [];
  for (let i = 0, acc = 0, bits = 0; i < clean2.length; i++) {
    acc = acc << 6 | ALPHABET.indexOf(clean2[i] === "+" ? "-" : clean2[i] === "/" ? "_" : clean2[i]);
    bits += 6;
    if (bits >= 8) out.push(acc >> (bits -= 8) & 255);
  }
  return Uint8Array.from(out);
}
function parseJson(text2) {
  try {
    return JSON.parse(text2);
  } catch (_e) {
    return void 0;
  }
}

// src/errors/key.ts
var V = "credentialPrivateKey";
var FIX_PASTE = "Paste the private key of the credential registered with authToken: the whole PEM file from -----BEGIN to -----END (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY), or a private JWK";
var FIX_RECOPY = "Copy the whole key file again, every line from -----BEGIN to -----END, and paste it unchanged";
var FIX_PRIVATE = "Paste the PRIVATE key of the same key pair (-----BEGIN PRIVATE KEY-----, EC PRIVATE KEY or RSA PRIVATE KEY); Dfns only stores the public key";
var FIX_NEW_KEY = "Use an ECDSA (P-256, secp256k1, P-384, P-521), Ed25519 or RSA credential key, e.g. openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem, register its public key with Dfns and paste key.pem";
var FIX_DECRYPT = "Decrypt it once with openssl pkey -in key.pem -out key-decrypted.pem (it asks for the passphrase) and paste key-decrypted.pem";
var fail = (code, what, fix) => new SignerError(code, `${V} ${what}`, fix);
var NOT_A_KEY = "key-not-a-key";
var FOREIGN = "key-foreign-format";
var DAMAGED = "key-damaged";
var UNSUPPORTED = "key-unsupported";
var NOT_READ = "a format the signer does not read";
var missing = (method, path, vault) => new SignerError(
  "key-missing",
  `${V} is not set, and ${method} ${path} needs a user action`,
  `Set the variable ${V}${vault ? " (or, in the Postman app, a vault secret of that name)" : ""} to the private key (PEM) of the credential registered with authToken`
);
var empty = () => fail(
  "key-missing",
  "is empty",
  "Set it to the private key (PEM) of the credential registered with authToken, from -----BEGIN to -----END"
);
var tooLong = (chars) => fail(NOT_A_KEY, `is ${chars} characters long, far too long for one private key`, FIX_PASTE);
var publicKey = (form) => fail("key-public", `holds a PUBLIC key (${form}), not the private key`, FIX_PRIVATE);
var certificate = (form) => fail(
  "key-certificate",
  `holds a ${form}, which contains only a public key`,
  "Paste the private key that goes with it (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)"
);
var encrypted = (form) => fail("key-encrypted", `holds a passphrase-encrypted private key (${form}), which the signer cannot decrypt`, FIX_DECRYPT);
var openssh = ({ kind, encrypted: isEncrypted }) => fail(
  FOREIGN,
  `holds an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----${kind ? `, ${kind === "ed25519" ? "Ed25519" : kind.toUpperCase()}` : ""}${isEncrypted ? ", passphrase-protected" : ""}), ${NOT_READ}`,
  kind === "ed25519" ? "Convert it as the README shows (Keys as you have them, OpenSSH Ed25519 keys), since ssh-keygen cannot write Ed25519 keys as PEM, and paste the result" : "Convert a copy of the key file with ssh-keygen -p -m PKCS8 -f <copy> (it rewrites the copy as PEM; leave the new passphrase empty) and paste the copy"
);
var sshCom = () => fail(
  FOREIGN,
  `holds an SSH.com (SSH2) private key, ${NOT_READ}`,
  "Convert it with ssh-keygen -i -f key > key-openssh, then ssh-keygen -p -m PKCS8 -f key-openssh (leave the new passphrase empty) and paste key-openssh"
);
var putty = () => fail(
  FOREIGN,
  `holds a PuTTY private key (.ppk, PuTTY-User-Key-File), ${NOT_READ}`,
  "Convert it with puttygen key.ppk -O private-openssh -o key.pem (PuTTYgen: Conversions → Export OpenSSH key) and paste key.pem"
);
var pgp = () => fail(NOT_A_KEY, "holds a PGP key block, not a PEM private key", FIX_PASTE);
var unknownLabel = (label) => fail(NOT_A_KEY, `holds a PEM block ${label ? `labelled "${label}"` : "with an unrecognised label"}, not a private key`, FIX_PASTE);
var ecParametersOnly = () => fail(
  NOT_A_KEY,
  "holds only an EC PARAMETERS block (the curve name), not the key",
  "Paste the key itself: the -----BEGIN EC PRIVATE KEY----- block that openssl ecparam -genkey writes after the parameters"
);
var severalKeys = (count) => fail(NOT_A_KEY, `holds ${count} private keys`, "Paste only the one private key of the credential registered with authToken");
var truncated = (where) => fail(DAMAGED, `is incomplete (${where}), probably cut when copying`, FIX_RECOPY);
var corrupted = (where) => fail(DAMAGED, `is corrupted (${where}), probably changed when copying`, FIX_RECOPY);
var unsupportedCurve = (curve) => fail(UNSUPPORTED, `is an EC key on ${curve}, ${NOT_SUPPORTED}`, FIX_NEW_KEY);
var explicitCurve = () => fail(
  UNSUPPORTED,
  "is an EC key with explicit curve parameters instead of a curve name",
  "Convert it with openssl ec -in key.pem -param_enc named_curve -out key-named.pem and paste key-named.pem"
);
var curveMissing = () => fail(
  UNSUPPORTED,
  "is an EC key that does not say which curve it is on",
  "Paste the whole output of openssl ecparam -genkey including its -----BEGIN EC PARAMETERS----- block, or a PKCS#8 key (-----BEGIN PRIVATE KEY-----)"
);
var NOT_SUPPORTED = "which the signer does not support";
var AGREEMENT = "which is for key agreement and cannot sign";
var DSA_WHY = "which Dfns does not accept (it takes ECDSA, EdDSA and RSA keys)";
var unsupportedType = (kind, why) => fail(UNSUPPORTED, `is ${kind}, ${why}`, FIX_NEW_KEY);
var dsa = () => unsupportedType("a DSA key", DSA_WHY);
var rsaTooSmall = (bits) => fail(
  UNSUPPORTED,
  `is an RSA key of only ${bits} bits, too weak to use`,
  "Create an RSA key of at least 2048 bits (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out key.pem), register its public key with Dfns and paste key.pem"
);
var rsaTooLarge = (bits) => fail(
  UNSUPPORTED,
  `is an RSA key of ${bits} bits, more than the 8192 the signer can sign with in reasonable time`,
  "Use an RSA key of 2048 to 4096 bits, or an ECDSA P-256 or Ed25519 key, registered with Dfns"
);
var notAKey = (why) => fail(NOT_A_KEY, `is not a private key (${why})`, FIX_PASTE);
var jwt = () => fail(
  NOT_A_KEY,
  "holds a JWT (an access token), not a private key",
  "Put the token in authToken, and the private key (PEM) of the token's credential in credentialPrivateKey"
);
var template = () => fail(
  NOT_A_KEY,
  "holds an unresolved variable reference ({{…}})",
  "Define the referenced variable in the active environment, or set credentialPrivateKey to the private key (PEM) itself"
);
var rawSecret = (bytes2, encoding) => fail(NOT_A_KEY, `holds a bare ${bytes2}-byte ${encoding} value, which does not say what kind of key it is`, FIX_PASTE);
var jwkProblem = (why) => fail(NOT_A_KEY, `holds a JWK that ${why}`, FIX_PASTE);
var cannotSign = () => fail(DAMAGED, "could not be used to sign (the library refused the key)", FIX_RECOPY);
var unreadable = (e) => new SignerError(
  "internal",
  `${V} could not be read (unexpected ${e instanceof Error ? e.name : typeof e} in the key reader)`,
  "Please report it with the Dfns signer version shown in the first line of the script; meanwhile check that the key is a PEM private key"
);

// src/keys/jwk.ts
init_utils2();

// src/keys/ec.ts
init_utils2();

// src/keys/curves.ts
var nist = () => (init_nist2(), __toCommonJS(nist_exports));
var k1 = () => (init_secp256k12(), __toCommonJS(secp256k1_exports));
var ed2 = () => (init_ed255192(), __toCommonJS(ed25519_exports));
var rsa = () => (init_rsa2(), __toCommonJS(rsa_exports));
var sha2 = () => (init_sha22(), __toCommonJS(sha2_exports));

// src/keys/der.ts
var DerError = class extends Error {
  constructor(truncated2 = false) {
    super();
    this.truncated = truncated2;
    this.name = "DerError";
  }
};
var INTEGER = 2;
var BIT_STRING = 3;
var OCTET_STRING = 4;
var NULL = 5;
var OID = 6;
var SEQUENCE = 48;
var CONTEXT_0 = 160;
var CONTEXT_1 = 161;
var cut = () => {
  throw new DerError(true);
};
var malformed = () => {
  throw new DerError();
};
function readTlv(b, pos) {
  if (pos + 2 > b.length) cut();
  const tag = b[pos];
  if ((tag & 31) === 31) malformed();
  let len = b[pos + 1];
  let start = pos + 2;
  if (len & 128) {
    let n = len & 127;
    if (n === 0 || n > 3) malformed();
    if (start + n > b.length) cut();
    for (len = 0; n > 0; n--) len = len * 256 + b[start++];
    if (len < 128) malformed();
  }
  const end = start + len;
  if (end > b.length) cut();
  return [{ tag, v: b.subarray(start, end) }, end];
}
function readDer(bytes2) {
  const [top, end] = readTlv(bytes2, 0);
  if (end !== bytes2.length) malformed();
  return top;
}
function children(t) {
  if (!(t.tag & 32)) malformed();
  const out = [];
  for (let pos = 0, c; pos < t.v.length; ) {
    [c, pos] = readTlv(t.v, pos);
    out.push(c);
  }
  return out;
}
var content = (t, tag) => t && t.tag === tag ? t.v : malformed();
function sequence(t) {
  content(t, SEQUENCE);
  return children(t);
}
function unsigned(t) {
  const v = content(t, INTEGER);
  if (v.length === 0 || v[0] & 128) malformed();
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.subarray(i);
}
function small(t) {
  const v = unsigned(t);
  return v.length === 1 ? v[0] : -1;
}
function oid(t) {
  const v = content(t, OID);
  if (v.length === 0 || v.length > 40 || v[v.length - 1] & 128) malformed();
  const arcs = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    acc = acc * 128 + (v[i] & 127);
    if (acc > 4294967295) malformed();
    if (!(v[i] & 128)) {
      if (arcs.length === 0) arcs.push(acc < 80 ? Math.floor(acc / 40) : 2, acc < 80 ? acc % 40 : acc - 80);
      else arcs.push(acc);
      acc = 0;
    }
  }
  return arcs.join(".");
}
function encode(tag, ...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const length = n < 128 ? [n] : n < 256 ? [129, n] : [130, n >> 8, n & 255];
  const out = new Uint8Array(1 + length.length + n);
  out.set([tag, ...length]);
  let at = 1 + length.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
var fromHex = (hex) => Uint8Array.from(hex.match(/../g) || [], (h) => parseInt(h, 16));
function integer(value) {
  const hex = value.toString(16);
  const even = hex.length % 2 ? `0${hex}` : hex;
  return encode(INTEGER, fromHex(/^[89a-f]/.test(even) ? `00${even}` : even));
}
var spki = (algorithm, key) => encode(SEQUENCE, encode(SEQUENCE, algorithm), encode(BIT_STRING, Uint8Array.of(0), key));

// src/keys/ec.ts
var P256 = { name: "P-256", ecdsa: () => nist().p256, bytes: 32, oid: "06082a8648ce3d030107" };
var K256 = { name: "secp256k1", ecdsa: () => k1().secp256k1, bytes: 32, oid: "06052b8104000a" };
var P384 = { name: "P-384", ecdsa: () => nist().p384, bytes: 48, oid: "06052b81040022" };
var P521 = { name: "P-521", ecdsa: () => nist().p521, bytes: 66, oid: "06052b81040023" };
var EC_PUBLIC_KEY = "06072a8648ce3d0201";
var BY_OID = {
  "1.2.840.10045.3.1.7": P256,
  "1.3.132.0.10": K256,
  "1.3.132.0.34": P384,
  "1.3.132.0.35": P521
};
var BY_JWK = { "P-256": P256, secp256k1: K256, "P-256K": K256, "P-384": P384, "P-521": P521 };
var OTHER_CURVES = {
  "1.2.840.10045.3.1.1": "P-192 (prime192v1)",
  "1.3.132.0.33": "P-224 (secp224r1)",
  "1.3.132.0.31": "secp192k1",
  "1.3.132.0.32": "secp224k1",
  "1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1",
  "1.3.36.3.3.2.8.1.1.8": "brainpoolP256t1",
  "1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
  "1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1",
  "1.2.156.10197.1.301": "SM2"
};
function curveByOid(oid2) {
  const curve = BY_OID[oid2];
  if (!curve) throw unsupportedCurve(OTHER_CURVES[oid2] || "a curve it does not know (or a damaged curve name)");
  return curve;
}
function curveByJwk(crv) {
  const curve = BY_JWK[crv];
  if (!curve) throw unsupportedCurve(/^(P-192|P-224|brainpoolP\d{3}[rt]1)$/.test(crv) ? crv : "an unknown curve");
  return curve;
}
var PREPARED_WINDOW = 4;
var WARM_UP_MESSAGE = new Uint8Array(100);
function ecdsaKey(curve, secret2) {
  const d = bytesToNumberBE(secret2);
  if (d.toString(16).length > 2 * curve.bytes) throw corrupted(`its ${curve.name} private value is ${secret2.length} bytes long`);
  const ecdsa2 = curve.ecdsa();
  if (d === BigInt(0) || d >= ecdsa2.Point.Fn.ORDER) throw corrupted(`its ${curve.name} private value is out of range`);
  const sk = numberToBytesBE(d, curve.bytes);
  const { sha256: sha2562 } = sha2();
  const signWith = (key, message) => ecdsa2.sign(sha2562(message), key, { prehash: false, format: "der", lowS: true, extraEntropy: false });
  let prepared = false;
  return {
    algorithm: `ECDSA ${curve.name}`,
    prepare() {
      if (prepared) return;
      prepared = true;
      ecdsa2.Point.BASE.precompute(PREPARED_WINDOW);
      signWith(new Uint8Array(curve.bytes).fill(1), WARM_UP_MESSAGE);
    },
    sign(message) {
      try {
        return signWith(sk, message);
      } catch (_e) {
        throw cannotSign();
      }
    },
    publicKey() {
      return spki(fromHex(EC_PUBLIC_KEY + curve.oid), ecdsa2.getPublicKey(sk, false));
    }
  };
}

// src/keys/ed25519.ts
var PREPARED_WINDOW2 = 4;
function ed25519Key(seed) {
  if (seed.length !== 32) throw corrupted(`its Ed25519 private value is ${seed.length} bytes instead of 32`);
  const sk = Uint8Array.from(seed);
  const { ed25519: ed255192 } = ed2();
  let prepared = false;
  return {
    algorithm: "Ed25519",
    prepare() {
      if (prepared) return;
      prepared = true;
      ed255192.Point.BASE.precompute(PREPARED_WINDOW2);
      ed255192.sign(new Uint8Array(100), new Uint8Array(32).fill(1));
    },
    sign(message) {
      try {
        return ed255192.sign(message, sk);
      } catch (_e) {
        throw cannotSign();
      }
    },
    publicKey() {
      return spki(fromHex("06032b6570"), ed255192.getPublicKey(sk));
    }
  };
}

// src/keys/rsa.ts
var ZERO = BigInt(0);
var ONE = BigInt(1);
function rsaKey({ n, e, d }) {
  const bits = n.toString(2).length;
  if (bits < 1024) throw rsaTooSmall(bits);
  if (bits > 8192) throw rsaTooLarge(bits);
  if (!(n & e & ONE) || e <= ONE || e >= n || d <= ZERO || d >= n) throw corrupted("its RSA numbers are out of range");
  const { PKCS1_SHA256: PKCS1_SHA2562 } = rsa();
  return {
    algorithm: `RSA ${bits}`,
    sign(message) {
      let signature;
      try {
        signature = PKCS1_SHA2562.sign({ n, d }, message);
      } catch (_err) {
        throw cannotSign();
      }
      if (!PKCS1_SHA2562.verify({ n, e }, message, signature)) throw corrupted("its RSA numbers do not fit together");
      return signature;
    },
    publicKey() {
      return spki(fromHex("06092a864886f70d0101010500"), encode(SEQUENCE, integer(n), integer(e)));
    }
  };
}

// src/keys/jwk.ts
var isObject = (x) => typeof x === "object" && x !== null && !Array.isArray(x);
function bytes(jwk, name) {
  const v = jwk[name];
  const out = typeof v === "string" && base64Decode(v);
  if (!out || out.length === 0) throw jwkProblem(`has no valid "${name}" (base64url)`);
  return out;
}
var number = (jwk, name) => bytesToNumberBE(bytes(jwk, name));
function pick(json) {
  if (isObject(json) && Array.isArray(json.keys)) {
    const keys = json.keys.filter(isObject);
    const privateKeys = keys.filter((k) => k.d !== void 0);
    if (privateKeys.length > 1) throw severalKeys(privateKeys.length);
    const key = privateKeys[0] || keys[0];
    if (!key) throw jwkProblem("is an empty key set");
    return key;
  }
  if (!isObject(json) || typeof json.kty !== "string") throw notAKey('it is JSON, but not a JWK with "kty"');
  return json;
}
function fromJwk(json) {
  const jwk = pick(json);
  const kty = jwk.kty;
  if (kty === "oct") throw unsupportedType('a symmetric key (JWK kty "oct")', "which cannot be a Dfns credential");
  if (kty !== "EC" && kty !== "OKP" && kty !== "RSA") throw unsupportedType("a JWK of an unknown key type (kty)", NOT_SUPPORTED);
  if (jwk.d === void 0) throw publicKey('JWK without "d"');
  const crv = typeof jwk.crv === "string" ? jwk.crv : "";
  if (kty === "EC") return ecdsaKey(curveByJwk(crv), bytes(jwk, "d"));
  if (kty === "OKP") {
    if (crv === "Ed25519") return ed25519Key(bytes(jwk, "d"));
    if (crv === "X25519" || crv === "X448") throw unsupportedType(`an ${crv} key`, AGREEMENT);
    throw unsupportedType(crv === "Ed448" ? "an Ed448 key" : "an OKP key on an unknown curve", NOT_SUPPORTED);
  }
  const key = { n: number(jwk, "n"), e: number(jwk, "e"), d: number(jwk, "d") };
  for (const name of ["p", "q", "dp", "dq", "qi"]) if (jwk[name] !== void 0) bytes(jwk, name);
  return rsaKey(key);
}

// src/keys/pem.ts
function normalise(text2) {
  let t = text2.replace(/[\uFEFF\u200B-\u200D\u2060]/g, "").replace(/[\u2010-\u2015\u2212]/g, "-").replace(/[\u201C\u201D]/g, '"').replace(/[\u2018\u2019]/g, "'").replace(/\\+r\\+n|\\+n|\\+r/g, "\n").replace(/\\+\//g, "/").replace(/\\+t/g, " ").replace(/\r\n?/g, "\n").trim();
  for (let i = 0; i < 3; i++) {
    const quoted = /^(["'`])([\s\S]*)\1,?$/.exec(t);
    if (!quoted) break;
    t = quoted[2].trim();
  }
  return t;
}
var BEGIN = /-{3,} ?BEGIN ([^-\n]{1,64}?) ?-{3,}/gi;
var END = /-{3,} ?END ([^-\n]{1,64}?) ?-{3,}/gi;
var hasPemArmour = (text2) => /-{3,} ?BEGIN [^-\n]{1,64}?-{3,}/i.test(text2);
var cleanLabel = (label) => label.trim().replace(/\s+/g, " ").toUpperCase();
function pemBlocks(text2) {
  const begins = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text2); m; m = BEGIN.exec(text2)) begins.push(m);
  return begins.map((b, i) => {
    const label = cleanLabel(b[1]);
    const from = b.index + b[0].length;
    const limit = i + 1 < begins.length ? begins[i + 1].index : text2.length;
    END.lastIndex = from;
    const end = END.exec(text2);
    const complete = !!end && end.index < limit;
    const inner = text2.slice(from, complete ? end.index : limit);
    return {
      label,
      base64: inner.split("\n").filter((line) => !/^\s*[A-Za-z][\w-]*:/.test(line)).join("").replace(/\s+/g, ""),
      complete,
      mismatched: complete && cleanLabel(end[1]) !== label,
      encrypted: /Proc-Type:\s*4\s*,\s*ENCRYPTED/i.test(inner)
    };
  });
}
var LABEL_WORDS = "ANY ATTRIBUTE BLOCK CERTIFICATE CMS CRL DH DSA EC ED25519 ENCRYPTED KEY MESSAGE NEW OPENSSH PARAMETERS PGP PKCS7 PRIVATE PUBLIC REQUEST RSA SECRET SIGNATURE SIGNED SSH2 TRUSTED X509 X25519 X448".split(" ");
function printableLabel(label) {
  const words = label.split(" ");
  return words.length <= 5 && words.every((w) => LABEL_WORDS.indexOf(w) >= 0) ? label : void 0;
}
function publicKeyPem(spki2) {
  const b64 = base64urlEncode(spki2).replace(/-/g, "+").replace(/_/g, "/");
  const padded = b64 + "==".slice(0, (4 - b64.length % 4) % 4);
  return `-----BEGIN PUBLIC KEY-----
${(padded.match(/.{1,64}/g) || []).join("\n")}
-----END PUBLIC KEY-----`;
}

// src/keys/privateKey.ts
init_utils2();
var DH = "a Diffie-Hellman key";
var UNSUPPORTED2 = {
  "1.2.840.113549.1.1.10": [
    "an RSA-PSS key",
    "which is restricted to PSS signatures; the signer makes RSA PKCS#1 v1.5 signatures, as the Dfns SDKs do"
  ],
  "1.2.840.10040.4.1": ["a DSA key", DSA_WHY],
  "1.2.840.10046.2.1": [DH, AGREEMENT],
  "1.2.840.113549.1.3.1": [DH, AGREEMENT],
  "1.3.101.110": ["an X25519 key", AGREEMENT],
  "1.3.101.111": ["an X448 key", AGREEMENT],
  "1.3.101.113": ["an Ed448 key", NOT_SUPPORTED],
  "1.2.156.10197.1.301": ["an SM2 key", NOT_SUPPORTED],
  "2.16.840.1.101.3.4.3.17": ["an ML-DSA-44 key", NOT_SUPPORTED],
  "2.16.840.1.101.3.4.3.18": ["an ML-DSA-65 key", NOT_SUPPORTED],
  "2.16.840.1.101.3.4.3.19": ["an ML-DSA-87 key", NOT_SUPPORTED]
};
function curveOid(params) {
  if (!params || params.tag === NULL) return void 0;
  if (params.tag === SEQUENCE) throw explicitCurve();
  return oid(params);
}
function sec1(key, outerCurve, blockCurve) {
  if (small(key[0]) !== 1) malformed();
  const secret2 = content(key[1], OCTET_STRING);
  let inner;
  for (const t of key.slice(2)) {
    if (t.tag === CONTEXT_0) inner = curveOid(children(t)[0]);
    else if (t.tag !== CONTEXT_1) malformed();
  }
  const name = outerCurve || inner || blockCurve;
  if (!name) throw curveMissing();
  return ecdsaKey(curveByOid(name), secret2);
}
function pkcs1(key) {
  const version = small(key[0]);
  if (version !== 0 && version !== 1 || key.length < 9) malformed();
  const [n, e, d] = key.slice(1, 9).map((t) => bytesToNumberBE(unsigned(t)));
  return rsaKey({ n, e, d });
}
function pkcs8(key, blockCurve) {
  const version = small(key[0]);
  if (version !== 0 && version !== 1) malformed();
  const algorithm = sequence(key[1]);
  const type = oid(algorithm[0]);
  const inner = content(key[2], OCTET_STRING);
  if (type === "1.2.840.10045.2.1") {
    const outer = curveOid(algorithm[1]);
    return sec1(sequence(readDer(inner)), outer, blockCurve);
  }
  if (type === "1.3.101.112") return ed25519Key(inner.length === 32 ? inner : content(readDer(inner), OCTET_STRING));
  if (type === "1.2.840.113549.1.1.1") return pkcs1(sequence(readDer(inner)));
  const known = UNSUPPORTED2[type] || ["a key of an unknown type (or a damaged one)", NOT_SUPPORTED];
  throw unsupportedType(known[0], known[1]);
}
function fromDer(bytes2, ecParameters) {
  try {
    const blockCurve = ecParameters ? curveOid(readDer(ecParameters)) : void 0;
    if (bytes2[0] !== SEQUENCE && bytes2[0] !== OID) malformed();
    const top = readDer(bytes2);
    if (top.tag === OID) throw ecParametersOnly();
    const key = sequence(top);
    const n = key.length;
    const [a, b, c] = key.map((t) => t.tag);
    if (a === INTEGER && n > 1) {
      if (b === SEQUENCE) return pkcs8(key, blockCurve);
      if (b === OCTET_STRING) return sec1(key, void 0, blockCurve);
      if (b === INTEGER) {
        if (n === 2) throw publicKey("PKCS#1 RSA PUBLIC KEY");
        if (n === 6) throw dsa();
        return pkcs1(key);
      }
    }
    if (a === SEQUENCE && n === 2 && b === BIT_STRING) throw publicKey("SubjectPublicKeyInfo, as in PEM PUBLIC KEY");
    if (a === SEQUENCE && n === 2 && b === OCTET_STRING) throw encrypted("PKCS#8 EncryptedPrivateKeyInfo");
    if (a === SEQUENCE && n === 3 && b === SEQUENCE && c === BIT_STRING) throw certificate("certificate or certificate request");
    return malformed();
  } catch (e) {
    if (e instanceof DerError)
      throw e.truncated ? truncated("its data ends before the key does") : corrupted("its data is not a valid key structure");
    throw e;
  }
}

// src/keys/ssh.ts
function fields(b, pos) {
  const uint32 = () => {
    if (pos + 4 > b.length) return void 0;
    pos += 4;
    return b[pos - 4] * 16777216 + (b[pos - 3] << 16) + (b[pos - 2] << 8) + b[pos - 1];
  };
  const string = () => {
    const len = uint32();
    return len === void 0 || pos + len > b.length ? void 0 : b.subarray(pos, pos += len);
  };
  return { uint32, string };
}
var ascii = (b) => b ? latin1(b.subarray(0, 64)) : "";
var MAGIC = "openssh-key-v1";
function opensshKind(blob) {
  if (!blob || blob.length <= MAGIC.length || ascii(blob.subarray(0, MAGIC.length)) !== MAGIC) return { kind: "", encrypted: false };
  const r = fields(blob, MAGIC.length + 1);
  const cipher = ascii(r.string());
  r.string();
  r.string();
  r.uint32();
  const publicKey2 = r.string();
  const type = publicKey2 ? ascii(fields(publicKey2, 0).string()) : "";
  return {
    kind: ["ed25519", "ecdsa", "rsa"].find((k) => type.includes(k)) || "",
    encrypted: cipher !== "" && cipher !== "none"
  };
}
function sshPublicKeyType(text2) {
  const m = /(?:^|\s)(ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+AAAA/.exec(
    text2
  );
  return m ? m[1] : void 0;
}

// src/keys/index.ts
var MAX_CHARS = 65536;
var PRIVATE_LABEL = /^(EC |RSA |ANY |)PRIVATE KEY$/;
var PUBLIC_LABELS = ["PUBLIC KEY", "RSA PUBLIC KEY", "EC PUBLIC KEY", "SSH2 PUBLIC KEY", "PGP PUBLIC KEY BLOCK"];
var CERTIFICATE_LABEL = /^(X509 |TRUSTED )?CERTIFICATE$|^(NEW )?CERTIFICATE REQUEST$/;
function decode(block) {
  if (!block.complete) throw truncated(`the -----END ${block.label}----- line is missing`);
  if (block.mismatched) throw corrupted("its BEGIN and END lines name different labels");
  if (block.base64 === "") throw truncated("there is nothing between its BEGIN and END lines");
  const der = base64Decode(block.base64);
  if (!der) throw corrupted(`its ${block.base64.length} characters between BEGIN and END are not all base64`);
  return der;
}
function fromPem(text2) {
  const blocks = pemBlocks(text2);
  const labels = blocks.map((b) => b.label);
  const has = (label2) => labels.indexOf(label2) >= 0;
  const keys = blocks.filter((b) => PRIVATE_LABEL.test(b.label));
  if (keys.length > 1) throw severalKeys(keys.length);
  if (keys.length === 1) {
    const key = keys[0];
    if (key.encrypted) throw encrypted(`${key.label} with a Proc-Type: 4,ENCRYPTED header`);
    const params = blocks.filter((b) => b.label === "EC PARAMETERS" && b.complete)[0];
    return fromDer(decode(key), params && base64Decode(params.base64));
  }
  if (has("ENCRYPTED PRIVATE KEY")) throw encrypted("-----BEGIN ENCRYPTED PRIVATE KEY-----");
  if (has("OPENSSH PRIVATE KEY")) throw openssh(opensshKind(base64Decode(blocks[labels.indexOf("OPENSSH PRIVATE KEY")].base64)));
  if (has("DSA PRIVATE KEY")) throw dsa();
  if (has("PGP PRIVATE KEY BLOCK") || has("PGP PUBLIC KEY BLOCK") || has("PGP MESSAGE")) throw pgp();
  for (const label2 of PUBLIC_LABELS) if (has(label2)) throw publicKey(`PEM ${label2}`);
  for (const label2 of labels)
    if (CERTIFICATE_LABEL.test(label2))
      throw certificate(`certificate${/REQUEST/.test(label2) ? " signing request" : ""} (PEM ${label2})`);
  if (has("SSH2 ENCRYPTED PRIVATE KEY")) throw sshCom();
  const first = labels[0] || "";
  const label = printableLabel(first);
  if (!label && /PRIV/.test(first)) throw corrupted("its -----BEGIN … PRIVATE KEY----- line is damaged");
  if ((text2.match(/BEGIN/gi) || []).length > blocks.length || /END [A-Z ]*PRIVATE KEY/i.test(text2))
    throw corrupted("a -----BEGIN line is damaged");
  if (has("EC PARAMETERS")) {
    const afterParameters = text2.slice(text2.lastIndexOf("-----") + 5);
    if (/[A-Za-z0-9+/]{4}/.test(afterParameters)) throw truncated("the key after its EC PARAMETERS block is cut off");
    throw ecParametersOnly();
  }
  throw unknownLabel(label);
}
function fromOther(text2, depth) {
  if (/PuTTY-User-Key-File-\d/.test(text2)) throw putty();
  const ssh = sshPublicKeyType(text2);
  if (ssh) throw publicKey(`SSH public key line, ${ssh}`);
  if (/^\{\{[\s\S]*\}\}$/.test(text2)) throw template();
  if (text2[0] === "{") {
    let json;
    try {
      json = JSON.parse(text2);
    } catch (_e) {
      throw notAKey("it starts with { but is not valid JSON");
    }
    return fromJwk(json);
  }
  if (/^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(text2)) throw jwt();
  const compact = text2.replace(/\s+/g, "");
  if (/^(0x)?[0-9a-fA-F]+$/.test(compact)) {
    const digits = compact.replace(/^0x/, "").length;
    if (digits === 64 || digits === 128) throw rawSecret(digits / 2, "hexadecimal");
    throw notAKey(`it is ${digits} hexadecimal digits`);
  }
  if (/-{3,} ?END |PRIVATE KEY ?-{3,}/i.test(text2)) throw corrupted("its -----BEGIN line is missing or damaged");
  const bytes2 = /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact) && base64Decode(compact);
  const noArmour = "it has no -----BEGIN line and is not a JWK";
  if (!bytes2) throw notAKey(noArmour);
  if (depth === 0 && /-{3,} ?BEGIN /i.test(latin1(bytes2.subarray(0, 40)))) return readText(latin1(bytes2), 1);
  if (latin1(bytes2.subarray(0, 15)) === "openssh-key-v1\0") throw openssh(opensshKind(bytes2));
  if (bytes2.length === 32 || bytes2.length === 64) throw rawSecret(bytes2.length, "base64");
  if (bytes2[0] === 48 && bytes2.length >= 16 || bytes2[0] === 6 && bytes2.length <= 12) return fromDer(bytes2);
  throw notAKey(noArmour);
}
function readText(raw, depth) {
  const text2 = normalise(raw);
  if (text2 === "") throw empty();
  return hasPemArmour(text2) ? fromPem(text2) : fromOther(text2, depth);
}
function readPrivateKey(text2) {
  if (typeof text2 !== "string" || text2.trim() === "") throw empty();
  if (text2.length > MAX_CHARS) throw tooLong(text2.length);
  try {
    return readText(text2, 0);
  } catch (e) {
    if (e instanceof SignerError) throw e;
    throw unreadable(e);
  }
}

// src/protocol/newCredential.ts
init_sha2();
init_utils();

// src/errors/dfns.ts
function unreachable(url, reason) {
  return new SignerError(
    "dfns-unreachable",
    `could not reach ${url}${reason ? ` (${String(reason).slice(0, 120)})` : ""}`,
    "Check the API domain in the request URL (dfnsApiDomain) and your network or proxy"
  );
}
function dfnsMessage(json) {
  const body = json;
  const message = body && (body.error && body.error.message || body.message || typeof body.error === "string" && body.error);
  return typeof message === "string" && message.trim() ? message.replace(/\s+/g, " ").trim().slice(0, 300) : void 0;
}
function fixFor(step, status, credId) {
  if (status === 401 && step === "POST /auth/action")
    return `Check that ${credId ? `credential ${credId}` : "the credential"} is active (Dfns dashboard) and that credentialPrivateKey is its private key`;
  if (step === "POST /auth/credentials/init" && (status === 401 || status === 403))
    return "Create Credential takes a user's login token, not a personal access token or a service account's (README: Rotate a key)";
  if (step === "POST /auth/registration/init" && status >= 400 && status < 500)
    return "Check dfnsOrgId, dfnsUsername and dfnsRegistrationCode (Resend Registration Code sends a new code)";
  if (status === 401) return "Check that authToken is a valid, unrevoked Dfns token for this API domain (region), and paste it again";
  if (status === 403) return "Check that the token has the permission this request needs";
  if (status >= 500) return "Dfns had a server-side problem: retry in a moment";
  return "Check the request method, path and body";
}
function answered(status, text2) {
  const message = dfnsMessage(parseJson(text2));
  return `with ${status}${message ? `: "${message}"` : text2.trim() ? " with a body that is not a Dfns JSON error" : " with an empty body"}`;
}
function refusal(step, status, text2, credId) {
  const message = dfnsMessage(parseJson(text2));
  const what = `Dfns refused ${step} ${answered(status, text2)}`;
  const keyHint = status === 401 && step === "POST /auth/action" && message && /signature|verif|credential/i.test(message) ? " (a deactivated credential, or the key of another credential than the token's)" : "";
  return new SignerError("dfns-refused", what + keyHint, fixFor(step, status, credId));
}
var notTheApi = (what) => new SignerError(
  "dfns-not-api",
  what,
  "Check that the request URL points at the Dfns API (https://api.dfns.io or your region), not a proxy, mock or web page"
);
function notJson(step, status) {
  return notTheApi(`${step} answered ${status} with a body that is not JSON`);
}
function originOf(location) {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(location.trim());
  return m ? m[1] : location.trim().slice(0, 80) || "nowhere";
}
function redirected(step, status, location) {
  return new SignerError(
    "dfns-redirected",
    `${step} was answered ${status}, a redirect${location === void 0 ? "" : ` to ${originOf(location)}`}, which the signer does not follow (authToken would go along)`,
    "Point dfnsApiDomain and the request URL at the Dfns API itself (https://api.dfns.io or your region), not at an address that redirects"
  );
}
function timedOut(url, ms) {
  return new SignerError(
    "dfns-timeout",
    `no answer from ${url} within ${ms / 1e3} s, so the request was stopped`,
    "Check the API domain (dfnsApiDomain) and your network or proxy; if Dfns is just slow, raise dfnsTimeoutSeconds"
  );
}
function throttled(step, status, tries) {
  return new SignerError(
    "dfns-throttled",
    `Dfns answered ${step} with ${status} (${busyName(status)})${tries > 1 ? ` ${tries} times in a row` : ""}`,
    "Wait a minute and run the request again, or run fewer requests at once"
  );
}
function throttledTooLong(step, status, seconds, longest) {
  return new SignerError(
    "dfns-throttled",
    `Dfns answered ${step} with ${status} (${busyName(status)}) and asks to wait ${seconds} s, longer than the signer waits (${longest} s)`,
    `Run the request again in ${seconds} s`
  );
}
function retrying(step, status, seconds, retry, retries) {
  return `Dfns signer: Dfns answered ${step} with ${status} (${busyName(status)}); retrying in ${seconds} s (${retry} of ${retries})`;
}
var busyName = (status) => status === 429 ? "Too Many Requests" : "Service Unavailable";
function timeoutSetting(value, longest) {
  return new SignerError(
    "timeout-invalid",
    `dfnsTimeoutSeconds is "${value.slice(0, 40)}", not a number of seconds from 1 to ${longest}`,
    "Set dfnsTimeoutSeconds to how many seconds to wait for each answer of Dfns (e.g. 30, the default when it is unset)"
  );
}

// src/protocol/newCredential.ts
var CREDENTIAL_INIT_PATH = "/auth/credentials/init";
var CREDENTIAL_PATH = "/auth/credentials";
var REGISTRATION_INIT_PATH = "/auth/registration/init";
var REGISTRATION_PATH = "/auth/registration";
var isPath = (path, want) => path.replace(/\/+$/, "") === want;
var isCreateCredential = (method, path) => method === "POST" && isPath(path, CREDENTIAL_PATH);
var isRegistration = (method, path) => method === "POST" && isPath(path, REGISTRATION_PATH);
var credentialChallengeRequest = () => ({ kind: "Key" });
var registrationChallengeRequest = (orgId, username, registrationCode) => ({
  orgId,
  username,
  registrationCode
});
function readNewCredentialChallenge(json, step, handle) {
  const body = json || {};
  const challenge = body.challenge;
  const value = body[handle];
  if (typeof challenge !== "string" || !challenge || typeof value !== "string" || !value)
    throw notTheApi(`${step} answered without a challenge or ${handle}`);
  return { challenge, handle: value };
}
function keyAttestation(challenge, key) {
  const publicKey2 = publicKeyPem(key.publicKey());
  const clientData2 = JSON.stringify({ type: "key.create", challenge });
  const signed = utf8Encode(JSON.stringify({ clientDataHash: bytesToHex(sha256(utf8Encode(clientData2))), publicKey: publicKey2 }));
  const attestationData = JSON.stringify({ publicKey: publicKey2, signature: bytesToHex(key.sign(signed)) });
  return {
    credId: base64urlEncode(sha256(signed)),
    clientData: base64urlEncode(utf8Encode(clientData2)),
    attestationData: base64urlEncode(utf8Encode(attestationData))
  };
}
var createCredentialBody = (credentialInfo, credentialName, challengeIdentifier) => JSON.stringify({ credentialKind: "Key", credentialInfo, credentialName, challengeIdentifier });
function registrationBody(credentialInfo, credentialName) {
  const first = { credentialKind: "Key", credentialInfo };
  if (credentialName) first.credentialName = credentialName;
  return JSON.stringify({ firstFactorCredential: first });
}

// src/creation.ts
async function newCredentialBody(client, post2, token, today) {
  const pem = await secret(client, "newCredentialPrivateKey");
  if (!pem) return void 0;
  if (!client.replaceBody) throw unwritableBody("POST /auth/credentials");
  let key;
  try {
    key = readPrivateKey(pem);
  } catch (e) {
    throw e instanceof SignerError ? newKey(e) : e;
  }
  const answer = await post2(CREDENTIAL_INIT_PATH, credentialChallengeRequest(), token);
  const { challenge, handle } = readNewCredentialChallenge(answer, `POST ${CREDENTIAL_INIT_PATH}`, "challengeIdentifier");
  const info = keyAttestation(challenge, key);
  const name = client.variable("newCredentialName") || `${key.algorithm} key ${today}`;
  return { body: createCredentialBody(info, name, handle), credId: info.credId, algorithm: key.algorithm };
}
async function registration(client, post2) {
  const code = client.variable("dfnsRegistrationCode");
  const username = client.variable("dfnsUsername");
  const orgId = client.variable("dfnsOrgId");
  const pem = await secret(client, "credentialPrivateKey");
  const missing3 = [username ? "" : "dfnsUsername", orgId ? "" : "dfnsOrgId", pem ? "" : "credentialPrivateKey"].filter(Boolean);
  if (missing3.length)
    throw registrationSetup(
      `dfnsRegistrationCode is set, but ${missing3.join(" and ")} ${missing3.length > 1 ? "are" : "is"} not`,
      "Set dfnsUsername and dfnsOrgId to the user being registered and their organization, and credentialPrivateKey to the key to register"
    );
  if (!client.replaceBody) throw unwritableBody("POST /auth/registration");
  const key = readPrivateKey(pem);
  const answer = await post2(REGISTRATION_INIT_PATH, registrationChallengeRequest(orgId, username, code));
  const { challenge, handle } = readNewCredentialChallenge(answer, `POST ${REGISTRATION_INIT_PATH}`, "temporaryAuthenticationToken");
  const info = keyAttestation(challenge, key);
  return {
    body: registrationBody(info, client.variable("newCredentialName")),
    credId: info.credId,
    algorithm: key.algorithm,
    token: handle
  };
}

// src/errors/login.ts
var FIX_ORG = "Set dfnsOrgId to your org's id (or-…, in the Dfns dashboard's Settings)";
var FIX_PAT = "or unset dfnsUsername and use a personal access token or service account token";
var NOT_CREDENTIAL = "login-not-credential";
function initRefused(username, orgId, status, text2) {
  const said = `(POST /auth/login/init ${answered(status, text2)})`;
  if (status > 399 && status < 500 && /\borg/i.test(dfnsMessage(parseJson(text2)) || ""))
    return new SignerError("login-org-unknown", `Dfns knows no org ${orgId} ${said}`, `${FIX_ORG}, and dfnsApiDomain to its region`);
  if (status > 399 && status < 405)
    return new SignerError(
      "login-user-unknown",
      `Dfns knows no user "${username}" in org ${orgId} ${said}`,
      "Set dfnsUsername to the user's login email, and dfnsOrgId to its org"
    );
  return refusal("POST /auth/login/init", status, text2);
}
var orgMissing = () => new SignerError("login-org-missing", "dfnsOrgId is not set, and no authToken names the org to log in to", FIX_ORG);
var keyMissing = (username) => new SignerError(
  "key-missing",
  "credentialPrivateKey is not set, and logging in as dfnsUsername needs it",
  `Set it to the private key (PEM) of a Key credential of "${username}", ${FIX_PAT}`
);
var noKeyCredential = (username, others) => new SignerError(
  NOT_CREDENTIAL,
  `"${username}" has no Key credential to log in with${others.length ? ` (only: ${others.join(", ")})` : ""}`,
  `Register one for the user (Create Credential) and paste its private key into credentialPrivateKey, ${FIX_PAT}`
);
function completeRefused(username, credId, status, text2) {
  if (/second factor/i.test(dfnsMessage(parseJson(text2)) || "")) return secondFactor(username, "POST /auth/login asks for it");
  if (status !== 401 && status !== 403) return refusal("POST /auth/login", status, text2, credId);
  return new SignerError(
    NOT_CREDENTIAL,
    `credentialPrivateKey is not the key of ${credId}, a login credential of "${username}" (POST /auth/login ${answered(status, text2)})`,
    `Paste that credential's private key, or set credentialId to the credential whose key you pasted, ${FIX_PAT}`
  );
}
var secondFactor = (username, why) => new SignerError(
  "login-second-factor",
  `logging in as "${username}" needs a second factor (${why}), which the signer cannot give`,
  "Unset dfnsUsername and use a personal access token or service account token, which need none"
);

// src/errors/token.ts
var FIX_PASTE2 = 'Paste the token Dfns showed when you created the personal access token or service account (three dot-separated parts starting with "ey")';
var missing2 = () => new SignerError(
  "token-missing",
  "authToken is not set",
  "Set the variable authToken to your Dfns personal access token or service account token"
);
var malformed2 = (what) => new SignerError("token-malformed", `authToken ${what}`, FIX_PASTE2);
var expired = (exp) => new SignerError(
  "token-expired",
  `authToken expired at ${new Date(exp * 1e3).toISOString()}`,
  "Create a new token in the Dfns dashboard (Settings > Personal Access Tokens or Service Accounts) and paste it into authToken"
);
var conflict = (reference) => new SignerError(
  "token-conflict",
  "the request's Authorization (a header or its auth setting) is not Bearer authToken, the token the user action is for",
  `Remove it (auth: No Auth, also where it inherits from; the signer sets the token) or set it to Bearer ${reference}`
);

// src/protocol/network.ts
var DEFAULT_TIMEOUT_SECONDS = 30;
var MAX_TIMEOUT_SECONDS = 600;
function readTimeout(value) {
  if (value === void 0) return DEFAULT_TIMEOUT_SECONDS * 1e3;
  const text2 = value.trim();
  const seconds = Number(text2);
  if (!/^\d+(\.\d+)?$/.test(text2) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) throw timeoutSetting(value, MAX_TIMEOUT_SECONDS);
  return Math.round(seconds * 1e3);
}
var isRedirect = (status) => status >= 300 && status <= 399;
var MAX_RETRIES = 3;
var MAX_RETRY_AFTER_SECONDS = 10;
var isBusy = (status) => status === 429 || status === 503;
function retryAfter(status, headers, attempt, nowMs) {
  if (!isBusy(status)) return { retry: false, why: "not-busy" };
  if (attempt > MAX_RETRIES) return { retry: false, why: "exhausted" };
  const said = headers ? headers["retry-after"] : void 0;
  const seconds = said === void 0 ? void 0 : retryAfterSeconds(said, nowMs);
  const wait = seconds === void 0 ? 2 ** (attempt - 1) : seconds;
  if (wait > MAX_RETRY_AFTER_SECONDS) return { retry: false, why: "too-long", seconds: wait };
  return { retry: true, seconds: wait };
}
function retryAfterSeconds(value, nowMs) {
  const text2 = value.trim();
  if (/^\d+$/.test(text2)) return Number(text2);
  const date = Date.parse(text2);
  if (!/[A-Za-z]/.test(text2) || Number.isNaN(date)) return void 0;
  return Math.max(0, Math.ceil((date - nowMs) / 1e3));
}

// src/exchange.ts
var Busy = class extends SignerError {
  constructor(step, response) {
    const refused = throttled(step, response.status, 1);
    super(refused.code, refused.what, refused.fix);
    this.step = step;
    this.response = response;
  }
};
async function post(client, call, timeoutMs) {
  const url = call.origin + call.path;
  const step = `POST ${call.path}`;
  const headers = { "Content-Type": "application/json" };
  if (call.token !== void 0) headers.Authorization = `Bearer ${call.token}`;
  let response;
  try {
    response = await client.send({ method: "POST", url, headers, body: JSON.stringify(call.body) }, timeoutMs);
  } catch (e) {
    if (e instanceof TimedOut) throw timedOut(url, e.ms);
    throw unreachable(url, e && typeof e === "object" && (e.code || e.message));
  }
  const { status } = response;
  if (isRedirect(status)) throw redirected(step, status, response.headers && response.headers.location);
  if (response.redirected) throw redirected(step, status, void 0);
  if (isBusy(status)) throw new Busy(step, response);
  if (status < 200 || status > 299)
    throw call.refuse ? call.refuse(status, response.text) : refusal(step, status, response.text, call.credId);
  const json = parseJson(response.text);
  if (json === void 0) throw notJson(step, status);
  return json;
}
async function retrying2(client, now, attempt) {
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof Busy)) throw e;
      const { step, response } = e;
      const decision = retryAfter(response.status, response.headers, retry, now());
      if (!decision.retry && decision.why === "too-long")
        throw throttledTooLong(step, response.status, decision.seconds, MAX_RETRY_AFTER_SECONDS);
      if (!decision.retry || !client.sleep) throw throttled(step, response.status, retry);
      client.log(retrying(step, response.status, decision.seconds, retry, MAX_RETRIES));
      await client.sleep(decision.seconds * 1e3);
    }
  }
}

// src/meanwhile.ts
var PREPARE_AFTER_MS = 12;
function meanwhile(pending, work) {
  if (!work || typeof setTimeout !== "function") return pending;
  let settled = false;
  const timer = setTimeout(() => {
    if (settled) return;
    try {
      work();
    } catch (_e) {
    }
  }, PREPARE_AFTER_MS);
  const settle = () => {
    settled = true;
    if (typeof clearTimeout === "function") clearTimeout(timer);
  };
  return pending.then(
    (value) => {
      settle();
      return value;
    },
    (e) => {
      settle();
      throw e;
    }
  );
}

// src/protocol/apiHost.ts
var DFNS_API_HOSTS = ["api.dfns.io", "api.uae.dfns.io", "api.dfns.ninja", "api.dfns.wtf"];
function apiDomainHost(apiDomain) {
  const m = /^\s*(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#\s]*)/.exec(apiDomain);
  const { hostname, port } = splitAuthority(m[2]);
  const scheme = (m[1] || "").toLowerCase();
  const defaultPort = scheme === "https" ? port === "443" : scheme === "http" ? port === "80" : port === "443" || port === "80";
  return hostKey(hostname, defaultPort ? "" : port);
}
function isDfnsApi(url, apiDomain) {
  const host = hostKey(url.hostname, url.port);
  return apiDomain === void 0 ? DFNS_API_HOSTS.indexOf(host) >= 0 : host === apiDomainHost(apiDomain);
}
function isLoopback(hostname) {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
function notDfnsApi(method, url, apiDomain, unresolved) {
  const rule = apiDomain === void 0 ? `dfnsApiDomain is not set; Dfns's own are ${DFNS_API_HOSTS.join(", ")}` : `dfnsApiDomain is ${apiDomain.trim()}`;
  return `Dfns signer: ${method} not signed: ${url.authority} is ${unresolved ? "not resolved yet, so not known to be" : "not"} a Dfns API host (${rule})`;
}
function refuseSchemeAsHost(url, apiDomain) {
  if ((url.hostname === "https" || url.hostname === "http") && apiDomain !== void 0 && /^\s*https?:\/\//i.test(apiDomain))
    throw schemeInApiDomain(apiDomain, url.hostname);
}
function refuseInsecure(url) {
  if (url.scheme === "http" && !isLoopback(url.hostname)) throw insecure(url.authority);
}

// src/protocol/endpoints.ts
var INIT_PATH = "/auth/action/init";
var COMPLETE_PATH = "/auth/action";
var LOGIN_INIT_PATH = "/auth/login/init";
var LOGIN_PATH = "/auth/login";
var UNSIGNED = `
POST /auth/action/init
POST /auth/action
POST /auth/login/init
POST /auth/login
POST /auth/login/code
POST /auth/login/social
POST /auth/login/oidc/init
POST /auth/login/oidc
POST /auth/login/sso/init
POST /auth/login/sso
PUT /auth/logout
POST /auth/registration/init
POST /auth/registration
POST /auth/registration/enduser
POST /auth/registration/social
PUT /auth/registration/code
POST /auth/recover/user/init
POST /auth/recover/user
POST /auth/recover/user/code
POST /auth/credentials/init
POST /auth/credentials/code/init
POST /auth/credentials/code/verify
POST /auth/tokens
POST /networks/{network}/call-function
POST /swaps/quotes
POST /payouts/quote
POST /wallets/{walletId}/canton/ledger-api`.trim().split("\n");
var STATE_CHANGING = ["POST", "PUT", "PATCH", "DELETE"];
var isStateChanging = (method) => STATE_CHANGING.indexOf(method) >= 0;
function matches(template2, path) {
  const want = template2.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return false;
  for (let i = 0; i < want.length; i++) {
    if (want[i].charAt(0) === "{" ? got[i] === "" : want[i] !== got[i]) return false;
  }
  return true;
}
function needsUserAction(method, path) {
  if (!isStateChanging(method)) return false;
  for (const entry of UNSIGNED) {
    const space = entry.indexOf(" ");
    if (entry.slice(0, space) === method && matches(entry.slice(space + 1), path)) return false;
  }
  return true;
}

// src/protocol/userAction.ts
function challengeRequest(facts) {
  return {
    userActionPayload: facts.payload,
    userActionHttpMethod: facts.method,
    userActionHttpPath: facts.path,
    userActionServerKind: "Api"
  };
}
function readChallenge(json, step = "POST /auth/action/init") {
  const body = json || {};
  if (typeof body.challenge !== "string" || !body.challenge || typeof body.challengeIdentifier !== "string" || !body.challengeIdentifier) {
    throw notTheApi(`${step} answered without a challenge or challengeIdentifier`);
  }
  const allow = body.allowCredentials || {};
  const ids = (list) => Array.isArray(list) ? list.map((c) => c && c.id).filter((id) => typeof id === "string" && id !== "") : [];
  const other = [];
  if (ids(allow.webauthn).length) other.push("passkey (WebAuthn)");
  if (ids(allow.passwordProtectedKey).length) other.push("password-protected key");
  return {
    challenge: body.challenge,
    challengeIdentifier: body.challengeIdentifier,
    keyCredentialIds: ids(allow.key),
    otherCredentialKinds: other
  };
}
function pickCredential(challenge, credentialId, holder = "this token") {
  const offered = challenge.keyCredentialIds;
  if (offered.length === 0) throw none(challenge.otherCredentialKinds);
  if (credentialId) {
    if (offered.indexOf(credentialId) >= 0) return credentialId;
    throw unknown(credentialId, offered, holder);
  }
  if (offered.length === 1) return offered[0];
  throw ambiguous(offered, holder);
}
function clientData(challenge) {
  return JSON.stringify({ type: "key.get", challenge });
}
function assertion(credId, clientDataBytes, signature) {
  return { credId, clientData: base64urlEncode(clientDataBytes), signature: base64urlEncode(signature) };
}
function completeRequest(challengeIdentifier, credentialAssertion) {
  return { challengeIdentifier, firstFactor: { kind: "Key", credentialAssertion } };
}
function readUserAction(json) {
  const token = json && json.userAction;
  if (typeof token !== "string" || !token) {
    throw notTheApi("POST /auth/action answered without a userAction token");
  }
  return token;
}

// src/protocol/login.ts
function loginChallengeRequest(username, orgId) {
  return { username, orgId };
}
function readLoginChallenge(json, username) {
  const challenge = readChallenge(json, `POST ${LOGIN_INIT_PATH}`);
  const kinds = json.supportedCredentialKinds;
  const key = Array.isArray(kinds) ? kinds.filter((k) => k && k.kind === "Key")[0] : void 0;
  if (key && (key.factor === "second" || key.requiresSecondFactor === true))
    throw secondFactor(username, "supportedCredentialKinds says so for Key credentials");
  if (challenge.keyCredentialIds.length === 0) throw noKeyCredential(username, challenge.otherCredentialKinds);
  return challenge;
}
var loginRequest = (challengeIdentifier, credentialAssertion) => completeRequest(challengeIdentifier, credentialAssertion);
function readLoginToken(json, username) {
  const body = json || {};
  if (typeof body.token === "string" && body.token) return body.token;
  if (typeof body.ssoClientId === "string") throw noKeyCredential(username, ["single sign-on"]);
  throw notTheApi(`POST ${LOGIN_PATH} answered without a token`);
}

// src/protocol/token.ts
var APP_METADATA = "https://custom/app_metadata";
var text = (value) => typeof value === "string" && value ? value : void 0;
var tokenOrg = (token) => text((token.claims[APP_METADATA] || {}).orgId);
var MAX_CHARS2 = 65536;
function readToken(raw) {
  if (raw === void 0 || raw.trim() === "") throw missing2();
  if (raw.length > MAX_CHARS2) throw malformed2(`is ${raw.length} characters long, far longer than any Dfns token`);
  const value = raw.trim().replace(/^["']|["']$/g, "").replace(/^Bearer\s+/i, "").trim();
  const parts = value.split(".");
  if (parts.length !== 3 || parts.some((p) => p === ""))
    throw malformed2(`is not a JWT (${parts.length} dot-separated parts instead of 3)`);
  if (!/^[A-Za-z0-9_-]+$/.test(parts[0] + parts[1] + parts[2])) throw malformed2("is not a JWT (it has characters outside base64url)");
  const bytes2 = base64Decode(parts[1]);
  let payload;
  try {
    payload = bytes2 && JSON.parse(utf8Decode(bytes2));
  } catch (_e) {
    payload = void 0;
  }
  if (!payload || typeof payload !== "object") throw malformed2("is not a JWT (its payload is not base64url JSON)");
  if (typeof payload.exp !== "number") throw malformed2("has no expiry (exp), so it is not a Dfns token");
  return { value, exp: payload.exp, claims: payload };
}
function secondsLeft(token, nowMs) {
  const left = Math.floor(token.exp - nowMs / 1e3);
  if (left <= 0) throw expired(token.exp);
  return left;
}
function carriesToken(authorization, token) {
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return !!m && m[1] === token.value;
}

// src/flow.ts
function putBody(client, json) {
  client.replaceBody(json);
  client.setHeader("Content-Type", "application/json");
}
var created = (written) => `the Key credential ${written.credId} (${written.algorithm})`;
async function credentialKey(s, missing3) {
  if (s.key) return s.key;
  const { client } = s;
  const pem = await secret(client, "credentialPrivateKey");
  if (!pem) throw missing3(client.vaultSecret !== void 0);
  return s.key = readPrivateKey(pem);
}
async function signedLogin(s, username, stale) {
  const { client } = s;
  const orgId = client.variable("dfnsOrgId") || stale && tokenOrg(stale);
  if (!orgId) throw orgMissing();
  const key = await credentialKey(s, () => keyMissing(username));
  const pending = post(
    client,
    {
      origin: s.origin,
      path: LOGIN_INIT_PATH,
      body: loginChallengeRequest(username, orgId),
      refuse: (status, text2) => initRefused(username, orgId, status, text2)
    },
    s.timeoutMs()
  );
  const answer = await meanwhile(pending, key.prepare);
  const challenge = readLoginChallenge(answer, username);
  const credId = pickCredential(challenge, client.variable("credentialId"), `"${username}"`);
  const data = utf8Encode(clientData(challenge.challenge));
  const body = loginRequest(challenge.challengeIdentifier, assertion(credId, data, key.sign(data)));
  return { body, said: `as ${username} with ${credId} (${key.algorithm})`, credId };
}
function tokenOrNothing(raw) {
  try {
    return readToken(raw);
  } catch (_e) {
    return void 0;
  }
}
async function tokenFor(s, started) {
  const { client } = s;
  const raw = client.variable("authToken");
  const username = client.variable("dfnsUsername");
  const token = username ? tokenOrNothing(raw) : readToken(raw);
  if (token && (!username || token.exp - started / 1e3 >= 60)) {
    const left = secondsLeft(token, started);
    if (left < 60) client.log(`Dfns signer: warning: authToken expires in ${left} s; create a new one soon`);
    return token;
  }
  const user = username;
  const { login, answer } = await retrying2(client, s.now, async () => {
    const login2 = await signedLogin(s, user, token);
    const refuse = (status, text2) => completeRefused(user, login2.credId, status, text2);
    return { login: login2, answer: await post(client, { origin: s.origin, path: LOGIN_PATH, body: login2.body, refuse }, s.timeoutMs()) };
  });
  const fresh = readToken(readLoginToken(answer, user));
  const kept = client.keepToken && client.keepToken(fresh.value);
  client.log(
    `Dfns signer: logged in ${login.said}; ${kept && client.variable("authToken") === fresh.value ? `authToken kept in ${kept} for the next requests` : "this client cannot keep authToken: each request logs in"}`
  );
  return fresh;
}
async function completeLoginRequest(s) {
  const { client } = s;
  const username = client.variable("dfnsUsername");
  const body = parseJson(client.body());
  if (!username || body && body.challengeIdentifier) return;
  if (!client.replaceBody) return client.log(`Dfns signer: POST ${LOGIN_PATH} sent as written: this client cannot write its body`);
  const login = await retrying2(client, s.now, () => signedLogin(s, username, tokenOrNothing(client.variable("authToken"))));
  putBody(client, JSON.stringify(login.body));
  client.log(`Dfns signer: POST ${LOGIN_PATH} logs in ${login.said}`);
}
async function signRequest(client, now) {
  const started = now();
  if (client.prepare) await client.prepare();
  const request = client.request();
  const { method, url } = request;
  const apiDomain = client.variable("dfnsApiDomain");
  refuseSchemeAsHost(url, apiDomain);
  const inAuthority = client.unresolved(url.authority);
  if (inAuthority && /\bdfnsApiDomain\b/.test(inAuthority)) throw unresolvedVariable("the request URL's host", inAuthority);
  if (inAuthority || !isDfnsApi(url, apiDomain)) {
    if (isStateChanging(method)) client.log(notDfnsApi(method, url, apiDomain, !!inAuthority));
    return;
  }
  refuseInsecure(url);
  const inUrl = client.unresolved(url.href);
  if (inUrl) throw unresolvedVariable("the request URL", inUrl);
  if (request.unsendable) throw request.unsendable;
  refusePath(url);
  let limit;
  const timeoutMs = () => {
    if (limit === void 0) limit = readTimeout(client.variable("dfnsTimeoutSeconds"));
    return limit;
  };
  const dfns = (path, body, token2) => retrying2(client, now, async () => post(client, { origin: url.origin, path, token: token2, body }, timeoutMs()));
  if (isRegistration(method, url.path) && client.variable("dfnsRegistrationCode")) {
    if (request.authorization !== void 0)
      throw registrationSetup(
        "the request carries its own Authorization, but registration goes out with the temporary token Dfns gives",
        "Remove its Authorization header and set its auth to No Auth"
      );
    const registered = await registration(client, dfns);
    client.freeze();
    putBody(client, registered.body);
    client.setHeader("Authorization", `Bearer ${registered.token}`);
    client.log(`Dfns signer: POST ${url.path} registers ${created(registered)} in ${now() - started} ms`);
    return;
  }
  const s = { client, origin: url.origin, now, timeoutMs };
  if (method === "POST" && (url.path === LOGIN_INIT_PATH || url.path === LOGIN_PATH)) {
    if (url.path === LOGIN_PATH) await completeLoginRequest(s);
    return;
  }
  const token = await tokenFor(s, started);
  if (needsUserAction(method, url.path) && !request.userAction) {
    if (request.authorization !== void 0 && !carriesToken(request.authorization, token))
      throw conflict(client.reference ? client.reference("authToken") : "{{authToken}}");
    const key = await credentialKey(s, (vault) => missing(method, url.path, vault));
    const written = isCreateCredential(method, url.path) ? await newCredentialBody(client, dfns, token.value, new Date(started).toISOString().slice(0, 10)) : void 0;
    const payload = written ? written.body : client.body();
    const inBody = client.unresolved(payload);
    if (inBody) throw unresolvedVariable("the request body", inBody);
    if (payload && parseJson(payload) === void 0)
      client.log(`Dfns signer: warning: the body of ${method} ${url.path} is not valid JSON; signing it exactly as sent`);
    const init = challengeRequest({ method, path: url.path, payload });
    const { credId, userAction } = await retrying2(client, now, async () => {
      const pending = post(client, { origin: url.origin, path: INIT_PATH, token: token.value, body: init }, timeoutMs());
      const answer = await meanwhile(pending, key.prepare);
      const challenge = readChallenge(answer);
      const credId2 = pickCredential(challenge, client.variable("credentialId"));
      const data = utf8Encode(clientData(challenge.challenge));
      const complete = completeRequest(challenge.challengeIdentifier, assertion(credId2, data, key.sign(data)));
      const completed = await post(
        client,
        { origin: url.origin, path: COMPLETE_PATH, token: token.value, body: complete, credId: credId2 },
        timeoutMs()
      );
      return { credId: credId2, userAction: readUserAction(completed) };
    });
    client.freeze();
    if (written) putBody(client, written.body);
    client.setHeader("X-DFNS-USERACTION", userAction);
    const creates = written ? `; it creates ${created(written)}` : "";
    client.log(`Dfns signer: signed ${method} ${url.path} with ${credId} (${key.algorithm})${creates} in ${now() - started} ms`);
  }
  if (request.authorization === void 0) client.setHeader("Authorization", `Bearer ${token.value}`);
}
function signOrFail(client, now) {
  const release = client.hold ? client.hold() : () => void 0;
  return signRequest(client, now).then(
    () => {
      release();
      return void 0;
    },
    (e) => {
      const error = asSignerError(e);
      try {
        client.report(error);
        return client.stop(error) === "throw" ? error : void 0;
      } catch (_broken) {
        return error;
      } finally {
        release();
      }
    }
  );
}

// src/insomnia-plugin/index.ts
async function signHook(context, transport = nodeTransport) {
  const defined = (name) => context.request.getEnvironmentVariable(name) !== void 0;
  if (!defined("authToken") && !defined("dfnsUsername")) return;
  const error = await signOrFail(insomniaPluginClient(context, transport), () => Date.now());
  if (error) throw error;
}
var requestHooks = [(context) => signHook(context)];
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  nodeTransport,
  requestHooks,
  signHook
});
