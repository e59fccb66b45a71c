#!/usr/bin/env bash
# Builds demos/hello into build/hello.component.wasm (a wasi:cli/run command component):
#   1. clang-14 --target=wasm32-wasi: a preview1 core module (wasi-libc from Debian)
#   2. jco new --wasi-command: wraps it with the preview1-to-0.2 adapter that ships in jco
# Does nothing when the component is newer than hello.c and this script.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"

out=build/hello.component.wasm
if [[ -f $out && $out -nt hello.c && $out -nt build.sh ]]; then
  exit 0
fi

need() { echo "demos/hello: $1 — run: bash scripts/setup.sh" >&2; exit 1; }
command -v clang-14 >/dev/null || need "clang-14 not found"
[[ -f /usr/lib/wasm32-wasi/libc.a ]] || need "wasi-libc not installed (/usr/lib/wasm32-wasi/libc.a)"
compgen -G '/usr/lib/llvm-14/lib/clang/14*/lib/wasi/libclang_rt.builtins-wasm32.a' >/dev/null \
  || need "libclang-rt-14-dev-wasm32 not installed (compiler-rt builtins for wasm32)"
[[ -x "$ROOT/node_modules/.bin/jco" ]] || need "jco not installed (node_modules/.bin/jco)"

mkdir -p build
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -s hello.c -o build/hello.core.wasm
"$ROOT/node_modules/.bin/jco" new build/hello.core.wasm --wasi-command -o "$out.tmp" >/dev/null
mv "$out.tmp" "$out"
