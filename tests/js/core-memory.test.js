// The cores' malloc (src/heap/bump_heap.h) hands out memory from a pointer that only moves up,
// and drops back to the bottom when the last block is freed. That is only sound if every call
// into a core frees all it allocated: the input, the answer and everything in between. These
// tests check it through the next block's address, which is the bottom again after each call,
// and through the memory's size, which stays the same however many calls follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { loadCore, loadFullCore } from '../../js/core/load.js';
import { assemble } from './helpers/node-inputs.js';

const fixtures = new URL('../fixtures/', import.meta.url);
const valid = await assemble(readFileSync(new URL('valid/lift-string.wat', fixtures), 'utf8'));
const invalid = await assemble(readFileSync(new URL('invalid/alias-export-missing-name.wat', fixtures), 'utf8'));
const truncated = valid.slice(0, valid.length - 1); // ends inside its last section
const lean = await loadCore();
const full = await loadFullCore();

// Where the heap's next block starts.
function nextBlock(core) {
  const at = core.module._malloc(1);
  core.module._free(at);
  return at;
}

for (const [name, core, calls] of [
  ['lean', lean, (c) => [c.compile(valid), c.compile(invalid), c.compile(truncated)]],
  ['full', full, (c) => [c.compile(valid), c.compile(invalid), c.compile(truncated), c.wit(valid), c.link([valid], '')]],
]) {
  test(`the ${name} core frees everything each call allocated, on success and on failure`, () => {
    const bottom = nextBlock(core);
    const answers = calls(core);
    assert.match(answers[0], /^\{"ok":true/);
    assert.match(answers[1], /^\{"ok":false/);
    assert.match(answers[2], /^\{"ok":false/);
    assert.equal(nextBlock(core), bottom);
    const size = core.module.HEAPU8.length;
    for (let i = 0; i < 200; i++) calls(core);
    assert.equal(nextBlock(core), bottom);
    assert.equal(core.module.HEAPU8.length, size);
  });
}

test('a block the caller keeps is not handed out again, and the heap resets once it is freed', () => {
  const { module } = lean;
  const bottom = nextBlock(lean);
  const kept = module._malloc(64);
  module.HEAPU8.fill(0xab, kept, kept + 64);
  const answer = lean.compile(valid);
  assert.match(answer, /^\{"ok":true/);
  assert.ok(module.HEAPU8.subarray(kept, kept + 64).every((b) => b === 0xab));
  assert.notEqual(nextBlock(lean), bottom);
  module._free(kept);
  assert.equal(nextBlock(lean), bottom);
});
