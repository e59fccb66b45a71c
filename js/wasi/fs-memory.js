// In-memory filesystem backend: memfs(tree).
//
// tree: { 'name.txt': 'text' | Uint8Array, 'dir': { ...tree }, 'empty/': null,
//         'a/b/c.txt': 'nested paths make their directories' }
//
// A backend works on opaque nodes; filesystem.js does path resolution,
// permissions and the WASI surface over any backend (see the interface
// documented there).
import { FsError } from './fs-errors.js';

let nextFsId = 1;
const encoder = new TextEncoder();

function nowNs() {
  const ms = globalThis.performance?.timeOrigin ? performance.timeOrigin + performance.now() : Date.now();
  return BigInt(Math.round(ms * 1e6));
}

export class MemFs {
  #ino = 1n;
  constructor(tree = {}) {
    this.id = nextFsId++;
    this.kind = 'memfs';
    this.root = this.#node('directory');
    this.root.parent = this.root;
    populate(this, this.root, tree);
  }

  #node(type, extra = {}) {
    const t = nowNs();
    const node = { type, ino: this.#ino++, nlink: 1n, atime: t, mtime: t, ctime: t, ...extra };
    if (type === 'directory') node.entries = new Map();
    if (type === 'regular-file') {
      node.data ??= new Uint8Array(0);
      node.size ??= node.data.length;
    }
    return node;
  }

  #touch(dir) {
    dir.mtime = dir.ctime = nowNs();
  }

  // ---- the backend interface ----
  lstat(node) {
    return {
      type: node.type,
      size: node.type === 'regular-file' ? BigInt(node.size) : node.type === 'symbolic-link' ? BigInt(encoder.encode(node.target).length) : 4096n,
      ino: node.ino,
      nlink: node.type === 'directory' ? 2n : node.nlink,
      atime: node.atime,
      mtime: node.mtime,
      ctime: node.ctime,
    };
  }
  ino(node) {
    return node.ino;
  }
  lookup(dir, name) {
    return dir.entries.get(name) ?? null;
  }
  parentOf(dir) {
    return dir.parent;
  }
  readlink(node) {
    if (node.type !== 'symbolic-link') throw new FsError('invalid');
    return node.target;
  }
  readdir(dir) {
    dir.atime = nowNs();
    return [...dir.entries].map(([name, node]) => ({ name, type: node.type }));
  }
  mkdir(dir, name) {
    if (dir.entries.has(name)) throw new FsError('exist');
    const node = this.#node('directory', { parent: dir });
    dir.entries.set(name, node);
    this.#touch(dir);
    return node;
  }
  createFile(dir, name) {
    if (dir.entries.has(name)) throw new FsError('exist');
    const node = this.#node('regular-file');
    dir.entries.set(name, node);
    this.#touch(dir);
    return node;
  }
  symlink(dir, name, target) {
    if (dir.entries.has(name)) throw new FsError('exist');
    dir.entries.set(name, this.#node('symbolic-link', { target }));
    this.#touch(dir);
  }
  link(node, dir, name) {
    if (node.type === 'directory') throw new FsError('not-permitted');
    if (dir.entries.has(name)) throw new FsError('exist');
    dir.entries.set(name, node);
    node.nlink++;
    node.ctime = nowNs();
    this.#touch(dir);
  }
  unlink(dir, name) {
    const node = dir.entries.get(name);
    if (!node) throw new FsError('no-entry');
    if (node.type === 'directory') throw new FsError('is-directory');
    dir.entries.delete(name);
    node.nlink--;
    this.#touch(dir);
  }
  rmdir(dir, name) {
    const node = dir.entries.get(name);
    if (!node) throw new FsError('no-entry');
    if (node.type !== 'directory') throw new FsError('not-directory');
    if (node.entries.size) throw new FsError('not-empty');
    dir.entries.delete(name);
    this.#touch(dir);
  }
  rename(fromDir, fromName, toDir, toName) {
    const node = fromDir.entries.get(fromName);
    if (!node) throw new FsError('no-entry');
    const target = toDir.entries.get(toName);
    if (target === node) return;
    if (node.type === 'directory') {
      // Not into itself or a descendant.
      for (let d = toDir; ; d = d.parent) {
        if (d === node) throw new FsError('invalid');
        if (d.parent === d) break;
      }
      if (target && target.type !== 'directory') throw new FsError('not-directory');
      if (target && target.entries.size) throw new FsError('not-empty');
    } else if (target?.type === 'directory') {
      throw new FsError('is-directory');
    }
    fromDir.entries.delete(fromName);
    toDir.entries.set(toName, node);
    if (node.type === 'directory') node.parent = toDir;
    node.ctime = nowNs();
    this.#touch(fromDir);
    this.#touch(toDir);
  }
  setTimes(node, atime, mtime) {
    const t = nowNs();
    if (atime !== null) node.atime = atime === 'now' ? t : atime;
    if (mtime !== null) node.mtime = mtime === 'now' ? t : mtime;
    node.ctime = t;
  }
  open(node) {
    // A handle over the node: reads and writes go to its data directly.
    return {
      read(len, pos) {
        node.atime = nowNs();
        if (pos >= node.size) return new Uint8Array(0);
        return node.data.slice(pos, Math.min(node.size, pos + len));
      },
      write(bytes, pos) {
        const end = pos + bytes.length;
        if (end > node.data.length) {
          const grown = new Uint8Array(Math.max(end, node.data.length * 2, 64));
          grown.set(node.data.subarray(0, node.size));
          node.data = grown;
        }
        if (pos > node.size) node.data.fill(0, node.size, pos);
        node.data.set(bytes, pos);
        if (end > node.size) node.size = end;
        node.mtime = node.ctime = nowNs();
        return bytes.length;
      },
      size: () => node.size,
      truncate(size) {
        if (size > node.data.length) {
          const grown = new Uint8Array(size);
          grown.set(node.data.subarray(0, node.size));
          node.data = grown;
        } else if (size > node.size) {
          node.data.fill(0, node.size, size);
        }
        node.size = size;
        node.mtime = node.ctime = nowNs();
      },
      sync() {},
      close() {},
    };
  }

  /** Reads a file's bytes by path (for tests and hosts). */
  readFile(path) {
    let node = this.root;
    for (const seg of path.split('/').filter(Boolean)) {
      node = node.type === 'directory' ? node.entries.get(seg) : undefined;
      if (!node) throw new FsError('no-entry', `memfs: no such file '${path}'`);
    }
    if (node.type !== 'regular-file') throw new FsError('is-directory', `memfs: '${path}' is not a file`);
    return node.data.slice(0, node.size);
  }

  /** The tree as plain data: files as strings (UTF-8) or bytes, directories as objects. */
  toJSON(node = this.root) {
    const out = {};
    for (const [name, child] of node.entries) {
      if (child.type === 'directory') out[name] = this.toJSON(child);
      else if (child.type === 'regular-file') out[name] = new TextDecoder().decode(child.data.subarray(0, child.size));
      else out[name] = { symlink: child.target };
    }
    return out;
  }
}

function populate(fs, dir, tree) {
  for (const [key, value] of Object.entries(tree ?? {})) {
    const isDir = key.endsWith('/') || (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer) && !('symlink' in value));
    const segs = key.split('/').filter(Boolean);
    if (!segs.length) throw new TypeError(`memfs: bad entry name '${key}'`);
    let d = dir;
    for (const seg of segs.slice(0, -1)) {
      if (seg === '.' || seg === '..') throw new TypeError(`memfs: bad entry name '${key}'`);
      d = d.entries.get(seg) ?? fs.mkdir(d, seg);
      if (d.type !== 'directory') throw new TypeError(`memfs: '${key}' goes through a file`);
    }
    const name = segs[segs.length - 1];
    if (name === '.' || name === '..') throw new TypeError(`memfs: bad entry name '${key}'`);
    if (isDir) {
      const sub = d.entries.get(name) ?? fs.mkdir(d, name);
      populate(fs, sub, value ?? {});
    } else if (value !== null && typeof value === 'object' && 'symlink' in value) {
      fs.symlink(d, name, String(value.symlink));
    } else {
      const node = fs.createFile(d, name);
      const bytes = typeof value === 'string' ? encoder.encode(value) : value instanceof ArrayBuffer ? new Uint8Array(value) : value == null ? new Uint8Array(0) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
      node.data = bytes;
      node.size = bytes.length;
    }
  }
}

/** An in-memory directory tree to give a guest as a preopen. */
export function memfs(tree = {}) {
  return new MemFs(tree);
}
