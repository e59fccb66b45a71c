// wasi:http/types and wasi:http/outgoing-handler (js/wasi/http.js), driven from
// JS the way a guest drives them, against a loopback node:http server. The
// async host's blocking calls return Promises, which these tests await (what
// JSPI does for a guest): no component and no JSPI needed, so this runs on
// Node 20. The same host under a real component: wasi-http-jspi.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { WasiHost } from '../../js/wasi/index.js';
import { methodFromString, schemeFromProtocol } from '../../js/wasi/http.js';
import { closedPort, startUpstream } from '../fixtures/http/upstream.js';

const enc = (s) => new TextEncoder().encode(s);
const dec = (b) => new TextDecoder().decode(b);

function hostFor(http, options = {}) {
  const imports = new WasiHost({ async: true, http, ...options }).imports();
  return { T: imports['wasi:http/types'], H: imports['wasi:http/outgoing-handler'] };
}

/**
 * Does what a guest does for one request: builds it, writes the body with
 * check-write/subscribe (backpressure), waits on the future's pollable, reads
 * the response body with blocking-read. Resolves to { status, headers, body }
 * or { error } (the error-code), plus counters.
 */
async function guestRequest(api, { method = 'GET', url, headers = [], body, options, readBody = true }) {
  const { T, H } = api;
  const u = new URL(url);
  const fields = T.Fields.fromList(headers.map(([k, v]) => [k, enc(v)]));
  const req = new T.OutgoingRequest(fields);
  req.setMethod(methodFromString(method));
  req.setScheme(schemeFromProtocol(u.protocol));
  req.setAuthority(u.host);
  req.setPathWithQuery(u.pathname + u.search);
  const outBody = body !== undefined ? req.body() : null;
  let future;
  try {
    future = H.handle(req, options);
  } catch (e) {
    if (e instanceof Error) throw e;
    return { error: e, thrown: true };
  }
  let waitsForRoom = 0;
  if (outBody) {
    const out = outBody.write();
    const chunks = typeof body === 'string' ? [enc(body)] : body;
    for await (const chunk of chunks) {
      let at = 0;
      while (at < chunk.length) {
        let room = Number(out.checkWrite());
        while (room === 0) {
          waitsForRoom++;
          await out.subscribe().block();
          room = Number(out.checkWrite());
        }
        const n = Math.min(room, chunk.length - at);
        out.write(chunk.subarray(at, at + n));
        at += n;
      }
    }
    await out.blockingFlush();
    out[Symbol.dispose]();
    T.OutgoingBody.finish(outBody, undefined);
  }
  await future.subscribe().block();
  const got = future.get();
  assert.equal(got.tag, 'ok', 'the future gives its result once');
  if (got.val.tag === 'err') return { error: got.val.val, waitsForRoom };
  const response = got.val.val;
  const result = {
    status: response.status(),
    headers: Object.fromEntries(response.headers().entries().map(([k, v]) => [k, dec(v)])),
    waitsForRoom,
    response,
  };
  if (!readBody) return result;
  const incoming = response.consume();
  const stream = incoming.stream();
  const parts = [];
  let size = 0;
  try {
    for (;;) {
      const bytes = await stream.blockingRead(65536n);
      parts.push(bytes);
      size += bytes.length;
    }
  } catch (e) {
    if (e?.tag !== 'closed') {
      result.bodyError = e;
    }
  }
  result.size = size;
  result.bytes = Buffer.concat(parts);
  result.body = dec(result.bytes);
  return result;
}

const upstream = await startUpstream();
test.after(() => upstream.close());
const api = hostFor({ allowedHosts: [upstream.host] });

test('GET: status, response headers and body; request headers reach the server', async () => {
  const r = await guestRequest(api, { url: `${upstream.url}/hello` });
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-upstream'], '1');
  assert.equal(r.body, 'hello from upstream');
  const e = await guestRequest(api, { url: `${upstream.url}/echo?q=1`, headers: [['X-Custom', 'v1'], ['x-multi', 'a'], ['x-multi', 'b']] });
  const echo = JSON.parse(e.body);
  assert.equal(echo.method, 'GET');
  assert.equal(echo.url, '/echo?q=1');
  assert.equal(echo.headers['x-custom'], 'v1');
  assert.equal(echo.headers['x-multi'], 'a, b');
});

test('status codes come through as they are (no redirect following in Node)', async () => {
  for (const status of [201, 204, 302, 404, 418, 500, 503]) {
    const r = await guestRequest(api, { url: `${upstream.url}/status/${status}` });
    assert.equal(r.status, status);
    assert.equal(r.headers['x-status'], String(status));
    assert.equal(r.body, status === 204 ? '' : `status ${status}`);
  }
});

test('POST with a 10 MB body streamed in 64 KiB chunks, with backpressure', async () => {
  const total = 10 * 1024 * 1024;
  const hash = createHash('sha256');
  async function* chunks() {
    for (let at = 0; at < total; at += 65536) {
      const c = new Uint8Array(Math.min(65536, total - at));
      for (let i = 0; i < c.length; i++) c[i] = (at + i) % 253;
      hash.update(c);
      yield c;
    }
  }
  const r = await guestRequest(api, { method: 'POST', url: `${upstream.url}/echo`, body: chunks(), headers: [['content-type', 'application/octet-stream']] });
  assert.equal(r.status, 200);
  const echo = JSON.parse(r.body);
  assert.equal(echo.method, 'POST');
  assert.equal(echo.length, total);
  assert.equal(echo.sha256, hash.digest('hex'));
  // The body went out while the guest was writing: it had to wait for room.
  assert.ok(r.waitsForRoom > 0, `the writer never waited for the reader (${r.waitsForRoom})`);
});

test('a 10 MB response body read through blocking-read', async () => {
  const n = 10 * 1024 * 1024;
  const r = await guestRequest(api, { url: `${upstream.url}/big?bytes=${n}` });
  assert.equal(r.status, 200);
  assert.equal(r.size, n);
  for (const i of [0, 1, 250, 251, 65535, 65536, n - 1]) assert.equal(r.bytes[i], (i % 65536) % 251, `byte ${i}`);
});

test('PUT, DELETE and a custom method; a small body sent whole', async () => {
  for (const method of ['PUT', 'DELETE', 'PATCH', 'PURGE']) {
    const r = await guestRequest(api, { method, url: `${upstream.url}/echo`, body: 'abc' });
    const echo = JSON.parse(r.body);
    assert.equal(echo.method, method);
    assert.equal(echo.length, 3);
  }
});

test('failures map to error-code: connection refused, DNS, not HTTP, hang-up', async () => {
  const open = hostFor(undefined); // no allow-list: every host
  const port = await closedPort();
  assert.deepEqual((await guestRequest(open, { url: `http://127.0.0.1:${port}/` })).error, { tag: 'connection-refused' });
  const dns = (await guestRequest(open, { url: 'http://no-such-host.invalid/' })).error;
  assert.ok(dns.tag === 'DNS-error' || dns.tag === 'DNS-timeout', JSON.stringify(dns));
  assert.deepEqual((await guestRequest(open, { url: `${upstream.url}/garbage` })).error, { tag: 'HTTP-protocol-error' });
  assert.deepEqual((await guestRequest(open, { url: `${upstream.url}/hangup` })).error, { tag: 'connection-terminated' });
});

test('request-options timeouts: first-byte, connect, between-bytes (through http-error-code)', async () => {
  const { T } = api;
  const ms = (n) => BigInt(n) * 1000000n;
  let o = new T.RequestOptions();
  o.setFirstByteTimeout(ms(150));
  assert.equal(o.firstByteTimeout(), ms(150));
  const started = Date.now();
  assert.deepEqual((await guestRequest(api, { url: `${upstream.url}/slow?ms=3000`, options: o })).error, { tag: 'connection-read-timeout' });
  assert.ok(Date.now() - started < 2500);

  o = new T.RequestOptions();
  o.setConnectTimeout(ms(150));
  assert.deepEqual((await guestRequest(api, { url: `${upstream.url}/slow?ms=3000`, options: o })).error, { tag: 'connection-timeout' });

  o = new T.RequestOptions();
  o.setBetweenBytesTimeout(ms(150));
  const r = await guestRequest(api, { url: `${upstream.url}/slow-body?ms=3000`, options: o });
  assert.equal(r.status, 200);
  assert.equal(r.body, 'a');
  assert.equal(r.bodyError?.tag, 'last-operation-failed');
  assert.deepEqual(T.httpErrorCode(r.bodyError.val), { tag: 'connection-read-timeout' });
  assert.match(r.bodyError.val.toDebugString(), /between-bytes/);
});

test('a host not on the allow-list is refused with HTTP-request-denied, and nothing is sent', async () => {
  const before = upstream.seen.length;
  const strict = hostFor({ allowedHosts: ['example.com', '127.0.0.1:1'] });
  const r = await guestRequest(strict, { url: `${upstream.url}/hello` });
  assert.deepEqual(r.error, { tag: 'HTTP-request-denied' });
  assert.equal(r.thrown, true, 'handle() itself returns the error');
  assert.equal(upstream.seen.length, before);
  // Host without a port allows every port; '*.' a subdomain; '*' everything.
  assert.equal((await guestRequest(hostFor({ allowedHosts: ['127.0.0.1'] }), { url: `${upstream.url}/hello` })).status, 200);
  assert.equal((await guestRequest(hostFor({ allowedHosts: '*' }), { url: `${upstream.url}/hello` })).status, 200);
  assert.deepEqual((await guestRequest(hostFor({ allowedHosts: ['*.example.com'] }), { url: `${upstream.url}/hello` })).error, { tag: 'HTTP-request-denied' });
});

test('a fetch of the user\'s own replaces the engine\'s', async () => {
  const calls = [];
  const fake = hostFor({
    fetch: async (url, init) => {
      calls.push([url, init.method, init.headers.get('x-a')]);
      return new Response('faked', { status: 207, headers: { 'x-fake': 'yes' } });
    },
  });
  const r = await guestRequest(fake, { url: 'https://api.example/x?y=1', headers: [['x-a', 'b']] });
  assert.equal(r.status, 207);
  assert.equal(r.headers['x-fake'], 'yes');
  assert.equal(r.body, 'faked');
  assert.deepEqual(calls, [['https://api.example/x?y=1', 'GET', 'b']]);
});

test('without the async host (no JSPI) an outgoing request is a clear error', () => {
  const imports = new WasiHost({}).imports();
  const T = imports['wasi:http/types'];
  const H = imports['wasi:http/outgoing-handler'];
  const req = new T.OutgoingRequest(new T.Fields());
  req.setScheme({ tag: 'HTTP' });
  req.setAuthority(upstream.host);
  assert.throws(() => H.handle(req, undefined), /JSPI.*async: true/s);
});

test('fields: syntax, forbidden names, immutability, case-insensitive lookups, clone', () => {
  const { T } = api;
  const f = new T.Fields();
  f.append('Content-Type', enc('text/plain'));
  f.append('x-list', enc('1'));
  f.append('X-List', enc('2'));
  assert.equal(f.has('content-type'), true);
  assert.deepEqual(f.get('x-LIST').map(dec), ['1', '2']);
  f.set('x-list', [enc('3')]);
  assert.deepEqual(f.get('x-list').map(dec), ['3']);
  f.delete('X-LIST');
  assert.equal(f.has('x-list'), false);
  assert.deepEqual(f.entries().map(([k, v]) => [k, dec(v)]), [['Content-Type', 'text/plain']]);
  assert.throws(() => f.append('bad name', enc('x')), (e) => e.tag === 'invalid-syntax');
  assert.throws(() => f.append('x-ok', enc('a\r\nb')), (e) => e.tag === 'invalid-syntax');
  assert.throws(() => f.set('Connection', [enc('close')]), (e) => e.tag === 'forbidden');
  assert.throws(() => T.Fields.fromList([['host', enc('x')]]), (e) => e.tag === 'forbidden');
  assert.throws(() => T.Fields.fromList([['a:b', enc('x')]]), (e) => e.tag === 'invalid-syntax');
  const req = new T.OutgoingRequest(f);
  const h = req.headers();
  assert.throws(() => h.append('x-more', enc('1')), (e) => e.tag === 'immutable');
  const copy = h.clone();
  copy.append('x-more', enc('1'));
  assert.equal(copy.has('x-more'), true);
  assert.equal(req.headers().has('x-more'), false);
});

test('outgoing-request accessors and validation', () => {
  const { T } = api;
  const req = new T.OutgoingRequest(new T.Fields());
  assert.deepEqual(req.method(), { tag: 'get' });
  req.setMethod({ tag: 'other', val: 'PURGE' });
  assert.deepEqual(req.method(), { tag: 'other', val: 'PURGE' });
  assert.throws(() => req.setMethod({ tag: 'other', val: 'BAD METHOD' }));
  assert.equal(req.pathWithQuery(), undefined);
  req.setPathWithQuery('/a?b=c');
  assert.equal(req.pathWithQuery(), '/a?b=c');
  assert.throws(() => req.setPathWithQuery('/a b'));
  req.setAuthority('example.com:8080');
  assert.equal(req.authority(), 'example.com:8080');
  assert.throws(() => req.setAuthority('a/b'));
  req.setScheme({ tag: 'HTTPS' });
  assert.deepEqual(req.scheme(), { tag: 'HTTPS' });
  const body = req.body();
  assert.throws(() => req.body(), 'the body is handed out once');
  body.write();
  assert.throws(() => body.write(), 'its stream is handed out once');
});

test('a body dropped without finish fails the request instead of sending a short one', async () => {
  const { T, H } = api;
  const req = new T.OutgoingRequest(new T.Fields());
  req.setMethod({ tag: 'post' });
  req.setScheme({ tag: 'HTTP' });
  req.setAuthority(upstream.host);
  req.setPathWithQuery('/echo');
  const body = req.body();
  const future = H.handle(req, undefined);
  const out = body.write();
  out.write(enc('partial'));
  out[Symbol.dispose]();
  body[Symbol.dispose]();
  await future.subscribe().block();
  const got = future.get();
  assert.equal(got.val.tag, 'err', JSON.stringify(got));
});
