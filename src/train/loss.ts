/**
 * Training losses, selectable per run (TrainHyperParams.loss), all on the tensors of one batch:
 *
 *   'mse'         the paper's (Tan & Wang TASLP 2021 §III-B): MSE over T-F units of the raw target
 *                 (fdnn: IRM, lstm: |S|, gcrn: Re S, Im S) or over samples (tcnn).
 *   'compressed'  power-law compressed spectral loss (Braun & Tashev, "A consolidated view of loss
 *                 functions for supervised deep learning-based speech enhancement", TSP 2021;
 *                 also GTCRN's and DeepFilterNet's practice), c = 0.3, α = 0.3:
 *                   L = α · mean |Ŝ_c − S_c|² + (1 − α) · mean (|Ŝ|^c − |S|^c)²,
 *                   X_c = |X|^c · e^{j∠X}  (magnitude compressed, phase kept).
 *                 Raw-spectrum MSE is dominated by the few loud low-frequency units; the
 *                 compression (≈ a loudness curve) gives quiet speech units and high bands weight,
 *                 which is what STOI and PESQ listen to.
 *                   gcrn: Ŝ is the network's complex output.
 *                   fdnn: |Ŝ| = IRM̂ · |Y| (signal approximation instead of mask MSE), phase ∠Y.
 *                   lstm: |Ŝ| = the network's magnitude, phase ∠Y.
 *                 For fdnn/lstm the phase is the noisy one, so the complex term is
 *                 |Ŝ|^{2c} + |S|^{2c} − 2 |Ŝ|^c |S|^c cos(∠S − ∠Y) (phase-sensitive).
 *                 Not for tcnn (its output is a waveform; there is no STFT in the graph).
 *   'snr'         tcnn only: −10·log10(Σ s² / Σ (ŝ − s)²) per utterance, averaged. Scale-DEPENDENT
 *                 on purpose: SI-SNR leaves the output gain free, and a product must put its
 *                 output at the input's level.
 *
 * Targets (FeatureBatch.target, built by ./features.ts for the run's loss):
 *   mse         see features.ts
 *   compressed  gcrn: Re S, Im S [B, 2, T, 161] (as mse);
 *               fdnn, lstm: [B, 3, T, 161] planes |S|, |Y|, cos(∠S − ∠Y)
 *   snr         tcnn: s [B, L] (as mse)
 * Every loss returns a scalar tensor (mean over the batch) that is differentiable w.r.t. `output`.
 */
import { UserError } from '../errors.js';
import type { ArchName } from '../models/config.js';
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';

/** The selectable training losses (see the file comment). */
export const TRAIN_LOSSES = ['mse', 'compressed', 'snr'] as const;
export type TrainLoss = (typeof TRAIN_LOSSES)[number];

/** Power-law exponent c of the compressed loss (Braun & Tashev 2021: 0.3). */
export const COMPRESSED_POWER = 0.3;
/** Weight α of the complex term of the compressed loss (Braun & Tashev 2021: 0.3). */
export const COMPRESSED_COMPLEX_WEIGHT = 0.3;
/**
 * Added to |X|² before the square root: keeps d|X|^c/dX finite at X = 0. In the unit-RMS domain
 * of the mixer a T-F unit of speech is ~1e-2…1e1, so 1e-12 (|X| ≥ 1e-6, −120 dB) changes nothing audible.
 */
export const COMPRESSED_EPS = 1e-12;
/** Keeps the SNR loss finite for a perfect estimate (Σ(ŝ − s)² = 0) or a silent target. */
export const SNR_EPS = 1e-8;

/** Planes of the fdnn/lstm target under the compressed loss. */
export const COMPRESSED_MAG_PLANES = 3;

/** Throws UserError unless `loss` applies to `arch`. */
export function trainLossCheck(arch: ArchName, loss: string): TrainLoss {
  if (!(TRAIN_LOSSES as readonly string[]).includes(loss)) throw new UserError(`unknown loss '${loss}' (expected ${TRAIN_LOSSES.join(', ')})`);
  if (loss === 'compressed' && arch === 'tcnn') throw new UserError("loss 'compressed' needs a spectral output; tcnn takes 'mse' or 'snr'");
  if (loss === 'snr' && arch !== 'tcnn') throw new UserError(`loss 'snr' is for the time-domain tcnn; ${arch} takes 'mse' or 'compressed'`);
  return loss as TrainLoss;
}

/** The loss a run with no recorded loss used (every run before this option existed). */
export const TRAIN_LOSS_PAPER: TrainLoss = 'mse';

/** Compressed complex loss of the GCRN: output and target [B, 2, T, F]. */
function compressedComplexLoss(output: Tensor, target: Tensor): Tensor {
  const [oRe, oIm] = output.chunk(2, 1);
  const [tRe, tIm] = target.chunk(2, 1);
  const oPow = oRe.square().add(oIm.square()).add(COMPRESSED_EPS);
  const tPow = tRe.square().add(tIm.square()).add(COMPRESSED_EPS);
  const oMagC = oPow.pow(COMPRESSED_POWER / 2);
  const tMagC = tPow.pow(COMPRESSED_POWER / 2);
  // X_c = X · |X|^(c − 1)
  const oScale = oPow.pow((COMPRESSED_POWER - 1) / 2);
  const tScale = tPow.pow((COMPRESSED_POWER - 1) / 2);
  const complex = torch.mseLoss(oRe.mul(oScale), tRe.mul(tScale)).add(torch.mseLoss(oIm.mul(oScale), tIm.mul(tScale)));
  const magnitude = torch.mseLoss(oMagC, tMagC);
  return complex.mul(COMPRESSED_COMPLEX_WEIGHT).add(magnitude.mul(1 - COMPRESSED_COMPLEX_WEIGHT));
}

/**
 * Compressed loss of a magnitude estimate |Ŝ| [B, T, F] with the noisy phase, against the
 * [B, 3, T, F] target (|S|, |Y|, cos(∠S − ∠Y)).
 */
function compressedMagnitudeLoss(estimate: Tensor, target: Tensor): Tensor {
  const [sMag, , cosDelta] = target.chunk(COMPRESSED_MAG_PLANES, 1).map((t) => t.squeeze(1));
  const e = estimate.square().add(COMPRESSED_EPS).pow(COMPRESSED_POWER / 2);
  const s = sMag.square().add(COMPRESSED_EPS).pow(COMPRESSED_POWER / 2);
  const magnitude = torch.mseLoss(e, s);
  // |e·e^{j∠Y} − s·e^{j∠S}|² = e² + s² − 2·e·s·cos(∠S − ∠Y)
  const complex = e.square().add(s.square()).sub(e.mul(s).mul(cosDelta).mul(2)).mean();
  return complex.mul(COMPRESSED_COMPLEX_WEIGHT).add(magnitude.mul(1 - COMPRESSED_COMPLEX_WEIGHT));
}

/** Negative SNR in dB of waveforms [B, L], averaged over the batch. */
export function snrLoss(estimate: Tensor, target: Tensor): Tensor {
  const signal = target.square().sum(1);
  const error = estimate.sub(target).square().sum(1);
  return signal.add(SNR_EPS).div(error.add(SNR_EPS)).log().mul(-10 / Math.LN10).mean();
}

/**
 * The loss of `output` (a net's forward result) against `target` under `loss`; `waveform` maps
 * TCNN's frame output to the [B, L] waveform (the in-graph overlap-add of ./features.ts).
 */
export function trainLossCompute(
  arch: ArchName, loss: TrainLoss, output: Tensor, target: Tensor, waveform: (frames: Tensor, length: number) => Tensor,
): Tensor {
  if (arch === 'tcnn') {
    const y = waveform(output, target.shape[1]);
    return loss === 'snr' ? snrLoss(y, target) : torch.mseLoss(y, target);
  }
  if (loss === 'mse') return torch.mseLoss(output, target);
  if (loss === 'compressed') {
    if (arch === 'gcrn') return compressedComplexLoss(output, target);
    const [, , t] = target.shape; // [B, 3, T, F]
    const estimate = arch === 'fdnn' ? output.mul(target.narrow(1, 1, 1).squeeze(1)) : output;
    if (estimate.shape[1] !== t) throw new RangeError(`compressed loss: output [${output.shape}] vs target [${target.shape}]`);
    return compressedMagnitudeLoss(estimate, target);
  }
  throw new UserError(`loss '${loss}' does not apply to ${arch}`);
}
