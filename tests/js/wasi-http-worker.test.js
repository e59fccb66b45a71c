// Outgoing wasi:http on the worker path (js/wasi/http-worker.js), for engines
// without JSPI: the componentize-js fetch command
// (tests/fixtures/http/fetch-command/app.js, built at test time and cached)
// run by run() in a worker, its requests made by this thread against a
// loopback server. Under Node 20, which has no JSPI, run() picks the worker
// by itself. wasi-http-jspi.test.js checks that the JSPI path prints the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jspiAvailable, run } from '../../js/index.js';
import { chooseRunPath } from '../../js/wasi/run.js';
import { proxyBuildUnavailable } from '../fixtures/http/build.js';
import { fetchCommandComponent } from './helpers/http-components.js';
import { closedPort, startUpstream } from '../fixtures/http/upstream.js';

const noBuild = proxyBuildUnavailable() || false;


const upstream = await startUpstream();
test.after(() => upstream.close());

/** The fetch command's checksum of upstream.js's /big body of `n` bytes (chunks of i % 251). */
function bigBodySum(n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum = (sum * 31 + ((i % 65536) % 251)) >>> 0;
  return sum;
}

/** Runs the command; resolves to its exit code and the JSON line it printed. */
async function fetchWith(env, options = { worker: true }) {
  let stdout = '';
  let stderr = '';
  const decoder = new TextDecoder();
  const { exitCode } = await run(await fetchCommandComponent(), {
    env,
    stdout: (b) => (stdout += decoder.decode(b, { stream: true })),
    stderr: (b) => (stderr += decoder.decode(b, { stream: true })),
    ...options,
  });
  let printed;
  try {
    printed = JSON.parse(stdout.trim().split('\n').at(-1));
  } catch {
    assert.fail(`no JSON line on stdout (exit ${exitCode}): ${stdout.slice(0, 300)} / stderr: ${stderr.slice(0, 300)}`);
  }
  return { exitCode, printed };
}

test('without JSPI, run() takes a command that makes HTTP requests to a worker', { skip: noBuild, timeout: 300_000 }, async () => {
  const c = await fetchCommandComponent();
  assert.equal(chooseRunPath({}, undefined, c), jspiAvailable() ? 'jspi' : 'worker');
  assert.equal(chooseRunPath({ worker: false }, undefined, c), jspiAvailable() ? 'jspi' : 'sync');
  if (jspiAvailable()) return;
  const { exitCode, printed } = await fetchWith({ URL: `${upstream.url}/hello` }, {});
  assert.equal(exitCode, 0);
  assert.equal(printed.body, 'hello from upstream');
});

test('worker path: GET with headers, a 1 MB POST body, a 1 MB response, status codes', { skip: noBuild, timeout: 300_000 }, async () => {
  let { exitCode, printed } = await fetchWith({ URL: `${upstream.url}/hello` });
  assert.equal(exitCode, 0);
  assert.deepEqual([printed.ok, printed.status, printed.body, printed.headers['x-upstream']], [true, 200, 'hello from upstream', '1']);

  ({ exitCode, printed } = await fetchWith({ URL: `${upstream.url}/echo`, METHOD: 'POST', BODY: String(1 << 20) }));
  assert.equal(exitCode, 0);
  assert.equal(printed.status, 200);
  assert.match(printed.body, /^\{"method":"POST","url":"\/echo"/);
  const seen = upstream.seen.at(-1);
  assert.deepEqual([seen.method, seen.url, seen.length], ['POST', '/echo', 1 << 20]);

  // (The guest's checksum loop, in an interpreter, takes most of this run's time.)
  ({ exitCode, printed } = await fetchWith({ URL: `${upstream.url}/big?bytes=${1 << 20}` }));
  assert.equal(exitCode, 0);
  assert.equal(printed.length, 1 << 20);
  assert.equal(printed.sum, bigBodySum(1 << 20), 'the checksum of the 1 MB body');

  ({ exitCode, printed } = await fetchWith({ URL: `${upstream.url}/status/503` }));
  assert.equal(exitCode, 0);
  assert.deepEqual([printed.status, printed.headers['x-status'], printed.body], [503, '503', 'status 503']);
});

test('worker path: a host off the allow-list is refused before anything is sent, a closed port fails', { skip: noBuild, timeout: 300_000 }, async () => {
  const before = upstream.seen.length;
  let { exitCode, printed } = await fetchWith({ URL: `${upstream.url}/hello` }, { worker: true, http: { allowedHosts: ['example.test'] } });
  assert.equal(exitCode, 1);
  assert.equal(printed.ok, false);
  assert.equal(upstream.seen.length, before, 'a request reached the server');

  ({ exitCode, printed } = await fetchWith({ URL: `http://127.0.0.1:${await closedPort()}/x` }));
  assert.equal(exitCode, 1);
  assert.equal(printed.ok, false);

  // The allow-list admits the server: the same request goes through.
  ({ exitCode, printed } = await fetchWith({ URL: `${upstream.url}/hello` }, { worker: true, http: { allowedHosts: [upstream.host] } }));
  assert.equal(exitCode, 0);
  assert.equal(printed.status, 200);
});

test('worker path: http options are checked before the worker starts', { skip: noBuild, timeout: 300_000 }, async () => {
  await assert.rejects(fetchWith({ URL: `${upstream.url}/hello` }, { worker: true, http: { allowedHost: [] } }), /unknown http option 'allowedHost'/);
});
