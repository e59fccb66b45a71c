// @portable
// More of wit-bindgen's resource runtime tests from jco's fixtures (Rust
// guests): borrow of an exported resource, borrow of an imported one,
// resources whose methods take and return lists, and a guest that creates
// and unwraps its own resource. Expectations from wit-bindgen's
// tests/runtime/<name>.rs hosts and <name>/wasm.rs guests.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

const text = (bytes) => new TextDecoder().decode(bytes);
const bytes = (s) => new TextEncoder().encode(s);

describe('runtime: resource_borrow_export', { skip: await skipUnlessFixture('resource_borrow_export') }, () => {
  test('constructor(42) then foo(borrow) = 42 + 1 + 2', async () => {
    const { exports } = await instantiateFixture('resource_borrow_export');
    const t = exports.test;
    assert.equal(exports['test:resource-borrow-export/test'], t);
    const thing = new t.Thing(42);
    assert.equal(t.foo(thing), 42 + 1 + 2);
    assert.equal(t.foo(thing), 45, 'a borrow leaves the object usable');
    thing[Symbol.dispose]();
    assert.throws(() => t.foo(thing), TypeError);
  });
});

describe('runtime: resource_borrow_import', { skip: await skipUnlessFixture('resource_borrow_import') }, () => {
  test('test(42) = 42 + 1 + 2 + 3 + 4 through a host Thing lent to the host foo', async () => {
    const made = [];
    const lent = [];
    let disposed = 0;
    class Thing {
      constructor(v) {
        this.v = v + 2;
        made.push(this);
      }

      [Symbol.dispose]() {
        disposed++;
      }
    }
    const { exports } = await instantiateFixture('resource_borrow_import', {
      'test:resource-borrow-import/test': {
        Thing,
        foo(thing) {
          lent.push(thing);
          return thing.v + 3;
        },
      },
    });
    assert.equal(exports.test(42), 42 + 1 + 2 + 3 + 4);
    assert.equal(made.length, 1);
    assert.equal(lent[0], made[0]);
    assert.equal(disposed, 1, 'the guest drops its Thing after the call');
  });
});

describe('runtime: resource_with_lists', { skip: await skipUnlessFixture('resource_with_lists') }, () => {
  test('list<u8> through guest Thing methods wrapping a host Thing', async () => {
    class Thing {
      constructor(l) {
        this.l = new Uint8Array([...l, ...bytes(' HostThing')]);
      }

      foo() {
        return new Uint8Array([...this.l, ...bytes(' HostThing.foo')]);
      }

      bar(l) {
        this.l = new Uint8Array([...l, ...bytes(' HostThing.bar')]);
      }

      static baz(l) {
        return new Uint8Array([...l, ...bytes(' HostThing.baz')]);
      }
    }
    const { exports } = await instantiateFixture('resource_with_lists', {
      'test:resource-with-lists/test': { Thing },
    });
    const G = exports.test.Thing;
    const thing = new G(bytes('Hi'));
    const foo = thing.foo();
    assert.ok(foo instanceof Uint8Array);
    assert.equal(text(foo), 'Hi Thing HostThing HostThing.foo Thing.foo');
    thing.bar(bytes('Hola'));
    assert.equal(text(thing.foo()), 'Hola Thing.bar HostThing.bar HostThing.foo Thing.foo');
    assert.equal(text(G.baz(bytes('Ohayo Gozaimas'))), 'Ohayo Gozaimas Thing.baz HostThing.baz Thing.baz again');
    assert.equal(text(G.baz(new Uint8Array(0))), ' Thing.baz HostThing.baz Thing.baz again');
  });
});

describe('runtime: resource_into_inner', { skip: await skipUnlessFixture('resource_into_inner') }, () => {
  test('the guest creates its own resource and takes its representation back', async () => {
    const { exports } = await instantiateFixture('resource_into_inner');
    assert.equal(exports.test.test(), undefined);
    const thing = new exports.test.Thing('Jabberwocky');
    assert.ok(thing instanceof exports.test.Thing);
    thing[Symbol.dispose]();
    assert.equal(exports.test.test(), undefined);
  });
});

describe('runtime: resource_aggregates', { skip: await skipUnlessFixture('resource_aggregates') }, () => {
  test('own and borrow handles inside records, tuples, variants, lists, options and results', async () => {
    let disposed = 0;
    class Thing {
      constructor(v) {
        this.v = v + 2;
      }

      [Symbol.dispose]() {
        disposed++;
      }
    }
    const seen = [];
    const { exports } = await instantiateFixture('resource_aggregates', {
      'test:resource-aggregates/test': {
        Thing,
        foo(r1, r2, r3, t1, t2, v1, v2, l1, l2, o1, o2, result1, result2) {
          seen.push([r1, r2, r3, t1, t2, v1, v2, l1, l2, o1, o2, result1, result2]);
          const all = [
            r1.thing,
            r2.thing,
            r3.thing1,
            r3.thing2,
            t1[0],
            t1[1].thing,
            t2[0],
            v1.val,
            v2.val,
            ...l1,
            ...l2,
            o1,
            o2,
            result1.val,
            result2.val,
          ];
          for (const t of all) assert.ok(t instanceof Thing);
          return all.reduce((sum, t) => sum + t.v, 0) + 3;
        },
      },
    });
    const api = exports.test;
    const things = [];
    let expected = 0;
    for (let i = 1; i < 18; i++) {
      things.push(new api.Thing(i));
      expected += i + 1 + 2;
    }
    expected += 3 + 4;
    const call = (t) =>
      api.foo(
        { thing: t[0] },
        { thing: t[1] },
        { thing1: t[2], thing2: t[3] },
        [t[4], { thing: t[5] }],
        [t[6]],
        { tag: 'thing', val: t[7] },
        { tag: 'thing', val: t[8] },
        [t[9], t[10]],
        [t[11], t[12]],
        t[13],
        t[14],
        { tag: 'ok', val: t[15] },
        { tag: 'ok', val: t[16] },
      );
    assert.equal(call(things), expected);
    const [[, , , , , v1, , l1, , , , result1]] = seen;
    assert.equal(v1.tag, 'thing');
    assert.equal(l1.length, 2);
    assert.equal(result1.tag, 'ok');
    // Owned guest things moved into foo; borrowed ones (r2, r3.thing1, t2,
    // v2, l2, o2, result2) stay usable.
    const fresh = () => Array.from({ length: 17 }, (_, i) => new api.Thing(i + 1));
    const again = fresh();
    for (const borrowed of [1, 2, 6, 8, 11, 12, 14, 16]) again[borrowed] = things[borrowed];
    assert.equal(call(again), expected);
    const moved = fresh();
    moved[0] = things[0];
    assert.throws(() => call(moved), TypeError, 'r1.thing was moved by the first call');
    assert.equal(disposed, 0, 'the host things moved to the host are the host\'s to dispose');
  });
});

describe('runtime: resource_floats', { skip: await skipUnlessFixture('resource_floats') }, () => {
  test('exported Float wraps imported Floats: get and static add (wasmtime host values)', async () => {
    class Float1 {
      constructor(v) {
        this.v = v + 2;
      }

      get() {
        return this.v + 4;
      }

      static add(a, b) {
        return new Float1(a.v + b + 6);
      }
    }
    class Float2 {
      constructor(v) {
        this.v = v + 1;
      }

      get() {
        return this.v + 3;
      }
    }
    const { exports } = await instantiateFixture('resource_floats', {
      imports: { Float: Float1 },
      'test:resource-floats/test': { Float: Float2 },
    });
    const { Float } = exports.exports;
    const float3 = new Float(22);
    assert.equal(float3.get(), 22 + 1 + 2 + 4 + 3);
    const res = Float.add(float3, 7);
    assert.equal(res.get(), 59);
    assert.throws(() => float3.get(), TypeError, 'moved into add');
  });

  test('world-level add of two borrowed host floats returns a host float', async () => {
    class Float1 {
      constructor(v) {
        this.v = v;
      }

      get() {
        return this.v;
      }

      static add(a, b) {
        return new Float1(a.v + b);
      }
    }
    class Float2 {
      constructor(v) {
        this.v = v + 1;
      }

      get() {
        return this.v + 3;
      }
    }
    const { exports } = await instantiateFixture('resource_floats', {
      imports: { Float: Float1 },
      'test:resource-floats/test': { Float: Float2 },
    });
    const a = new Float2(42);
    const b = new Float2(55);
    const sum = exports.add(a, b);
    assert.ok(sum instanceof Float2);
    assert.equal(sum.v, 42 + 1 + 3 + 55 + 1 + 3 + 5 + 1);
  });
});
