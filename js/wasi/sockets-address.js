// wasi:sockets helpers: error codes, ip-address ⇄ strings, address checks
// (as wasmtime-wasi's p2 sockets validate them), Node errno → error-code,
// the network permission config, and a notifier behind socket pollables.
import { IoError } from './io.js';

/** A thrown wasi:sockets error-code (the err payload of a result). */
export function fail(code, message) {
  const e = new Error(message ? `wasi:sockets: ${code}: ${message}` : `wasi:sockets: ${code}`);
  e.payload = code;
  return e;
}

/** io-error → wasi:sockets error-code, for wasi:sockets/network.network-error-code. */
export const networkErrorCodes = new WeakMap();

/** A stream error (`last-operation-failed`) carrying a wasi:sockets error-code. */
export function socketStreamError(code, message) {
  const err = new IoError(message ?? `socket: ${code}`);
  networkErrorCodes.set(err, code);
  return { tag: 'last-operation-failed', val: err };
}

// ---- Node errors ------------------------------------------------------------------------

const ERRNO = {
  EACCES: 'access-denied',
  EPERM: 'access-denied',
  EOPNOTSUPP: 'not-supported',
  ENOTSUP: 'not-supported',
  EINVAL: 'invalid-argument',
  EAFNOSUPPORT: 'invalid-argument',
  EDESTADDRREQ: 'invalid-argument',
  ENOMEM: 'out-of-memory',
  ENOBUFS: 'out-of-memory',
  ETIMEDOUT: 'timeout',
  EALREADY: 'concurrency-conflict',
  EMFILE: 'new-socket-limit',
  ENFILE: 'new-socket-limit',
  EADDRINUSE: 'address-in-use',
  EADDRNOTAVAIL: 'address-not-bindable',
  EHOSTUNREACH: 'remote-unreachable',
  EHOSTDOWN: 'remote-unreachable',
  ENETUNREACH: 'remote-unreachable',
  ENETDOWN: 'remote-unreachable',
  ENONET: 'remote-unreachable',
  ECONNREFUSED: 'connection-refused',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  ECONNABORTED: 'connection-aborted',
  EMSGSIZE: 'datagram-too-large',
  // name resolution (getaddrinfo through dns.lookup)
  ENOTFOUND: 'name-unresolvable',
  ENODATA: 'name-unresolvable',
  EAI_NONAME: 'name-unresolvable',
  EAI_NODATA: 'name-unresolvable',
  EAI_ADDRFAMILY: 'name-unresolvable',
  EAI_AGAIN: 'temporary-resolver-failure',
  ETIMEOUT: 'temporary-resolver-failure',
  EAI_FAIL: 'permanent-resolver-failure',
};

/** A Node error (errno code) as a wasi:sockets error-code. */
export const errorCodeOf = (e, fallback = 'unknown') => ERRNO[e?.code] ?? fallback;

// ---- addresses ----------------------------------------------------------------------------

/** ipv4 / ipv6 tuple → the string Node takes. */
export function formatIp(ip) {
  if (ip.tag === 'ipv4') return ip.val.join('.');
  return ip.val.map((n) => n.toString(16)).join(':');
}

/** An ip-socket-address → { host, port, family } for Node. */
export function toNode(addr) {
  const v = addr.val;
  let host = formatIp({ tag: addr.tag, val: v.address });
  if (addr.tag === 'ipv6' && v.scopeId) host += `%${v.scopeId}`;
  return { host, port: v.port, family: addr.tag };
}

/** A textual IP address (as Node reports them) → ip-address, or null. */
export function parseIp(text) {
  if (typeof text !== 'string') return null;
  const s = text.replace(/%.*$/, '');
  const v4 = parseIpv4(s);
  if (v4) return { tag: 'ipv4', val: v4 };
  const v6 = parseIpv6(s);
  return v6 ? { tag: 'ipv6', val: v6 } : null;
}

function parseIpv4(s) {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    out.push(Number(p));
  }
  return out;
}

function parseIpv6(s) {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return null;
  let groups = [];
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parseHalf = (h) => {
    if (h === '') return [];
    const out = [];
    const bits = h.split(':');
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i];
      if (i === bits.length - 1 && b.includes('.')) {
        const v4 = parseIpv4(b);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(b)) return null;
        out.push(parseInt(b, 16));
      }
    }
    return out;
  };
  const head = parseHalf(halves[0]);
  const tail = halves.length === 2 ? parseHalf(halves[1]) : [];
  if (!head || !tail) return null;
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  return groups.length === 8 ? groups : null;
}

/** Node's { address, port, family? } → ip-socket-address. */
export function fromNode(address, port) {
  const ip = parseIp(address);
  if (!ip) return null;
  if (ip.tag === 'ipv4') return { tag: 'ipv4', val: { port, address: ip.val } };
  const scope = /%(\d+)$/.exec(address);
  return { tag: 'ipv6', val: { port, flowInfo: 0, address: ip.val, scopeId: scope ? Number(scope[1]) : 0 } };
}

export const isIpv4Mapped = (ip) =>
  ip.tag === 'ipv6' && ip.val.slice(0, 5).every((n) => n === 0) && ip.val[5] === 0xffff;
const isUnspecified = (ip) => ip.val.every((n) => n === 0);
const isMulticast = (ip) => (ip.tag === 'ipv4' ? ip.val[0] >= 224 && ip.val[0] <= 239 : ip.val[0] >> 8 === 0xff);
const isBroadcast = (ip) => ip.tag === 'ipv4' && ip.val.every((n) => n === 255);

function checkShape(family, addr) {
  if (addr === null || typeof addr !== 'object' || (addr.tag !== 'ipv4' && addr.tag !== 'ipv6')) {
    throw fail('invalid-argument', 'not an ip-socket-address');
  }
  if (addr.tag !== family) throw fail('invalid-argument', `a ${addr.tag} address on an ${family} socket`);
  const ip = { tag: addr.tag, val: addr.val?.address };
  const len = addr.tag === 'ipv4' ? 4 : 8;
  if (!ip.val || ip.val.length !== len) throw fail('invalid-argument', 'malformed address');
  if (isIpv4Mapped(ip)) throw fail('invalid-argument', 'an IPv4-mapped IPv6 address');
  return ip;
}

/** A local address to bind to (wasmtime: family, not mapped, unicast). */
export function checkLocal(family, addr, { unicast = true } = {}) {
  const ip = checkShape(family, addr);
  if (unicast && (isMulticast(ip) || isBroadcast(ip))) throw fail('invalid-argument', 'not a unicast address');
}

/** A remote address to connect or send to (also: not unspecified, port ≠ 0). */
export function checkRemote(family, addr) {
  const ip = checkShape(family, addr);
  if (isMulticast(ip) || isBroadcast(ip)) throw fail('invalid-argument', 'not a unicast address');
  if (isUnspecified(ip)) throw fail('invalid-argument', 'the unspecified address');
  if (addr.val.port === 0) throw fail('invalid-argument', 'port 0');
}

export const sameAddress = (a, b) =>
  a.tag === b.tag && a.val.port === b.val.port && a.val.address.every((n, i) => n === b.val.address[i]);

// ---- permission ---------------------------------------------------------------------------

const CONFIG_KEYS = new Set(['allow']);

/**
 * `sockets: { allow: true | false | (use) => boolean }` (default: deny). `use` is
 * `{ kind: 'tcp-bind' | 'tcp-connect' | 'udp-bind' | 'udp-connect' | 'udp-send', family, address, port }`
 * (address as text, e.g. '127.0.0.1') or `{ kind: 'ip-name-lookup', name }`.
 * Returns a predicate.
 */
export function normalizeSocketConfig(config) {
  if (config === undefined) return () => false;
  if (config === null || typeof config !== 'object') throw new TypeError('compoly wasi: sockets must be an object like { allow: true }');
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.has(key)) throw new TypeError(`compoly wasi: unknown sockets option '${key}' (known: allow)`);
  }
  const { allow } = config;
  if (allow === undefined || allow === false) return () => false;
  if (allow === true) return () => true;
  if (typeof allow === 'function') return (use) => allow(use) === true;
  throw new TypeError('compoly wasi: sockets.allow must be true, false or a function (use) => boolean');
}

/** The permission request for an ip-socket-address. */
export function use(kind, addr) {
  const { host, port, family } = toNode(addr);
  return { kind, family, address: host, port };
}

// ---- readiness ----------------------------------------------------------------------------

/** Wakes everyone waiting when something happened on a socket (pollables re-check their state). */
export class Notifier {
  #waiters = [];
  notify() {
    const w = this.#waiters;
    this.#waiters = [];
    for (const r of w) r();
  }
  wait() {
    return new Promise((r) => this.#waiters.push(r));
  }
}

/** waitSync of a socket pollable without JSPI: a clear error instead of a hang. */
export function cannotWait() {
  throw new Error(
    'compoly wasi: the guest blocks on a socket, but without JSPI the host cannot wait for the network ' +
      '(Node delivers socket events on the event loop, which does not run while the guest does): ' +
      'run with { async: true } (JSPI, Node ≥ 24), or poll without blocking',
  );
}
