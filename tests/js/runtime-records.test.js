// @portable
// jco runtime fixture `records` (wit-bindgen's C records test): tuples as
// arrays, flags as objects of booleans (8, 16 and 32 labels), records as
// camelCase objects, from host imports and through exports.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { instantiateFixture, recorder, skipUnlessFixture } from './helpers/runtime-host.js';

const skip = await skipUnlessFixture('records');

function allFlags(n, value = false) {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, value]));
}

describe('runtime: records', { skip }, () => {
  let wasm;
  let stderr;
  const calls = {};

  before(async () => {
    const rec = recorder(calls);
    ({ exports: wasm, stderr } = await instantiateFixture('records', {
      'test:records/test': {
        multipleResults: rec('multipleResults', () => [4, 5]),
        swapTuple: rec('swapTuple', ([a, b]) => [b, a]),
        roundtripFlags1: rec('roundtripFlags1', (x) => x),
        roundtripFlags2: rec('roundtripFlags2', (x) => x),
        roundtripFlags3: rec('roundtripFlags3', (r0, r1, r2) => [r0, r1, r2]),
        roundtripRecord1: rec('roundtripRecord1', (x) => x),
        tuple1: rec('tuple1', ([x]) => [x]),
      },
    }));
  });

  test('test-imports: tuples, flags and records as the host receives them', () => {
    wasm.testImports();
    const args = (name) => (calls[name] ?? []).map((a) => a);
    assert.deepEqual(args('multipleResults'), [[]], stderr.text());
    assert.deepEqual(args('swapTuple'), [[[1, 2]]]);
    assert.deepEqual(args('roundtripFlags1'), [
      [{ a: true, b: false }],
      [{ a: false, b: false }],
      [{ a: false, b: true }],
      [{ a: true, b: true }],
    ]);
    assert.deepEqual(args('roundtripFlags2'), [
      [{ c: true, d: false, e: false }],
      [{ c: false, d: false, e: false }],
      [{ c: false, d: true, e: false }],
      [{ c: true, d: false, e: true }],
    ]);
    assert.deepEqual(args('roundtripFlags3'), [
      [
        { ...allFlags(8), b0: true },
        { ...allFlags(16), b1: true },
        { ...allFlags(32), b2: true },
      ],
    ]);
    assert.deepEqual(args('roundtripRecord1'), [
      [{ a: 8, b: { a: false, b: false } }],
      [{ a: 0, b: { a: true, b: true } }],
    ]);
    assert.deepEqual(args('tuple1'), [[[1]]]);
  });

  test('exports under the full and the short interface name', () => {
    assert.equal(wasm.test, wasm['test:records/test']);
  });

  test('tuples: multiple results, swap, one-element tuple', () => {
    assert.deepEqual(wasm.test.multipleResults(), [100, 200]);
    assert.deepEqual(wasm.test.swapTuple([1, 2]), [2, 1]);
    assert.deepEqual(wasm.test.swapTuple([255, 4294967295]), [4294967295, 255]);
    assert.deepEqual(wasm.test.tuple1([1]), [1]);
    assert.ok(Array.isArray(wasm.test.tuple1([0])));
  });

  test('flags with 2 and 3 labels: the values jco drives', () => {
    assert.deepEqual(wasm.test.roundtripFlags1({ a: true }), { a: true, b: false });
    assert.deepEqual(wasm.test.roundtripFlags1({}), { a: false, b: false });
    assert.deepEqual(wasm.test.roundtripFlags1({ a: true, b: true }), { a: true, b: true });
    assert.deepEqual(wasm.test.roundtripFlags2({ c: true }), { c: true, d: false, e: false });
    assert.deepEqual(wasm.test.roundtripFlags2({}), { c: false, d: false, e: false });
    assert.deepEqual(wasm.test.roundtripFlags2({ d: true }), { c: false, d: true, e: false });
    assert.deepEqual(wasm.test.roundtripFlags2({ c: true, e: true }), { c: true, d: false, e: true });
  });

  test('flags with 8, 16 and 32 labels: none, one, the highest, all', () => {
    const f = wasm.test.roundtripFlags3;
    assert.deepEqual(f({}, {}, {}), [allFlags(8), allFlags(16), allFlags(32)]);
    assert.deepEqual(f({ b7: true }, { b15: true }, { b31: true }), [
      { ...allFlags(8), b7: true },
      { ...allFlags(16), b15: true },
      { ...allFlags(32), b31: true },
    ]);
    assert.deepEqual(f(allFlags(8, true), allFlags(16, true), allFlags(32, true)), [
      allFlags(8, true),
      allFlags(16, true),
      allFlags(32, true),
    ]);
    assert.deepEqual(f({ b0: true, b3: true }, { b8: true }, { b16: true, b30: true }), [
      { ...allFlags(8), b0: true, b3: true },
      { ...allFlags(16), b8: true },
      { ...allFlags(32), b16: true, b30: true },
    ]);
  });

  test('record with a nested flags field', () => {
    {
      const { a, b } = wasm.test.roundtripRecord1({ a: 8, b: {} });
      assert.equal(a, 8);
      assert.deepEqual(b, { a: false, b: false });
    }
    {
      const { a, b } = wasm.test.roundtripRecord1({ a: 0, b: { a: true, b: true } });
      assert.equal(a, 0);
      assert.deepEqual(b, { a: true, b: true });
    }
    assert.deepEqual(wasm.test.roundtripRecord1({ a: 255, b: { b: true } }), { a: 255, b: { a: false, b: true } });
  });

  test('wrong input is a TypeError: missing record field, short tuple, bad field type', () => {
    assert.throws(() => wasm.test.roundtripRecord1({ b: {} }), TypeError);
    assert.throws(() => wasm.test.roundtripRecord1({ a: 'x', b: {} }), TypeError);
    assert.throws(() => wasm.test.swapTuple([1]), TypeError);
    assert.throws(() => wasm.test.swapTuple(1), TypeError);
    assert.throws(() => wasm.test.roundtripFlags1(3), TypeError);
    assert.deepEqual(wasm.test.swapTuple([3, 4]), [4, 3]);
  });
});
