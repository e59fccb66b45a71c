// Removes from Emscripten's glue (compoly-core{,-full}.mjs, before it is minified) the code that
// finds, fetches and instantiates the .wasm: js/core/load.js always does that itself and hands
// the glue the instance through `instantiateWasm` (see there), so that code never runs, but the
// minifier cannot know it. It is 0.7 KB of the glue's 4 KB of gzip.
//
// The cuts are made on the text of Emscripten 3.1.6's output (Debian's emscripten), between
// markers named below. If any marker is missing (another Emscripten), the file is left whole,
// with a warning: the whole glue works too, it is only bigger.
//
// Usage: node scripts/trim-glue.mjs FILE...
import { readFileSync, writeFileSync } from 'node:fs';

const cuts = [
  {
    what: 'environment detection, script directory and XHR readers',
    from: 'var ENVIRONMENT_IS_WEB=',
    to: 'var out=',
  },
  {
    what: 'unused Module properties',
    from: 'Module["preloadedImages"]={};Module["preloadedAudios"]={};',
  },
  {
    what: 'the .wasm file name and its fetchers',
    from: 'var dataURIPrefix=',
    to: 'function createWasm(',
  },
  {
    what: 'instantiation from a fetch or an ArrayBuffer',
    from: 'function receiveInstantiationResult(',
    to: 'if(Module["instantiateWasm"])',
  },
  {
    what: 'the fallback when instantiateWasm is not given',
    from: 'instantiateAsync().catch(readyPromiseReject);return{}',
    // No path in the text: a bundler's output must not look as if it referred into js/core/.
    with: 'readyPromiseReject(new Error("compoly: the core is instantiated by load.js, which passes instantiateWasm"));return{}',
  },
];

function trim(text) {
  let out = text;
  for (const cut of cuts) {
    const start = out.indexOf(cut.from);
    const end = cut.to === undefined ? start + cut.from.length : out.indexOf(cut.to, start);
    if (start < 0 || end < start) return { missing: cut };
    if (out.indexOf(cut.from, start + 1) >= 0) return { missing: cut, twice: true };
    out = out.slice(0, start) + (cut.with ?? '') + out.slice(end);
  }
  return { out };
}

for (const file of process.argv.slice(2)) {
  const { out, missing, twice } = trim(readFileSync(file, 'utf8'));
  if (missing) {
    const where = twice ? 'appears twice' : 'is missing';
    console.error(`trim-glue: ${file}: the marker of "${missing.what}" (${JSON.stringify(missing.from)}) ${where}; the glue is left whole (not Emscripten 3.1.6?)`);
    continue;
  }
  writeFileSync(file, out);
}
