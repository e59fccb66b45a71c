// @portable
// The UTF-8 string paths of js/runtime/strings.js, called directly with a guest memory and a
// realloc of our own: exactly one realloc of the exact encoded size per string, the bytes
// TextEncoder would write, traps for what the guest gets wrong. Covers both store paths (short
// all-ASCII strings copied in JS, the rest encoded into a scratch buffer and copied over).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Trap } from '../../js/errors.js';
import { MemoryView } from '../../js/runtime/memory.js';
import { loadString, storeString } from '../../js/runtime/strings.js';

/** A call context over a fresh memory whose realloc is a bump allocator (logged). */
function context({ pages = 1, shared = false, realloc } = {}) {
  const memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: 64, shared: true } : { initial: pages });
  const calls = [];
  let heap = 1000; // deliberately odd-aligned: UTF-8 strings have alignment 1
  const bump = (oldPtr, oldSize, align, size) => {
    calls.push([oldPtr, oldSize, align, size]);
    const ptr = heap;
    heap += size;
    const need = Math.ceil(heap / 65536) - memory.buffer.byteLength / 65536;
    if (need > 0) memory.grow(need);
    return ptr;
  };
  return { cx: { encoding: 'utf8', mem: new MemoryView(memory), realloc: realloc ?? bump }, calls, memory };
}

const samples = {
  empty: '',
  one: 'a',
  'ASCII, 63': 'x'.repeat(63),
  'ASCII, 64': 'y'.repeat(64),
  'ASCII, 65': 'z'.repeat(65),
  'ASCII, 64 KiB': 'The quick brown fox. '.repeat(3200).slice(0, 65536),
  'non-ASCII last of 64': 'a'.repeat(63) + 'é',
  'non-ASCII first of 64': 'é' + 'a'.repeat(63),
  'DEL and NUL': '\u007f\u0000\u007f',
  'U+0080': '\u0080',
  'short mixed': 'Grüße, 世界 🎉',
  'long mixed': 'Grüße, 世界 🎉 '.repeat(5000),
  'lone surrogate (becomes U+FFFD)': 'ab\ud800cd',
};

describe('runtime: UTF-8 strings into guest memory', () => {
  for (const [name, s] of Object.entries(samples)) {
    test(`${name}: one exact-size realloc, TextEncoder's bytes, and back`, () => {
      const { cx, calls, memory } = context();
      const expected = new TextEncoder().encode(s);
      const [ptr, len] = storeString(cx, s);
      assert.deepEqual(calls, [[0, 0, 1, expected.length]]);
      assert.equal(len, expected.length);
      assert.deepEqual(new Uint8Array(memory.buffer, ptr, len), expected);
      assert.equal(loadString(cx, ptr, len), new TextDecoder().decode(expected));
    });
  }

  test('a realloc that grows the memory (the old buffer is detached)', () => {
    const { cx, memory } = context();
    const before = memory.buffer;
    const s = 'q'.repeat(40000) + 'ü'.repeat(20000);
    const [ptr, len] = storeString(cx, s);
    assert.notEqual(memory.buffer, before);
    assert.equal(loadString(cx, ptr, len), s);
    const [p2, l2] = storeString(cx, 'short');
    assert.equal(loadString(cx, p2, l2), 'short');
  });

  test('a shared memory: stored in place, loaded through a copy', () => {
    const { cx } = context({ shared: true });
    for (const s of ['short', 'ab€', 'long '.repeat(100)]) {
      const [ptr, len] = storeString(cx, s);
      assert.equal(loadString(cx, ptr, len), s);
    }
  });

  for (const s of ['short', 'é', 'long '.repeat(100)]) {
    test(`realloc handing out memory past the end traps (${JSON.stringify(s.slice(0, 8))})`, () => {
      const { cx } = context({ realloc: () => 65536 - 1 });
      assert.throws(() => storeString(cx, s), (e) => e instanceof Trap && /out of bounds/.test(e.message));
    });
  }

  test('no realloc: a trap', () => {
    const { cx } = context();
    cx.realloc = undefined;
    assert.throws(() => storeString(cx, 'x'), (e) => e instanceof Trap && /no realloc/.test(e.message));
  });

  test('loading: out of bounds and invalid UTF-8 trap', () => {
    const { cx, memory } = context();
    assert.throws(() => loadString(cx, 65530, 7), (e) => e instanceof Trap && /out of bounds/.test(e.message));
    assert.throws(() => loadString(cx, 2 ** 32 - 1, 2), (e) => e instanceof Trap && /out of bounds/.test(e.message));
    new Uint8Array(memory.buffer).set([0x61, 0xc3, 0x28], 100);
    assert.throws(() => loadString(cx, 100, 3), (e) => e instanceof Trap && /invalid UTF-8/.test(e.message));
    assert.equal(loadString(cx, 65536, 0), '');
  });
});
