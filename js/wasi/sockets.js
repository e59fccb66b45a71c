// wasi:sockets — TCP and UDP on node:net / node:dgram, name lookup on
// node:dns; in browsers (no Node modules) every call that would touch the
// network fails at once with `access-denied`, and nothing ever blocks.
//
//   new WasiHost({ async: true, sockets: { allow: true | (use) => boolean } })
//
// Default: no network (`access-denied`; name lookups fail with
// `permanent-resolver-failure`, as in wasmtime). Node's socket APIs are
// asynchronous, so the WASI calls never wait: a start-* call starts the work,
// finish-*/accept return `would-block` until Node's event has arrived, and the
// socket's pollable becomes ready from that event. Waiting for it
// (`pollable.block`, `poll`, blocking stream reads/writes) needs the async
// (JSPI) host; without it such a wait fails with a clear error instead of
// hanging, since Node's events cannot arrive while the guest runs.
//
// Node has no bind-without-listen for TCP: bind starts a listening server at
// once (so `local-address` reports the port), and connections arriving
// before `start-listen` wait in its queue; a bound socket that then connects
// closes the server and connects from the bound address and port.
import { InputStream, OutputStream, Pollable, streamClosed } from './io.js';
import {
  Notifier,
  cannotWait,
  checkLocal,
  checkRemote,
  errorCodeOf,
  fail,
  fromNode,
  isIpv4Mapped,
  networkErrorCodes,
  normalizeSocketConfig,
  parseIp,
  sameAddress,
  socketStreamError,
  toNode,
  use,
} from './sockets-address.js';

export { normalizeSocketConfig } from './sockets-address.js';

const builtin = (name) => {
  try {
    return globalThis.process?.getBuiltinModule?.(name) ?? null;
  } catch {
    return null;
  }
};

export class Network {}

const DEFAULTS = {
  keepAliveEnabled: false,
  keepAliveIdleTime: 7_200_000_000_000n,
  keepAliveInterval: 75_000_000_000n,
  keepAliveCount: 9,
  hopLimit: 64,
  receiveBufferSize: 65536n,
  sendBufferSize: 65536n,
  backlog: 128n,
};

const HIGH_WATER = 1 << 20; // bytes buffered per direction before backpressure
const EMPTY = new Uint8Array(0);

const positive = (v) => {
  if (BigInt(v) === 0n) throw fail('invalid-argument', 'the value must not be 0');
};

/** Per-host context: permission, mode, the Node modules (null in browsers). */
function makeContext(config, mode) {
  const net = builtin('node:net');
  return {
    allowed: normalizeSocketConfig(config),
    async: !!mode.async,
    net,
    dgram: net && builtin('node:dgram'),
    dns: net && builtin('node:dns'),
    url: net && builtin('node:url'),
  };
}

function socketPollable(ctx, notifier, ready) {
  return new Pollable(ready, null, { wait: () => notifier.wait(), waitSync: cannotWait }, ctx.async);
}

// ---- TCP streams over a net.Socket ----------------------------------------------------------

/**
 * The connection shared by a connected tcp-socket and its two streams: reads
 * buffered from 'data' (paused past HIGH_WATER), writes queued in Node (check-write
 * shrinks as Node's buffer fills), closed in Node when all three are dropped.
 */
class Connection {
  #chunks = [];
  #buffered = 0;
  #ended = false;
  #error = null; // error-code
  #readShut = false;
  #writeShut = false;
  #handles = 3; // socket, input, output
  constructor(socket, notifier) {
    this.socket = socket;
    this.notifier = notifier;
    socket.on('data', (chunk) => {
      if (this.#readShut) return;
      this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.#buffered += chunk.byteLength;
      if (this.#buffered >= HIGH_WATER) socket.pause();
      notifier.notify();
    });
    socket.on('end', () => {
      this.#ended = true;
      notifier.notify();
    });
    socket.on('error', (e) => {
      this.#error ??= errorCodeOf(e, 'connection-reset');
      notifier.notify();
    });
    socket.on('close', () => {
      this.#ended = true;
      notifier.notify();
    });
    socket.on('drain', () => notifier.notify());
    socket.resume();
  }
  // input source
  read(n) {
    if (this.#buffered > 0) {
      const out = new Uint8Array(Math.min(n, this.#buffered));
      let at = 0;
      while (at < out.length) {
        const c = this.#chunks[0];
        const take = Math.min(c.length, out.length - at);
        out.set(c.subarray(0, take), at);
        at += take;
        if (take === c.length) this.#chunks.shift();
        else this.#chunks[0] = c.subarray(take);
      }
      this.#buffered -= out.length;
      if (this.#buffered < HIGH_WATER && this.socket.isPaused() && !this.#ended) this.socket.resume();
      return out;
    }
    if (this.#readShut) return null;
    if (this.#error) {
      const code = this.#error;
      this.#readShut = true;
      throw socketStreamError(code, `TCP receive: ${code}`);
    }
    if (this.#ended) return null;
    return EMPTY;
  }
  readReady() {
    return this.#buffered > 0 || this.#ended || this.#readShut || this.#error !== null;
  }
  // output sink
  get capacity() {
    if (this.#writeShut || this.#error || this.socket.destroyed) return 1 << 20; // the write fails at once
    return Math.max(0, HIGH_WATER - this.socket.writableLength);
  }
  write(bytes) {
    if (this.#error) throw socketStreamError(this.#error, `TCP send: ${this.#error}`);
    if (this.#writeShut || this.socket.destroyed || this.socket.writableEnded) throw streamClosed();
    this.socket.write(bytes.slice());
  }
  flush(async) {
    if (this.#error) throw socketStreamError(this.#error, `TCP send: ${this.#error}`);
    if (!async || this.socket.writableLength === 0 || this.socket.destroyed) return undefined;
    return (async () => {
      while (this.socket.writableLength > 0 && !this.#error && !this.socket.destroyed) await this.notifier.wait();
      if (this.#error) throw socketStreamError(this.#error, `TCP send: ${this.#error}`);
    })();
  }
  writeReady() {
    return this.capacity > 0;
  }
  shutdown(how) {
    if (how !== 'send') {
      this.#readShut = true;
      this.#chunks = [];
      this.#buffered = 0;
      this.notifier.notify();
    }
    if (how !== 'receive' && !this.#writeShut) {
      this.#writeShut = true;
      if (!this.socket.destroyed) this.socket.end();
    }
  }
  release() {
    if (--this.#handles > 0) return;
    const s = this.socket;
    if (s.destroyed) return;
    if (s.writableLength > 0 && !this.#error) {
      s.end(() => s.destroy());
      setTimeout(() => s.destroy(), 10_000).unref?.();
    } else {
      s.destroy();
    }
  }
  streams(async) {
    const conn = this;
    const source = {
      read: (n) => conn.read(n),
      ready: () => conn.readReady(),
      wait: () => conn.notifier.wait(),
      waitSync: cannotWait,
      close: () => conn.release(),
    };
    const sink = {
      get capacity() {
        return conn.capacity;
      },
      write: (bytes) => conn.write(bytes),
      flush: () => conn.flush(async),
      ready: () => conn.writeReady(),
      wait: () => conn.notifier.wait(),
      waitSync: cannotWait,
      close: () => conn.release(),
    };
    return [new InputStream(source, { async }), new OutputStream(sink, { async })];
  }
}

// ---- TCP ------------------------------------------------------------------------------------

// states: unbound, bind-started, bound, listen-started, listening, connecting,
// connected, closed.
export class TcpSocket {
  #ctx;
  #family;
  #options;
  #state = 'unbound';
  #notifier = new Notifier();
  #server = null; // net.Server after bind
  #bindResult = null; // null while in progress, 'ok' or an error-code
  #local = null; // ip-socket-address once bound
  #pending = []; // accepted net.Sockets not yet handed out
  #socket = null; // net.Socket while connecting
  #connectResult = null;
  #conn = null; // Connection once connected

  constructor(family, ctx, options = DEFAULTS) {
    this.#family = family;
    this.#ctx = ctx ?? makeContext(undefined, {});
    this.#options = { ...options };
  }

  /** Host side: a socket in the connected state over an accepted net.Socket. */
  static #accepted(listener, socket) {
    const s = new TcpSocket(listener.#family, listener.#ctx, listener.#options);
    s.#state = 'connected';
    s.#conn = new Connection(socket, s.#notifier);
    s.#applyKeepAlive();
    return s;
  }

  #allowed(kind, addr) {
    if (!this.#ctx.net || !this.#ctx.allowed(use(kind, addr))) throw fail('access-denied');
  }

  startBind(_network, localAddress) {
    checkLocal(this.#family, localAddress);
    if (this.#state === 'bind-started') throw fail('concurrency-conflict');
    if (this.#state !== 'unbound') throw fail('invalid-state');
    this.#allowed('tcp-bind', localAddress);
    const { host, port } = toNode(localAddress);
    const server = this.#ctx.net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    this.#server = server;
    this.#bindResult = null;
    server.on('connection', (socket) => {
      this.#pending.push(socket);
      this.#notifier.notify();
    });
    server.once('listening', () => {
      this.#bindResult = 'ok';
      this.#notifier.notify();
    });
    server.on('error', (e) => {
      if (this.#bindResult === null) this.#bindResult = errorCodeOf(e, 'address-not-bindable');
      this.#notifier.notify();
    });
    server.listen({ host, port, exclusive: true, backlog: Number(this.#options.backlog), ipv6Only: this.#family === 'ipv6' });
    this.#state = 'bind-started';
  }

  finishBind() {
    if (this.#state !== 'bind-started') throw fail('not-in-progress');
    if (this.#bindResult === null) throw fail('would-block');
    if (this.#bindResult !== 'ok') {
      const code = this.#bindResult;
      this.#server = null;
      this.#state = 'unbound'; // bind may be tried again after a failure
      throw fail(code);
    }
    const a = this.#server.address();
    this.#local = fromNode(a.address, a.port);
    this.#state = 'bound';
  }

  startConnect(_network, remoteAddress) {
    checkRemote(this.#family, remoteAddress);
    switch (this.#state) {
      case 'unbound':
      case 'bound':
        break;
      case 'bind-started':
      case 'connecting':
      case 'listen-started':
        throw fail('concurrency-conflict');
      default:
        throw fail('invalid-state');
    }
    this.#allowed('tcp-connect', remoteAddress);
    const { host, port } = toNode(remoteAddress);
    const options = { host, port, family: this.#family === 'ipv4' ? 4 : 6 };
    if (this.#state === 'bound') {
      // Node cannot connect from a listening server's socket: close it, connect from its address.
      const local = toNode(this.#local);
      options.localAddress = local.host;
      options.localPort = local.port;
      this.#closeServer();
    }
    const socket = new this.#ctx.net.Socket({ allowHalfOpen: true });
    this.#socket = socket;
    this.#connectResult = null;
    socket.once('connect', () => {
      this.#connectResult = 'ok';
      this.#notifier.notify();
    });
    socket.on('error', (e) => {
      if (this.#connectResult === null) this.#connectResult = errorCodeOf(e, 'connection-refused');
      this.#notifier.notify();
    });
    socket.pause();
    socket.connect(options);
    this.#state = 'connecting';
  }

  finishConnect() {
    if (this.#state !== 'connecting') throw fail('not-in-progress');
    if (this.#connectResult === null) throw fail('would-block');
    const socket = this.#socket;
    this.#socket = null;
    if (this.#connectResult !== 'ok') {
      socket.destroy();
      this.#state = 'closed';
      throw fail(this.#connectResult);
    }
    this.#state = 'connected';
    this.#conn = new Connection(socket, this.#notifier);
    this.#applyKeepAlive();
    return this.#conn.streams(this.#ctx.async);
  }

  startListen() {
    if (this.#state === 'listen-started') throw fail('concurrency-conflict');
    if (this.#state !== 'bound') throw fail('invalid-state');
    this.#state = 'listen-started';
  }

  finishListen() {
    if (this.#state !== 'listen-started') throw fail('not-in-progress');
    this.#state = 'listening';
  }

  accept() {
    if (this.#state !== 'listening') throw fail('invalid-state');
    for (;;) {
      const socket = this.#pending.shift();
      if (!socket) throw fail('would-block');
      if (socket.destroyed) continue; // the client gave up while it waited
      const s = TcpSocket.#accepted(this, socket);
      const [input, output] = s.#conn.streams(this.#ctx.async);
      return [s, input, output];
    }
  }

  localAddress() {
    if (this.#local) return this.#local;
    const s = this.#conn?.socket;
    if (s?.localAddress) {
      this.#local = fromNode(s.localAddress, s.localPort);
      return this.#local;
    }
    throw fail('invalid-state');
  }

  remoteAddress() {
    const s = this.#conn?.socket;
    if (this.#state !== 'connected' || !s?.remoteAddress) throw fail('invalid-state');
    return fromNode(s.remoteAddress, s.remotePort);
  }

  isListening() {
    return this.#state === 'listening';
  }
  addressFamily() {
    return this.#family;
  }
  setListenBacklogSize(value) {
    positive(value);
    if (this.#state === 'connecting' || this.#state === 'connected') throw fail('invalid-state');
    // Node listens at bind; the backlog only applies to a bind still to come.
    if (this.#server) throw fail('not-supported');
    this.#options.backlog = BigInt(value);
  }

  #applyKeepAlive() {
    const s = this.#conn?.socket;
    if (!s || s.destroyed) return;
    const o = this.#options;
    s.setKeepAlive(o.keepAliveEnabled, Number(o.keepAliveIdleTime / 1_000_000n));
  }
  keepAliveEnabled() {
    return this.#options.keepAliveEnabled;
  }
  setKeepAliveEnabled(v) {
    this.#options.keepAliveEnabled = !!v;
    this.#applyKeepAlive();
  }
  keepAliveIdleTime() {
    return this.#options.keepAliveIdleTime;
  }
  setKeepAliveIdleTime(v) {
    positive(v);
    // Node sets TCP_KEEPIDLE in whole seconds.
    const s = BigInt(v) < 1_000_000_000n ? 1_000_000_000n : (BigInt(v) / 1_000_000_000n) * 1_000_000_000n;
    this.#options.keepAliveIdleTime = s;
    this.#applyKeepAlive();
  }
  keepAliveInterval() {
    return this.#options.keepAliveInterval;
  }
  setKeepAliveInterval(v) {
    positive(v);
    this.#options.keepAliveInterval = BigInt(v); // kept; Node cannot set TCP_KEEPINTVL
  }
  keepAliveCount() {
    return this.#options.keepAliveCount;
  }
  setKeepAliveCount(v) {
    positive(v);
    this.#options.keepAliveCount = v; // kept; Node cannot set TCP_KEEPCNT
  }
  hopLimit() {
    return this.#options.hopLimit;
  }
  setHopLimit(v) {
    positive(v);
    this.#options.hopLimit = v; // kept; Node cannot set IP_TTL on TCP
  }
  receiveBufferSize() {
    return this.#options.receiveBufferSize;
  }
  setReceiveBufferSize(v) {
    positive(v);
    this.#options.receiveBufferSize = BigInt(v);
  }
  sendBufferSize() {
    return this.#options.sendBufferSize;
  }
  setSendBufferSize(v) {
    positive(v);
    this.#options.sendBufferSize = BigInt(v);
  }

  subscribe() {
    return socketPollable(this.#ctx, this.#notifier, () => {
      switch (this.#state) {
        case 'bind-started':
          return this.#bindResult !== null;
        case 'connecting':
          return this.#connectResult !== null;
        case 'listening':
          return this.#pending.length > 0;
        default:
          return true;
      }
    });
  }

  shutdown(how) {
    if (this.#state !== 'connected') throw fail('invalid-state');
    this.#conn.shutdown(how);
  }

  #closeServer() {
    if (!this.#server) return;
    this.#server.close();
    this.#server = null;
    for (const s of this.#pending) s.destroy();
    this.#pending = [];
  }

  [Symbol.dispose]() {
    this.#closeServer();
    this.#socket?.destroy();
    this.#socket = null;
    this.#conn?.release();
    this.#conn = null;
    this.#state = 'closed';
    this.#notifier.notify();
  }
}

// ---- UDP ------------------------------------------------------------------------------------

const MAX_DATAGRAM = { ipv4: 65507, ipv6: 65527 };
const MAX_QUEUED = 1024; // received datagrams kept; more are dropped, as a full kernel buffer would
const SEND_PERMITS = 64; // datagrams in flight in Node before check-send says 0

export class UdpSocket {
  #ctx;
  #family;
  #options = { ...DEFAULTS };
  #state = 'unbound'; // unbound, bind-started, bound, closed
  #notifier = new Notifier();
  #socket = null; // dgram.Socket
  #bindResult = null;
  #queue = []; // { data, remoteAddress }
  #remote = null; // the stream's remote address, if any
  #generation = 0; // which stream() pair is operational
  #inFlight = 0;
  #sendError = null;

  constructor(family, ctx) {
    this.#family = family;
    this.#ctx = ctx ?? makeContext(undefined, {});
  }

  startBind(_network, localAddress) {
    checkLocal(this.#family, localAddress, { unicast: false });
    if (this.#state === 'bind-started') throw fail('concurrency-conflict');
    if (this.#state !== 'unbound') throw fail('invalid-state');
    if (!this.#ctx.dgram || !this.#ctx.allowed(use('udp-bind', localAddress))) throw fail('access-denied');
    const { host, port } = toNode(localAddress);
    const family = this.#family === 'ipv4' ? 4 : 6;
    const socket = this.#ctx.dgram.createSocket({
      type: this.#family === 'ipv4' ? 'udp4' : 'udp6',
      ipv6Only: this.#family === 'ipv6',
      // an IP literal needs no lookup: bind at once
      lookup: (address, _opts, cb) => cb(null, address, family),
    });
    this.#socket = socket;
    this.#bindResult = null;
    socket.on('message', (msg, rinfo) => {
      if (this.#queue.length >= MAX_QUEUED) return;
      const remoteAddress = fromNode(rinfo.address, rinfo.port);
      if (remoteAddress) this.#queue.push({ data: new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength).slice(), remoteAddress });
      this.#notifier.notify();
    });
    socket.once('listening', () => {
      this.#bindResult = 'ok';
      this.#applyOptions();
      this.#notifier.notify();
    });
    socket.on('error', (e) => {
      if (this.#bindResult === null) this.#bindResult = errorCodeOf(e, 'address-not-bindable');
      else this.#sendError ??= errorCodeOf(e);
      this.#notifier.notify();
    });
    try {
      socket.bind({ address: host, port, exclusive: true });
    } catch (e) {
      this.#bindResult = errorCodeOf(e, 'address-not-bindable');
    }
    this.#state = 'bind-started';
  }

  finishBind() {
    if (this.#state !== 'bind-started') throw fail('not-in-progress');
    if (this.#bindResult === null) {
      // dgram binds an IP literal synchronously; 'listening' follows on the next tick
      if (this.#boundNow()) this.#bindResult = 'ok';
      else throw fail('would-block');
    }
    if (this.#bindResult !== 'ok') {
      const code = this.#bindResult;
      this.#socket.close?.();
      this.#socket = null;
      this.#state = 'unbound';
      throw fail(code);
    }
    this.#applyOptions();
    this.#state = 'bound';
  }

  #boundNow() {
    try {
      return !!this.#socket.address();
    } catch {
      return false;
    }
  }

  #applyOptions() {
    const s = this.#socket;
    try {
      s.setTTL(this.#options.hopLimit);
    } catch {
      /* kept */
    }
  }

  stream(remote) {
    if (this.#state !== 'bound') throw fail('invalid-state');
    if (remote !== undefined && remote !== null) {
      checkRemote(this.#family, remote);
      if (!this.#ctx.allowed(use('udp-connect', remote))) throw fail('access-denied');
    }
    this.#remote = remote ?? null;
    const generation = ++this.#generation;
    // Datagrams from others than the new peer are no longer for this socket.
    if (this.#remote) this.#queue = this.#queue.filter((d) => sameAddress(d.remoteAddress, this.#remote));
    return [new IncomingDatagramStream(this, generation), new OutgoingDatagramStream(this, generation)];
  }

  /** Host side, for the datagram streams. */
  static receive(s, generation, max) {
    s.#live(generation);
    const out = [];
    const n = Number(BigInt(max) > 1024n ? 1024n : BigInt(max));
    while (out.length < n && s.#queue.length) {
      const d = s.#queue.shift();
      if (s.#remote && !sameAddress(d.remoteAddress, s.#remote)) continue;
      out.push(d);
    }
    return out;
  }
  static receiveReady(s, generation) {
    return generation !== s.#generation || s.#state !== 'bound' || s.#queue.length > 0;
  }
  static checkSend(s, generation) {
    s.#live(generation);
    return BigInt(Math.max(0, SEND_PERMITS - s.#inFlight));
  }
  static sendReady(s, generation) {
    return generation !== s.#generation || s.#state !== 'bound' || s.#inFlight < SEND_PERMITS;
  }
  static send(s, generation, datagrams) {
    s.#live(generation);
    let sent = 0n;
    for (const d of datagrams) {
      try {
        s.#sendOne(d);
      } catch (e) {
        if (sent > 0n) return sent;
        throw e;
      }
      sent++;
    }
    return sent;
  }
  #sendOne(d) {
    if (this.#sendError) {
      const code = this.#sendError;
      this.#sendError = null;
      throw fail(code);
    }
    let to = d.remoteAddress ?? null;
    if (this.#remote) {
      if (to && !sameAddress(to, this.#remote)) throw fail('invalid-argument', 'not the stream’s remote address');
      to = this.#remote;
    } else {
      if (!to) throw fail('invalid-argument', 'no remote address');
      checkRemote(this.#family, to);
      if (!this.#ctx.allowed(use('udp-send', to))) throw fail('access-denied');
    }
    if (d.data.length > MAX_DATAGRAM[this.#family]) throw fail('datagram-too-large');
    const { host, port } = toNode(to);
    this.#inFlight++;
    this.#socket.send(d.data.slice(), port, host, (err) => {
      this.#inFlight--;
      if (err) this.#sendError ??= errorCodeOf(err);
      this.#notifier.notify();
    });
  }
  #live(generation) {
    if (generation !== this.#generation || this.#state !== 'bound') throw fail('invalid-state', 'this stream was replaced or its socket closed');
  }
  static pollable(s, ready) {
    return socketPollable(s.#ctx, s.#notifier, ready);
  }

  localAddress() {
    if (this.#state !== 'bound') throw fail('invalid-state');
    const a = this.#socket.address();
    return fromNode(a.address, a.port);
  }
  remoteAddress() {
    if (this.#state !== 'bound' || !this.#remote) throw fail('invalid-state');
    return this.#remote;
  }
  addressFamily() {
    return this.#family;
  }
  unicastHopLimit() {
    return this.#options.hopLimit;
  }
  setUnicastHopLimit(v) {
    positive(v);
    this.#options.hopLimit = v;
    if (this.#state === 'bound') this.#applyOptions();
  }
  #bufferSize(get, key) {
    if (this.#state === 'bound') {
      try {
        return BigInt(this.#socket[get]());
      } catch {
        /* fall back to the kept value */
      }
    }
    return this.#options[key];
  }
  #setBufferSize(set, key, v) {
    positive(v);
    const n = BigInt(v) > 0x7fffffffn ? 0x7fffffffn : BigInt(v);
    this.#options[key] = n;
    if (this.#state === 'bound') {
      try {
        this.#socket[set](Number(n));
      } catch {
        /* kept */
      }
    }
  }
  receiveBufferSize() {
    return this.#bufferSize('getRecvBufferSize', 'receiveBufferSize');
  }
  setReceiveBufferSize(v) {
    this.#setBufferSize('setRecvBufferSize', 'receiveBufferSize', v);
  }
  sendBufferSize() {
    return this.#bufferSize('getSendBufferSize', 'sendBufferSize');
  }
  setSendBufferSize(v) {
    this.#setBufferSize('setSendBufferSize', 'sendBufferSize', v);
  }
  subscribe() {
    return socketPollable(this.#ctx, this.#notifier, () => this.#state !== 'bind-started' || this.#bindResult !== null || this.#boundNow());
  }
  [Symbol.dispose]() {
    if (this.#socket) {
      try {
        this.#socket.close();
      } catch {
        /* already closed */
      }
    }
    this.#socket = null;
    this.#queue = [];
    this.#state = 'closed';
    this.#notifier.notify();
  }
}

export class IncomingDatagramStream {
  #socket;
  #generation;
  constructor(socket, generation) {
    this.#socket = socket;
    this.#generation = generation;
  }
  receive(maxResults) {
    if (!this.#socket) throw fail('invalid-state');
    return UdpSocket.receive(this.#socket, this.#generation, maxResults);
  }
  subscribe() {
    if (!this.#socket) return new Pollable(() => true);
    const s = this.#socket;
    return UdpSocket.pollable(s, () => UdpSocket.receiveReady(s, this.#generation));
  }
  [Symbol.dispose]() {
    this.#socket = null;
  }
}

export class OutgoingDatagramStream {
  #socket;
  #generation;
  #permitted = 0n;
  constructor(socket, generation) {
    this.#socket = socket;
    this.#generation = generation;
  }
  checkSend() {
    if (!this.#socket) throw fail('invalid-state');
    this.#permitted = UdpSocket.checkSend(this.#socket, this.#generation);
    return this.#permitted;
  }
  send(datagrams) {
    if (!this.#socket) throw fail('invalid-state');
    if (BigInt(datagrams.length) > this.#permitted) {
      // The spec: send without a check-send permitting that many traps.
      throw new Error(`wasi:sockets/udp: send of ${datagrams.length} datagrams exceeds check-send's ${this.#permitted}`);
    }
    if (datagrams.length === 0) return 0n;
    const sent = UdpSocket.send(this.#socket, this.#generation, datagrams);
    this.#permitted -= sent;
    return sent;
  }
  subscribe() {
    if (!this.#socket) return new Pollable(() => true);
    const s = this.#socket;
    return UdpSocket.pollable(s, () => UdpSocket.sendReady(s, this.#generation));
  }
  [Symbol.dispose]() {
    this.#socket = null;
  }
}

// ---- ip-name-lookup -------------------------------------------------------------------------

export class ResolveAddressStream {
  #ctx;
  #notifier = new Notifier();
  #addresses = null; // ip-address[] once resolved
  #error = null;
  constructor(ctx, { addresses = null, error = null, lookup = null } = {}) {
    this.#ctx = ctx;
    this.#addresses = addresses;
    this.#error = error;
    lookup?.((error, addresses) => {
      this.#error = error;
      this.#addresses = addresses;
      this.#notifier.notify();
    });
  }
  resolveNextAddress() {
    if (this.#error) throw fail(this.#error);
    if (this.#addresses === null) throw fail('would-block');
    return this.#addresses.shift(); // undefined (none) at the end
  }
  subscribe() {
    return socketPollable(this.#ctx ?? { async: false }, this.#notifier, () => this.#error !== null || this.#addresses !== null);
  }
}

/** An IDNA-encoded host name, or null when `name` is not one. */
function asciiName(ctx, name) {
  let ascii = '';
  try {
    ascii = ctx.url?.domainToASCII ? ctx.url.domainToASCII(name) : new URL(`http://${name}/`).hostname;
  } catch {
    return null;
  }
  if (!ascii || ascii.length > 253 || !/^[a-z0-9.-]+$/i.test(ascii)) return null;
  if (ascii.split('.').some((label, i, all) => (label === '' && i !== all.length - 1) || label.length > 63)) return null;
  return ascii;
}

function resolveAddresses(ctx, _network, name) {
  if (typeof name !== 'string' || name.length === 0) throw fail('invalid-argument');
  const literal = parseIp(name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name);
  const ascii = literal ? null : asciiName(ctx, name);
  if (!literal && !ascii) throw fail('invalid-argument', `'${name}' is not a host name or IP address`);
  if (!ctx.allowed({ kind: 'ip-name-lookup', name: ascii ?? name })) {
    // As wasmtime: without permission, lookups fail.
    return new ResolveAddressStream(ctx, { error: 'permanent-resolver-failure' });
  }
  if (literal) return new ResolveAddressStream(ctx, { addresses: [literal] });
  if (!ctx.dns) return new ResolveAddressStream(ctx, { error: 'permanent-resolver-failure' });
  return new ResolveAddressStream(ctx, {
    lookup: (done) =>
      ctx.dns.lookup(ascii, { all: true, order: 'verbatim' }, (err, list) => {
        if (err) return done(errorCodeOf(err, 'permanent-resolver-failure'), null);
        const seen = new Set();
        const out = [];
        for (const { address } of list) {
          const ip = parseIp(address);
          if (!ip || isIpv4Mapped(ip)) continue;
          const key = `${ip.tag}:${ip.val.join(',')}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(ip);
        }
        if (out.length === 0) return done('name-unresolvable', null);
        done(null, out);
      }),
  });
}

/**
 * @param {{ allow?: boolean | ((use: object) => boolean) }} [config]
 * @param {{ async?: boolean }} [mode]
 */
export function socketImports(config, mode = {}) {
  const ctx = makeContext(config, mode);
  const create = (Kind) => (family) => {
    if (family !== 'ipv4' && family !== 'ipv6') throw fail('not-supported');
    return new Kind(family, ctx);
  };
  return {
    'wasi:sockets/network': { Network, networkErrorCode: (err) => networkErrorCodes.get(err) },
    'wasi:sockets/instance-network': { instanceNetwork: () => new Network() },
    'wasi:sockets/tcp': { TcpSocket },
    'wasi:sockets/tcp-create-socket': { createTcpSocket: create(TcpSocket) },
    'wasi:sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    'wasi:sockets/udp-create-socket': { createUdpSocket: create(UdpSocket) },
    'wasi:sockets/ip-name-lookup': {
      ResolveAddressStream,
      resolveAddresses: (net, name) => resolveAddresses(ctx, net, name),
    },
  };
}
