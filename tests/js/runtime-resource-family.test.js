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

describe('runtime: resource_borrow_export', { skip: skipUnlessFixture('resource_borrow_export') }, () => {
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

describe('runtime: resource_borrow_import', { skip: skipUnlessFixture('resource_borrow_import') }, () => {
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

describe('runtime: resource_with_lists', { skip: skipUnlessFixture('resource_with_lists') }, () => {
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

describe('runtime: resource_into_inner', { skip: skipUnlessFixture('resource_into_inner') }, () => {
  test('the guest creates its own resource and takes its representation back', async () => {
    const { exports } = await instantiateFixture('resource_into_inner');
    assert.equal(exports.test.test(), undefined);
    const thing = new exports.test.Thing('Jabberwocky');
    assert.ok(thing instanceof exports.test.Thing);
    thing[Symbol.dispose]();
    assert.equal(exports.test.test(), undefined);
  });
});
