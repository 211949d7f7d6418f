#!/usr/bin/env bash
# Training-recipe ablations (docs/results/train/ablations.md): each row changes ONE setting against
# the control row; every row starts from the same random initialisation (seed), sees the same
# training mixtures (seed, corpus) and has the same budget (EPOCHS × STEPS optimiser steps of
# 16 × 4-s mixtures), and is validated on the same fixed set (validation split, VAL_ITEMS mixtures,
# SNR fixed to VAL_SNR and noise fixed to the control's whatever the row trains on). Rows are selected on validation only; the test
# set (LIMIT pairs per condition) is scored for the record.
#
#   bash tools/experiments/ablations.sh run ROW [ROW …]   train (or resume) and score the rows, in order
#   bash tools/experiments/ablations.sh list              the rows and their flags
#   node tools/experiments/ablations.mjs                  renders docs/results/train/ablations.md
#
# Resumable: a row whose training finished is not retrained (its .state says so: --resume with the
# same --epochs returns at once), a row whose score file exists is not rescored. Environment:
# CORPUS (default /work/corpus-v1), RUNS (default /work/runs/ablate), ARCH (default gcrn),
# THREADS (default 2), EPOCHS/STEPS (default 6 × 200), VAL_ITEMS (48), VAL_SNR (-5,5), LIMIT (50).
set -euo pipefail
cd "$(dirname "$0")/../.."

CORPUS=${CORPUS:-/work/corpus-v1}
RUNS=${RUNS:-/work/runs/ablate}
ARCH=${ARCH:-gcrn}
THREADS=${THREADS:-2}
EPOCHS=${EPOCHS:-6}
STEPS=${STEPS:-200}
VAL_ITEMS=${VAL_ITEMS:-48}
VAL_SNR=${VAL_SNR:--5,5}
LIMIT=${LIMIT:-50}
SEED=${SEED:-0}
OUT=docs/results/train/ablations
hushpack() { node bin/hushpack.js "$@"; }

# The control: the recipe of the current default model (paper loss, talker babble in half the mixtures).
CONTROL="--loss mse --talker-noise 0.5"
# Each row = the control with one change (later flags override earlier ones).
declare -A ROWS=(
  [control]=""
  [compressed]="--loss compressed"
  [snr-wide]="--snr-range -10,20"
  [talker0]="--talker-noise 0"
  [clip]="--grad-clip 1"
  [level-track]="--level track"
  # GCRN only: the output layers give a complex ratio mask applied to the noisy spectrum (GTCRN's
  # output) instead of the mapped spectrum (src/models/gcrnLayout.ts complex_mask).
  [mask]="--set complex_mask=1"
  # GCRN only: encoder 1 sees the power-law compressed spectrum |Y|^0.3·e^{j∠Y} (input_compress).
  [input-compress]="--set input_compress=1"
  # Warm starts from the talker-babble GCRN of the previous session (models/gcrn-edge-talk.safetensors,
  # ~2.5 h of training): the regime a long run is in after its first hours.
  [warm-control]="--init models/gcrn-edge-talk.safetensors"
  [warm-compressed]="--init models/gcrn-edge-talk.safetensors --loss compressed"
  # The corpus-v2 mixer augmentations (speed, rooms, EQ/telephone, level/clipping, synthetic noises, a
  # second noise; their noise mix replaces --talker-noise) at the control's SNR range; typing noise
  # needs corpus v2's keystroke clips, so it is off on corpus v1.
  [augment]="--talker-noise 0 --augment v2 --augment-set noiseTyping=0 --snr-range -5,0"
)
# Rows also scored through the live runtime's causal level path (evalset --level track): the
# level-track row against the control on what a live stream feeds the net.
TRACK_SCORED=" control level-track "

row_flags() { echo "$CONTROL ${ROWS[$1]}"; }

run_row() {
  local row=$1
  [ -n "${ROWS[$row]+x}" ] || { echo "unknown row '$row' (bash $0 list)" >&2; exit 2; }
  local ck="$RUNS/$ARCH-$row.safetensors"
  mkdir -p "$RUNS" "$OUT"
  # shellcheck disable=SC2046
  if [ -f "$ck.state" ]; then
    hushpack train --corpus "$CORPUS" --out "$ck" --resume --epochs "$EPOCHS" --threads "$THREADS" >>"$RUNS/$ARCH-$row.log" 2>&1
  else
    hushpack train --arch "$ARCH" --preset edge --corpus "$CORPUS" --out "$ck" --epochs "$EPOCHS" --steps-per-epoch "$STEPS" \
      --val-items "$VAL_ITEMS" --val-snr-range "$VAL_SNR" --val-talker-noise 0.5 --val-augment none --seed "$SEED" --threads "$THREADS" $(row_flags "$row") >"$RUNS/$ARCH-$row.log" 2>&1
  fi
  cp "$ck.log.jsonl" "$OUT/$ARCH-$row.log.jsonl"
  if [ ! -f "$OUT/$ARCH-$row.score.json" ]; then
    hushpack evalset --model "$ck" --corpus "$CORPUS" --split test --limit "$LIMIT" --workers "$THREADS" \
      --out "$OUT/$ARCH-$row.score.json" >"$RUNS/$ARCH-$row.score.log" 2>&1
  fi
  if [[ "$TRACK_SCORED" == *" $row "* ]] && [ ! -f "$OUT/$ARCH-$row.track.score.json" ]; then
    hushpack evalset --model "$ck" --corpus "$CORPUS" --split test --limit "$LIMIT" --workers "$THREADS" --level track \
      --out "$OUT/$ARCH-$row.track.score.json" >"$RUNS/$ARCH-$row.track.score.log" 2>&1
  fi
  # The exact command of the row, for the results page.
  echo "CORPUS=$CORPUS THREADS=$THREADS EPOCHS=$EPOCHS STEPS=$STEPS VAL_ITEMS=$VAL_ITEMS VAL_SNR=$VAL_SNR LIMIT=$LIMIT SEED=$SEED ARCH=$ARCH bash tools/experiments/ablations.sh run $row  # flags: $(row_flags "$row")" >"$OUT/$ARCH-$row.command"
}

case "${1:-}" in
  run) shift; for r in "$@"; do run_row "$r"; done ;;
  list) for r in "${!ROWS[@]}"; do echo "$r: $(row_flags "$r")"; done ;;
  *) echo "usage: bash tools/experiments/ablations.sh run ROW [ROW …] | list" >&2; exit 2 ;;
esac
