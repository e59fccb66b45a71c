// @portable
// jco runtime fixture `lists` (wit-bindgen's C lists test): lists of bytes,
// strings, nested lists, tuples and every numeric type (typed arrays), from
// host imports and through exports.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { instantiateFixture, recorder, skipUnlessFixture } from './helpers/runtime-host.js';

const skip = await skipUnlessFixture('lists');

describe('runtime: lists', { skip }, () => {
  let wasm;
  let stderr;
  const calls = {};

  before(async () => {
    const rec = recorder(calls);
    const pair = (u, s) => [u, s];
    ({ exports: wasm, stderr } = await instantiateFixture('lists', {
      'test:lists/test': {
        emptyListParam: rec('emptyListParam', () => {}),
        emptyStringParam: rec('emptyStringParam', () => {}),
        emptyListResult: rec('emptyListResult', () => new Uint8Array([])),
        emptyStringResult: rec('emptyStringResult', () => ''),
        listParam: rec('listParam', () => {}),
        listParam2: rec('listParam2', () => {}),
        listParam3: rec('listParam3', () => {}),
        listParam4: rec('listParam4', () => {}),
        listParam5: rec('listParam5', () => {}),
        listResult: rec('listResult', () => new Uint8Array([1, 2, 3, 4, 5])),
        listResult2: rec('listResult2', () => 'hello!'),
        listResult3: rec('listResult3', () => ['hello,', 'world!']),
        listRoundtrip: rec('listRoundtrip', (x) => x),
        stringRoundtrip: rec('stringRoundtrip', (x) => x),
        listMinmax8: rec('listMinmax8', pair),
        listMinmax16: rec('listMinmax16', pair),
        listMinmax32: rec('listMinmax32', pair),
        listMinmax64: rec('listMinmax64', pair),
        listMinmaxFloat: rec('listMinmaxFloat', pair),
      },
    }));
  });

  test('test-imports: what the guest passes to the host, as jco would give it', () => {
    wasm.testImports();
    const only = (name) => {
      assert.equal(calls[name]?.length, 1, `${name} called once (stderr: ${stderr.text()})`);
      return calls[name][0];
    };
    const [empty] = only('emptyListParam');
    assert.ok(empty instanceof Uint8Array);
    assert.equal(empty.length, 0);
    assert.deepEqual(only('emptyStringParam'), ['']);
    const [bytes] = only('listParam');
    assert.ok(bytes instanceof Uint8Array, 'list<u8> is a Uint8Array');
    assert.deepEqual(Array.from(bytes), [1, 2, 3, 4]);
    assert.deepEqual(only('listParam2'), ['foo']);
    assert.deepEqual(only('listParam3'), [['foo', 'bar', 'baz']]);
    assert.deepEqual(only('listParam4'), [[['foo', 'bar'], ['baz']]]);
    assert.deepEqual(only('listParam5'), [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    assert.deepEqual(
      calls.listRoundtrip.map(([a]) => new TextDecoder().decode(a)),
      ['', 'x', 'hello'],
    );
    assert.deepEqual(
      calls.stringRoundtrip.map(([a]) => a),
      ['x', '', 'hello', 'hello ⚑ world'],
    );

    const [u8, s8] = only('listMinmax8');
    assert.ok(u8 instanceof Uint8Array && s8 instanceof Int8Array);
    assert.deepEqual([...u8, ...s8], [0, 255, -128, 127]);
    const [u16, s16] = only('listMinmax16');
    assert.ok(u16 instanceof Uint16Array && s16 instanceof Int16Array);
    assert.deepEqual([...u16, ...s16], [0, 65535, -32768, 32767]);
    const [u32, s32] = only('listMinmax32');
    assert.ok(u32 instanceof Uint32Array && s32 instanceof Int32Array);
    assert.deepEqual([...u32, ...s32], [0, 4294967295, -2147483648, 2147483647]);
    const [u64, s64] = only('listMinmax64');
    assert.ok(u64 instanceof BigUint64Array && s64 instanceof BigInt64Array);
    assert.deepEqual([...u64, ...s64], [0n, 2n ** 64n - 1n, -(2n ** 63n), 2n ** 63n - 1n]);
    const [f32, f64] = only('listMinmaxFloat');
    assert.ok(f32 instanceof Float32Array && f64 instanceof Float64Array);
    assert.deepEqual([...f32], [-3.4028234663852886e38, 3.4028234663852886e38, -Infinity, Infinity]);
    assert.deepEqual([...f64], [-Number.MAX_VALUE, Number.MAX_VALUE, -Infinity, Infinity]);
  });

  test('exports under the full and the short interface name', () => {
    assert.equal(wasm.test, wasm['test:lists/test']);
  });

  test('params: the calls jco drives', () => {
    const bytes = wasm.allocatedBytes();
    wasm.test.emptyListParam(new Uint8Array([]));
    wasm.test.emptyStringParam('');
    wasm.test.listParam(new Uint8Array([1, 2, 3, 4]));
    wasm.test.listParamLarge('blah '.repeat(1000).slice(0, -1).split(' '));
    wasm.test.listParam2('foo');
    wasm.test.listParam3(['foo', 'bar', 'baz']);
    wasm.test.listParam4([['foo', 'bar'], ['baz']]);
    wasm.test.listParam5([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.equal(wasm.allocatedBytes(), bytes);
  });

  test('results: empty and non-empty lists and strings', () => {
    const empty = wasm.test.emptyListResult();
    assert.ok(empty instanceof Uint8Array);
    assert.equal(empty.length, 0);
    assert.equal(wasm.test.emptyStringResult(), '');
    const list = wasm.test.listResult();
    assert.ok(list instanceof Uint8Array, 'list<u8> comes back as a Uint8Array');
    assert.deepEqual(Array.from(list), [1, 2, 3, 4, 5]);
    assert.equal(wasm.test.listResult2(), 'hello!');
    assert.deepEqual(wasm.test.listResult3(), ['hello,', 'world!']);
  });

  test('a lifted list does not alias guest memory', () => {
    const a = wasm.test.listResult();
    const b = wasm.test.listResult();
    a[0] = 99;
    assert.equal(b[0], 1);
    assert.deepEqual(Array.from(wasm.test.listResult()), [1, 2, 3, 4, 5]);
  });

  test('list-roundtrip: a view into the middle of a buffer, empty, and 64 KiB', () => {
    const buffer = new ArrayBuffer(8);
    new Uint8Array(buffer).set([1, 2, 3, 4], 2);
    const view = new Uint8Array(buffer, 2, 4);
    assert.deepEqual(Array.from(wasm.test.listRoundtrip(view)), [1, 2, 3, 4]);
    assert.equal(wasm.test.listRoundtrip(new Uint8Array(0)).length, 0);
    const big = new Uint8Array(65536).map((_, i) => (i * 7) & 0xff);
    assert.deepEqual(wasm.test.listRoundtrip(big), big);
  });

  test('string-roundtrip: empty, ASCII, non-ASCII and astral UTF-8', () => {
    assert.equal(wasm.test.stringRoundtrip('x'), 'x');
    assert.equal(wasm.test.stringRoundtrip(''), '');
    assert.equal(wasm.test.stringRoundtrip('hello ⚑ world'), 'hello ⚑ world');
    assert.equal(wasm.test.stringRoundtrip('🚀 𠈄𓀀 \u{10FFFF}'), '🚀 𠈄𓀀 \u{10FFFF}');
    const long = 'añ€🚀'.repeat(20000);
    assert.equal(wasm.test.stringRoundtrip(long), long);
  });

  test(
    'string-roundtrip: a leading U+FEFF survives',
    () => {
      assert.equal(wasm.test.stringRoundtrip('\uFEFFx'), '\uFEFFx');
    },
  );

  test('wrong list input is a TypeError naming the parameter', () => {
    assert.throws(() => wasm.test.listParam3(['foo', 1]), { name: 'TypeError', message: /parameter 'a'/ });
    assert.throws(() => wasm.test.listParam3('foo'), TypeError);
    assert.throws(() => wasm.test.listParam5([[1, 2]]), TypeError);
    assert.throws(() => wasm.test.listParam5([[1, 2, 256]]), TypeError);
    assert.throws(() => wasm.test.listParam2(['f', 'o', 'o']), TypeError);
    assert.equal(wasm.test.stringRoundtrip('ok'), 'ok');
  });
});
