// Node-only helpers: paths, the corpus walk, and the bench-time builds of the test components
// into bench/build/ (git-ignored), each cached by a hash of its inputs. Bench files import this
// module only from their prepare(), which run.js calls in Node before the bench runs anywhere.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The conformance corpus lives next to the repository, not in it. */
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');
export const BUILD = join(ROOT, 'bench', 'build');

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Every *.wasm under the corpus with its size, largest first ([] if the corpus is absent). */
export async function corpusFiles() {
  const files = [];
  for await (const p of walk(CORPUS)) {
    if (p.endsWith('.wasm')) files.push({ path: p, size: (await stat(p)).size });
  }
  return files.sort((a, b) => b.size - a.size);
}

/** A path relative to the project root, as bench modules take it (`env.bytes`, `env.url`). */
export const rel = (p) => relative(ROOT, p).split('\\').join('/');

const hash = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
};

async function exists(p) {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function packageVersion(name) {
  const json = JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
  return json.version;
}

/**
 * Runs `make(dir)` into bench/build/<name>-<key>/ unless that directory is complete already
 * (a `.done` marker written last); older builds of the same name are removed.
 */
async function cached(name, key, make) {
  const dir = join(BUILD, `${name}-${key}`);
  if (await exists(join(dir, '.done'))) return dir;
  await mkdir(BUILD, { recursive: true });
  for (const e of await readdir(BUILD)) if (e.startsWith(`${name}-`)) await rm(join(BUILD, e), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await make(dir);
  await writeFile(join(dir, '.done'), '');
  return dir;
}

async function writeFiles(dir, files) {
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), bytes);
  }
}

/**
 * bench/components/<name>.wat assembled with jco's parse, and jco's transpiled ESM output of
 * the same binary. Returns project-relative paths: { wasm, jco } (jco: the module to import).
 */
export async function watComponent(name) {
  const source = await readFile(join(ROOT, 'bench', 'components', `${name}.wat`), 'utf8');
  const jcoVersion = await packageVersion('@bytecodealliance/jco');
  const dir = await cached(name, hash(source, jcoVersion), async (out) => {
    const { parse, transpile } = await import('@bytecodealliance/jco');
    const bytes = await parse(source);
    await writeFile(join(out, `${name}.wasm`), bytes);
    const { files } = await transpile(bytes, { name, noTypescript: true });
    await writeFiles(join(out, 'jco'), files);
  });
  return { wasm: rel(join(dir, `${name}.wasm`)), jco: rel(join(dir, 'jco', `${name}.js`)), jcoVersion };
}

/**
 * A componentize-js (SpiderMonkey) build of bench/components/large.js against large.wit: a
 * ≥ 10 MB component, the startup benchmark's input. 10–30 s and 2–3 GB of memory when not
 * cached; cached by a hash of the JS, the WIT and componentize-js's version.
 */
export async function largeComponent() {
  const js = join(ROOT, 'bench', 'components', 'large.js');
  const wit = join(ROOT, 'bench', 'components', 'large.wit');
  let version;
  try {
    version = await packageVersion('@bytecodealliance/componentize-js');
  } catch {
    return { skip: 'componentize-js is not installed (npm i -D @bytecodealliance/componentize-js)' };
  }
  const key = hash(await readFile(js, 'utf8'), await readFile(wit, 'utf8'), version);
  const dir = await cached('large', key, async (out) => {
    // componentize-js's splicer runs in a WASI sandbox with no preopened directories
    // (../shared/toolchains.md): open the file system to it, or it cannot read the WIT.
    const { _setPreopens } = await import('@bytecodealliance/preview2-shim/filesystem');
    _setPreopens({ '/': '/' });
    const { componentize } = await import('@bytecodealliance/componentize-js');
    const t0 = performance.now();
    const { component } = await componentize({
      sourcePath: js,
      witPath: wit,
      worldName: 'large',
      disableFeatures: ['stdio', 'random', 'clocks', 'http', 'fetch-event'],
    });
    await writeFile(join(out, 'large.wasm'), component);
    console.log(`  (built ${rel(join(out, 'large.wasm'))} with componentize-js ${version} in ${((performance.now() - t0) / 1e3).toFixed(1)} s)`);
  });
  const wasm = join(dir, 'large.wasm');
  return { wasm: rel(wasm), size: (await stat(wasm)).size, componentizeVersion: version };
}
