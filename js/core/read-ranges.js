// The byte ranges of a component binary that the C++ core reads.
//
// Copying a component into the core's memory was most of the cost of compile(): a core module
// of a component is mostly code, data and custom sections (a debug build of a Rust program is
// ~95% DWARF), and the core reads none of it. It reads core modules only up to what
// component-level type checking needs (types, imports, functions, tables, memories, globals,
// exports) and, of the code and data sections, their leading count; of a custom section only
// its name (the component's `component-name` section is read whole). So only these ranges are
// copied; the rest of the buffer is left as it is.
//
// The walk mirrors the decoder's framing (src/binary/component_decoder.cc and
// core_module.cc): whenever the walk meets something it does not understand (a bad preamble, a
// malformed size, a section running past its end, nesting deeper than the decoder accepts) it
// hands every byte from there on to the core, which then reports the error as it would with
// the whole input. tests/js/core-input.test.js checks that the core's output is the same with
// everything outside these ranges overwritten.

const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const MODULE_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const COMPONENT_NAME = 'component-name';
// The decoder's own limit (kMaxDepth in component_decoder.cc); deeper input fails there.
const MAX_DEPTH = 64;
// An unsigned LEB128 u32 takes at most 5 bytes.
const MAX_LEB = 5;

/**
 * @param {Uint8Array} bytes a component binary (or anything: it need not be valid)
 * @returns {number[]} [start, end, start, end, …] in increasing order, not overlapping
 */
export function coreReadRanges(bytes) {
  const ranges = [];
  walk(bytes, 0, bytes.length, true, 0, ranges);
  return merge(ranges);
}

/** Copies `bytes` into `heap` at `at`, only the ranges the core reads. */
export function copyReadRanges(heap, at, bytes) {
  const ranges = coreReadRanges(bytes);
  for (let i = 0; i < ranges.length; i += 2) {
    heap.set(bytes.subarray(ranges[i], ranges[i + 1]), at + ranges[i]);
  }
}

// Pushes the ranges to copy for the component or core module in bytes[start, end).
function walk(bytes, start, end, isComponent, depth, out) {
  const preamble = isComponent ? COMPONENT_PREAMBLE : MODULE_PREAMBLE;
  if (depth > MAX_DEPTH || !startsWith(bytes, start, end, preamble)) {
    out.push(start, end);
    return;
  }
  out.push(start, start + preamble.length);
  let at = start + preamble.length;
  while (at < end) {
    const size = readLeb(bytes, at + 1, end);
    if (size === null || size.next + size.value > end) {
      out.push(at, end);
      return;
    }
    const body = size.next;
    const bodyEnd = body + size.value;
    out.push(at, body);
    if (isComponent) componentSection(bytes, bytes[at], body, bodyEnd, depth, out);
    else moduleSection(bytes, bytes[at], body, bodyEnd, out);
    at = bodyEnd;
  }
}

function componentSection(bytes, id, body, end, depth, out) {
  switch (id) {
    case 0: {
      const name = customName(bytes, body, end);
      if (name === null || !equalsAscii(bytes, name.start, name.end, COMPONENT_NAME)) {
        out.push(body, name === null ? end : name.end);
      } else {
        out.push(body, end);
      }
      return;
    }
    case 1:
      walk(bytes, body, end, false, depth + 1, out);
      return;
    case 4:
      walk(bytes, body, end, true, depth + 1, out);
      return;
    default:
      out.push(body, end);
  }
}

function moduleSection(bytes, id, body, end, out) {
  switch (id) {
    case 0: {
      const name = customName(bytes, body, end);
      out.push(body, name === null ? end : name.end);
      return;
    }
    case 9: // element: skipped whole
      return;
    case 10: // code: the body count only
    case 11: // data: the segment count only
      out.push(body, Math.min(end, body + MAX_LEB));
      return;
    default:
      out.push(body, end);
  }
}

// The name of a custom section as [start, end), or null when its length is malformed.
function customName(bytes, at, end) {
  const length = readLeb(bytes, at, end);
  if (length === null || length.next + length.value > end) return null;
  return { start: length.next, end: length.next + length.value };
}

/**
 * An unsigned LEB128 u32 at `at` as { value, next } (next: the byte after it), or null when
 * it is malformed or runs past `end`. Also used by runtime/component.js to find core modules.
 */
export function readLeb(bytes, at, end) {
  let value = 0;
  for (let i = 0; i < MAX_LEB; i++) {
    if (at + i >= end) return null;
    const b = bytes[at + i];
    if (i === MAX_LEB - 1 && b > 0x0f) return null;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return null;
}

function startsWith(bytes, start, end, prefix) {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

function equalsAscii(bytes, start, end, text) {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

function merge(ranges) {
  const merged = [];
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i];
    const end = ranges[i + 1];
    if (start >= end) continue;
    if (merged.length && merged[merged.length - 1] >= start) {
      merged[merged.length - 1] = Math.max(merged[merged.length - 1], end);
    } else {
      merged.push(start, end);
    }
  }
  return merged;
}
