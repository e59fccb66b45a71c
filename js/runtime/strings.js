// Strings across the boundary in the three canonical ABI encodings
// (CanonicalABI.md "Strings"). Guest memory may be a SharedArrayBuffer, on
// which TextDecoder refuses to work, so such bytes are copied first.
import { Trap } from '../errors.js';

const MAX_STRING_BYTES = 2 ** 31 - 1;
const UTF16_TAG = 2 ** 31;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16Decoder = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function decodable(cx, ptr, len) {
  const bytes = cx.mem.bytes(ptr, len);
  return bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

function bounds(cx, ptr, bytes, align) {
  if (ptr % align !== 0) throw new Trap(`misaligned string pointer ${ptr} (must be aligned to ${align})`);
  if (ptr + bytes > cx.mem.byteLength())
    throw new Trap(`string at ${ptr} with ${bytes} bytes is out of bounds of memory (${cx.mem.byteLength()} bytes)`);
}

export function loadString(cx, ptr, taggedLen) {
  switch (cx.encoding) {
    case 'utf8': {
      bounds(cx, ptr, taggedLen, 1);
      try {
        return utf8Decoder.decode(decodable(cx, ptr, taggedLen));
      } catch {
        throw new Trap(`invalid UTF-8 in string at ${ptr} (${taggedLen} bytes)`);
      }
    }
    case 'utf16':
      return loadUtf16(cx, ptr, taggedLen);
    case 'latin1+utf16': {
      if (taggedLen & UTF16_TAG) return loadUtf16(cx, ptr, taggedLen ^ UTF16_TAG);
      bounds(cx, ptr, taggedLen, 2);
      const bytes = cx.mem.bytes(ptr, taggedLen);
      let out = '';
      for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
      return out;
    }
    default:
      throw new Trap(`unknown string encoding ${cx.encoding}`);
  }
}

function loadUtf16(cx, ptr, units) {
  bounds(cx, ptr, units * 2, 2);
  try {
    return utf16Decoder.decode(decodable(cx, ptr, units * 2));
  } catch {
    throw new Trap(`invalid UTF-16 in string at ${ptr} (${units} code units)`);
  }
}

function allocate(cx, align, size) {
  if (!cx.realloc) throw new Trap('a string must be copied into the component, but it has no realloc');
  const ptr = cx.realloc(0, 0, align, size) >>> 0;
  bounds(cx, ptr, size, align);
  return ptr;
}

/** Copies a JS string into guest memory; returns [ptr, tagged length]. */
export function storeString(cx, s) {
  switch (cx.encoding) {
    case 'utf8': {
      // One allocation of the exact size, as wasmtime and jco do for host
      // strings: allocators such as WASI's preview1 adapter cannot grow or
      // shrink what they handed out. ASCII (the common case) is encoded
      // straight into guest memory; anything else through a scratch buffer.
      const units = s.length;
      if (units > MAX_STRING_BYTES) throw new Trap(`string of ${units} code units is too long`);
      if (units === 0) return [allocate(cx, 1, 0), 0];
      const scratch = scratchFor(units * 3);
      const { written } = utf8Encoder.encodeInto(s, scratch);
      if (written > MAX_STRING_BYTES) throw new Trap(`string of ${written} UTF-8 bytes is too long`);
      const ptr = allocate(cx, 1, written);
      cx.mem.bytes(ptr, written).set(scratch.subarray(0, written));
      return [ptr, written];
    }
    case 'utf16':
      return storeUtf16(cx, s, 0);
    case 'latin1+utf16': {
      let latin1 = true;
      for (let i = 0; i < s.length; i++) {
        if (s.charCodeAt(i) > 0xff) {
          latin1 = false;
          break;
        }
      }
      if (!latin1) return storeUtf16(cx, s, UTF16_TAG);
      const ptr = allocate(cx, 2, s.length);
      const mem = cx.mem.bytes(ptr, s.length);
      for (let i = 0; i < s.length; i++) mem[i] = s.charCodeAt(i);
      return [ptr, s.length];
    }
    default:
      throw new Trap(`unknown string encoding ${cx.encoding}`);
  }
}

// Reused between calls (strings are encoded one at a time); grows as needed.
let scratch = new Uint8Array(1024);

function scratchFor(size) {
  if (size > 1 << 22) return new Uint8Array(size); // don't keep huge buffers alive
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  return scratch;
}

function storeUtf16(cx, s, tag) {
  if (s.length * 2 > MAX_STRING_BYTES) throw new Trap(`string of ${s.length} code units is too long`);
  const ptr = allocate(cx, 2, s.length * 2);
  const view = cx.mem.view();
  for (let i = 0; i < s.length; i++) view.setUint16(ptr + 2 * i, s.charCodeAt(i), true);
  return [ptr, (s.length | tag) >>> 0];
}
