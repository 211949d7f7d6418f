/**
 * The paper's compression settings (Tan & Wang TASLP 2021 §III-C) and this project's defaults for
 * what the paper leaves open (stop rules, fine-tuning budgets). Every number a pipeline uses starts
 * here and is recorded in its JSON report.
 */
import type { ArchName } from '../models/config.js';

/** Per-model settings of §III-C. */
export interface PaperSettings {
  /** Initial λ1 of eq. 7 (ℓ1), for both pipelines. */
  lambda1: number;
  /** Initial λ2 of eq. 8/9 (group lasso part of SGL), structured pipeline. */
  lambda2: number;
  /** Tolerance α1 of Algorithms 1 and 2 (increase of the validation loss). */
  alpha1: number;
  /** Tolerance α2 of Algorithm 3. */
  alpha2: number;
}

/**
 * §III-C: "the initial value of λ1 is empirically set to 0.1, 10, 0.02 and 1 for FDNN, LSTM, TCNN
 * and GCRN … λ2 is set to 0.0005, 0.005, 0.02 and 0.05 … (α1, α2) … (0.003, 0.0005),
 * (0.03, 0.01), (0.0002, 0.00005) and (0.02, 0.005)".
 */
export const PAPER_SETTINGS: Readonly<Record<ArchName, Readonly<PaperSettings>>> = {
  fdnn: { lambda1: 0.1, lambda2: 0.0005, alpha1: 0.003, alpha2: 0.0005 },
  lstm: { lambda1: 10, lambda2: 0.005, alpha1: 0.03, alpha2: 0.01 },
  tcnn: { lambda1: 0.02, lambda2: 0.02, alpha1: 0.0002, alpha2: 0.00005 },
  gcrn: { lambda1: 1, lambda2: 0.05, alpha1: 0.02, alpha2: 0.005 },
};

/** "Both λ1 and λ2 decay by 10 % every pruning iteration" (§III-C): λ at iteration i = λ0 · 0.9^i. */
export const LAMBDA_DECAY_PER_ITERATION = 0.9;

/** Pruning-ratio grid of Algorithms 1 and 2: 0 %, 5 %, …, 100 % (integer percent). */
export const PRUNE_GRID_STEP_PERCENT = 5;

/**
 * Stop rules of the iterative prune → fine-tune loop (§II-B: "until the number of pruned weights
 * becomes trivial in an iteration or a significant decrease in STOI or PESQ is observed"). The
 * paper gives no numbers; these are ours:
 *  - trivial: an iteration newly prunes < 1 % of the prunable weights of the ORIGINAL net;
 *  - significant decrease: validation STOI more than 0.02 (2 STOI points) or NB PESQ more than
 *    0.10 below the uncompressed model's. Table I's largest C1/C2 losses are 1.7 STOI points
 *    (FDNN C1, −5 dB) and 0.06 PESQ, so these bounds admit the paper's results and stop clear
 *    collapses. The iteration that crossed a bound is undone (the previous one is kept);
 *  - at most 5 iterations (Table I used 2–5).
 */
export const STOP_DEFAULTS = {
  minNewlyPrunedFraction: 0.01,
  maxStoiDrop: 0.02,
  maxPesqDrop: 0.1,
  maxIterations: 5,
} as const;

/**
 * Data of the sensitivity analyses: a fixed subset of the validation split, evaluated as one batch
 * (mixtures 0 … items − 1, the run's seed). 8 × 2 s keeps one evaluation of an edge net well
 * under a second while the loss differences stay far above float32 noise.
 */
export const SENSITIVITY_DATA_DEFAULTS = { items: 8, seconds: 2 } as const;

/**
 * Fine-tuning budget per pruning iteration when none is given: one epoch of the checkpoint's own
 * training schedule (its `training.stepsPerEpoch`), else this many steps.
 */
export const FINETUNE_STEPS_FALLBACK = 200;

/** Validation set of each iteration (STOI/PESQ): mixtures × seconds (the trainer's defaults). */
export const VALIDATION_DEFAULTS = { items: 16, seconds: 4 } as const;

/** k-means: Lloyd iterations at most (1-D Lloyd converges in a few dozen on weight tensors). */
export const KMEANS_MAX_ITERATIONS = 100;

/** Centroid fine-tuning (beyond the paper) is off unless asked for; its learning rate default. */
export const CENTROID_FINETUNE_LR = 1e-4;

/**
 * MPO pipeline (Sun et al.): each Linear/LSTM matrix becomes a chain of 3 cores with the largest
 * bond dimension whose parameters are ≤ 1/10 of the matrix's (Sun et al. report their gains over
 * pruning mostly at low rates; 10× is a middle point to start from).
 */
export const MPO_DEFAULTS = { rate: 10, cores: 3 } as const;

/**
 * Threads of a compress run: sensitivity workers (1: the analysis runs inline, in this thread —
 * more pays off only with idle cores), libtorch threads of an inline analysis (1: measured fastest
 * on the shared 2-core machine) and of the process (2).
 */
export const COMPRESS_WORKERS_DEFAULT = 1;
export const COMPRESS_ANALYSIS_THREADS_DEFAULT = 1;
export const COMPRESS_THREADS_DEFAULT = 2;
