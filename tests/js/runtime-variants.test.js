// @portable
// jco runtime fixture `variants` (wit-bindgen's C variants test): options,
// results (thrown as ComponentError at the top of an export, `{ tag, val }`
// inside), enums, bools, variants whose cases join different flat types, and
// variants with empty cases.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { ComponentError } from '../../js/index.js';
import { instantiateFixture, recorder, skipUnlessFixture } from './helpers/runtime-host.js';

const skip = await skipUnlessFixture('variants');

describe('runtime: variants', { skip }, () => {
  let wasm;
  let stderr;
  const calls = {};

  before(async () => {
    const rec = recorder(calls);
    ({ exports: wasm, stderr } = await instantiateFixture('variants', {
      'test:variants/test': {
        roundtripOption: rec('roundtripOption', (x) => x),
        roundtripResult: rec('roundtripResult', (x) => {
          if (x.tag === 'ok') return x.val;
          throw Object.assign(new Error(''), { payload: Math.round(x.val) });
        }),
        roundtripEnum: rec('roundtripEnum', (x) => x),
        invertBool: rec('invertBool', (x) => !x),
        variantCasts: rec('variantCasts', (x) => x),
        variantZeros: rec('variantZeros', (x) => x),
        variantTypedefs: rec('variantTypedefs', () => {}),
        variantEnums: rec('variantEnums', () => [false, { tag: 'err', val: undefined }, 'a']),
      },
    }));
  });

  test('test-imports: options, results, enums and variants as the host receives them', () => {
    wasm.testImports();
    const args = (name) => calls[name] ?? [];
    assert.deepEqual(args('roundtripOption'), [[1], [undefined], [2]], stderr.text());
    assert.equal(args('roundtripResult').length, 3);
    assert.deepEqual(args('roundtripResult')[0], [{ tag: 'ok', val: 2 }]);
    assert.deepEqual(args('roundtripResult')[1], [{ tag: 'ok', val: 4 }]);
    const [err] = args('roundtripResult')[2];
    assert.equal(err.tag, 'err');
    assert.equal(err.val, Math.fround(5.3));
    assert.deepEqual(args('roundtripEnum'), [['a'], ['b']]);
    assert.deepEqual(args('invertBool'), [[true], [false]]);
    assert.deepEqual(args('variantCasts'), [
      [
        [
          { tag: 'a', val: 1 },
          { tag: 'a', val: 2 },
          { tag: 'a', val: 3 },
          { tag: 'a', val: 4n },
          { tag: 'a', val: 5n },
          { tag: 'a', val: 6 },
        ],
      ],
      [
        [
          { tag: 'b', val: 1n },
          { tag: 'b', val: 2 },
          { tag: 'b', val: 3 },
          { tag: 'b', val: 4 },
          { tag: 'b', val: 5 },
          { tag: 'b', val: 6 },
        ],
      ],
    ]);
    assert.deepEqual(args('variantZeros'), [
      [
        [
          { tag: 'a', val: 1 },
          { tag: 'a', val: 2n },
          { tag: 'a', val: 3 },
          { tag: 'a', val: 4 },
        ],
      ],
      // jco lifts a case without payload as `{ tag }`, no `val` key.
      [[{ tag: 'b' }, { tag: 'b' }, { tag: 'b' }, { tag: 'b' }]],
    ]);
    assert.deepEqual(args('variantTypedefs'), [[undefined, false, { tag: 'err', val: undefined }]]);
    assert.deepEqual(args('variantEnums'), [[true, { tag: 'ok', val: undefined }, 'success']]);
  });

  test('exports under the full and the short interface name', () => {
    assert.equal(wasm.test, wasm['test:variants/test']);
  });

  test('option<f32> -> option<u8>: some and none', () => {
    assert.equal(wasm.test.roundtripOption(1), 1);
    assert.equal(wasm.test.roundtripOption(undefined), undefined);
    assert.equal(wasm.test.roundtripOption(2), 2);
    assert.equal(wasm.test.roundtripOption(0), 0, 'some(0) is not none');
    assert.equal(wasm.test.roundtripOption(null), undefined, 'null is none, as in jco');
  });

  test(
    'option: a missing trailing option argument is none (jco calls roundtripOption())',
    () => {
      assert.equal(wasm.test.roundtripOption(), undefined);
    },
  );

  test('result<u32, f32> -> result<f64, u8>: ok returns, err throws ComponentError', () => {
    assert.equal(wasm.test.roundtripResult({ tag: 'ok', val: 2 }), 2);
    assert.equal(wasm.test.roundtripResult({ tag: 'ok', val: 4 }), 4);
    assert.equal(wasm.test.roundtripResult({ tag: 'ok', val: 4294967295 }), 4294967295);
    const f = Math.fround(5.2);
    assert.throws(
      () => wasm.test.roundtripResult({ tag: 'err', val: f }),
      (e) => {
        assert.ok(e instanceof ComponentError);
        assert.equal(e.constructor.name, 'ComponentError');
        assert.ok(e.message.includes('5'));
        assert.equal(e.payload, 5);
        return true;
      },
    );
    // The instance is still usable: an err result is not a trap.
    assert.equal(wasm.test.roundtripResult({ tag: 'ok', val: 7 }), 7);
  });

  test('enum and bool', () => {
    assert.equal(wasm.test.roundtripEnum('a'), 'a');
    assert.equal(wasm.test.roundtripEnum('b'), 'b');
    assert.equal(wasm.test.invertBool(true), false);
    assert.equal(wasm.test.invertBool(false), true);
  });

  test('variant casts: every case of six variants with mixed flat types', () => {
    const a = [
      { tag: 'a', val: 1 },
      { tag: 'a', val: 2 },
      { tag: 'a', val: 3 },
      { tag: 'a', val: 4n },
      { tag: 'a', val: 5n },
      { tag: 'a', val: 6 },
    ];
    assert.deepEqual(wasm.test.variantCasts(a), a);
    const b = [
      { tag: 'b', val: 1n },
      { tag: 'b', val: 2 },
      { tag: 'b', val: 3 },
      { tag: 'b', val: 4 },
      { tag: 'b', val: 5 },
      { tag: 'b', val: 6 },
    ];
    assert.deepEqual(wasm.test.variantCasts(b), b);
    // Payloads that need the full width of the joined flat type.
    const wide = [
      { tag: 'a', val: -2147483648 },
      { tag: 'b', val: 1.5 },
      { tag: 'b', val: -0.1 },
      { tag: 'a', val: -(2n ** 63n) },
      { tag: 'b', val: Number.MAX_VALUE },
      { tag: 'a', val: Math.fround(-3.25) },
    ];
    assert.deepEqual(wasm.test.variantCasts(wide), wide);
    const wide2 = [
      { tag: 'b', val: 2n ** 63n - 1n },
      { tag: 'a', val: 2147483647 },
      { tag: 'a', val: -1 },
      { tag: 'b', val: Math.fround(0.1) },
      { tag: 'a', val: -1n },
      { tag: 'b', val: -Infinity },
    ];
    assert.deepEqual(wasm.test.variantCasts(wide2), wide2);
  });

  test('variant zeros: payload cases and empty cases', () => {
    const a = [
      { tag: 'a', val: 1 },
      { tag: 'a', val: 2n },
      { tag: 'a', val: 3 },
      { tag: 'a', val: 4 },
    ];
    assert.deepEqual(wasm.test.variantZeros(a), a);
    const b = [{ tag: 'b' }, { tag: 'b' }, { tag: 'b' }, { tag: 'b' }];
    assert.deepEqual(wasm.test.variantZeros(b), b);
    const zeros = [
      { tag: 'a', val: 0 },
      { tag: 'a', val: 0n },
      { tag: 'a', val: 0 },
      { tag: 'a', val: -0 },
    ];
    const z = wasm.test.variantZeros(zeros);
    assert.deepEqual(z, zeros);
    assert.ok(Object.is(z[3].val, -0));
  });

  test('typedefs: option none, bool, result<u32> err', () => {
    assert.equal(wasm.test.variantTypedefs(undefined, false, { tag: 'err', val: undefined }), undefined);
    assert.equal(wasm.test.variantTypedefs(5, true, { tag: 'ok', val: 9 }), undefined);
  });

  test('wrong input is a TypeError: unknown enum case, unknown variant tag, bad payload', () => {
    assert.throws(() => wasm.test.roundtripEnum('c'), TypeError);
    assert.throws(() => wasm.test.roundtripResult({ tag: 'maybe', val: 1 }), TypeError);
    assert.throws(() => wasm.test.roundtripResult({ tag: 'ok', val: -1 }), TypeError);
    assert.throws(() => wasm.test.invertBool(1), TypeError);
    assert.throws(
      () =>
        wasm.test.variantZeros([
          { tag: 'c', val: 1 },
          { tag: 'b' },
          { tag: 'b' },
          { tag: 'b' },
        ]),
      TypeError,
    );
    assert.equal(wasm.test.invertBool(true), false);
  });
});
