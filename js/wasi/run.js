// run(component, options): a wasi:cli/run command → { exitCode }.
import { ComponentError } from '../errors.js';
import { instantiate, jspiAvailable } from '../runtime/instantiate.js';
import { ExitSignal } from './cli.js';
import { WasiHost } from './index.js';
import { mirrorCanWrite, OpfsFs } from './fs-opfs.js';
import { runInWorker, workerAvailable } from './worker-run.js';

let mayBlockHere = null;
/** Whether this thread may block on Atomics.wait (not a page's main thread). */
function threadMayBlock() {
  if (mayBlockHere === null) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      mayBlockHere = true;
    } catch {
      mayBlockHere = false;
    }
  }
  return mayBlockHere;
}

const isStream = (x, method) => x != null && typeof x === 'object' && typeof x[method] === 'function';

/**
 * Whether the guest may have to wait for something a synchronous host cannot
 * wait for well: input from a ReadableStream, a WritableStream's
 * backpressure, OPFS on a page, or a timer on a thread that can only spin.
 */
function needsWaiting(config) {
  if (isStream(config.stdin, 'getReader')) return true;
  if (isStream(config.stdout, 'getWriter') || isStream(config.stderr, 'getWriter')) return true;
  if (preopenSpecs(config.preopens).some((p) => p?.kind === 'opfs' || p?.fs?.kind === 'opfs')) return true;
  return !threadMayBlock();
}

/** What the preopens config gives for each guest path, in either form it takes (no backend opened). */
function preopenSpecs(preopens) {
  if (!preopens) return [];
  return Array.isArray(preopens) ? preopens.map(([, spec]) => spec) : Object.values(preopens);
}

function hasWritableMirror(preopens) {
  return preopenSpecs(preopens).some((p) => p instanceof OpfsFs || (p?.fs instanceof OpfsFs && !p.readonly));
}

/**
 * The way to run: 'jspi' (the guest suspends on host Promises), 'worker'
 * (it runs in a dedicated worker and blocks on Atomics.wait) or 'sync'.
 */
export function chooseRunPath({ async = 'auto', worker = 'auto', ...config } = {}, extraImports, component) {
  if (worker === true) return 'worker';
  if (async === true) return 'jspi';
  if (async === false) return 'sync';
  if (async !== 'auto') throw new TypeError("compoly run: async must be true, false or 'auto'");
  if (worker !== 'auto' && worker !== false) throw new TypeError("compoly run: worker must be true, false or 'auto'");
  // The worker cannot take the user's own imports or clock (functions do not cross to it).
  const workerFits = worker === 'auto' && !extraImports && !config.clocks && workerAvailable();
  // An engine that cannot write an OPFS copy back from the page can still write OPFS from a worker.
  if (workerFits && globalThis.crossOriginIsolated === true && !mirrorCanWrite() && hasWritableMirror(config.preopens)) return 'worker';
  // Outgoing HTTP waits for fetch, which only JSPI or a worker can do mid-call (in Node too).
  const fetches = component?.plan?.imports?.some((i) => i.name.startsWith('wasi:http/outgoing-handler'));
  if (fetches && jspiAvailable()) return 'jspi';
  if (fetches && workerFits) return 'worker';
  if (!needsWaiting(config)) return 'sync';
  if (jspiAvailable()) return 'jspi';
  if (workerFits && globalThis.crossOriginIsolated === true) return 'worker';
  return 'sync';
}

/**
 * Instantiates `component` with a WasiHost made from `options` (plus any
 * `options.imports` of the user's) and calls its wasi:cli/run export.
 * Returns `{ exitCode }`: 0 when run returns ok, 1 for err, the status given
 * to wasi:cli/exit otherwise. A trap rejects (as the engine's error).
 *
 * How blocking calls wait (sleep, stdin that has not arrived, a
 * WritableStream that is full):
 * - `async: true`: JSPI (Chromium, Firefox, Node ≥ 24): the guest is
 *   suspended on the host's Promise, timers sleep on setTimeout;
 * - `worker: true`: the component runs in a dedicated worker that blocks on
 *   Atomics.wait while this thread does the work (needs SharedArrayBuffer:
 *   in a browser, a cross-origin isolated page — see worker-run.js);
 * - `async: false`: synchronously on this thread; a ReadableStream stdin is
 *   read to its end first, timers sleep with Atomics.wait (or spin).
 * The default, `async: 'auto'`, picks JSPI when the engine has it and the
 * run may have to wait (a stream for stdio, OPFS, or a page's main thread,
 * which cannot sleep), else the worker when the page is cross-origin
 * isolated, else runs synchronously. A command that makes outgoing HTTP
 * requests goes to JSPI, else to a worker (in Node too), where the engine
 * and page allow; so does one with an OPFS preopen opened on a page whose
 * engine cannot write it back (no createWritable), where the page allows.
 * @param {import('../runtime/component.js').Component} component
 * @param {ConstructorParameters<typeof WasiHost>[0] & { imports?: Record<string, any>,
 *   async?: boolean | 'auto', worker?: boolean | 'auto' }} [options]
 */
export async function run(component, options = {}) {
  const { imports: extra, async: asyncOption, worker, ...config } = options;
  const path = chooseRunPath({ async: asyncOption, worker, ...config }, extra, component);
  if (path === 'worker') {
    if (extra) throw new TypeError('compoly run: options.imports (host functions) cannot go to a worker; run without { worker: true }');
    return runInWorker(component, config);
  }
  const jspi = path === 'jspi';
  const host = new WasiHost({ ...config, async: jspi });
  // Without JSPI nothing can wait for a ReadableStream in the middle of a
  // call: read it all before the guest starts.
  if (!jspi) await host.stdio.stdin.drain?.();
  const { exports } = await instantiate(component, { ...host.imports(), ...extra }, { async: jspi });
  const name = Object.keys(exports).find((k) => k.startsWith('wasi:cli/run@') || k === 'wasi:cli/run');
  if (!name) {
    const names = component.plan.exports.map((e) => e.name).join(', ') || 'none';
    throw new TypeError(`compoly run: the component does not export wasi:cli/run (its exports: ${names})`);
  }
  let exitCode;
  try {
    // The export returns result<_, _>: ok returns, err throws a ComponentError.
    await exports[name].run();
    exitCode = 0;
  } catch (e) {
    if (e instanceof ExitSignal) exitCode = e.exitCode;
    else if (e instanceof ComponentError) exitCode = 1;
    else throw e;
  } finally {
    for (const s of [host.stdio.stdout, host.stdio.stderr]) await s.flush?.();
    // OPFS mirrors: the guest's changes go to the browser's storage now.
    for (const [, fs] of host.preopens) await fs.flush?.();
  }
  return { exitCode };
}
