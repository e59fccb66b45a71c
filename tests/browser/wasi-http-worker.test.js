// A command making outgoing HTTP requests (the componentize-js fetch command,
// tests/fixtures/http/fetch-command, built at test time) run by run() in
// Chromium, Firefox and WebKitGTK against a loopback server: on the worker
// path (a dedicated worker blocking on Atomics.wait while the page fetches,
// js/wasi/http-worker.js), and where the engine has JSPI on that path too,
// with the same output. In WebKit, which has no JSPI, run() picks the worker
// by itself. The page is tests/browser/pages/http-worker.html, served
// cross-origin isolated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.js';
import { browsers } from './browsers.js';
import { withPage } from './with-page.js';
import { buildFetchCommand, proxyBuildUnavailable } from '../fixtures/http/build.js';
import { startUpstream } from '../fixtures/http/upstream.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

for (const browser of browsers) {
  test(`a command making HTTP requests, on the worker path in ${browser.name}`, {
    skip: (!browser.available() && `${browser.name} is not installed (bash scripts/setup.sh)`) || proxyBuildUnavailable() || false,
    timeout: 300_000,
  }, async (t) => {
    const wasm = await buildFetchCommand({ log: (m) => t.diagnostic(m) });
    const upstream = await startUpstream();
    const server = await startServer();
    await withPage(browser, [server, upstream], async (page) => {
      await page.goto(`${server.projectUrl}tests/browser/pages/http-worker.html`);
      await page.waitForFunction(() => window.httpWorker !== undefined, null, { timeout: 60_000 });
      const ready = await page.evaluate(() => window.httpWorker.ready);
      assert.ok(ready.crossOriginIsolated, 'the page is not cross-origin isolated');
      const componentUrl = `${server.projectUrl}${relative(ROOT, wasm)}`;
      const runIn = (env, options) => page.evaluate(([u, e, o]) => window.httpWorker.run(u, e, o), [componentUrl, env, options]);
      const http = { allowedHosts: [upstream.host] };

      const cases = [
        ['GET', { URL: `${upstream.url}/hello` }, (p) => assert.deepEqual([p.status, p.body, p.headers['x-upstream']], [200, 'hello from upstream', '1'])],
        ['POST 1 MB', { URL: `${upstream.url}/echo`, METHOD: 'POST', BODY: String(1 << 20) }, (p) => {
          assert.equal(p.status, 200);
          assert.deepEqual(upstream.seen.at(-1), { method: 'POST', url: '/echo', length: 1 << 20 });
        }],
        ['a 256 KB response', { URL: `${upstream.url}/big?bytes=${256 << 10}` }, (p) => assert.equal(p.length, 256 << 10)],
        ['status 503', { URL: `${upstream.url}/status/503` }, (p) => assert.equal(p.status, 503)],
      ];
      for (const [name, env, check] of cases) {
        await t.test(name, async () => {
          const worker = await runIn(env, { worker: true, http });
          assert.equal(worker.error, undefined, worker.error);
          assert.equal(worker.exitCode, 0, JSON.stringify(worker.printed));
          check(worker.printed);
          if (ready.jspi) {
            const jspi = await runIn(env, { async: true, http });
            assert.deepEqual(worker, jspi, 'the worker path and JSPI print the same');
          } else {
            assert.deepEqual(await runIn(env, { http }), worker, 'run() picks the worker by itself');
          }
        });
      }

      await t.test('a host off the allow-list: refused, nothing sent', async () => {
        const before = upstream.seen.length;
        const r = await runIn({ URL: `${upstream.url}/hello` }, { worker: true, http: { allowedHosts: ['example.test'] } });
        assert.equal(r.error, undefined, r.error);
        assert.deepEqual([r.exitCode, r.printed.ok], [1, false]);
        assert.equal(upstream.seen.length, before);
      });

    });
  });
}
