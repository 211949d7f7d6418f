#!/usr/bin/env bash
# hushpack's entry points on a fresh Debian machine (run as root, or with sudo available):
#   bash tools/run.sh demo             — set up, then run the main job (`hushpack demo`)
#   bash tools/run.sh demo --runtime   — the same on the runtime only (e.g. a Raspberry Pi): no
#                                        system packages, no libtorch, no native compile
#   bash tools/run.sh test             — set up, then run the whole test suite (.ci/run calls this)
#   bash tools/run.sh setup            — set up only (system packages, npm ci, builds)
# Set-up is idempotent: system packages are installed only when missing, `npm ci` runs only when
# package-lock.json changed, builds are incremental. Nothing here hides a failure (set -e, pipefail).
#
# The full set-up installs ffmpeg and sox (corpus decoding), libtorch-dev and OpenBLAS (training,
# through the N-API addon that `npm run build:native` compiles) and chromium (browser tests).
# `--runtime` installs none of them and compiles nothing native: `npm ci` (JavaScript and prebuilt
# binaries only: the lock file holds every platform's esbuild/rollup entries, so it installs on
# x86-64, arm64 and armv7) and `npm run build` (AssemblyScript → WASM, TypeScript, esbuild bundles).
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:-}
[ $# -gt 0 ] && shift
runtime_only=0
args=()
for a in "$@"; do
  if [ "$a" = --runtime ]; then runtime_only=1; else args+=("$a"); fi
done
case "$cmd" in
  demo | test | setup) ;;
  *) echo "usage: bash tools/run.sh demo [--runtime] [demo options] | test [vitest options] | setup [--runtime]" >&2; exit 2 ;;
esac
if [ $runtime_only = 1 ] && [ "$cmd" = test ]; then
  echo "hushpack: the test suite needs the full set-up (libtorch, chromium); drop --runtime" >&2
  exit 2
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ]; then
  echo "hushpack: Node.js ≥ 18 is needed (found: $(node -v 2>/dev/null || echo none)); on Debian 12: apt-get install nodejs npm" >&2
  exit 1
fi

if [ $runtime_only = 0 ]; then
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
fi

# npm dependencies exactly as package-lock.json says, installed only when the lock file is newer
# than the installed tree. The lock holds every platform's optional packages (@esbuild/*,
# @rollup/rollup-*), which npm 11's `npm ci` requires on any platform.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npm run build
# The training addon needs libtorch; the WASM runtime and the browser bundles do not.
if [ $runtime_only = 0 ]; then
  if [ ! -f native/build/Release/hushpack_torch.node ] || [ -n "$(find native/src native/binding.gyp -newer native/build/Release/hushpack_torch.node 2>/dev/null)" ]; then
    npm run build:native
  fi
fi

case "$cmd" in
  demo) exec node bin/hushpack.js demo ${args[@]+"${args[@]}"} ;;
  test) npx tsc -p tsconfig.test.json; exec npx vitest run ${args[@]+"${args[@]}"} ;;
  setup) ;;
esac
