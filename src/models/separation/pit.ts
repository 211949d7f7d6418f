/**
 * Utterance-level permutation-invariant training (uPIT, Kolbæk et al., TASLP 2017): a loss over C
 * outputs and C references takes, per utterance, the assignment of outputs to references
 * (permutation) that is best over the whole utterance, never per frame. C! permutations (2 for
 * Table VI's two-talker mixtures), each scored from a pairwise [B, C, C] matrix.
 *   - Conv-TasNet (Luo & Mesgarani 2019, §III-D): maximise scale-invariant SNR, i.e. loss = −SI-SNR
 *     averaged over the speakers of the best permutation and over the batch.
 *   - uPIT-LSTM: Kolbæk et al.'s phase-sensitive approximation (PSA) — mean squared error between the
 *     masked mixture magnitude M_s ⊙ |Y| and the phase-sensitive target |X_r| ⊙ cos(θ_Y − θ_{X_r}),
 *     normalised by T·F·C, minimised over permutations (`psaTarget`; `magnitudeTarget` gives their
 *     plain magnitude (MSA) variant with the same loss).
 * Both return the chosen permutation of every utterance (perm[s] = reference of output s).
 */
import * as torch from '../../torch/torch.js';
import type { Tensor } from '../../torch/torch.js';
import { permutations } from '../../metrics/permutation.js';

/** Added to energies in SI-SNR (asteroid's EPS): keeps silent references finite. */
export const SI_SNR_EPS = 1e-8;

export { permutations } from '../../metrics/permutation.js';

/** A permutation-invariant loss: the scalar to minimise, and the chosen permutation per utterance. */
export interface PitResult {
  /** Scalar, differentiable. */
  loss: Tensor;
  /** perms[b][s] = the reference output s of utterance b is scored against. */
  perms: number[][];
  /** Per utterance, the score of the chosen permutation averaged over speakers [B] (SI-SNR in dB or MSE). */
  score: Tensor;
}

/**
 * Per utterance, the permutation with the best mean of pair[b, s, perm[s]] over speakers s.
 * pair [B, C, C] (output s × reference r); `best` says whether larger or smaller is better.
 */
export function pitSelect(pair: Tensor, best: 'max' | 'min'): { score: Tensor; perms: number[][] } {
  const [b, c] = pair.shape;
  const perms = permutations(c);
  const totals = perms.map((p) =>
    p.map((r, s) => pair.narrow(1, s, 1).narrow(2, r, 1).reshape([b])).reduce((x, y) => x.add(y)).div(c),
  );
  const all = torch.stack(totals, 1); // [B, P]
  const score = best === 'max' ? all.max(1) : all.min(1); // [B]
  const host = all.detach().toFloat32Array();
  const chosen: number[][] = [];
  for (let i = 0; i < b; i++) {
    let k = 0;
    for (let j = 1; j < perms.length; j++) {
      const v = host[i * perms.length + j];
      if (best === 'max' ? v > host[i * perms.length + k] : v < host[i * perms.length + k]) k = j;
    }
    chosen.push(perms[k]);
  }
  return { score, perms: chosen };
}

/**
 * SI-SNR in dB of every output against every reference: est, ref [B, C, S] → [B, C, C].
 * Both zero-mean; s_t = ⟨ŝ, s⟩ s / ‖s‖², e = ŝ − s_t, SI-SNR = 10 log10(‖s_t‖² / ‖e‖²).
 * `mask` [B, 1, S] (1 on the samples of each utterance, 0 on the zeros a minibatch pads it with)
 * restricts the means and the energies to the utterance, so a padded utterance scores as itself.
 */
export function siSnrPairwise(est: Tensor, ref: Tensor, mask?: Tensor): Tensor {
  const centred = (x: Tensor): Tensor => {
    if (mask === undefined) return x.sub(x.mean(-1, true));
    const xm = x.mul(mask);
    return xm.sub(xm.sum(-1, true).div(mask.sum(-1, true))).mul(mask);
  };
  const e = centred(est).unsqueeze(2); // [B, C, 1, S]
  const r = centred(ref).unsqueeze(1); // [B, 1, C, S]
  const dot = e.mul(r).sum(-1, true); // [B, C, C, 1]
  const target = r.mul(dot.div(r.square().sum(-1, true).add(SI_SNR_EPS))); // [B, C, C, S]
  const noise = e.sub(target);
  const ratio = target.square().sum(-1).div(noise.square().sum(-1).add(SI_SNR_EPS)).add(SI_SNR_EPS);
  return ratio.log().mul(10 / Math.LN10); // [B, C, C]
}

/** uPIT with negative SI-SNR (Conv-TasNet's loss): est, ref [B, C, S]; `mask` as siSnrPairwise's. */
export function pitSiSnrLoss(est: Tensor, ref: Tensor, mask?: Tensor): PitResult {
  const { score, perms } = pitSelect(siSnrPairwise(est, ref, mask), 'max');
  return { loss: score.mean().neg(), perms, score };
}

/**
 * Kolbæk et al.'s phase-sensitive target |X| cos(θ_Y − θ_X) = (X_re·Y_re + X_im·Y_im) / |Y|
 * (0 where |Y| = 0): mixture re/im [B, T, F], sources re/im [B, C, T, F] → [B, C, T, F].
 */
export function psaTarget(mixRe: Tensor, mixIm: Tensor, srcRe: Tensor, srcIm: Tensor): Tensor {
  const yr = mixRe.unsqueeze(1);
  const yi = mixIm.unsqueeze(1);
  const mag = yr.square().add(yi.square()).sqrt(); // [B, 1, T, F]
  const inner = srcRe.mul(yr).add(srcIm.mul(yi));
  return torch.where(mag.gt(0), inner.div(mag.clamp(1e-30)), 0);
}

/** The magnitude (MSA) target |X|: sources re/im [B, C, T, F] → [B, C, T, F]. */
export function magnitudeTarget(srcRe: Tensor, srcIm: Tensor): Tensor {
  return srcRe.square().add(srcIm.square()).sqrt();
}

/**
 * uPIT mask loss: masks [B, C, T, F] ⊙ mixture magnitude [B, T, F] against targets [B, C, T, F]
 * (psaTarget or magnitudeTarget); per utterance the permutation with the least mean squared error
 * over T·F·C, averaged over the batch. `frameMask` [B, 1, T, 1] (1 on the frames of each utterance,
 * 0 on a minibatch's padding) restricts the mean to the utterance's own T_b·F units.
 */
export function pitMaskMseLoss(masks: Tensor, mixMag: Tensor, targets: Tensor, frameMask?: Tensor): PitResult {
  let est = masks.mul(mixMag.unsqueeze(1)); // [B, C, T, F]
  let ref = targets;
  if (frameMask !== undefined) {
    est = est.mul(frameMask);
    ref = ref.mul(frameMask);
  }
  const sq = est.unsqueeze(2).sub(ref.unsqueeze(1)).square(); // [B, C, C, T, F]
  const [b, , , t, f] = sq.shape;
  const units = frameMask === undefined ? t * f : frameMask.sum([1, 2, 3]).mul(f).reshape([b, 1, 1]); // [B, 1, 1] valid T·F
  const pair = sq.sum([3, 4]).div(units); // [B, C, C]
  const { score, perms } = pitSelect(pair, 'min');
  return { loss: score.mean(), perms, score };
}
