/**
 * What each separation family computes from waveforms, for training and for scoring: its net
 * input, its utterance-level PIT loss (src/models/separation/pit.ts), and its separated waveforms.
 *
 *   conv-tasnet  input: the mixture waveform [B, S]; output waveforms [B, C, S];
 *                loss: −SI-SNR of the best permutation (Luo & Mesgarani 2019 §III-D)
 *   upit-lstm    input: the mixture's STFT magnitude |Y| [B, T, F] (src/models/separation/upitStft.ts);
 *                output masks M_s [B, C, T, F]; loss: Kolbæk et al. 2017's phase-sensitive
 *                approximation, Σ ‖M_s ⊙ |Y| − |X_π(s)| ⊙ cos(θ_Y − θ_π(s))‖² / (T·F·C), minimised
 *                over permutations π per utterance (their eq. 10 with the PSA target of §III-C);
 *                waveform of speaker s: iSTFT of M_s ⊙ Y (the mixture's phase)
 *
 * Minibatches are zero-padded (./batches.ts); the losses score each utterance on its own samples or
 * frames (SI-SNR over its S_b samples, PSA over its T_b = ⌈S_b/hop⌉ + 1 frames).
 */
import * as torch from '../../torch/torch.js';
import type { Tensor } from '../../torch/torch.js';
import type { SeparationNet } from '../../models/separation/net.js';
import { pitMaskMseLoss, pitSiSnrLoss, psaTarget, type PitResult } from '../../models/separation/pit.js';
import type { UpitLstmHParams } from '../../models/separation/sizes.js';
import { upitStftAnalyze, upitStftSynthesize } from '../../models/separation/upitStft.js';
import type { SeparationBatch } from './batches.js';

/** The training loss of each family (recorded in the run's settings). */
export const SEPARATION_LOSS = { 'conv-tasnet': 'si-snr', 'upit-lstm': 'psa' } as const;

/** [B, 1, S] with 1 on each utterance's samples (0 on padding). */
function sampleMask(batch: SeparationBatch): Tensor {
  const m = new Float32Array(batch.batch * batch.samples);
  batch.lengths.forEach((n, b) => m.fill(1, b * batch.samples, b * batch.samples + n));
  return torch.tensor(m, [batch.batch, 1, batch.samples]);
}

/** STFT frames of a signal of n samples (upitStftAnalyze's count). */
function upitFrames(h: UpitLstmHParams, n: number): number {
  return n === 0 ? 0 : Math.ceil(n / h.hopSamples) + 1;
}

/** Mixture and source spectra of a padded minibatch: re/im [B, T, F] and [B, C, T, F], host float32. */
function upitSpectra(h: UpitLstmHParams, batch: SeparationBatch): { frames: number; mixRe: Float32Array; mixIm: Float32Array; srcRe: Float32Array; srcIm: Float32Array } {
  const { batch: b, samples: s } = batch;
  const c = batch.refs.length / (b * s);
  const frames = upitFrames(h, s);
  const size = frames * h.bins;
  const mixRe = new Float32Array(b * size);
  const mixIm = new Float32Array(b * size);
  const srcRe = new Float32Array(b * c * size);
  const srcIm = new Float32Array(b * c * size);
  for (let i = 0; i < b; i++) {
    const m = upitStftAnalyze(h, batch.mix.subarray(i * s, (i + 1) * s));
    mixRe.set(m.re, i * size);
    mixIm.set(m.im, i * size);
    for (let k = 0; k < c; k++) {
      const r = upitStftAnalyze(h, batch.refs.subarray((i * c + k) * s, (i * c + k + 1) * s));
      srcRe.set(r.re, (i * c + k) * size);
      srcIm.set(r.im, (i * c + k) * size);
    }
  }
  return { frames, mixRe, mixIm, srcRe, srcIm };
}

/** |Y| from re/im tensors. */
function magnitude(re: Tensor, im: Tensor): Tensor {
  return re.square().add(im.square()).sqrt();
}

/**
 * The family's uPIT loss on a minibatch (differentiable; call inside tidy). `training` selects the
 * net's training mode (the separation nets have no batch statistics, so it changes nothing today).
 */
export function separationLoss(net: SeparationNet, batch: SeparationBatch, training: boolean): PitResult {
  const { batch: b, samples: s } = batch;
  const c = batch.refs.length / (b * s);
  if (net.config.arch === 'conv-tasnet') {
    const est = net.forward(torch.tensor(batch.mix, [b, s]), { training });
    return pitSiSnrLoss(est, torch.tensor(batch.refs, [b, c, s]), sampleMask(batch));
  }
  const h = net.config.hp;
  const sp = upitSpectra(h, batch);
  const t = sp.frames;
  const yr = torch.tensor(sp.mixRe, [b, t, h.bins]);
  const yi = torch.tensor(sp.mixIm, [b, t, h.bins]);
  const mag = magnitude(yr, yi);
  const target = psaTarget(yr, yi, torch.tensor(sp.srcRe, [b, c, t, h.bins]), torch.tensor(sp.srcIm, [b, c, t, h.bins]));
  const fm = new Float32Array(b * t);
  batch.lengths.forEach((n, i) => fm.fill(1, i * t, i * t + upitFrames(h, n)));
  return pitMaskMseLoss(net.forward(mag, { training }), mag, target, torch.tensor(fm, [b, 1, t, 1]));
}

/**
 * Separates one mixture (8 kHz, any length ≥ 1 sample) into the net's C waveforms of the same
 * length, in inference mode, without autograd: the whole-utterance libtorch forward (the nets are
 * causal, so this equals a frame-by-frame run).
 */
export function separationSeparate(net: SeparationNet, mix: Float32Array): Float32Array[] {
  const s = mix.length;
  if (net.config.arch === 'conv-tasnet') {
    const out = torch.noGrad(() => torch.tidy(() => net.forward(torch.tensor(mix, [1, s]), { training: false }).contiguous().toFloat32Array()));
    const c = out.length / s;
    return Array.from({ length: c }, (_, k) => out.slice(k * s, (k + 1) * s));
  }
  const h = net.config.hp;
  const y = upitStftAnalyze(h, mix);
  const t = y.frames;
  const masks = torch.noGrad(() =>
    torch.tidy(() => {
      const mag = magnitude(torch.tensor(Float32Array.from(y.re), [1, t, h.bins]), torch.tensor(Float32Array.from(y.im), [1, t, h.bins]));
      return net.forward(mag, { training: false }).contiguous().toFloat32Array(); // [1, C, T, F]
    }),
  );
  const size = t * h.bins;
  const c = masks.length / size;
  return Array.from({ length: c }, (_, k) => {
    const re = new Float64Array(size);
    const im = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const m = masks[k * size + i];
      re[i] = m * y.re[i];
      im[i] = m * y.im[i];
    }
    return Float32Array.from(upitStftSynthesize(h, { frames: t, bins: h.bins, re, im }, s));
  });
}
