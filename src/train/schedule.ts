/**
 * Learning-rate schedules shared by the enhancement trainer (./trainer.ts) and the separation
 * trainer (./separation/trainer.ts): the paper's step decay and the plateau rule, and the one
 * schedule setting a resume may change.
 */

/** The learning-rate schedules (the trainers' `lrSchedule` setting). */
export const LR_SCHEDULES = ['step', 'plateau'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** The schedule's settings, as both trainers' hyper-parameters carry them. */
export interface ScheduleParams {
  /** Initial learning rate (paper: 1e-3). */
  lr: number;
  /**
   * 'step' (the paper's): lr · lrDecay^⌊epoch / lrDecayEpochs⌋. 'plateau': lr × lrDecay whenever the
   * validation loss has not improved for `lrPatience` epochs (since the best or the last decay);
   * the run stops as converged once, after the first decay, `stopPatience` epochs pass without a gain.
   */
  lrSchedule: LrSchedule;
  /** Learning-rate factor (paper: 0.98 every 2 epochs; plateau: e.g. 0.5). */
  lrDecay: number;
  lrDecayEpochs: number;
  /** Plateau schedule: epochs without a validation gain before the lr decays. */
  lrPatience: number;
  /** Plateau schedule: epochs without a gain after the first decay that end the run ('converged'). */
  stopPatience: number;
}

/**
 * Bookkeeping of the plateau schedule, updated at full-epoch validations only (a budget stop's
 * partial validation must not change the schedule, or a resumed run would differ from an
 * uninterrupted one).
 */
export interface PlateauState {
  /** Lowest full-epoch validation loss so far and its epoch. */
  bestLoss: number | null;
  bestEpoch: number;
  /** Decays so far, and the epochs of the first and the last. */
  decays: number;
  firstDecayEpoch: number | null;
  lastDecayEpoch: number | null;
  /** Set when the stop rule fired: the run is over (a resume returns at once). */
  converged: boolean;
}

/** Learning rate of epoch `epoch` (0-based) under the step schedule: lr · decay^⌊epoch / every⌋. */
export function learningRateAt(h: Pick<ScheduleParams, 'lr' | 'lrDecay' | 'lrDecayEpochs'>, epoch: number): number {
  return h.lr * h.lrDecay ** Math.floor(epoch / h.lrDecayEpochs);
}

/** A plateau bookkeeping before any validation. */
export function plateauFresh(): PlateauState {
  return { bestLoss: null, bestEpoch: 0, decays: 0, firstDecayEpoch: null, lastDecayEpoch: null, converged: false };
}

/**
 * The plateau schedule after the full-epoch validation of `epoch` with loss `loss`: updates `p`
 * and returns the new learning rate (see ScheduleParams.lrSchedule).
 */
export function plateauStep(p: PlateauState, h: Pick<ScheduleParams, 'lrPatience' | 'stopPatience' | 'lrDecay'>, epoch: number, loss: number, lr: number): number {
  if (p.bestLoss === null || loss < p.bestLoss) {
    p.bestLoss = loss;
    p.bestEpoch = epoch;
  }
  if (p.decays >= 1 && epoch - Math.max(p.bestEpoch, p.firstDecayEpoch!) >= h.stopPatience) {
    p.converged = true;
    return lr;
  }
  if (epoch - Math.max(p.bestEpoch, p.lastDecayEpoch ?? 0) >= h.lrPatience) {
    p.decays++;
    p.firstDecayEpoch ??= epoch;
    p.lastDecayEpoch = epoch;
    return lr * h.lrDecay;
  }
  return lr;
}

/**
 * Settings a resume may change: the plateau rule's stop patience only. Raising it lets a run the
 * rule stopped as converged continue (the rule judges 3 epochs of a noisy 64-mixture validation
 * loss; docs/results/train/curves.md found such runs still improving). Everything that shapes the
 * steps themselves (data, loss, lr schedule) stays the run's, so a resumed run stays one run.
 */
export const RESUME_EXTENDABLE = ['stopPatience'] as const;

/**
 * Applies the extendable settings of `hyper` to a resumed loop (in place: `loop.hyper` is the run's
 * settings object) and re-judges the stop rule at the last full-epoch validation (`loop.epoch`);
 * returns a log line when something changed, else null.
 */
export function resumeExtend(
  loop: { hyper: Pick<ScheduleParams, 'stopPatience'>; plateau?: PlateauState; epoch: number },
  hyper: Partial<Pick<ScheduleParams, 'stopPatience'>>,
): string | null {
  const next = hyper.stopPatience;
  if (next === undefined || next === loop.hyper.stopPatience) return null;
  const before = loop.hyper.stopPatience;
  loop.hyper.stopPatience = next;
  let line = `stop patience ${before} → ${next} epochs`;
  const p = loop.plateau;
  if (p?.converged) {
    const since = p.firstDecayEpoch === null ? 0 : loop.epoch - Math.max(p.bestEpoch, p.firstDecayEpoch);
    if (since < next) {
      p.converged = false;
      line += `: the run, stopped as converged at epoch ${loop.epoch} (${since} epochs without a gain), continues`;
    } else {
      line += `: still converged (${since} epochs without a gain)`;
    }
  }
  return line;
}
