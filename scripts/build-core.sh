#!/usr/bin/env bash
# Build the C++ core to WebAssembly (Emscripten) into build/wasm and copy
# compoly-core.mjs + compoly-core.wasm to js/core/.
# Skips the build when both outputs are newer than CMakeLists.txt and every file under src/.
# Usage: scripts/build-core.sh [--force]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="$ROOT/build/wasm"
OUT_MJS="$ROOT/js/core/compoly-core.mjs"
OUT_WASM="$ROOT/js/core/compoly-core.wasm"

force=0
[[ "${1:-}" == "--force" ]] && force=1

if [[ ! -f src/api/embind.cc ]]; then
  echo "build-core: src/api/embind.cc does not exist yet; nothing to build" >&2
  exit 1
fi

up_to_date() {
  [[ -f "$OUT_MJS" && -f "$OUT_WASM" ]] || return 1
  local newer
  newer="$(find src cmake CMakeLists.txt scripts/build-core.sh -type f \( -newer "$OUT_MJS" -o -newer "$OUT_WASM" \) -print -quit)"
  [[ -z "$newer" ]]
}

if [[ $force -eq 0 ]] && up_to_date; then
  echo "build-core: js/core/compoly-core.{mjs,wasm} are up to date"
  exit 0
fi

# Debian's emscripten runs its JS tools (acorn, terser) with the machine's node and
# expects the Debian node modules on NODE_PATH.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
GEN=(-G Ninja)
command -v ninja >/dev/null || GEN=()

emcmake cmake -S "$ROOT" -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$BUILD" --target compoly-core

# The CMake post-build step copies the outputs; copy again in case only the copy is stale.
mkdir -p js/core
cp "$BUILD/compoly-core.mjs" "$OUT_MJS"
cp "$BUILD/compoly-core.wasm" "$OUT_WASM"
touch "$OUT_MJS" "$OUT_WASM"
echo "build-core: $(wc -c <"$OUT_WASM") bytes wasm, $(wc -c <"$OUT_MJS") bytes glue -> js/core/"
