#!/usr/bin/env bash
# The README's demo: install what is missing, build the core, run the demo.
# Arguments are passed to demos/run-demo.js.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build-core.sh
node demos/run-demo.js "$@"
# Then serve the web demo (web/index.html) until Ctrl-C; without a terminal or with CI set it checks the page in headless Chromium and exits.
(( $# )) || exec node scripts/serve-demo.js
