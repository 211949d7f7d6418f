#!/usr/bin/env bash
# The edge-model experiments of docs/results/: train the four `edge` networks on the open corpus,
# compress each with pipelines C1 and C2, score every model on the fixed test set and render the
# report. Every step is resumable and skipped when its output exists, so the script can be
# re-run after an interruption (training continues from its .state with --resume).
#
#   bash tools/experiments/edge-models.sh train A [MINUTES]    train (or continue) arch A
#   bash tools/experiments/edge-models.sh compress A P         pipeline P (c1|c2) on arch A
#   bash tools/experiments/edge-models.sh compress-run NAME P [FLAGS…]
#                                                              pipeline P on a converge.sh run (models/state/NAME)
#   bash tools/experiments/edge-models.sh score FILE           test-set scores of a model file
#   bash tools/experiments/edge-models.sh report               HTML report of docs/results/compress
#   bash tools/experiments/edge-models.sh all [MINUTES]        everything above, in order
#
# Environment: CORPUS (default /work/corpus), RUNS (checkpoints and logs, default /work/runs),
# THREADS (libtorch threads per process, default 2; the committed runs used 1 with two processes
# side by side on the 2-core machine), and the compression budgets below.
set -euo pipefail
cd "$(dirname "$0")/../.."

CORPUS=${CORPUS:-/work/corpus}
RUNS=${RUNS:-/work/runs}
THREADS=${THREADS:-2}
RESULTS=docs/results/compress
# Compression budgets (optimiser steps of batch 16 × 4 s). Short, so that all eight runs fit in
# about an hour on two cores; the pipelines' own defaults are one training epoch per phase.
MAX_ITER=${MAX_ITER:-2}
FT_STEPS=${FT_STEPS:-50}
PRE_STEPS=${PRE_STEPS:-50}
CENTROID_STEPS=${CENTROID_STEPS:-100}
SENS_ITEMS=${SENS_ITEMS:-16}
hushpack() { node bin/hushpack.js "$@"; }
mkdir -p "$RUNS" "$RESULTS" docs/results/train

train() {
  local arch=$1 minutes=${2:-45} out="$RUNS/$1-edge.safetensors"
  if [ -f "$out.state" ]; then
    hushpack train --corpus "$CORPUS" --out "$out" --resume --minutes "$minutes" --threads "$THREADS" >>"$RUNS/$arch-edge.log" 2>&1
  else
    hushpack train --arch "$arch" --preset edge --corpus "$CORPUS" --out "$out" --minutes "$minutes" --threads "$THREADS" >"$RUNS/$arch-edge.log" 2>&1
  fi
  cp "$out.log.jsonl" "docs/results/train/$arch-edge.log.jsonl"
  # Checkpoints under 5 MB are committed (models/); the .state stays in $RUNS.
  cp "$out" "models/$arch-edge.safetensors"
}

compress() {
  local arch=$1 pipeline=$2 out="$RESULTS/$1-edge-$2"
  [ -f "$out.report.json" ] && { echo "$out.report.json exists; skipped" >&2; return; }
  hushpack compress --pipeline "$pipeline" --in "models/$arch-edge.safetensors" --corpus "$CORPUS" \
    --out "$RUNS/$arch-edge-$pipeline.hush" --report "$out.report.json" \
    --max-iterations "$MAX_ITER" --finetune-steps "$FT_STEPS" --pre-steps "$PRE_STEPS" \
    --centroid-steps "$CENTROID_STEPS" --sens-items "$SENS_ITEMS" --threads "$THREADS" \
    >"$RUNS/$arch-edge-$pipeline.log" 2>&1
  cp "$RUNS/$arch-edge-$pipeline.hush" "$RESULTS/$arch-edge-$pipeline.hush"
}

# A long run of tools/experiments/converge.sh (its best checkpoint in models/state/NAME.safetensors);
# FLAGS are extra compress flags (e.g. --alpha2), recorded in the report's command.
compress_run() {
  local name=$1 pipeline=$2 out="$RESULTS/$1-$2"
  shift 2
  [ -f "$out.report.json" ] && { echo "$out.report.json exists; skipped" >&2; return; }
  hushpack compress --pipeline "$pipeline" --in "models/state/$name.safetensors" --corpus "$CORPUS" \
    --out "$RUNS/$name-$pipeline.hush" --report "$out.report.json" \
    --max-iterations "$MAX_ITER" --finetune-steps "$FT_STEPS" --pre-steps "$PRE_STEPS" \
    --centroid-steps "$CENTROID_STEPS" --sens-items "$SENS_ITEMS" --threads "$THREADS" "$@" \
    >"$RUNS/$name-$pipeline.log" 2>&1
  cp "$RUNS/$name-$pipeline.hush" "$RESULTS/$name-$pipeline.hush"
}

score() {
  local model=$1 stem
  stem=$(basename "${model%.*}")
  [ -f "$RESULTS/$stem.score.json" ] && { echo "$RESULTS/$stem.score.json exists; skipped" >&2; return; }
  hushpack evalset --model "$model" --corpus "$CORPUS" --split test --out "$RESULTS/$stem.score.json" >"$RUNS/$stem.score.log" 2>&1
}

report() {
  hushpack report --results "$RESULTS" --out "$RESULTS/report.html"
}

case "${1:-}" in
  train) train "$2" "${3:-45}" ;;
  compress) compress "$2" "$3" ;;
  compress-run) compress_run "${@:2}" ;;
  score) score "$2" ;;
  report) report ;;
  all)
    for a in fdnn lstm tcnn gcrn; do train "$a" "${2:-45}"; done
    for a in fdnn lstm tcnn gcrn; do score "models/$a-edge.safetensors"; for p in c1 c2; do compress "$a" "$p"; score "$RESULTS/$a-edge-$p.hush"; done; done
    report ;;
  *) sed -n 2,16p "$0" >&2; exit 2 ;;
esac
