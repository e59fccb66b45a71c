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

function outOfBounds(ptr, bytes, memoryBytes) {
  return new Trap(`string at ${ptr} with ${bytes} bytes is out of bounds of memory (${memoryBytes} bytes)`);
}

function bounds(cx, ptr, bytes, align) {
  if (ptr % align !== 0) throw new Trap(`misaligned string pointer ${ptr} (must be aligned to ${align})`);
  if (ptr + bytes > cx.mem.byteLength()) throw outOfBounds(ptr, bytes, cx.mem.byteLength());
}

export function loadString(cx, ptr, taggedLen) {
  switch (cx.encoding) {
    case 'utf8': {
      // The memory's buffer is fetched once (the getter is a call into the engine).
      const buffer = cx.mem.buffer();
      if (ptr + taggedLen > buffer.byteLength) throw outOfBounds(ptr, taggedLen, buffer.byteLength);
      const bytes = new Uint8Array(buffer, ptr, taggedLen);
      try {
        return utf8Decoder.decode(buffer instanceof ArrayBuffer ? bytes : bytes.slice());
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

/** allocate() for UTF-8 bytes (align 1): the guest memory it handed out, as a Uint8Array. */
function allocateBytes(cx, size) {
  if (!cx.realloc) throw new Trap('a string must be copied into the component, but it has no realloc');
  const ptr = cx.realloc(0, 0, 1, size) >>> 0;
  const buffer = cx.mem.buffer(); // after realloc, which may have grown the memory
  if (ptr + size > buffer.byteLength) throw outOfBounds(ptr, size, buffer.byteLength);
  return new Uint8Array(buffer, ptr, size);
}

// Up to this many UTF-16 code units, an all-ASCII string is checked and copied in JS, straight
// into guest memory: cheaper than a call of encodeInto plus a copy out of the scratch buffer.
const SHORT_STRING = 64;

/** Copies a JS string into guest memory; returns [ptr, tagged length]. */
export function storeString(cx, s) {
  switch (cx.encoding) {
    case 'utf8': {
      // One allocation of the exact size, as wasmtime and jco do for host
      // strings: allocators such as WASI's preview1 adapter cannot grow or
      // shrink what they handed out. Short all-ASCII strings (the common
      // case) are copied straight into guest memory; anything else is encoded
      // into a scratch buffer first, to learn its size.
      const units = s.length;
      if (units > MAX_STRING_BYTES) throw new Trap(`string of ${units} code units is too long`);
      if (units === 0) return [allocate(cx, 1, 0), 0];
      if (units <= SHORT_STRING) {
        let ascii = true;
        for (let i = 0; i < units; i++) {
          if (s.charCodeAt(i) >= 0x80) {
            ascii = false;
            break;
          }
        }
        if (ascii) {
          const out = allocateBytes(cx, units);
          for (let i = 0; i < units; i++) out[i] = s.charCodeAt(i);
          return [out.byteOffset, units];
        }
      }
      const scratch = scratchFor(units * 3);
      const { written } = utf8Encoder.encodeInto(s, scratch);
      if (written > MAX_STRING_BYTES) throw new Trap(`string of ${written} UTF-8 bytes is too long`);
      const out = allocateBytes(cx, written);
      out.set(written === scratch.length ? scratch : scratch.subarray(0, written));
      return [out.byteOffset, written];
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
