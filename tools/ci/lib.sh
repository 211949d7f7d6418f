# Shared steps of the runtime CI scripts (tools/ci/arm.sh, tools/ci/node18.sh); sourced, after
# `cd` to the repository root with ROOT set. Both compare the runtime's output on another Node or
# CPU with this machine's, byte for byte, through tools/ci/runtimeDigest.mjs.

# ci_models_distinct: sets the array `models` to the committed .hush files (absolute paths), one per
# distinct content (the same bytes committed twice are run once).
ci_models_distinct() {
  models=()
  local f h
  declare -A seen=()
  while read -r f; do
    h=$(sha256sum "$f" | cut -c1-64)
    [ -n "${seen[$h]:-}" ] && continue
    seen[$h]=1; models+=("$ROOT/$f")
  done < <(git ls-files '*.hush' | sort)
}

# ci_digest_compare REF.json OTHER.json LABEL: one line per output of runtimeDigest.mjs, 'ok WHAT' when
# OTHER's sha256 equals REF's (LABEL names REF's host, e.g. x86-64), 'bad WHAT: OTHER ≠ REF' otherwise — every `hushpack enhance` WAV,
# then the Node Enhancer's output with each WASM build (model paths relative to ROOT).
ci_digest_compare() {
  node -e "
    const [x, a] = [process.argv[1], process.argv[2]].map((f) => JSON.parse(require('fs').readFileSync(f, 'utf8')));
    const name = (m) => m.replace(process.argv[3] + '/', '');
    for (const [m, h] of Object.entries(x.cli))
      console.log(a.cli[m] === h ? 'ok enhance ' + name(m) + ': WAV sha256 = ' + process.argv[4] + ' (' + h.slice(0, 16) + '…)' : 'bad enhance ' + name(m) + ': ' + a.cli[m] + ' ≠ ' + process.argv[4] + ' ' + h);
    for (const [m, r] of Object.entries(x.enhancer)) for (const fl of Object.keys(r))
      console.log(a.enhancer[m]?.[fl] === r[fl] ? 'ok Enhancer ' + fl + ' ' + name(m) + ' = ' + process.argv[4] : 'bad Enhancer ' + fl + ' ' + name(m) + ': ' + a.enhancer[m]?.[fl] + ' ≠ ' + r[fl]);
  " "$1" "$2" "$ROOT" "$3"
}
