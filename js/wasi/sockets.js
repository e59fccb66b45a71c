// wasi:sockets — without a network (browsers; Node until real TCP/UDP on
// node:net/node:dgram lands): every call that would touch the network fails
// at once with `access-denied`, calls in the wrong state with the code the
// spec gives them, and nothing ever blocks. Socket options are kept so that
// a guest setting then reading them sees its own values.
import { Pollable } from './io.js';

const fail = (code) => {
  const e = new Error(`wasi:sockets: ${code}`);
  e.payload = code;
  return e;
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
};

function checkAddress(family, address) {
  if (address?.tag !== family) throw fail('invalid-argument');
}

export class TcpSocket {
  #family;
  #options = { ...DEFAULTS };
  constructor(family) {
    this.#family = family;
  }
  startBind(_network, localAddress) {
    checkAddress(this.#family, localAddress);
    throw fail('access-denied');
  }
  finishBind() {
    throw fail('not-in-progress');
  }
  startConnect(_network, remoteAddress) {
    checkAddress(this.#family, remoteAddress);
    throw fail('access-denied');
  }
  finishConnect() {
    throw fail('not-in-progress');
  }
  startListen() {
    throw fail('invalid-state');
  }
  finishListen() {
    throw fail('not-in-progress');
  }
  accept() {
    throw fail('invalid-state');
  }
  localAddress() {
    throw fail('invalid-state');
  }
  remoteAddress() {
    throw fail('invalid-state');
  }
  isListening() {
    return false;
  }
  addressFamily() {
    return this.#family;
  }
  setListenBacklogSize(value) {
    if (BigInt(value) === 0n) throw fail('invalid-argument');
  }
  keepAliveEnabled() {
    return this.#options.keepAliveEnabled;
  }
  setKeepAliveEnabled(v) {
    this.#options.keepAliveEnabled = v;
  }
  keepAliveIdleTime() {
    return this.#options.keepAliveIdleTime;
  }
  setKeepAliveIdleTime(v) {
    if (BigInt(v) === 0n) throw fail('invalid-argument');
    this.#options.keepAliveIdleTime = BigInt(v);
  }
  keepAliveInterval() {
    return this.#options.keepAliveInterval;
  }
  setKeepAliveInterval(v) {
    if (BigInt(v) === 0n) throw fail('invalid-argument');
    this.#options.keepAliveInterval = BigInt(v);
  }
  keepAliveCount() {
    return this.#options.keepAliveCount;
  }
  setKeepAliveCount(v) {
    if (v === 0) throw fail('invalid-argument');
    this.#options.keepAliveCount = v;
  }
  hopLimit() {
    return this.#options.hopLimit;
  }
  setHopLimit(v) {
    if (v === 0) throw fail('invalid-argument');
    this.#options.hopLimit = v;
  }
  receiveBufferSize() {
    return this.#options.receiveBufferSize;
  }
  setReceiveBufferSize(v) {
    if (BigInt(v) === 0n) throw fail('invalid-argument');
    this.#options.receiveBufferSize = BigInt(v);
  }
  sendBufferSize() {
    return this.#options.sendBufferSize;
  }
  setSendBufferSize(v) {
    if (BigInt(v) === 0n) throw fail('invalid-argument');
    this.#options.sendBufferSize = BigInt(v);
  }
  subscribe() {
    return new Pollable(() => true);
  }
  shutdown(_how) {
    throw fail('invalid-state');
  }
}

export class UdpSocket {
  #family;
  #options = { ...DEFAULTS };
  constructor(family) {
    this.#family = family;
  }
  startBind(_network, localAddress) {
    checkAddress(this.#family, localAddress);
    throw fail('access-denied');
  }
  finishBind() {
    throw fail('not-in-progress');
  }
  stream(_remote) {
    throw fail('invalid-state');
  }
  localAddress() {
    throw fail('invalid-state');
  }
  remoteAddress() {
    throw fail('invalid-state');
  }
  addressFamily() {
    return this.#family;
  }
  unicastHopLimit() {
    return this.#options.hopLimit;
  }
  setUnicastHopLimit(v) {
    if (v === 0) throw fail('invalid-argument');
    this.#options.hopLimit = v;
  }
  receiveBufferSize() {
    return this.#options.receiveBufferSize;
  }
  setReceiveBufferSize(v) {
    if (BigInt(v) === 0n) throw fail('invalid-argument');
    this.#options.receiveBufferSize = BigInt(v);
  }
  sendBufferSize() {
    return this.#options.sendBufferSize;
  }
  setSendBufferSize(v) {
    if (BigInt(v) === 0n) throw fail('invalid-argument');
    this.#options.sendBufferSize = BigInt(v);
  }
  subscribe() {
    return new Pollable(() => true);
  }
}

// Never handed out (stream() always fails), but the types must exist.
export class IncomingDatagramStream {
  receive() {
    throw fail('invalid-state');
  }
  subscribe() {
    return new Pollable(() => true);
  }
}
export class OutgoingDatagramStream {
  checkSend() {
    throw fail('invalid-state');
  }
  send() {
    throw fail('invalid-state');
  }
  subscribe() {
    return new Pollable(() => true);
  }
}

export class ResolveAddressStream {
  resolveNextAddress() {
    throw fail('permanent-resolver-failure');
  }
  subscribe() {
    return new Pollable(() => true);
  }
}

export function socketImports() {
  return {
    'wasi:sockets/network': { Network, networkErrorCode: () => undefined },
    'wasi:sockets/instance-network': { instanceNetwork: () => new Network() },
    'wasi:sockets/tcp': { TcpSocket },
    'wasi:sockets/tcp-create-socket': {
      createTcpSocket(family) {
        if (family !== 'ipv4' && family !== 'ipv6') throw fail('not-supported');
        return new TcpSocket(family);
      },
    },
    'wasi:sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    'wasi:sockets/udp-create-socket': {
      createUdpSocket(family) {
        if (family !== 'ipv4' && family !== 'ipv6') throw fail('not-supported');
        return new UdpSocket(family);
      },
    },
    'wasi:sockets/ip-name-lookup': {
      ResolveAddressStream,
      resolveAddresses(_network, name) {
        if (typeof name !== 'string' || name.length === 0) throw fail('invalid-argument');
        return new ResolveAddressStream();
      },
    },
  };
}
