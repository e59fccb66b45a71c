// @portable
// wit-bindgen's `resources` runtime test (C guest, from jco's fixtures): a
// host resource `y` (JS class: constructor, methods, static taking and
// returning own handles) used by the guest's test-imports, and guest
// resources `x`, `z`, `kebab-case` exported as JS classes. Expectations from
// wit-bindgen's tests/runtime/resources.rs (host) and resources/wasm.c.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ComponentError } from '../../js/index.js';
import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

function hostY() {
  const state = { live: new Set(), made: 0, disposed: 0 };
  class Y {
    constructor(a) {
      this.a = a;
      state.made++;
      state.live.add(this);
    }

    getA() {
      return this.a;
    }

    setA(a) {
      this.a = a;
    }

    static add(y, a) {
      return new Y(y.a + a);
    }

    [Symbol.dispose]() {
      state.disposed++;
      state.live.delete(this);
    }
  }
  return { Y, state };
}

async function setup() {
  const { Y, state } = hostY();
  const { exports, stderr } = await instantiateFixture('resources', { imports: { Y } });
  return { api: exports.exports, exports, state, stderr, Y };
}

describe('runtime: resources', { skip: await skipUnlessFixture('resources') }, () => {
  test('test-imports: the guest drives the host class Y and returns ok', async () => {
    const { api, state, stderr } = await setup();
    assert.equal(api.testImports(), undefined, stderr.text());
    // y(10), add → y(30), y1, y2, add → y(30), add → y(50)
    assert.equal(state.made, 6);
    // Objects moved into Y.add belong to the host again and are not
    // disposed. The C test then drops the handles it had moved (y, y1, y2);
    // with the spec's LIFO reuse of freed handle indices those drops hit the
    // handles Y.add returned in their place, so exactly three host objects
    // are disposed, and no trap.
    assert.equal(state.disposed, 3);
  });

  test('guest resource x: constructor, methods, a static taking and returning own', async () => {
    const { api } = await setup();
    const { X } = api;
    const x = new X(5);
    assert.ok(x instanceof X);
    assert.equal(x.getA(), 5);
    x.setA(10);
    assert.equal(x.getA(), 10);
    const xAdd = X.add(x, 5);
    assert.ok(xAdd instanceof X);
    assert.equal(xAdd.getA(), 15);
    assert.throws(() => x.getA(), TypeError, 'x was moved into X.add');
    api.consume(xAdd);
    assert.throws(() => xAdd.getA(), TypeError, 'xAdd was moved into consume');
  });

  test('guest resource z: add of two borrows, destructor counting via Symbol.dispose', async () => {
    const { api } = await setup();
    const { Z } = api;
    const z1 = new Z(10);
    const z2 = new Z(20);
    assert.equal(z1.getA(), 10);
    assert.equal(z2.getA(), 20);
    const zAdd = api.add(z1, z2);
    assert.ok(zAdd instanceof Z);
    assert.equal(zAdd.getA(), 30);
    assert.equal(z1.getA(), 10, 'borrowed, not consumed');
    const start = Z.numDropped();
    z1[Symbol.dispose]();
    z2[Symbol.dispose]();
    assert.equal(Z.numDropped(), start + 2);
    zAdd[Symbol.dispose]();
    assert.equal(Z.numDropped(), start + 3);
    assert.throws(() => z1.getA(), TypeError);
    assert.throws(() => api.add(z1, zAdd), TypeError);
  });

  test('the wasmtime host sequence', async () => {
    const { api } = await setup();
    const { X, Z } = api;
    api.testImports();
    const x = new X(5);
    assert.equal(x.getA(), 5);
    x.setA(10);
    assert.equal(x.getA(), 10);
    const z1 = new Z(10);
    assert.equal(z1.getA(), 10);
    const z2 = new Z(20);
    assert.equal(z2.getA(), 20);
    const xAdd = X.add(x, 5);
    assert.equal(xAdd.getA(), 15);
    const zAdd = api.add(z1, z2);
    assert.equal(zAdd.getA(), 30);
    const start = Z.numDropped();
    z1[Symbol.dispose]();
    z2[Symbol.dispose]();
    api.consume(xAdd);
    const end = Z.numDropped();
    if (start !== 0) assert.equal(end, start + 2);
  });

  test('kebab-case resource: class KebabCase, u32 state, take-owned', async () => {
    const { api } = await setup();
    const { KebabCase } = api;
    assert.equal(KebabCase.name, 'KebabCase');
    const k = new KebabCase(4294967295);
    assert.equal(k.getA(), 4294967295);
    assert.equal(KebabCase.takeOwned(k), 4294967295);
    assert.throws(() => k.getA(), TypeError, 'k was moved into takeOwned');
  });

  test('resources of one type are not accepted for another', async () => {
    const { api } = await setup();
    const z = new api.Z(1);
    const x = new api.X(1);
    assert.throws(() => api.consume(z), TypeError);
    assert.throws(() => api.add(x, z), TypeError);
    assert.throws(() => api.consume({}), TypeError);
    assert.equal(z.getA(), 1);
    assert.equal(x.getA(), 1);
  });

  test('objects of another instance are refused', async () => {
    const a = await setup();
    const b = await setup();
    const x = new a.api.X(1);
    assert.throws(() => b.api.consume(x), TypeError);
    assert.equal(x.getA(), 1);
  });

  test('many guest objects created and dropped', async () => {
    const { api } = await setup();
    const start = api.Z.numDropped();
    for (let i = 0; i < 1000; i++) {
      const z = new api.Z(i);
      assert.equal(z.getA(), i);
      z[Symbol.dispose]();
    }
    assert.equal(api.Z.numDropped(), start + 1000);
  });

  test('test-imports err would be a ComponentError (result<_, string>)', async () => {
    // The C guest always returns ok; an assertion failure in it is a trap,
    // not an err: a host Y whose setA does nothing breaks its check.
    const { Y } = hostY();
    Y.prototype.setA = function () {};
    const { exports } = await instantiateFixture('resources', { imports: { Y } });
    assert.throws(
      () => exports.exports.testImports(),
      (e) => e instanceof WebAssembly.RuntimeError && !(e instanceof ComponentError),
    );
  });
});
