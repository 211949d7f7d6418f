/**
 * Noise signals for mixtures: excerpts of recorded noise (looped when the recording is shorter
 * than the mixture) and the cafeteria-like test noise recipe of shared/corpus/SOURCES.md
 * (babble + crowd at −6 dB + sparse clatter events). All draws come from the caller's Prng, so
 * the result is a pure function of the generator's key.
 *
 * Buffers here are Float64Array of samples at 16 kHz, full scale ±1 (float64 so that the SNR
 * arithmetic downstream is exact to well below 0.001 dB).
 */
import { UserError } from '../errors.js';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import type { Prng } from './prng.js';
import { clipPcm, type Corpus, type CorpusClip, type CorpusGroup, type CorpusSplitIndex } from './corpus.js';

/** Test-noise types (Tan & Wang Table I conditions). */
export const TEST_NOISE_KINDS = ['babble', 'cafeteria'] as const;
/** One of TEST_NOISE_KINDS. */
export type TestNoiseKind = (typeof TEST_NOISE_KINDS)[number];
/**
 * 'source': a recorded noise file of the split (training/validation noise); 'talkers': babble
 * synthesised from the split's own speech (talkersNoise; training/validation only, opt-in);
 * 'coloured', 'modulated', 'typing': the synthetic noises of src/data/augment/ (opt-in).
 */
export type NoiseKind = 'source' | 'talkers' | 'coloured' | 'modulated' | 'typing' | TestNoiseKind;

/** Manifest noise groups the test recipes read. */
export const NOISE_GROUP_BABBLE = 'babble';
export const NOISE_GROUP_CROWD = 'crowd';
export const NOISE_GROUP_CLATTER = 'clatter';

/** Crowd level relative to the babble in the cafeteria recipe (SOURCES.md: −6 dB). */
export const CAFETERIA_CROWD_DB = -6;
/** Mean rate of clatter events (glass, bottle, cash till): sparse, one every 2 s on average. */
export const CAFETERIA_CLATTER_PER_SECOND = 0.5;
/** Each event's RMS (over the event) relative to the babble RMS: uniform in this range, dB. */
export const CAFETERIA_CLATTER_DB: readonly [number, number] = [0, 6];
/** Excerpts quieter than this RMS (−80 dBFS: digital silence, fades) are redrawn. */
export const NOISE_MIN_RMS = 1e-4;
/** Redraws allowed before giving up on a silent noise source. */
const NOISE_MAX_DRAWS = 32;

/** A noise signal and the files it was made from (corpus-relative paths). */
export interface NoiseSignal {
  samples: Float64Array;
  files: string[];
}

/** Root mean square of x (0 for empty). */
export function signalRms(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return x.length === 0 ? 0 : Math.sqrt(s / x.length);
}

/**
 * `length` samples of `pcm` starting at a uniformly random offset, wrapping around to the start
 * when the end is reached (so a 1-s recording fills a 4-s mixture by looping).
 */
export function noiseExcerpt(pcm: Int16Array, length: number, rng: Prng): Float64Array {
  if (pcm.length === 0) throw new RangeError('noiseExcerpt: empty recording');
  const out = new Float64Array(length);
  let pos = rng.int(pcm.length);
  for (let i = 0; i < length; i++) {
    out[i] = pcm[pos] / 32768;
    if (++pos === pcm.length) pos = 0;
  }
  return out;
}

function groupOf(index: CorpusSplitIndex, name: string, corpus: Corpus): CorpusGroup {
  const g = index.noiseGroups.get(name);
  if (!g || g.clips.length === 0) {
    throw new UserError(`${corpus.dir}: no noise of group "${name}" in split ${index.split} (manifest.csv); rebuild the corpus`);
  }
  return g;
}

/** A non-silent excerpt of a uniformly chosen clip of `clips`. */
function excerptFrom(corpus: Corpus, clips: readonly CorpusClip[], length: number, rng: Prng): { x: Float64Array; clip: CorpusClip } {
  for (let k = 0; k < NOISE_MAX_DRAWS; k++) {
    const clip = rng.pick(clips);
    const x = noiseExcerpt(clipPcm(corpus, clip), length, rng);
    if (signalRms(x) >= NOISE_MIN_RMS) return { x, clip };
  }
  throw new UserError(`${corpus.dir}: ${NOISE_MAX_DRAWS} noise excerpts in a row were silent (from ${clips.map((c) => c.path).slice(0, 3).join(', ')}…)`);
}

/**
 * Manifest category of single keystroke recordings (corpus v2): they are assembled into typing
 * noise (augment/typing.ts), never used as a recorded noise on their own (a 60-ms click looped).
 */
export const NOISE_CATEGORY_TYPING = 'typing';

/**
 * Training/validation noise: a uniformly chosen noise group of the split, then a file, then an
 * excerpt. Groups made only of keystroke clips (NOISE_CATEGORY_TYPING) are left out.
 */
export function sourceNoise(corpus: Corpus, index: CorpusSplitIndex, length: number, rng: Prng): NoiseSignal {
  const groups = [...index.noiseGroups.values()].filter((g) => !g.clips.every((c) => c.category === NOISE_CATEGORY_TYPING));
  if (groups.length === 0) throw new UserError(`${corpus.dir}: split ${index.split} has no noise clips in manifest.csv`);
  // Groups are drawn uniformly (not by length) so that 18 min of music do not drown 2.5 min of opensfx.
  const group = rng.pick(groups);
  const { x, clip } = excerptFrom(corpus, group.clips, length, rng);
  return { samples: x, files: [clip.path] };
}

/** Talkers summed by talkersNoise: uniform in this range (the test babble has 8). */
export const TALKERS_RANGE: readonly [number, number] = [3, 8];

/**
 * Babble made of the split's own speech, for training and validation mixtures (the test babble
 * is built from voices no split uses, so this adds speech-like noise to training without touching
 * the test conditions): T talkers (TALKERS_RANGE, uniform), each a track of random utterances of
 * one speaker other than `target` (speakers repeat when the split has fewer than T others; any
 * speaker when it has no other), started at a random point of its first utterance, every
 * utterance scaled to unit RMS, then summed. Silent clips are skipped.
 */
export function talkersNoise(corpus: Corpus, index: CorpusSplitIndex, length: number, rng: Prng, target: string): NoiseSignal {
  const all = [...index.speakers.values()].filter((g) => g.clips.length > 0);
  if (all.length === 0) throw new UserError(`${corpus.dir}: split ${index.split} has no speech clips in manifest.csv`);
  const others = all.filter((g) => g.name !== target);
  const pool = others.length > 0 ? others : all;
  const talkers = TALKERS_RANGE[0] + rng.int(TALKERS_RANGE[1] - TALKERS_RANGE[0] + 1);
  const out = new Float64Array(length);
  const files: string[] = [];
  for (let t = 0; t < talkers; t++) {
    const speaker = rng.pick(pool);
    let pos = 0;
    let first = true;
    for (let draws = 0; pos < length && draws < NOISE_MAX_DRAWS * 8; draws++) {
      const clip = rng.pick(speaker.clips);
      const pcm = clipPcm(corpus, clip);
      const rms = signalRms(pcm) / 32768;
      if (pcm.length === 0 || rms < NOISE_MIN_RMS) continue;
      const start = first ? rng.int(pcm.length) : 0;
      first = false;
      const n = Math.min(pcm.length - start, length - pos);
      const gain = 1 / (rms * 32768);
      for (let i = 0; i < n; i++) out[pos + i] += gain * pcm[start + i];
      pos += n;
      files.push(clip.path);
    }
  }
  return { samples: out, files };
}

/** Babble test noise: an excerpt of one built 10-s babble clip (8 talkers). */
export function babbleNoise(corpus: Corpus, index: CorpusSplitIndex, length: number, rng: Prng): NoiseSignal {
  const { x, clip } = excerptFrom(corpus, groupOf(index, NOISE_GROUP_BABBLE, corpus).clips, length, rng);
  return { samples: x, files: [clip.path] };
}

/**
 * Cafeteria-like test noise (SOURCES.md): babble, plus a crowd recording at −6 dB relative to the
 * babble RMS, plus clatter events (Poisson, 0.5 per second) each placed at a uniform start time,
 * cut at the end of the buffer, at 0…+6 dB relative to the babble RMS.
 */
export function cafeteriaNoise(corpus: Corpus, index: CorpusSplitIndex, length: number, rng: Prng): NoiseSignal {
  const babble = babbleNoise(corpus, index, length, rng);
  const out = babble.samples;
  const babbleRms = signalRms(out);
  const crowd = excerptFrom(corpus, groupOf(index, NOISE_GROUP_CROWD, corpus).clips, length, rng);
  const crowdGain = (babbleRms * 10 ** (CAFETERIA_CROWD_DB / 20)) / signalRms(crowd.x);
  for (let i = 0; i < length; i++) out[i] += crowdGain * crowd.x[i];
  const files = [...babble.files, crowd.clip.path];
  const clatter = groupOf(index, NOISE_GROUP_CLATTER, corpus).clips;
  const events = rng.poisson((CAFETERIA_CLATTER_PER_SECOND * length) / SAMPLE_RATE_HZ);
  for (let e = 0; e < events; e++) {
    const clip = rng.pick(clatter);
    const pcm = clipPcm(corpus, clip);
    const start = rng.int(length);
    const levelDb = rng.uniform(CAFETERIA_CLATTER_DB[0], CAFETERIA_CLATTER_DB[1]);
    const rms = signalRms(pcm) / 32768;
    if (rms < NOISE_MIN_RMS) continue;
    const gain = (babbleRms * 10 ** (levelDb / 20)) / rms / 32768;
    const n = Math.min(pcm.length, length - start);
    for (let i = 0; i < n; i++) out[start + i] += gain * pcm[i];
    files.push(clip.path);
  }
  return { samples: out, files };
}
