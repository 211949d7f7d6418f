/**
 * The P.862 voice activity detector (pesqdsp.c apply_VAD), in the reference's single precision.
 * Works on 4 ms blocks of the input-filtered signal: block energies, an iterated noise threshold,
 * removal of short bursts and of weak speech runs, bridging of short gaps, and soft onsets.
 */
import { JOINSPEECHLGTH, MINSPEECHLGTH } from './constants.js';
import type { PesqSignal } from './filters.js';
import type { PesqRate } from './rate.js';

const f32 = Math.fround;

/** VAD output per 4 ms block. */
export interface PesqVad {
  /** Block energy where speech, 0 elsewhere (length nSamples / Downsample). */
  vad: Float32Array;
  /** log(energy / threshold) where speech above threshold, else 0: the crude-alignment feature. */
  logVad: Float32Array;
}

/** Runs the VAD on the (input-filtered) signal. */
export function vadCompute(sig: PesqSignal, rate: PesqRate): PesqVad {
  const ds = rate.downsample;
  const nw = Math.trunc(sig.nSamples / ds);
  const data = sig.data;
  const vad = new Float32Array(nw);
  const logVad = new Float32Array(nw);

  for (let c = 0; c < nw; c++) {
    let acc = 0;
    for (let it = 0; it < ds; it++) {
      const g = data[c * ds + it];
      acc = f32(acc + f32(g * g));
    }
    vad[c] = acc / ds;
  }

  let levelThresh = 0;
  for (let c = 0; c < nw; c++) levelThresh = f32(levelThresh + vad[c]);
  levelThresh = f32(levelThresh / nw);

  let levelMin = 0;
  for (let c = 0; c < nw; c++) if (vad[c] > levelMin) levelMin = vad[c];
  levelMin = levelMin > 0 ? f32(levelMin * f32(1.0e-4)) : 1;
  for (let c = 0; c < nw; c++) if (vad[c] < levelMin) vad[c] = levelMin;

  let levelNoise = 0;
  let stdNoise = 0;
  let length = 0;
  for (let iteration = 0; iteration < 12; iteration++) {
    levelNoise = 0;
    stdNoise = 0;
    length = 0;
    for (let c = 0; c < nw; c++) {
      if (vad[c] <= levelThresh) {
        levelNoise = f32(levelNoise + vad[c]);
        length++;
      }
    }
    if (length > 0) {
      levelNoise = f32(levelNoise / length);
      for (let c = 0; c < nw; c++) {
        if (vad[c] <= levelThresh) {
          const g = f32(vad[c] - levelNoise);
          stdNoise = f32(stdNoise + f32(g * g));
        }
      }
      stdNoise = f32(Math.sqrt(f32(stdNoise / length)));
    }
    levelThresh = f32(f32(1.001) * f32(levelNoise + f32(2 * stdNoise)));
  }

  levelNoise = 0;
  let levelSig = 0;
  length = 0;
  for (let c = 0; c < nw; c++) {
    if (vad[c] > levelThresh) {
      levelSig = f32(levelSig + vad[c]);
      length++;
    } else {
      levelNoise = f32(levelNoise + vad[c]);
    }
  }
  if (length > 0) levelSig = f32(levelSig / length);
  else levelThresh = -1;
  if (length < nw) levelNoise = f32(levelNoise / (nw - length));
  else levelNoise = 1;

  for (let c = 0; c < nw; c++) if (vad[c] <= levelThresh) vad[c] = -vad[c];
  vad[0] = -levelMin;
  vad[nw - 1] = -levelMin;

  // Remove speech bursts of at most MINSPEECHLGTH blocks.
  let start = 0;
  let finish = 0;
  for (let c = 1; c < nw; c++) {
    if (vad[c] > 0 && vad[c - 1] <= 0) start = c;
    if (vad[c] <= 0 && vad[c - 1] > 0) {
      finish = c;
      if (finish - start <= MINSPEECHLGTH) for (let it = start; it < finish; it++) vad[it] = -vad[it];
    }
  }

  // With a clean background, also remove runs whose mean energy is below 3 × threshold.
  if (levelSig >= f32(levelNoise * 1000)) {
    for (let c = 1; c < nw; c++) {
      if (vad[c] > 0 && vad[c - 1] <= 0) start = c;
      if (vad[c] <= 0 && vad[c - 1] > 0) {
        finish = c;
        let g = 0;
        for (let it = start; it < finish; it++) g = f32(g + vad[it]);
        if (g < f32(f32(3 * levelThresh) * (finish - start))) {
          for (let it = start; it < finish; it++) vad[it] = -vad[it];
        }
      }
    }
  }

  // Bridge gaps of at most JOINSPEECHLGTH blocks.
  start = 0;
  finish = 0;
  for (let c = 1; c < nw; c++) {
    if (vad[c] > 0 && vad[c - 1] <= 0) {
      start = c;
      if (finish > 0 && start - finish <= JOINSPEECHLGTH) for (let it = finish; it < start; it++) vad[it] = levelMin;
    }
    if (vad[c] <= 0 && vad[c - 1] > 0) finish = c;
  }

  // No speech onset at all: mark everything (but the ends) as speech.
  start = 0;
  for (let c = 1; c < nw; c++) if (vad[c] > 0 && vad[c - 1] <= 0) start = c;
  if (start === 0) {
    for (let c = 0; c < nw; c++) vad[c] = Math.abs(vad[c]);
    vad[0] = -levelMin;
    vad[nw - 1] = -levelMin;
  }

  // Soft onsets and offsets over two blocks.
  let c = 3;
  while (c < nw - 2) {
    if (vad[c] > 0 && vad[c - 2] <= 0) {
      vad[c - 2] = f32(vad[c] * f32(0.1));
      vad[c - 1] = f32(vad[c] * f32(0.3));
      c++;
    }
    if (vad[c] <= 0 && vad[c - 1] > 0) {
      vad[c] = f32(vad[c - 1] * f32(0.3));
      vad[c + 1] = f32(vad[c - 1] * f32(0.1));
      c += 3;
    }
    c++;
  }

  for (let k = 0; k < nw; k++) if (vad[k] < 0) vad[k] = 0;

  if (levelThresh <= 0) levelThresh = levelMin;
  for (let k = 0; k < nw; k++) {
    logVad[k] = vad[k] <= levelThresh ? 0 : Math.log(f32(vad[k] / levelThresh));
  }
  return { vad, logVad };
}
