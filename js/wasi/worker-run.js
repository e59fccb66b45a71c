// run(component, { worker: true }): the page (or Node's main thread) side of
// the worker path. The component runs synchronously in a dedicated worker
// (worker-entry.js); whenever the guest must wait for something only this
// thread can provide (stdin from a ReadableStream or a callback, a
// WritableStream's backpressure, an outgoing HTTP request: http-worker.js)
// the worker sends a request and blocks on Atomics.wait until the answer is
// in the shared buffer (worker-channel.js).
// Timers sleep in the worker itself; OPFS preopens are opened in the worker
// (sync access handles, fs-opfs.js).
//
// What crosses to the worker up front: the plan and the compiled core
// modules, args, env, cwd, terminal, random seed, stdin given as a string or
// bytes, and the preopens (memfs trees as data, host directories by path,
// OPFS directories by name). Callbacks and streams stay here and receive the
// bytes the worker forwards. When the run ends, memfs preopens get the
// worker's changes and OPFS mirrors are reloaded.
//
// Browsers need cross-origin isolation for SharedArrayBuffer: serve the page
// with `Cross-Origin-Opener-Policy: same-origin` and
// `Cross-Origin-Embedder-Policy: require-corp` (or `credentialless`).
import { channelBuffer, serveChannel } from './worker-channel.js';
import { outputSink, stdinSource } from './cli.js';
import { normalizePreopens } from './filesystem.js';
import { httpRequests } from './http-worker.js';
import { MemFs } from './fs-memory.js';
import { opfsForWorker } from './fs-opfs.js';
import { snapshotTree, restoreTree } from './worker-tree.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** Whether this engine can run the worker path (SharedArrayBuffer, and cross-origin isolation in a browser). */
export function workerAvailable() {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics?.wait !== 'function') return false;
  if (isNode) return true;
  return globalThis.crossOriginIsolated === true && typeof Worker === 'function';
}

/** A dedicated worker running worker-entry.js, as { post, onMessage, onError, terminate }. */
async function spawnWorker() {
  if (isNode) {
    const { Worker: NodeWorker } = await import('node:worker_threads');
    const w = new NodeWorker(new URL('./worker-entry.js', import.meta.url));
    return {
      post: (m, t) => w.postMessage(m, t),
      onMessage: (f) => w.on('message', f),
      onError: (f) => {
        w.on('error', f);
        w.on('exit', (code) => f(new Error(`compoly: the worker exited (code ${code}) before the component finished`)));
      },
      terminate: () => w.terminate(),
    };
  }
  const w = new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module' });
  return {
    post: (m, t) => w.postMessage(m, t),
    onMessage: (f) => w.addEventListener('message', (e) => f(e.data)),
    onError: (f) => {
      w.addEventListener('error', (e) => {
        e.preventDefault?.();
        f(e.error ?? new Error(`compoly: the worker failed: ${e.message ?? 'error'} (${e.filename ?? 'worker-entry.js'}:${e.lineno ?? '?'})`));
      });
      w.addEventListener('messageerror', () => f(new Error('compoly: a message from the worker could not be read')));
    },
    terminate: () => w.terminate(),
  };
}

const toBytes = (v) =>
  typeof v === 'string' ? new TextEncoder().encode(v) : v instanceof Uint8Array ? v : ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v);

/** Rebuilds what the worker reports as an error. */
function reviveError(data) {
  let e;
  if (data.name === 'RuntimeError') e = new WebAssembly.RuntimeError(data.message);
  else if (data.name === 'TypeError') e = new TypeError(data.message);
  else {
    e = new Error(data.message);
    if (data.name) e.name = data.name;
  }
  if (data.stack) e.stack = `${e.name}: ${e.message}\n    (in the worker)\n${String(data.stack).split('\n').slice(1).join('\n')}`;
  return e;
}

/**
 * @param {import('../runtime/component.js').Component} component
 * @param {Record<string, any>} config WasiHost options (see run())
 * @returns {Promise<{ exitCode: number }>}
 */
export async function runInWorker(component, config) {
  if (!workerAvailable()) {
    throw new Error(
      'run(…, { worker: true }) needs SharedArrayBuffer and Atomics.wait in a worker; in a browser the page must be ' +
        'cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    );
  }
  const { args, env, cwd, terminal, random, stdin, stdout, stderr, preopens, clocks, http, ...rest } = config;
  for (const key of Object.keys(rest)) {
    if (key === 'async') continue;
    throw new TypeError(`compoly run: option '${key}' cannot be used with { worker: true }`);
  }
  if (clocks) throw new TypeError('compoly run: clock overrides are functions and cannot go to a worker; run without { worker: true }');
  // Outgoing requests are made here, so http's options (a fetch of the user's too) stay here;
  // they are checked now, before a worker starts.
  const httpRequest = httpRequests(http);
  if (random && (typeof random !== 'object' || Object.values(random).some((v) => typeof v === 'function'))) {
    throw new TypeError('compoly run: with { worker: true } random may only be { seed }');
  }

  // stdin: data goes with the config; anything that arrives later is served from here.
  let stdinSpec;
  let stdinSrc = null;
  if (stdin == null || typeof stdin === 'string' || ArrayBuffer.isView(stdin) || stdin instanceof ArrayBuffer) {
    stdinSpec = { bytes: toBytes(stdin ?? '') };
  } else {
    stdinSrc = stdinSource(stdin);
    stdinSpec = { remote: true };
  }
  const sinks = {
    stdout: outputSink(stdout, 'stdout', true),
    stderr: outputSink(stderr, 'stderr', true),
  };
  const kinds = {
    stdout: stdout && typeof stdout.getWriter === 'function' ? 'stream' : 'callback',
    stderr: stderr && typeof stderr.getWriter === 'function' ? 'stream' : 'callback',
  };

  // Preopens as data.
  const entries = normalizePreopens(preopens);
  const specs = [];
  for (const [guest, fs, readonly] of entries) {
    if (fs instanceof MemFs && fs.kind === 'memfs') specs.push({ guest, readonly, kind: 'memfs', tree: snapshotTree(fs) });
    else if (fs.kind === 'node') specs.push({ guest, readonly, kind: 'node', path: fs.root });
    else if (fs.kind === 'opfs') {
      await fs.flush?.();
      specs.push({ guest, readonly, kind: 'opfs', name: fs.name });
    } else throw new TypeError(`compoly run: preopen '${guest}' (a custom backend) cannot be sent to a worker`);
  }

  const worker = await spawnWorker();
  const sab = channelBuffer();
  let settle;
  const done = new Promise((resolve, reject) => (settle = { resolve, reject }));
  let finished = false;
  let ready;
  const isReady = new Promise((r) => (ready = r));

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const handler = async (op, a) => {
    switch (op) {
      case 'stdout':
      case 'stderr': {
        const r = sinks[op].write(a);
        if (r && typeof r.then === 'function') r.catch(() => {}); // reported by the next flush
        return undefined;
      }
      case 'flush':
        await sinks[a.which].flush?.();
        return undefined;
      case 'stdin.read':
        return stdinSrc.read(a.n);
      case 'stdin.ready':
        return stdinSrc.ready ? stdinSrc.ready() : true;
      case 'stdin.wait': {
        if (!stdinSrc.wait || (stdinSrc.ready && stdinSrc.ready())) return undefined;
        const waits = [stdinSrc.wait()];
        if (a.ms !== null && Number.isFinite(a.ms)) waits.push(sleep(a.ms));
        await Promise.race(waits);
        return undefined;
      }
      case '$done':
        finished = true;
        settle.resolve(a);
        return undefined;
      default:
        if (op.startsWith('http.')) return httpRequest(op, a);
        throw new Error(`compoly worker: unknown request '${op}'`);
    }
  };
  const receive = serveChannel(sab, handler, (e) => settle.reject(e));
  worker.onMessage((m) => {
    if (m && m.op === '$ready') ready();
    else receive(m);
  });
  worker.onError((e) => {
    if (!finished) settle.reject(e);
  });

  const shares = [];
  try {
    await Promise.race([isReady, done]);
    // The OPFS agents start here and are lent to the worker (opfsForWorker): in Firefox a
    // worker that starts a worker of its own sometimes never gets past the constructor.
    const transfer = [];
    for (const spec of specs) {
      if (spec.kind !== 'opfs') continue;
      const share = await opfsForWorker(spec.name);
      shares.push(share);
      spec.grant = share.grant;
      transfer.push(...share.transfer);
    }
    const { plan, modules } = component;
    worker.post(
      {
        op: '$init',
        sab,
        plan,
        modules,
        config: { args, env, cwd, terminal, random },
        stdin: stdinSpec,
        kinds,
        preopens: specs,
      },
      transfer,
    );
    const result = await done;
    for (const s of Object.values(sinks)) await s.flush?.();
    // Bring the worker's changes back.
    for (let i = 0; i < entries.length; i++) {
      const fs = entries[i][1];
      if (specs[i].kind === 'memfs' && result.trees?.[i]) restoreTree(fs, result.trees[i]);
      if (specs[i].kind === 'opfs') await fs.reload?.();
    }
    if (result.error) throw reviveError(result.error);
    return { exitCode: result.exitCode };
  } finally {
    finished = true;
    await worker.terminate();
    for (const share of shares) share.close();
  }
}
