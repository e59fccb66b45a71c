#!/usr/bin/env bash
# Reproduces the fuzz runs recorded in README.md's "Reliability" section (not run by CI).
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET]
#
# SECONDS: how long to fuzz (default 600). TARGET: compile (default: compoly_fuzz, the whole
# core: decode, validate, link, plan JSON), lean (compoly_fuzz_lean, the same over the lean
# core, which builds no message text) or core_module (compoly_fuzz_core_module, the core
# module scanner). The compile and lean targets are also seeded with tests/fixtures/{invalid,valid}.
#
# Builds the libFuzzer targets with clang (ASan + UBSan) into BUILD_DIR (default build/fuzz),
# seeds them from ../shared/corpus (components under SMALL bytes, the .wat ones assembled with
# jco when it is installed, and the core modules inside every component for core_module),
# plus the checked-in regression inputs in tests/fuzz/corpus/TARGET, then runs one libFuzzer
# worker. Nothing is written inside the repository except BUILD_DIR: seeds, the evolving corpus
# (kept between runs), crash artifacts and the log go to FUZZ_DIR (default /tmp/compoly-fuzz).
#
# Environment: BUILD_DIR, FUZZ_DIR, MAX_LEN (default 300000), SMALL (default 300000),
# RSS_LIMIT_MB (default 4096), CORPUS (default ../shared/corpus). Extra libFuzzer flags can be
# given as FUZZ_FLAGS="-seed=1 ...".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SECONDS_TO_RUN="${1:-600}"
TARGET="${2:-compile}"
BUILD="${BUILD_DIR:-$ROOT/build/fuzz}"
WORK="${FUZZ_DIR:-/tmp/compoly-fuzz}"
MAX_LEN="${MAX_LEN:-300000}"
SMALL="${SMALL:-300000}"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"

case "$TARGET" in
  compile) BIN=compoly_fuzz ;;
  lean) BIN=compoly_fuzz_lean ;;
  core_module) BIN=compoly_fuzz_core_module ;;
  *) echo "unknown target '$TARGET' (compile, lean or core_module)" >&2; exit 2 ;;
esac

command -v clang++ >/dev/null || { echo "clang++ is needed for libFuzzer" >&2; exit 1; }

GEN=(-G Ninja)
command -v ninja >/dev/null || GEN=()
if [[ -f "$BUILD/CMakeCache.txt" ]] && ! grep -q "CMAKE_CXX_COMPILER:.*clang" "$BUILD/CMakeCache.txt"; then
  echo "$BUILD was configured with another compiler; remove it or set BUILD_DIR" >&2
  exit 1
fi
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" "${GEN[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOMPOLY_FUZZ=ON -DCOMPOLY_SANITIZE=ON >/dev/null
cmake --build "$BUILD" --target "$BIN" compoly-inspect

SEEDS="$WORK/seeds/$TARGET"
LIVE="$WORK/corpus/$TARGET"
ARTIFACTS="$WORK/artifacts/$TARGET/"
rm -rf "$SEEDS"
mkdir -p "$SEEDS" "$LIVE" "$ARTIFACTS"

if [[ -d "$CORPUS" ]]; then
  shopt -s nullglob
  components=("$CORPUS"/jco-runtime/*.wasm "$CORPUS"/wasmtime-p2/*.wasm)
  wats=("$CORPUS"/jco-runtime/*.wat)
  # Our fixtures too: the invalid ones start the fuzzer next to each error path.
  wats+=("$ROOT"/tests/fixtures/invalid/*.wat "$ROOT"/tests/fixtures/valid/*.wat)
  shopt -u nullglob
  # Assemble the .wat components when jco is installed (npm install).
  if ((${#wats[@]})) && [[ -d "$ROOT/node_modules/@bytecodealliance/jco" ]]; then
    mkdir -p "$WORK/wat"
    WAST_STRICT_COMPONENT_INDICES=0 node --input-type=module - "$WORK/wat" "${wats[@]}" <<'EOF' || true
import { parse } from '@bytecodealliance/jco';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
const [out, ...files] = process.argv.slice(2);
for (const f of files) {
  try {
    writeFileSync(`${out}/${basename(dirname(f))}-${basename(f, '.wat')}.wasm`, await parse(readFileSync(f, 'utf8')));
  } catch (err) {
    console.error(`cannot assemble ${f}: ${String(err).split('\n')[0]}`);
  }
}
EOF
    shopt -s nullglob
    components+=("$WORK"/wat/*.wasm)
    shopt -u nullglob
  fi
  if [[ "$TARGET" == compile || "$TARGET" == lean ]]; then
    for f in "${components[@]}"; do
      if (($(stat -c %s "$f") < SMALL)); then cp "$f" "$SEEDS/$(basename "$(dirname "$f")")--$(basename "$f")"; fi
    done
  else
    # The core modules of every component, cut out at the byte ranges the plan names.
    for f in "${components[@]}"; do
      "$BUILD/compoly-inspect" --plan "$f" | node -e '
        const fs = require("node:fs");
        const [file, out] = process.argv.slice(1);
        const r = JSON.parse(fs.readFileSync(0, "utf8"));
        if (!r.ok) process.exit(0);
        const bytes = fs.readFileSync(file);
        r.plan.modules.forEach(([offset, size], i) =>
          fs.writeFileSync(`${out}/${require("node:path").basename(file)}.${i}.wasm`,
                           bytes.subarray(offset, offset + size)));
      ' "$f" "$SEEDS"
    done
  fi
else
  echo "no corpus at $CORPUS: seeding from tests/fuzz/corpus only" >&2
fi
if [[ -d "$ROOT/tests/fuzz/corpus/$TARGET" ]]; then
  cp "$ROOT/tests/fuzz/corpus/$TARGET"/* "$SEEDS/" 2>/dev/null || true
fi
echo "$(find "$SEEDS" -type f | wc -l) seed input(s) in $SEEDS; evolving corpus in $LIVE"

LOG="$WORK/$TARGET.log"
echo "fuzzing $BIN for ${SECONDS_TO_RUN}s, log in $LOG"
status=0
# shellcheck disable=SC2086
"$BUILD/$BIN" "$LIVE" "$SEEDS" \
  -max_total_time="$SECONDS_TO_RUN" -max_len="$MAX_LEN" -rss_limit_mb="${RSS_LIMIT_MB:-4096}" \
  -timeout=25 -print_final_stats=1 -artifact_prefix="$ARTIFACTS" ${FUZZ_FLAGS:-} \
  >"$LOG" 2>&1 || status=$?

grep -E '^#[0-9]+' "$LOG" | tail -n 1 || true
grep -E '^(stat::|Done)' "$LOG" || true
if ((status != 0)); then
  echo "libFuzzer exited with status $status: see $LOG and $ARTIFACTS" >&2
  grep -E 'ERROR|SUMMARY|Test unit written' "$LOG" >&2 || true
fi
exit "$status"
