// The page tests/browser/wasi-c.test.js drives: it imports compoly from the project (served
// by tests/browser/server.js) and runs tests/fixtures/c/wasi-tour.c's component with memfs or
// OPFS preopens. Everything is exposed as window.wasiC; each call resolves to plain data
// ({ exitCode, stdout, stderr, ... } or { error }) so the test can assert in Node.
import { TOUR_CHECKS, parseChecks, tourInputs, tourStdin } from '../../fixtures/c/tour.js';

const log = (line) => {
  document.getElementById('log').textContent += `${line}\n`;
};

const loaded = (async () => {
  const compoly = await import('../../../js/index.js');
  const wasi = await import('../../../js/wasi/index.js');
  return { compoly, wasi };
})();

const components = new Map();
async function component(url) {
  const { compoly } = await loaded;
  if (!components.has(url)) components.set(url, compoly.compile(fetch(url)));
  return components.get(url);
}

// How run() blocks (see js/wasi/run.js): 'auto' (its own choice), 'jspi', 'worker' or 'sync'.
const PATHS = { auto: {}, jspi: { async: true }, worker: { worker: true }, sync: { async: false } };
let runPath = 'auto';

/** Runs the component with the options; stdout/stderr collected as text; traps reported. */
async function runIt(url, options) {
  const { compoly } = await loaded;
  const decoder = [new TextDecoder(), new TextDecoder()];
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  try {
    const { exitCode } = await compoly.run(await component(url), {
      ...PATHS[runPath],
      ...options,
      stdout: (b) => (stdout += decoder[0].decode(b, { stream: true })),
      stderr: (b) => (stderr += decoder[1].decode(b, { stream: true })),
    });
    return { exitCode, stdout, stderr, ms: performance.now() - started };
  } catch (e) {
    return { exitCode: null, stdout, stderr, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` };
  }
}

const guarded = (fn) => async (...args) => {
  try {
    return await fn(...args);
  } catch (e) {
    return { error: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` };
  }
};

// ---- OPFS ---------------------------------------------------------------------------------

async function opfsDir(name, { create = true } = {}) {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(name, { create });
}

/** compoly's OPFS backend over the OPFS directory `name` (made if missing): `await opfs(name)`. */
async function opfsBackend(name) {
  const { wasi } = await loaded;
  return await wasi.opfs(name);
}

/** The text of OPFS file `dir/...path`, read with the browser's own API (null when missing). */
async function opfsReadText(dir, path) {
  try {
    let handle = await opfsDir(dir, { create: false });
    const parts = path.split('/');
    for (const part of parts.slice(0, -1)) handle = await handle.getDirectoryHandle(part);
    const file = await (await handle.getFileHandle(parts[parts.length - 1])).getFile();
    return await file.text();
  } catch (e) {
    if (e?.name === 'NotFoundError') return null;
    throw e;
  }
}

/** The sorted names in OPFS directory `dir/sub` (directories with a trailing /), or why not. */
async function opfsList(dir, sub = '') {
  try {
    let handle = await opfsDir(dir, { create: false });
    for (const part of sub.split('/').filter(Boolean)) handle = await handle.getDirectoryHandle(part);
    const names = [];
    for await (const [name, child] of handle.entries()) names.push(child.kind === 'directory' ? `${name}/` : name);
    return names.sort();
  } catch (e) {
    return `${e?.name}: ${e?.message}`;
  }
}

// ---- what the test calls ------------------------------------------------------------------

window.wasiC = {
  ready: loaded.then(
    ({ wasi }) => ({
      ok: true,
      userAgent: navigator.userAgent,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      hasOpfsBackend: typeof wasi.opfs === 'function',
      browserHasOpfs: typeof navigator.storage?.getDirectory === 'function',
      jspi: typeof WebAssembly.Suspending === 'function',
    }),
    (e) => ({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` }),
  ),

  /** Chooses how the following runs block: 'auto', 'jspi', 'worker' or 'sync'. */
  setPath(name) {
    if (!(name in PATHS)) throw new TypeError(`unknown run path ${name}`);
    runPath = name;
  },

  /** The whole tour with a memfs preopen; returns the run and the memfs tree after it. */
  tourMemfs: guarded(async (url, stdinLength) => {
    const { wasi } = await loaded;
    const stdin = tourStdin(stdinLength);
    const { args, env } = tourInputs(stdin);
    const fs = wasi.memfs();
    const result = await runIt(url, { args: ['wasi-tour', ...args], env, stdin, preopens: { '/data': fs } });
    log(`tour (memfs): exit ${result.exitCode}`);
    return { ...result, tree: fs.toJSON() };
  }),

  /** readonly mode on a read-only memfs preopen. */
  readonlyMemfs: guarded(async (url) => {
    const { wasi } = await loaded;
    const fs = wasi.memfs({ 'existing.txt': 'read me\n' });
    const result = await runIt(url, { args: ['wasi-tour', 'readonly'], preopens: { '/data': { fs, readonly: true } } });
    return { ...result, tree: fs.toJSON() };
  }),

  /** edges mode on a memfs preopen. */
  edgesMemfs: guarded(async (url) => {
    const { wasi } = await loaded;
    const fs = wasi.memfs();
    const result = await runIt(url, { args: ['wasi-tour', 'edges'], preopens: { '/data': fs } });
    return { ...result, tree: fs.toJSON() };
  }),

  /** The whole tour on a fresh OPFS directory; the files it left, read with the OPFS API. */
  tourOpfs: guarded(async (url, dir, stdinLength) => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(dir, { recursive: true }).catch(() => {});
    const fs = await opfsBackend(dir);
    const stdin = tourStdin(stdinLength);
    const { args, env } = tourInputs(stdin);
    const result = await runIt(url, { args: ['wasi-tour', ...args], env, stdin, preopens: { '/data': fs } });
    return { ...result, listing: await opfsList(dir), tourListing: await opfsList(dir, 'tour'), bTxt: await opfsReadText(dir, 'tour/b.txt') };
  }),

  /**
   * The whole tour on a fresh OPFS directory, run in a worker of the page's own
   * (wasi-c-worker.js) that opens the directory itself: `how` is 'name' (opfs(dir) in the
   * worker, which starts its agent there), 'grant' (the page starts the agent with
   * opfsForWorker and sends the worker its grant) or 'closed-grant' (as 'grant', but the page
   * closes the share after the worker opened it and before the run). Gives up after `ms`.
   */
  tourOpfsInOwnWorker: guarded(async (url, dir, stdinLength, how, ms) => {
    const { wasi } = await loaded;
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(dir, { recursive: true }).catch(() => {});
    const worker = new Worker(new URL('./wasi-c-worker.js', import.meta.url), { type: 'module' });
    const share = how === 'grant' || how === 'closed-grant' ? await wasi.opfsForWorker(dir) : null;
    let timer;
    try {
      const answered = new Promise((resolve) => {
        worker.onmessage = (e) => {
          if (!e.data.opened) return resolve(e.data);
          share.close();
          worker.postMessage('go');
        };
        worker.onerror = (e) => resolve({ error: `the worker failed: ${e.message}` });
      });
      const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve({ error: `no answer from the worker within ${ms / 1000} s`, hung: true }), ms);
      });
      // The page cannot use a grant itself: it may not block while the agent works.
      const onPage = share && (await wasi.opfs(share.grant).then(() => 'accepted', (e) => `${e.name}: ${e.message}`));
      if (share) worker.postMessage({ url, grant: share.grant, stdinLength, pauseAfterOpen: how === 'closed-grant' }, share.transfer);
      else worker.postMessage({ url, dir, stdinLength });
      const result = await Promise.race([answered, late]);
      return { ...result, onPage, listing: await opfsList(dir), tourListing: await opfsList(dir, 'tour'), bTxt: await opfsReadText(dir, 'tour/b.txt') };
    } finally {
      clearTimeout(timer);
      worker.terminate();
      share?.close();
    }
  }),

  /**
   * As in an engine without FileSystemFileHandle.createWritable (removed for the call): with
   * `options` { async: false } run() must refuse the OPFS copy before the guest runs; with
   * none it must choose the worker and write OPFS from there.
   */
  persistWithoutCreateWritable: guarded(async (url, dir, token, options) => {
    const { compoly, wasi } = await loaded;
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(dir, { recursive: true }).catch(() => {});
    const fs = await wasi.opfs(dir);
    const proto = FileSystemFileHandle.prototype;
    const saved = Object.getOwnPropertyDescriptor(proto, 'createWritable');
    delete proto.createWritable;
    let stdout = '';
    const decoder = new TextDecoder();
    try {
      const { exitCode } = await compoly.run(await component(url), {
        ...options,
        args: ['wasi-tour', 'persist-write', token],
        preopens: { '/data': fs },
        stdout: (b) => (stdout += decoder.decode(b, { stream: true })),
      });
      return { exitCode, stdout, onDisk: await opfsReadText(dir, 'persist.txt') };
    } catch (e) {
      return { refused: `${e?.name}: ${e?.message}`, stdout, onDisk: await opfsReadText(dir, 'persist.txt') };
    } finally {
      Object.defineProperty(proto, 'createWritable', saved);
    }
  }),

  /** edges mode on a fresh OPFS directory (OPFS has no symlinks: TOUR_NO_SYMLINKS=1). */
  edgesOpfs: guarded(async (url, dir) => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(dir, { recursive: true }).catch(() => {});
    const fs = await opfsBackend(dir);
    const result = await runIt(url, { args: ['wasi-tour', 'edges'], env: { TOUR_NO_SYMLINKS: '1' }, preopens: { '/data': fs } });
    return { ...result, many: (await opfsList(dir, 'edges/many')).length, hole: (await opfsReadText(dir, 'edges/hole.bin'))?.length };
  }),

  /** persist-write / persist-check TOKEN on OPFS directory `dir`, plus the file as the browser sees it. */
  persistOpfs: guarded(async (url, mode, dir, token, { fresh = false } = {}) => {
    if (fresh) {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(dir, { recursive: true }).catch(() => {});
    }
    const fs = await opfsBackend(dir);
    const result = await runIt(url, { args: ['wasi-tour', mode, token], preopens: { '/data': fs } });
    return { ...result, onDisk: await opfsReadText(dir, 'persist.txt') };
  }),

  /** The file as the browser's OPFS API sees it, without compoly. */
  opfsReadText: guarded(opfsReadText),
  removeOpfs: guarded(async (dir) => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(dir, { recursive: true }).catch(() => {});
    return { ok: true };
  }),

  TOUR_CHECKS,
  parseChecks,
};
