#!/usr/bin/env bash
# Native build of the C++ core (g++ by default; CXX=clang++ also builds the libFuzzer target)
# into build/native, with AddressSanitizer + UBSan, then run the unit tests with ctest.
# Environment: BUILD_TYPE (default Debug), COMPOLY_SANITIZE (ON), BUILD_DIR (build/native).
# Extra arguments are passed to ctest (e.g. -R Decoder).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${BUILD_DIR:-$ROOT/build/native}"

GEN=(-G Ninja)
command -v ninja >/dev/null || GEN=()
# A build directory configured with another generator cannot be reused.
if [[ -f "$BUILD/CMakeCache.txt" ]] && ! grep -q "CMAKE_GENERATOR:INTERNAL=${GEN[1]:-Unix Makefiles}" "$BUILD/CMakeCache.txt"; then
  rm -rf "$BUILD"
fi

cmake -S "$ROOT" -B "$BUILD" "${GEN[@]}" \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Debug}" \
  -DCOMPOLY_SANITIZE="${COMPOLY_SANITIZE:-ON}" >/dev/null
cmake --build "$BUILD"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$BUILD"
ctest --output-on-failure -j "$(nproc)" "$@"
