// A filesystem backend's tree as plain, structured-cloneable data, and back:
// how memfs preopens travel to the worker (worker-run.js) and their changes
// come back. Directories are keyed 'name/' (so an entry called 'symlink'
// cannot be mistaken for a link), files are Uint8Arrays, symlinks
// { symlink: target }: the shape memfs(tree) accepts.

/** Reads the whole tree under `node` through the backend interface. */
export function snapshotTree(fs, node = fs.root) {
  const out = {};
  for (const { name } of fs.readdir(node)) {
    if (name === '.' || name === '..') continue;
    const child = fs.lookup(node, name);
    if (child === null) continue;
    const { type, size } = fs.lstat(child);
    if (type === 'directory') out[`${name}/`] = snapshotTree(fs, child);
    else if (type === 'symbolic-link') out[name] = { symlink: fs.readlink(child) };
    else if (type === 'regular-file') {
      const h = fs.open(child, { write: false });
      try {
        out[name] = h.read(Number(size), 0);
      } finally {
        h.close();
      }
    }
  }
  return out;
}

/** Replaces everything in a MemFs with `tree` (the root node stays the same object). */
export function restoreTree(fs, tree) {
  fs.root.entries.clear();
  fill(fs, fs.root, tree);
}

function fill(fs, dir, tree) {
  for (const [key, value] of Object.entries(tree)) {
    if (key.endsWith('/')) {
      fill(fs, fs.mkdir(dir, key.slice(0, -1)), value ?? {});
    } else if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && 'symlink' in value) {
      fs.symlink(dir, key, value.symlink);
    } else {
      const node = fs.createFile(dir, key);
      const h = fs.open(node, { write: true });
      h.write(value, 0);
      h.close();
    }
  }
}
