// @portable
// jco runtime fixture `many-arguments` (wit-bindgen's C test) and its Rust
// sibling `many_arguments`: sixteen u64 parameters, the most that still
// travel flat, from JS into the guest and from the guest to a host import.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

const ARGS = Array.from({ length: 16 }, (_, i) => BigInt(i + 1));

for (const fixture of ['many-arguments', 'many_arguments']) {
  describe(`runtime: ${fixture}`, { skip: await skipUnlessFixture(fixture) }, () => {
    async function setup() {
      const seen = [];
      const { exports, stderr } = await instantiateFixture(fixture, {
        imports: {
          manyArguments(...args) {
            seen.push(args);
          },
        },
      });
      return { wasm: exports, seen, stderr };
    }

    test('16 × u64 in, the guest checks them and hands them to the host import', async () => {
      const { wasm, seen, stderr } = await setup();
      assert.equal(wasm.manyArguments(...ARGS), undefined, stderr.text());
      assert.equal(seen.length, 1);
      assert.deepEqual(seen[0], ARGS);
      for (const a of seen[0]) assert.equal(typeof a, 'bigint');
      // Again on the same instance.
      wasm.manyArguments(...ARGS);
      assert.equal(seen.length, 2);
    });

    test('a wrong value makes the guest trap; the instance then refuses calls', async () => {
      const { wasm, seen, stderr } = await setup();
      const args = [...ARGS];
      args[15] = 2n ** 64n - 1n;
      assert.throws(() => wasm.manyArguments(...args), WebAssembly.RuntimeError);
      assert.equal(seen.length, 0);
      assert.ok(stderr.text().length > 0, 'the guest reported its failed assertion on stderr');
      assert.throws(() => wasm.manyArguments(...ARGS), WebAssembly.RuntimeError);
    });

    test('a non-BigInt-compatible argument is a TypeError before the guest runs', async () => {
      const { wasm, seen } = await setup();
      const args = [...ARGS];
      args[7] = 'eight';
      assert.throws(() => wasm.manyArguments(...args), { name: 'TypeError', message: /a8/ });
      assert.throws(() => wasm.manyArguments(...ARGS.slice(0, 15)), TypeError);
      assert.equal(seen.length, 0);
      wasm.manyArguments(...ARGS);
      assert.equal(seen.length, 1);
    });
  });
}
