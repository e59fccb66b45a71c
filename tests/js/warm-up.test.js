// The warm-up component load.js compiles when it loads the core (js/core/warm-up.js,
// generated from js/core/warm-up.wat by scripts/gen-warm-up.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadCore } from '../../js/core/load.js';
import { warmUpBytes } from '../../js/core/warm-up.js';
import { assemble, loadJco } from './helpers/node-inputs.js';

test('js/core/warm-up.js holds the bytes of js/core/warm-up.wat', async (t) => {
  if (!(await loadJco())) return t.skip('@bytecodealliance/jco is not installed (npm install)');
  const wat = await readFile(new URL('../../js/core/warm-up.wat', import.meta.url), 'utf8');
  assert.deepEqual(warmUpBytes(), await assemble(wat), 'run node scripts/gen-warm-up.mjs');
});

test('the warm-up component compiles: it reaches validation, linking and the plan, not an error path', async () => {
  const core = await loadCore();
  const result = JSON.parse(core.compile(warmUpBytes()));
  assert.equal(result.ok, true, result.error?.message);
  const plan = result.plan;
  // An imported interface with a resource, lowered and lifted functions, two instantiations.
  assert.equal(plan.instantiations.length, 2);
  assert.equal(plan.lowered.length, 2);
  assert.equal(plan.lifted.length, 1);
  assert.equal(plan.resources.length, 1);
  assert.deepEqual(
    plan.imports.map((i) => i.name),
    ['wasi:demo/files@0.2.0'],
  );
});
