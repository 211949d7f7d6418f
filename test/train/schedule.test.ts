/**
 * The plateau learning-rate schedule (src/train/trainer.ts plateauStep): decays after `lrPatience`
 * epochs without a validation gain (counted from the best or the last decay), stops as converged
 * once `stopPatience` epochs pass without a gain after the first decay, and a gain resets both.
 */
import { describe, expect, it } from 'vitest';
import { plateauStep, TRAIN_DEFAULTS, type PlateauState, type TrainHyperParams } from '../../src/train/trainer.js';

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
