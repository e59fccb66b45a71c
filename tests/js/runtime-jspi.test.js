// @portable — JSPI: host imports that return Promises, the guest suspended
// until they settle. Runs where the engine has JSPI (Node ≥ 24, Chromium,
// Firefox); scripts/test.sh also runs it under the Node 24 from npm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, instantiate, jspiAvailable } from '../../js/index.js';
import { corpusUrl, exists, readBytes } from './helpers/files.js';
import { hostImports } from './helpers/runtime-host.js';

const haveCorpus = await exists(new URL('jco-runtime/strings.component.wasm', corpusUrl));
const skip = (!jspiAvailable() && 'this engine has no JSPI') || (!haveCorpus && 'the corpus (../shared/corpus) is absent');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('an async host import suspends the guest until its Promise settles', { skip }, async () => {
  const component = await compile(await readBytes(new URL('jco-runtime/strings.component.wasm', corpusUrl)));
  const seen = [];
  const { exports } = await instantiate(
    component,
    {
      ...(await hostImports(component)).imports,
      'test:strings/imports': {
        async takeBasic(s) {
          await sleep(5);
          seen.push(s);
        },
        async returnUnicode() {
          await sleep(5);
          return '🚀🚀🚀 𠈄𓀀';
        },
      },
    },
    { async: true },
  );
  const pending = exports.testImports();
  assert.ok(pending instanceof Promise, 'exports return Promises under { async: true }');
  await pending;
  assert.deepEqual(seen, ['latin utf16']);
  assert.equal(await exports.roundtrip('ünïcödé ✓'), 'ünïcödé ✓');
});

test('a second call while the first is suspended is refused (no reentrance)', { skip }, async () => {
  const component = await compile(await readBytes(new URL('jco-runtime/strings.component.wasm', corpusUrl)));
  let release;
  const { exports } = await instantiate(
    component,
    {
      ...(await hostImports(component)).imports,
      'test:strings/imports': {
        takeBasic: () => new Promise((r) => (release = r)),
        returnUnicode: () => '🚀🚀🚀 𠈄𓀀',
      },
    },
    { async: true },
  );
  const first = exports.testImports();
  await sleep(1);
  await assert.rejects(exports.roundtrip('x'), /reenter/);
  release();
  await first;
});

test('without { async: true } a Promise from a host import is a clear error', { skip: !haveCorpus && 'corpus absent' }, async () => {
  const component = await compile(await readBytes(new URL('jco-runtime/strings.component.wasm', corpusUrl)));
  const { exports } = await instantiate(component, {
    ...(await hostImports(component)).imports,
    'test:strings/imports': { takeBasic() {}, returnUnicode: async () => 'x' },
  });
  assert.throws(() => exports.testImports(), /returned a Promise; instantiate with \{ async: true \}/);
});
