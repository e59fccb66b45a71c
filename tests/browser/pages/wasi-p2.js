// The page tests/browser/wasi-p2.test.js drives: the wasmtime-p2 programs
// (../shared/corpus/wasmtime-p2, served beside the project) run with their
// preopens on OPFS, on the JSPI path (run(…, { async: true }) on this page)
// or on the worker path (run(…, { worker: true }): a dedicated worker on
// Atomics.wait, OPFS through sync access handles). The reactor
// (p2_api_reactor) is not a command: it is instantiated with WasiHost's
// imports and its manifest `calls` are made on its exports (on JSPI, with
// { async: true }, the exports return Promises). Everything is exposed as
// window.wasiP2; each call resolves to plain data.
import { outcomeProblem, reactorCalls, runEntry } from '../../js/helpers/wasmtime-p2.js';

const corpus = new URL('../../../../shared/corpus/wasmtime-p2/', import.meta.url);
const log = (line) => {
  document.getElementById('log').textContent += `${line}\n`;
};

const errorText = (e) => `${e?.name}: ${e?.message}\n${e?.stack ?? ''}`;

let compoly;
let wasi;
let manifest;
const components = new Map();

async function load() {
  compoly = await import('../../../js/index.js');
  wasi = await import('../../../js/wasi/index.js');
  manifest = await (await fetch(new URL('manifest.json', corpus))).json();
}

async function component(name) {
  if (!components.has(name)) components.set(name, compoly.compile(fetch(new URL(name, corpus))));
  return components.get(name);
}

// ---- OPFS helpers (the raw API, to seed and check independently of compoly) --------------------

async function opfsDir(path, create = true) {
  let dir = await navigator.storage.getDirectory();
  for (const seg of path.split('/').filter(Boolean)) dir = await dir.getDirectoryHandle(seg, { create });
  return dir;
}

async function removeOpfs(path) {
  const segs = path.split('/').filter(Boolean);
  try {
    const parent = await opfsDir(segs.slice(0, -1).join('/'), false);
    await parent.removeEntry(segs.at(-1), { recursive: true });
  } catch (e) {
    if (e?.name !== 'NotFoundError') throw e;
  }
}

/** Writes a manifest `initial_files` tree ({ 'a.txt': text, 'sub/': null }) into OPFS directory `path`. */
async function seed(path, files) {
  await removeOpfs(path);
  const root = await opfsDir(path);
  for (const [name, content] of Object.entries(files ?? {})) {
    const segs = name.split('/').filter(Boolean);
    let dir = root;
    for (const seg of name.endsWith('/') ? segs : segs.slice(0, -1)) dir = await dir.getDirectoryHandle(seg, { create: true });
    if (name.endsWith('/')) continue;
    const w = await (await dir.getFileHandle(segs.at(-1), { create: true })).createWritable();
    await w.write(new TextEncoder().encode(content));
    await w.close();
  }
}

async function readOpfsText(path) {
  const segs = path.split('/').filter(Boolean);
  try {
    const dir = await opfsDir(segs.slice(0, -1).join('/'), false);
    return await (await (await dir.getFileHandle(segs.at(-1))).getFile()).text();
  } catch (e) {
    if (e?.name === 'NotFoundError') return null;
    throw e;
  }
}

async function listOpfs(path) {
  const out = [];
  try {
    for await (const [name, handle] of (await opfsDir(path, false)).entries()) out.push(handle.kind === 'directory' ? `${name}/` : name);
  } catch (e) {
    if (e?.name !== 'NotFoundError') throw e;
  }
  return out.sort();
}

// ---- runs -----------------------------------------------------------------------------------------

const base = 'compoly-wasi-p2';
const dirFor = (entry, i) => `${base}/${entry.component.replace(/\.component\.wasm$/, '')}/${i}`;

/**
 * Runs one manifest entry on `path` ('jspi' | 'worker') with its preopens on `storage`:
 * 'opfs' (seeded into OPFS first) or 'memory' (memfs trees, for engines without OPFS under
 * automation: WebKitGTK); `{ problems, ms }`.
 */
async function runOne(name, path, storage = 'opfs') {
  const entry = manifest.find((e) => e.component === name);
  const started = performance.now();
  try {
    const trees = [];
    const preopensFor = async (e) => {
      const pre = {};
      for (let i = 0; i < e.preopens.length; i++) {
        const p = e.preopens[i];
        let fs;
        if (storage === 'memory') {
          fs = wasi.memfs(p.initial_files ?? {});
          trees[i] = fs;
        } else {
          await seed(dirFor(e, i), p.initial_files);
          fs = await wasi.opfs(dirFor(e, i));
        }
        pre[p.guest] = { fs, readonly: !p.writable };
      }
      return pre;
    };
    const options = path === 'jspi' ? { async: true } : { worker: true };
    const outcomes = await runEntry(compoly.run, await component(name), entry, options, preopensFor);
    const problems = outcomes.map((o) => outcomeProblem(entry, o)).filter(Boolean);
    if (name === 'p2_api_read_only.component.wasm') {
      const expected = entry.preopens[0].initial_files['bar.txt'];
      if (storage === 'memory') {
        const tree = JSON.stringify(trees[0].toJSON());
        const original = JSON.stringify(wasi.memfs(entry.preopens[0].initial_files).toJSON());
        if (tree !== original) problems.push(`the read-only memfs directory changed: ${tree}`);
      } else {
        const dir = dirFor(entry, 0);
        const bar = await readOpfsText(`${dir}/bar.txt`);
        if (bar !== expected) problems.push(`bar.txt changed in OPFS: ${JSON.stringify(bar)}`);
        const listing = await listOpfs(dir);
        if (listing.join() !== 'bar.txt,sub/') problems.push(`the read-only OPFS directory changed: ${listing}`);
      }
    }
    if (storage === 'opfs') for (let i = 0; i < entry.preopens.length; i++) await removeOpfs(dirFor(entry, i));
    return { problems, ms: performance.now() - started };
  } catch (e) {
    return { problems: [errorText(e)], ms: performance.now() - started };
  }
}

/**
 * The reactor entry on `path`: 'jspi' (instantiate(…, { async: true }) with a
 * WasiHost in async mode; each export returns a Promise) or 'sync'. The worker
 * path cannot take it: run(…, { worker: true }) only calls wasi:cli/run.
 * Resolves to `{ calls: [{ call, problem }], ms }` or `{ error }`.
 */
async function runReactor(path) {
  const started = performance.now();
  try {
    const entry = manifest.find((e) => e.component === 'p2_api_reactor.component.wasm');
    const async = path === 'jspi';
    const host = new wasi.WasiHost({ env: entry.env, args: entry.args, async });
    const { exports } = await compoly.instantiate(await component(entry.component), host.imports(), { async });
    const calls = await reactorCalls(entry, exports, wasi);
    if (async) for (const c of calls) if (c.problem === null && !c.promise) c.problem = 'on JSPI the export did not return a Promise';
    return { calls, ms: performance.now() - started };
  } catch (e) {
    return { error: errorText(e), ms: performance.now() - started };
  }
}

const persistDir = `${base}/persist`;
const barText = 'And stood awhile in thought';

/** Before a reload: bar.txt written into an OPFS preopen through the WASI filesystem interface (as a guest does). */
async function writeForReload() {
  try {
    await removeOpfs(persistDir);
    const fs = await wasi.opfs(persistDir);
    const host = new wasi.WasiHost({ preopens: { '/': fs } });
    const [[root]] = host.imports()['wasi:filesystem/preopens'].getDirectories();
    const file = root.openAt({}, 'bar.txt', { create: true }, { read: true, write: true });
    file.write(new TextEncoder().encode(barText), 0n);
    file.sync();
    root.createDirectoryAt('sub');
    file[Symbol.dispose]();
    await fs.flush();
    return { listing: await listOpfs(persistDir) };
  } catch (e) {
    return { error: errorText(e) };
  }
}

/** After the reload: the file is there (raw OPFS API), and p2_cli_file_read reads it on `path`. */
async function checkAfterReload(path) {
  try {
    const raw = await readOpfsText(`${persistDir}/bar.txt`);
    const entry = manifest.find((e) => e.component === 'p2_cli_file_read.component.wasm');
    const fs = await wasi.opfs(persistDir);
    const options = path === 'jspi' ? { async: true } : { worker: true };
    const [outcome] = await runEntry(compoly.run, await component(entry.component), entry, options, () => ({ '/': { fs, readonly: true } }));
    return { raw, listing: await listOpfs(persistDir), problem: outcomeProblem(entry, outcome) };
  } catch (e) {
    return { error: errorText(e) };
  }
}

window.wasiP2 = {
  ready: load().then(
    () => ({
      ok: true,
      userAgent: navigator.userAgent,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      jspi: compoly.jspiAvailable(),
      opfs: typeof navigator.storage?.getDirectory === 'function',
      commands: manifest.filter((e) => e.world === 'command').map((e) => e.component),
      reactors: manifest.filter((e) => e.world !== 'command').map((e) => e.component),
    }),
    (e) => ({ ok: false, error: errorText(e) }),
  ),
  runOne,
  runReactor,
  writeForReload,
  checkAfterReload,
  cleanup: () => removeOpfs(base),
};
log('ready');
