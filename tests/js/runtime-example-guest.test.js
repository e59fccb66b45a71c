// @portable
// jco runtime fixtures `example_guest_export` and `example_guest_import`
// (Rust components from jco's own examples): a guest resource exported as a
// JS class (constructor, static and method, borrowed as an argument), and a
// host resource class imported, borrowed back to the host and passed in as
// an owned handle.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

describe('runtime: example_guest_export', { skip: await skipUnlessFixture('example_guest_export') }, () => {
  test('the calls jco drives: constructor, static, method, borrow argument', async () => {
    const { exports } = await instantiateFixture('example_guest_export');
    const backend = exports.backend;
    assert.equal(exports['example:component/backend@0.1.0'], backend);
    const scalar = new backend.Scalars();
    assert.equal(backend.Scalars.getA(), 5);
    assert.equal(scalar.getB(), 2);
    assert.equal(backend.scalarArg(scalar), 7);
  });

  test('the class is named after the resource; objects are instances of it', async () => {
    const { exports } = await instantiateFixture('example_guest_export');
    const { Scalars } = exports.backend;
    assert.equal(Scalars.name, 'Scalars');
    const a = new Scalars();
    const b = new Scalars();
    assert.ok(a instanceof Scalars);
    assert.notEqual(a, b);
    assert.equal(a.getB(), 2);
    assert.equal(b.getB(), 2);
    assert.equal(typeof a[Symbol.dispose], 'function');
  });

  test('a borrow keeps the object usable; after dispose it is refused', async () => {
    const { exports } = await instantiateFixture('example_guest_export');
    const { Scalars, scalarArg } = exports.backend;
    const s = new Scalars();
    assert.equal(scalarArg(s), 7);
    assert.equal(scalarArg(s), 7, 'lending a borrow does not consume the object');
    s[Symbol.dispose]();
    assert.throws(() => scalarArg(s), TypeError);
    assert.throws(() => s.getB(), TypeError);
    s[Symbol.dispose](); // a second dispose is a no-op
    assert.equal(scalarArg(new Scalars()), 7);
  });

  test('a non-resource argument is a TypeError', async () => {
    const { exports } = await instantiateFixture('example_guest_export');
    assert.throws(() => exports.backend.scalarArg({}), TypeError);
    assert.throws(() => exports.backend.scalarArg(undefined), TypeError);
  });

  test('fetch returns list<u8> as a Uint8Array', async () => {
    const { exports } = await instantiateFixture('example_guest_export');
    assert.ok(exports.backend.fetch('https://example.com/') instanceof Uint8Array);
  });

  test('many objects: created and disposed in a loop', async () => {
    const { exports } = await instantiateFixture('example_guest_export');
    const { Scalars, scalarArg } = exports.backend;
    for (let i = 0; i < 2000; i++) {
      const s = new Scalars();
      assert.equal(scalarArg(s), 7);
      s[Symbol.dispose]();
    }
  });
});

describe('runtime: example_guest_import', { skip: await skipUnlessFixture('example_guest_import') }, () => {
  test(
    'the calls jco drives: host Scalars borrowed by fetch, handle consumes an own Scalars',
    async () => {
      let instance = 0;
      class Scalars {
        constructor() {
          this.instance = instance++;
        }

        getB() {
          return this.instance;
        }
      }
      const received = [];
      const { exports } = await instantiateFixture('example_guest_import', {
        'example2:component/backend': {
          Scalars,
          fetch(scalar) {
            received.push(scalar);
            return new Scalars();
          },
        },
      });
      const x = new Scalars();
      const y = new Scalars();
      assert.equal(exports.front.handle(x), 2);
      assert.equal(exports.front.handle(y), 4);
      // The host got borrows of its own objects: plain JS references it may
      // pass in again as owned handles.
      assert.equal(received.length, 2);
      assert.equal(received[0], x);
      assert.equal(received[1], y);
      assert.equal(exports.front.handle(received[0]), 4);
      assert.equal(exports.front.handle(received[1]), 6);
    },
  );
});
