// Bodies for wasi:http: the pipe behind an outgoing-body (the guest writes,
// fetch or a Response reads) and the source behind an incoming-body (a
// ReadableStream the guest reads through wasi:io/streams).
import { IoError, bytesSource, concat, streamClosed } from './io.js';

/** io-error → wasi:http error-code, for wasi:http/types.http-error-code. */
export const httpErrorCodes = new WeakMap();

/** A stream error (`last-operation-failed`) carrying a wasi:http error-code. */
export function httpStreamError(code, message) {
  const err = new IoError(message ?? `HTTP body: ${code.tag}${code.val !== undefined ? ` (${JSON.stringify(code.val)})` : ''}`);
  httpErrorCodes.set(err, code);
  return { tag: 'last-operation-failed', val: err };
}

const HIGH_WATER = 1 << 20;
const EMPTY = new Uint8Array(0);

/**
 * The bytes a guest writes into an outgoing-body, on their way to a reader:
 * fetch's request body or a Response body (`stream()`), or all at once
 * (`bytes()`). In async mode the writer sees backpressure: check-write
 * shrinks to 0 while a megabyte waits unread, and its pollable (`wait()`)
 * becomes ready when the reader catches up.
 */
export class BodyPipe {
  #chunks = [];
  #buffered = 0;
  #total = 0;
  #finished = false;
  #failure = null; // the reader gave up (a stream error for the writer)
  #abort = null; // the writer gave up (an Error for the reader)
  #wakeReader = null;
  #drained = null;
  #forward = null; // where the bytes go instead (the worker path: to the page)
  #async;

  constructor({ async = false, highWater = HIGH_WATER } = {}) {
    this.#async = async;
    this.highWater = highWater;
  }

  get finished() {
    return this.#finished;
  }
  get total() {
    return this.#total;
  }

  // ---- the writer (an OutputStream's sink) ----

  /** The sink for wasi:io/streams' OutputStream. */
  sink() {
    const pipe = this;
    return {
      get capacity() {
        if (pipe.#failure) return 4096; // the write fails and says why
        if (!pipe.#async) return pipe.highWater;
        return Math.max(0, pipe.highWater - pipe.#buffered);
      },
      write: (bytes) => pipe.push(bytes),
      flush: () => (pipe.#async && pipe.#buffered >= pipe.highWater ? pipe.#whenDrained() : undefined),
      ready: () => pipe.#failure !== null || pipe.#finished || pipe.#buffered < pipe.highWater,
      wait: () => pipe.#whenDrained(),
      close() {
        /* dropping the stream is not finishing the body: outgoing-body.finish does that */
      },
    };
  }

  push(bytes) {
    if (this.#failure) throw this.#failure;
    if (this.#finished) throw streamClosed();
    if (bytes.length === 0) return;
    if (this.#forward) {
      this.#total += bytes.length;
      this.#forward.chunk(bytes.slice());
      return;
    }
    this.#chunks.push(bytes.slice());
    this.#buffered += bytes.length;
    this.#total += bytes.length;
    this.#wake();
  }

  /** outgoing-body.finish: no more bytes. */
  finish() {
    this.#finished = true;
    this.#forward?.finish();
    this.#wake();
  }

  /** The guest dropped the body without finishing it, or the request failed: the reader sees an error. */
  abort(error) {
    if (this.#finished) return;
    this.#abort = error;
    this.#finished = true;
    this.#forward?.abort(error);
    this.#wake();
  }

  /**
   * From now on the bytes go to `to` as they are written, and so do finish and abort:
   * `{ chunk(bytes), finish(), abort(error) }` (on the worker path, to the page, where the
   * request is made). What is buffered goes first.
   */
  forward(to) {
    for (const chunk of this.#chunks) to.chunk(chunk);
    this.#chunks = [];
    this.#buffered = 0;
    if (this.#abort) to.abort(this.#abort);
    else if (this.#finished) to.finish();
    this.#forward = to;
  }

  /** The reader went away (a cancelled Response body, a failed fetch): writes fail with `failure`. */
  fail(failure) {
    this.#failure ??= failure;
    this.#chunks = [];
    this.#buffered = 0;
    this.#wake();
  }

  #wake() {
    const w = this.#wakeReader;
    this.#wakeReader = null;
    w?.();
    if (this.#buffered < this.highWater || this.#failure || this.#finished) {
      const d = this.#drained;
      this.#drained = null;
      d?.resolve();
    }
  }

  #whenDrained() {
    if (this.#buffered < this.highWater || this.#failure || this.#finished) return Promise.resolve();
    if (!this.#drained) {
      let resolve;
      const promise = new Promise((r) => (resolve = r));
      this.#drained = { promise, resolve };
    }
    return this.#drained.promise;
  }

  // ---- the reader ----

  /** The next chunk, null at the end; waits for the writer. */
  async next() {
    for (;;) {
      if (this.#chunks.length) {
        const chunk = this.#chunks.shift();
        this.#buffered -= chunk.length;
        this.#wake();
        return chunk;
      }
      if (this.#abort) throw this.#abort;
      if (this.#finished || this.#failure) return null;
      await new Promise((r) => (this.#wakeReader = r));
    }
  }

  /** Everything that is written, once the body is finished (when the reader cannot stream). */
  async bytes() {
    const parts = [];
    for (let c = await this.next(); c !== null; c = await this.next()) parts.push(c);
    return concat(parts);
  }

  /** What is buffered now, when the body is already finished (no waiting). */
  takeAll() {
    if (this.#abort) throw this.#abort;
    const all = concat(this.#chunks);
    this.#chunks = [];
    this.#buffered = 0;
    this.#wake();
    return all;
  }

  /** A ReadableStream of the body (a Response body, a streamed fetch request body). */
  stream() {
    return new ReadableStream({
      pull: async (controller) => {
        const chunk = await this.next();
        if (chunk === null) controller.close();
        else controller.enqueue(chunk);
      },
      cancel: (reason) => {
        this.fail(httpStreamError({ tag: 'connection-terminated' }, `the body's reader went away${reason ? `: ${reason}` : ''}`));
      },
    });
  }
}

/**
 * A wasi:io source over a ReadableStream of bytes (a fetch Response body, an
 * incoming Request body). It reads one chunk ahead when the guest asks;
 * `wait()` settles when there is something to read. `mapError(e)` turns a
 * failed read into a wasi:http error-code. `betweenBytesMs` fails a read
 * that waits longer than that.
 */
export function readableSource(stream, { mapError = () => ({ tag: 'connection-terminated' }), betweenBytesMs, onClose } = {}) {
  if (!stream) return doneSource();
  const reader = stream.getReader();
  let chunk = null;
  let offset = 0;
  let done = false;
  let failure = null;
  let pending = null;
  const pump = () => {
    if (pending || done || failure || chunk) return pending;
    let timer = null;
    const read = reader.read();
    const timeout =
      betweenBytesMs > 0
        ? new Promise((_, reject) => {
            timer = setTimeout(() => reject(Object.assign(new Error('no bytes within between-bytes-timeout'), { compolyCode: { tag: 'connection-read-timeout' } })), betweenBytesMs);
          })
        : null;
    pending = (timeout ? Promise.race([read, timeout]) : read).then(
      ({ done: end, value }) => {
        if (end) done = true;
        else if (value && value.length) {
          chunk = value instanceof Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
          offset = 0;
        }
      },
      (e) => {
        const code = e?.compolyCode ?? mapError(e);
        failure = httpStreamError(code, `HTTP body: ${e?.message ?? e}`);
        reader.cancel(e).catch(() => {});
      },
    ).finally(() => {
      if (timer !== null) clearTimeout(timer);
      pending = null;
    });
    return pending;
  };
  return {
    read(n) {
      if (chunk) {
        const out = chunk.slice(offset, offset + n);
        offset += out.length;
        if (offset >= chunk.length) {
          chunk = null;
          pump();
        }
        return out;
      }
      if (failure) throw failure;
      if (done) return null;
      pump();
      return EMPTY;
    },
    ready: () => chunk !== null || done || failure !== null,
    wait: () => pump() ?? Promise.resolve(),
    close() {
      if (!done) reader.cancel().catch(() => {});
      done = true;
      onClose?.();
    },
  };
}

function doneSource() {
  return { read: () => null, ready: () => true, wait: () => Promise.resolve() };
}

/** A source over bytes already in memory (io.js's, which can also wait). */
export const bytesBodySource = bytesSource;
