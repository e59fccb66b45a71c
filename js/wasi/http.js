// wasi:http — types and outgoing-handler on the engine's `fetch`.
//
//   new WasiHost({ async: true, http: { allowedHosts: ['127.0.0.1:8080'], fetch: myFetch } })
//
// Outgoing requests wait for fetch(), so they need the async (JSPI) host:
// `{ async: true }` on the host and on instantiate() (run() and serve() do
// both), or a command run in a worker (http-worker.js). Bodies are wasi:io
// streams: an outgoing-body is a BodyPipe the guest writes and fetch reads
// (streamed in Node; buffered until outgoing-body.finish in browsers, whose
// fetch cannot stream an HTTP/1.1 request body), an incoming-body reads the
// Response's ReadableStream.
// serve.js uses the same resources for wasi:http/incoming-handler.
import { InputStream, OutputStream, Pollable } from './io.js';
import { BodyPipe, bytesBodySource, httpErrorCodes, httpStreamError, readableSource } from './http-body.js';

// ---- fields -------------------------------------------------------------------------------

// RFC 9110 token characters.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Hop-by-hop and connection-level fields a guest may not set (as wasmtime forbids them).
const FORBIDDEN = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
]);

const latin1 = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return s;
};
const fromLatin1 = (s) => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
};

const headerError = (tag) => ({ tag });

function checkName(name) {
  if (typeof name !== 'string' || !TOKEN.test(name)) throw headerError('invalid-syntax');
}
function checkValue(value) {
  for (let i = 0; i < value.length; i++) {
    const b = value[i];
    if (b === 0 || b === 0x0a || b === 0x0d) throw headerError('invalid-syntax');
  }
}

/** wasi:http/types.fields (headers and trailers). Names keep their case; lookups ignore it. */
export class Fields {
  #entries;
  #immutable;
  #guarded;
  /** @param {Array<[string, Uint8Array]>} [entries] @param {{ immutable?: boolean, guarded?: boolean }} [opts] */
  constructor(entries, opts) {
    this.#entries = entries ?? [];
    this.#immutable = opts?.immutable ?? false;
    // Fields a guest made refuse the forbidden names; the host's own do not.
    this.#guarded = opts?.guarded ?? entries === undefined;
  }
  static fromList(entries) {
    const list = [];
    for (const [name, value] of entries) {
      checkName(name);
      if (FORBIDDEN.has(name.toLowerCase())) throw headerError('forbidden');
      checkValue(value);
      list.push([name, value.slice()]);
    }
    return new Fields(list, { guarded: true });
  }
  /** Host side: fields from a Headers object (values as latin-1 bytes), immutable. */
  static fromHeaders(headers) {
    const list = [];
    headers.forEach((value, name) => {
      // Headers joins repeated fields with ', ' except set-cookie.
      if (name === 'set-cookie' && typeof headers.getSetCookie === 'function') return;
      list.push([name, fromLatin1(value)]);
    });
    if (typeof headers.getSetCookie === 'function') for (const v of headers.getSetCookie()) list.push(['set-cookie', fromLatin1(v)]);
    return new Fields(list, { immutable: true, guarded: false });
  }
  #mutate(name) {
    if (this.#immutable) throw headerError('immutable');
    checkName(name);
    if (this.#guarded && FORBIDDEN.has(name.toLowerCase())) throw headerError('forbidden');
  }
  get(name) {
    const key = String(name).toLowerCase();
    return this.#entries.filter(([n]) => n.toLowerCase() === key).map(([, v]) => v.slice());
  }
  has(name) {
    const key = String(name).toLowerCase();
    return this.#entries.some(([n]) => n.toLowerCase() === key);
  }
  set(name, values) {
    this.#mutate(name);
    for (const v of values) checkValue(v);
    const key = name.toLowerCase();
    this.#entries = this.#entries.filter(([n]) => n.toLowerCase() !== key);
    for (const v of values) this.#entries.push([name, v.slice()]);
  }
  delete(name) {
    this.#mutate(name);
    const key = name.toLowerCase();
    this.#entries = this.#entries.filter(([n]) => n.toLowerCase() !== key);
  }
  append(name, value) {
    this.#mutate(name);
    checkValue(value);
    this.#entries.push([name, value.slice()]);
  }
  entries() {
    return this.#entries.map(([n, v]) => [n, v.slice()]);
  }
  clone() {
    return new Fields(this.entries(), { guarded: this.#guarded });
  }
  /** An immutable view sharing these entries (what request.headers() hands out). */
  frozen() {
    return new Fields(this.#entries, { immutable: true, guarded: this.#guarded });
  }
  /** Host side: as a Headers object for fetch/Response; `skip` drops names (lowercase). */
  toHeaders(skip) {
    const h = new Headers();
    for (const [n, v] of this.#entries) {
      if (skip?.has(n.toLowerCase())) continue;
      h.append(n, latin1(v));
    }
    return h;
  }
  /** Host side: [name, latin-1 value] pairs. */
  pairs() {
    return this.#entries.map(([n, v]) => [n, latin1(v)]);
  }
  /** Host side: fields from [name, latin-1 value] pairs (what pairs() gives), already checked. */
  static fromPairs(pairs, opts) {
    return new Fields(pairs.map(([n, v]) => [n, fromLatin1(v)]), { guarded: false, ...opts });
  }
}

// ---- methods and schemes ----------------------------------------------------------------

const METHODS = ['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch'];

export function methodToString(m) {
  if (m.tag === 'other') return m.val;
  return m.tag.toUpperCase();
}
export function methodFromString(s) {
  const lower = s.toLowerCase();
  if (METHODS.includes(lower) && s === s.toUpperCase()) return { tag: lower };
  return { tag: 'other', val: s };
}
const validMethod = (m) => m && (METHODS.includes(m.tag) || (m.tag === 'other' && TOKEN.test(m.val)));

export function schemeFromProtocol(protocol) {
  const p = protocol.replace(/:$/, '');
  if (p === 'http') return { tag: 'HTTP' };
  if (p === 'https') return { tag: 'HTTPS' };
  return { tag: 'other', val: p };
}
function schemeName(s) {
  if (!s) return 'https';
  if (s.tag === 'HTTP') return 'http';
  if (s.tag === 'HTTPS') return 'https';
  return s.val;
}

// ---- bodies ---------------------------------------------------------------------------------

const guestFailure = () => ({ payload: undefined });

/** wasi:http/types.outgoing-body: the guest writes it; fetch or a Response reads its pipe. */
export class OutgoingBody {
  #stream = null;
  #done = false;
  #async;
  constructor(pipe, async) {
    /** @type {BodyPipe} */
    this.pipe = pipe;
    this.#async = async;
  }
  write() {
    if (this.#stream || this.#done) throw guestFailure();
    this.#stream = new OutputStream(this.pipe.sink(), { async: this.#async });
    return this.#stream;
  }
  static finish(body, trailers) {
    body.#done = true;
    // fetch() and Response cannot send trailers; they are dropped.
    trailers?.[Symbol.dispose]?.();
    body.pipe.finish();
  }
  [Symbol.dispose]() {
    if (!this.#done) {
      this.#done = true;
      // Dropped without finish: the message is incomplete and must not look complete.
      this.pipe.abort(new Error('wasi:http: the outgoing-body was dropped without outgoing-body.finish'));
    }
  }
}

/** wasi:http/types.incoming-body over a wasi:io source. */
export class IncomingBody {
  #source;
  #stream = null;
  #async;
  constructor(source, async) {
    this.#source = source;
    this.#async = async;
  }
  stream() {
    if (this.#stream) throw guestFailure();
    this.#stream = new InputStream(this.#source, { async: this.#async });
    return this.#stream;
  }
  static finish(body) {
    return new FutureTrailers();
  }
  [Symbol.dispose]() {
    if (!this.#stream) this.#source.close?.();
  }
}

/** wasi:http/types.future-trailers: fetch exposes no trailers, so always none. */
export class FutureTrailers {
  #taken = false;
  subscribe() {
    return new Pollable(() => true);
  }
  get() {
    if (this.#taken) return { tag: 'err', val: undefined };
    this.#taken = true;
    return { tag: 'ok', val: { tag: 'ok', val: undefined } };
  }
}

// ---- requests and responses ---------------------------------------------------------------

/** wasi:http/types.outgoing-request */
export class OutgoingRequest {
  #headers;
  #method = { tag: 'get' };
  #path = undefined;
  #scheme = undefined;
  #authority = undefined;
  #body = null;
  #async;
  constructor(headers) {
    this.#headers = headers ?? new Fields();
    this.#async = currentAsync;
  }
  body() {
    if (this.#body) throw guestFailure();
    this.#body = new OutgoingBody(new BodyPipe({ async: this.#async }), this.#async);
    return this.#body;
  }
  method() {
    return this.#method;
  }
  setMethod(method) {
    if (!validMethod(method)) throw guestFailure();
    this.#method = method;
  }
  pathWithQuery() {
    return this.#path;
  }
  setPathWithQuery(path) {
    if (path !== undefined && (/[\s#]/.test(path) || (path !== '' && !path.startsWith('/') && path !== '*'))) throw guestFailure();
    this.#path = path;
  }
  scheme() {
    return this.#scheme;
  }
  setScheme(scheme) {
    if (scheme && scheme.tag === 'other' && !/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(scheme.val)) throw guestFailure();
    this.#scheme = scheme;
  }
  authority() {
    return this.#authority;
  }
  setAuthority(authority) {
    if (authority !== undefined && /[\s/?#@]/.test(authority)) throw guestFailure();
    this.#authority = authority;
  }
  headers() {
    return this.#headers.frozen();
  }
  /** Host side: everything handle() needs. */
  parts() {
    return {
      method: methodToString(this.#method),
      scheme: schemeName(this.#scheme),
      authority: this.#authority,
      path: this.#path ?? '/',
      headers: this.#headers,
      body: this.#body,
    };
  }
}

/** wasi:http/types.request-options (durations in ns). */
export class RequestOptions {
  #connect;
  #firstByte;
  #betweenBytes;
  connectTimeout() {
    return this.#connect;
  }
  setConnectTimeout(d) {
    this.#connect = d;
  }
  firstByteTimeout() {
    return this.#firstByte;
  }
  setFirstByteTimeout(d) {
    this.#firstByte = d;
  }
  betweenBytesTimeout() {
    return this.#betweenBytes;
  }
  setBetweenBytesTimeout(d) {
    this.#betweenBytes = d;
  }
}

/** wasi:http/types.incoming-response (from fetch). */
export class IncomingResponse {
  #status;
  #headers;
  #body;
  constructor(status, headers, source, async) {
    this.#status = status;
    this.#headers = headers;
    this.#body = new IncomingBody(source, async);
  }
  status() {
    return this.#status;
  }
  headers() {
    return this.#headers.frozen();
  }
  consume() {
    const body = this.#body;
    if (!body) throw guestFailure();
    this.#body = null;
    return body;
  }
}

/**
 * wasi:http/types.future-incoming-response. `settled()` gives the result once there is one
 * ({ tag: 'ok', val: IncomingResponse } | { tag: 'err', val: error-code }), null before;
 * `waiter` is how its pollable waits: `{ wait() }`, a Promise (JSPI), or `{ waitSync(ms) }`,
 * blocking (the worker path, http-worker.js).
 */
export class FutureIncomingResponse {
  #settled;
  #waiter;
  #async;
  #taken = false;
  constructor(settled, waiter, async) {
    this.#settled = settled;
    this.#waiter = waiter;
    this.#async = async;
  }
  /** The future of fetch's answer: `promise` resolves to the result. */
  static fromPromise(promise, async) {
    let result = null;
    const done = promise.then(
      (r) => {
        result = r;
      },
      (e) => {
        result = { tag: 'err', val: { tag: 'internal-error', val: String(e?.message ?? e) } };
      },
    );
    return new FutureIncomingResponse(() => result, { wait: () => done }, async);
  }
  subscribe() {
    return new Pollable(() => this.#settled() !== null, null, this.#waiter, this.#async);
  }
  get() {
    const result = this.#settled();
    if (result === null) return undefined;
    if (this.#taken) return { tag: 'err', val: undefined };
    this.#taken = true;
    return { tag: 'ok', val: result };
  }
}

/** wasi:http/types.incoming-request (serve.js makes them from a Request). */
export class IncomingRequest {
  #method;
  #path;
  #scheme;
  #authority;
  #headers;
  #body;
  constructor({ method, pathWithQuery, scheme, authority, headers, source, async }) {
    this.#method = method;
    this.#path = pathWithQuery;
    this.#scheme = scheme;
    this.#authority = authority;
    this.#headers = headers;
    this.#body = new IncomingBody(source, async);
  }
  method() {
    return this.#method;
  }
  pathWithQuery() {
    return this.#path;
  }
  scheme() {
    return this.#scheme;
  }
  authority() {
    return this.#authority;
  }
  headers() {
    return this.#headers.frozen();
  }
  consume() {
    const body = this.#body;
    if (!body) throw guestFailure();
    this.#body = null;
    return body;
  }
}

/** wasi:http/types.outgoing-response */
export class OutgoingResponse {
  #status = 200;
  #headers;
  #body = null;
  #async;
  constructor(headers) {
    this.#headers = headers ?? new Fields();
    this.#async = currentAsync;
  }
  statusCode() {
    return this.#status;
  }
  setStatusCode(status) {
    if (status < 100 || status > 599) throw guestFailure();
    this.#status = status;
  }
  headers() {
    return this.#headers.frozen();
  }
  body() {
    if (this.#body) throw guestFailure();
    this.#body = new OutgoingBody(new BodyPipe({ async: this.#async }), this.#async);
    return this.#body;
  }
  /** Host side. */
  parts() {
    return { status: this.#status, headers: this.#headers, body: this.#body };
  }
}

/** wasi:http/types.response-outparam: `set` hands the response to serve(). */
export class ResponseOutparam {
  #deliver;
  constructor(deliver) {
    this.#deliver = deliver;
  }
  static set(param, response) {
    const deliver = param.#deliver;
    param.#deliver = null;
    if (!deliver) throw new Error('wasi:http: response-outparam.set called twice');
    deliver(response);
  }
  sendInformational(status, headers) {
    headers?.[Symbol.dispose]?.();
    throw { tag: 'internal-error', val: 'informational responses are not supported' };
  }
  [Symbol.dispose]() {
    // Dropped without set: serve() answers 500 when the handler returns.
    const deliver = this.#deliver;
    this.#deliver = null;
    deliver?.(null);
  }
}

// The resource constructors a guest calls (outgoing-request, outgoing-response)
// need the host's mode; it is set by the host's imports for the time of
// each constructor call. One WasiHost can be async, another sync, in one realm.
let currentAsync = false;
const withMode = (Base, async) =>
  ({
    [Base.name]: class extends Base {
      constructor(...args) {
        const saved = currentAsync;
        currentAsync = async;
        try {
          super(...args);
        } finally {
          currentAsync = saved;
        }
      }
    },
  })[Base.name];

// ---- error codes ------------------------------------------------------------------------------

/** Maps what fetch threw to a wasi:http error-code. */
export function errorCodeOf(e) {
  if (e?.compolyCode) return e.compolyCode;
  const causes = [];
  for (let c = e, depth = 0; c && depth < 5; c = c.cause, depth++) {
    causes.push(c);
    if (Array.isArray(c.errors)) causes.push(...c.errors);
  }
  for (const c of causes) {
    // undici's parser error (Node 24 leaves its code undefined).
    if (c?.name === 'HTTPParserError') return { tag: 'HTTP-protocol-error' };
    const code = typeof c?.code === 'string' ? c.code : '';
    if (!code) continue;
    switch (code) {
      case 'ECONNREFUSED':
        return { tag: 'connection-refused' };
      case 'ENOTFOUND':
      case 'EAI_NONAME':
      case 'EAI_NODATA':
      case 'EAI_FAIL':
        return { tag: 'DNS-error', val: { rcode: code === 'ENOTFOUND' ? 'NXDOMAIN' : code, infoCode: undefined } };
      case 'EAI_AGAIN':
        return { tag: 'DNS-timeout' };
      case 'ECONNRESET':
      case 'EPIPE':
      case 'ECONNABORTED':
      case 'UND_ERR_SOCKET':
      case 'UND_ERR_CLOSED':
        return { tag: 'connection-terminated' };
      case 'ETIMEDOUT':
      case 'UND_ERR_CONNECT_TIMEOUT':
        return { tag: 'connection-timeout' };
      case 'UND_ERR_HEADERS_TIMEOUT':
        return { tag: 'HTTP-response-timeout' };
      case 'UND_ERR_BODY_TIMEOUT':
        return { tag: 'connection-read-timeout' };
      case 'EHOSTUNREACH':
      case 'EHOSTDOWN':
        return { tag: 'destination-unavailable' };
      case 'ENETUNREACH':
        return { tag: 'destination-IP-unroutable' };
      case 'EADDRNOTAVAIL':
        return { tag: 'destination-IP-prohibited' };
      case 'UND_ERR_HEADERS_OVERFLOW':
        return { tag: 'HTTP-response-header-section-size', val: undefined };
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
        return { tag: 'HTTP-response-incomplete' };
      case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
        return { tag: 'HTTP-request-body-size', val: undefined };
      case 'EPROTO':
        return { tag: 'TLS-protocol-error' };
      default:
        if (code.startsWith('HPE_')) return { tag: 'HTTP-protocol-error' };
        if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) return { tag: 'TLS-certificate-error' };
        if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return { tag: 'TLS-protocol-error' };
    }
  }
  // Browsers say no more than "Failed to fetch" / "NetworkError": the cause is hidden from pages.
  const message = causes.map((c) => c?.message).filter(Boolean).join(': ') || String(e);
  return { tag: 'internal-error', val: message };
}

// ---- the allow-list ---------------------------------------------------------------------------

function splitAuthority(authority, scheme) {
  let host = authority;
  let port = '';
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (m) {
    host = m[1];
    port = m[2] ?? '';
  }
  if (!port) port = scheme === 'http' ? '80' : scheme === 'https' ? '443' : '';
  return { host: host.toLowerCase(), port };
}

/**
 * `allowedHosts`: undefined or '*' allows every host; otherwise a list of
 * 'host:port', 'host' (any port) or '*.domain' (any subdomain, any port).
 */
export function hostAllowed(allowedHosts, authority, scheme) {
  if (allowedHosts === undefined || allowedHosts === '*') return true;
  const { host, port } = splitAuthority(authority, scheme);
  for (const raw of allowedHosts) {
    const entry = String(raw).toLowerCase();
    if (entry === '*') return true;
    const e = splitAuthority(entry, '');
    const hostOk = e.host === host || (e.host.startsWith('*.') && host.endsWith(e.host.slice(1)));
    if (hostOk && (e.port === '' || e.port === port)) return true;
  }
  return false;
}

// ---- outgoing-handler --------------------------------------------------------------------------

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';
const NO_BODY_METHODS = new Set(['GET', 'HEAD']);
const nsToMs = (d) => (d === undefined ? undefined : Number(d / 1000000n));

export const NO_JSPI_MESSAGE =
  'compoly wasi:http: an outgoing HTTP request waits for fetch(), which a synchronous host cannot do. Use the async host: ' +
  'JSPI (WebAssembly.Suspending, in Chromium, Firefox and Node ≥ 24) with new WasiHost({ async: true }) and ' +
  'instantiate(component, imports, { async: true }) — run(component, { async: true }) and serve() do both; ' +
  'or, for a command, the worker path: run(component, { worker: true }) (SharedArrayBuffer: a cross-origin isolated page)';

/**
 * @param {{ allowedHosts?: string[] | '*', fetch?: typeof fetch, streamRequestBodies?: boolean,
 *   redirect?: RequestRedirect } | undefined} config
 * @param {{ async: boolean }} mode
 */
export function normalizeHttpConfig(config) {
  if (config === undefined) return {};
  if (config === null || typeof config !== 'object') throw new TypeError('compoly wasi: http must be an object');
  const known = new Set(['allowedHosts', 'fetch', 'streamRequestBodies', 'redirect']);
  for (const k of Object.keys(config)) {
    if (!known.has(k)) throw new TypeError(`compoly wasi: unknown http option '${k}' (known: ${[...known].join(', ')})`);
  }
  const { allowedHosts } = config;
  if (allowedHosts !== undefined && allowedHosts !== '*' && !(Array.isArray(allowedHosts) && allowedHosts.every((h) => typeof h === 'string' && h))) {
    throw new TypeError("compoly wasi: http.allowedHosts must be '*' or an array of 'host[:port]' strings");
  }
  if (config.fetch !== undefined && typeof config.fetch !== 'function') throw new TypeError('compoly wasi: http.fetch must be a function');
  return config;
}

function outgoingHandler(config, mode) {
  return {
    handle(request, options) {
      const { method, scheme, authority, path, headers, body } = request.parts();
      if (scheme !== 'http' && scheme !== 'https') throw { tag: 'HTTP-protocol-error' };
      if (!authority) throw { tag: 'HTTP-request-URI-invalid' };
      let url;
      try {
        url = new URL(`${scheme}://${authority}${path}`);
      } catch {
        throw { tag: 'HTTP-request-URI-invalid' };
      }
      if (!hostAllowed(config.allowedHosts, authority, scheme)) throw { tag: 'HTTP-request-denied' };
      if (!mode.async) throw new Error(NO_JSPI_MESSAGE);
      const doFetch = config.fetch ?? globalThis.fetch;
      if (typeof doFetch !== 'function') throw { tag: 'internal-error', val: 'this engine has no fetch()' };

      const connectMs = nsToMs(options?.connectTimeout());
      const firstByteMs = nsToMs(options?.firstByteTimeout());
      const betweenBytesMs = nsToMs(options?.betweenBytesTimeout());
      const controller = new AbortController();
      let timeoutCode = null;
      const timers = [];
      const armTimer = (ms, code) => {
        if (ms === undefined) return;
        timers.push(
          setTimeout(() => {
            timeoutCode ??= code;
            controller.abort(Object.assign(new Error(`wasi:http: ${code.tag}`), { compolyCode: code }));
          }, ms),
        );
      };
      const clearTimers = () => timers.forEach(clearTimeout);

      const stream = config.streamRequestBodies ?? isNode;
      const init = {
        method,
        headers: headers.toHeaders(),
        signal: controller.signal,
        redirect: config.redirect ?? (isNode ? 'manual' : 'follow'),
      };
      const sendBody = body && !NO_BODY_METHODS.has(method);
      const started = (async () => {
        if (sendBody) {
          if (body.pipe.finished) init.body = body.pipe.takeAll();
          else if (stream) {
            init.body = body.pipe.stream();
            init.duplex = 'half';
          } else init.body = await body.pipe.bytes();
        } else if (body && !body.pipe.finished) {
          // GET/HEAD: nothing is sent; the guest may still write and finish.
        }
        // connect-timeout covers the time to the response head when no first-byte-timeout is set.
        armTimer(connectMs, { tag: 'connection-timeout' });
        armTimer(firstByteMs !== undefined ? (connectMs ?? 0) + firstByteMs : undefined, { tag: 'connection-read-timeout' });
        let response;
        try {
          response = await doFetch(url.href, init);
        } catch (e) {
          clearTimers();
          const code = timeoutCode ?? errorCodeOf(e);
          if (sendBody) body.pipe.fail(httpStreamError(code));
          return { tag: 'err', val: code };
        }
        clearTimers();
        if (config.allowedHosts !== undefined && response.redirected && response.url) {
          const to = new URL(response.url);
          if (!hostAllowed(config.allowedHosts, to.host, to.protocol.slice(0, -1))) {
            response.body?.cancel().catch(() => {});
            return { tag: 'err', val: { tag: 'HTTP-request-denied' } };
          }
        }
        if (response.type === 'opaqueredirect') return { tag: 'err', val: { tag: 'HTTP-protocol-error' } };
        const source = readableSource(response.body, { mapError: (e) => timeoutCode ?? errorCodeOf(e), betweenBytesMs });
        return { tag: 'ok', val: new IncomingResponse(response.status, Fields.fromHeaders(response.headers), source, true) };
      })();
      return FutureIncomingResponse.fromPromise(started, mode.async);
    },
  };
}

/** The wasi:http import objects. */
export function httpImports(config, mode) {
  const async = !!mode?.async;
  return {
    'wasi:http/types': {
      Fields,
      IncomingRequest,
      OutgoingRequest: withMode(OutgoingRequest, async),
      RequestOptions,
      ResponseOutparam,
      IncomingResponse,
      IncomingBody,
      FutureTrailers,
      OutgoingResponse: withMode(OutgoingResponse, async),
      OutgoingBody,
      FutureIncomingResponse,
      httpErrorCode(err) {
        return httpErrorCodes.get(err);
      },
    },
    'wasi:http/outgoing-handler': outgoingHandler(normalizeHttpConfig(config), { async }),
  };
}

export { bytesBodySource, readableSource, BodyPipe };
