// @portable
// jco runtime fixture `flavorful` (wit-bindgen's C flavorful test): strings
// inside records, options and results; a host import returning err by
// throwing; typedef'd lists; lists of bools, results and enums.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { ComponentError } from '../../js/index.js';
import { instantiateFixture, recorder, skipUnlessFixture } from './helpers/runtime-host.js';

const skip = await skipUnlessFixture('flavorful');

describe('runtime: flavorful', { skip }, () => {
  let wasm;
  let stderr;
  const calls = {};

  before(async () => {
    let firstErr = true;
    const rec = recorder(calls);
    ({ exports: wasm, stderr } = await instantiateFixture('flavorful', {
      'test:flavorful/test': {
        fListInRecord1: rec('fListInRecord1', () => {}),
        fListInRecord2: rec('fListInRecord2', () => ({ a: 'list_in_record2' })),
        fListInRecord3: rec('fListInRecord3', () => ({ a: 'list_in_record3 output' })),
        fListInRecord4: rec('fListInRecord4', () => ({ a: 'result4' })),
        fListInVariant1: rec('fListInVariant1', () => {}),
        fListInVariant2: rec('fListInVariant2', () => 'list_in_variant2'),
        fListInVariant3: rec('fListInVariant3', () => 'output3'),
        errnoResult: rec('errnoResult', () => {
          if (firstErr) {
            firstErr = false;
            // A thrown non-Error value is the err payload itself (jco).
            throw 'b';
          }
        }),
        listTypedefs: rec('listTypedefs', () => [new TextEncoder().encode('typedef3'), ['typedef4']]),
        listOfVariants: rec('listOfVariants', () => [
          [false, true],
          [
            { tag: 'err', val: undefined },
            { tag: 'ok', val: undefined },
          ],
          ['a', 'b'],
        ]),
      },
    }));
  });

  test('test-imports: what the host receives, and err from a thrown value', () => {
    wasm.testImports();
    const args = (name) => calls[name] ?? [];
    assert.deepEqual(args('fListInRecord1'), [[{ a: 'list_in_record1' }]], stderr.text());
    assert.deepEqual(args('fListInRecord2'), [[]]);
    assert.deepEqual(args('fListInRecord3'), [[{ a: 'list_in_record3 input' }]]);
    assert.deepEqual(args('fListInRecord4'), [[{ a: 'input4' }]]);
    assert.deepEqual(args('fListInVariant1'), [['foo', { tag: 'err', val: 'bar' }]]);
    assert.deepEqual(args('fListInVariant2'), [[]]);
    assert.deepEqual(args('fListInVariant3'), [['input3']]);
    assert.equal(args('errnoResult').length, 2, 'the guest checks err then ok');
    assert.deepEqual(args('listTypedefs'), [['typedef1', ['typedef2']]]);
    assert.deepEqual(args('listOfVariants'), [
      [
        [true, false],
        [
          { tag: 'ok', val: undefined },
          { tag: 'err', val: undefined },
        ],
        ['success', 'a'],
      ],
    ]);
    assert.ok(Array.isArray(args('listOfVariants')[0][0]), 'list<bool> is a plain array');
  });

  test('exports under the full and the short interface name', () => {
    assert.equal(wasm['test:flavorful/test'], wasm.test);
  });

  test('strings in records', () => {
    assert.equal(wasm.test.fListInRecord1({ a: 'list_in_record1' }), undefined);
    assert.deepEqual(wasm.test.fListInRecord2(), { a: 'list_in_record2' });
    assert.deepEqual(wasm.test.fListInRecord3({ a: 'list_in_record3 input' }), { a: 'list_in_record3 output' });
    assert.deepEqual(wasm.test.fListInRecord4({ a: 'input4' }), { a: 'result4' });
  });

  test('strings in options and results', () => {
    // jco's driver passes a third, surplus argument: ignored.
    assert.equal(wasm.test.fListInVariant1('foo', { tag: 'err', val: 'bar' }, { tag: 0, val: 'baz' }), undefined);
    assert.equal(wasm.test.fListInVariant2(), 'list_in_variant2');
    assert.equal(wasm.test.fListInVariant3('input3'), 'output3');
  });

  test('result<_, enum> err at the top of an export: ComponentError with the enum case', () => {
    assert.throws(
      () => wasm.test.errnoResult(),
      (e) => {
        assert.ok(e instanceof ComponentError);
        assert.equal(e.constructor.name, 'ComponentError');
        assert.ok(e.toString().includes('Error: b'), e.toString());
        assert.equal(e.payload, 'b');
        return true;
      },
    );
  });

  test('typedef lists: string, list<string> in; list<u8> and list<string> out', () => {
    const [r1, r2] = wasm.test.listTypedefs('typedef1', ['typedef2']);
    assert.ok(r1 instanceof Uint8Array);
    assert.deepEqual(r1, new TextEncoder().encode('typedef3'));
    assert.deepEqual(r2, ['typedef4']);
  });

  test('wrong input: a record without its field, a non-string option payload', () => {
    assert.throws(() => wasm.test.fListInRecord3({}), TypeError);
    assert.throws(() => wasm.test.fListInVariant3(3), TypeError);
    assert.throws(() => wasm.test.fListInVariant1('foo', { tag: 'err', val: 1 }), TypeError);
    assert.deepEqual(wasm.test.fListInRecord2(), { a: 'list_in_record2' });
  });
});
