#!/usr/bin/env bash
# The runtime package on Debian bookworm's own Node.js 18 (what Debian 12 and Raspberry Pi OS
# bookworm ship; package.json says "node": ">=18.19"), on this x86-64 machine: the packed tarball
# installed with --omit=dev, then tools/ci/runtimeDigest.mjs (`hushpack enhance` through the CLI
# and the Enhancer with both WASM builds, every distinct committed .hush) must give output
# byte-identical to the system Node's, and `bench --json`, `inspect` and `demo --json` must run.
# Debian's nodejs is fetched with `apt-get download` and unpacked into a cache (dpkg-deb -x), never
# installed: the system Node stays. It reads its externalized builtins from /usr/share/nodejs, so
# it runs in a private mount namespace (unshare -m) with the packages' /usr/share overlaid there.
# Ends with the line `node18: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tools/ci/lib.sh
CACHE=${HUSHPACK_NODE18_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hushpack-node18}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hushpack-node18.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "node18: ok   $*"; }
bad() { failed=$((failed + 1)); echo "node18: FAIL $*"; }

[ -f dist/tools/cli.js ] && [ -f build/hush-simd.wasm ] || { echo "node18: run 'npm run build' first" >&2; exit 2; }

# nodejs 18 and the libraries it needs that a Node-20 machine may lack (all from bookworm).
debs=(nodejs libnode108 libc-ares2 libuv1 libicu72 libnghttp2-14 libbrotli1 node-acorn node-cjs-module-lexer node-undici)
if [ ! -x "$CACHE/root/usr/bin/node" ]; then
  mkdir -p "$CACHE/debs"
  version=$(apt-cache madison nodejs | awk '$3 ~ /^18\./ { print $3; exit }')
  if [ -z "$version" ]; then apt-get update -qq; version=$(apt-cache madison nodejs | awk '$3 ~ /^18\./ { print $3; exit }'); fi
  [ -n "$version" ] || { echo "node18: no nodejs 18 in the apt sources" >&2; exit 1; }
  (cd "$CACHE/debs" && apt-get download -qq "nodejs=$version" "${debs[@]:1}" 2>/dev/null)
  for f in "$CACHE"/debs/*.deb; do dpkg-deb -x "$f" "$CACHE/root"; done
fi
node18() {
  unshare -m sh -c 'mount -t overlay overlay -o "lowerdir=$0/usr/share:/usr/share" /usr/share &&
    LD_LIBRARY_PATH="$0/usr/lib/$(uname -m)-linux-gnu" exec "$0/usr/bin/node" "$@"' "$CACHE/root" "$@"
}
v=$(node18 -p process.version) && ok "Debian's Node runs: $v" || { bad "Debian's Node does not start"; echo "node18: $passed passed, $failed failed"; exit 1; }

tgz=$(npm pack --silent --pack-destination "$WORK" | tail -1)
mkdir -p "$WORK/rt/out" && echo '{"name":"rt","private":true}' >"$WORK/rt/package.json"
(cd "$WORK/rt" && npm install --omit=dev --no-audit --no-fund --loglevel=error "$WORK/$tgz" >/dev/null)
cp tools/ci/runtimeDigest.mjs "$WORK/rt/"
(cd "$WORK/rt" && node -e "
  import('hushpack').then(({ readMono, writeWav }) => {
    const { sampleRate, samples } = readMono('$ROOT/demos/clips/01_asterisk-june_babble_0dB_mix.wav');
    writeWav('$WORK/in.wav', { sampleRate, channels: [samples.slice(0, sampleRate / 2)] });
  })")
ci_models_distinct
(cd "$WORK/rt" && node runtimeDigest.mjs "$WORK/in.wav" "$WORK/rt/out" "${models[@]}") >"$WORK/digest-system.json"
if (cd "$WORK/rt" && node18 runtimeDigest.mjs "$WORK/in.wav" "$WORK/rt/out" "${models[@]}") >"$WORK/digest-18.json" 2>"$WORK/digest-18.err"; then
  ci_digest_compare "$WORK/digest-system.json" "$WORK/digest-18.json" "system Node" >"$WORK/cmp.txt"
  same=$(grep -c '^ok ' "$WORK/cmp.txt" || true)
  if grep -q '^bad ' "$WORK/cmp.txt"; then
    bad "differ: $(grep '^bad ' "$WORK/cmp.txt" | sed 's/^bad //' | paste -sd ';' -)"
  else
    ok "$(node -p "const [x, a] = ['$WORK/digest-system.json', '$WORK/digest-18.json'].map((f) => JSON.parse(require('fs').readFileSync(f, 'utf8'))); '$same outputs (enhance WAVs; Enhancer SIMD and scalar) of ' + Object.keys(x.cli).length + ' models byte-identical to Node ' + x.node + ', WASM SIMD ' + a.simd")"
  fi
else
  bad "runtime-digest: $(tail -3 "$WORK/digest-18.err")"
fi
cli="$WORK/rt/node_modules/hushpack/bin/hushpack.js"
node18 "$cli" bench --model "$ROOT/demos/models/default.hush" --frames 50 --warmup 10 --plans auto --json 2>/dev/null | node -e "
  let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => { const r = JSON.parse(s); process.exit(r.runs.length > 0 && r.host.node.startsWith('v18') ? 0 : 1); });" &&
  ok "bench --json" || bad "bench --json"
node18 "$cli" inspect "$ROOT/demos/models/default.hush" | grep -q '^signal: 16000 Hz' && ok "inspect" || bad "inspect"
(cd "$WORK" && node18 "$cli" demo --out "$WORK/demo" --json 2>/dev/null) | node -e "
  let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => process.exit(JSON.parse(s).clips.length === 6 ? 0 : 1));" &&
  ok "demo --json: 6 clips scored" || bad "demo"
echo "node18: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
