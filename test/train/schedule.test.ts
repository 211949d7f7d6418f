/**
 * The plateau learning-rate schedule (src/train/trainer.ts plateauStep): decays after `lrPatience`
 * epochs without a validation gain (counted from the best or the last decay), stops as converged
 * once `stopPatience` epochs pass without a gain after the first decay, and a gain resets both.
 */
import { describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS, type TrainHyperParams } from '../../src/train/trainer.js';
import { plateauStep, resumeExtend, type PlateauState } from '../../src/train/schedule.js';

const H: TrainHyperParams = { ...TRAIN_DEFAULTS, stepsPerEpoch: 1, lrSchedule: 'plateau', lrDecay: 0.5, lrPatience: 2, stopPatience: 3 };
const fresh = (initial: number): PlateauState => ({ bestLoss: initial, bestEpoch: 0, decays: 0, firstDecayEpoch: null, lastDecayEpoch: null, converged: false });

/** Runs the schedule over per-epoch losses (epoch 1, 2, …); returns the lr after each and the state. */
function run(losses: number[], initial = 100): { lrs: number[]; p: PlateauState } {
  const p = fresh(initial);
  let lr = 1;
  const lrs: number[] = [];
  losses.forEach((l, i) => {
    if (p.converged) return;
    lr = plateauStep(p, H, i + 1, l, lr);
    lrs.push(lr);
  });
  return { lrs, p };
}

describe('plateauStep', () => {
  it('decays after 2 flat epochs, again 2 later, and converges 3 epochs after the first decay without a gain', () => {
    const { lrs, p } = run([10, 9, 9.5, 9.6, 9.7, 9.8, 9.9, 9.95]);
    // epoch 2 best; 3, 4 flat → decay at 4; 5 flat; 6 → second decay (2 since the last); 7: 3 since the first decay → stop
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(p).toMatchObject({ bestEpoch: 2, bestLoss: 9, decays: 2, firstDecayEpoch: 4, lastDecayEpoch: 6, converged: true });
  });

  it('a gain after a decay postpones both the next decay and the stop', () => {
    const { lrs, p } = run([10, 11, 12, 9, 9.5, 9.5, 9.5, 9.5, 9.5]);
    // decay at 3; gain at 4 (best 4); decay at 6 (2 since best); stop at 7 (3 since max(best 4, first decay 3))
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
    expect(p.converged).toBe(true);
    expect(p.bestEpoch).toBe(4);
  });

  it('never decays while the loss keeps improving', () => {
    const { lrs, p } = run([9, 8, 7, 6, 5, 4]);
    expect(lrs.every((x) => x === 1)).toBe(true);
    expect(p).toMatchObject({ decays: 0, converged: false, bestEpoch: 6 });
  });
});

describe('resumeExtend (a resume that raises --stop-patience)', () => {
  /** A loop that the rule stopped: best epoch 2, first decay 4, converged at epoch 7 (3 epochs without a gain). */
  const stopped = () => {
    const { p } = run([10, 9, 9.5, 9.6, 9.7, 9.8, 9.9, 9.95]);
    return { hyper: { ...H }, plateau: p, epoch: 7 };
  };

  it('re-opens a converged run when the new patience has not run out, and the schedule then goes on', () => {
    const loop = stopped();
    const line = resumeExtend(loop, { stopPatience: 6 });
    expect(line).toMatch(/3 → 6 epochs: .*continues/);
    expect(loop.plateau.converged).toBe(false);
    expect(loop.hyper.stopPatience).toBe(6);
    // epochs without a gain are counted from max(best 2, first decay 4): epochs 8, 9 → 4, 5 (< 6); epoch 10 → 6: stops
    let lr = 0.25;
    for (const e of [8, 9]) lr = plateauStep(loop.plateau, loop.hyper, e, 9.9, lr);
    expect(loop.plateau.converged).toBe(false);
    plateauStep(loop.plateau, loop.hyper, 10, 9.9, lr);
    expect(loop.plateau.converged).toBe(true);
  });

  it('a gain after the re-opening resets the count', () => {
    const loop = stopped();
    resumeExtend(loop, { stopPatience: 4 });
    plateauStep(loop.plateau, loop.hyper, 8, 8.5, 0.25);
    expect(loop.plateau).toMatchObject({ bestEpoch: 8, bestLoss: 8.5, converged: false });
  });

  it('keeps a run converged when even the new patience has run out, and ignores an unchanged patience', () => {
    const loop = stopped();
    expect(resumeExtend(loop, { stopPatience: 3 })).toBeNull();
    expect(resumeExtend(loop, { stopPatience: 2 })).toMatch(/still converged/);
    expect(loop.plateau.converged).toBe(true);
    expect(resumeExtend(stopped(), {})).toBeNull();
  });
});
