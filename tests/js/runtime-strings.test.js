// @portable
// jco runtime fixture `strings` (wit-bindgen's C strings test, built with
// string-encoding=utf16): strings into and out of a UTF-16 guest, from host
// imports and through exports.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

const skip = await skipUnlessFixture('strings');
const UNICODE = '🚀🚀🚀 𠈄𓀀';

function hostImports(log) {
  return {
    'test:strings/imports': {
      takeBasic(s) {
        log.push(['takeBasic', s]);
      },
      returnUnicode() {
        log.push(['returnUnicode']);
        return UNICODE;
      },
    },
  };
}

describe('runtime: strings', { skip }, () => {
  let wasm;
  let stderr;
  const log = [];

  before(async () => {
    ({ exports: wasm, stderr } = await instantiateFixture('strings', hostImports(log)));
  });

  test('test-imports: the guest passes "latin utf16" and receives astral text', () => {
    wasm.testImports();
    assert.deepEqual(log, [['takeBasic', 'latin utf16'], ['returnUnicode']], stderr.text());
  });

  test('roundtrip: the values jco drives', () => {
    assert.equal(wasm.roundtrip('str'), 'str');
    assert.equal(wasm.roundtrip(UNICODE), UNICODE);
  });

  test('return-empty: an empty string (realloc of size 0 in the guest)', () => {
    assert.equal(wasm.returnEmpty(), '');
  });

  test('roundtrip: one code unit, BMP, astral, NUL and combining text', () => {
    for (const s of ['a', 'é', '€', '𝄞', 'a\0b', 'e\u0301', 'bom\uFEFF', '日本語テキスト', '\u{10FFFF}']) {
      assert.equal(wasm.roundtrip(s), s, JSON.stringify(s));
    }
  });

  test(
    'roundtrip: a string starting with U+FEFF keeps it',
    () => {
      assert.equal(wasm.roundtrip('\uFEFFbom'), '\uFEFFbom');
    },
  );

  test('roundtrip: long ASCII and non-ASCII strings', () => {
    const ascii = 'abcdefghij'.repeat(6554).slice(0, 65536);
    assert.equal(wasm.roundtrip(ascii), ascii);
    const mixed = 'ü🚀x'.repeat(10000);
    assert.equal(wasm.roundtrip(mixed), mixed);
  });

  test('a non-string argument is a TypeError', () => {
    assert.throws(() => wasm.roundtrip(42), TypeError);
    assert.throws(() => wasm.roundtrip(undefined), TypeError);
    assert.equal(wasm.roundtrip('still fine'), 'still fine');
  });

  test('a guest trap (assert on an empty string) is a RuntimeError, then the instance refuses calls', async () => {
    // The C guest asserts that roundtrip's argument is not empty: an
    // assertion failure prints through wasi:cli/stderr and aborts.
    const fresh = await instantiateFixture('strings', hostImports([]));
    assert.throws(() => fresh.exports.roundtrip(''), WebAssembly.RuntimeError);
    assert.match(fresh.stderr.text(), /ssertion/);
    assert.throws(() => fresh.exports.roundtrip('x'), WebAssembly.RuntimeError);
  });
});
