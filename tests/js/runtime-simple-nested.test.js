// @portable
// jco fixtures `simple-nested` and `simple-nested-optimized`: a component
// made of nested components (several component instances, calls between
// them) that re-exports calvinrp:test-async-funcs/hello by calling the same
// interface imported from the host. jco drives hello-world and expects the
// host's string back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

for (const fixture of ['simple-nested', 'simple-nested-optimized']) {
  describe(`runtime: ${fixture}`, { skip: await skipUnlessFixture(fixture) }, () => {
    test('hello-world returns what the host import returns', async () => {
      const message = 'Hello from Async Function!';
      let calls = 0;
      const { exports, component } = await instantiateFixture(fixture, {
        'calvinrp:test-async-funcs/hello': {
          helloWorld() {
            calls++;
            return message;
          },
        },
      });
      assert.ok(component.plan.componentInstances > 1, 'nested component instances');
      assert.equal(exports['calvinrp:test-async-funcs/hello@0.1.0'], exports.hello);
      assert.equal(exports.hello.helloWorld(), message);
      assert.equal(calls, 1);
    });

    test('strings of every kind through the nested instances', async () => {
      let next = '';
      const { exports } = await instantiateFixture(fixture, {
        'calvinrp:test-async-funcs/hello@0.1.0': { helloWorld: () => next },
      });
      for (const s of ['', 'x', 'héllo wörld', '🚀 𠈄𓀀', 'z'.repeat(100000), 'é🚀'.repeat(30000)]) {
        next = s;
        assert.equal(exports.hello.helloWorld(), s);
      }
    });

    test('a compatible patch version of the import satisfies it', async () => {
      const { exports } = await instantiateFixture(fixture, {
        'calvinrp:test-async-funcs/hello@0.1.9': { helloWorld: () => 'patched' },
      });
      assert.equal(exports.hello.helloWorld(), 'patched');
    });

    test('an incompatible version or a missing function is a LinkError', async () => {
      await assert.rejects(
        instantiateFixture(fixture, { 'calvinrp:test-async-funcs/hello@0.2.0': { helloWorld: () => '' } }),
        WebAssembly.LinkError,
      );
      await assert.rejects(
        instantiateFixture(fixture, { 'calvinrp:test-async-funcs/hello': {} }),
        (e) => e instanceof WebAssembly.LinkError && /hello/.test(e.message),
      );
    });

    test('a host result of the wrong type is a TypeError', async () => {
      const { exports } = await instantiateFixture(fixture, {
        'calvinrp:test-async-funcs/hello': { helloWorld: () => 42 },
      });
      assert.throws(() => exports.hello.helloWorld(), TypeError);
    });
  });
}
