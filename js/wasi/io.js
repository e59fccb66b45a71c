// wasi:io — error, poll, streams.
//
// Streams are thin resource objects over a *source* (input) or a *sink*
// (output); cli.js, filesystem.js and later sockets/http provide those.
// Data already in memory is returned at once. Only `Pollable#block`/`poll`,
// `InputStream#blockingRead`/`blockingSkip` and the blocking output calls
// ever wait, in one of three ways:
//  - sync (the default): a timer sleeps with `sleepSync`; a source may offer
//    `waitSync(ms)` (the worker path: it blocks on Atomics.wait while the page
//    does the work); otherwise waiting for input traps with a message;
//  - async (JSPI, `{ async: true }` on the host): the call returns a Promise
//    (timers on setTimeout, sources and sinks through their `wait()` /
//    Promise-returning `write`/`flush`) and the guest is suspended on it.
//    Calls that need not wait still return plain values.
//
// A source is `{ read(n) -> Uint8Array | null, ready?() -> bool, wait?() -> Promise,
// waitSync?(ms), close?() }`: `read` returns up to n bytes, an empty array when
// nothing is available yet, or null at end of stream. A sink is `{ write(bytes)
// -> void | Promise, flush?() -> void | Promise, capacity?, ready?(), wait?(),
// close?() }`; `write` may throw a WasiIoError for a failed operation; Promises
// are only awaited by async streams.

/** wasi:io/error.error */
export class IoError {
  #message;
  /** @param {string} message @param {string} [code] a wasi:filesystem error-code for filesystem-error-code */
  constructor(message, code) {
    this.#message = String(message);
    this.code = code;
  }
  toDebugString() {
    return this.#message;
  }
}

/** Throwable stream errors (the err payload of a stream-error result). */
export const streamClosed = () => ({ tag: 'closed' });
export const streamFailed = (message, code) => ({ tag: 'last-operation-failed', val: new IoError(message, code) });

// ---- time and sleeping ----------------------------------------------------------------

let sleepCell = null;
/** Waits `ms` milliseconds without returning to the event loop. */
export function sleepSync(ms) {
  if (!(ms > 0)) return;
  try {
    sleepCell ??= new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(sleepCell, 0, 0, ms);
    return;
  } catch {
    // Atomics.wait is refused on a browser's main thread: spin.
  }
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

// ---- wasi:io/poll -----------------------------------------------------------------------

/**
 * wasi:io/poll.pollable. `ready` says whether it is ready now; `timer`
 * (`{ clock, deadline }`, ns on that clock) makes it a timer that `block` can
 * wait for; `waiter` (`{ wait?() -> Promise, waitSync?(ms) }`) lets it wait
 * for something else (input arriving). `async`: block() may return a Promise.
 */
export class Pollable {
  #ready;
  constructor(ready = () => true, timer = null, waiter = null, async = false) {
    this.#ready = ready;
    /** @type {{ clock: { now(): bigint, advanceTo?(t: bigint): void }, deadline: bigint } | null} */
    this.timer = timer;
    this.waiter = waiter;
    this.async = async;
  }
  ready() {
    return this.#ready();
  }
  block() {
    const r = this.async ? blockOnAsync([this]) : blockOn([this]);
    if (r instanceof Promise) return r.then(() => undefined);
    return undefined;
  }
}

function readyIndices(list) {
  const ready = [];
  for (let i = 0; i < list.length; i++) if (list[i].ready()) ready.push(i);
  return ready;
}

function soonestTimer(list) {
  let soonest = null;
  for (const p of list) {
    if (p.timer && (soonest === null || p.timer.deadline < soonest.deadline)) soonest = p.timer;
  }
  return soonest;
}

const nothingToWaitFor = () =>
  new Error(
    'compoly wasi: the guest blocks on a stream with no data and no timer to wait for; ' +
      'without JSPI or a worker the host cannot wait for more input (run with { async: true } or { worker: true })',
  );

/** Waits (synchronously) until at least one of the pollables is ready; returns the indices of the ready ones. */
export function blockOn(list) {
  for (;;) {
    const ready = readyIndices(list);
    if (ready.length) return ready;
    const soonest = soonestTimer(list);
    if (soonest && typeof soonest.clock.advanceTo === 'function') {
      soonest.clock.advanceTo(soonest.deadline);
      continue;
    }
    const waitMs = soonest ? Math.max(Number(soonest.deadline - soonest.clock.now()) / 1e6, 0.001) : Infinity;
    const waiter = list.find((p) => p.waiter?.waitSync)?.waiter;
    if (waiter) {
      // Something that can block this thread until input arrives (or the timer is due).
      waiter.waitSync(waitMs);
      continue;
    }
    if (soonest === null) throw nothingToWaitFor();
    sleepSync(waitMs);
  }
}

/**
 * The async variant: the ready indices, at once when some are ready, or a
 * Promise that settles when one becomes ready (timers on setTimeout, other
 * pollables through their waiter's `wait()`).
 */
export function blockOnAsync(list) {
  const ready = readyIndices(list);
  if (ready.length) return ready;
  return (async () => {
    for (;;) {
      const soonest = soonestTimer(list);
      if (soonest && typeof soonest.clock.advanceTo === 'function') {
        soonest.clock.advanceTo(soonest.deadline);
      } else {
        const waits = [];
        for (const p of list) if (p.waiter?.wait) waits.push(p.waiter.wait());
        let timeout = null;
        if (soonest) {
          const ms = Math.max(Number(soonest.deadline - soonest.clock.now()) / 1e6, 0);
          waits.push(new Promise((r) => (timeout = setTimeout(r, Math.ceil(ms)))));
        }
        if (!waits.length) {
          if (list.some((p) => p.waiter?.waitSync)) {
            blockOn(list);
          } else {
            throw nothingToWaitFor();
          }
        } else {
          try {
            await Promise.race(waits);
          } finally {
            if (timeout !== null) clearTimeout(timeout);
          }
        }
      }
      const now = readyIndices(list);
      if (now.length) return now;
    }
  })();
}

/** wasi:io/poll.poll (sync). */
export function poll(list) {
  checkPollList(list);
  return new Uint32Array(blockOn(list));
}

/** wasi:io/poll.poll for async hosts: a Promise when it has to wait. */
export function pollAsync(list) {
  checkPollList(list);
  const r = blockOnAsync(list);
  return r instanceof Promise ? r.then((i) => new Uint32Array(i)) : new Uint32Array(r);
}

function checkPollList(list) {
  if (list.length === 0) throw new Error('wasi:io/poll.poll: the list of pollables is empty');
  if (list.length > 0xffffffff) throw new Error('wasi:io/poll.poll: too many pollables');
}

// ---- wasi:io/streams ------------------------------------------------------------------

const toLen = (len) => {
  const n = typeof len === 'bigint' ? len : BigInt(len);
  // A guest may ask for 2^64-1 bytes; no single read returns more than this.
  return n > 0x4000000n ? 0x4000000 : Number(n);
};

const isPromise = (v) => v !== null && typeof v === 'object' && typeof v.then === 'function';

/** Maps what a sink threw (or rejected with) to a stream error. */
function streamError(e) {
  if (e && typeof e === 'object' && 'tag' in e) return e;
  return streamFailed(e?.message ?? String(e), e?.code);
}

function waiterOf(x) {
  if (!x.wait && !x.waitSync) return null;
  return { wait: x.wait && (() => x.wait()), waitSync: x.waitSync && ((ms) => x.waitSync(ms)) };
}

export class InputStream {
  #source;
  #closed = false;
  #async;
  /**
   * @param {{ read(n: number): Uint8Array | null, ready?(): boolean, wait?(): Promise<void>, waitSync?(ms: number): void, close?(): void }} source
   * @param {{ async?: boolean }} [options] async: blocking reads may return Promises (JSPI)
   */
  constructor(source, options = {}) {
    this.#source = source;
    this.#async = !!options.async;
  }
  #finish(bytes) {
    if (bytes === null) {
      this.#closed = true;
      throw streamClosed();
    }
    return bytes;
  }
  #take(len, blocking) {
    if (this.#closed) throw streamClosed();
    const n = toLen(len);
    const bytes = this.#source.read(n);
    if (!blocking || bytes === null || bytes.length > 0 || n === 0) return this.#finish(bytes);
    if (this.#async) {
      const again = async () => {
        for (;;) {
          await blockOnAsync([this.subscribe()]);
          if (this.#closed) throw streamClosed();
          const got = this.#source.read(n);
          if (got === null || got.length > 0) return this.#finish(got);
        }
      };
      return again();
    }
    for (;;) {
      blockOn([this.subscribe()]);
      if (this.#closed) throw streamClosed();
      const got = this.#source.read(n);
      if (got === null || got.length > 0) return this.#finish(got);
    }
  }
  read(len) {
    return this.#take(len, false);
  }
  blockingRead(len) {
    return this.#take(len, true);
  }
  skip(len) {
    return BigInt(this.#take(len, false).length);
  }
  blockingSkip(len) {
    const r = this.#take(len, true);
    return isPromise(r) ? r.then((b) => BigInt(b.length)) : BigInt(r.length);
  }
  subscribe() {
    const source = this.#source;
    return new Pollable(() => this.#closed || (source.ready ? source.ready() : true), null, waiterOf(source), this.#async);
  }
  [Symbol.dispose]() {
    this.#source.close?.();
  }
}

const DEFAULT_CAPACITY = 1 << 20;

export class OutputStream {
  #sink;
  #closed = false;
  #async;
  /**
   * @param {{ write(bytes: Uint8Array): void | Promise<void>, flush?(): void | Promise<void>, capacity?: number,
   *   ready?(): boolean, wait?(): Promise<void>, close?(): void }} sink
   * @param {{ async?: boolean }} [options] async: blocking writes and flushes may return Promises (JSPI)
   */
  constructor(sink, options = {}) {
    this.#sink = sink;
    this.#async = !!options.async;
  }
  #capacity() {
    return this.#sink.capacity ?? DEFAULT_CAPACITY;
  }
  #check() {
    if (this.#closed) throw streamClosed();
  }
  #fail(e) {
    const err = streamError(e);
    if (err.tag === 'closed') this.#closed = true;
    return err;
  }
  checkWrite() {
    this.#check();
    return BigInt(this.#capacity());
  }
  write(contents) {
    this.#check();
    if (contents.length > this.#capacity()) {
      // The guest did not ask check-write first: the spec says this traps.
      throw new Error(`wasi:io/streams: write of ${contents.length} bytes exceeds check-write's ${this.#capacity()}`);
    }
    const r = this.#put(contents);
    // A non-blocking write does not wait; a failure shows on the next call.
    if (isPromise(r)) r.catch(() => {});
  }
  /** Hands bytes to the sink; returns its Promise (async streams only) or undefined. */
  #put(bytes) {
    if (bytes.length === 0) return undefined;
    let r;
    try {
      r = this.#sink.write(bytes);
    } catch (e) {
      throw this.#fail(e);
    }
    if (this.#async && isPromise(r)) {
      return r.then(
        () => undefined,
        (e) => {
          throw this.#fail(e);
        },
      );
    }
    return undefined;
  }
  #flush() {
    let r;
    try {
      r = this.#sink.flush?.();
    } catch (e) {
      throw streamError(e);
    }
    if (this.#async && isPromise(r)) {
      return r.then(
        () => undefined,
        (e) => {
          throw streamError(e);
        },
      );
    }
    return undefined;
  }
  /** put, then flush; a Promise when either has to wait. */
  #putAndFlush(bytes) {
    const put = this.#put(bytes);
    if (isPromise(put)) return put.then(() => this.#flush());
    return this.#flush();
  }
  blockingWriteAndFlush(contents) {
    this.#check();
    // Larger than one check-write is a guest error; accept up to 4096 as the spec requires, and more.
    return this.#putAndFlush(contents);
  }
  flush() {
    this.#check();
    const r = this.#flush();
    if (isPromise(r)) r.catch(() => {});
  }
  blockingFlush() {
    this.#check();
    return this.#flush();
  }
  subscribe() {
    const sink = this.#sink;
    return new Pollable(() => this.#closed || (sink.ready ? sink.ready() : true), null, waiterOf(sink), this.#async);
  }
  writeZeroes(len) {
    this.#check();
    this.write(new Uint8Array(toLen(len)));
  }
  blockingWriteZeroesAndFlush(len) {
    this.#check();
    return this.#putAndFlush(new Uint8Array(toLen(len)));
  }
  splice(src, len) {
    this.#check();
    const n = Math.min(toLen(len), this.#capacity());
    const bytes = src.read(BigInt(n));
    this.write(bytes);
    return BigInt(bytes.length);
  }
  blockingSplice(src, len) {
    this.#check();
    const n = Math.min(toLen(len), this.#capacity());
    const got = src.blockingRead(BigInt(n));
    const rest = (bytes) => {
      const r = this.#putAndFlush(bytes);
      return isPromise(r) ? r.then(() => BigInt(bytes.length)) : BigInt(bytes.length);
    };
    return isPromise(got) ? got.then(rest) : rest(got);
  }
  [Symbol.dispose]() {
    try {
      const r = this.#sink.flush?.();
      if (isPromise(r)) r.catch(() => {});
    } catch {
      /* nothing to report to: the guest dropped the stream */
    }
    this.#sink.close?.();
  }
}

// ---- sources and sinks ------------------------------------------------------------------

/** A source over bytes already in memory. */
export function bytesSource(bytes) {
  let pos = 0;
  return {
    read(n) {
      if (pos >= bytes.length) return null;
      const out = bytes.slice(pos, pos + n);
      pos += out.length;
      return out;
    },
    ready: () => true,
    wait: () => Promise.resolve(),
  };
}

/** The byte arrays joined into one (the one array itself when there is only one). */
export function concat(parts) {
  if (parts.length === 1) return parts[0];
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A sink collecting everything written (tests, the reactor harness). */
export function memorySink(capacity) {
  const chunks = [];
  const sink = {
    capacity,
    write(bytes) {
      chunks.push(bytes.slice());
    },
    bytes() {
      return chunks.length === 1 ? chunks[0].slice() : concat(chunks);
    },
    text() {
      return new TextDecoder().decode(sink.bytes());
    },
  };
  return sink;
}

/** @param {{ async?: boolean }} [mode] async: poll may return a Promise (JSPI) */
export function ioImports(mode = {}) {
  return {
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll: mode.async ? pollAsync : poll },
    'wasi:io/streams': { InputStream, OutputStream },
  };
}
