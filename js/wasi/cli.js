// wasi:cli — environment, exit, stdin/stdout/stderr, terminal-*.
import { InputStream, OutputStream, bytesSource } from './io.js';

const encoder = new TextEncoder();

/** Thrown by wasi:cli/exit through the guest; `run` catches it. */
export class ExitSignal extends Error {
  constructor(code) {
    super(`the component exited with code ${code}`);
    this.name = 'ExitSignal';
    this.exitCode = code;
  }
}

export function normalizeEnv(env) {
  if (env == null) return [];
  const pairs = Array.isArray(env) ? env : Object.entries(env);
  return pairs.map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('compoly wasi: env entries must be [key, value] pairs');
    const [k, v] = pair;
    if (String(k).includes('=')) throw new TypeError(`compoly wasi: env key '${k}' contains '='`);
    return [String(k), String(v)];
  });
}

function toBytes(data) {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`compoly wasi: expected a string or bytes, got ${typeof data}`);
}

/**
 * The shared source behind every stdin handle: a string or bytes, a
 * callback `(maxBytes) => Uint8Array | string | null` (null = end), or a
 * ReadableStream (read ahead asynchronously; `run` drains it up front when
 * the guest cannot wait).
 */
export function stdinSource(stdin) {
  if (stdin == null) return bytesSource(new Uint8Array(0));
  if (typeof stdin === 'string' || ArrayBuffer.isView(stdin) || stdin instanceof ArrayBuffer) {
    return bytesSource(toBytes(stdin));
  }
  if (typeof stdin === 'function') {
    let pending = null;
    let ended = false;
    return {
      read(n) {
        if (pending && pending.length) {
          const out = pending.subarray(0, n);
          pending = pending.subarray(out.length);
          return out;
        }
        if (ended) return null;
        const got = stdin(n);
        if (got == null) {
          ended = true;
          return null;
        }
        const bytes = toBytes(got);
        const out = bytes.subarray(0, n);
        pending = bytes.subarray(out.length);
        return out.slice();
      },
      ready: () => true,
    };
  }
  if (typeof stdin.getReader === 'function') return readableSource(stdin);
  // A source object of io.js's shape (the worker path forwards stdin this way).
  if (typeof stdin.read === 'function') return stdin;
  throw new TypeError('compoly wasi: stdin must be a string, bytes, a callback or a ReadableStream');
}

/** A source reading a ReadableStream ahead into a buffer. */
export function readableSource(stream) {
  const reader = stream.getReader();
  const chunks = [];
  let done = false;
  let error = null;
  let pulling = null;
  const pull = () => {
    pulling ??= reader.read().then(
      (r) => {
        pulling = null;
        if (r.done) done = true;
        else chunks.push(toBytes(r.value));
      },
      (e) => {
        pulling = null;
        error = e;
        done = true;
      },
    );
    return pulling;
  };
  const source = {
    read(n) {
      if (chunks.length) {
        const head = chunks[0];
        const out = head.subarray(0, n);
        if (out.length === head.length) chunks.shift();
        else chunks[0] = head.subarray(out.length);
        if (!chunks.length && !done) pull();
        return out.slice();
      }
      if (done) {
        if (error) throw error;
        return null;
      }
      pull();
      return new Uint8Array(0);
    },
    ready: () => chunks.length > 0 || done,
    /** Settles once data or the end is there (async hosts wait on it). */
    wait() {
      if (chunks.length || done) return Promise.resolve();
      return pull();
    },
    /** Reads the whole stream into memory (for hosts that cannot wait later). */
    async drain() {
      while (!done) await pull();
    },
  };
  return source;
}

/**
 * A sink for stdout/stderr: a callback `(bytes) => void`, a WritableStream,
 * a sink object of io.js's shape, or (default) the process's own stream in
 * Node and the console elsewhere. `async`: a WritableStream's writes return
 * Promises that settle when the stream took the bytes (backpressure for JSPI
 * hosts); otherwise they are queued without waiting.
 */
export function outputSink(target, which, async = false) {
  if (typeof target === 'function') {
    return { write: (bytes) => target(bytes) };
  }
  if (target && typeof target.getWriter === 'function') {
    const writer = target.getWriter();
    let failed = null;
    if (async) {
      let last = Promise.resolve();
      let pending = 0;
      return {
        // Nothing more is accepted while a write is in flight: check-write says 0 and
        // the guest's poll waits for the stream (the stream's own queue is its backpressure).
        get capacity() {
          return pending ? 0 : 1 << 16;
        },
        write(bytes) {
          if (failed) throw failed;
          const copy = bytes.slice();
          pending++;
          last = last
            .then(() => writer.ready)
            .then(() => writer.write(copy))
            .then(
              () => void pending--,
              (e) => {
                pending--;
                failed ??= e;
                throw e;
              },
            );
          return last;
        },
        flush: () => last,
        ready: () => pending === 0,
        wait: () => last.catch(() => {}),
        close() {
          last.finally(() => writer.releaseLock()).catch(() => {});
        },
      };
    }
    return {
      write(bytes) {
        if (failed) throw failed;
        writer.write(bytes.slice()).catch((e) => {
          failed = e;
        });
      },
      close() {
        writer.releaseLock();
      },
    };
  }
  if (target && typeof target.write === 'function') return target; // a sink object (the worker path)
  if (target != null) throw new TypeError(`compoly wasi: ${which} must be a callback or a WritableStream`);
  const proc = globalThis.process;
  if (proc?.versions?.node && proc[which]?.write) {
    const stream = proc[which];
    return { write: (bytes) => void stream.write(bytes.slice()) };
  }
  return consoleSink(which === 'stderr' ? console.error : console.log);
}

function consoleSink(print) {
  const decoder = new TextDecoder();
  let line = '';
  return {
    write(bytes) {
      line += decoder.decode(bytes, { stream: true });
      let nl;
      while ((nl = line.indexOf('\n')) >= 0) {
        print(line.slice(0, nl));
        line = line.slice(nl + 1);
      }
    },
    flush() {
      if (line) {
        print(line);
        line = '';
      }
    },
  };
}

export class TerminalInput {}
export class TerminalOutput {}

/** The stdio sources and sinks of one host, made once from its config. */
export function makeStdio(config, mode = {}) {
  return {
    stdin: stdinSource(config.stdin),
    stdout: outputSink(config.stdout, 'stdout', !!mode.async),
    stderr: outputSink(config.stderr, 'stderr', !!mode.async),
  };
}

/** @param {{ async?: boolean }} [mode] async: blocking stdio calls may return Promises (JSPI) */
export function cliImports(config, { stdin, stdout, stderr }, mode = {}) {
  const args = (config.args ?? []).map(String);
  const env = normalizeEnv(config.env);
  const terminal = config.terminal ?? {};
  // Each get-std* call returns a fresh handle over the one shared source or
  // sink: the guest dropping one handle must not close the stream for others.
  const shared = (s) => ({
    read: (n) => s.read(n),
    ready: () => (s.ready ? s.ready() : true),
    wait: s.wait && (() => s.wait()),
    waitSync: s.waitSync && ((ms) => s.waitSync(ms)),
    write: (b) => s.write(b),
    flush: () => s.flush?.(),
    get capacity() {
      return s.capacity;
    },
  });
  const streamMode = { async: !!mode.async };
  return {
    'wasi:cli/environment': {
      getEnvironment: () => env.map(([k, v]) => [k, v]),
      getArguments: () => args.slice(),
      initialCwd: () => config.cwd ?? undefined,
    },
    'wasi:cli/exit': {
      exit(status) {
        throw new ExitSignal(status?.tag === 'err' ? 1 : 0);
      },
      exitWithCode(code) {
        throw new ExitSignal(code);
      },
    },
    'wasi:cli/stdin': { getStdin: () => new InputStream(shared(stdin), streamMode) },
    'wasi:cli/stdout': { getStdout: () => new OutputStream(shared(stdout), streamMode) },
    'wasi:cli/stderr': { getStderr: () => new OutputStream(shared(stderr), streamMode) },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => (terminal.stdin ? new TerminalInput() : undefined) },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => (terminal.stdout ? new TerminalOutput() : undefined) },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => (terminal.stderr ? new TerminalOutput() : undefined) },
  };
}
