// Node backend: a real host directory as a preopen. Nodes are absolute host
// paths; filesystem.js resolves guest paths one component at a time (and
// follows symlinks itself), so a guest never reaches a path outside the
// preopen through `..`, an absolute path or a symlink.
import { FsError, toFsError } from './fs-errors.js';

let nextFsId = 1_000_000;

function nodeFs() {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs');
  if (!fs) throw new Error('compoly wasi: host directories as preopens need Node ≥ 20.16 (process.getBuiltinModule)');
  return fs;
}

function typeOf(s) {
  if (s.isFile()) return 'regular-file';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symbolic-link';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  if (s.isBlockDevice()) return 'block-device';
  if (s.isCharacterDevice()) return 'character-device';
  return 'unknown';
}

const wrap = (fn) => {
  try {
    return fn();
  } catch (e) {
    throw toFsError(e);
  }
};

export class NodeFs {
  #fs;
  constructor(path) {
    const fs = nodeFs();
    this.#fs = fs;
    this.id = nextFsId++;
    this.kind = 'node';
    const pathMod = globalThis.process.getBuiltinModule('node:path');
    this.root = pathMod.resolve(path);
    let st;
    try {
      st = fs.statSync(this.root);
    } catch (e) {
      throw new Error(`compoly wasi: preopen '${path}': ${e.message}`);
    }
    if (!st.isDirectory()) throw new Error(`compoly wasi: preopen '${path}' is not a directory`);
    this.root = fs.realpathSync(this.root);
  }

  #join(dir, name) {
    return dir === '/' ? `/${name}` : `${dir}/${name}`;
  }

  lstat(node) {
    const s = wrap(() => this.#fs.lstatSync(node, { bigint: true }));
    return { type: typeOf(s), size: s.size, ino: s.ino, dev: s.dev, nlink: s.nlink, atime: s.atimeNs, mtime: s.mtimeNs, ctime: s.ctimeNs };
  }
  ino(node) {
    const s = wrap(() => this.#fs.lstatSync(node, { bigint: true }));
    return (s.dev << 32n) ^ s.ino;
  }
  lookup(dir, name) {
    const p = this.#join(dir, name);
    try {
      this.#fs.lstatSync(p);
      return p;
    } catch (e) {
      if (e.code === 'ENOENT') return null;
      throw toFsError(e);
    }
  }
  readlink(node) {
    return wrap(() => this.#fs.readlinkSync(node));
  }
  readdir(dir) {
    return wrap(() => this.#fs.readdirSync(dir, { withFileTypes: true }).map((d) => ({ name: d.name, type: typeOf(d) })));
  }
  mkdir(dir, name) {
    const p = this.#join(dir, name);
    wrap(() => this.#fs.mkdirSync(p));
    return p;
  }
  createFile(dir, name) {
    const p = this.#join(dir, name);
    wrap(() => this.#fs.closeSync(this.#fs.openSync(p, 'wx')));
    return p;
  }
  symlink(dir, name, target) {
    wrap(() => this.#fs.symlinkSync(target, this.#join(dir, name)));
  }
  link(node, dir, name) {
    wrap(() => this.#fs.linkSync(node, this.#join(dir, name)));
  }
  unlink(dir, name) {
    const p = this.#join(dir, name);
    wrap(() => {
      if (this.#fs.lstatSync(p).isDirectory()) throw new FsError('is-directory');
      this.#fs.unlinkSync(p);
    });
  }
  rmdir(dir, name) {
    wrap(() => this.#fs.rmdirSync(this.#join(dir, name)));
  }
  rename(fromDir, fromName, toDir, toName) {
    wrap(() => this.#fs.renameSync(this.#join(fromDir, fromName), this.#join(toDir, toName)));
  }
  setTimes(node, atime, mtime) {
    wrap(() => {
      const s = this.#fs.lstatSync(node, { bigint: true });
      const now = Date.now() / 1000;
      const sec = (t, old) => (t === null ? Number(old) / 1e9 : t === 'now' ? now : Number(t) / 1e9);
      this.#fs.lutimesSync(node, sec(atime, s.atimeNs), sec(mtime, s.mtimeNs));
    });
  }
  open(node, { write }) {
    const fs = this.#fs;
    const fd = wrap(() => fs.openSync(node, write ? 'r+' : 'r'));
    return {
      read(len, pos) {
        const buf = new Uint8Array(len);
        const n = wrap(() => fs.readSync(fd, buf, 0, len, pos));
        return n === len ? buf : buf.slice(0, n);
      },
      write(bytes, pos) {
        let done = 0;
        while (done < bytes.length) done += wrap(() => fs.writeSync(fd, bytes, done, bytes.length - done, pos + done));
        return done;
      },
      size: () => Number(wrap(() => fs.fstatSync(fd, { bigint: true }).size)),
      truncate: (size) => wrap(() => fs.ftruncateSync(fd, size)),
      sync: () => wrap(() => fs.fsyncSync(fd)),
      syncData: () => wrap(() => fs.fdatasyncSync(fd)),
      close: () => fs.closeSync(fd),
    };
  }
}

/** A host directory as a preopen backend (Node only). */
export function nodeDir(path) {
  return new NodeFs(path);
}
