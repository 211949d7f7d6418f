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
 *
 * Augmentations (`augment`, a MixAugment of src/data/augment/settings.ts; all off by default, and
 * then every mixture is byte-identical to the mixer without them) run in this order, each with
 * its own keyed generator so that one never changes another's draws:
 *   speech:  speed perturbation ('speed') → room reverberation ('reverb'; the target keeps the
 *            direct path + 50 ms of early reflections, the mixture gets the whole response);
 *            the channel colouration below is applied to the speech before both (it commutes)
 *   noise:   kind drawn from the weights ('noise-kind': recorded, talker babble, coloured,
 *            modulated, typing), then its signal ('noise', kind); optionally a second noise at a
 *            drawn relative level ('noise2', then its own 'noise2' + kind signal)
 *   channel: microphone EQ / telephone band on speech, target and noise alike ('colour')
 *   SNR ('snr', of the speech in the mixture vs all noise) → level ('level') or clipping
 *            ('clip'; the target is never clipped) → normalisation to unit RMS.
 * Without reverberation or clipping, mixture = clean + noise; with them, `noise` is mixture −
 * clean (late reverberation and clipping distortion count as noise), and snrDb is the SNR before
 * clipping of the reverberant speech against the added noise.
 */
import { UserError } from '../errors.js';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { Prng } from './prng.js';
import { clipPcm, corpusSplit, type Corpus, type CorpusClip, type CorpusSplitIndex } from './corpus.js';
import { isSplitName, type SplitName } from './manifest.js';
import { babbleNoise, cafeteriaNoise, sourceNoise, signalRms, talkersNoise, type NoiseKind, type NoiseSignal } from './noise.js';
import {
  MIX_AUGMENT_NONE, MIX_NOISE_KINDS, MIX_NOISE_WEIGHT_KEYS, mixAugmentCheck, mixAugmentComplete, mixAugmentNoiseMixed, type MixAugment, type MixNoiseKind,
} from './augment/settings.js';
import { SPEED_MARGIN_SAMPLES, speedPerturb, speedPlan, speedSpectrum } from './augment/speed.js';
import { roomDraw, roomImpulseResponse, type Room, type RoomResponse } from './augment/room.js';
import { reverbApply, reverbApplySpectrum, reverbLeadSamples } from './augment/reverb.js';
import { colourationApply, colourationDraw } from './augment/colour.js';
import { clipApply, clipGain, dbfs, levelGain } from './augment/level.js';
import { colouredNoise, modulatedNoise } from './augment/synthNoise.js';
import { typingNoise } from './augment/typing.js';

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
   * Augmentations (src/data/augment/settings.ts; fields missing from a stored object take the
   * all-off values). Absent or MIX_AUGMENT_NONE: the mixture is what it was before they existed.
   * The noise-kind mix and the second noise apply to train/validation mixtures whose `noise` is
   * not forced; the speech and channel augmentations to any mixture that asks for them.
   */
  augment?: Partial<MixAugment>;
}

/** What the augmentations drew for one mixture (present when the request had `augment`). */
export interface MixtureAugmentRecord {
  /**
   * Speed factor drawn, and realised (snapped to a ratio of FFT sizes that depends on the segment
   * length, within 1 % of the drawn one; augment/speed.ts), or null when not perturbed.
   */
  speedFactorDrawn: number | null;
  speedFactor: number | null;
  /** Requested RT60 (s) and the room, or null when dry. */
  rt60S: number | null;
  room: Room | null;
  /** EQ section gains in dB (empty: no EQ) and whether the telephone band was applied. */
  eqGainsDb: number[];
  telephone: boolean;
  /** RMS of the speech in the mixture before normalisation, dBFS. */
  levelDbfs: number;
  /** Samples clipped (0: not clipped). */
  clippedSamples: number;
  /** Second noise kind and its level relative to the first (dB), or null. */
  noise2Kind: NoiseKind | null;
  noise2Db: number | null;
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
  /**
   * The factor applied to (clean + scaled noise) to reach unit RMS; with augmentations, the factor
   * from the signal at its drawn level (mixture / scale is what a microphone would deliver).
   */
  scale: number;
  /** Clean clips concatenated, corpus-relative paths in order. */
  utterances: string[];
  /** The augmentation draws (only when the request had `augment`). */
  augment?: MixtureAugmentRecord;
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

/** A noise-kind draw from the weights: u·Σw against the running sum, kinds in MIX_NOISE_KINDS order. */
function noiseKindDraw(weights: Readonly<Record<MixNoiseKind, number>>, u: number): MixNoiseKind {
  let total = 0;
  for (const k of MIX_NOISE_KINDS) total += weights[k];
  const target = u * total;
  let cum = 0;
  for (const k of MIX_NOISE_KINDS) {
    cum += weights[k];
    if (target < cum) return k;
  }
  return MIX_NOISE_KINDS.filter((k) => weights[k] > 0).at(-1)!;
}

/** `length` samples of noise of `kind` for the split, all draws from `rng`. */
function noiseOfKind(
  corpus: Corpus, splitIndex: CorpusSplitIndex, kind: NoiseKind, length: number, rng: Prng, speaker: string, aug: Readonly<MixAugment>,
): NoiseSignal {
  switch (kind) {
    case 'source': return sourceNoise(corpus, splitIndex, length, rng);
    case 'talkers': return talkersNoise(corpus, splitIndex, length, rng, speaker);
    case 'babble': return babbleNoise(corpus, splitIndex, length, rng);
    case 'cafeteria': return cafeteriaNoise(corpus, splitIndex, length, rng);
    case 'coloured': return { samples: colouredNoise(length, rng.uniform(aug.colouredSlope[0], aug.colouredSlope[1]), rng), files: [] };
    case 'modulated': return { samples: modulatedNoise(length, aug.colouredSlope, aug.modulationHz, rng).samples, files: [] };
    case 'typing': {
      const t = typingNoise(corpus, splitIndex, length, aug.typingKeysPerSecond, rng);
      return { samples: t.samples, files: [...new Set(t.files)] };
    }
  }
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
  const keyed = (...purpose: string[]) => Prng.fromKey([seed, split, index, ...purpose]);
  let aug: Readonly<MixAugment> = MIX_AUGMENT_NONE;
  if (req.augment !== undefined) {
    aug = mixAugmentComplete(req.augment);
    mixAugmentCheck(aug as MixAugment);
  }

  // Speech: speed perturbation and reverberation are drawn first, because they decide how much
  // speech to draw (the speech generator's first choices do not depend on the amount).
  let speedFactorDrawn: number | null = null;
  if (aug.speed > 0) {
    const r = keyed('speed');
    if (r.float() < aug.speed) speedFactorDrawn = r.uniform(aug.speedRange[0], aug.speedRange[1]);
  }
  let response: RoomResponse | null = null;
  if (aug.reverb > 0) {
    const r = keyed('reverb');
    if (r.float() < aug.reverb) response = roomImpulseResponse(roomDraw(r, r.uniform(aug.rt60RangeS[0], aug.rt60RangeS[1])), r);
  }
  const needed = length + (response ? reverbLeadSamples(response) : 0);
  const plan = speedFactorDrawn === null ? null : speedPlan(speedFactorDrawn, needed);
  const speech = speechSegment(corpus, splitIndex, plan ? plan.inLength : needed, keyed('speech'));
  // The channel (EQ / telephone band) colours the speech here, once, before speed and room
  // (augment/colour.ts colourationSections), and the noise below.
  const colour = aug.eq > 0 || aug.telephone > 0 ? colourationDraw(keyed('colour'), aug.eq, aug.eqGainDb, aug.telephone) : null;
  if (colour) colourationApply(colour, [speech.samples], plan ? 1 / plan.factor : 1);
  // s: the speech as it is in the mixture; target: what the net should output (the same array
  // unless reverberant). Speed + reverberation: the room filters the sped-up spectrum directly
  // (two transforms fewer; the kept samples are the same convolution, see reverbApplySpectrum).
  let s = speech.samples;
  let target = s;
  if (plan && response) {
    const first = SPEED_MARGIN_SAMPLES + reverbLeadSamples(response);
    ({ reverberant: s, early: target } = reverbApplySpectrum(speedSpectrum(speech.samples, plan), first, length, response));
  } else if (plan) {
    s = target = speedPerturb(speech.samples, plan, needed);
  } else if (response) {
    ({ reverberant: s, early: target } = reverbApply(speech.samples, response));
  }

  const p = req.talkerNoise ?? 0;
  if (!(p >= 0 && p <= 1)) throw new UserError(`talker-noise probability ${p} is not in [0, 1]`);
  const mixed = mixAugmentNoiseMixed(aug);
  if (mixed && p > 0) throw new UserError('talker noise is set twice: use the augmentation weight noiseTalkers instead of talkerNoise');
  const weights = Object.fromEntries(MIX_NOISE_KINDS.map((k) => [k, mixed ? (aug[MIX_NOISE_WEIGHT_KEYS[k]] as number) : 0])) as Record<MixNoiseKind, number>;
  if (!mixed) {
    weights.talkers = p;
    weights.source = 1 - p;
  }
  const drawsKind = req.noise === undefined && split !== 'test';
  // The kind draw has its own key, so mixtures that stay 'source' keep their noise excerpt; with
  // only talkerNoise this is exactly the draw `u < p` of the mixer before the weights existed.
  let drawn: MixNoiseKind = 'source';
  if (drawsKind && (mixed || p > 0)) drawn = noiseKindDraw(weights, keyed('noise-kind').float());
  const noiseRng = keyed('noise', drawn !== 'source' ? drawn : (req.noise ?? 'default'));
  const noiseKind: NoiseKind = drawn !== 'source' ? drawn : (req.noise ?? (split === 'test' ? (noiseRng.int(2) === 0 ? 'babble' : 'cafeteria') : 'source'));
  const noise = noiseOfKind(corpus, splitIndex, noiseKind, length, noiseRng, speech.speaker, aug);
  let noise2Kind: NoiseKind | null = null;
  let noise2Db: number | null = null;
  if (drawsKind && aug.secondNoise > 0) {
    const r = keyed('noise2');
    if (r.float() < aug.secondNoise) {
      noise2Kind = noiseKindDraw(weights, r.float());
      noise2Db = r.uniform(aug.secondNoiseDb[0], aug.secondNoiseDb[1]);
      const second = noiseOfKind(corpus, splitIndex, noise2Kind, length, keyed('noise2', noise2Kind), speech.speaker, aug);
      const g2 = (signalRms(noise.samples) / signalRms(second.samples)) * 10 ** (noise2Db / 20);
      for (let i = 0; i < length; i++) noise.samples[i] += g2 * second.samples[i];
      noise.files.push(...second.files);
    }
  }

  if (colour) colourationApply(colour, [noise.samples]);

  let snrDb: number;
  if (req.snrDb !== undefined) snrDb = req.snrDb;
  else {
    const [lo, hi] = req.snrRangeDb ?? MIXTURE_SNR_RANGE_DB_DEFAULT;
    if (!(lo <= hi)) throw new UserError(`SNR range [${lo}, ${hi}] dB is empty`);
    snrDb = keyed('snr').uniform(lo, hi);
  }
  if (!Number.isFinite(snrDb)) throw new UserError(`SNR ${snrDb} dB is not finite`);

  // Noise gain g so that 10·log10(Σs² / Σ(g·n)²) = snrDb, computed in float64.
  const n = noise.samples;
  const speechRms = signalRms(s);
  const noiseRms = signalRms(n);
  if (speechRms === 0) throw new UserError(`${corpus.dir}: speech segment of ${speech.utterances.join('+')} is digital silence`);
  if (!(noiseRms > 0)) throw new UserError(`${corpus.dir}: ${noiseKind} noise of ${noise.files.join('+') || 'mixture'} ${index} (${split}) is digital silence`);
  const g = speechRms / (noiseRms * 10 ** (snrDb / 20));

  // Level (or clipping, which sets its own level): a gain on everything before normalisation.
  let gain = 1;
  if (aug.level > 0) {
    const r = keyed('level');
    if (r.float() < aug.level) gain = levelGain(s, r.uniform(aug.levelRangeDbfs[0], aug.levelRangeDbfs[1]));
  }
  let clipOverDb: number | null = null;
  if (aug.clip > 0) {
    const r = keyed('clip');
    if (r.float() < aug.clip) clipOverDb = r.uniform(aug.clipOverDb[0], aug.clipOverDb[1]);
  }
  const raw = new Float64Array(length);
  for (let i = 0; i < length; i++) raw[i] = s[i] + g * n[i];
  let clippedSamples = 0;
  if (clipOverDb !== null) {
    gain = clipGain(raw, clipOverDb);
    for (let i = 0; i < length; i++) raw[i] *= gain;
    clippedSamples = clipApply(raw);
  } else if (gain !== 1) {
    for (let i = 0; i < length; i++) raw[i] *= gain;
  }

  let sum2 = 0;
  for (let i = 0; i < length; i++) sum2 += raw[i] * raw[i];
  const scale = 1 / Math.sqrt(sum2 / length);
  const mixture = new Float32Array(length);
  const clean = new Float32Array(length);
  const noiseOut = new Float32Array(length);
  // Without reverberation or clipping the noise is exactly the scaled noise (the arithmetic of the
  // mixer before augmentations, bit for bit); otherwise everything in the mixture but the target.
  const additive = target === s && clippedSamples === 0;
  for (let i = 0; i < length; i++) {
    clean[i] = target[i] * gain * scale;
    noiseOut[i] = additive ? g * n[i] * gain * scale : (raw[i] - target[i] * gain) * scale;
    mixture[i] = raw[i] * scale;
  }
  const out: Mixture = {
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
  if (req.augment !== undefined) {
    out.augment = {
      speedFactorDrawn, speedFactor: plan ? plan.factor : null, rt60S: response ? response.room.rt60S : null, room: response ? response.room : null,
      eqGainsDb: colour ? colour.eqGainsDb : [], telephone: colour ? colour.telephone : false, levelDbfs: dbfs(signalRms(s) * gain), clippedSamples, noise2Kind, noise2Db,
    };
  }
  return out;
}
