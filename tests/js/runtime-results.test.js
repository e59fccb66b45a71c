// @portable
// wit-bindgen's `results` runtime test (Rust guest, from jco's fixtures): the
// guest's exports forward to host imports returning result<…>. A host import
// returns ok and throws err (a value with `payload`); at the top of an export
// ok is returned and err thrown as ComponentError; a result nested in a
// result is `{ tag, val }`. Host behaviour and expectations from
// wit-bindgen's tests/runtime/results.rs.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { ComponentError } from '../../js/index.js';
import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

function err(payload) {
  return Object.assign(new Error('err'), { payload });
}

function throwsPayload(fn, expected) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof ComponentError, `expected ComponentError, got ${e?.constructor?.name}: ${e?.message}`);
    assert.deepEqual(e.payload, expected);
    return true;
  });
}

describe('runtime: results', { skip: await skipUnlessFixture('results') }, () => {
  let t;

  before(async () => {
    const { exports } = await instantiateFixture('results', {
      'test:results/test': {
        stringError(a) {
          if (a === 0) throw err('zero');
          return a;
        },
        enumError(a) {
          if (a === 0) throw err('a');
          return a;
        },
        recordError(a) {
          if (a === 0) throw err({ line: 420, column: 0 });
          if (a === 1) throw err({ line: 77, column: 2 });
          return a;
        },
        variantError(a) {
          if (a === 0) throw err({ tag: 'e2', val: { line: 420, column: 0 } });
          if (a === 1) throw err({ tag: 'e1', val: 'b' });
          if (a === 2) throw err({ tag: 'e1', val: 'c' });
          return a;
        },
        emptyError(a) {
          if (a === 0) throw err(undefined);
          if (a === 1) return 42;
          return a;
        },
        doubleError(a) {
          if (a === 0) return { tag: 'ok', val: undefined };
          if (a === 1) return { tag: 'err', val: 'one' };
          throw err('two');
        },
      },
    });
    t = exports.test;
    assert.equal(t, exports['test:results/test']);
  });

  test('result<f32, string>', () => {
    throwsPayload(() => t.stringError(0), 'zero');
    assert.equal(t.stringError(1), 1);
    assert.equal(t.stringError(0.5), 0.5);
  });

  test('result<f32, enum>', () => {
    throwsPayload(() => t.enumError(0), 'a');
    throwsPayload(() => t.enumError(0), 'a');
    assert.equal(t.enumError(3), 3);
  });

  test('result<f32, record>', () => {
    throwsPayload(() => t.recordError(0), { line: 420, column: 0 });
    throwsPayload(() => t.recordError(1), { line: 77, column: 2 });
    assert.equal(t.recordError(2), 2);
  });

  test('result<f32, variant>', () => {
    throwsPayload(() => t.variantError(0), { tag: 'e2', val: { line: 420, column: 0 } });
    throwsPayload(() => t.variantError(1), { tag: 'e1', val: 'b' });
    throwsPayload(() => t.variantError(2), { tag: 'e1', val: 'c' });
    assert.equal(t.variantError(3), 3);
  });

  test('result<u32> with no err payload', () => {
    throwsPayload(() => t.emptyError(0), undefined);
    assert.equal(t.emptyError(1), 42);
    assert.equal(t.emptyError(2), 2);
  });

  test('result<result<_, string>, string>: the inner result stays tagged', () => {
    assert.deepEqual(t.doubleError(0), { tag: 'ok', val: undefined });
    assert.deepEqual(t.doubleError(1), { tag: 'err', val: 'one' });
    throwsPayload(() => t.doubleError(2), 'two');
  });

  test('a ComponentError thrown by the host carries its payload as err', async () => {
    const { exports } = await instantiateFixture('results', {
      'test:results/test': {
        stringError() {
          throw new ComponentError('from ComponentError');
        },
        enumError: () => 0,
        recordError: () => 0,
        variantError: () => 0,
        emptyError: () => 0,
        doubleError: () => ({ tag: 'ok', val: undefined }),
      },
    });
    throwsPayload(() => exports.test.stringError(0), 'from ComponentError');
  });

  test('a host Error without payload is not an err value: it propagates', async () => {
    const { exports } = await instantiateFixture('results', {
      'test:results/test': {
        stringError() {
          throw new RangeError('host bug');
        },
        enumError: () => 0,
        recordError: () => 0,
        variantError: () => 0,
        emptyError: () => 0,
        doubleError: () => ({ tag: 'ok', val: undefined }),
      },
    });
    assert.throws(
      () => exports.test.stringError(0),
      (e) => !(e instanceof ComponentError) && /host bug/.test(e.message),
    );
  });

  test('a bad err payload from the host is a TypeError', async () => {
    const { exports } = await instantiateFixture('results', {
      'test:results/test': {
        stringError: () => 0,
        enumError() {
          throw err('not-a-case');
        },
        recordError() {
          throw err({ line: 1 });
        },
        variantError: () => 0,
        emptyError: () => 0,
        doubleError: () => ({ tag: 'ok', val: undefined }),
      },
    });
    assert.throws(() => exports.test.enumError(0), TypeError);
  });
});
