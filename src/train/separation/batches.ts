/**
 * Minibatches of two-talker mixtures for training the separation nets (issue 16), on the fly from
 * the corpus (src/data/separation/twoTalker.ts twoTalkerAt: wsj0-2mix style, 8 kHz, two different
 * speakers, relative level uniform in 0–5 dB, 'min' length mode).
 *
 * Minibatch k of a run holds mixtures k·B … k·B + B − 1 of the split (seeded like every other draw
 * of the run), so a resumed run reads the same data as an uninterrupted one (src/train/batches.ts
 * does the same for enhancement). Lengths: each mixture is its whole 'min'-mode length, or, when
 * longer than the segment (Conv-TasNet's 4 s), a segment-long excerpt at an offset drawn from
 * (seed, split, index). The minibatch is zero-padded to its longest mixture and carries each one's
 * length; the losses (src/models/separation/pit.ts) score every utterance on its own samples only,
 * so padding changes no utterance's loss — the nets are causal, and the padding comes after the
 * utterance (the last encoder frame already sees zeros past the end in an unpadded forward too).
 * Padding instead of cutting every mixture to the minibatch's shortest keeps whole utterances:
 * the corpus's prompts are short (train split median 2.3 s, ≥ 1 s by TWO_TALKER_MIN_CLIP_SECONDS),
 * and uPIT is about the permutation of a whole utterance.
 */
import { SEPARATION_SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import type { Corpus } from '../../data/corpus.js';
import type { SplitName } from '../../data/manifest.js';
import { Prng } from '../../data/prng.js';
import { twoTalkerAt } from '../../data/separation/twoTalker.js';

/** Speakers per two-talker mixture. */
export const TWO_TALKER_SOURCES = 2;

/** One mixture with its sources, float32 at SEPARATION_SAMPLE_RATE_HZ, equal lengths. */
export interface SeparationItem {
  mix: Float32Array;
  /** The C = 2 sources, s1 (the louder) first. */
  refs: Float32Array[];
}

/** A zero-padded minibatch. */
export interface SeparationBatch {
  batch: number;
  /** Padded length S (samples): the longest mixture of the minibatch. */
  samples: number;
  /** Each mixture's own length (samples), ≤ S. */
  lengths: number[];
  /** Mixtures [B, S], row-major, zero after each length. */
  mix: Float32Array;
  /** Sources [B, C, S], row-major, zero after each length. */
  refs: Float32Array;
}

/** Which mixtures a run trains on. */
export interface SeparationBatchSpec {
  split: SplitName;
  seed: number;
  batch: number;
  /** Longest excerpt of a mixture (s). */
  segmentSeconds: number;
}

/**
 * Mixture `index` of `split`, cut to at most `maxSamples`: the whole mixture, or an excerpt at the
 * offset drawn from (seed, split, index) (`offset: 'start'`: from the first sample, the validation set's).
 */
export function separationItemAt(
  corpus: Corpus, split: SplitName, index: number, seed: number, maxSamples: number, offset: 'drawn' | 'start' = 'drawn',
): SeparationItem {
  const m = twoTalkerAt(corpus, { split, index, seed });
  const n = m.mix.length;
  if (n <= maxSamples) return { mix: m.mix, refs: [m.s1, m.s2] };
  const start = offset === 'start' ? 0 : Prng.fromKey([seed, 'two-talker-excerpt', split, index]).int(n - maxSamples + 1);
  const cut = (x: Float32Array) => x.slice(start, start + maxSamples);
  return { mix: cut(m.mix), refs: [cut(m.s1), cut(m.s2)] };
}

/** Packs items (equal-length mix and refs each) into a zero-padded minibatch. */
export function separationBatchPack(items: readonly SeparationItem[]): SeparationBatch {
  const b = items.length;
  const c = TWO_TALKER_SOURCES;
  const lengths = items.map((it) => it.mix.length);
  const samples = Math.max(...lengths);
  const mix = new Float32Array(b * samples);
  const refs = new Float32Array(b * c * samples);
  items.forEach((it, i) => {
    mix.set(it.mix, i * samples);
    it.refs.forEach((r, s) => refs.set(r, (i * c + s) * samples));
  });
  return { batch: b, samples, lengths, mix, refs };
}

/** Minibatch `step` of a run (see the file comment). */
export function separationBatchAt(corpus: Corpus, spec: SeparationBatchSpec, step: number): SeparationBatch {
  const maxSamples = Math.round(spec.segmentSeconds * SEPARATION_SAMPLE_RATE_HZ);
  const items: SeparationItem[] = [];
  for (let i = 0; i < spec.batch; i++) items.push(separationItemAt(corpus, spec.split, step * spec.batch + i, spec.seed, maxSamples));
  return separationBatchPack(items);
}
