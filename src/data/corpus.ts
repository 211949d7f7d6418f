/**
 * Read access to a built corpus folder (see src/data/builder/ for how one is made, and
 * test/fixtures/corpus/ for the tiny committed one): the manifest, per-split indexes of speakers
 * and noise sources, and the clips themselves, loaded lazily and cached.
 *
 * Clips are cached as Int16Array (the corpus is 16-bit PCM, so this is exact and half the memory
 * of Float32: the ~255 min of training speech take ~490 MB). `clipSamples` converts to Float32
 * (value / 32768, the convention of src/data/wav.ts). The cache is bounded (LRU by bytes).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { readMono } from './wav.js';
import { manifestParse, type ManifestRow, type SplitName } from './manifest.js';

/** A manifest row with its position in the manifest (a stable clip id). */
export interface CorpusClip extends ManifestRow {
  id: number;
  /** Noise category from the manifest's optional `category` column; '' when absent. */
  category: string;
}

/** Clips of one group (speaker or noise source) within a split, with their total length. */
export interface CorpusGroup {
  name: string;
  clips: CorpusClip[];
  seconds: number;
}

/** What one split offers the mixer. Arrays are in manifest order (deterministic). */
export interface CorpusSplitIndex {
  split: SplitName;
  /** Speech clips and their running total of seconds (for length-weighted draws). */
  speech: CorpusClip[];
  speechCumSeconds: Float64Array;
  /** Speakers by name. */
  speakers: Map<string, CorpusGroup>;
  /** Noise sources by group name (e.g. 'moh', 'openclonk', 'babble', 'crowd', 'clatter'). */
  noiseGroups: Map<string, CorpusGroup>;
}

/** An opened corpus. Owns a clip cache; share one per process (or per worker). */
export interface Corpus {
  dir: string;
  clips: CorpusClip[];
  /** Upper bound of cached PCM bytes; least recently used clips are evicted beyond it. */
  maxCacheBytes: number;
  cache: Map<number, Int16Array>;
  cacheBytes: number;
  splits: Map<SplitName, CorpusSplitIndex>;
}

/** Default cache bound: 2 GiB of 16-bit PCM (the whole corpus is ~1.3 GB). */
export const CORPUS_CACHE_BYTES_DEFAULT = 2 * 1024 ** 3;

/** Opens `dir` (a folder with manifest.csv). Reads only the manifest; clips load on demand. */
export function openCorpus(dir: string, opts: { maxCacheBytes?: number } = {}): Corpus {
  const manifestPath = join(dir, 'manifest.csv');
  if (!existsSync(manifestPath)) {
    throw new UserError(`${dir}: not a corpus folder (no manifest.csv); build one with \`hushpack corpus build --out ${dir}\``);
  }
  const rows = manifestParse(readFileSync(manifestPath, 'utf8'), manifestPath);
  return {
    dir,
    clips: rows.map((r, id) => ({ ...r, id, category: r.category ?? '' })),
    maxCacheBytes: opts.maxCacheBytes ?? CORPUS_CACHE_BYTES_DEFAULT,
    cache: new Map(),
    cacheBytes: 0,
    splits: new Map(),
  };
}

/** The per-split index (built on first use and memoised on the corpus). */
export function corpusSplit(corpus: Corpus, split: SplitName): CorpusSplitIndex {
  const have = corpus.splits.get(split);
  if (have) return have;
  const speech = corpus.clips.filter((c) => c.split === split && c.role === 'speech');
  const speechCumSeconds = new Float64Array(speech.length);
  let total = 0;
  speech.forEach((c, i) => {
    total += c.seconds;
    speechCumSeconds[i] = total;
  });
  const groupBy = (clips: CorpusClip[]) => {
    const m = new Map<string, CorpusGroup>();
    for (const c of clips) {
      const g = m.get(c.group) ?? { name: c.group, clips: [], seconds: 0 };
      g.clips.push(c);
      g.seconds += c.seconds;
      m.set(c.group, g);
    }
    return m;
  };
  const index: CorpusSplitIndex = {
    split,
    speech,
    speechCumSeconds,
    speakers: groupBy(speech),
    noiseGroups: groupBy(corpus.clips.filter((c) => c.split === split && c.role === 'noise')),
  };
  corpus.splits.set(split, index);
  return index;
}

/** WAV data is little-endian; on little-endian hosts (all Node targets in practice) it is copied as is. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes a canonical 44-byte-header 16-bit mono 16 kHz WAV (what the corpus builder and
 * src/data/wav.ts `encodeWav` write) without a general parser; returns null for anything else.
 */
function pcm16Canonical(bytes: Uint8Array): Int16Array | null {
  if (bytes.length < 44) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE' || tag(12) !== 'fmt ' || tag(36) !== 'data') return null;
  if (v.getUint32(16, true) !== 16 || v.getUint16(20, true) !== 1 || v.getUint16(22, true) !== 1) return null;
  if (v.getUint32(24, true) !== SAMPLE_RATE_HZ || v.getUint16(34, true) !== 16) return null;
  const n = v.getUint32(40, true);
  if (44 + n > bytes.length || n % 2 !== 0) return null;
  const out = new Int16Array(n / 2);
  if (HOST_LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(44, 44 + n));
  else for (let i = 0; i < out.length; i++) out[i] = v.getInt16(44 + 2 * i, true);
  return out;
}

/** Reads a corpus clip file as 16-bit PCM (any WAV that is 16 kHz mono is accepted). */
export function clipRead(path: string): Int16Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UserError(`${path}: cannot read corpus clip (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const fast = pcm16Canonical(bytes);
  if (fast) return fast;
  const { sampleRate, samples } = readMono(path, { downmix: 'error' });
  if (sampleRate !== SAMPLE_RATE_HZ) throw new UserError(`${path}: corpus clips must be ${SAMPLE_RATE_HZ} Hz, this one is ${sampleRate} Hz`);
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768)));
  return out;
}

/** A clip's samples as 16-bit PCM (cached; do not modify the returned array). */
export function clipPcm(corpus: Corpus, clip: CorpusClip): Int16Array {
  const hit = corpus.cache.get(clip.id);
  if (hit) {
    // Refresh LRU position: Map iteration order is insertion order.
    corpus.cache.delete(clip.id);
    corpus.cache.set(clip.id, hit);
    return hit;
  }
  const pcm = clipRead(join(corpus.dir, clip.path));
  corpus.cache.set(clip.id, pcm);
  corpus.cacheBytes += pcm.byteLength;
  for (const [id, old] of corpus.cache) {
    if (corpus.cacheBytes <= corpus.maxCacheBytes || id === clip.id) break;
    corpus.cache.delete(id);
    corpus.cacheBytes -= old.byteLength;
  }
  return pcm;
}

/** A clip's samples as floats in [-1, 1) (a fresh array each call). */
export function clipSamples(corpus: Corpus, clip: CorpusClip): Float32Array {
  const pcm = clipPcm(corpus, clip);
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 32768;
  return out;
}
