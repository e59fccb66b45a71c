// The two builds of the core (js/core/load.js): the lean one that compile() uses and the full
// one with every message, wit() and link(). They are the same sources, the lean one built
// without message text (COMPOLY_LEAN), so on every input they must give the same verdict and,
// for a valid component, the same plan, byte for byte. A failure in the lean core carries no
// text: compile() then asks the full core, and the CompileError is the full core's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { loadCore, loadFullCore } from '../../js/core/load.js';
import { assemble, corpusFiles, corpusUrl, watFiles } from './helpers/node-inputs.js';

const lean = await loadCore();
const full = await loadFullCore();
const { compile, CompileError } = await import('../../js/index.js');

const fixtures = new URL('../fixtures/', import.meta.url);
const MUTANTS = 24;

async function inputs() {
  const list = [];
  for (const dir of ['valid', 'invalid', 'link']) {
    const url = new URL(`${dir}/`, fixtures);
    for (const name of watFiles(url)) {
      try {
        list.push({ name: `${dir}/${name}`, bytes: await assemble(readFileSync(new URL(name, url), 'utf8')) });
      } catch {
        // A fixture that does not assemble (a text-level test) has no bytes to compare.
      }
    }
  }
  for (const file of corpusFiles(['.wasm'])) list.push({ name: file, bytes: new Uint8Array(readFileSync(new URL(file, corpusUrl))) });
  return list;
}

// One-byte changes at positions spread over the input (a fixed seed, so a failure repeats).
function mutants(bytes, seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const out = [];
  for (let i = 0; i < MUTANTS && bytes.length > 8; i++) {
    const m = bytes.slice();
    const pos = 8 + (next() % (bytes.length - 8));
    m[pos] = next() & 0xff;
    out.push({ bytes: m, what: `byte 0x${pos.toString(16)} -> 0x${m[pos].toString(16)}` });
  }
  return out;
}

test('the lean core has compile() only; the full one also wit() and link()', () => {
  assert.equal(typeof lean.compile, 'function');
  assert.equal(lean.wit, undefined);
  assert.equal(lean.link, undefined);
  assert.equal(typeof full.wit, 'function');
  assert.equal(typeof full.link, 'function');
  assert.notEqual(lean.module, full.module);
});

test('the lean and the full core agree on every fixture, corpus component and mutant of them', async (t) => {
  const list = await inputs();
  if (corpusFiles(['.wasm']).length === 0) t.diagnostic(`corpus absent (${corpusUrl.pathname}): fixtures only`);
  const differences = [];
  let valid = 0;
  let invalid = 0;
  for (const [i, input] of list.entries()) {
    // Mutants of the small inputs only: a corpus component of megabytes is mostly code the
    // core does not read.
    const cases = [{ bytes: input.bytes, what: 'as it is' }, ...(input.bytes.length < 200_000 ? mutants(input.bytes, i + 1) : [])];
    for (const c of cases) {
      const fromFull = full.compile(c.bytes);
      const fromLean = lean.compile(c.bytes);
      if (JSON.parse(fromFull).ok) {
        valid++;
        if (fromLean !== fromFull) differences.push(`${input.name}, ${c.what}: the plans differ (lean ${fromLean.slice(0, 80)}…)`);
      } else {
        invalid++;
        if (fromLean !== '{"ok":false}') differences.push(`${input.name}, ${c.what}: the full core rejects it, the lean core answers ${fromLean.slice(0, 80)}`);
      }
    }
  }
  t.diagnostic(`${list.length} inputs: ${valid} valid and ${invalid} invalid components compared`);
  assert.ok(valid > 0 && invalid > 0, 'expected valid and invalid components among the inputs');
  assert.deepEqual(differences, []);
});

test('compile() reports a failure with the full core\'s message, path and offset', async () => {
  const text = readFileSync(new URL('invalid/canon-lift-signature-mismatch.wat', fixtures), 'utf8');
  const bytes = await assemble(text);
  const expected = JSON.parse(full.compile(bytes));
  assert.equal(expected.ok, false);
  await assert.rejects(compile(bytes), (error) => {
    assert.ok(error instanceof CompileError);
    assert.equal(error.message, expected.error.message);
    assert.equal(error.path, expected.error.path);
    assert.equal(error.offset, expected.error.offset);
    assert.equal(error.phase, expected.error.phase);
    return true;
  });
});
