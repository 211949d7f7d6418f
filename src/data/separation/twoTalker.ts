/**
 * Two-talker mixtures at 8 kHz, wsj0-2mix style (Hershey et al. 2016, the data of Tan & Wang
 * TASLP 2021 §IV-D / Table VI, and of Conv-TasNet and uPIT), from the corpus's own speech:
 *
 *   1. utterance 1: a speech clip of the split, uniformly among the clips of at least
 *      TWO_TALKER_MIN_CLIP_SECONDS (wsj0-2mix draws utterances, not speakers);
 *      utterance 2: uniformly among the eligible clips of the split's OTHER speakers (manifest
 *      `group`), so the two talkers always differ. Splits are speaker-disjoint (checked:
 *      `speakerSplitConflicts`), so train/validation/test mixtures share no talker.
 *   2. both resampled 16 → 8 kHz with the project's Kaiser polyphase resampler (src/dsp/resample.ts,
 *      ≥ 90 dB stop band from 4 kHz) and cut to the shorter one ('min' mode: no padding, both
 *      sources active from the first sample to the last of the shorter utterance).
 *   3. a relative level x drawn uniformly in [0, 5) dB: utterance 1 at +x/2 dB, utterance 2 at −x/2 dB
 *      relative to a common level (wsj0-2mix's convention: its list files give ±x/2 per source), so
 *      s1 is x dB above s2. The level is the RMS of the part that is mixed — wsj0-2mix uses P.56
 *      active levels of the whole utterances; our clips are trimmed prompts (little silence), and this
 *      way the stated difference holds exactly in the mixture.
 *   4. mix = s1 + s2; all three scaled by one gain so that their largest |sample| is
 *      TWO_TALKER_PEAK (wsj0-2mix: 0.9), which keeps 16-bit files unclipped.
 *
 * `twoTalkerAt(corpus, {split, index, seed})` is a pure function of its arguments and the corpus
 * files, like src/data/mixer.ts `mixtureAt`: every draw comes from a generator keyed by
 * (seed, split, index), so data-loader workers and resumed runs agree, and index i never depends
 * on index i − 1. The draws alone (`twoTalkerPlan`) need no audio: lengths come from the manifest
 * (`seconds` is samples / 16000 exactly).
 */
import { UserError } from '../../errors.js';
import { SAMPLE_RATE_HZ, SEPARATION_SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { resample, resampledLength, resamplerPlanCreate } from '../../dsp/resample.js';
import { Prng } from '../prng.js';
import { clipSamples, corpusSplit, type Corpus, type CorpusClip } from '../corpus.js';
import { isSplitName, SPLIT_NAMES, type SplitName } from '../manifest.js';

/** Relative level of utterance 1 over utterance 2, drawn uniformly in this range (dB; wsj0-2mix: 0–5). */
export const TWO_TALKER_LEVEL_RANGE_DB: readonly [number, number] = [0, 5];
/**
 * Shortest utterance used (s). The corpus's clips are short prompts (test split median 1.25 s,
 * shortest 0.2 s: single words and digits); 'min' mode would turn those into fragments.
 */
export const TWO_TALKER_MIN_CLIP_SECONDS = 1;
/** Largest |sample| of mixture and sources after scaling (wsj0-2mix's 0.9). */
export const TWO_TALKER_PEAK = 0.9;
/** Resampled clips kept per corpus (bytes of Float32 at 8 kHz; the test split needs ~115 MB). */
export const TWO_TALKER_CACHE_BYTES = 256 * 1024 ** 2;

/** Which mixture. */
export interface TwoTalkerRequest {
  split: SplitName;
  /** Non-negative integer; any value is valid. */
  index: number;
  /** Global seed (default 0). */
  seed?: number;
  /**
   * Redraw number (default 0). The fixed test set redraws (attempt 1, 2, …) an index whose
   * utterance pair an earlier index already has; training data does not need to.
   */
  attempt?: number;
}

/** The draws of one mixture, without audio. */
export interface TwoTalkerPlan {
  split: SplitName;
  index: number;
  /** Utterance of speaker 1 (the louder one, by levelDb) and of speaker 2. */
  clip1: CorpusClip;
  clip2: CorpusClip;
  /** Level of s1 over s2 in dB, in TWO_TALKER_LEVEL_RANGE_DB. */
  levelDb: number;
  /** Mixture length in samples at SEPARATION_SAMPLE_RATE_HZ: the shorter resampled utterance. */
  samples: number;
}

/** A two-talker mixture at SEPARATION_SAMPLE_RATE_HZ: mix = s1 + s2 (to float32 rounding). */
export interface TwoTalkerMixture {
  plan: TwoTalkerPlan;
  sampleRate: number;
  mix: Float32Array;
  s1: Float32Array;
  s2: Float32Array;
}

/** Eligible clips of one split, grouped by speaker (manifest order within and between speakers). */
interface SplitSpeakers {
  clips: CorpusClip[];
  speakers: { name: string; clips: CorpusClip[] }[];
}

interface CorpusMemo {
  splits: Map<SplitName, SplitSpeakers>;
  /** Resampled clips (8 kHz), LRU by insertion order. */
  cache: Map<number, Float32Array>;
  cacheBytes: number;
}

const memos = new WeakMap<Corpus, CorpusMemo>();

function memoOf(corpus: Corpus): CorpusMemo {
  let m = memos.get(corpus);
  if (!m) {
    m = { splits: new Map(), cache: new Map(), cacheBytes: 0 };
    memos.set(corpus, m);
  }
  return m;
}

/**
 * Speakers (manifest `group` of speech clips) that appear in more than one of the splits
 * train/validation/test, with their splits; [] when the splits are speaker-disjoint.
 */
export function speakerSplitConflicts(corpus: Corpus): { speaker: string; splits: SplitName[] }[] {
  const where = new Map<string, Set<SplitName>>();
  for (const c of corpus.clips) {
    if (c.role !== 'speech' || !isSplitName(c.split)) continue;
    const s = where.get(c.group) ?? new Set<SplitName>();
    s.add(c.split);
    where.set(c.group, s);
  }
  return [...where]
    .filter(([, s]) => s.size > 1)
    .map(([speaker, s]) => ({ speaker, splits: SPLIT_NAMES.filter((n) => s.has(n)) }));
}

/** The split's eligible clips by speaker (memoised); UserError unless two speakers have some. */
function splitSpeakers(corpus: Corpus, split: SplitName): SplitSpeakers {
  const memo = memoOf(corpus);
  const have = memo.splits.get(split);
  if (have) return have;
  const conflicts = speakerSplitConflicts(corpus);
  if (conflicts.length > 0) {
    const c = conflicts[0];
    throw new UserError(`${corpus.dir}: speaker ${c.speaker} is in the splits ${c.splits.join(' and ')}; two-talker mixtures need speaker-disjoint splits`);
  }
  const speakers = [...corpusSplit(corpus, split).speakers.values()]
    .map((g) => ({ name: g.name, clips: g.clips.filter((c) => c.seconds >= TWO_TALKER_MIN_CLIP_SECONDS) }))
    .filter((g) => g.clips.length > 0);
  if (speakers.length < 2) {
    throw new UserError(`${corpus.dir}: the ${split} split has ${speakers.length} speaker(s) with utterances of ≥ ${TWO_TALKER_MIN_CLIP_SECONDS} s; two-talker mixtures need two`);
  }
  const out = { clips: speakers.flatMap((s) => s.clips), speakers };
  memo.splits.set(split, out);
  return out;
}

/** Samples of a clip once resampled to SEPARATION_SAMPLE_RATE_HZ (from the manifest, no audio read). */
export function twoTalkerClipSamples(clip: CorpusClip): number {
  const plan = resamplerPlanCreate(SAMPLE_RATE_HZ, SEPARATION_SAMPLE_RATE_HZ);
  return resampledLength(plan, Math.round(clip.seconds * SAMPLE_RATE_HZ));
}

/**
 * What the split offers: speakers and eligible utterances, and the number of distinct mixtures —
 * unordered utterance pairs of different speakers, Σ_{a<b} n_a·n_b (each also at any level).
 */
export function twoTalkerPairCount(corpus: Corpus, split: SplitName): { speakers: { name: string; utterances: number }[]; utterances: number; pairs: number } {
  const s = splitSpeakers(corpus, split);
  const n = s.clips.length;
  const same = s.speakers.reduce((acc, g) => acc + g.clips.length * g.clips.length, 0);
  return { speakers: s.speakers.map((g) => ({ name: g.name, utterances: g.clips.length })), utterances: n, pairs: (n * n - same) / 2 };
}

/** The draws of mixture `index` (no audio read; see the file comment). */
export function twoTalkerPlan(corpus: Corpus, req: TwoTalkerRequest): TwoTalkerPlan {
  const { split, index } = req;
  const seed = req.seed ?? 0;
  const attempt = req.attempt ?? 0;
  if (!isSplitName(split)) throw new UserError(`two-talker mixture: unknown split '${String(split)}'`);
  if (!Number.isSafeInteger(index) || index < 0) throw new UserError(`two-talker mixture: index must be a non-negative integer, got ${index}`);
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new UserError(`two-talker mixture: attempt must be a non-negative integer, got ${attempt}`);
  const s = splitSpeakers(corpus, split);
  const key = attempt === 0 ? [seed, 'two-talker', split, index] : [seed, 'two-talker', split, index, 'attempt', attempt];
  const rng = Prng.fromKey(key);
  const clip1 = rng.pick(s.clips);
  const own = s.speakers.find((g) => g.name === clip1.group) as SplitSpeakers['speakers'][number];
  // Uniform over the other speakers' clips: index k into their concatenation.
  let k = rng.int(s.clips.length - own.clips.length);
  let clip2: CorpusClip | undefined;
  for (const g of s.speakers) {
    if (g === own) continue;
    if (k < g.clips.length) {
      clip2 = g.clips[k];
      break;
    }
    k -= g.clips.length;
  }
  const [lo, hi] = TWO_TALKER_LEVEL_RANGE_DB;
  const levelDb = rng.uniform(lo, hi);
  const c2 = clip2 as CorpusClip;
  return { split, index, clip1, clip2: c2, levelDb, samples: Math.min(twoTalkerClipSamples(clip1), twoTalkerClipSamples(c2)) };
}

/** A clip at SEPARATION_SAMPLE_RATE_HZ (cached per corpus, LRU; do not modify). */
function clipAt8k(corpus: Corpus, clip: CorpusClip): Float32Array {
  const memo = memoOf(corpus);
  const hit = memo.cache.get(clip.id);
  if (hit) {
    memo.cache.delete(clip.id);
    memo.cache.set(clip.id, hit);
    return hit;
  }
  const y = Float32Array.from(resample(clipSamples(corpus, clip), SAMPLE_RATE_HZ, SEPARATION_SAMPLE_RATE_HZ));
  memo.cache.set(clip.id, y);
  memo.cacheBytes += y.byteLength;
  for (const [id, old] of memo.cache) {
    if (memo.cacheBytes <= TWO_TALKER_CACHE_BYTES || id === clip.id) break;
    memo.cache.delete(id);
    memo.cacheBytes -= old.byteLength;
  }
  return y;
}

/** RMS of x[0, n), or of all of x when that part is (near) silent, or 1 when x is silent. */
function levelOf(x: Float32Array, n: number): number {
  const rms = (m: number) => {
    let e = 0;
    for (let i = 0; i < m; i++) e += x[i] * x[i];
    return Math.sqrt(e / Math.max(1, m));
  };
  // −100 dBFS: below the 16-bit quantisation floor, i.e. digital silence.
  const SILENT = 1e-5;
  const r = rms(n);
  if (r > SILENT) return r;
  const all = rms(x.length);
  return all > SILENT ? all : 1;
}

/** The audio of a plan (see the file comment, steps 2–4). */
export function twoTalkerRender(corpus: Corpus, plan: TwoTalkerPlan): TwoTalkerMixture {
  const n = plan.samples;
  const u1 = clipAt8k(corpus, plan.clip1);
  const u2 = clipAt8k(corpus, plan.clip2);
  if (u1.length < n || u2.length < n) {
    throw new UserError(`${corpus.dir}: clip ${u1.length < n ? plan.clip1.path : plan.clip2.path} is shorter than its manifest length`);
  }
  const g1 = 10 ** (plan.levelDb / 2 / 20) / levelOf(u1, n);
  const g2 = 10 ** (-plan.levelDb / 2 / 20) / levelOf(u2, n);
  const s1 = new Float64Array(n);
  const s2 = new Float64Array(n);
  const mix = new Float64Array(n);
  let peak = 0;
  for (let i = 0; i < n; i++) {
    s1[i] = g1 * u1[i];
    s2[i] = g2 * u2[i];
    mix[i] = s1[i] + s2[i];
    peak = Math.max(peak, Math.abs(s1[i]), Math.abs(s2[i]), Math.abs(mix[i]));
  }
  const g = peak > 0 ? TWO_TALKER_PEAK / peak : 1;
  const scaled = (x: Float64Array) => Float32Array.from(x, (v) => v * g);
  return { plan, sampleRate: SEPARATION_SAMPLE_RATE_HZ, mix: scaled(mix), s1: scaled(s1), s2: scaled(s2) };
}

/** On-the-fly mixture `index` of `split`: twoTalkerRender(twoTalkerPlan(…)). */
export function twoTalkerAt(corpus: Corpus, req: TwoTalkerRequest): TwoTalkerMixture {
  return twoTalkerRender(corpus, twoTalkerPlan(corpus, req));
}
