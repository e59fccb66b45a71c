// tests/fixtures/c/wasi-tour.c (clang-14 + wasi-libc, jco new --wasi-command, built at test
// time) in headless Chromium and Firefox and in WebKitGTK (under Xvfb), through tests/browser/pages/wasi-c.html, which
// imports compoly from the project: the whole tour with a memfs preopen, a read-only memfs
// preopen, and — when js/wasi/index.js exports opfs() — the tour on an OPFS preopen and a
// file written to OPFS that must still be there (for the program and for the browser's own
// OPFS API) after the page is reloaded. Each on every way run() blocks: auto, JSPI, a worker
// (Atomics.wait) and sync. Then the tour in a worker of the page's own that opens its OPFS
// preopen itself (tests/browser/pages/wasi-c-worker.js). The Node side is tests/js/wasi-c.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.js';
import { browsers } from './browsers.js';
import { withPage } from './with-page.js';
import { buildCComponent } from '../fixtures/c/build.js';
import { EDGE_CHECKS, READONLY_CHECKS, TOUR_CHECKS, parseChecks } from '../fixtures/c/tour.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const built = buildCComponent('wasi-tour');

function assertChecks(result, expected, where) {
  assert.equal(result.error, undefined, `${where}: ${result.error}\nstdout:\n${result.stdout ?? ''}`);
  const { ok, failed } = parseChecks(result.stdout);
  assert.deepEqual(failed, [], `${where}: failed checks (stderr: ${result.stderr})`);
  assert.deepEqual(expected.filter((c) => !ok.includes(c)), [], `${where}: checks that did not report (stdout:\n${result.stdout}\nstderr: ${result.stderr})`);
  assert.equal(result.exitCode, 0, `${where}: exit code (stderr: ${result.stderr})`);
}

for (const browser of browsers) {
  test(`wasi-tour (C) in ${browser.name}`, {
    skip: (!browser.available() && `${browser.name} is not installed (bash scripts/setup.sh)`) || built.skip,
    timeout: 300_000,
  }, async (t) => {
    const server = await startServer();
    await withPage(browser, [server], async (page) => {
      const pageUrl = `${server.projectUrl}tests/browser/pages/wasi-c.html`;
      const componentUrl = `${server.projectUrl}${relative(ROOT, built.path)}`;
      const open = async (path = 'auto', { reload = false } = {}) => {
        if (reload) await page.reload();
        else await page.goto(pageUrl);
        await page.waitForFunction(() => window.wasiC !== undefined, null, { timeout: 60_000 });
        const ready = await page.evaluate(() => window.wasiC.ready);
        assert.ok(ready.ok, `the page could not load compoly: ${ready.error}`);
        await page.evaluate((p) => window.wasiC.setPath(p), path);
        return ready;
      };
      const ready = await open();
      t.diagnostic(`${ready.userAgent}; crossOriginIsolated ${ready.crossOriginIsolated}, JSPI ${ready.jspi}, OPFS ${ready.browserHasOpfs}, compoly opfs() ${ready.hasOpfsBackend}`);

      // Every way run() can block on a page: its own choice, JSPI, a worker, synchronously.
      const paths = [
        ['auto', false],
        ['jspi', !ready.jspi && 'no JSPI in this browser'],
        ['worker', !ready.crossOriginIsolated && 'the page is not cross-origin isolated'],
        ['sync', false],
      ];
      for (const [path, skipPath] of paths) {
        await t.test(`run path: ${path}`, { skip: skipPath }, async (tp) => {
          await page.evaluate((p) => window.wasiC.setPath(p), path);
          await tp.test('the tour with a memfs preopen', async () => {
            const result = await page.evaluate(([url]) => window.wasiC.tourMemfs(url, 150_000), [componentUrl]);
            assertChecks(result, TOUR_CHECKS, browser.name);
            tp.diagnostic(`${path}: memfs tour: ${parseChecks(result.stdout).ok.length} checks ok in ${Math.round(result.ms)} ms`);
            assert.deepEqual(result.tree, { tour: { 'b.txt': 'hello\nworld\n' } });
          });

          await tp.test('a read-only memfs preopen refuses every change', async () => {
            const result = await page.evaluate(([url]) => window.wasiC.readonlyMemfs(url), [componentUrl]);
            assertChecks(result, READONLY_CHECKS, browser.name);
            assert.deepEqual(result.tree, { 'existing.txt': 'read me\n' });
          });

          await tp.test('less common file operations on memfs (edges)', async () => {
            const result = await page.evaluate(([url]) => window.wasiC.edgesMemfs(url), [componentUrl]);
            assertChecks(result, EDGE_CHECKS, browser.name);
            assert.equal(Object.keys(result.tree.edges.many).length, 150);
          });

          const noOpfs = !ready.hasOpfsBackend
            ? 'js/wasi/index.js does not export opfs() yet (the OPFS backend is in progress)'
            : !ready.browserHasOpfs && `${browser.name} has no navigator.storage.getDirectory here`;

          await tp.test('the tour with an OPFS preopen', { skip: noOpfs }, async () => {
            const dir = `compoly-wasi-c-tour-${path}`;
            try {
              const result = await page.evaluate(([url, d]) => window.wasiC.tourOpfs(url, d, 150_000), [componentUrl, dir]);
              assertChecks(result, TOUR_CHECKS, `${browser.name} (OPFS)`);
              assert.deepEqual(result.listing, ['tour/'], 'the OPFS directory');
              assert.deepEqual(result.tourListing, ['b.txt'], 'the OPFS directory tour/');
              assert.equal(result.bTxt, 'hello\nworld\n', 'tour/b.txt read with the OPFS API');
            } finally {
              await page.evaluate((d) => window.wasiC.removeOpfs(d), dir);
            }
          });

          // jspi and sync use the same OPFS backend as auto on a page (the mirror); worker has its own.
          // Firefox's OPFS takes about 10 s for the edges' 150 files, so they run once per backend.
          const edgesSkip = noOpfs || (path !== 'auto' && path !== 'worker' && 'the same OPFS backend (the page mirror) as the auto path');
          await tp.test('less common file operations on an OPFS preopen (edges; symlinks refused)', { skip: edgesSkip }, async () => {
            const dir = `compoly-wasi-c-edges-${path}`;
            try {
              const result = await page.evaluate(([url, d]) => window.wasiC.edgesOpfs(url, d), [componentUrl, dir]);
              assertChecks(result, EDGE_CHECKS, `${browser.name} (OPFS)`);
              assert.equal(result.many, 150, 'edges/many entries seen with the OPFS API');
              assert.equal(result.hole, 1001, 'edges/hole.bin length seen with the OPFS API');
            } finally {
              await page.evaluate((d) => window.wasiC.removeOpfs(d), dir);
            }
          });

          await tp.test('a file written to OPFS is still there after a page reload', { skip: noOpfs }, async () => {
            const dir = `compoly-wasi-c-persist-${path}`;
            const token = `persisted-${browser.name}-${path}-${Date.now()}`;
            try {
              const written = await page.evaluate(([url, d, tok]) => window.wasiC.persistOpfs(url, 'persist-write', d, tok, { fresh: true }), [componentUrl, dir, token]);
              assertChecks(written, ['persist.write', 'persist.read-back'], `${browser.name} persist-write`);
              assert.equal(written.onDisk, token, 'persist.txt read with the OPFS API before the reload');

              await open(path, { reload: true });
              const onDisk = await page.evaluate(([d]) => window.wasiC.opfsReadText(d, 'persist.txt'), [dir]);
              assert.equal(onDisk, token, 'persist.txt read with the OPFS API after the reload');
              const checked = await page.evaluate(([url, d, tok]) => window.wasiC.persistOpfs(url, 'persist-check', d, tok), [componentUrl, dir, token]);
              assertChecks(checked, ['persist.exists', 'persist.content'], `${browser.name} persist-check after reload`);
            } finally {
              await page.evaluate((d) => window.wasiC.removeOpfs(d), dir);
            }
          });
        });
      }

      await t.test('an engine without createWritable: run() refuses the page copy of OPFS up front, or runs in the worker', {
        skip: (!ready.browserHasOpfs && `${browser.name} has no navigator.storage.getDirectory here`) || (!ready.crossOriginIsolated && 'the page is not cross-origin isolated'),
      }, async () => {
        const dir = 'compoly-wasi-c-no-create-writable';
        try {
          const refused = await page.evaluate(([url, d]) => window.wasiC.persistWithoutCreateWritable(url, d, 'never-written', { async: false }), [componentUrl, dir]);
          assert.match(refused.refused ?? `no error: ${JSON.stringify(refused)}`, /^Error: compoly wasi: preopen '\/data' is an OPFS directory copied to this thread, .*createWritable, which this engine lacks: run the component in a worker/);
          assert.equal(refused.stdout, '', 'the guest did not run');
          assert.equal(refused.onDisk, null, 'nothing was written');
          const token = `via-worker-${browser.name}-${Date.now()}`;
          const ran = await page.evaluate(([url, d, tok]) => window.wasiC.persistWithoutCreateWritable(url, d, tok), [componentUrl, dir, token]);
          assert.equal(ran.refused, undefined, ran.refused);
          assert.equal(ran.exitCode, 0, ran.stdout);
          assert.deepEqual(parseChecks(ran.stdout).failed, []);
          assert.equal(ran.onDisk, token, 'persist.txt, written from the worker, read with the OPFS API');
        } finally {
          await page.evaluate((d) => window.wasiC.removeOpfs(d), dir);
        }
      });

      const noOpfsHere = (!ready.browserHasOpfs && `${browser.name} has no navigator.storage.getDirectory here`)
        || (!ready.crossOriginIsolated && 'the page is not cross-origin isolated (the agent needs SharedArrayBuffer)');
      // A worker of the page's own that opens OPFS itself and calls run() there, as a user's would.
      // With the agent started on the page and lent to the worker (opfsForWorker), in every browser;
      // with opfs(name) in the worker, which starts the agent from the worker, not in Firefox,
      // where a worker's own `new Worker()` sometimes never returns (README, js/wasi/README.md).
      for (const how of ['grant', 'name']) {
        const ownSkip = noOpfsHere || (how === 'name' && browser.name === 'firefox' && 'Firefox: a worker starting its own worker can hang (use opfsForWorker)');
        await t.test(`the tour with an OPFS preopen opened in a worker of the page's own (${how === 'grant' ? 'opfs(grant) of opfsForWorker' : 'opfs(name)'})`, { skip: ownSkip }, async () => {
          const dir = `compoly-wasi-c-own-worker-${how}`;
          try {
            const result = await page.evaluate(([url, d, h]) => window.wasiC.tourOpfsInOwnWorker(url, d, 150_000, h, 120_000), [componentUrl, dir, how]);
            assertChecks(result, TOUR_CHECKS, `${browser.name} (OPFS, own worker, ${how})`);
            assert.equal(result.backend, 'OpfsSyncFs', 'the worker used the agent, not the mirror');
            assert.deepEqual(result.listing, ['tour/'], 'the OPFS directory');
            assert.equal(result.bTxt, 'hello\nworld\n', 'tour/b.txt read with the OPFS API on the page');
            if (how === 'grant') assert.match(result.onPage, /^TypeError: .*opfs\(grant\) is for a worker/, 'opfs(grant) on the page');
          } finally {
            await page.evaluate((d) => window.wasiC.removeOpfs(d), dir);
          }
        });
      }

      await t.test('a worker whose OPFS grant was closed gets an error, not a hang', { skip: noOpfsHere }, async () => {
        const dir = 'compoly-wasi-c-own-worker-closed';
        try {
          const result = await page.evaluate(([url, d]) => window.wasiC.tourOpfsInOwnWorker(url, d, 1000, 'closed-grant', 60_000), [componentUrl, dir]);
          assert.equal(result.hung, undefined, result.error);
          assert.match(result.error ?? `no error: exit ${result.exitCode}`, /the other side was closed/);
        } finally {
          await page.evaluate((d) => window.wasiC.removeOpfs(d), dir);
        }
      });
    });
  });
}
