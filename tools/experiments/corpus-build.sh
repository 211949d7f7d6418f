#!/usr/bin/env bash
# The corpus build measurement of docs/results/corpus.md: `hushpack corpus build` from an empty
# folder, its wall time (GNU time), the folder's disk use and the load average sampled every 10 s
# (peak = the largest sample), the final disk use, a second run that must find nothing to do,
# and `hushpack corpus stats --json`.
#
#   bash tools/experiments/corpus-build.sh [OUT] [LOGDIR]     (defaults /work/corpus-next, /tmp/corpus-log)
#
# OUT must not exist (a from-scratch build). Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT=${1:-/work/corpus-next}
LOG=${2:-/tmp/corpus-log}
if [ -e "$OUT" ]; then echo "corpus-build.sh: $OUT exists; give a new folder" >&2; exit 1; fi
mkdir -p "$LOG"
rm -f "$LOG/STOP" "$LOG/disk.log"

# Sampler: "epoch-seconds bytes load1 load5 load15" every 10 s until the build ends.
( while [ ! -e "$LOG/STOP" ]; do
    echo "$(date +%s) $(du -sb "$OUT" 2>/dev/null | cut -f1) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$LOG/disk.log"
    sleep 10
  done ) &
sampler=$!

/usr/bin/time -v nice -n 5 node bin/hushpack.js corpus build --out "$OUT" > "$LOG/build.out" 2> "$LOG/build.err" || { touch "$LOG/STOP"; wait $sampler; exit 1; }
touch "$LOG/STOP"
wait $sampler

/usr/bin/time -f '%e s' node bin/hushpack.js corpus build --out "$OUT" > "$LOG/rerun.out" 2> "$LOG/rerun.err"
node bin/hushpack.js corpus stats --corpus "$OUT" --json > "$LOG/stats.json"

echo "wall time:        $(grep 'Elapsed (wall clock)' "$LOG/build.err" | sed 's/.*: //')"
echo "peak disk:        $(awk '$2 > m { m = $2 } END { printf "%.2f GB", m / 1e9 }' "$LOG/disk.log")"
echo "final disk:       $(du -sb "$OUT" | awk '{ printf "%.2f GB", $1 / 1e9 }') (debs $(du -sb "$OUT/debs" | awk '{ printf "%.2f GB", $1 / 1e9 }'))"
echo "load average:     $(awk '{ s += $3; n++ } END { printf "%.1f mean of the 1-min samples", s / n }' "$LOG/disk.log")"
echo "re-run:           $(tail -1 "$LOG/rerun.err")"
echo "stats:            $LOG/stats.json"
