/**
 * The babble test noise (shared/corpus/SOURCES.md): 10-s clips, each the sum of 8 talkers drawn
 * from the klettres/ktuberling voices (manifest split 'babble', never clean targets). A talker's
 * track is random utterances of one voice, each scaled to unit RMS, separated by pauses uniform in
 * 50–250 ms (a pause also opens the track). The 8 voices of a clip are distinct when there are at
 * least 8. The sum is scaled to −25 dBFS RMS, or lower if needed to keep the peak ≤ 0.99.
 * Clip k is a pure function of (seed, k) and the voice clips.
 */
import { join } from 'node:path';
import { SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { Prng } from '../prng.js';
import { clipRead } from '../corpus.js';
import { encodeWav } from '../wav.js';
import type { BabbleSpec } from './recipe.js';
import { signalRms } from '../noise.js';

/** Target level of a babble clip: −25 dBFS RMS. */
export const BABBLE_RMS = 10 ** (-25 / 20);
/** Peak ceiling of a written clip (headroom below 16-bit full scale). */
export const BABBLE_PEAK_MAX = 0.99;

/** A babble voice: a name and the corpus paths of its utterances. */
export interface BabbleVoice {
  name: string;
  paths: string[];
}

/**
 * Builds babble clip `k` from `voices` (corpus folder `dir`). `load` caches decoded clips across
 * calls (pass the same Map for all clips of a build).
 */
export function babbleClip(dir: string, voices: readonly BabbleVoice[], spec: BabbleSpec, seed: number, k: number, load: Map<string, Float64Array | null>): Float64Array {
  const length = Math.round(spec.seconds * SAMPLE_RATE_HZ);
  const rng = Prng.fromKey([seed, 'babble', k]);
  const out = new Float64Array(length);
  const order = voices.map((_, i) => i);
  // Partial Fisher–Yates: the first `talkers` entries become a uniform draw without repetition.
  for (let t = 0; t < Math.min(spec.talkers, order.length); t++) {
    const j = t + rng.int(order.length - t);
    [order[t], order[j]] = [order[j], order[t]];
  }
  for (let t = 0; t < spec.talkers; t++) {
    const voice = voices[t < order.length ? order[t] : rng.int(voices.length)];
    let pos = Math.round((rng.uniform(spec.pauseMs[0], spec.pauseMs[1]) * SAMPLE_RATE_HZ) / 1000);
    let silentDraws = 0;
    while (pos < length) {
      const x = utterance(dir, rng.pick(voice.paths), load);
      if (x === null) {
        if (++silentDraws > 64) break; // a voice of only silent clips contributes nothing
        continue;
      }
      const n = Math.min(x.length, length - pos);
      for (let i = 0; i < n; i++) out[pos + i] += x[i];
      pos += x.length + Math.round((rng.uniform(spec.pauseMs[0], spec.pauseMs[1]) * SAMPLE_RATE_HZ) / 1000);
    }
  }
  let peak = 0;
  for (let i = 0; i < length; i++) peak = Math.max(peak, Math.abs(out[i]));
  const rms = signalRms(out);
  if (rms > 0) {
    const gain = Math.min(BABBLE_RMS / rms, BABBLE_PEAK_MAX / peak);
    for (let i = 0; i < length; i++) out[i] *= gain;
  }
  return out;
}

/** An utterance scaled to unit RMS (null when it is silent). */
function utterance(dir: string, path: string, load: Map<string, Float64Array | null>): Float64Array | null {
  const have = load.get(path);
  if (have !== undefined) return have;
  const pcm = clipRead(join(dir, path));
  const x = new Float64Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) x[i] = pcm[i] / 32768;
  const rms = signalRms(x);
  let result: Float64Array | null = null;
  if (rms >= 1e-4) {
    for (let i = 0; i < x.length; i++) x[i] /= rms;
    result = x;
  }
  load.set(path, result);
  return result;
}

/** 16-bit WAV bytes of a babble clip. */
export function babbleWav(x: Float64Array): Uint8Array {
  return encodeWav({ sampleRate: SAMPLE_RATE_HZ, channels: [Float32Array.from(x)] }, 'pcm16');
}
