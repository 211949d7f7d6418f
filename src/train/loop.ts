/**
 * The epoch loop both trainers run (enhancement ./trainer.ts, separation ./separation/trainer.ts):
 * budgets, mid-epoch state saves, the partial-epoch validation when a budget stops the run, the
 * learning-rate schedule (./schedule.ts) and the plateau rule's stop. What a step, a validation and
 * a save are belongs to the trainer (a `LoopDriver`); the loop only orders them.
 *
 * Order of events, which makes a resumed run compute the same steps as an uninterrupted one:
 *   new run   → validate the initial net (epoch 0; its loss is the plateau rule's first bar) → save
 *   each epoch → lr for the epoch → steps (state saved every `checkpointMinutes`) →
 *                epoch++ → validate → plateau rule → save
 *   a budget stop mid-epoch → save first (a slow validation must not risk the progress) →
 *                validate the partial epoch (no side effects on the schedule) → save again if it
 *                became the best model
 */
import { setImmediate as nextTick } from 'node:timers/promises';
import { learningRateAt, plateauStep, type PlateauState, type ScheduleParams } from './schedule.js';

/** Why a run stopped. */
export type StopReason = 'epochs' | 'minutes' | 'steps' | 'signal' | 'converged';

/** Default minutes between mid-epoch state saves. */
export const CHECKPOINT_MINUTES_DEFAULT = 3;

/** The loop's settings: the schedule, the epoch length and the minibatch (for mixtures/s). */
export interface LoopParams extends ScheduleParams {
  stepsPerEpoch: number;
  batch: number;
}

/** The loop position, saved in the trainers' state files (their loop states extend it). */
export interface LoopState {
  hyper: LoopParams;
  /** Completed epochs. */
  epoch: number;
  /** Steps done in the current (incomplete) epoch. */
  stepInEpoch: number;
  /** Steps done in total = index of the next batch. */
  globalStep: number;
  lr: number;
  bestValLoss: number | null;
  bestEpoch: number | null;
  /** Training loss sum/count of the current epoch so far (for the epoch mean across a resume). */
  epochLossSum: number;
  epochLossCount: number;
  /** Training wall time of all invocations, seconds. */
  trainSeconds: number;
  /** The plateau schedule's bookkeeping (set by the trainers: a fresh one for runs from before it existed). */
  plateau?: PlateauState;
}

/** Budgets of one invocation (`epochs` is the run's total). */
export interface LoopBudget {
  epochs?: number;
  minutes?: number;
  maxSteps?: number;
  signal?: AbortSignal;
  /** Minutes between mid-epoch state saves (default CHECKPOINT_MINUTES_DEFAULT). */
  checkpointMinutes?: number;
}

/** Options both trainers take (each adds its net, settings and reporter). */
export interface LoopRunOptions extends LoopBudget {
  corpusDir: string;
  /** Best-model path (M.safetensors); the state and log live next to it. */
  out: string;
  /** libtorch intra-op threads (each trainer has its default). */
  threads?: number;
  /** Continue from M.safetensors.state. */
  resume?: boolean;
  /** Compute the speech metrics in validation (default true). */
  valMetrics?: boolean;
  /** Command line recorded in the metadata. */
  commandLine?: string;
}

/** The fields of every line of a run's M.safetensors.log.jsonl (each trainer adds its metrics). */
export interface LoopRecord {
  /** Completed epochs (0: the initial network). */
  epoch: number;
  /** Global optimiser steps so far. */
  step: number;
  /** True when the run stopped mid-epoch (budget) and this validates the partial epoch. */
  partial: boolean;
  /** Mean training loss over this epoch's steps (of this invocation, when resumed mid-epoch); null for epoch 0. */
  train_loss: number | null;
  val_loss: number;
  lr: number;
  /** Mean wall time per optimiser step during the epoch, and the resulting mixtures per second. */
  step_seconds: number | null;
  mixtures_per_second: number | null;
  /** Wall time of the validation pass. */
  val_seconds: number;
  /** True when this became the best checkpoint. */
  best: boolean;
  time: string;
}

/** What both trainers return (each adds its config, settings and records). */
export interface LoopRunReport {
  out: string;
  statePath: string;
  logPath: string;
  preset: string;
  bestEpoch: number | null;
  bestValLoss: number | null;
  /** Epochs and global steps completed at the end. */
  epoch: number;
  globalStep: number;
  /** Steps run by this invocation and their mean wall time / throughput (null when none). */
  steps: number;
  stepSeconds: number | null;
  mixturesPerSecond: number | null;
  stopReason: StopReason;
  /** Wall time of the invocation, from `startMs` (performance.now()). */
  seconds: number;
}

/** The common part of a trainer's report at the end of an invocation. */
export function loopRunReport(
  paths: { out: string; statePath: string; logPath: string }, loop: LoopState & { preset: string }, counters: LoopCounters, stopReason: StopReason, startMs: number,
): LoopRunReport {
  const { stepsRun, stepTimeSum } = counters;
  return {
    out: paths.out, statePath: paths.statePath, logPath: paths.logPath, preset: loop.preset,
    bestEpoch: loop.bestEpoch, bestValLoss: loop.bestValLoss, epoch: loop.epoch, globalStep: loop.globalStep,
    steps: stepsRun,
    stepSeconds: stepsRun > 0 ? stepTimeSum / stepsRun : null,
    mixturesPerSecond: stepsRun > 0 ? (loop.hyper.batch * stepsRun) / stepTimeSum : null,
    stopReason,
    seconds: (performance.now() - startMs) / 1000,
  };
}

/** This invocation's counters (not saved: a resumed run starts them afresh). */
export interface LoopCounters {
  stepsRun: number;
  stepTimeSum: number;
  /** performance.now() of the last state save, and the last validation's seconds (the budget check). */
  lastSave: number;
  lastValSeconds: number;
}

/** Progress callbacks (the CLI draws a bar from these; all optional). */
export interface LoopReporter {
  log?(message: string): void;
  epochStart?(info: { epoch: number; stepInEpoch: number; stepsPerEpoch: number; lr: number }): void;
  step?(info: { epoch: number; stepInEpoch: number; stepsPerEpoch: number; globalStep: number; loss: number; stepSeconds: number; mixturesPerSecond: number }): void;
}

/** What the loop asks of a trainer. */
export interface LoopDriver {
  /** One optimiser step on the minibatch of global step `globalStep` (batch preparation included); the loss. */
  step(globalStep: number): Promise<number> | number;
  /**
   * Validates the current net (epoch `loop.epoch`; `partial`: a budget stop mid-epoch), writes the
   * best checkpoint when the loss improved and the log line; returns the loss and whether it improved.
   */
  validate(partial: boolean, stepSeconds: number | null): { val_loss: number; best: boolean };
  /** Writes the state file (weights, optimiser moments, the loop state). */
  save(): void;
  setLr(lr: number): void;
}

export function loopCountersFresh(): LoopCounters {
  return { stepsRun: 0, stepTimeSum: 0, lastSave: performance.now(), lastValSeconds: 0 };
}

/** Runs epochs until a budget, the epoch total or the plateau rule stops the run. */
export async function loopRun(
  loop: LoopState, driver: LoopDriver, budget: LoopBudget, counters: LoopCounters, rep: LoopReporter, validateInitial: boolean,
): Promise<StopReason> {
  const hyper = loop.hyper;
  const plateau = loop.plateau!;
  const budgetMs = budget.minutes !== undefined ? budget.minutes * 60_000 : Infinity;
  const runStart = performance.now();
  const save = () => {
    driver.save();
    counters.lastSave = performance.now();
  };
  const validate = (partial: boolean, stepSeconds: number | null) => {
    const t0 = performance.now();
    const r = driver.validate(partial, stepSeconds);
    counters.lastValSeconds = (performance.now() - t0) / 1000;
    return r;
  };
  if (validateInitial && loop.globalStep === 0) {
    // The starting network is the bar the plateau schedule measures gains against.
    plateau.bestLoss = validate(false, null).val_loss;
    save();
  }
  for (;;) {
    if (plateau.converged) return 'converged';
    if (budget.epochs !== undefined && loop.epoch >= budget.epochs) return 'epochs';
    if (hyper.lrSchedule === 'step') loop.lr = learningRateAt(hyper, loop.epoch);
    driver.setLr(loop.lr);
    rep.epochStart?.({ epoch: loop.epoch + 1, stepInEpoch: loop.stepInEpoch, stepsPerEpoch: hyper.stepsPerEpoch, lr: loop.lr });
    const e = await epochSteps(loop, driver, budget, counters, rep, runStart, budgetMs, save);
    const stepSeconds = e.steps > 0 ? e.seconds / e.steps : null;
    if (e.stop) {
      save(); // first: a slow validation must not risk the progress
      if (e.steps > 0 && validate(true, stepSeconds).best) save();
      return e.stop;
    }
    loop.epoch++;
    loop.stepInEpoch = 0;
    const rec = validate(false, stepSeconds);
    if (hyper.lrSchedule === 'plateau') {
      const lr = plateauStep(plateau, hyper, loop.epoch, rec.val_loss, loop.lr);
      if (lr !== loop.lr) rep.log?.(`validation loss flat for ${hyper.lrPatience} epochs: lr ${loop.lr.toExponential(3)} → ${lr.toExponential(3)}`);
      if (plateau.converged) rep.log?.(`converged: no validation gain in ${hyper.stopPatience} epochs after the lr decayed (best epoch ${plateau.bestEpoch})`);
      loop.lr = lr;
    }
    loop.epochLossSum = 0;
    loop.epochLossCount = 0;
    save();
  }
}

/**
 * The steps of one epoch from `loop.stepInEpoch` on, until the epoch ends (stop: null) or a budget
 * stops the run. `budgetMs` is measured from `runStart`; a step is not begun when it and the
 * validation after it would overrun the budget.
 */
async function epochSteps(
  loop: LoopState, driver: LoopDriver, budget: LoopBudget, counters: LoopCounters, rep: LoopReporter,
  runStart: number, budgetMs: number, save: () => void,
): Promise<{ stop: StopReason | null; steps: number; seconds: number }> {
  const hyper = loop.hyper;
  const saveEveryMs = (budget.checkpointMinutes ?? CHECKPOINT_MINUTES_DEFAULT) * 60_000;
  let steps = 0;
  let seconds = 0;
  while (loop.stepInEpoch < hyper.stepsPerEpoch) {
    const avgStep = counters.stepsRun > 0 ? counters.stepTimeSum / counters.stepsRun : 0;
    let stop: StopReason | null = null;
    if (budget.signal?.aborted) stop = 'signal';
    else if (budget.maxSteps !== undefined && counters.stepsRun >= budget.maxSteps) stop = 'steps';
    else if (performance.now() - runStart + 1000 * (avgStep + counters.lastValSeconds) > budgetMs) stop = 'minutes';
    if (stop) return { stop, steps, seconds };
    const ts = performance.now();
    const loss = await driver.step(loop.globalStep);
    if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss} at step ${loop.globalStep}`);
    const dt = (performance.now() - ts) / 1000;
    loop.globalStep++;
    loop.stepInEpoch++;
    loop.epochLossSum += loss;
    loop.epochLossCount++;
    loop.trainSeconds += dt;
    counters.stepsRun++;
    counters.stepTimeSum += dt;
    steps++;
    seconds += dt;
    rep.step?.({
      epoch: loop.epoch + 1, stepInEpoch: loop.stepInEpoch, stepsPerEpoch: hyper.stepsPerEpoch, globalStep: loop.globalStep,
      loss, stepSeconds: dt, mixturesPerSecond: hyper.batch / dt,
    });
    if (performance.now() - counters.lastSave >= saveEveryMs) save();
    await nextTick(); // let signals and the progress bar's timers run
  }
  return { stop: null, steps, seconds };
}
