/**
 * On-the-fly noisy/clean training pairs (Tan & Wang TASLP 2021 §III-A): one speaker's
 * utterances concatenated to fill N seconds, a noise excerpt at an SNR drawn uniformly from a
 * range, and the mixture rescaled to unit RMS with the same factor applied to the clean target.
 *
 * `mixtureAt(corpus, {split, index, seed, ...})` is a pure function of its arguments and the
 * corpus files: every random choice comes from generators keyed by (seed, split, index, purpose),
 * so parallel data-loader workers, resumed runs and other machines get identical data for the
 * same index, and index i never depends on index i−1. The three purposes use separate streams:
 * the clean speech of index i does not change when only the noise type or SNR does (the test set
 * relies on this: each id has the same clean utterance in all six conditions).
 */
import { UserError } from '../errors.js';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { Prng } from './prng.js';
import { clipPcm, corpusSplit, type Corpus, type CorpusClip, type CorpusSplitIndex } from './corpus.js';
import { isSplitName, type SplitName } from './manifest.js';
import { babbleNoise, cafeteriaNoise, sourceNoise, signalRms, talkersNoise, type NoiseKind, type NoiseSignal } from './noise.js';

/** Default segment length (paper: 4-s training segments). */
export const MIXTURE_SECONDS_DEFAULT = 4;
/** Default training/validation SNR range in dB (paper: uniform in [−5, 0] dB). */
export const MIXTURE_SNR_RANGE_DB_DEFAULT: readonly [number, number] = [-5, 0];

/** What to mix. Only `split` and `index` are required. */
export interface MixtureRequest {
  split: SplitName;
  /** Non-negative integer; any value is valid (there is no epoch boundary). */
  index: number;
  /** Segment length in seconds (default 4); rounded to whole samples at 16 kHz. */
  seconds?: number;
  /** SNR range in dB, drawn uniformly (default [−5, 0]); ignored when `snrDb` is given. */
  snrRangeDb?: readonly [number, number];
  /** A fixed SNR in dB (test conditions). */
  snrDb?: number;
  /** Global seed (default 0). */
  seed?: number;
  /**
   * Noise type. Default: 'source' (a recorded noise file of the split) for train/validation —
   * or 'talkers' with probability `talkerNoise` — and for test 'babble' or 'cafeteria' with equal
   * probability.
   */
  noise?: NoiseKind;
  /**
   * Train/validation only: the probability that a mixture's noise is babble of the split's own
   * talkers (noise.ts talkersNoise) instead of a recorded noise. Default 0: no draw is made, and
   * every mixture is what it was before this option existed.
   */
  talkerNoise?: number;
  /**
   * Only noise files of these categories (manifest column `category`, e.g. ['weather', 'traffic'])
   * for 'source' noise. Absent: every file, as before the option existed (same bytes).
   */
  noiseCategories?: readonly string[];
}

/**
 * One mixture. All arrays have `seconds × 16000` samples, 16 kHz, and satisfy
 * mixture = clean + noise (to float32 rounding); mixture RMS = 1.
 */
export interface Mixture {
  mixture: Float32Array;
  /** The clean target, scaled by the same factor as the mixture. */
  clean: Float32Array;
  /** The noise as it appears in the mixture (after SNR and RMS scaling). */
  noise: Float32Array;
  /** SNR of clean vs noise in dB (exactly the drawn/requested value, up to float32 rounding). */
  snrDb: number;
  /** Speaker (manifest group) of the clean speech. */
  speaker: string;
  /** Noise file(s) used, corpus-relative; several joined with '+' (cafeteria). */
  noiseFile: string;
  /** Noise type used. */
  noiseKind: NoiseKind;
  /** The factor applied to (clean + scaled noise) to reach unit RMS. */
  scale: number;
  /** Clean clips concatenated, corpus-relative paths in order. */
  utterances: string[];
}

/** Index of the first cumulative total > u (binary search). */
function cumulativeFind(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * `length` samples of one speaker: a first utterance drawn with probability proportional to its
 * length (so every second of the split is equally likely to lead), then further utterances of
 * the same speaker drawn uniformly (never the same one twice in a row when the speaker has more
 * than one), concatenated and cut at `length`.
 */
export function speechSegment(
  corpus: Corpus,
  index: CorpusSplitIndex,
  length: number,
  rng: Prng,
): { samples: Float64Array; speaker: string; utterances: string[] } {
  if (index.speech.length === 0) throw new UserError(`${corpus.dir}: split ${index.split} has no speech clips in manifest.csv`);
  const total = index.speechCumSeconds[index.speechCumSeconds.length - 1];
  let clip: CorpusClip = index.speech[cumulativeFind(index.speechCumSeconds, rng.float() * total)];
  const speaker = index.speakers.get(clip.group)!;
  const out = new Float64Array(length);
  const utterances: string[] = [];
  let filled = 0;
  for (;;) {
    const pcm = clipPcm(corpus, clip);
    const n = Math.min(pcm.length, length - filled);
    for (let i = 0; i < n; i++) out[filled + i] = pcm[i] / 32768;
    filled += n;
    utterances.push(clip.path);
    if (filled >= length) break;
    if (speaker.clips.length === 1) continue;
    let next = clip;
    while (next === clip) next = rng.pick(speaker.clips);
    clip = next;
  }
  return { samples: out, speaker: speaker.name, utterances };
}

/** Builds the mixture of `req` (see the module comment). */
export function mixtureAt(corpus: Corpus, req: MixtureRequest): Mixture {
  const { split, index } = req;
  if (!isSplitName(split)) throw new UserError(`split "${split}" is not train, validation or test`);
  if (!Number.isSafeInteger(index) || index < 0) throw new UserError(`mixture index ${index} is not a non-negative integer`);
  const seconds = req.seconds ?? MIXTURE_SECONDS_DEFAULT;
  const length = Math.round(seconds * SAMPLE_RATE_HZ);
  if (!(length > 0)) throw new UserError(`mixture length ${seconds} s is not positive`);
  const seed = req.seed ?? 0;
  const splitIndex = corpusSplit(corpus, split);

  const speech = speechSegment(corpus, splitIndex, length, Prng.fromKey([seed, split, index, 'speech']));

  const p = req.talkerNoise ?? 0;
  if (!(p >= 0 && p <= 1)) throw new UserError(`talker-noise probability ${p} is not in [0, 1]`);
  // The kind draw has its own key, so mixtures that stay 'source' keep their noise excerpt.
  const talkers = req.noise === undefined && split !== 'test' && p > 0 && Prng.fromKey([seed, split, index, 'noise-kind']).float() < p;
  const noiseRng = Prng.fromKey([seed, split, index, 'noise', talkers ? 'talkers' : (req.noise ?? 'default')]);
  const noiseKind: NoiseKind = talkers ? 'talkers' : (req.noise ?? (split === 'test' ? (noiseRng.int(2) === 0 ? 'babble' : 'cafeteria') : 'source'));
  let noise: NoiseSignal;
  if (noiseKind === 'source') noise = sourceNoise(corpus, splitIndex, length, noiseRng, req.noiseCategories);
  else if (noiseKind === 'talkers') noise = talkersNoise(corpus, splitIndex, length, noiseRng, speech.speaker);
  else if (noiseKind === 'babble') noise = babbleNoise(corpus, splitIndex, length, noiseRng);
  else noise = cafeteriaNoise(corpus, splitIndex, length, noiseRng);

  let snrDb: number;
  if (req.snrDb !== undefined) snrDb = req.snrDb;
  else {
    const [lo, hi] = req.snrRangeDb ?? MIXTURE_SNR_RANGE_DB_DEFAULT;
    if (!(lo <= hi)) throw new UserError(`SNR range [${lo}, ${hi}] dB is empty`);
    snrDb = Prng.fromKey([seed, split, index, 'snr']).uniform(lo, hi);
  }
  if (!Number.isFinite(snrDb)) throw new UserError(`SNR ${snrDb} dB is not finite`);

  // Noise gain g so that 10·log10(Σs² / Σ(g·n)²) = snrDb, computed in float64.
  const s = speech.samples;
  const n = noise.samples;
  const speechRms = signalRms(s);
  const noiseRms = signalRms(n);
  if (speechRms === 0) throw new UserError(`${corpus.dir}: speech segment of ${speech.utterances.join('+')} is digital silence`);
  const g = speechRms / (noiseRms * 10 ** (snrDb / 20));
  let sum2 = 0;
  for (let i = 0; i < length; i++) {
    const m = s[i] + g * n[i];
    sum2 += m * m;
  }
  const scale = 1 / Math.sqrt(sum2 / length);
  const mixture = new Float32Array(length);
  const clean = new Float32Array(length);
  const noiseOut = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    clean[i] = s[i] * scale;
    noiseOut[i] = g * n[i] * scale;
    mixture[i] = (s[i] + g * n[i]) * scale;
  }
  return {
    mixture,
    clean,
    noise: noiseOut,
    snrDb,
    speaker: speech.speaker,
    noiseFile: noise.files.join('+'),
    noiseKind,
    scale,
    utterances: speech.utterances,
  };
}
