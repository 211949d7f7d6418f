#!/usr/bin/env bash
# hushpack's two entry points on a fresh Debian machine (run as root, or with sudo available):
#   bash tools/run.sh demo   — set up, then run the main job (`hushpack demo`)
#   bash tools/run.sh test   — set up, then run the whole test suite (this is what .ci/run calls)
# Set-up is idempotent: system packages are installed only when missing, npm install only when
# package-lock.json changed, builds are incremental. Nothing here hides a failure (set -e, pipefail).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the project needs, as (command or file to probe, Debian package).
need_pkgs=()
probe() { if ! { command -v "$1" >/dev/null 2>&1 || [ -e "$1" ]; }; then need_pkgs+=("$2"); fi; }
# A package with no command or fixed path to probe (library paths differ per architecture).
probe_pkg() { if ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; then need_pkgs+=("$1"); fi; }
probe ffmpeg ffmpeg
probe sox sox
probe /usr/include/torch/csrc/api/include/torch/torch.h libtorch-dev
probe chromium chromium
# Debian's libtorch links the generic libblas.so.3; without OpenBLAS behind it the reference BLAS
# makes dense/LSTM training ~16x slower (measured: 3 vs 49 GFLOP/s on an FDNN-like step).
probe_pkg libopenblas0-pthread
if [ -n "${LIBTORCH:-}" ]; then
  # A user-supplied libtorch tree replaces Debian's package.
  need_pkgs=("${need_pkgs[@]/libtorch-dev}")
fi
pkgs=()
for p in "${need_pkgs[@]}"; do [ -n "$p" ] && pkgs+=("$p"); done
if [ ${#pkgs[@]} -gt 0 ]; then
  echo "hushpack set-up: installing ${pkgs[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${pkgs[@]}"
fi

# npm dependencies at the versions of package-lock.json, installed only when the lock file is newer
# than the installed tree. (`npm install`, not `npm ci`: npm 11.19's ci rejects lock files that omit
# other platforms' optional packages such as @rollup/rollup-android-*, which npm itself writes so.)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi

npm run build
# The training addon needs libtorch; the WASM runtime and the browser bundles do not.
if [ ! -f native/build/Release/hushpack_torch.node ] || [ -n "$(find native/src native/binding.gyp -newer native/build/Release/hushpack_torch.node 2>/dev/null)" ]; then
  npm run build:native
fi

case "${1:-}" in
  demo) shift; exec node bin/hushpack.js demo "$@" ;;
  test) shift; npx tsc -p tsconfig.test.json; exec npx vitest run "$@" ;;
  *) echo "usage: bash tools/run.sh demo|test" >&2; exit 2 ;;
esac
