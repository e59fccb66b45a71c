// The 18 wasmtime-p2 programs (../shared/corpus/wasmtime-p2) in headless
// Chromium and Firefox, and in WebKitGTK under Xvfb. In Chromium and Firefox,
// the 17 commands with their preopens on OPFS (the fixtures copied into OPFS
// first): on the JSPI path (run(…, { async: true }) on the page) and on the
// worker path (run(…, { worker: true }): a dedicated worker blocking on
// Atomics.wait, OPFS through sync access handles in an agent worker). WebKit
// has no JSPI and its OPFS fails under automation here (../shared/browsers.md),
// so there the commands run on the worker path with memfs preopens, which is
// how Safari users without OPFS run them. The reactor (p2_api_reactor, no
// preopens) on JSPI (synchronously in WebKit): instantiated with WasiHost's
// imports and { async: true }, its manifest's four calls made in order; the worker path only runs
// wasi:cli/run, so it cannot take a reactor. Then a file written through the
// WASI filesystem interface must still be there after a page reload, read by
// p2_cli_file_read on each path (OPFS browsers only).
// The page is tests/browser/pages/wasi-p2.html, served cross-origin isolated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.js';
import { browsers } from './browsers.js';
import { withPage } from './with-page.js';

const manifest = fileURLToPath(new URL('../../../shared/corpus/wasmtime-p2/manifest.json', import.meta.url));
const noCorpus = !existsSync(manifest) && `the corpus is absent (${manifest})`;
const PATHS = { chromium: ['jspi', 'worker'], firefox: ['jspi', 'worker'], webkit: ['worker'] };
const STORAGE = { chromium: 'opfs', firefox: 'opfs', webkit: 'memory' };

// A step that hangs fails after `ms` and says which step it was, rather than holding the whole
// file until its timeout and cancelling the tests after it. (Firefox's worker path hung in about
// 1 run of this file in 15 while run()'s worker started its OPFS agents itself.)
function within(ms, step, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${step} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

for (const browser of browsers) {
  const storage = STORAGE[browser.name];
  test(`wasmtime-p2 programs on ${storage === 'opfs' ? 'OPFS' : 'memfs'} in ${browser.name}`, {
    skip: (!browser.available() && `${browser.name} is not installed (bash scripts/setup.sh)`) || noCorpus,
    timeout: 600_000,
  }, async (t) => {
    const server = await startServer();
    await withPage(browser, [server], async (page) => {
      const open = async () => {
        await page.goto(`${server.projectUrl}tests/browser/pages/wasi-p2.html`);
        await page.waitForFunction(() => window.wasiP2 !== undefined, null, { timeout: 60_000 });
        const ready = await page.evaluate(() => window.wasiP2.ready);
        assert.ok(ready.ok, `the page could not load: ${ready.error}`);
        return ready;
      };
      const ready = await open();
      t.diagnostic(`${ready.userAgent}; crossOriginIsolated ${ready.crossOriginIsolated}, JSPI ${ready.jspi}, OPFS ${ready.opfs}`);
      if (storage === 'opfs') assert.ok(ready.opfs, `${browser.name} has no OPFS here`);
      assert.equal(ready.commands.length, 17);
      assert.deepEqual(ready.reactors, ['p2_api_reactor.component.wasm']);

      for (const path of PATHS[browser.name]) {
        const skip = path === 'jspi' && !ready.jspi && `${browser.name} has no JSPI`;
        for (const name of ready.commands) {
          await t.test(`${path}: ${name}`, { skip }, async () => {
            const { problems, ms } = await within(120_000, `${path}: ${name}`, page.evaluate(([n, p, s]) => window.wasiP2.runOne(n, p, s), [name, path, storage]));
            assert.deepEqual(problems, [], `${browser.name} ${path} ${name}`);
            if (ms > 2000) t.diagnostic(`${path} ${name}: ${Math.round(ms)} ms`);
          });
        }
      }

      // Without JSPI the reactor is instantiated synchronously on the page, as in Node 20.
      const reactorPath = ready.jspi ? 'jspi' : 'sync';
      for (const name of ready.reactors) {
        await t.test(`${reactorPath}: ${name} (instantiate + the manifest's calls)`, async () => {
          const { calls, error } = await page.evaluate((p) => window.wasiP2.runReactor(p), reactorPath);
          assert.equal(error, undefined, error);
          assert.deepEqual(calls.map((c) => c.call), ['add-strings', 'get-strings', 'write-strings-to', 'pass-an-imported-record']);
          for (const c of calls) assert.equal(c.problem, null, `${browser.name} ${reactorPath} ${name} ${c.call}: ${c.problem}`);
        });
      }

      await t.test('a file written to OPFS through WASI is still there after a reload', { skip: storage !== 'opfs' && `${browser.name}: no OPFS under automation here` }, async () => {
        const before = await within(60_000, 'writing through WASI before the reload', page.evaluate(() => window.wasiP2.writeForReload()));
        assert.equal(before.error, undefined, before.error);
        assert.deepEqual(before.listing, ['bar.txt', 'sub/']);
        await within(90_000, 'the reload', open());
        for (const path of PATHS[browser.name]) {
          if (path === 'jspi' && !ready.jspi) continue;
          const after = await within(60_000, `reading back on the ${path} path after the reload`, page.evaluate((p) => window.wasiP2.checkAfterReload(p), path));
          assert.equal(after.error, undefined, after.error);
          assert.equal(after.raw, 'And stood awhile in thought', 'bar.txt read with the OPFS API');
          assert.deepEqual(after.listing, ['bar.txt', 'sub/']);
          assert.equal(after.problem, null, `${path}: p2_cli_file_read on the reloaded OPFS directory: ${after.problem}`);
        }
      });

      if (storage === 'opfs') await page.evaluate(() => window.wasiP2.cleanup());
    });
  });
}
