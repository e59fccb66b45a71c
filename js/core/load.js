// Loads the C++ core (compoly-core.mjs + compoly-core.wasm, built by scripts/build-core.sh)
// once per realm and returns its API: `compile(bytes)`, `wit(bytes)` and
// `link(components, wires)`, each returning the core's JSON text.
//
// The .wasm is instantiated here, not by the glue: read from disk under Node, streamed in
// browsers from this module's URL, in the `new URL('./x.wasm', import.meta.url)` form bundlers
// (Vite, webpack, esbuild) recognise and rewrite.

import { copyReadRanges } from './read-ranges.js';
import { warmUpBytes } from './warm-up.js';

let corePromise = null;
let factory = null;

/**
 * Hands the core's Emscripten factory (the default export of compoly-core.mjs)
 * to compoly, for realms that refuse dynamic import(), such as Service
 * Workers: import the glue statically there and pass it here.
 */
export function provideCoreFactory(createCompolyCore) {
  factory = createCompolyCore;
}

const isNode =
  typeof process === 'object' &&
  process !== null &&
  typeof process.versions === 'object' &&
  typeof process.versions.node === 'string';

/** The core's wasm instantiated with the glue's imports: streamed in browsers, read from disk in Node. */
async function instantiateCoreWasm(imports) {
  const wasmUrl = new URL('./compoly-core.wasm', import.meta.url);
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

async function instantiate() {
  const createCompolyCore = factory ?? (await import('./compoly-core.mjs')).default;
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
      instantiateCoreWasm(imports).then(({ instance, module }) => receiveInstance(instance, module), failed);
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
    wit: (at, size) => text(module.wit(at, size)),
  };
  return {
    module,
    inMemory,
    /** @type {(bytes: Uint8Array) => string} a component's plan as JSON */
    compile: onComponent(inMemory.compile),
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
  };
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

/** @returns {Promise<object>} the core's API (memoised): compile, wit, link. */
export async function loadCore() {
  if (!corePromise) {
    corePromise = instantiate().then(coreApi).then(warmUp).catch((error) => {
      corePromise = null; // let a later call retry (e.g. after the files were built)
      throw error;
    });
  }
  return corePromise;
}
