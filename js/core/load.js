// Loads the C++ core (compoly-core.mjs + compoly-core.wasm, built by scripts/build-core.sh)
// once per realm and returns the Emscripten module object, whose Embind exports are
// `compile(bytes) -> JSON text` and `wit(bytes) -> JSON text`.
//
// Under Node the .wasm bytes are read here (the Emscripten 3.1.6 glue would otherwise use
// CommonJS `require`/`__dirname`); in browsers `locateFile` resolves the .wasm against this
// module's URL, in the `new URL('./x.wasm', import.meta.url)` form bundlers (Vite, webpack,
// esbuild) recognise and rewrite.

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

async function instantiate() {
  const createCompolyCore = factory ?? (await import('./compoly-core.mjs')).default;
  const wasmUrl = new URL('./compoly-core.wasm', import.meta.url);
  const options = {
    print: (text) => console.log(text),
    printErr: (text) => console.error(text),
  };
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    options.wasmBinary = await readFile(wasmUrl);
  } else {
    options.locateFile = (path, prefix) =>
      path.endsWith('.wasm') ? wasmUrl.href : new URL(path, prefix || import.meta.url).href;
  }
  return createCompolyCore(options);
}

/** @returns {Promise<object>} the Emscripten module of the core (memoised). */
export async function loadCore() {
  if (!corePromise) {
    corePromise = instantiate().catch((error) => {
      corePromise = null; // let a later call retry (e.g. after the files were built)
      throw error;
    });
  }
  return corePromise;
}
