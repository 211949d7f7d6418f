/**
 * Named training recipes (`hushpack train --recipe NAME`): a bundle of trainer settings plus, per
 * architecture, hyper-parameter overrides of the preset (as `--set`). Flags given on the command line
 * override the recipe's value of the same setting; a resumed run keeps the settings it started with.
 *
 * - `paper`: the seed's training exactly (Tan & Wang §IV-A: MSE on the raw targets, AMSGrad at 1e-3
 *   decayed ×0.98 every 2 epochs, SNRs −5…0 dB, recorded noises, unit-RMS mixtures). The trainer's
 *   own defaults (TRAIN_DEFAULTS) are this recipe.
 * - `v2`: what the measurements on corpus v2 chose (docs/results/train/ablations.md, one change at a
 *   time against a control; docs/results/train/curves.md for the long runs):
 *     - loss stays MSE — the power-law compressed loss lost from scratch (−2.18 val STOI points) and warm (−1.28);
 *     - GCRN output = complex ratio mask on the noisy spectrum (`complex_mask=1`, +3.52 val STOI points);
 *     - corpus-v2 mixer augmentations with their −10…+20 dB SNR range: the training of both long GCRN
 *       runs (the converged mapping GCRN: test SI-SNR +2.5 dB, environmental set +6.0 dB). At the
 *       ablations' 800 steps the evidence is mixed (augment row: val STOI −0.93, PESQ-WB +0.011,
 *       test STOI +0.09 and SI-SNR +0.31 dB against the control); a longer controlled pair would settle it;
 *     - plateau learning-rate schedule (×0.5 after 2 epochs without a validation gain; converged after
 *       3 more once decayed): a stopping rule measured on validation instead of a fixed epoch count;
 *     - level path: global (training at the runtime's causal level tracker lost 1.20 points; the
 *       control scored through the tracker lost only 0.12 against global);
 *     - validation on a fixed set — 64 validation-split mixtures at −5…+5 dB, half talker babble, no
 *       augmentation — so runs with different training data compare.
 */
import { UserError } from '../errors.js';
import { MIX_AUGMENT_NONE, MIX_AUGMENT_V2, MIX_AUGMENT_V2_SNR_RANGE_DB } from '../data/augment/settings.js';
import type { ArchName } from '../models/config.js';
import type { TrainHyperParams } from './trainer.js';

/** A named bundle of training settings. */
export interface TrainRecipe {
  /** Trainer settings; those absent take TRAIN_DEFAULTS. */
  hyper: Partial<TrainHyperParams>;
  /** Per architecture: `key=value` overrides of the preset's hyper-parameters, applied before the user's `--set`. */
  set: Partial<Record<ArchName, readonly string[]>>;
  /** One line for --help and the training log. */
  summary: string;
}

/** The recipes by name; `paper` first. */
export const TRAIN_RECIPES = {
  paper: {
    hyper: {},
    set: {},
    summary: "the seed's: MSE, step lr schedule, −5…0 dB, recorded noises",
  },
  v2: {
    hyper: {
      loss: 'mse',
      augment: { ...MIX_AUGMENT_V2 },
      snrRangeDb: [MIX_AUGMENT_V2_SNR_RANGE_DB[0], MIX_AUGMENT_V2_SNR_RANGE_DB[1]],
      lrSchedule: 'plateau',
      lrDecay: 0.5,
      lrPatience: 2,
      stopPatience: 3,
      level: 'global',
      valItems: 64,
      valSnrRangeDb: [-5, 5],
      valTalkerNoise: 0.5,
      valAugment: { ...MIX_AUGMENT_NONE },
    },
    set: { gcrn: ['complex_mask=1'] },
    summary: 'chosen by ablation on corpus v2: MSE, v2 augmentations at −10…+20 dB, plateau lr, GCRN complex mask (needs corpus v2)',
  },
} as const satisfies Record<string, TrainRecipe>;

/** A recipe name. */
export type TrainRecipeName = keyof typeof TRAIN_RECIPES;

/** The recipe names, in --help order. */
export const TRAIN_RECIPE_NAMES = Object.keys(TRAIN_RECIPES) as TrainRecipeName[];

/** The recipe `name`, or a UserError naming the choices. */
export function trainRecipe(name: string): TrainRecipe {
  if (!Object.hasOwn(TRAIN_RECIPES, name)) throw new UserError(`--recipe must be one of ${TRAIN_RECIPE_NAMES.join(', ')}, got '${name}'`);
  const r = TRAIN_RECIPES[name as TrainRecipeName];
  return { hyper: structuredClone(r.hyper) as Partial<TrainHyperParams>, set: r.set, summary: r.summary };
}
