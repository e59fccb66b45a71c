// Loads the C++ core (built by scripts/build-core.sh) once per realm and returns its API, each
// function returning the core's JSON text. The core comes in two builds of the same sources
// (src/api/embind.cc):
//   loadCore()      compoly-core.{mjs,wasm}: the lean core, `compile(bytes)` only. A failure
//                   comes back as {"ok":false}, without its text.
//   loadFullCore()  compoly-core-full.{mjs,wasm}: `compile(bytes)` with every error message,
//                   `wit(bytes)` and `link(components, wires)`. Loaded on first need: to explain
//                   a failed compile, for wit() and for link().
//
// The .wasm is instantiated here, not by the glue: read from disk under Node, streamed in
// browsers from this module's URL, in the `new URL('./x.wasm', import.meta.url)` form bundlers
// (Vite, webpack, esbuild) recognise and rewrite.

import { copyReadRanges } from './read-ranges.js';
import { warmUpBytes } from './warm-up.js';

// Each URL and import() is written out in full, in the form bundlers (Vite, webpack, esbuild)
// recognise and rewrite.
const builds = {
  lean: {
    glue: () => import('./compoly-core.mjs'),
    wasm: () => new URL('./compoly-core.wasm', import.meta.url),
    factory: null,
    promise: null,
  },
  full: {
    glue: () => import('./compoly-core-full.mjs'),
    wasm: () => new URL('./compoly-core-full.wasm', import.meta.url),
    factory: null,
    promise: null,
  },
};

/**
 * Hands the cores' Emscripten factories (the default exports of compoly-core.mjs and
 * compoly-core-full.mjs) to compoly, for realms that refuse dynamic import(), such as Service
 * Workers: import the glues statically there and pass them here. Without the full core's,
 * such a realm reports a failed compile without its message.
 */
export function provideCoreFactory(createCompolyCore, createCompolyCoreFull = null) {
  builds.lean.factory = createCompolyCore;
  builds.full.factory = createCompolyCoreFull;
}

const isNode =
  typeof process === 'object' &&
  process !== null &&
  typeof process.versions === 'object' &&
  typeof process.versions.node === 'string';

/** A core's wasm instantiated with its glue's imports: streamed in browsers, read from disk in Node. */
async function instantiateCoreWasm(wasmUrl, imports) {
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.instantiate(await readFile(wasmUrl), imports);
  }
  const response = await fetch(wasmUrl, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`compoly: cannot load the core from ${wasmUrl.href}: HTTP ${response.status}`);
  try {
    return await WebAssembly.instantiateStreaming(response.clone(), imports);
  } catch (e) {
    // A server that sends the .wasm without `application/wasm` defeats only the streaming.
    if (!(e instanceof TypeError)) throw e;
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
  }
}

async function instantiate(build) {
  const createCompolyCore = build.factory ?? (await build.glue()).default;
  // The glue is built for the web only (-sENVIRONMENT=web,worker: none of its Node code), and
  // is handed the instance, so it never fetches or reads the .wasm itself, in any realm.
  let failed;
  const failure = new Promise((_, reject) => {
    failed = reject;
  });
  const ready = createCompolyCore({
    print: (text) => console.log(text),
    printErr: (text) => console.error(text),
    instantiateWasm(imports, receiveInstance) {
      instantiateCoreWasm(build.wasm(), imports).then(({ instance, module }) => receiveInstance(instance, module), failed);
      return {};
    },
  });
  return Promise.race([ready, failure]);
}

/**
 * The core's API over its Emscripten module. The Embind functions take an address and a
 * length in the core's memory; each call copies the bytes the core reads into a buffer of
 * the input's size and frees it afterwards. They answer with the address of an Output
 * (src/api/embind.cc): the JSON text's address and length, decoded here in place, after
 * which the core releases it.
 */
function coreApi(module) {
  const utf8 = new TextDecoder();
  const text = (out) => {
    try {
      // Views taken after the call: the core's memory may have grown during it.
      const data = module.HEAPU32[out >>> 2];
      const size = module.HEAPU32[(out >>> 2) + 1];
      return utf8.decode(module.HEAPU8.subarray(data, data + size));
    } finally {
      module.release(out);
    }
  };
  const withInput = (size, fill, call) => {
    const at = module._malloc(Math.max(size, 1));
    if (!at) throw new RangeError(`compoly: the core cannot allocate ${size} bytes for its input`);
    try {
      fill(module.HEAPU8, at);
      return call(at);
    } finally {
      module._free(at);
    }
  };
  const onComponent = (fn) => (bytes) =>
    withInput(bytes.length, (heap, at) => copyReadRanges(heap, at, bytes), (at) => fn(at, bytes.length));
  // Over bytes already in the core's memory (also what tests of the input path call).
  const inMemory = {
    compile: (at, size) => text(module.compile(at, size)),
  };
  const api = {
    module,
    inMemory,
    /** @type {(bytes: Uint8Array) => string} a component's plan as JSON */
    compile: onComponent(inMemory.compile),
  };
  if (!module.wit) return api; // the lean core
  inMemory.wit = (at, size) => text(module.wit(at, size));
  return Object.assign(api, {
    /** @type {(bytes: Uint8Array) => string} a component's WIT as JSON */
    wit: onComponent(inMemory.wit),
    /**
     * @param {Uint8Array[]} components the first is the one whose exports the result has
     * @param {string} wires one wire per line: importer TAB import TAB exporter TAB export
     * @returns {string} plan + WIT JSON
     */
    link(components, wires) {
      // Framing (src/api/compile.h): u32 count, then per component u32 length + bytes; the
      // wires follow as UTF-8.
      const wireBytes = new TextEncoder().encode(wires);
      const framed = components.reduce((n, c) => n + 4 + c.length, 4);
      const size = framed + wireBytes.length;
      const fill = (heap, at) => {
        const view = new DataView(heap.buffer, heap.byteOffset + at, size);
        view.setUint32(0, components.length, true);
        let offset = 4;
        for (const c of components) {
          view.setUint32(offset, c.length, true);
          copyReadRanges(heap, at + offset + 4, c);
          offset += 4 + c.length;
        }
        heap.set(wireBytes, at + framed);
      };
      return withInput(size, fill, (at) => text(module.link(at, framed, at + framed, wireBytes.length)));
    },
  });
}

/**
 * V8 compiles wasm lazily, one function at a time on its first call, so the first compile
 * in a realm paid for most of the core's code (15-35 ms for a WASI component). Compiling a
 * small WASI-like component here moves most of that into the load, which `compile(fetch(…))`
 * overlaps with the download; when the bytes are already at hand the total stays the same.
 */
function warmUp(api) {
  try {
    api.compile(warmUpBytes());
  } catch {
    // Only a head start: a failure here shows up again, with its message, on the real compile.
  }
  return api;
}

function load(build, prepare) {
  build.promise ??= instantiate(build)
    .then(coreApi)
    .then(prepare)
    .catch((error) => {
      build.promise = null; // let a later call retry (e.g. after the files were built)
      throw error;
    });
  return build.promise;
}

/** @returns {Promise<object>} the lean core's API (memoised): compile. */
export function loadCore() {
  return load(builds.lean, warmUp);
}

/**
 * @returns {Promise<object>} the full core's API (memoised): compile (failures with their
 * message), wit, link. Not warmed up: its first users explain an error or print WIT.
 */
export function loadFullCore() {
  if (!builds.full.factory && builds.lean.factory) {
    // A realm that had to provide the lean glue cannot import the full one either.
    return Promise.reject(new Error('compoly: the full core (compoly-core-full.mjs) was not provided: pass its factory to provideCoreFactory() as the second argument'));
  }
  return load(builds.full, (api) => api);
}
