// wasi:sockets on the async (JSPI) host: pollable.block(), poll() and blocking
// stream calls return Promises that settle from Node's socket events, so a
// guest suspended on them (JSPI) waits without busy loops. The host objects
// are driven as a guest drives them (awaiting what JSPI would await), and one
// test suspends a real Wasm caller through WebAssembly.Suspending on a socket
// pollable. scripts/test.sh runs this file under the Node 24 from npm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dgram from 'node:dgram';
import { jspiAvailable } from '../../js/index.js';
import { WasiHost } from '../../js/wasi/index.js';

const enc = (s) => new TextEncoder().encode(s);
const dec = (b) => new TextDecoder().decode(b);
const v4 = (port, address = [127, 0, 0, 1]) => ({ tag: 'ipv4', val: { port, address } });
const noJspi = !jspiAvailable() && 'this engine has no JSPI (run under Node ≥ 24)';

function errOf(fn) {
  try {
    fn();
  } catch (e) {
    return e?.payload ?? e;
  }
  return 'no error';
}

/** Bounds a Promise (a test must fail, not hang). */
const within = (p, ms = 3000, what = 'the wait') =>
  Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(`${what} took over ${ms} ms`)), ms).unref())]);

function host(options = {}) {
  const i = new WasiHost({ async: true, sockets: { allow: true }, ...options }).imports();
  return {
    network: i['wasi:sockets/instance-network'].instanceNetwork(),
    tcp: () => i['wasi:sockets/tcp-create-socket'].createTcpSocket('ipv4'),
    udp: () => i['wasi:sockets/udp-create-socket'].createUdpSocket('ipv4'),
    lookup: (n, name) => i['wasi:sockets/ip-name-lookup'].resolveAddresses(n, name),
    poll: i['wasi:io/poll'].poll,
  };
}

/** What a guest does: call, and on would-block block on the socket's pollable and call again. */
async function blocking(socket, fn) {
  const pollable = socket.subscribe();
  for (let i = 0; i < 100; i++) {
    try {
      return fn();
    } catch (e) {
      if (e?.payload !== 'would-block') throw e;
    }
    const r = pollable.block();
    assert.ok(r instanceof Promise, 'block() waits on a Promise');
    await within(r);
  }
  throw new Error('still would-block after 100 waits');
}

test('TCP: connect, listen, accept and talk with blocking calls only', async () => {
  const h = host();
  const listener = h.tcp();
  listener.startBind(h.network, v4(0));
  await blocking(listener, () => listener.finishBind());
  listener.startListen();
  listener.finishListen();
  const client = h.tcp();
  client.startConnect(h.network, listener.localAddress());
  const [cin, cout] = await blocking(client, () => client.finishConnect());
  const [conn, sin, sout] = await blocking(listener, () => listener.accept());

  // blocking-read waits for the bytes; blocking-write-and-flush waits until Node sent them
  const read = sin.blockingRead(100n);
  assert.ok(read instanceof Promise);
  const flushed = cout.blockingWriteAndFlush(enc('over tcp'));
  await within(Promise.resolve(flushed));
  assert.equal(dec(await within(read)), 'over tcp');

  // a large transfer: check-write backpressure and blocking reads until end of stream
  const total = 4 * 1024 * 1024;
  const writer = (async () => {
    let sent = 0;
    while (sent < total) {
      let room = Number(sout.checkWrite());
      while (room === 0) {
        await within(sout.subscribe().block());
        room = Number(sout.checkWrite());
      }
      const n = Math.min(room, 65536, total - sent);
      sout.write(new Uint8Array(n).fill(sent % 251));
      sent += n;
    }
    await within(Promise.resolve(sout.blockingFlush()));
    conn.shutdown('send');
  })();
  let received = 0;
  for (;;) {
    let chunk;
    try {
      chunk = await within(Promise.resolve(cin.blockingRead(1n << 20n)));
    } catch (e) {
      assert.deepEqual(e, { tag: 'closed' });
      break;
    }
    received += chunk.length;
  }
  await writer;
  assert.equal(received, total);
  for (const r of [cin, cout, client, sin, sout, conn, listener]) r[Symbol.dispose]();
});

test('poll() over socket pollables and a timer returns the ready ones', async () => {
  const h = host();
  const i = new WasiHost({ async: true }).imports();
  const listener = h.tcp();
  listener.startBind(h.network, v4(0));
  await blocking(listener, () => listener.finishBind());
  listener.startListen();
  listener.finishListen();
  const accepting = listener.subscribe();
  const timer = i['wasi:clocks/monotonic-clock'].subscribeDuration(50_000_000n);
  // nobody connects: the timer wins
  assert.deepEqual([...(await within(h.poll([accepting, timer])))], [1]);
  const client = net.connect(listener.localAddress().val.port, '127.0.0.1');
  const later = i['wasi:clocks/monotonic-clock'].subscribeDuration(5_000_000_000n);
  assert.deepEqual([...(await within(h.poll([accepting, later])))], [0]);
  const [conn, sin, sout] = listener.accept();
  client.destroy();
  for (const r of [sin, sout, conn, listener]) r[Symbol.dispose]();
});

test('UDP and name lookup wait on their pollables', async () => {
  const h = host();
  const peer = dgram.createSocket('udp4');
  await new Promise((r) => peer.bind(0, '127.0.0.1', r));
  peer.on('message', (msg, rinfo) => setTimeout(() => peer.send(`re:${msg}`, rinfo.port, rinfo.address), 20));
  const s = h.udp();
  s.startBind(h.network, v4(0));
  await blocking(s, () => s.finishBind());
  const [incoming, outgoing] = s.stream(v4(peer.address().port));
  assert.equal(outgoing.checkSend() > 0n, true);
  outgoing.send([{ data: enc('hi'), remoteAddress: undefined }]);
  assert.deepEqual(incoming.receive(5n), []);
  await within(incoming.subscribe().block());
  const [d] = incoming.receive(5n);
  assert.equal(dec(d.data), 're:hi');
  assert.deepEqual(d.remoteAddress, v4(peer.address().port));
  for (const r of [incoming, outgoing, s]) r[Symbol.dispose]();
  peer.close();

  const stream = h.lookup(h.network, 'localhost');
  const first = await blocking(stream, () => stream.resolveNextAddress());
  assert.ok(first.tag === 'ipv4' || first.tag === 'ipv6');
});

test('jspi: a Wasm caller is suspended on a socket pollable until the connection arrives', { skip: noJspi }, async () => {
  const h = host();
  const listener = h.tcp();
  listener.startBind(h.network, v4(0));
  await blocking(listener, () => listener.finishBind());
  listener.startListen();
  listener.finishListen();
  const pollable = listener.subscribe();
  // (module (import "m" "b" (func)) (func (export "run") call 0))
  const bytes = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 7, 1, 1, 109, 1, 98, 0, 0, 3, 2, 1, 0, 7, 7, 1, 3, 114, 117, 110, 0, 1,
    10, 6, 1, 4, 0, 16, 0, 11,
  ]);
  const { instance } = await WebAssembly.instantiate(bytes, { m: { b: new WebAssembly.Suspending(() => pollable.block()) } });
  const run = WebAssembly.promising(instance.exports.run);
  let returned = false;
  const suspended = run().then(() => (returned = true));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(returned, false, 'still suspended: nobody connected');
  assert.equal(errOf(() => listener.accept()), 'would-block');
  const client = net.connect(listener.localAddress().val.port, '127.0.0.1');
  await within(suspended);
  const [conn, sin, sout] = listener.accept();
  assert.equal(conn.remoteAddress().val.port, client.localPort);
  client.destroy();
  for (const r of [sin, sout, conn, listener]) r[Symbol.dispose]();
});
