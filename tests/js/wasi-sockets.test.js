// wasi:sockets (js/wasi/sockets.js) driven from JS the way a guest drives it,
// without blocking: start-*, then finish-*/accept/read return would-block (or
// nothing yet) until Node's event has arrived, which these tests let happen by
// yielding to the event loop (bounded loops). Loopback only (127.0.0.1).
// Blocking on a socket pollable without the async host is an error, never a
// hang. The async (JSPI) host: wasi-sockets-jspi.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dgram from 'node:dgram';
import { WasiHost } from '../../js/wasi/index.js';

const enc = (s) => new TextEncoder().encode(s);
const dec = (b) => new TextDecoder().decode(b);
const tick = () => new Promise((r) => setImmediate(r));
const v4 = (port, address = [127, 0, 0, 1]) => ({ tag: 'ipv4', val: { port, address } });

/** The err payload (error-code) a host call throws, or the Error itself. */
function errOf(fn) {
  try {
    fn();
  } catch (e) {
    return e?.payload ?? e;
  }
  return 'no error';
}

/** Yields to the event loop until pred() (at most ~3 s). */
async function until(pred, what = 'condition') {
  const end = Date.now() + 3000;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}

/** Retries a call that throws would-block, yielding in between (a guest's non-blocking loop). */
async function retry(fn) {
  const end = Date.now() + 3000;
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (e?.payload !== 'would-block' || Date.now() > end) throw e;
    }
    await tick();
  }
}

function host(options = { sockets: { allow: true } }) {
  const i = new WasiHost(options).imports();
  return {
    network: i['wasi:sockets/instance-network'].instanceNetwork(),
    tcp: (f = 'ipv4') => i['wasi:sockets/tcp-create-socket'].createTcpSocket(f),
    udp: (f = 'ipv4') => i['wasi:sockets/udp-create-socket'].createUdpSocket(f),
    lookup: (net, name) => i['wasi:sockets/ip-name-lookup'].resolveAddresses(net, name),
    poll: i['wasi:io/poll'].poll,
    networkErrorCode: i['wasi:sockets/network'].networkErrorCode,
  };
}

/** A loopback TCP echo server (uppercases what it gets; 'bye' ends the connection). */
async function echoServer() {
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', (d) => {
      const text = d.toString();
      if (text.includes('bye')) s.end('BYE');
      else s.write(text.toUpperCase());
    });
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

async function readSome(input, n = 1024n) {
  let got = new Uint8Array(0);
  await until(() => {
    got = input.read(n);
    return got.length > 0;
  }, 'data');
  return got;
}

test('TCP client: connect, send, receive, peer close, drop', async () => {
  const server = await echoServer();
  const h = host();
  const sock = h.tcp();
  sock.startConnect(h.network, v4(server.port));
  assert.equal(errOf(() => sock.finishConnect()), 'would-block');
  const ready = sock.subscribe();
  await until(() => ready.ready(), 'the connect pollable');
  const [input, output] = sock.finishConnect();
  assert.deepEqual(sock.remoteAddress(), v4(server.port));
  const local = sock.localAddress();
  assert.equal(local.tag, 'ipv4');
  assert.ok(local.val.port > 0);
  assert.equal(errOf(() => sock.finishConnect()), 'not-in-progress');
  assert.equal(errOf(() => sock.startConnect(h.network, v4(server.port))), 'invalid-state');
  assert.equal(errOf(() => sock.startListen()), 'invalid-state');

  assert.equal(input.read(10n).length, 0, 'nothing yet');
  assert.ok(output.checkWrite() > 0n);
  output.write(enc('hello sockets'));
  assert.equal(dec(await readSome(input)), 'HELLO SOCKETS');
  output.blockingWriteAndFlush(enc('bye'));
  assert.equal(dec(await readSome(input)), 'BYE');
  // The server ended the connection: the input stream closes.
  await until(() => input.subscribe().ready(), 'end of stream');
  assert.deepEqual(errOf(() => input.read(10n)), { tag: 'closed' });
  input[Symbol.dispose]();
  output[Symbol.dispose]();
  sock[Symbol.dispose]();
  await server.close();
});

test('TCP server: bind, listen, accept returning (socket, input, output); shutdown', async () => {
  const h = host();
  const listener = h.tcp();
  listener.startBind(h.network, v4(0));
  assert.equal(errOf(() => listener.startBind(h.network, v4(0))), 'concurrency-conflict');
  await retry(() => listener.finishBind());
  const bound = listener.localAddress();
  assert.ok(bound.val.port > 0);
  assert.equal(errOf(() => listener.finishBind()), 'not-in-progress');
  assert.equal(errOf(() => listener.startBind(h.network, v4(0))), 'invalid-state');
  assert.equal(errOf(() => listener.accept()), 'invalid-state', 'not listening yet');
  assert.equal(listener.isListening(), false);
  listener.startListen();
  assert.equal(errOf(() => listener.startListen()), 'concurrency-conflict');
  listener.finishListen();
  assert.equal(listener.isListening(), true);
  assert.equal(errOf(() => listener.finishListen()), 'not-in-progress');
  assert.equal(errOf(() => listener.accept()), 'would-block');
  assert.equal(listener.subscribe().ready(), false, 'nobody connected yet');

  // A plain Node client connects and talks.
  const client = net.connect(bound.val.port, '127.0.0.1');
  const received = [];
  client.on('data', (d) => received.push(d.toString()));
  const clientEnded = new Promise((r) => client.on('end', r));
  const [conn, input, output] = await retry(() => listener.accept());
  assert.equal(conn.isListening(), false);
  assert.equal(conn.addressFamily(), 'ipv4');
  assert.deepEqual(conn.localAddress(), bound);
  assert.equal(conn.remoteAddress().val.port, client.localPort);
  client.write('ping');
  assert.equal(dec(await readSome(input)), 'ping');
  output.write(enc('pong'));
  await until(() => received.join('') === 'pong', 'the client to get pong');
  conn.shutdown('send');
  await clientEnded;
  assert.deepEqual(errOf(() => output.write(enc('x'))), { tag: 'closed' }, 'no writes after shutdown(send)');
  conn.shutdown('send'); // idempotent
  client.end();
  await until(() => input.subscribe().ready(), 'the client to end');
  assert.deepEqual(errOf(() => input.read(10n)), { tag: 'closed' });
  for (const r of [input, output, conn, listener]) r[Symbol.dispose]();
});

test('TCP: refused connect closes the socket; address-in-use; bad addresses', async () => {
  const h = host();
  // A port with nobody listening.
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const closedPort = probe.address().port;
  await new Promise((r) => probe.close(r));
  const sock = h.tcp();
  sock.startConnect(h.network, v4(closedPort));
  assert.equal(await errAsync(() => retry(() => sock.finishConnect())), 'connection-refused');
  assert.equal(errOf(() => sock.startConnect(h.network, v4(closedPort))), 'invalid-state', 'closed after a failed connect');
  sock[Symbol.dispose]();

  const a = h.tcp();
  a.startBind(h.network, v4(0));
  await retry(() => a.finishBind());
  const b = h.tcp();
  b.startBind(h.network, v4(a.localAddress().val.port));
  assert.equal(await errAsync(() => retry(() => b.finishBind())), 'address-in-use');
  // After a failed bind, the socket may bind again.
  b.startBind(h.network, v4(0));
  await retry(() => b.finishBind());
  a[Symbol.dispose]();
  b[Symbol.dispose]();

  const c = h.tcp();
  assert.equal(errOf(() => c.startConnect(h.network, v4(0))), 'invalid-argument', 'port 0');
  assert.equal(errOf(() => c.startConnect(h.network, v4(80, [0, 0, 0, 0]))), 'invalid-argument', 'unspecified');
  assert.equal(errOf(() => c.startConnect(h.network, v4(80, [224, 0, 0, 1]))), 'invalid-argument', 'multicast');
  assert.equal(errOf(() => c.startConnect(h.network, { tag: 'ipv6', val: { port: 80, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 1], scopeId: 0 } })), 'invalid-argument', 'wrong family');
  const c6 = h.tcp('ipv6');
  const mapped = { tag: 'ipv6', val: { port: 80, flowInfo: 0, address: [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], scopeId: 0 } };
  assert.equal(errOf(() => c6.startConnect(h.network, mapped)), 'invalid-argument', 'IPv4-mapped');
  c[Symbol.dispose]();
  c6[Symbol.dispose]();
});

async function errAsync(fn) {
  try {
    await fn();
  } catch (e) {
    return e?.payload ?? e;
  }
  return 'no error';
}

test('TCP: state errors and options', () => {
  const h = host();
  const s = h.tcp();
  assert.equal(errOf(() => s.finishBind()), 'not-in-progress');
  assert.equal(errOf(() => s.finishConnect()), 'not-in-progress');
  assert.equal(errOf(() => s.finishListen()), 'not-in-progress');
  assert.equal(errOf(() => s.startListen()), 'invalid-state', 'listen needs a bound socket');
  assert.equal(errOf(() => s.accept()), 'invalid-state');
  assert.equal(errOf(() => s.localAddress()), 'invalid-state');
  assert.equal(errOf(() => s.remoteAddress()), 'invalid-state');
  assert.equal(errOf(() => s.shutdown('both')), 'invalid-state');
  assert.equal(errOf(() => s.setListenBacklogSize(0n)), 'invalid-argument');
  s.setListenBacklogSize(16n);
  assert.equal(s.subscribe().ready(), true, 'nothing in progress: ready');
  for (const [get, set, value] of [
    ['keepAliveIdleTime', 'setKeepAliveIdleTime', 30_000_000_000n],
    ['keepAliveInterval', 'setKeepAliveInterval', 5_000_000_000n],
    ['keepAliveCount', 'setKeepAliveCount', 3],
    ['hopLimit', 'setHopLimit', 10],
    ['receiveBufferSize', 'setReceiveBufferSize', 4096n],
    ['sendBufferSize', 'setSendBufferSize', 8192n],
  ]) {
    assert.equal(errOf(() => s[set](typeof value === 'bigint' ? 0n : 0)), 'invalid-argument', `${set}(0)`);
    s[set](value);
    assert.equal(s[get](), value, get);
  }
  s.setKeepAliveEnabled(true);
  assert.equal(s.keepAliveEnabled(), true);
  assert.equal(s.addressFamily(), 'ipv4');
  assert.equal(h.tcp('ipv6').addressFamily(), 'ipv6');
  s[Symbol.dispose]();
});

test('UDP: bind, stream, send and receive with remote addresses', async () => {
  const h = host();
  const peer = dgram.createSocket('udp4');
  await new Promise((r) => peer.bind(0, '127.0.0.1', r));
  const peerAddr = v4(peer.address().port);
  const got = [];
  peer.on('message', (msg, rinfo) => {
    got.push([msg.toString(), rinfo.port]);
    peer.send(`echo:${msg}`, rinfo.port, rinfo.address);
  });

  const s = h.udp();
  assert.equal(errOf(() => s.stream(undefined)), 'invalid-state', 'stream needs a bound socket');
  assert.equal(errOf(() => s.finishBind()), 'not-in-progress');
  s.startBind(h.network, v4(0));
  await retry(() => s.finishBind());
  const local = s.localAddress();
  assert.ok(local.val.port > 0);
  assert.equal(errOf(() => s.remoteAddress()), 'invalid-state');
  assert.equal(errOf(() => s.startBind(h.network, v4(0))), 'invalid-state');

  // Unconnected: every datagram names its destination.
  const [incoming, outgoing] = s.stream(undefined);
  assert.equal(outgoing.checkSend() > 0n, true);
  assert.equal(errOf(() => outgoing.send([{ data: enc('x'), remoteAddress: undefined }])), 'invalid-argument');
  outgoing.checkSend();
  assert.equal(outgoing.send([{ data: enc('one'), remoteAddress: peerAddr }, { data: enc('two'), remoteAddress: peerAddr }]), 2n);
  const received = [];
  await until(() => {
    received.push(...incoming.receive(10n));
    return received.length >= 2;
  }, 'two echoes');
  assert.deepEqual(received.map((d) => dec(d.data)).sort(), ['echo:one', 'echo:two']);
  assert.deepEqual(received[0].remoteAddress, peerAddr);
  assert.deepEqual(got.map(([m, p]) => [m, p]).sort(), [['one', local.val.port], ['two', local.val.port]]);
  assert.deepEqual(incoming.receive(10n), []);
  assert.deepEqual(incoming.receive(0n), []);
  // Sending more than check-send permitted traps (a plain Error, not an error-code).
  assert.ok(errOf(() => outgoing.send(new Array(1000).fill({ data: enc('z'), remoteAddress: peerAddr }))) instanceof Error);

  // Connected to the peer: sends go there, a different address is refused, others' datagrams are filtered.
  const [in2, out2] = s.stream(peerAddr);
  assert.deepEqual(s.remoteAddress(), peerAddr);
  assert.equal(errOf(() => incoming.receive(1n)), 'invalid-state', 'the old streams are replaced');
  out2.checkSend();
  assert.equal(errOf(() => out2.send([{ data: enc('x'), remoteAddress: v4(9) }])), 'invalid-argument');
  out2.checkSend();
  assert.equal(out2.send([{ data: enc('three'), remoteAddress: undefined }]), 1n);
  const stranger = dgram.createSocket('udp4');
  stranger.send('not for you', local.val.port, '127.0.0.1');
  const r2 = [];
  await until(() => {
    r2.push(...in2.receive(10n));
    return r2.length >= 1;
  }, 'the echo of three');
  await new Promise((r) => setTimeout(r, 30));
  r2.push(...in2.receive(10n));
  assert.deepEqual(r2.map((d) => dec(d.data)), ['echo:three']);
  out2.checkSend();
  assert.equal(errOf(() => out2.send([{ data: new Uint8Array(70_000), remoteAddress: undefined }])), 'datagram-too-large');

  s.setUnicastHopLimit(12);
  assert.equal(s.unicastHopLimit(), 12);
  assert.equal(errOf(() => s.setUnicastHopLimit(0)), 'invalid-argument');
  s.setReceiveBufferSize(65536n);
  assert.ok(s.receiveBufferSize() >= 65536n, 'Linux doubles the value');
  for (const r of [in2, out2, incoming, outgoing, s]) r[Symbol.dispose]();
  stranger.close();
  peer.close();
});

test('ip-name-lookup: localhost, IP literals, bad names', async () => {
  const h = host();
  const stream = h.lookup(h.network, 'localhost');
  const addresses = [];
  await until(() => stream.subscribe().ready(), 'the lookup');
  for (let a = stream.resolveNextAddress(); a !== undefined; a = stream.resolveNextAddress()) addresses.push(a);
  assert.ok(
    addresses.some((a) => (a.tag === 'ipv4' && a.val.join('.') === '127.0.0.1') || (a.tag === 'ipv6' && a.val.join() === '0,0,0,0,0,0,0,1')),
    JSON.stringify(addresses),
  );
  assert.equal(stream.resolveNextAddress(), undefined, 'none at the end');
  const literal = h.lookup(h.network, '::1');
  assert.equal(literal.subscribe().ready(), true, 'a literal needs no lookup');
  assert.deepEqual(literal.resolveNextAddress(), { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] });
  assert.deepEqual(h.lookup(h.network, '10.1.2.3').resolveNextAddress(), { tag: 'ipv4', val: [10, 1, 2, 3] });
  assert.equal(errOf(() => h.lookup(h.network, '')), 'invalid-argument');
  assert.equal(errOf(() => h.lookup(h.network, 'not a name')), 'invalid-argument');
  assert.equal(errOf(() => h.lookup(h.network, 'http://x.test/')), 'invalid-argument');
  const missing = h.lookup(h.network, 'no-such-host.invalid');
  await until(() => missing.subscribe().ready(), 'the failing lookup');
  assert.ok(['name-unresolvable', 'temporary-resolver-failure'].includes(errOf(() => missing.resolveNextAddress())));
});

test('permission: default deny, allow-lists by function; browsers-like hosts refuse', async () => {
  const denied = host({});
  const t = denied.tcp();
  assert.equal(errOf(() => t.startConnect(denied.network, v4(80))), 'access-denied');
  assert.equal(errOf(() => t.startBind(denied.network, v4(0))), 'access-denied');
  assert.equal(errOf(() => denied.udp().startBind(denied.network, v4(0))), 'access-denied');
  assert.equal(errOf(() => denied.lookup(denied.network, 'localhost').resolveNextAddress()), 'permanent-resolver-failure');
  assert.equal(t.subscribe().ready(), true, 'nothing hangs');

  const seen = [];
  const server = await echoServer();
  const some = host({
    sockets: {
      allow: (use) => {
        seen.push(use);
        return use.kind === 'tcp-connect' && use.address === '127.0.0.1' && use.port === server.port;
      },
    },
  });
  const ok = some.tcp();
  ok.startConnect(some.network, v4(server.port));
  const [i, o] = await retry(() => ok.finishConnect());
  assert.equal(errOf(() => some.tcp().startConnect(some.network, v4(server.port + 1 === 65536 ? 1 : server.port + 1))), 'access-denied');
  assert.equal(errOf(() => some.tcp().startBind(some.network, v4(0))), 'access-denied');
  assert.deepEqual(seen[0], { kind: 'tcp-connect', family: 'ipv4', address: '127.0.0.1', port: server.port });
  const u = host({ sockets: { allow: (use) => use.kind === 'udp-bind' } });
  const us = u.udp();
  us.startBind(u.network, v4(0));
  await retry(() => us.finishBind());
  const [, out] = us.stream(undefined);
  out.checkSend();
  assert.equal(errOf(() => out.send([{ data: enc('x'), remoteAddress: v4(9) }])), 'access-denied');
  assert.equal(errOf(() => us.stream(v4(9))), 'access-denied');
  for (const r of [i, o, ok, us]) r[Symbol.dispose]();
  await server.close();

  assert.throws(() => new WasiHost({ sockets: { allow: 'yes' } }), /sockets.allow must be/);
  assert.throws(() => new WasiHost({ sockets: { alow: true } }), /unknown sockets option 'alow'/);
  assert.throws(() => new WasiHost({ sockets: true }), /sockets must be an object/);
});

test('without the async host, blocking on a socket is an error, not a hang', async () => {
  const h = host({ sockets: { allow: true } });
  const listener = h.tcp();
  listener.startBind(h.network, v4(0));
  const p = listener.subscribe();
  if (!p.ready()) assert.throws(() => p.block(), /without JSPI the host cannot wait for the network/);
  await retry(() => listener.finishBind());
  listener.startListen();
  listener.finishListen();
  const pending = listener.subscribe();
  assert.equal(pending.ready(), false);
  assert.throws(() => pending.block(), /without JSPI.*\{ async: true \}/);
  assert.throws(() => h.poll([pending]), /without JSPI/);
  // A connection arrives; the client's input has no data: a blocking read is refused the same way.
  const client = h.tcp();
  client.startConnect(h.network, listener.localAddress());
  const [input, output] = await retry(() => client.finishConnect());
  const [conn, si, so] = await retry(() => listener.accept());
  assert.throws(() => input.blockingRead(10n), /without JSPI/);
  so.blockingWriteAndFlush(enc('late'));
  assert.equal(dec(await readSome(input)), 'late');
  for (const r of [input, output, client, si, so, conn, listener]) r[Symbol.dispose]();
});

test('network-error-code: a reset connection fails the stream with connection-reset', async () => {
  const h = host();
  const server = net.createServer((s) => s.on('data', () => s.resetAndDestroy()));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const client = h.tcp();
  client.startConnect(h.network, v4(server.address().port));
  const [input, output] = await retry(() => client.finishConnect());
  output.write(enc('trigger'));
  let failure;
  await until(() => {
    try {
      input.read(10n);
      return false;
    } catch (e) {
      failure = e;
      return true;
    }
  }, 'the reset');
  assert.equal(failure.tag, 'last-operation-failed');
  assert.equal(h.networkErrorCode(failure.val), 'connection-reset');
  assert.match(failure.val.toDebugString(), /connection-reset/);
  assert.deepEqual(errOf(() => input.read(10n)), { tag: 'closed' }, 'reported once, then closed');
  for (const r of [input, output, client]) r[Symbol.dispose]();
  await new Promise((r) => server.close(r));
});
