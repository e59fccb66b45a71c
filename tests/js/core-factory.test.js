// provideCoreFactory(): realms that refuse import() (Service Workers) hand compoly the cores'
// glues. With only the lean one, a component that compiles still compiles; one that does not
// fails with an error that says what is missing, rather than hanging or failing obscurely.
// (Its own file: the factories are state of js/core/load.js for the whole process.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import createCompolyCore from '../../js/core/compoly-core.mjs';
import createCompolyCoreFull from '../../js/core/compoly-core-full.mjs';
import { loadFullCore, provideCoreFactory } from '../../js/core/load.js';
import { compile, CompileError } from '../../js/index.js';
import { assemble } from './helpers/node-inputs.js';

const fixture = (path) => assemble(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));

test('with the lean glue alone: valid components compile, an invalid one names the missing full core', async () => {
  provideCoreFactory(createCompolyCore);
  const component = await compile(await fixture('valid/lift-string.wat'));
  assert.ok(component.plan.lifted.length > 0);
  await assert.rejects(loadFullCore(), /compoly-core-full\.mjs.*provideCoreFactory/);
  await assert.rejects(compile(await fixture('invalid/canon-lift-signature-mismatch.wat')), /the full core \(compoly-core-full\.mjs\) was not provided/);
});

test('with both glues: an invalid component fails with its CompileError', async () => {
  provideCoreFactory(createCompolyCore, createCompolyCoreFull);
  await assert.rejects(compile(await fixture('invalid/canon-lift-signature-mismatch.wat')), (error) => {
    assert.ok(error instanceof CompileError, String(error));
    assert.match(error.message, /^component > canon\[\d+\] at byte 0x[0-9a-f]+: /);
    return true;
  });
});

// scripts/trim-glue.mjs takes the glues' own loaders of the .wasm out: called without
// instantiateWasm, a glue says who loads it instead of fetching or hanging.
test('a glue called without instantiateWasm rejects, naming load.js', async () => {
  for (const factory of [createCompolyCore, createCompolyCoreFull]) {
    await assert.rejects(factory({ printErr: () => {} }), /instantiated by load\.js, which passes instantiateWasm/);
  }
});
