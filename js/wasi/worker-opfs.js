// The OPFS agent: a module worker that does the OPFS operations for a
// component running synchronously in another worker (fs-opfs.js's
// OpfsSyncFs), which waits on Atomics.wait for each answer
// (worker-channel.js). Directory operations use the async File System API;
// open files are FileSystemSyncAccessHandles, read and written
// synchronously here. Paths are relative to the preopened directory, '' is
// the directory itself; they were resolved and checked by filesystem.js.
import { serveChannel } from './worker-channel.js';

const fsError = (code, message) => Object.assign(new Error(message ?? code), { name: 'FsError', payload: code });

/** A DOMException from OPFS as a wasi:filesystem error-code. */
function mapError(e, context) {
  if (e?.payload) return e;
  switch (e?.name) {
    case 'NotFoundError':
      return fsError('no-entry', e.message);
    case 'TypeMismatchError':
      return fsError(context === 'dir' ? 'not-directory' : 'is-directory', e.message);
    case 'InvalidModificationError':
      return fsError('not-empty', e.message);
    case 'NoModificationAllowedError':
      return fsError('busy', e.message);
    case 'QuotaExceededError':
      return fsError('insufficient-space', e.message);
    case 'NotAllowedError':
    case 'SecurityError':
      return fsError('access', e.message);
    case 'InvalidStateError':
      return fsError('bad-descriptor', e.message);
    default:
      return fsError('io', `${e?.name ?? 'Error'}: ${e?.message ?? e}`);
  }
}

let root = null;
const files = new Map(); // handle id → { path, access, refs }
const byPath = new Map(); // path → handle id
// Times a guest set (OPFS keeps only its own modification time): path → { atime, mtime } in ns,
// as decimal strings; kept while the agent lives.
const times = new Map();
const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();
const msToNs = (ms) => (BigInt(Math.round(ms)) * 1_000_000n).toString();

function withTimes(path, stat) {
  const t = times.get(path);
  const mtime = t?.mtime ?? stat.mtime;
  return { ...stat, mtime, atime: t?.atime ?? mtime };
}

function touch(path) {
  const t = times.get(path);
  if (t) t.mtime = nowNs();
}

function moveTimes(from, to) {
  for (const [key, t] of [...times]) {
    if (key === from || key.startsWith(`${from}/`)) {
      times.delete(key);
      if (to !== null) times.set(to + key.slice(from.length), t);
    }
  }
}
let nextHandle = 1;

const split = (path) => path.split('/').filter(Boolean);
const parentPath = (path) => split(path).slice(0, -1).join('/');
const baseName = (path) => split(path).at(-1);

async function dirAt(path) {
  let dir = root;
  for (const seg of split(path)) dir = await dir.getDirectoryHandle(seg);
  return dir;
}

/** { kind, handle, parent } of the entry at `path`, or null when there is none. */
async function entryAt(path) {
  if (path === '') return { kind: 'directory', handle: root, parent: null };
  const parent = await dirAt(parentPath(path));
  const name = baseName(path);
  try {
    return { kind: 'file', handle: await parent.getFileHandle(name), parent };
  } catch (e) {
    if (e?.name === 'NotFoundError') return null;
    if (e?.name !== 'TypeMismatchError') throw e;
  }
  return { kind: 'directory', handle: await parent.getDirectoryHandle(name), parent };
}

async function mustExist(path) {
  const e = await entryAt(path);
  if (!e) throw fsError('no-entry');
  return e;
}

function record(h) {
  const r = files.get(h);
  if (!r) throw fsError('bad-descriptor');
  return r;
}

/** Closes the access handles at or under `path` (a rename or removal needs the lock); returns them to reopen. */
function release(path) {
  const moved = [];
  for (const [h, r] of files) {
    if (r.path === path || r.path.startsWith(`${path}/`)) {
      r.access?.close();
      r.access = null;
      byPath.delete(r.path);
      moved.push(h);
    }
  }
  return moved;
}

async function reopen(h) {
  const r = files.get(h);
  const { handle } = await mustExist(r.path);
  r.access = await handle.createSyncAccessHandle();
  byPath.set(r.path, h);
}

async function copyInto(entry, toParent, toName) {
  if (entry.kind === 'file') {
    const bytes = new Uint8Array(await (await entry.handle.getFile()).arrayBuffer());
    const target = await (await toParent.getFileHandle(toName, { create: true })).createSyncAccessHandle();
    try {
      target.truncate(0);
      target.write(bytes, { at: 0 });
      target.flush();
    } finally {
      target.close();
    }
    return;
  }
  const dir = await toParent.getDirectoryHandle(toName, { create: true });
  for await (const [name, handle] of entry.handle.entries()) await copyInto({ kind: handle.kind, handle }, dir, name);
}

const ops = {
  async lookup({ path }) {
    return (await entryAt(path)) !== null;
  },
  async lstat({ path }) {
    const e = await mustExist(path);
    if (e.kind === 'directory') return withTimes(path, { type: 'directory', size: 0, mtime: '0' });
    const open = byPath.get(path);
    if (open !== undefined && files.get(open).access) {
      const r = files.get(open);
      return withTimes(path, { type: 'regular-file', size: r.access.getSize(), mtime: msToNs(r.mtime ?? Date.now()) });
    }
    const file = await e.handle.getFile();
    return withTimes(path, { type: 'regular-file', size: file.size, mtime: msToNs(file.lastModified) });
  },
  async setTimes({ path, atime, mtime }) {
    const stat = await ops.lstat({ path });
    const t = times.get(path) ?? { atime: stat.atime, mtime: stat.mtime };
    if (atime !== null) t.atime = atime === 'now' ? nowNs() : atime;
    if (mtime !== null) t.mtime = mtime === 'now' ? nowNs() : mtime;
    times.set(path, t);
  },
  async readdir({ path }) {
    const e = await mustExist(path);
    if (e.kind !== 'directory') throw fsError('not-directory');
    const out = [];
    for await (const [name, handle] of e.handle.entries()) out.push({ name, type: handle.kind === 'directory' ? 'directory' : 'regular-file' });
    return out;
  },
  async mkdir({ path }) {
    if (await entryAt(path)) throw fsError('exist');
    await (await dirAt(parentPath(path))).getDirectoryHandle(baseName(path), { create: true });
  },
  async create({ path }) {
    if (await entryAt(path)) throw fsError('exist');
    await (await dirAt(parentPath(path))).getFileHandle(baseName(path), { create: true });
  },
  async unlink({ path }) {
    const e = await mustExist(path);
    if (e.kind === 'directory') throw fsError('is-directory');
    for (const h of release(path)) files.get(h).removed = true;
    await e.parent.removeEntry(baseName(path));
    moveTimes(path, null);
  },
  async rmdir({ path }) {
    const e = await mustExist(path);
    if (e.kind !== 'directory') throw fsError('not-directory');
    for await (const _ of e.handle.keys()) throw fsError('not-empty');
    await e.parent.removeEntry(baseName(path));
    moveTimes(path, null);
  },
  async rename({ from, to }) {
    const src = await mustExist(from);
    if (from === to) return;
    if (src.kind === 'directory' && (to === from || to.startsWith(`${from}/`))) throw fsError('invalid');
    const dst = await entryAt(to);
    if (dst) {
      if (src.kind === 'directory' && dst.kind !== 'directory') throw fsError('not-directory');
      if (src.kind !== 'directory' && dst.kind === 'directory') throw fsError('is-directory');
      if (dst.kind === 'directory') {
        for await (const _ of dst.handle.keys()) throw fsError('not-empty');
      }
      for (const h of release(to)) files.get(h).removed = true;
      await dst.parent.removeEntry(baseName(to));
    }
    const moved = release(from);
    const toParent = await dirAt(parentPath(to));
    let done = false;
    if (typeof src.handle.move === 'function') {
      try {
        await src.handle.move(toParent, baseName(to));
        done = true;
      } catch (e) {
        if (e?.name !== 'NotSupportedError' && e?.name !== 'InvalidModificationError' && e?.name !== 'TypeError') throw e;
      }
    }
    if (!done) {
      await copyInto(src, toParent, baseName(to));
      await src.parent.removeEntry(baseName(from), { recursive: true });
    }
    moveTimes(to, null);
    moveTimes(from, to);
    for (const h of moved) {
      const r = files.get(h);
      r.path = to + r.path.slice(from.length);
      await reopen(h);
    }
  },
  async open({ path }) {
    const existing = byPath.get(path);
    if (existing !== undefined) {
      files.get(existing).refs++;
      return existing;
    }
    const e = await mustExist(path);
    if (e.kind !== 'file') throw fsError('is-directory');
    const access = await e.handle.createSyncAccessHandle();
    const h = nextHandle++;
    files.set(h, { path, access, refs: 1, mtime: null });
    byPath.set(path, h);
    return h;
  },
  read({ h, len, pos }) {
    const r = record(h);
    if (!r.access) throw fsError('bad-descriptor', 'the file was removed');
    const size = r.access.getSize();
    if (pos >= size) return new Uint8Array(0);
    const buf = new Uint8Array(Math.min(len, size - pos));
    const n = r.access.read(buf, { at: pos });
    return n === buf.length ? buf : buf.subarray(0, n);
  },
  write({ h, bytes, pos }) {
    const r = record(h);
    if (!r.access) throw fsError('bad-descriptor', 'the file was removed');
    const size = r.access.getSize();
    if (pos > size) r.access.truncate(pos); // (zero-fills the gap)
    let done = 0;
    while (done < bytes.length) done += r.access.write(bytes.subarray(done), { at: pos + done });
    r.mtime = Date.now();
    touch(r.path);
    return done;
  },
  size({ h }) {
    const r = record(h);
    return r.access ? r.access.getSize() : 0;
  },
  truncate({ h, size }) {
    const r = record(h);
    if (!r.access) throw fsError('bad-descriptor', 'the file was removed');
    r.access.truncate(size);
    r.mtime = Date.now();
    touch(r.path);
  },
  flush({ h }) {
    record(h).access?.flush();
  },
  close({ h }) {
    const r = files.get(h);
    if (!r || --r.refs > 0) return;
    r.access?.flush();
    r.access?.close();
    files.delete(h);
    if (byPath.get(r.path) === h) byPath.delete(r.path);
  },
  closeAll() {
    for (const r of files.values()) {
      try {
        r.access?.flush();
        r.access?.close();
      } catch {
        /* already closed */
      }
    }
    files.clear();
    byPath.clear();
  },
};

self.addEventListener('message', async (event) => {
  const m = event.data;
  if (m?.op === '$open') {
    try {
      let dir = await navigator.storage.getDirectory();
      for (const seg of split(m.name)) dir = await dir.getDirectoryHandle(seg, { create: true });
      root = dir;
      const receive = serveChannel(m.sab, async (op, args) => {
        const fn = ops[op];
        if (!fn) throw new Error(`compoly OPFS agent: unknown operation '${op}'`);
        try {
          return await fn(args ?? {});
        } catch (e) {
          throw mapError(e, op === 'readdir' || op === 'rmdir' ? 'dir' : 'file');
        }
      });
      // Requests come through the port the caller sent: that may be another thread than
      // the one that started this agent (run() starts it on the page for its worker).
      m.port.onmessage = (e) => receive(e.data);
      self.postMessage({ op: '$opened' });
    } catch (e) {
      self.postMessage({ op: '$failed', name: e?.name, message: e?.message ?? String(e) });
    }
  }
});
self.postMessage({ op: '$ready' });
