// The worker side of run(component, { worker: true }) (see worker-run.js): a
// module worker (browsers) or a node:worker_threads worker. It receives the
// plan, the compiled core modules and the host config, runs wasi:cli/run
// synchronously, and blocks on Atomics.wait (worker-channel.js) whenever it
// needs the page: stdin that has not arrived yet, a WritableStream's flush,
// an outgoing HTTP request (http-worker.js).
// Output goes back as one-way messages, in order.
import { Component } from '../runtime/component.js';
import { instantiate } from '../runtime/instantiate.js';
import { ComponentError } from '../errors.js';
import { ChannelClient } from './worker-channel.js';
import { ExitSignal } from './cli.js';
import { WasiHost } from './index.js';
import { memfs } from './fs-memory.js';
import { nodeDir } from './fs-node.js';
import { opfs } from './fs-opfs.js';
import { snapshotTree } from './worker-tree.js';
import { remoteHttpImports } from './http-worker.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// No top-level await here: bundlers build workers as classic scripts by default (Vite: iife).
let post;
let listen;
function start(postMessage, onMessage) {
  post = postMessage;
  listen = onMessage;
  listen(handle);
  post({ op: '$ready' });
}
if (isNode) {
  import('node:worker_threads').then(({ parentPort }) =>
    start(
      (m, t) => parentPort.postMessage(m, t),
      (f) => parentPort.on('message', f),
    ),
  );
} else {
  start(
    (m, t) => self.postMessage(m, t),
    (f) => self.addEventListener('message', (e) => f(e.data)),
  );
}

const errorData = (e) => ({ name: e?.name ?? 'Error', message: e?.message ?? String(e), stack: e?.stack });

async function handle(message) {
  if (message?.op !== '$init') return;
  const channel = new ChannelClient(message.sab, post);
  let result;
  const opened = [];
  try {
    result = await runHere(message, channel, opened);
  } catch (e) {
    result = { error: errorData(e) };
  }
  // Close what the run opened (OPFS sync access handles) and report back.
  const trees = [];
  for (let i = 0; i < opened.length; i++) {
    const { kind, fs } = opened[i] ?? {};
    try {
      if (kind === 'memfs') trees[i] = snapshotTree(fs);
      if (kind === 'opfs') fs.dispose();
    } catch (e) {
      result.error ??= errorData(e);
    }
  }
  channel.send('$done', { ...result, trees });
}

async function runHere({ plan, modules, config, stdin, kinds, preopens }, channel, opened) {
  const call = (op, args) => channel.call(op, args);
  const stdinSource = stdin.remote
    ? {
        read: (n) => call('stdin.read', { n }),
        ready: () => call('stdin.ready'),
        waitSync: (ms) => call('stdin.wait', { ms: Number.isFinite(ms) ? ms : null }),
      }
    : stdin.bytes;
  const sink = (which) => ({
    write: (bytes) => channel.send(which, bytes.slice()),
    // A WritableStream's flush waits for the page; a callback has nothing to wait for.
    flush: kinds[which] === 'stream' ? () => call('flush', { which }) : undefined,
  });
  const pre = {};
  for (let i = 0; i < preopens.length; i++) {
    const p = preopens[i];
    let fs;
    if (p.kind === 'memfs') fs = memfs(p.tree);
    else if (p.kind === 'node') fs = nodeDir(p.path);
    else if (p.kind === 'opfs') fs = await opfs(p.grant);
    else throw new Error(`compoly worker: unknown preopen kind '${p.kind}'`);
    opened[i] = { kind: p.kind, fs };
    pre[p.guest] = { fs, readonly: p.readonly };
  }
  const host = new WasiHost({ ...stripUndefined(config), stdin: stdinSource, stdout: sink('stdout'), stderr: sink('stderr'), preopens: pre });
  const component = new Component(new Uint8Array(0), plan, modules);
  const { exports } = await instantiate(component, remoteHttpImports(channel, host.imports()));
  const name = Object.keys(exports).find((k) => k.startsWith('wasi:cli/run@') || k === 'wasi:cli/run');
  if (!name) {
    const names = plan.exports.map((e) => e.name).join(', ') || 'none';
    throw new TypeError(`compoly run: the component does not export wasi:cli/run (its exports: ${names})`);
  }
  let exitCode;
  try {
    exports[name].run();
    exitCode = 0;
  } catch (e) {
    if (e instanceof ExitSignal) exitCode = e.exitCode;
    else if (e instanceof ComponentError) exitCode = 1;
    else throw e;
  }
  return { exitCode };
}

function stripUndefined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
