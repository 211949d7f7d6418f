/**
 * The fixed validation set of a separation run and its scoring: mixtures 0 … n − 1 of the
 * validation split (the run's seed; speakers disjoint from train and test), each from its first
 * sample up to `valSeconds`. Per mixture, in inference mode: the training loss, then the separated
 * waveforms (./objective.ts separationSeparate), the permutation by SI-SNR
 * (src/metrics/permutation.ts), and
 *   SI-SNR improvement = mean over speakers of SI-SNR(s_k, ŝ_π(k)) − SI-SNR(s_k, mixture)
 *   ESTOI (Jensen & Taal 2016) of each speaker's estimate, at 8 kHz (optional: ~10 ms per second of audio)
 * averaged over the set. The mixture's own SI-SNR and ESTOI are computed once.
 */
import type { Corpus } from '../../data/corpus.js';
import { SEPARATION_SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { permutationBySiSnr } from '../../metrics/permutation.js';
import { siSnr } from '../../metrics/sdr.js';
import { estoi } from '../../metrics/stoi.js';
import type { SeparationNet } from '../../models/separation/net.js';
import * as torch from '../../torch/torch.js';
import { separationBatchPack, separationItemAt, type SeparationItem } from './batches.js';
import { separationLoss, separationSeparate } from './objective.js';

/** The fixed set and its unprocessed baseline. */
export interface SeparationValidationSet {
  items: SeparationItem[];
  /** Mean over items and speakers of SI-SNR(s_k, mixture), dB. */
  mixSiSnr: number;
  /** Mean ESTOI of the mixture against each speaker; null without metrics. */
  mixEstoi: number | null;
  /** Whether ESTOI is computed. */
  estoi: boolean;
}

/** Validation results of one network state. */
export interface SeparationValidation {
  /** Mean training loss (−SI-SNR in dB, or the PSA MSE). */
  loss: number;
  /** Mean SI-SNR of the estimates (best permutation) and its improvement over the mixture, dB. */
  siSnr: number;
  siSnrI: number;
  /** Mean ESTOI of the estimates; null without metrics. */
  estoi: number | null;
  seconds: number;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Builds the set (see the file comment). */
export function separationValidationSetBuild(
  corpus: Corpus, opts: { items: number; seed: number; seconds: number; estoi: boolean },
): SeparationValidationSet {
  const maxSamples = Math.round(opts.seconds * SEPARATION_SAMPLE_RATE_HZ);
  const items: SeparationItem[] = [];
  for (let i = 0; i < opts.items; i++) items.push(separationItemAt(corpus, 'validation', i, opts.seed, maxSamples, 'start'));
  const mixSiSnr = mean(items.flatMap((it) => it.refs.map((r) => siSnr(r, it.mix))));
  const mixEstoi = opts.estoi ? mean(items.flatMap((it) => it.refs.map((r) => estoi(r, it.mix, SEPARATION_SAMPLE_RATE_HZ)))) : null;
  return { items, mixSiSnr, mixEstoi, estoi: opts.estoi };
}

/** Scores `net` on the set (inference mode, no autograd). */
export function separationValidate(net: SeparationNet, set: SeparationValidationSet): SeparationValidation {
  const t0 = performance.now();
  const losses: number[] = [];
  const siSnrs: number[] = [];
  const estois: number[] = [];
  for (const it of set.items) {
    losses.push(torch.noGrad(() => torch.tidy(() => separationLoss(net, separationBatchPack([it]), false).loss.item())));
    const est = separationSeparate(net, it.mix);
    const { perm, siSnrs: s } = permutationBySiSnr(it.refs, est);
    siSnrs.push(...s);
    if (set.estoi) it.refs.forEach((r, k) => estois.push(estoi(r, est[perm[k]], SEPARATION_SAMPLE_RATE_HZ)));
  }
  const sep = mean(siSnrs);
  return {
    loss: mean(losses),
    siSnr: sep,
    siSnrI: sep - set.mixSiSnr,
    estoi: set.estoi ? mean(estois) : null,
    seconds: (performance.now() - t0) / 1000,
  };
}
