// OPFS backend: a directory of the origin private file system as a preopen.
//
//   const data = await opfs('data');          // 'data' under the OPFS root (made if missing)
//   await run(component, { preopens: { '/data': data } });
//
// filesystem.js calls a backend synchronously (path resolution, sandbox and
// permissions live there, once for all backends), while OPFS is asynchronous
// except for a file's FileSystemSyncAccessHandle, which only workers have.
// So there are two backends behind opfs():
//
// - On a page's main thread (the JSPI and sync paths): `OpfsFs`, a mirror.
//   opfs() reads the directory into memory (getFile), the guest works on
//   that copy through the memfs code, and the changes are written back with
//   createWritable/removeEntry by `flush()` — which run() awaits when the
//   guest returns, and which a guest's sync/sync-data starts in the
//   background. Symlinks and hard links are refused (OPFS has none).
// - In a worker (the worker path): `OpfsSyncFs`. Every operation is done at
//   once, persistently, by an OPFS agent worker (worker-opfs.js) that keeps
//   a FileSystemSyncAccessHandle per open file; this worker waits for it on
//   Atomics.wait (worker-channel.js). Directory operations in OPFS are async
//   even in workers, which is why a second thread does them.
//
// Both persist across reloads: it is the browser's own storage.
import { FsError } from './fs-errors.js';
import { MemFs } from './fs-memory.js';
import { concat } from './io.js';
import { ChannelClient, channelBuffer, closeChannel } from './worker-channel.js';

let nextFsId = 3_000_000;

function requireOpfs() {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.getDirectory !== 'function') {
    throw new Error('compoly wasi: this engine has no origin private file system (navigator.storage.getDirectory)');
  }
  return storage;
}

async function opfsRoot() {
  return requireOpfs().getDirectory();
}

/** The directory handle for `name` ('a/b' nests) under the OPFS root, made when missing. */
export async function opfsDirectory(name, create = true) {
  let dir = await opfsRoot();
  for (const seg of String(name).split('/').filter(Boolean)) {
    if (seg === '.' || seg === '..') throw new TypeError(`compoly wasi: bad OPFS directory name '${name}'`);
    dir = await dir.getDirectoryHandle(seg, { create });
  }
  return dir;
}

/** Whether this thread may block (a worker): then OPFS goes through the agent. */
function canBlock() {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return typeof globalThis.document === 'undefined';
  } catch {
    return false;
  }
}

/**
 * A directory of the origin private file system as a preopen backend.
 * @param {string | OpfsGrant} name the directory under the OPFS root ('a/b' nests; made when
 *   missing), or, in a worker, the `grant` of an agent that opfsForWorker started elsewhere
 * @param {{ mode?: 'auto' | 'mirror' | 'agent' }} [options] auto: the agent in a worker, the mirror elsewhere
 */
export async function opfs(name, options = {}) {
  if (isGrant(name)) return opfsOverGrant(name);
  checkDirectoryName(name, 'opfs(name)');
  const mode = options.mode ?? 'auto';
  if (mode === 'agent' || (mode === 'auto' && canBlock())) return openOpfsInWorker(name);
  return OpfsFs.open(name);
}

/**
 * @typedef {{ kind: 'opfs-agent', name: string, sab: SharedArrayBuffer, port: MessagePort }} OpfsGrant
 */

/**
 * Starts the OPFS agent for directory `name` on this thread, for `opfs()` in a worker of yours:
 *
 *   const share = await opfsForWorker('data');          // on the page
 *   worker.postMessage({ data: share.grant }, share.transfer);
 *   const data = await opfs(event.data.data);           // in the worker
 *   share.close();                                      // on the page, when the worker is done
 *
 * `opfs('data')` in the worker would start the agent from the worker itself, and in Firefox a
 * worker that starts a worker of its own sometimes never gets past `new Worker()`.
 * @returns {Promise<{ grant: OpfsGrant, transfer: Transferable[], close(): void }>}
 */
export async function opfsForWorker(name) {
  checkDirectoryName(name, 'opfsForWorker(name)');
  const { sab, port, worker } = await startOpfsAgent(name);
  const close = () => {
    // A worker still using the grant then gets an error rather than waiting for ever.
    closeChannel(sab);
    worker.terminate();
  };
  return { grant: { kind: 'opfs-agent', name, sab, port }, transfer: [port], close };
}

function checkDirectoryName(name, call) {
  if (typeof name !== 'string' || !name.split('/').some(Boolean)) throw new TypeError(`compoly wasi: ${call} needs a directory name`);
}

function isGrant(value) {
  return typeof value === 'object' && value !== null && value.kind === 'opfs-agent';
}

function opfsOverGrant(grant) {
  const { name, sab, port } = grant;
  if (typeof name !== 'string' || !(sab instanceof SharedArrayBuffer) || typeof port?.postMessage !== 'function') {
    throw new TypeError('compoly wasi: opfs(grant) needs the grant of opfsForWorker(name) as it arrived: { kind, name, sab, port } (was the port transferred?)');
  }
  if (!canBlock()) {
    throw new TypeError(`compoly wasi: opfs(grant) is for a worker, which may block while the agent works; on this thread use opfs('${name}')`);
  }
  return opfsOverAgent(name, sab, port);
}

// ---- the mirror (main thread) ------------------------------------------------------------

/** Whether this engine can write a mirror back (createWritable: Chromium, Firefox, not every Safari). */
export function mirrorCanWrite() {
  return typeof globalThis.FileSystemFileHandle?.prototype?.createWritable === 'function';
}

/**
 * Refuses, before the guest runs, a writable mirror that could not be written back: its
 * changes would be lost at the end of the run.
 */
export function checkMirrorsWritable(preopens) {
  if (mirrorCanWrite()) return;
  for (const [guest, fs, readonly] of preopens) {
    if (readonly || !(fs instanceof OpfsFs)) continue;
    throw new Error(
      `compoly wasi: preopen '${guest}' is an OPFS directory copied to this thread, whose changes are written back ` +
        'with FileSystemFileHandle.createWritable, which this engine lacks: run the component in a worker ' +
        "(run(…, { worker: true }) on a cross-origin isolated page), where OPFS is written through sync access handles, " +
        'or make the preopen read-only ({ fs, readonly: true })',
    );
  }
}

async function readTree(dir) {
  const tree = {};
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind === 'directory') tree[`${name}/`] = await readTree(handle);
    else tree[name] = new Uint8Array(await (await handle.getFile()).arrayBuffer());
  }
  return tree;
}

const sameBytes = (a, b) => {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

export class OpfsFs extends MemFs {
  #dir;
  #saved = new Map(); // path → bytes as last read from or written to OPFS
  #flushing = Promise.resolve();

  /** @internal use opfs(name) */
  constructor(name, dir, tree) {
    super(tree);
    this.kind = 'opfs';
    this.name = name;
    this.#dir = dir;
    this.#remember(tree, '');
  }

  static async open(name) {
    const dir = await opfsDirectory(name);
    return new OpfsFs(name, dir, await readTree(dir));
  }

  #remember(tree, prefix) {
    for (const [key, value] of Object.entries(tree)) {
      if (key.endsWith('/')) this.#remember(value, `${prefix}${key}`);
      else this.#saved.set(prefix + key, value);
    }
  }

  // OPFS has no links.
  symlink() {
    throw new FsError('unsupported', 'OPFS has no symbolic links');
  }
  link() {
    throw new FsError('unsupported', 'OPFS has no hard links');
  }

  open(node, options) {
    const handle = super.open(node, options);
    const sync = () => void this.flush().catch(() => {});
    return { ...handle, sync, syncData: sync };
  }

  /** Writes the changes since the last flush to OPFS. */
  flush() {
    this.#flushing = this.#flushing.catch(() => {}).then(() => this.#write(this.#dir, this.root, ''));
    return this.#flushing;
  }

  async #write(dir, node, prefix) {
    const present = new Map();
    for await (const [name, handle] of dir.entries()) present.set(name, handle.kind);
    for (const [name, kind] of present) {
      const child = node.entries.get(name);
      const want = child?.type === 'directory' ? 'directory' : child?.type === 'regular-file' ? 'file' : null;
      if (want !== kind) {
        await dir.removeEntry(name, { recursive: true });
        this.#forget(`${prefix}${name}`);
      }
    }
    for (const [name, child] of node.entries) {
      const path = `${prefix}${name}`;
      if (child.type === 'directory') {
        await this.#write(await dir.getDirectoryHandle(name, { create: true }), child, `${path}/`);
      } else if (child.type === 'regular-file') {
        const bytes = child.data.subarray(0, child.size);
        if (sameBytes(this.#saved.get(path), bytes) && present.get(name) === 'file') continue;
        const copy = bytes.slice();
        const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await writable.write(copy);
        await writable.close();
        this.#saved.set(path, copy);
      }
    }
  }

  #forget(path) {
    for (const key of [...this.#saved.keys()]) if (key === path || key.startsWith(`${path}/`)) this.#saved.delete(key);
  }

  /** Reads the directory again (after a worker changed it). */
  async reload() {
    await this.#flushing.catch(() => {});
    const tree = await readTree(this.#dir);
    const fresh = new MemFs(tree);
    this.root.entries = fresh.root.entries;
    for (const child of this.root.entries.values()) if (child.type === 'directory') child.parent = this.root;
    this.#saved.clear();
    this.#remember(tree, '');
  }
}

// ---- through the agent (workers) ----------------------------------------------------------

/** Spawns an OPFS agent for directory `name` and returns the sync backend over it. */
export async function openOpfsInWorker(name) {
  const { sab, port, worker } = await startOpfsAgent(name);
  return opfsOverAgent(name, sab, port, worker);
}

/**
 * Starts an OPFS agent for directory `name` as a worker of this thread and opens the
 * directory in it. A client talks to it through `port` and waits on `sab`.
 * @returns {Promise<{ sab: SharedArrayBuffer, port: MessagePort, worker: Worker }>}
 */
async function startOpfsAgent(name) {
  requireOpfs();
  const worker = new Worker(new URL('./worker-opfs.js', import.meta.url), { type: 'module' });
  const sab = channelBuffer();
  const failed = new Promise((_, reject) => {
    worker.addEventListener('error', (e) => reject(e.error ?? new Error(`compoly wasi: the OPFS agent failed: ${e.message}`)));
  });
  const started = new Promise((resolve, reject) => {
    worker.addEventListener('message', function once(e) {
      if (e.data?.op === '$ready') {
        worker.removeEventListener('message', once);
        resolve();
      } else if (e.data?.op === '$failed') reject(Object.assign(new Error(e.data.message), { name: e.data.name }));
    });
  });
  await Promise.race([started, failed]);
  const opened = new Promise((resolve, reject) => {
    worker.addEventListener('message', function once(e) {
      if (e.data?.op === '$opened') resolve();
      else if (e.data?.op === '$failed') reject(Object.assign(new Error(e.data.message), { name: e.data.name }));
    });
  });
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ op: '$open', sab, name, port: port1 }, [port1]);
  try {
    await Promise.race([opened, failed]);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  // An agent that fails later (an uncaught error) must not leave a client waiting on `sab`
  // for ever: the client then throws "the other side was closed".
  failed.catch(() => {});
  worker.addEventListener('error', () => {
    closeChannel(sab);
    worker.terminate();
  });
  return { sab, port: port2, worker };
}

/**
 * The sync backend over an agent that startOpfsAgent started, for a thread that may block.
 * `worker`, when given, is the agent's worker, ended with the backend (dispose).
 */
function opfsOverAgent(name, sab, port, worker = null) {
  const client = new ChannelClient(sab, (m, t) => port.postMessage(m, t));
  client.reviveError = (data) => (data.payload ? new FsError(data.payload, data.message) : Object.assign(new Error(data.message), data));
  return new OpfsSyncFs(name, client, worker);
}

function hashPath(path) {
  // FNV-1a, 64-bit: a stable identity for a path (OPFS has no inode numbers).
  let h = 0xcbf29ce484222325n;
  for (const c of new TextEncoder().encode(path)) h = BigInt.asUintN(64, (h ^ BigInt(c)) * 0x100000001b3n);
  return h;
}

const WRITE_BATCH = 1 << 20;
const READ_AHEAD = 1 << 20;

export class OpfsSyncFs {
  #client;
  #worker;
  /** @internal use opfs(name) in a worker */
  constructor(name, client, worker) {
    this.id = nextFsId++;
    this.kind = 'opfs';
    this.name = name;
    this.root = '';
    this.#client = client;
    this.#worker = worker;
  }
  // Consecutive writes to one file are gathered (up to WRITE_BATCH bytes)
  // and sent to the agent as one: the preview1 adapter writes in 4 KiB
  // pieces, and every agent round trip and every access-handle write costs
  // about half a millisecond. Any other operation, and the end of the run
  // (dispose), sends what is pending first, so every reader sees it; an
  // error of a gathered write surfaces from that next operation.
  #pending = null;

  #flush() {
    const p = this.#pending;
    if (!p) return;
    this.#pending = null;
    this.#client.call('write', { h: p.h, bytes: concat(p.parts), pos: p.pos });
  }

  // Reads fetch READ_AHEAD bytes at once and serve the next sequential
  // reads of the same file from them; any other operation drops them.
  #readAhead = null;

  #read(h, len, pos) {
    const c = this.#readAhead;
    if (c && c.h === h && pos >= c.pos) {
      const from = pos - c.pos;
      if (from + len <= c.bytes.length || (c.eof && from <= c.bytes.length)) {
        return c.bytes.slice(from, Math.min(from + len, c.bytes.length));
      }
    }
    this.#flush();
    const want = Math.max(len, READ_AHEAD);
    const bytes = this.#client.call('read', { h, len: want, pos });
    this.#readAhead = { h, pos, bytes, eof: bytes.length < want };
    return bytes.length > len ? bytes.slice(0, len) : bytes;
  }

  #write(h, bytes, pos) {
    this.#readAhead = null;
    const p = this.#pending;
    if (p && p.h === h && p.pos + p.length === pos && p.length + bytes.length <= WRITE_BATCH) {
      p.parts.push(bytes.slice());
      p.length += bytes.length;
      return bytes.length;
    }
    this.#flush();
    if (bytes.length >= WRITE_BATCH) return this.#client.call('write', { h, bytes, pos });
    this.#pending = { h, pos, parts: [bytes.slice()], length: bytes.length };
    return bytes.length;
  }

  #call(op, args) {
    this.#readAhead = null;
    this.#flush();
    return this.#client.call(op, args);
  }
  #join(dir, name) {
    return dir === '' ? name : `${dir}/${name}`;
  }

  lstat(node) {
    const s = this.#call('lstat', { path: node });
    const mtime = BigInt(s.mtime);
    return { type: s.type, size: BigInt(s.size), ino: hashPath(node), nlink: 1n, atime: BigInt(s.atime), mtime, ctime: mtime };
  }
  ino(node) {
    return hashPath(node);
  }
  lookup(dir, name) {
    const path = this.#join(dir, name);
    return this.#call('lookup', { path }) ? path : null;
  }
  readlink() {
    throw new FsError('invalid');
  }
  readdir(dir) {
    return this.#call('readdir', { path: dir });
  }
  mkdir(dir, name) {
    const path = this.#join(dir, name);
    this.#call('mkdir', { path });
    return path;
  }
  createFile(dir, name) {
    const path = this.#join(dir, name);
    this.#call('create', { path });
    return path;
  }
  symlink() {
    throw new FsError('unsupported', 'OPFS has no symbolic links');
  }
  link() {
    throw new FsError('unsupported', 'OPFS has no hard links');
  }
  unlink(dir, name) {
    this.#call('unlink', { path: this.#join(dir, name) });
  }
  rmdir(dir, name) {
    this.#call('rmdir', { path: this.#join(dir, name) });
  }
  rename(fromDir, fromName, toDir, toName) {
    this.#call('rename', { from: this.#join(fromDir, fromName), to: this.#join(toDir, toName) });
  }
  setTimes(node, atime, mtime) {
    // OPFS keeps only its own modification time: the agent remembers what was set while it runs.
    const wire = (t) => (t === null || t === 'now' ? t : String(t));
    this.#call('setTimes', { path: node, atime: wire(atime), mtime: wire(mtime) });
  }
  open(node, { write }) {
    const h = this.#call('open', { path: node, write: !!write });
    const call = (op, args) => this.#call(op, { h, ...args });
    let closed = false;
    return {
      read: (len, pos) => this.#read(h, len, pos),
      write: (bytes, pos) => this.#write(h, bytes, pos),
      size: () => call('size'),
      truncate: (size) => call('truncate', { size }),
      sync: () => call('flush'),
      close: () => {
        if (!closed) {
          closed = true;
          call('close');
        }
      },
    };
  }

  /** Closes every handle the agent holds, and ends the agent if this backend owns it. */
  dispose() {
    try {
      this.#call('closeAll');
    } finally {
      this.#worker?.terminate();
    }
  }
}
