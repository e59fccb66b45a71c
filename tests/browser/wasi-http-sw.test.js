// wasi:http in Chromium, Firefox and WebKitGTK: the test proxy component
// (componentize-js, built at test time by tests/fixtures/http/build.js) answers
// the page's fetch from a Service Worker (web/sw-serve.js, driven by
// web/http-demo.html), and makes outgoing requests to a loopback server, both
// from the Service Worker and from serve() called in the page. An outgoing
// request waits for fetch(), which needs JSPI: in WebKit, which has none, the
// component must get an error that says so, and nothing reaches the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browsers } from './browsers.js';
import { startServer } from './server.js';
import { buildProxy, proxyBuildUnavailable } from '../fixtures/http/build.js';
import { startUpstream } from '../fixtures/http/upstream.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const coreBuilt = existsSync(`${ROOT}js/core/compoly-core.wasm`);

for (const browser of browsers) {
  test(`wasi:http component in a Service Worker and a page (${browser.name})`, {
    skip: (!browser.available() && `${browser.name} is not installed (bash scripts/setup.sh)`) ||
      (!coreBuilt && 'the core is not built (bash scripts/build-core.sh)') || proxyBuildUnavailable() || false,
    timeout: 600_000,
  }, async (t) => {
    const wasm = await buildProxy({ log: (m) => t.diagnostic(m) });
    const upstream = await startUpstream();
    const server = await startServer();
    const instance = await browser.launch();
    const logs = [];
    try {
      const page = await instance.newPage();
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      const componentPath = relative(`${ROOT}web`, wasm);
      const url = `${server.projectUrl}web/http-demo.html?component=${encodeURIComponent(componentPath)}&allow-host=${upstream.host}`;
      await page.goto(url);
      try {
        // WebKit's driver may answer the navigation before the page's module has run.
        await page.waitForFunction(() => window.compolyHttp !== undefined, null, { timeout: 60_000 });
        await page.evaluate(() => window.compolyHttp.ready);
      } catch (e) {
        assert.fail(`the Service Worker did not start: ${e.message}\n${logs.join('\n')}`);
      }
      const send = (path, init) => page.evaluate(([p, i]) => window.compolyHttp.send(p, i), [path, init]);
      const jspi = await page.evaluate(() => typeof WebAssembly.Suspending === 'function');
      // Without JSPI, an outgoing request fails in the component with the host's explanation.
      const assertNeedsJspi = (r) => {
        assert.equal(r.status, 500, r.body);
        assert.match(r.body, /an outgoing HTTP request waits for fetch\(\), which a synchronous host cannot do\. Use the async host: JSPI/);
        assert.equal(upstream.seen.length, 0, 'a request reached the loopback server');
      };

      await t.test('GET: the component echoes method, path, query and headers', async () => {
        const r = await send('echo/a/b?x=1&y=ü', { headers: { 'x-custom': 'v1' } });
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['x-echo'], 'yes');
        const echo = JSON.parse(r.body);
        assert.equal(echo.method, 'GET');
        assert.match(echo.path, /\/web\/app\/echo\/a\/b$/);
        assert.equal(new URLSearchParams(echo.query).get('y'), 'ü');
        assert.equal(echo.headers['x-custom'], 'v1');
        assert.equal(echo.body, '');
      });

      await t.test('POST: the request body reaches the component', async () => {
        const body = 'posted ✓ '.repeat(1000);
        const r = await send('echo', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
        assert.equal(r.status, 200, r.body);
        const echo = JSON.parse(r.body);
        assert.equal(echo.method, 'POST');
        assert.ok(echo.body === body, `the echoed body has ${echo.body.length} characters, not ${body.length}`);
      });

      await t.test('status codes and response headers', async () => {
        const r = await send('status/418');
        assert.equal(r.status, 418);
        assert.equal(r.headers['x-status'], '418');
        assert.equal(r.body, 'status 418');
        assert.equal((await send('nowhere')).status, 404);
      });

      await t.test('a streamed response body', async () => {
        const r = await send('stream?n=64');
        assert.equal(r.status, 200);
        assert.equal(r.body, 'a'.repeat(64 * 1024));
      });

      await t.test('the component fetches a loopback server from the Service Worker', async () => {
        const r = await send(`fetch?url=${encodeURIComponent(`${upstream.url}/hello`)}`, { headers: { 'x-pass': 'on' } });
        if (!jspi) return assertNeedsJspi(r);
        assert.equal(r.status, 200, r.body);
        const got = JSON.parse(r.body);
        assert.equal(got.ok, true, r.body);
        assert.equal(got.status, 200);
        assert.equal(got.body, 'hello from upstream');
        assert.equal(got.headers['x-upstream'], '1');
      });

      await t.test('…with a POST body and a status code', { skip: !jspi && `${browser.name} has no JSPI` }, async () => {
        const r = await send(`fetch?url=${encodeURIComponent(`${upstream.url}/echo`)}`, { method: 'POST', body: 'x'.repeat(100_000) });
        const got = JSON.parse(r.body);
        assert.equal(got.ok, true, r.body);
        const echo = JSON.parse(got.body);
        assert.equal(echo.method, 'POST');
        assert.equal(echo.length, 100_000);
        const s = JSON.parse((await send(`fetch?url=${encodeURIComponent(`${upstream.url}/status/503`)}`)).body);
        assert.equal(s.status, 503);
      });

      await t.test('a host not on the allow-list is refused', async () => {
        const r = await send(`fetch?url=${encodeURIComponent('http://127.0.0.2:9/x')}`);
        const got = JSON.parse(r.body);
        assert.equal(got.ok, false);
        assert.equal(upstream.seen.some((s) => s.url === '/x'), false);
      });

      await t.test('serve() in the page: the component answers a Request and fetches the loopback server', async () => {
        const r = await page.evaluate(([u]) => window.compolyHttp.servePage(`fetch?url=${encodeURIComponent(u)}`), [`${upstream.url}/hello`]);
        if (!jspi) return assertNeedsJspi(r);
        assert.equal(r.status, 200, r.body);
        const got = JSON.parse(r.body);
        assert.equal(got.ok, true, r.body);
        assert.equal(got.body, 'hello from upstream');
      });
    } catch (e) {
      for (const l of logs.slice(-20)) t.diagnostic(l);
      throw e;
    } finally {
      await instance.close();
      await server.close();
      await upstream.close();
    }
  });
}
