#!/usr/bin/env bash
# Trains one `edge` network to convergence in legs that fit stretches of work (docs/results/train/README.md):
# each leg continues the run from its committed state (models/state/NAME.safetensors.state) for at most
# MINUTES, then stops cleanly (state saved, partial epoch validated). The run itself stops when the plateau
# schedule declares convergence (no validation gain in --stop-patience epochs after the lr decayed) or at
# EPOCHS. Every leg appends one JSON line to docs/results/train/legs.jsonl: the exact command, start/end
# time, wall seconds, load average before/after, and epoch/step before/after.
#
#   bash tools/experiments/converge.sh NAME MINUTES -- FLAGS…   first leg: FLAGS are the train flags (arch, preset, recipe…)
#   bash tools/experiments/converge.sh NAME MINUTES [-- FLAGS…] next legs: --resume; FLAGS may only raise the plateau
#                                                                rule's --stop-patience (src/train/trainer.ts RESUME_EXTENDABLE)
#
# Environment: CORPUS (default /work/corpus), THREADS (2), EPOCHS (total cap, default 200).
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=$1 MINUTES=$2
shift 2
[ "${1:-}" = "--" ] && shift
CORPUS=${CORPUS:-/work/corpus}
THREADS=${THREADS:-2}
EPOCHS=${EPOCHS:-200}
STATE_DIR=models/state
OUT="$STATE_DIR/$NAME.safetensors"
mkdir -p "$STATE_DIR" docs/results/train
hushpack() { node bin/hushpack.js "$@"; }
progress() { # epoch and step of the run's state, or 0 0
  if [ -f "$OUT.log.jsonl" ]; then tail -n 1 "$OUT.log.jsonl" | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8"));console.log(r.epoch, r.step)'; else echo 0 0; fi
}
read -r e0 s0 < <(progress)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date -u +%FT%TZ)
start=$(date +%s)
if [ -f "$OUT.state" ]; then
  cmd=(hushpack train --corpus "$CORPUS" --out "$OUT" --resume --minutes "$MINUTES" --epochs "$EPOCHS" --threads "$THREADS" "$@")
else
  cmd=(hushpack train --corpus "$CORPUS" --out "$OUT" --minutes "$MINUTES" --epochs "$EPOCHS" --threads "$THREADS" "$@")
fi
rc=0
"${cmd[@]}" >>"$STATE_DIR/$NAME.train.log" 2>&1 || rc=$?
read -r e1 s1 < <(progress)
node -e 'const [name, t0, t1, secs, l0, l1, e0, s0, e1, s1, rc, ...cmd] = process.argv.slice(1);
  console.log(JSON.stringify({ run: name, start: t0, end: t1, wall_seconds: +secs, loadavg_start: l0, loadavg_end: l1,
    epoch_start: +e0, step_start: +s0, epoch_end: +e1, step_end: +s1, exit_code: +rc, command: cmd.join(" ").replace(/^hushpack/, "node bin/hushpack.js") }));' \
  "$NAME" "$t0" "$(date -u +%FT%TZ)" "$(( $(date +%s) - start ))" "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)" "$e0" "$s0" "$e1" "$s1" "$rc" "${cmd[@]}" \
  >>docs/results/train/legs.jsonl
exit "$rc"
