/**
 * "Has the validation curve flattened?" (issue 17 §3), computed from a run's log, not judged by
 * eye, and the wall-clock hours of a long run's legs against its optimiser steps. Used by
 * `hushpack report --train-logs` (src/compress/reportTraining.ts) and by
 * tools/experiments/trainCurves.ts, which writes docs/results/train/curves.md.
 *
 * Two numbers per run:
 *   STOI gain over the last K epochs: best val STOI of the validations in the last K epochs' worth
 *     of steps minus the best before them, in STOI points (×100); ≤ 0: those epochs brought nothing
 *     (issue 17's stop rule is "no gain over 3 epochs"). Steps, not validations, set the window:
 *     a leg that stops mid-epoch adds a partial validation, and counting it as one of the K would
 *     shrink the window. An epoch's steps: the median step gap between consecutive full-epoch
 *     validations; a log without two of them falls back to the last K validations.
 *   val loss trend over the last third: the least-squares line of val loss against step over the
 *     validations in the last third of the run's step range; its slope per 1000 steps and the
 *     change it implies over that third, in % of the mean loss there (negative = still falling).
 * A run counts as flattened when every number it has is within its tolerance: the STOI gain below
 * FLAT_STOI_POINTS and the loss falling by less than FLAT_LOSS_PERCENT over the last third.
 */
import type { EpochRecord } from './trainer.js';
import type { TrainLeg, TrainRun } from './trainLog.js';

/** K: the epochs the STOI gain is taken over (issue 17's "no gain over 3 epochs"). */
export const FLAT_WINDOW_EPOCHS = 3;
/** Below this best-STOI gain over the last K epochs (STOI points) the STOI curve counts as flat. */
export const FLAT_STOI_POINTS = 0.1;
/** Below this fall of val loss over the last third of the steps (% of its mean there) the loss counts as flat. */
export const FLAT_LOSS_PERCENT = 1;

/** The flattening numbers of one run. */
export interface Flatness {
  validations: number;
  k: number;
  /** Best val STOI in the last K epochs minus the best before them, STOI points; null without a STOI validation on both sides. */
  stoiGainPoints: number | null;
  /** Validations with a STOI value (0: validation metrics were off; the loss alone decides). */
  stoiValidations: number;
  /** The STOI window: validations after `afterStep` (K epochs of `epochSteps` steps before the last one; epochSteps null: the last K validations). */
  stoiWindow: { afterStep: number; epochSteps: number | null; points: number };
  /** The validations of the last third of the step range the loss line is fitted to. */
  lossWindow: { fromStep: number; toStep: number; points: number };
  /** Slope of the least-squares line of val loss against step in that window, per 1000 steps; null with < 2 distinct steps. */
  lossSlopePer1kSteps: number | null;
  /** slope × window span / mean val loss of the window, %; null when the slope is. */
  lossChangePercent: number | null;
  verdict: 'flattened' | 'still improving' | 'too few validations';
}

/** Least-squares slope of y against x; null with fewer than two distinct x. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx === 0 ? null : sxy / sxx;
}

/** The flattening numbers of a run's validations (in log order). */
export function curveFlatness(records: readonly EpochRecord[], k = FLAT_WINDOW_EPOCHS): Flatness {
  const first = records[0]?.step ?? 0;
  const last = records[records.length - 1]?.step ?? 0;
  const stoi = records.filter((r) => r.val_stoi !== null);
  const gaps: number[] = [];
  for (let i = 1; i < records.length; i++) {
    const [a, b] = [records[i - 1], records[i]];
    if (!a.partial && !b.partial && b.epoch === a.epoch + 1 && b.step > a.step) gaps.push(b.step - a.step);
  }
  gaps.sort((a, b) => a - b);
  const epochSteps = gaps.length ? gaps[Math.floor(gaps.length / 2)] : null;
  const afterStep = epochSteps !== null ? last - k * epochSteps : (stoi[stoi.length - k - 1]?.step ?? first - 1);
  const inWin = stoi.filter((r) => r.step > afterStep).map((r) => r.val_stoi as number);
  const before = stoi.filter((r) => r.step <= afterStep).map((r) => r.val_stoi as number);
  const stoiGainPoints = inWin.length && before.length ? 100 * (Math.max(...inWin) - Math.max(...before)) : null;

  const fromStep = last - (last - first) / 3;
  const win = records.filter((r) => r.step >= fromStep);
  const slope = leastSquaresSlope(win.map((r) => r.step), win.map((r) => r.val_loss));
  const span = win.length ? win[win.length - 1].step - win[0].step : 0;
  const mean = win.reduce((s, r) => s + r.val_loss, 0) / Math.max(1, win.length);
  const lossChangePercent = slope === null || mean === 0 ? null : (100 * slope * span) / Math.abs(mean);

  const checks = [
    stoiGainPoints === null ? null : stoiGainPoints < FLAT_STOI_POINTS,
    lossChangePercent === null ? null : lossChangePercent > -FLAT_LOSS_PERCENT,
  ].filter((c): c is boolean => c !== null);
  // A log without STOI (validation metrics off) is judged on its loss alone.
  const tooFew = checks.length === 0 || (stoi.length > 0 && stoiGainPoints === null);
  const verdict = tooFew ? 'too few validations' : checks.every(Boolean) ? 'flattened' : 'still improving';
  return {
    validations: records.length, k, stoiGainPoints, stoiValidations: stoi.length, stoiWindow: { afterStep, epochSteps, points: inWin.length },
    lossWindow: { fromStep: win[0]?.step ?? last, toStep: last, points: win.length },
    lossSlopePer1kSteps: slope === null ? null : slope * 1000, lossChangePercent, verdict,
  };
}

/** One sentence: the numbers and what they say. */
export function flatnessLine(f: Flatness): string {
  const sign = (v: number, d: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(d)}`;
  const stoi = f.stoiGainPoints === null
    ? f.stoiValidations === 0
      ? 'no val STOI in this log (validation metrics off): judged on the loss alone'
      : `best val STOI gain over the last ${f.k} epochs: – (needs validations with STOI before and within them)`
    : `best val STOI gain over the last ${f.k} epochs (after step ${Math.round(f.stoiWindow.afterStep)}, ${f.stoiWindow.points} validations): ${sign(f.stoiGainPoints, 2)} points (flat below ${FLAT_STOI_POINTS})`;
  const loss = f.lossSlopePer1kSteps === null
    ? `val loss over the last third of the steps: – (fewer than two validations there)`
    : `val loss over the last third of the steps (${f.lossWindow.fromStep}–${f.lossWindow.toStep}, ${f.lossWindow.points} validations): slope ${sign(f.lossSlopePer1kSteps, 4)} per 1000 steps, ${sign(f.lossChangePercent as number, 2)} % over the window (flat above −${FLAT_LOSS_PERCENT} %)`;
  return `${f.verdict === 'flattened' ? 'Flattened' : f.verdict === 'still improving' ? 'Not flattened: still improving' : 'Too few validations to tell'} — ${stoi}; ${loss}.`;
}

/** The legs that ran optimiser steps (a leg that failed before its first step trained nothing). */
function trainingLegs(legs: readonly TrainLeg[]): TrainLeg[] {
  return legs.filter((l) => l.step_end > l.step_start);
}

/** Hours of the training legs in total (null without legs that trained). */
export function trainHoursTotal(legs: readonly TrainLeg[]): number | null {
  const t = trainingLegs(legs);
  return t.length ? t.reduce((s, l) => s + l.wall_seconds, 0) / 3600 : null;
}

/**
 * Cumulative hours of training at `step`: the wall time of the earlier training legs plus the
 * covering leg's, pro rata to its steps (so validation and save time count where they happened,
 * spread over the leg). null when no leg covers the step.
 */
export function trainHoursAt(legs: readonly TrainLeg[], step: number): number | null {
  let before = 0;
  for (const l of trainingLegs(legs)) {
    if (step >= l.step_start && step <= l.step_end) return (before + (l.wall_seconds * (step - l.step_start)) / (l.step_end - l.step_start)) / 3600;
    before += l.wall_seconds;
  }
  return null;
}

/** The step at which the training legs reach `hours` (inverse of trainHoursAt); null beyond them. */
export function trainStepAtHours(legs: readonly TrainLeg[], hours: number): number | null {
  let before = 0;
  for (const l of trainingLegs(legs)) {
    const end = before + l.wall_seconds / 3600;
    if (hours >= before && hours <= end) return l.step_start + ((hours - before) / (end - before || 1)) * (l.step_end - l.step_start);
    before = end;
  }
  return null;
}

/** Hour marks for an axis: round values (…, 0.25, 0.5, 1, 2, … h apart) from 0 to the legs' total, about `target` of them. */
export function trainHourTicks(legs: readonly TrainLeg[], target = 5): { hours: number; step: number }[] {
  const total = trainHoursTotal(legs);
  if (total === null) return [];
  const every = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 6, 12, 24, 48].find((e) => total / e <= target) ?? 96;
  const out: { hours: number; step: number }[] = [];
  for (let h = 0; h <= total + 1e-9; h += every) {
    const step = trainStepAtHours(legs, h);
    if (step !== null) out.push({ hours: Number(h.toFixed(2)), step });
  }
  return out;
}

/** The validation marked best last (the run's current best checkpoint), or null. */
export function bestRecord(records: readonly EpochRecord[]): EpochRecord | null {
  for (let i = records.length - 1; i >= 0; i--) if (records[i].best) return records[i];
  return null;
}

/** Steps where the learning rate differs from the previous validation's, with the new rate. */
export function lrChanges(records: readonly EpochRecord[]): { step: number; lr: number }[] {
  const out: { step: number; lr: number }[] = [];
  for (let i = 1; i < records.length; i++) if (records[i].lr !== records[i - 1].lr) out.push({ step: records[i].step, lr: records[i].lr });
  return out;
}

/** docs/results/train/curves.md: the flattening numbers of every run, and the commands. */
export function curvesMarkdown(runs: readonly TrainRun[], command: string): string {
  const f = (v: number | null, d: number) => (v === null ? '–' : `${v < 0 ? '−' : v > 0 ? '+' : ''}${Math.abs(v).toFixed(d)}`);
  const lines = [
    '# Validation curves: have they flattened?',
    '',
    `Written by \`${command}\`; the curves themselves are in \`hushpack report --train-logs\` (docs/usage.md).`,
    '',
    `Per run (one \`*.log.jsonl\`, one line per validation): the best validation STOI of the last ${FLAT_WINDOW_EPOCHS} epochs' steps`,
    '(an epoch: the median step gap of consecutive full-epoch validations; partial validations of legs',
    'that stopped mid-epoch count inside the window, they do not shorten it) minus the best before them',
    '(STOI points), and the least-squares line of validation loss against',
    'optimiser step over the validations in the last third of the run\'s steps (slope per 1000 steps,',
    'and the change it implies over that third in % of the mean loss there; negative = still falling).',
    `"flattened" = STOI gain below ${FLAT_STOI_POINTS} points and the loss falling by less than ${FLAT_LOSS_PERCENT} % over the last third`,
    '(src/train/curves.ts). Hours: wall time of the legs that ran steps (legs.jsonl), where there is one.',
    '',
    '| run | validations | last step | hours | best checkpoint: val STOI (step) | STOI gain, last 3 epochs (points) | loss slope / 1000 steps (last third) | loss change, last third (%) | flattened? |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of runs) {
    const fl = curveFlatness(r.records);
    const best = bestRecord(r.records);
    const last = r.records[r.records.length - 1];
    const h = trainHoursTotal(r.legs);
    lines.push(`| \`${r.file}\` | ${fl.validations} | ${last.step} | ${h === null ? '–' : h.toFixed(2)} | ${best?.val_stoi == null ? '–' : `${(100 * best.val_stoi).toFixed(2)} % (${best.step})`} | ${f(fl.stoiGainPoints, 2)} | ${f(fl.lossSlopePer1kSteps, 4)} | ${f(fl.lossChangePercent, 2)} | ${fl.verdict} |`);
  }
  const cmds = runs.filter((r) => r.command !== null);
  if (cmds.length) {
    lines.push('', 'Commands of the runs (`STEM.command` next to the log, else the first leg of `legs.jsonl`):', '');
    for (const r of cmds) lines.push(`- \`${r.run}\`: \`${r.command}\``);
  }
  return `${lines.join('\n')}\n`;
}
