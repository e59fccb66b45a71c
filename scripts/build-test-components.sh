#!/usr/bin/env bash
# Builds the C test programs in tests/fixtures/c/*.c into WASI 0.2 command components:
#   clang-14 --target=wasm32-wasi --sysroot=/usr -O2   (Debian's wasi-libc: a preview1 module)
#   jco new X.core.wasm --wasi-command                  (the preview1 adapter shipped in jco)
# Output: build/test-components/X.component.wasm (git-ignored). A component newer than its
# source and this script is kept.
#
#   bash scripts/build-test-components.sh [NAME...]   (default: every tests/fixtures/c/*.c)
#
# Exit status 0 when built, 3 when the toolchain is missing (the message says what; tests
# skip then; bash scripts/setup.sh installs it), 1 when a build fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/tests/fixtures/c"
OUT="$ROOT/build/test-components"
JCO="$ROOT/node_modules/.bin/jco"

missing() { echo "build-test-components: $1 — run: bash scripts/setup.sh" >&2; exit 3; }
command -v clang-14 >/dev/null || missing "clang-14 not found"
[[ -f /usr/lib/wasm32-wasi/libc.a ]] || missing "wasi-libc not installed (/usr/lib/wasm32-wasi/libc.a)"
compgen -G '/usr/lib/llvm-14/lib/clang/14*/lib/wasi/libclang_rt.builtins-wasm32.a' >/dev/null \
  || missing "libclang-rt-14-dev-wasm32 not installed (compiler-rt builtins for wasm32)"
[[ -x $JCO ]] || missing "jco not installed (node_modules/.bin/jco)"

names=("$@")
if ((${#names[@]} == 0)); then
  for f in "$SRC"/*.c; do names+=("$(basename "$f" .c)"); done
fi

mkdir -p "$OUT"
for name in "${names[@]}"; do
  src="$SRC/$name.c"
  [[ -f $src ]] || { echo "build-test-components: no $src" >&2; exit 1; }
  out="$OUT/$name.component.wasm"
  if [[ -f $out && $out -nt $src && $out -nt ${BASH_SOURCE[0]} ]]; then continue; fi
  # Per-process temporaries: tests in parallel processes may build at the same time.
  core="$OUT/$name.core.wasm.$$"
  clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror -s "$src" -o "$core"
  "$JCO" new "$core" --wasi-command -o "$out.$$" >/dev/null
  mv "$core" "$OUT/$name.core.wasm"
  mv "$out.$$" "$out"
done
