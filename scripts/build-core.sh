#!/usr/bin/env bash
# Build the C++ core to WebAssembly (Emscripten) into build/wasm and copy both builds of it to
# js/core/: compoly-core.{mjs,wasm}, the lean core a page loads to compile components, and
# compoly-core-full.{mjs,wasm}, with every error message, wit() and link() (src/api/embind.cc).
# Skips the build when all four outputs are newer than CMakeLists.txt and every file under src/.
# Usage: scripts/build-core.sh [--force]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="$ROOT/build/wasm"
OUTPUTS=(js/core/compoly-core.mjs js/core/compoly-core.wasm js/core/compoly-core-full.mjs js/core/compoly-core-full.wasm)

force=0
[[ "${1:-}" == "--force" ]] && force=1

if [[ ! -f src/api/embind.cc ]]; then
  echo "build-core: src/api/embind.cc does not exist yet; nothing to build" >&2
  exit 1
fi

up_to_date() {
  local out newer
  for out in "${OUTPUTS[@]}"; do
    [[ -f "$out" ]] || return 1
    newer="$(find src CMakeLists.txt scripts/build-core.sh scripts/trim-glue.mjs -type f -newer "$out" -print -quit)"
    [[ -z "$newer" ]] || return 1
  done
}

if [[ $force -eq 0 ]] && up_to_date; then
  echo "build-core: js/core/compoly-core{,-full}.{mjs,wasm} are up to date"
  exit 0
fi

# Debian's emscripten runs its JS tools (acorn, terser) with the machine's node and
# expects the Debian node modules on NODE_PATH.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
# Debian's emscripten runs binaryen (wasm-opt, wasm-metadce) by bare name from PATH. Under
# `npm run`/`npm test`, PATH starts with node_modules/.bin, where jco's dependencies put a
# newer npm binaryen whose import/export minification map 3.1.6 cannot read: the build then
# "succeeds" with a glue whose import names do not match the wasm (LinkError at load time).
# So drop node_modules/.bin from PATH and put Debian's binaryen first.
clean_path=""
IFS=':' read -r -a path_parts <<<"$PATH"
for dir in "${path_parts[@]}"; do
  [[ "$dir" == */node_modules/.bin ]] && continue
  clean_path="${clean_path:+$clean_path:}$dir"
done
export PATH="/usr/bin:$clean_path"

GEN=(-G Ninja)
command -v ninja >/dev/null || GEN=()

emcmake cmake -S "$ROOT" -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$BUILD" --target compoly-core compoly-core-full

# The CMake post-build step copies the outputs; copy again in case only the copy is stale.
mkdir -p js/core
for out in "${OUTPUTS[@]}"; do
  cp "$BUILD/$(basename "$out")" "$out"
  touch "$out"
done

# The glue's own loaders of the .wasm never run (load.js instantiates it): take them out.
node scripts/trim-glue.mjs js/core/compoly-core.mjs js/core/compoly-core-full.mjs

# Emscripten 3.1.6 only minifies the glue's whitespace unless Closure (Java, not in Debian's
# emscripten) runs. Mangle and compress it with oxc-minify when node_modules has it (it comes
# with the jco dev dependency): 8.6 KB -> 6.0 KB gzip. The glue keeps every Module["..."] and
# import name as a string, and runs no eval/new Function (DYNAMIC_EXECUTION=0), so mangling
# local names is safe. Without oxc-minify the unminified glue is shipped, with a warning.
node --input-type=module -e "
  import { readFileSync, writeFileSync } from 'node:fs';
  let minify;
  try { ({ minify } = await import('oxc-minify')); } catch {
    console.error('build-core: oxc-minify not found (npm install); the glue is not minified');
    process.exit(0);
  }
  for (const file of process.argv.slice(1)) {
    const result = await minify(file.split('/').pop(), readFileSync(file, 'utf8'), { module: true, compress: true, mangle: true });
    if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
    writeFileSync(file, result.code);
  }
" js/core/compoly-core.mjs js/core/compoly-core-full.mjs

# Smoke test: each glue and its binary must load together under Node, with the functions each
# build has.
node --input-type=module -e "
  import { loadCore, loadFullCore } from '$ROOT/js/core/load.js';
  const lean = await loadCore();
  const full = await loadFullCore();
  for (const f of ['compile']) if (typeof lean[f] !== 'function') throw new Error('the lean core lacks ' + f);
  for (const f of ['compile', 'wit', 'link']) if (typeof full[f] !== 'function') throw new Error('the full core lacks ' + f);
" || { echo "build-core: js/core/compoly-core{,-full}.{mjs,wasm} do not load under Node" >&2; rm -f "${OUTPUTS[@]}"; exit 1; }
for out in js/core/compoly-core js/core/compoly-core-full; do
  echo "build-core: $(basename "$out"): $(wc -c <"$out.wasm") bytes wasm, $(wc -c <"$out.mjs") bytes glue -> js/core/"
done
