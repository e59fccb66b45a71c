// @portable
// wit-bindgen's `ownership` runtime test: three Rust guests of one world
// (`owning`, `borrowing`, `borrowing-duplicate-if-necessary`, the bindings
// generated with different ownership modes) call the same host imports —
// nested lists of strings, records of strings and lists, and a host resource
// inside a record. Expectations from wit-bindgen's tests/runtime/ownership.rs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

function host() {
  const state = { foo: [], bar: [], baz: [], resources: [], listAndResource: [], disposed: 0 };
  class TheResource {
    constructor(theList) {
      this.theList = theList;
      state.resources.push(this);
    }

    [Symbol.dispose]() {
      state.disposed++;
    }
  }
  const imports = {
    lists: {
      foo(list) {
        state.foo.push(list);
        return list;
      },
    },
    'thing-in': {
      bar(thing) {
        state.bar.push(thing);
      },
    },
    'thing-in-and-out': {
      baz(thing) {
        state.baz.push(thing);
        return thing;
      },
    },
    'test:ownership/both-list-and-resource': {
      TheResource,
      listAndResource(thing) {
        state.listAndResource.push(thing);
      },
    },
  };
  return { imports, state, TheResource };
}

for (const fixture of ['owning', 'borrowing', 'borrowing-duplicate-if-necessary']) {
  describe(`runtime: ownership/${fixture}`, { skip: await skipUnlessFixture(fixture) }, () => {
    test('foo: every import is called with the values the guest builds', async () => {
      const { imports, state, TheResource } = host();
      const { exports, stderr } = await instantiateFixture(fixture, imports);
      assert.deepEqual(Object.keys(exports), ['foo']);
      assert.equal(exports.foo(), undefined, stderr.text());

      assert.deepEqual(state.foo, [[['foo', 'bar']]]);
      assert.deepEqual(state.bar, [{ name: 'thing 1', value: ['some value', 'another value'] }]);
      assert.deepEqual(state.baz, [{ name: 'thing 1', value: ['some value', 'another value'] }]);

      assert.equal(state.resources.length, 1, 'the-resource constructed once');
      assert.deepEqual(state.resources[0].theList, ['foo', 'bar', 'baz']);
      assert.equal(state.listAndResource.length, 1);
      const [thing] = state.listAndResource;
      assert.deepEqual(thing.a, ['foo', 'bar', 'baz']);
      assert.ok(thing.b instanceof TheResource);
      assert.equal(thing.b, state.resources[0], 'the owned resource in the record is the host object itself');
      // The handle moved back to the host inside the record: the guest does
      // not drop it (wasmtime's host drop is `unreachable!()`).
      assert.equal(state.disposed, 0);
    });

    test('foo can be called again on the same instance', async () => {
      const { imports, state } = host();
      const { exports } = await instantiateFixture(fixture, imports);
      exports.foo();
      exports.foo();
      assert.equal(state.foo.length, 2);
      assert.equal(state.resources.length, 2);
      assert.notEqual(state.listAndResource[0].b, state.listAndResource[1].b);
    });

    test('a host result of the wrong shape is a TypeError', async () => {
      const { imports } = host();
      imports.lists.foo = () => [['ok'], 'not a list'];
      const { exports } = await instantiateFixture(fixture, imports);
      assert.throws(() => exports.foo(), TypeError);
    });
  });
}
