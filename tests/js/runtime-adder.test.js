// @portable
// jco fixtures `adder` (docs:adder/add, a Rust component jco uses for its
// codegen and memory tests) and `asmjs_bigint` (an s64 add, which jco drives
// in its --js mode).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

describe('runtime: adder', { skip: await skipUnlessFixture('adder') }, () => {
  test('add.add, under the full and the short name', async () => {
    const { exports } = await instantiateFixture('adder');
    assert.equal(exports['docs:adder/add@0.1.0'], exports.add);
    assert.equal(exports.add.add(1, 3), 4);
    assert.equal(exports.add.add(0, 0), 0);
    assert.equal(exports.add.add(2147483647, 1), 2147483648);
    assert.equal(exports.add.add(0xffffffff, 1), 0, 'u32 addition wraps');
  });

  test('a host call loop (jco memory test): many calls on one instance', async () => {
    const { exports } = await instantiateFixture('adder');
    let sum = 0;
    for (let i = 0; i < 100000; i++) sum += exports.add.add(i, 3) - i;
    assert.equal(sum, 300000);
  });

  test('instances are independent and the component is compiled once', async () => {
    const a = await instantiateFixture('adder');
    const b = await instantiateFixture('adder');
    assert.equal(a.component, b.component);
    assert.notEqual(a.exports.add, b.exports.add);
    assert.equal(b.exports.add.add(20, 22), 42);
  });

  test('wrong input is a TypeError', async () => {
    const { exports } = await instantiateFixture('adder');
    assert.throws(() => exports.add.add(-1, 1), TypeError);
    assert.throws(() => exports.add.add(1n, 1), TypeError);
    assert.throws(() => exports.add.add(1), TypeError);
  });
});

describe('runtime: asmjs_bigint', { skip: await skipUnlessFixture('asmjs_bigint') }, () => {
  test('s64 add: the calls jco drives', async () => {
    const { exports } = await instantiateFixture('asmjs_bigint', {});
    assert.equal(exports.add(1n, 2n), 3n);
    assert.equal(exports.add(1n << 33n, -(1n << 42n)), -4389456576512n);
  });

  test('s64 add: signs, limits and two\'s complement wrap-around', async () => {
    const { exports } = await instantiateFixture('asmjs_bigint', {});
    assert.equal(exports.add(-1n, -1n), -2n);
    assert.equal(exports.add(-(2n ** 63n), 0n), -(2n ** 63n));
    assert.equal(exports.add(2n ** 63n - 1n, 1n), -(2n ** 63n));
    assert.equal(exports.add(2n ** 53n, 1n), 2n ** 53n + 1n);
    assert.throws(() => exports.add(2n ** 63n, 0n), TypeError);
  });
});
