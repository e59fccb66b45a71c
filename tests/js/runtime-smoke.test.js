// @portable — runs in Node and, through tests/browser/portable.test.js, in Chromium and Firefox.
// A first end-to-end check of the runtime on corpus components without WASI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, instantiate, ComponentError } from '../../js/index.js';
import { corpusUrl, exists, readBytes } from './helpers/files.js';

const haveCorpus = await exists(new URL('jco-runtime/adder.component.wasm', corpusUrl));
const skip = !haveCorpus && 'the conformance corpus (../shared/corpus) is absent';

async function load(name, imports = {}) {
  const component = await compile(await readBytes(new URL(`jco-runtime/${name}`, corpusUrl)));
  return (await instantiate(component, imports)).exports;
}

test('adder: add(u32, u32) -> u32 through an exported interface', { skip }, async () => {
  const exports = await load('adder.component.wasm');
  assert.equal(exports.add.add(2, 3), 5);
  assert.equal(exports['docs:adder/add@0.1.0'].add(4294967295, 1), 0);
  assert.throws(() => exports.add.add('2', 3), /parameter 'x'.*expected u32/);
});

test('asmjs_bigint: s64 as BigInt', { skip }, async () => {
  const exports = await load('asmjs_bigint.component.wasm');
  assert.equal(exports.add(1n, 2n), 3n);
  assert.equal(exports.add(-(2n ** 63n), -1n), 2n ** 63n - 1n);
});

test('simple-nested: a nested component calls the host import through two lifts', { skip }, async () => {
  for (const name of ['simple-nested.component.wasm', 'simple-nested-optimized.component.wasm']) {
    const exports = await load(name, { 'calvinrp:test-async-funcs/hello': { helloWorld: () => 'hi from the host' } });
    assert.equal(exports.hello.helloWorld(), 'hi from the host');
  }
});

test('ComponentError is exported for result errors', () => {
  const e = new ComponentError('boom');
  assert.equal(e.payload, 'boom');
});
