// @portable
// wit-bindgen's `options` runtime test (Rust guest, from jco's fixtures):
// option<string> as value-or-undefined, and option<option<u32>> whose outer
// option is tagged (`{ tag: 'none' }` / `{ tag: 'some', val }`) because its
// payload can itself be undefined — jco's mapping.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { instantiateFixture, recorder, skipUnlessFixture } from './helpers/runtime-host.js';

// jco (function_bindgen.rs, OptionLift/OptionLower with maybe_null): the outer
// option of option<option<u32>> is tagged, the inner one is value-or-undefined.

describe('runtime: options', { skip: await skipUnlessFixture('options') }, () => {
  let wasm;
  let stderr;
  const calls = {};

  before(async () => {
    const rec = recorder(calls);
    ({ exports: wasm, stderr } = await instantiateFixture('options', {
      'test:options/test': {
        optionNoneParam: rec('optionNoneParam', () => {}),
        optionSomeParam: rec('optionSomeParam', () => {}),
        optionNoneResult: rec('optionNoneResult', () => undefined),
        optionSomeResult: rec('optionSomeResult', () => 'foo'),
        optionRoundtrip: rec('optionRoundtrip', (a) => a),
        doubleOptionRoundtrip: rec('doubleOptionRoundtrip', (a) => a),
      },
    }));
  });

  test('test-imports: the host sees none as undefined and nested options tagged', () => {
    wasm.testImports();
    const args = (name) => calls[name] ?? [];
    assert.deepEqual(args('optionNoneParam'), [[undefined]], stderr.text());
    assert.deepEqual(args('optionSomeParam'), [['foo']]);
    assert.deepEqual(args('optionNoneResult'), [[]]);
    assert.deepEqual(args('optionSomeResult'), [[]]);
    assert.deepEqual(args('optionRoundtrip'), [['foo']]);
    assert.equal(args('doubleOptionRoundtrip').length, 3);
    assert.deepEqual(args('doubleOptionRoundtrip')[0], [{ tag: 'some', val: 42 }]);
  });

  test(
    'test-imports: some(none) and none of option<option<u32>> reach the host as jco gives them',
    () => {
      assert.deepEqual(calls.doubleOptionRoundtrip, [
        [{ tag: 'some', val: 42 }],
        [{ tag: 'some', val: undefined }],
        [{ tag: 'none' }],
      ]);
    },
  );

  test('exports under the full and the short interface name', () => {
    assert.equal(wasm.test, wasm['test:options/test']);
  });

  test('option<string> results and params (as the wasmtime host drives them)', () => {
    assert.equal(wasm.test.optionNoneResult(), undefined);
    assert.equal(wasm.test.optionSomeResult(), 'foo');
    assert.equal(wasm.test.optionNoneParam(undefined), undefined);
    assert.equal(wasm.test.optionSomeParam('foo'), undefined);
    assert.equal(wasm.test.optionRoundtrip('foo'), 'foo');
  });

  test('option<string> roundtrip: none, empty string is some, unicode', () => {
    assert.equal(wasm.test.optionRoundtrip(undefined), undefined);
    assert.equal(wasm.test.optionRoundtrip(null), undefined);
    assert.equal(wasm.test.optionRoundtrip(''), '');
    assert.equal(wasm.test.optionRoundtrip('🚀 ü'), '🚀 ü');
  });

  test('option<option<u32>>: some(some(x))', () => {
    assert.deepEqual(wasm.test.doubleOptionRoundtrip({ tag: 'some', val: 42 }), { tag: 'some', val: 42 });
    assert.deepEqual(wasm.test.doubleOptionRoundtrip({ tag: 'some', val: 0 }), { tag: 'some', val: 0 });
    assert.deepEqual(wasm.test.doubleOptionRoundtrip({ tag: 'some', val: 4294967295 }), { tag: 'some', val: 4294967295 });
  });

  test('option<option<u32>>: some(none) and none, tagged on the outer option', () => {
    assert.deepEqual(wasm.test.doubleOptionRoundtrip({ tag: 'some', val: undefined }), { tag: 'some', val: undefined });
    assert.deepEqual(wasm.test.doubleOptionRoundtrip({ tag: 'none' }), { tag: 'none' });
  });

  test('wrong input: a bare value for the tagged outer option, a bad inner payload', () => {
    assert.throws(() => wasm.test.doubleOptionRoundtrip(42), TypeError);
    assert.throws(() => wasm.test.doubleOptionRoundtrip({ tag: 'maybe' }), TypeError);
    assert.throws(() => wasm.test.doubleOptionRoundtrip({ tag: 'some', val: -1 }), TypeError);
    assert.throws(() => wasm.test.optionRoundtrip(5), TypeError);
    assert.equal(wasm.test.optionRoundtrip('ok'), 'ok');
  });
});
