// @portable
// jco runtime fixture `resource_borrow_simple` (wit-bindgen's Rust test) and
// `resource-borrow-simple` (its C sibling): a world-level host resource `r`
// with a constructor, and a world-level import `test: func(r: borrow<r>)`.
// The guest constructs an `r`, lends it to `test`, then drops it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

function host() {
  const state = { made: [], tested: [], disposed: 0 };
  class R {
    constructor() {
      state.made.push(this);
    }

    [Symbol.dispose]() {
      state.disposed++;
    }
  }
  const testFn = (r) => {
    state.tested.push(r);
  };
  return { R, test: testFn, state };
}

for (const fixture of ['resource_borrow_simple', 'resource-borrow-simple']) {
  describe(`runtime: ${fixture}`, { skip: await skipUnlessFixture(fixture) }, () => {
    test(
      'world-level host resource and function, keyed as jco maps them (r → class R, test → function)',
      async () => {
        const { R, test: testFn, state } = host();
        const { exports } = await instantiateFixture(fixture, { r: R, test: testFn });
        exports.testImports();
        assert.equal(state.made.length, 1);
        assert.equal(state.tested.length, 1);
        assert.ok(state.tested[0] instanceof R);
      },
    );

    test('test-imports: the host object is constructed, borrowed by test, then disposed', async () => {
      const { R, test: testFn, state } = host();
      const { exports, stderr } = await instantiateFixture(fixture, { r: R, test: testFn });
      exports.testImports();
      assert.equal(state.made.length, 1, `constructed once (stderr: ${stderr.text()})`);
      assert.equal(state.tested.length, 1, 'test called once');
      assert.ok(state.tested[0] instanceof R);
      assert.equal(state.tested[0], state.made[0], 'the borrow is the very object the host constructed');
      assert.equal(state.disposed, 1, 'dropping the own handle disposes the host object (Symbol.dispose, as jco)');
      exports.testImports();
      assert.equal(state.made.length, 2);
      assert.notEqual(state.tested[1], state.tested[0]);
      assert.equal(state.disposed, 2);
    });

    test('a constructor that returns something other than an R is a TypeError (jco checks instanceof R)', async () => {
      const { R, test: testFn } = host();
      class Impostor extends R {
        constructor() {
          super();
          return {}; // a JS constructor may hand back any object
        }
      }
      Object.setPrototypeOf(Impostor, R);
      const { exports } = await instantiateFixture(fixture, { r: R, test: testFn, '[constructor]r': () => ({}) });
      // The class under `r` is what constructs; the stray '[constructor]r' key is ignored.
      exports.testImports();
      const second = await instantiateFixture(fixture, { r: Impostor, test: testFn });
      assert.throws(() => second.exports.testImports(), TypeError);
    });
  });
}
