// @portable
// jco runtime fixture `smoke` (wit-bindgen's C smoke test): an export that
// calls a host import and then prints through WASI stdout.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { instantiateFixture, skipUnlessFixture } from './helpers/runtime-host.js';

describe('runtime: smoke', { skip: await skipUnlessFixture('smoke') }, () => {
  test('thunk calls the imported thunk', async () => {
    let hit = 0;
    const { exports } = await instantiateFixture('smoke', {
      'test:smoke/imports': {
        thunk() {
          hit++;
        },
      },
    });
    assert.deepEqual(Object.keys(exports), ['thunk']);
    exports.thunk();
    assert.equal(hit, 1, 'import not called');
    exports.thunk();
    assert.equal(hit, 2);
  });

  test('the guest printf reaches the host stdout', async () => {
    const { exports, stdout } = await instantiateFixture('smoke', { 'test:smoke/imports': { thunk() {} } });
    exports.thunk();
    assert.equal(stdout.text(), 'howdy\n');
  });

  test('a host import that throws an Error propagates out of the export', async () => {
    const { exports } = await instantiateFixture('smoke', {
      'test:smoke/imports': {
        thunk() {
          throw new Error('host failure');
        },
      },
    });
    assert.throws(() => exports.thunk(), /host failure/);
  });

  test('a missing import is a LinkError naming it', async () => {
    await assert.rejects(
      instantiateFixture('smoke', {}),
      (e) => e instanceof WebAssembly.LinkError && /test:smoke\/imports/.test(e.message),
    );
  });
});
