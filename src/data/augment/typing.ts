/**
 * Keyboard typing assembled from single keystroke recordings (noise clips of category 'typing',
 * e.g. bucklespring's 171 key samples): onsets from a model of real typing, a drawn keystroke at
 * each, with a little level variation.
 *
 * Onsets: typing comes in bursts (words) separated by pauses (thinking, reading). A burst has
 * TYPING_BURST_KEYS keys; within it, inter-key intervals are log-normal around 1/rate (rate drawn
 * per mixture in typingKeysPerSecond, e.g. 3–8 keys/s; σ = TYPING_INTERVAL_SIGMA in log units,
 * i.e. intervals with a coefficient of variation of 0.42: irregular, as human typing is). Between
 * bursts, a space-bar interval, or with probability TYPING_PAUSE_PROBABILITY a pause uniform in
 * TYPING_PAUSE_SECONDS. The first onset falls anywhere in the first second (the mixture cuts into
 * ongoing typing).
 */
import { UserError } from '../../errors.js';
import { SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { clipPcm, type Corpus, type CorpusClip, type CorpusSplitIndex } from '../corpus.js';
import type { Prng } from '../prng.js';
import { NOISE_CATEGORY_TYPING, NOISE_MIN_RMS, signalRms, type NoiseSignal } from '../noise.js';

/** Manifest category of keystroke clips. */
export const TYPING_CATEGORY = NOISE_CATEGORY_TYPING;
/** Keys per burst (a word and its space): uniform in this range. */
export const TYPING_BURST_KEYS: readonly [number, number] = [2, 10];
/** Log-normal σ of the inter-key intervals within a burst. */
export const TYPING_INTERVAL_SIGMA = 0.4;
/** Probability that a burst is followed by a pause rather than one more interval. */
export const TYPING_PAUSE_PROBABILITY = 0.35;
/** Pause length, seconds. */
export const TYPING_PAUSE_SECONDS: readonly [number, number] = [0.3, 1.5];
/** Level of each keystroke relative to the clip's, dB (touch varies from key to key). */
export const TYPING_KEY_DB: readonly [number, number] = [-6, 0];

/** Standard normal draw (Box–Muller, one of the pair). */
function normal(rng: Prng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
}

/**
 * Keystroke onsets in [0, seconds) for a mean in-burst rate of `keysPerSecond` (see the module
 * comment), in seconds, increasing, grouped by burst (a burst cut by the end may be shorter).
 */
export function typingSchedule(seconds: number, keysPerSecond: number, rng: Prng): number[][] {
  if (!(keysPerSecond > 0)) throw new RangeError(`typing rate must be > 0 keys/s, got ${keysPerSecond}`);
  const bursts: number[][] = [];
  const mean = 1 / keysPerSecond;
  // Log-normal with mean `mean`: median mean·e^(−σ²/2).
  const mu = Math.log(mean) - (TYPING_INTERVAL_SIGMA * TYPING_INTERVAL_SIGMA) / 2;
  let t = rng.uniform(0, Math.min(1, seconds));
  while (t < seconds) {
    const keys = TYPING_BURST_KEYS[0] + rng.int(TYPING_BURST_KEYS[1] - TYPING_BURST_KEYS[0] + 1);
    const burst: number[] = [];
    for (let k = 0; k < keys && t < seconds; k++) {
      burst.push(t);
      t += Math.exp(mu + TYPING_INTERVAL_SIGMA * normal(rng));
    }
    bursts.push(burst);
    if (rng.float() < TYPING_PAUSE_PROBABILITY) t += rng.uniform(TYPING_PAUSE_SECONDS[0], TYPING_PAUSE_SECONDS[1]);
  }
  return bursts;
}

/** The keystroke clips of a split (noise clips of category 'typing'). */
export function typingClips(index: CorpusSplitIndex): CorpusClip[] {
  const out: CorpusClip[] = [];
  for (const g of index.noiseGroups.values()) for (const c of g.clips) if (c.category === TYPING_CATEGORY) out.push(c);
  return out;
}

/**
 * `length` samples of typing: keystrokes of the split placed at typingSchedule onsets, each a
 * uniformly drawn clip at unit RMS times TYPING_KEY_DB, cut at the end of the buffer.
 */
export function typingNoise(
  corpus: Corpus, index: CorpusSplitIndex, length: number, rateRange: readonly [number, number], rng: Prng,
): NoiseSignal & { onsets: number[]; keysPerSecond: number } {
  const clips = typingClips(index);
  if (clips.length === 0) {
    throw new UserError(
      `${corpus.dir}: split ${index.split} has no keystroke clips (noise of category '${TYPING_CATEGORY}' in manifest.csv); ` +
      'build corpus v2 (bucklespring keys) or set noiseTyping=0',
    );
  }
  const keysPerSecond = rng.uniform(rateRange[0], rateRange[1]);
  const onsets = typingSchedule(length / SAMPLE_RATE_HZ, keysPerSecond, rng).flat();
  const out = new Float64Array(length);
  const files: string[] = [];
  for (const onset of onsets) {
    const clip = rng.pick(clips);
    const levelDb = rng.uniform(TYPING_KEY_DB[0], TYPING_KEY_DB[1]);
    const pcm = clipPcm(corpus, clip);
    const rms = signalRms(pcm) / 32768;
    if (rms < NOISE_MIN_RMS) continue;
    const gain = 10 ** (levelDb / 20) / rms / 32768;
    const start = Math.floor(onset * SAMPLE_RATE_HZ);
    const n = Math.min(pcm.length, length - start);
    for (let i = 0; i < n; i++) out[start + i] += gain * pcm[i];
    files.push(clip.path);
  }
  return { samples: out, files, onsets, keysPerSecond };
}
