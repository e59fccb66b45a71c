// End to end: for every corpus component, the WIT our runtime prints
// (`component.wit()`) has the same shape as what `jco wit` prints: same
// imports and exports, same function signatures and named types per scope.
// Skips, saying why, while the corpus, jco, or our `compile().wit()` is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { assemble, corpusFiles, corpusUrl as corpus, loadJco, watFiles } from './helpers/node-inputs.js';
import { WasmTools } from './helpers/wasm-tools.js';
import { witShape } from './helpers/wit-shape.js';

async function loadCompile() {
  try {
    const mod = await import('../../js/index.js');
    return typeof mod.compile === 'function' ? mod.compile : null;
  } catch (err) {
    // Only a missing entry point means "not written yet"; anything else
    // (a syntax error, a failing import inside it) must fail loudly.
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('js/index.js')) return null;
    throw err;
  }
}

const files = corpusFiles();

if (files.length === 0) {
  test('WIT matches jco wit', (t) => t.skip(`corpus absent: ${fileURLToPath(corpus)}`));
}

for (const file of files) {
  test(`WIT of ${file} matches jco wit`, async (t) => {
    const jco = await loadJco();
    if (!jco) return t.skip('@bytecodealliance/jco not installed (npm install)');
    const compile = await loadCompile();
    if (!compile) return t.skip('js/index.js has no compile() yet');

    const raw = readFileSync(new URL(file, corpus));
    let bytes = raw;
    if (file.endsWith('.wat')) {
      try {
        bytes = await jco.parse(raw.toString('utf8'));
      } catch (err) {
        return t.skip(`jco cannot assemble it: ${String(err).split('\n')[0]}`);
      }
    }
    let expected;
    try {
      expected = await jco.componentWit(bytes);
    } catch (err) {
      return t.skip(`jco cannot decode it: ${String(err).split('\n')[0]}`);
    }

    const component = await compile(bytes);
    if (typeof component?.wit !== 'function') return t.skip('compiled component has no wit() yet');
    const ours = await component.wit();
    assert.equal(typeof ours, 'string');
    assert.deepEqual(witShape(ours), witShape(expected), `ours:\n${ours}\njco:\n${expected}`);
  });
}

// The valid fixtures too, where jco can print a world for them (a component that exports a
// bare type, say, has none).
const validDir = new URL('../fixtures/valid/', import.meta.url);
const tools = new WasmTools();
for (const name of watFiles(validDir)) {
  test(`WIT of fixtures/valid/${name} matches jco wit`, async (t) => {
    const jco = await loadJco();
    if (!jco) return t.skip('@bytecodealliance/jco not installed (npm install)');
    const compile = await loadCompile();
    if (!compile) return t.skip('js/index.js has no compile() yet');
    const bytes = await assemble(readFileSync(new URL(name, validDir), 'utf8'));
    const ours = await (await compile(bytes)).wit();
    assert.match(ours, /^package root:component;\n\nworld root \{\n/);
    let expected;
    try {
      expected = await tools.componentWit(bytes);
    } catch (err) {
      return t.skip(`jco cannot decode it (ours prints a world): ${String(err).split('\n')[0]}`);
    }
    assert.deepEqual(witShape(ours), witShape(expected), `ours:\n${ours}\njco:\n${expected}`);
  });
}
