// wasi:filesystem — types and preopens over pluggable backends.
//
// A backend (fs-memory.js, fs-node.js; OPFS later) works on opaque nodes:
//   root                                  the preopened directory's node
//   lstat(node) -> { type, size, ino, nlink, atime, mtime, ctime }   (BigInt ns times)
//   ino(node) -> bigint                   identity, for is-same-object and metadata-hash
//   lookup(dir, name) -> node | null      one component, no symlink following
//   readlink(node), readdir(dir) -> [{ name, type }]
//   mkdir(dir, name), createFile(dir, name) -> node, symlink(dir, name, target),
//   link(node, dir, name), unlink(dir, name), rmdir(dir, name),
//   rename(dir, name, dir2, name2), setTimes(node, atime, mtime)  (null | 'now' | bigint ns)
//   open(node, { write }) -> { read(len, pos), write(bytes, pos), size(), truncate(n), sync(), syncData?(), close() }
// Backends throw FsError (or Node system errors, mapped by errno).
//
// Everything about the sandbox lives here, once for all backends: paths are
// resolved one component at a time from the descriptor's directory, `..`
// may not leave it, absolute paths and absolute symlink targets are refused
// (not-permitted), and a read-only preopen refuses every mutation (read-only).
import { FsError, errorCode, toFsError } from './fs-errors.js';
import { IoError, InputStream, OutputStream, streamFailed } from './io.js';
import { MemFs } from './fs-memory.js';
import { NodeFs } from './fs-node.js';

const MAX_SYMLINKS = 40;
const STREAM_CAPACITY = 1 << 20;

function fsCall(fn) {
  try {
    return fn();
  } catch (e) {
    throw toFsError(e);
  }
}

const datetime = (ns) => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });

function statRecord(s) {
  return {
    type: s.type,
    linkCount: BigInt(s.nlink),
    size: BigInt(s.size),
    dataAccessTimestamp: s.atime === undefined ? undefined : datetime(BigInt(s.atime)),
    dataModificationTimestamp: s.mtime === undefined ? undefined : datetime(BigInt(s.mtime)),
    statusChangeTimestamp: s.ctime === undefined ? undefined : datetime(BigInt(s.ctime)),
  };
}

function newTimestamp(t) {
  switch (t?.tag) {
    case 'no-change':
      return null;
    case 'now':
      return 'now';
    case 'timestamp':
      return BigInt(t.val.seconds) * 1_000_000_000n + BigInt(t.val.nanoseconds);
    default:
      throw new TypeError(`bad new-timestamp ${JSON.stringify(t)}`);
  }
}

// 64-bit mix for metadata hashes (not cryptographic; stable per object).
function mix64(x) {
  x = BigInt.asUintN(64, x);
  x = BigInt.asUintN(64, (x ^ (x >> 33n)) * 0xff51afd7ed558ccdn);
  x = BigInt.asUintN(64, (x ^ (x >> 33n)) * 0xc4ceb9fe1a85ec53n);
  return x ^ (x >> 33n);
}

/** An open file shared by a descriptor and the streams made from it; closed when the last user lets go. */
class FileHandle {
  constructor(handle) {
    this.handle = handle;
    this.refs = 1;
  }
  retain() {
    this.refs++;
    return this;
  }
  release() {
    if (--this.refs === 0) this.handle.close();
  }
}

export class DirectoryEntryStream {
  #entries;
  #i = 0;
  constructor(entries) {
    this.#entries = entries;
  }
  readDirectoryEntry() {
    if (this.#i >= this.#entries.length) return undefined;
    const e = this.#entries[this.#i++];
    return { type: e.type, name: e.name };
  }
}

export class Descriptor {
  #fs;
  #node;
  #file; // FileHandle for files
  #flags;
  #readonly;

  /** @internal */
  constructor(fs, node, flags, readonly, file = null) {
    this.#fs = fs;
    this.#node = node;
    this.#flags = flags;
    this.#readonly = readonly;
    this.#file = file;
  }

  /** A descriptor for a backend's root directory (a preopen). */
  static preopen(fs, readonly = false) {
    return new Descriptor(fs, fs.root, { read: true, mutateDirectory: !readonly }, readonly);
  }

  // ---- helpers ----
  #isDir() {
    return this.#file === null;
  }
  #needDir() {
    if (!this.#isDir()) throw new FsError('not-directory');
  }
  #needFile() {
    if (this.#isDir()) throw new FsError('is-directory');
  }
  #needMutate() {
    if (this.#readonly) throw new FsError('read-only');
    if (!this.#flags.mutateDirectory) throw new FsError('not-permitted');
  }
  #needWrite() {
    if (this.#readonly) throw new FsError('read-only');
    if (!this.#flags.write) throw new FsError('bad-descriptor');
  }
  #needRead() {
    if (!this.#flags.read) throw new FsError('bad-descriptor');
  }

  /**
   * Resolves `path` relative to this directory.
   * @returns {{ parent: any, name: string, node: any, stack: any[] }} node is null when the last component does not exist
   */
  #resolve(path, follow) {
    this.#needDir();
    if (typeof path !== 'string' || path.length === 0) throw new FsError('no-entry');
    if (path.includes('\0')) throw new FsError('invalid');
    if (path.startsWith('/')) throw new FsError('not-permitted', `absolute path '${path}'`);
    const fs = this.#fs;
    const stack = [this.#node]; // `..` may pop down to this descriptor's directory, not further
    let segs = path.split('/');
    let links = 0;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const last = i === segs.length - 1 || segs.slice(i + 1).every((s) => s === '');
      if (seg === '' || seg === '.') {
        if (last) return { parent: null, name: '.', node: stack[stack.length - 1], stack };
        continue;
      }
      if (seg === '..') {
        if (stack.length === 1) throw new FsError('not-permitted', `'${path}' leaves the directory`);
        stack.pop();
        if (last) return { parent: null, name: '..', node: stack[stack.length - 1], stack };
        continue;
      }
      const dir = stack[stack.length - 1];
      const child = fsCall(() => fs.lookup(dir, seg));
      const trailingSlash = last && i < segs.length - 1;
      if (child === null) {
        if (last) return { parent: dir, name: seg, node: null, stack, mustBeDir: trailingSlash };
        throw new FsError('no-entry');
      }
      const type = fsCall(() => fs.lstat(child)).type;
      if (type === 'symbolic-link' && (!last || follow || trailingSlash)) {
        if (++links > MAX_SYMLINKS) throw new FsError('loop');
        const target = fsCall(() => fs.readlink(child));
        if (target.startsWith('/')) throw new FsError('not-permitted', `symlink to absolute path '${target}'`);
        segs = [...target.split('/'), ...segs.slice(i + 1)];
        i = -1;
        continue;
      }
      if (last) {
        if (trailingSlash && type !== 'directory') throw new FsError('not-directory');
        return { parent: dir, name: seg, node: child, stack };
      }
      if (type !== 'directory') throw new FsError('not-directory');
      stack.push(child);
    }
    return { parent: null, name: '.', node: stack[stack.length - 1], stack };
  }

  #sameBackend(other) {
    if (!(other instanceof Descriptor)) throw new FsError('bad-descriptor');
    if (other.#fs !== this.#fs) throw new FsError('cross-device');
  }

  // ---- streams ----
  readViaStream(offset) {
    this.#needFile();
    this.#needRead();
    const file = this.#file.retain();
    let pos = Number(offset);
    let released = false;
    return new InputStream({
      read(n) {
        if (n === 0) return new Uint8Array(0);
        let bytes;
        try {
          bytes = file.handle.read(n, pos);
        } catch (e) {
          throw streamFailed(e.message, errorCode(e) ?? 'io');
        }
        if (bytes.length === 0) return null;
        pos += bytes.length;
        return bytes;
      },
      ready: () => true,
      close() {
        if (!released) {
          released = true;
          file.release();
        }
      },
    });
  }

  #sink(position) {
    const file = this.#file.retain();
    let released = false;
    return new OutputStream({
      capacity: STREAM_CAPACITY,
      write(bytes) {
        try {
          const at = position === 'append' ? file.handle.size() : position;
          const n = file.handle.write(bytes, at);
          if (position !== 'append') position += n;
        } catch (e) {
          throw streamFailed(e.message, errorCode(e) ?? 'io');
        }
      },
      close() {
        if (!released) {
          released = true;
          file.release();
        }
      },
    });
  }

  writeViaStream(offset) {
    this.#needFile();
    this.#needWrite();
    return this.#sink(Number(offset));
  }

  appendViaStream() {
    this.#needFile();
    this.#needWrite();
    return this.#sink('append');
  }

  // ---- the descriptor itself ----
  advise(_offset, _length, _advice) {
    this.#needFile();
  }

  syncData() {
    if (this.#file) fsCall(() => (this.#file.handle.syncData ?? this.#file.handle.sync)());
  }

  sync() {
    if (this.#file) fsCall(() => this.#file.handle.sync());
  }

  getFlags() {
    return {
      read: !!this.#flags.read,
      write: !!this.#flags.write,
      fileIntegritySync: !!this.#flags.fileIntegritySync,
      dataIntegritySync: !!this.#flags.dataIntegritySync,
      requestedWriteSync: !!this.#flags.requestedWriteSync,
      mutateDirectory: !!this.#flags.mutateDirectory,
    };
  }

  getType() {
    return fsCall(() => this.#fs.lstat(this.#node)).type;
  }

  setSize(size) {
    this.#needFile();
    this.#needWrite();
    fsCall(() => this.#file.handle.truncate(Number(size)));
  }

  setTimes(atime, mtime) {
    if (this.#readonly) throw new FsError('read-only');
    fsCall(() => this.#fs.setTimes(this.#node, newTimestamp(atime), newTimestamp(mtime)));
  }

  read(length, offset) {
    this.#needFile();
    this.#needRead();
    const n = Number(length > 0x4000000n ? 0x4000000n : length);
    const pos = Number(offset);
    const bytes = fsCall(() => this.#file.handle.read(n, pos));
    const size = fsCall(() => this.#file.handle.size());
    return [bytes, pos + bytes.length >= size];
  }

  write(buffer, offset) {
    this.#needFile();
    this.#needWrite();
    return BigInt(fsCall(() => this.#file.handle.write(buffer, Number(offset))));
  }

  readDirectory() {
    this.#needDir();
    this.#needRead();
    const entries = fsCall(() => this.#fs.readdir(this.#node)).filter((e) => e.name !== '.' && e.name !== '..');
    return new DirectoryEntryStream(entries);
  }

  stat() {
    return statRecord(fsCall(() => this.#fs.lstat(this.#node)));
  }

  statAt(pathFlags, path) {
    const r = this.#resolve(path, !!pathFlags?.symlinkFollow);
    if (r.node === null) throw new FsError('no-entry');
    return statRecord(fsCall(() => this.#fs.lstat(r.node)));
  }

  setTimesAt(pathFlags, path, atime, mtime) {
    const r = this.#resolve(path, !!pathFlags?.symlinkFollow);
    if (this.#readonly) throw new FsError('read-only');
    if (r.node === null) throw new FsError('no-entry');
    fsCall(() => this.#fs.setTimes(r.node, newTimestamp(atime), newTimestamp(mtime)));
  }

  createDirectoryAt(path) {
    const r = this.#resolve(path, false);
    this.#needMutate();
    if (r.node !== null) throw new FsError('exist');
    fsCall(() => this.#fs.mkdir(r.parent, r.name));
  }

  linkAt(oldPathFlags, oldPath, newDescriptor, newPath) {
    this.#sameBackend(newDescriptor);
    const from = this.#resolve(oldPath, !!oldPathFlags?.symlinkFollow);
    const to = newDescriptor.#resolve(newPath, false);
    this.#needMutate();
    newDescriptor.#needMutate();
    if (from.node === null) throw new FsError('no-entry');
    if (to.node !== null) throw new FsError('exist');
    if (fsCall(() => this.#fs.lstat(from.node)).type === 'directory') throw new FsError('not-permitted');
    fsCall(() => this.#fs.link(from.node, to.parent, to.name));
  }

  openAt(pathFlags, path, openFlags, flags) {
    const fs = this.#fs;
    const wantsWrite = !!(flags?.write || openFlags?.truncate || openFlags?.create);
    if (wantsWrite || flags?.mutateDirectory) {
      if (this.#readonly) throw new FsError('read-only');
      if ((openFlags?.create || openFlags?.truncate) && !this.#flags.mutateDirectory) throw new FsError('not-permitted');
    }
    let r = this.#resolve(path, !!pathFlags?.symlinkFollow);
    if (r.node === null) {
      if (!openFlags?.create) throw new FsError('no-entry');
      if (openFlags.directory || r.mustBeDir) throw new FsError('no-entry');
      this.#needMutate();
      const node = fsCall(() => fs.createFile(r.parent, r.name));
      r = { ...r, node };
    } else if (openFlags?.create && openFlags?.exclusive) {
      throw new FsError('exist');
    }
    const type = fsCall(() => fs.lstat(r.node)).type;
    if (type === 'directory') {
      if (flags?.write || openFlags?.truncate) throw new FsError('is-directory');
      return new Descriptor(
        fs,
        r.node,
        { read: true, mutateDirectory: !this.#readonly && !!this.#flags.mutateDirectory },
        this.#readonly,
      );
    }
    if (openFlags?.directory) throw new FsError('not-directory');
    if (type === 'symbolic-link') throw new FsError('loop');
    if (type !== 'regular-file') throw new FsError('unsupported');
    const handle = fsCall(() => fs.open(r.node, { write: !!flags?.write }));
    if (openFlags?.truncate) fsCall(() => handle.truncate(0));
    const fileFlags = {
      read: !!flags?.read,
      write: !!flags?.write,
      fileIntegritySync: !!flags?.fileIntegritySync,
      dataIntegritySync: !!flags?.dataIntegritySync,
      requestedWriteSync: !!flags?.requestedWriteSync,
      mutateDirectory: false,
    };
    return new Descriptor(fs, r.node, fileFlags, this.#readonly, new FileHandle(handle));
  }

  readlinkAt(path) {
    const r = this.#resolve(path, false);
    if (r.node === null) throw new FsError('no-entry');
    if (fsCall(() => this.#fs.lstat(r.node)).type !== 'symbolic-link') throw new FsError('invalid');
    return fsCall(() => this.#fs.readlink(r.node));
  }

  removeDirectoryAt(path) {
    const r = this.#resolve(path, false);
    this.#needMutate();
    if (r.node === null) throw new FsError('no-entry');
    if (r.parent === null) throw new FsError('invalid'); // '.' or '..'
    if (fsCall(() => this.#fs.lstat(r.node)).type !== 'directory') throw new FsError('not-directory');
    fsCall(() => this.#fs.rmdir(r.parent, r.name));
  }

  renameAt(oldPath, newDescriptor, newPath) {
    this.#sameBackend(newDescriptor);
    const from = this.#resolve(oldPath, false);
    const to = newDescriptor.#resolve(newPath, false);
    this.#needMutate();
    newDescriptor.#needMutate();
    if (from.node === null) throw new FsError('no-entry');
    if (from.parent === null || to.parent === null) throw new FsError('invalid');
    fsCall(() => this.#fs.rename(from.parent, from.name, to.parent, to.name));
  }

  symlinkAt(oldPath, newPath) {
    const r = this.#resolve(newPath, false);
    this.#needMutate();
    if (oldPath.startsWith('/')) throw new FsError('not-permitted');
    if (r.node !== null) throw new FsError('exist');
    fsCall(() => this.#fs.symlink(r.parent, r.name, oldPath));
  }

  unlinkFileAt(path) {
    const r = this.#resolve(path, false);
    this.#needMutate();
    if (r.node === null) throw new FsError('no-entry');
    if (r.parent === null) throw new FsError('is-directory');
    if (r.mustBeDir) throw new FsError('not-directory');
    fsCall(() => this.#fs.unlink(r.parent, r.name));
  }

  isSameObject(other) {
    if (!(other instanceof Descriptor) || other.#fs !== this.#fs) return false;
    if (other.#node === this.#node) return true;
    try {
      return this.#fs.ino(this.#node) === this.#fs.ino(other.#node);
    } catch {
      return false;
    }
  }

  #hash(node) {
    const ino = BigInt(fsCall(() => this.#fs.ino(node)));
    return { lower: mix64(ino ^ BigInt(this.#fs.id)), upper: mix64(ino + 0x9e3779b97f4a7c15n * BigInt(this.#fs.id)) };
  }

  metadataHash() {
    return this.#hash(this.#node);
  }

  metadataHashAt(pathFlags, path) {
    const r = this.#resolve(path, !!pathFlags?.symlinkFollow);
    if (r.node === null) throw new FsError('no-entry');
    return this.#hash(r.node);
  }

  [Symbol.dispose]() {
    if (this.#file) {
      const f = this.#file;
      this.#file = null;
      f.release();
    }
  }
}

/** wasi:filesystem/types.filesystem-error-code */
function filesystemErrorCode(err) {
  if (err instanceof IoError && typeof err.code === 'string') return err.code;
  return undefined;
}

/**
 * Turns a preopens config into [guestPath, backend, readonly] entries:
 * { '/guest': memfs(...) | '/host/path' | { path, readonly } | { fs, readonly } }.
 */
export function normalizePreopens(preopens) {
  if (preopens == null) return [];
  const entries = Array.isArray(preopens) ? preopens : Object.entries(preopens);
  return entries.map(([guest, spec]) => {
    if (typeof guest !== 'string' || guest === '') throw new TypeError('compoly wasi: preopen names must be non-empty strings');
    let readonly = false;
    let fs = spec;
    if (spec && typeof spec === 'object' && !isBackend(spec)) {
      readonly = !!spec.readonly;
      fs = spec.fs ?? spec.path;
    }
    if (typeof fs === 'string') fs = new NodeFs(fs);
    if (!isBackend(fs)) throw new TypeError(`compoly wasi: preopen '${guest}' must be memfs(...), a host path or { path, readonly }`);
    return [guest, fs, readonly];
  });
}

function isBackend(x) {
  return x instanceof MemFs || x instanceof NodeFs || (x && typeof x.lookup === 'function' && 'root' in x);
}

export function filesystemImports(preopens) {
  return {
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode },
    'wasi:filesystem/preopens': {
      getDirectories: () => preopens.map(([guest, fs, readonly]) => [Descriptor.preopen(fs, readonly), guest]),
    },
  };
}
