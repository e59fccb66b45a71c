// The core is given only the byte ranges of a component that js/core/read-ranges.js says it
// reads. These tests check that claim: for each input, the core's output is the same whether
// it gets the whole input or only those ranges with every other byte overwritten. Inputs:
// the hand-written fixtures (valid and invalid), components built here with custom, element,
// code and data sections in their core modules, nested components, their truncations and
// byte flips, and the corpus (when ../shared/corpus is present). On the full core, whose
// messages quote more of the input; the lean one runs the same code, held to the same verdicts
// and plans by lean-core.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { loadFullCore } from '../../js/core/load.js';
import { copyReadRanges, coreReadRanges } from '../../js/core/read-ranges.js';
import { assemble, corpusFiles, corpusUrl, watFiles } from './helpers/node-inputs.js';

const core = await loadFullCore();
const { module, inMemory } = core;

// Runs `call(address, size)` on a copy of `bytes` in the core's memory: the whole input, or
// only the read ranges over a buffer filled with `poison`.
function callOn(bytes, call, poison) {
  const at = module._malloc(Math.max(bytes.length, 1));
  try {
    const heap = module.HEAPU8;
    if (poison === undefined) {
      heap.set(bytes, at);
    } else {
      heap.fill(poison, at, at + bytes.length);
      copyReadRanges(heap, at, bytes);
    }
    return call(at, bytes.length);
  } finally {
    module._free(at);
  }
}

function assertSameOutput(bytes, what) {
  for (const fn of ['compile', 'wit']) {
    const whole = callOn(bytes, inMemory[fn]);
    for (const poison of [0x00, 0xaa, 0xff]) {
      assert.equal(callOn(bytes, inMemory[fn], poison), whole, `${what}: ${fn} differs with unread bytes set to ${poison}`);
    }
  }
}

// A component whose core module has every kind of section the core skips or only counts.
const SKIPPED_SECTIONS_WAT = `(component
  (core module $m
    (type (func (param i32) (result i32)))
    (import "env" "f" (func $f (type 0)))
    (func $g (type 0) local.get 0 call $f)
    (table 2 funcref)
    (memory (export "memory") 1)
    (global (mut i32) (i32.const 7))
    (export "g" (func $g))
    (elem (i32.const 0) func $g $f)
    (data (i32.const 16) "some bytes the core does not read")
    (@custom "a-custom-section" "payload the core does not read"))
  (core module $env (func (export "f") (param i32) (result i32) local.get 0))
  (core instance $e (instantiate $env))
  (core instance $i (instantiate $m (with "env" (instance $e))))
  (func (export "g") (param "x" u32) (result u32) (canon lift (core func $i "g")))
  (component $inner
    (core module $n (func (export "h") (result i32) i32.const 1) (@custom "name-like" "x"))
    (core instance $j (instantiate $n))
    (func (export "h") (result u32) (canon lift (core func $j "h"))))
  (instance $k (instantiate $inner))
  (export "k" (instance $k)))`;

test('the read ranges of a component skip what the core does not read', async () => {
  const bytes = await assemble(SKIPPED_SECTIONS_WAT);
  const ranges = coreReadRanges(bytes);
  const copied = ranges.reduce((n, v, i) => n + (i % 2 ? v : -v), 0);
  assert.ok(copied < bytes.length, `copies ${copied} of ${bytes.length} bytes`);
  for (let i = 2; i < ranges.length; i += 2) assert.ok(ranges[i] > ranges[i - 1], 'ranges are sorted and disjoint');
  assertSameOutput(bytes, 'skipped-sections component');
  assert.match(core.compile(bytes), /^\{"ok":true/);
});

test('truncations and byte flips of a component give the same output from the read ranges', async () => {
  const bytes = await assemble(SKIPPED_SECTIONS_WAT);
  for (let end = 0; end <= bytes.length; end++) assertSameOutput(bytes.subarray(0, end), `prefix of ${end} bytes`);
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let round = 0; round < 400; round++) {
    const copy = bytes.slice();
    const flips = 1 + Math.floor(random() * 3);
    for (let k = 0; k < flips; k++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    assertSameOutput(copy, `flip round ${round}`);
  }
});

test('malformed framing is handed to the core whole', () => {
  const preamble = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
  const cases = {
    'section size past the end': [...preamble, 0x01, 0x7f, 0x00],
    'overlong section size': [...preamble, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
    'module without a preamble': [...preamble, 0x01, 0x04, 0x01, 0x02, 0x03, 0x04],
    'custom section name past its section': [...preamble, 0x00, 0x02, 0x09, 0x61],
    'code section of one byte': [...preamble, 0x01, 0x0b, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x80],
  };
  for (const [what, list] of Object.entries(cases)) {
    const bytes = new Uint8Array(list);
    assertSameOutput(bytes, what);
    assert.match(core.compile(bytes), /^\{"ok":false/, what);
  }
  // Nesting deeper than the decoder accepts: the walk stops following it and copies the rest.
  let nested = new Uint8Array(preamble);
  for (let depth = 0; depth < 70; depth++) {
    const outer = new Uint8Array(preamble.length + 2 + nested.length + 4);
    outer.set(preamble);
    let at = preamble.length;
    outer[at++] = 0x04;
    let size = nested.length;
    do {
      outer[at++] = (size & 0x7f) | (size > 0x7f ? 0x80 : 0);
      size >>>= 7;
    } while (size);
    outer.set(nested, at);
    nested = outer.subarray(0, at + nested.length);
  }
  assertSameOutput(nested, 'deep nesting');
});

test('every fixture gives the same output from the read ranges', async () => {
  for (const folder of ['invalid', 'valid']) {
    const dir = new URL(`../fixtures/${folder}/`, import.meta.url);
    for (const name of watFiles(dir)) {
      let bytes;
      try {
        bytes = await assemble(readFileSync(new URL(name, dir), 'utf8'));
      } catch {
        continue; // text jco cannot encode is covered by invalid-fixtures.test.js
      }
      assertSameOutput(bytes, `${folder}/${name}`);
    }
  }
});

const corpusBinaries = corpusFiles(['.wasm']);

test('every corpus component gives the same output from the read ranges', { skip: corpusBinaries.length ? false : `no corpus at ${corpusUrl.pathname}` }, () => {
  for (const file of corpusBinaries) {
    const bytes = new Uint8Array(readFileSync(new URL(file, corpusUrl)));
    assertSameOutput(bytes, file);
    const ranges = coreReadRanges(bytes);
    const copied = ranges.reduce((n, v, i) => n + (i % 2 ? v : -v), 0);
    // Every corpus component has code in its core modules, which is never copied.
    assert.ok(copied < bytes.length, `${file}: copies ${copied} of ${bytes.length} bytes`);
  }
});
