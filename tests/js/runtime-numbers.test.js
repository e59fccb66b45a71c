// @portable
// jco runtime fixture `numbers` (wit-bindgen's numbers test): every scalar
// type through host imports (driven by the guest's test-imports) and through
// the guest's exports, with edge values.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

const skip = await skipUnlessFixture('numbers');

describe('runtime: numbers', { skip }, () => {
  let wasm;
  let seen;
  let scalar = 0;

  before(async () => {
    seen = {};
    const record = (name) => (x) => {
      (seen[name] ??= []).push(x);
      return x;
    };
    const names = ['U8', 'S8', 'U16', 'S16', 'U32', 'S32', 'U64', 'S64', 'F32', 'F64', 'Char'];
    const iface = Object.fromEntries(names.map((n) => [`roundtrip${n}`, record(n)]));
    iface.setScalar = (x) => {
      scalar = x;
    };
    iface.getScalar = () => scalar;
    ({ exports: wasm } = await instantiateFixture('numbers', { 'test:numbers/test': iface }));
  });

  test('exports appear under the full and the short interface name', () => {
    assert.equal(wasm['test:numbers/test'], wasm.test);
    assert.equal(typeof wasm.testImports, 'function');
  });

  test('test-imports: the guest round-trips min/max of every type through the host', () => {
    wasm.testImports();
    assert.deepEqual(seen.U8, [1, 0, 255]);
    assert.deepEqual(seen.S8, [1, -128, 127]);
    assert.deepEqual(seen.U16, [1, 0, 65535]);
    assert.deepEqual(seen.S16, [1, -32768, 32767]);
    assert.deepEqual(seen.U32, [1, 0, 4294967295]);
    assert.deepEqual(seen.S32, [1, -2147483648, 2147483647]);
    // The guest is wit-bindgen's C test, which uses ULONG_MAX/LONG_MIN/LONG_MAX:
    // 32-bit on wasm32, so these are the 32-bit limits carried as u64/s64.
    assert.deepEqual(seen.U64, [1n, 0n, 4294967295n]);
    assert.deepEqual(seen.S64, [1n, -2147483648n, 2147483647n]);
    assert.equal(seen.F32.length, 4);
    assert.deepEqual(seen.F32.slice(0, 3), [1, Infinity, -Infinity]);
    assert.ok(Number.isNaN(seen.F32[3]));
    assert.deepEqual(seen.F64.slice(0, 3), [1, Infinity, -Infinity]);
    assert.ok(Number.isNaN(seen.F64[3]));
    assert.deepEqual(seen.Char, ['a', ' ', '🚩']);
    assert.equal(scalar, 4);
  });

  test('integers: the values jco drives', () => {
    const t = wasm.test;
    assert.equal(t.roundtripU8(1), 1);
    assert.equal(t.roundtripU8((1 << 8) - 1), 255);
    assert.equal(t.roundtripS8(1), 1);
    assert.equal(t.roundtripS8((1 << 7) - 1), 127);
    assert.equal(t.roundtripS8(-(1 << 7)), -128);
    assert.equal(t.roundtripU16(1), 1);
    assert.equal(t.roundtripU16((1 << 16) - 1), 65535);
    assert.equal(t.roundtripS16(1), 1);
    assert.equal(t.roundtripS16((1 << 15) - 1), 32767);
    assert.equal(t.roundtripS16(-(1 << 15)), -32768);
    assert.equal(t.roundtripU32(1), 1);
    assert.equal(t.roundtripU32(~0 >>> 0), 4294967295);
    assert.equal(t.roundtripS32(1), 1);
    assert.equal(t.roundtripS32(((1 << 31) - 1) >>> 0), 2147483647);
    assert.equal(t.roundtripS32(1 << 31), -2147483648);
  });

  test('integers: zero and minimum of every type, results are plain numbers', () => {
    const t = wasm.test;
    for (const f of ['roundtripU8', 'roundtripS8', 'roundtripU16', 'roundtripS16', 'roundtripU32', 'roundtripS32']) {
      assert.equal(t[f](0), 0, f);
      assert.ok(Object.is(t[f](0), 0), `${f}(0) is +0`);
    }
    assert.equal(t.roundtripU32(0x80000000), 0x80000000);
    assert.equal(t.roundtripS8(-1), -1);
    assert.equal(t.roundtripS16(-1), -1);
    assert.equal(t.roundtripS32(-1), -1);
  });

  test('u64/s64 are BigInt both ways, full range', () => {
    const t = wasm.test;
    assert.equal(t.roundtripU64(1n), 1n);
    assert.equal(t.roundtripU64(0n), 0n);
    assert.equal(t.roundtripU64((1n << 64n) - 1n), (1n << 64n) - 1n);
    assert.equal(t.roundtripU64(1n << 63n), 1n << 63n);
    assert.equal(t.roundtripU64(2n ** 53n + 1n), 2n ** 53n + 1n);
    assert.equal(t.roundtripS64(1n), 1n);
    assert.equal(t.roundtripS64((1n << 63n) - 1n), (1n << 63n) - 1n);
    assert.equal(t.roundtripS64(-(1n << 63n)), -(1n << 63n));
    assert.equal(t.roundtripS64(-1n), -1n);
    assert.equal(typeof t.roundtripU64(5n), 'bigint');
  });

  test('f32/f64: infinities, NaN, -0, rounding to f32', () => {
    const t = wasm.test;
    assert.equal(t.roundtripF32(1), 1);
    assert.equal(t.roundtripF32(Infinity), Infinity);
    assert.equal(t.roundtripF32(-Infinity), -Infinity);
    assert.ok(Number.isNaN(t.roundtripF32(NaN)));
    assert.equal(t.roundtripF64(1), 1);
    assert.equal(t.roundtripF64(Infinity), Infinity);
    assert.equal(t.roundtripF64(-Infinity), -Infinity);
    assert.ok(Number.isNaN(t.roundtripF64(NaN)));
    assert.ok(Object.is(t.roundtripF64(-0), -0), 'f64 keeps -0');
    assert.ok(Object.is(t.roundtripF32(-0), -0), 'f32 keeps -0');
    assert.equal(t.roundtripF32(0.1), Math.fround(0.1));
    assert.equal(t.roundtripF64(0.1), 0.1);
    assert.equal(t.roundtripF64(Number.MAX_VALUE), Number.MAX_VALUE);
    assert.equal(t.roundtripF64(Number.MIN_VALUE), Number.MIN_VALUE);
    assert.equal(t.roundtripF32(3.4028234663852886e38), 3.4028234663852886e38);
  });

  test('char: ASCII, space, astral, the ends of the scalar range', () => {
    const t = wasm.test;
    assert.equal(t.roundtripChar('a'), 'a');
    assert.equal(t.roundtripChar(' '), ' ');
    assert.equal(t.roundtripChar('🚩'), '🚩');
    assert.equal(t.roundtripChar('\0'), '\0');
    assert.equal(t.roundtripChar('\u{D7FF}'), '\u{D7FF}');
    assert.equal(t.roundtripChar('\u{E000}'), '\u{E000}');
    assert.equal(t.roundtripChar('\u{10FFFF}'), '\u{10FFFF}');
    assert.equal(t.roundtripChar('é'), 'é');
  });

  test('scalar state lives in the guest', () => {
    wasm.test.setScalar(2);
    assert.equal(wasm.test.getScalar(), 2);
    wasm.test.setScalar(4);
    assert.equal(wasm.test.getScalar(), 4);
    wasm.test.setScalar(4294967295);
    assert.equal(wasm.test.getScalar(), 4294967295);
  });

  test('wrong JS input is a TypeError, and the instance keeps working', () => {
    const t = wasm.test;
    assert.throws(() => t.roundtripU8('1'), TypeError);
    assert.throws(() => t.roundtripU8(256), TypeError);
    assert.throws(() => t.roundtripU8(-1), TypeError);
    assert.throws(() => t.roundtripS8(128), TypeError);
    assert.throws(() => t.roundtripU32(1.5), TypeError);
    assert.throws(() => t.roundtripU64(-1n), TypeError);
    assert.throws(() => t.roundtripU64(2n ** 64n), TypeError);
    assert.throws(() => t.roundtripS64(2n ** 63n), TypeError);
    assert.throws(() => t.roundtripChar('ab'), TypeError);
    assert.throws(() => t.roundtripChar(''), TypeError);
    assert.throws(() => t.roundtripChar('\uD800'), TypeError, 'a lone surrogate is not a char');
    assert.throws(() => t.roundtripF64('1'), TypeError);
    assert.equal(t.roundtripU8(7), 7);
  });
});
