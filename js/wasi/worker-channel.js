// A blocking request/response channel between a thread that may block
// (a worker running a component synchronously) and a thread with an event
// loop that does the asynchronous work (the page, Node's main thread, or the
// OPFS agent worker).
//
// Requests go by postMessage (the serving side is free to receive them); the
// client then blocks with Atomics.wait on a SharedArrayBuffer until the
// server has written the response there:
//
//   Int32 [0] signal   0 = waiting, 1 = a response (chunk) is there, 2 = closed
//   Int32 [1] status   0 = ok, 1 = the handler threw (payload: the error)
//   Int32 [2] total    payload length in bytes
//   Int32 [3] chunk    bytes in this chunk
//   bytes [16 …]       the chunk (at most `capacity` bytes)
//
// A payload longer than the buffer goes in chunks: the client copies one,
// asks for the next with a `$more` request and waits again. The payload is
// one kind byte and then: nothing (undefined), raw bytes (a Uint8Array) or
// UTF-8 JSON. One-way messages (`send`) get no response. `closeChannel` marks the
// channel closed, for the side that ends the server: a client waiting then, or calling
// later, throws instead of waiting for ever. The signal only moves 0 → 1, 1 → 0 or to 2,
// so a response that races with the close cannot undo it.

const HEADER = 16;
const WAITING = 0;
const READY = 1;
const CLOSED = 2;
const KIND_UNDEFINED = 0;
const KIND_BYTES = 1;
const KIND_JSON = 2;

export const DEFAULT_CAPACITY = 1 << 20;

/** A SharedArrayBuffer for one channel. */
export function channelBuffer(capacity = DEFAULT_CAPACITY) {
  return new SharedArrayBuffer(HEADER + capacity);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function encode(value) {
  if (value === undefined) return new Uint8Array([KIND_UNDEFINED]);
  if (value instanceof Uint8Array) {
    const out = new Uint8Array(value.length + 1);
    out[0] = KIND_BYTES;
    out.set(value, 1);
    return out;
  }
  const json = encoder.encode(JSON.stringify(value));
  const out = new Uint8Array(json.length + 1);
  out[0] = KIND_JSON;
  out.set(json, 1);
  return out;
}

function decode(bytes) {
  switch (bytes[0]) {
    case KIND_UNDEFINED:
      return undefined;
    case KIND_BYTES:
      return bytes.subarray(1);
    case KIND_JSON:
      // (a copy in a non-shared buffer: TextDecoder refuses views of a SharedArrayBuffer)
      return JSON.parse(decoder.decode(bytes.subarray(1)));
    default:
      throw new Error(`compoly worker channel: bad payload kind ${bytes[0]}`);
  }
}

/** Marks the channel on `sab` closed and wakes its client; its server is to be ended. */
export function closeChannel(sab) {
  const i32 = new Int32Array(sab, 0, 4);
  Atomics.store(i32, 0, CLOSED);
  Atomics.notify(i32, 0);
}

const closedError = () => new Error('compoly worker channel: the other side was closed (its worker ended) while this thread needed it');

/** The error a handler threw, as plain data, and back. */
function errorData(e) {
  if (e && typeof e === 'object') {
    return { name: e.name, message: e.message ?? String(e), payload: e.payload, code: e.code, tag: e.tag, stack: e.stack };
  }
  return { name: 'Error', message: String(e) };
}

/** The blocking side. `post(message, transfer)` sends to the server. */
export class ChannelClient {
  #i32;
  #bytes;
  #capacity;
  #post;
  /** Builds the error to throw from the server's error data (default: an Error with its fields). */
  reviveError = (data) => Object.assign(new Error(data.message), data);

  constructor(sab, post) {
    this.#i32 = new Int32Array(sab, 0, 4);
    this.#bytes = new Uint8Array(sab, HEADER);
    this.#capacity = sab.byteLength - HEADER;
    this.#post = post;
  }

  // Ready for a request: the last response consumed, unless the channel was closed.
  #arm() {
    if (Atomics.compareExchange(this.#i32, 0, READY, WAITING) === CLOSED) throw closedError();
  }

  #await() {
    // The server sets the signal to READY and notifies (or the closer to CLOSED).
    let signal;
    while ((signal = Atomics.load(this.#i32, 0)) === WAITING) Atomics.wait(this.#i32, 0, WAITING);
    if (signal === CLOSED) throw closedError();
  }

  /** Sends a request and blocks until its response; returns the value or throws the error. */
  call(op, args, transfer) {
    const i32 = this.#i32;
    this.#arm();
    this.#post({ op, args }, transfer);
    this.#await();
    const status = Atomics.load(i32, 1);
    const total = Atomics.load(i32, 2);
    let chunk = Atomics.load(i32, 3);
    const payload = new Uint8Array(total);
    payload.set(this.#bytes.subarray(0, chunk), 0);
    let got = chunk;
    while (got < total) {
      this.#arm();
      this.#post({ op: '$more' });
      this.#await();
      chunk = Atomics.load(i32, 3);
      payload.set(this.#bytes.subarray(0, chunk), got);
      got += chunk;
    }
    const value = decode(payload);
    if (status !== 0) throw this.reviveError(value);
    return value;
  }

  /** A one-way message: no response, no waiting. */
  send(op, args, transfer) {
    if (Atomics.load(this.#i32, 0) === CLOSED) throw closedError();
    this.#post({ op, args, oneway: true }, transfer);
  }

  get capacity() {
    return this.#capacity;
  }
}

/**
 * The serving side: returns `receive(message)`, to be called with each
 * message from the client. Messages are handled one at a time, in order;
 * `handler(op, args)` may be async.
 */
export function serveChannel(sab, handler, onError = (e) => console.error('compoly worker channel:', e)) {
  const i32 = new Int32Array(sab, 0, 4);
  const bytes = new Uint8Array(sab, HEADER);
  const capacity = sab.byteLength - HEADER;
  let pending = null; // { payload, at } of a chunked response
  let queue = Promise.resolve();

  const respond = (status, payload) => {
    const chunk = Math.min(capacity, payload.length);
    bytes.set(payload.subarray(0, chunk), 0);
    pending = chunk < payload.length ? { payload, at: chunk } : null;
    Atomics.store(i32, 1, status);
    Atomics.store(i32, 2, payload.length);
    Atomics.store(i32, 3, chunk);
    Atomics.compareExchange(i32, 0, WAITING, READY);
    Atomics.notify(i32, 0);
  };

  const handle = async (message) => {
    const { op, args, oneway } = message;
    if (op === '$more') {
      if (!pending) throw new Error('compoly worker channel: $more without a pending response');
      const { payload, at } = pending;
      const chunk = Math.min(capacity, payload.length - at);
      bytes.set(payload.subarray(at, at + chunk), 0);
      pending = at + chunk < payload.length ? { payload, at: at + chunk } : null;
      Atomics.store(i32, 3, chunk);
      Atomics.compareExchange(i32, 0, WAITING, READY);
      Atomics.notify(i32, 0);
      return;
    }
    if (oneway) {
      await handler(op, args, true);
      return;
    }
    let status = 0;
    let payload;
    try {
      payload = encode(await handler(op, args, false));
    } catch (e) {
      status = 1;
      payload = encode(errorData(e));
    }
    respond(status, payload);
  };

  return (message) => {
    queue = queue.then(() => handle(message)).catch(onError);
    return queue;
  };
}
