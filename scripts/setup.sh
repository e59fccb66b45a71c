#!/usr/bin/env bash
# Install what a fresh Debian 12 machine needs to build and test compoly. Idempotent: when
# everything is present it only runs a few dpkg queries and exits.
#   - Debian packages (apt-get update only when something is missing)
#   - npm dev dependencies (npm ci from package-lock.json)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PACKAGES=(
  emscripten binaryen                    # C++ core -> Wasm (Emscripten 3.1.6 on Debian 12)
  cmake ninja-build g++ clang            # native build, unit tests, fuzzers
  libgtest-dev                           # GoogleTest
  wasi-libc libclang-rt-14-dev-wasm32    # test components written in C (clang --target=wasm32-wasi)
  chromium firefox-esr                   # browser tests (playwright-core drives the system browsers)
)
# WebKit for the browser tests (tests/browser/webkit.js): WebKitGTK's MiniBrowser through its
# WebDriver, under Xvfb. Installed with its recommended packages (the sandbox's bubblewrap,
# GLib's TLS and media plugins), which is how it was tried and works here.
WITH_RECOMMENDS=(webkit2gtk-driver xvfb)

not_installed() {
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}
mapfile -t missing < <(not_installed "${PACKAGES[@]}")
mapfile -t missing_with_recommends < <(not_installed "${WITH_RECOMMENDS[@]}")

if ((${#missing[@]} + ${#missing_with_recommends[@]})); then
  SUDO=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]} ${missing_with_recommends[*]}" >&2; exit 1; }
    SUDO=(sudo)
  fi
  echo "setup: installing ${missing[*]} ${missing_with_recommends[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  if ((${#missing[@]})); then
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ((${#missing_with_recommends[@]})); then
    "${SUDO[@]}" apt-get install -y -qq "${missing_with_recommends[@]}" >/dev/null
  fi
fi

command -v node >/dev/null || { echo "setup: Node.js >= 20 is required" >&2; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || { echo "setup: Node.js >= 20 is required (found $(node --version))" >&2; exit 1; }

# npm dependencies: skip when node_modules matches the lock file already.
if [[ -f package-lock.json ]]; then
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "setup: npm ci"
    # `npm ci` refuses a lock file that lacks other platforms' optional packages, which is
    # what `npm install` writes when the registry in use does not serve them (seen here:
    # jco's win32/musl/android bindings answer 404). `npm install` still follows the lock.
    if ! npm ci --no-audit --no-fund --loglevel=error >/tmp/compoly-npm-ci.$$.log 2>&1; then
      if grep -q 'in sync' /tmp/compoly-npm-ci.$$.log; then
        echo "setup: npm ci: lock file lacks optional packages this registry does not serve; using npm install"
        npm install --no-audit --no-fund --loglevel=error
      else
        cat /tmp/compoly-npm-ci.$$.log >&2
        rm -f /tmp/compoly-npm-ci.$$.log
        exit 1
      fi
    fi
    rm -f /tmp/compoly-npm-ci.$$.log
  fi
elif [[ ! -d node_modules ]]; then
  echo "setup: npm install"
  npm install --no-audit --no-fund --loglevel=error
fi
