// wasi:io — error, poll, streams.
//
// Streams are thin resource objects over a *source* (input) or a *sink*
// (output); cli.js, filesystem.js and later sockets/http provide those. Every
// call here is synchronous: data already in memory is returned at once, and
// the one place that may have to wait for time to pass (a pollable with a
// deadline) sleeps with `sleepSync`. That is the seam for JSPI / worker
// blocking: `Pollable#block` and `InputStream#blockingRead` are the only
// calls that wait.
//
// A source is `{ read(n) -> Uint8Array | null, ready?() -> bool, deadline?, close?() }`:
// `read` returns up to n bytes, an empty array when nothing is available yet,
// or null at end of stream. A sink is `{ write(bytes), flush?(), capacity?,
// close?() }`; `write` may throw a WasiIoError for a failed operation.

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
 * wasi:io/poll.pollable. `ready` says whether it is ready now; `clock` and
 * `deadline` (ns on that clock) make it a timer that `block` can wait for.
 */
export class Pollable {
  #ready;
  constructor(ready = () => true, timer = null) {
    this.#ready = ready;
    /** @type {{ clock: { now(): bigint, advanceTo?(t: bigint): void }, deadline: bigint } | null} */
    this.timer = timer;
  }
  ready() {
    return this.#ready();
  }
  block() {
    blockOn([this]);
  }
}

/** Waits until at least one of the pollables is ready; returns the indices of the ready ones. */
export function blockOn(list) {
  for (;;) {
    const ready = [];
    for (let i = 0; i < list.length; i++) if (list[i].ready()) ready.push(i);
    if (ready.length) return ready;
    // Nothing is ready: in this synchronous host only timers can become
    // ready by waiting. Sleep until the earliest one.
    let soonest = null;
    for (const p of list) {
      if (p.timer && (soonest === null || p.timer.deadline < soonest.deadline)) soonest = p.timer;
    }
    if (soonest === null) {
      throw new Error(
        'compoly wasi: the guest blocks on a stream with no data and no timer to wait for; ' +
          'without JSPI or a worker the host cannot wait for more input',
      );
    }
    const { clock, deadline } = soonest;
    if (typeof clock.advanceTo === 'function') {
      clock.advanceTo(deadline);
      continue;
    }
    const waitNs = deadline - clock.now();
    if (waitNs > 0n) sleepSync(Math.max(Number(waitNs) / 1e6, 0.001));
  }
}

/** wasi:io/poll.poll */
export function poll(list) {
  if (list.length === 0) throw new Error('wasi:io/poll.poll: the list of pollables is empty');
  if (list.length > 0xffffffff) throw new Error('wasi:io/poll.poll: too many pollables');
  return new Uint32Array(blockOn(list));
}

// ---- wasi:io/streams ------------------------------------------------------------------

const toLen = (len) => {
  const n = typeof len === 'bigint' ? len : BigInt(len);
  // A guest may ask for 2^64-1 bytes; no single read returns more than this.
  return n > 0x4000000n ? 0x4000000 : Number(n);
};

export class InputStream {
  #source;
  #closed = false;
  /** @param {{ read(n: number): Uint8Array | null, ready?(): boolean, close?(): void, deadline?: any }} source */
  constructor(source) {
    this.#source = source;
  }
  #take(len, blocking) {
    if (this.#closed) throw streamClosed();
    const n = toLen(len);
    let bytes = this.#source.read(n);
    if (blocking && bytes !== null && bytes.length === 0 && n > 0) {
      blockOn([this.subscribe()]);
      bytes = this.#source.read(n);
    }
    if (bytes === null) {
      this.#closed = true;
      throw streamClosed();
    }
    return bytes;
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
    return BigInt(this.#take(len, true).length);
  }
  subscribe() {
    const source = this.#source;
    return new Pollable(() => this.#closed || (source.ready ? source.ready() : true));
  }
  [Symbol.dispose]() {
    this.#source.close?.();
  }
}

const DEFAULT_CAPACITY = 1 << 20;

export class OutputStream {
  #sink;
  #closed = false;
  /** @param {{ write(bytes: Uint8Array): void, flush?(): void, capacity?: number, close?(): void }} sink */
  constructor(sink) {
    this.#sink = sink;
  }
  #capacity() {
    return this.#sink.capacity ?? DEFAULT_CAPACITY;
  }
  #check() {
    if (this.#closed) throw streamClosed();
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
    this.#put(contents);
  }
  #put(bytes) {
    if (bytes.length === 0) return;
    try {
      this.#sink.write(bytes);
    } catch (e) {
      if (e && typeof e === 'object' && 'tag' in e) {
        if (e.tag === 'closed') this.#closed = true;
        throw e;
      }
      throw streamFailed(e?.message ?? String(e), e?.code);
    }
  }
  blockingWriteAndFlush(contents) {
    this.#check();
    // Larger than one check-write is a guest error; accept up to 4096 as the spec requires, and more.
    this.#put(contents);
    this.#flush();
  }
  #flush() {
    try {
      this.#sink.flush?.();
    } catch (e) {
      if (e && typeof e === 'object' && 'tag' in e) throw e;
      throw streamFailed(e?.message ?? String(e), e?.code);
    }
  }
  flush() {
    this.#check();
    this.#flush();
  }
  blockingFlush() {
    this.#check();
    this.#flush();
  }
  subscribe() {
    return new Pollable(() => true);
  }
  writeZeroes(len) {
    this.#check();
    this.write(new Uint8Array(toLen(len)));
  }
  blockingWriteZeroesAndFlush(len) {
    this.#check();
    this.#put(new Uint8Array(toLen(len)));
    this.#flush();
  }
  splice(src, len) {
    this.#check();
    const n = Math.min(toLen(len), this.#capacity());
    const bytes = src.read(BigInt(n));
    this.#put(bytes);
    return BigInt(bytes.length);
  }
  blockingSplice(src, len) {
    this.#check();
    const n = Math.min(toLen(len), this.#capacity());
    const bytes = src.blockingRead(BigInt(n));
    this.#put(bytes);
    this.#flush();
    return BigInt(bytes.length);
  }
  [Symbol.dispose]() {
    try {
      this.#sink.flush?.();
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
  };
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
      let size = 0;
      for (const c of chunks) size += c.length;
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
    text() {
      return new TextDecoder().decode(sink.bytes());
    },
  };
  return sink;
}

export function ioImports() {
  return {
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
  };
}
