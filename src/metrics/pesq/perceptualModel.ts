/**
 * The perceptual and cognitive model of ITU-T P.862 (pesqmod.c pesq_psychoacoustic_model), in the
 * reference's mixed single/double precision: 32 ms Hann frames every 16 ms → power spectrum →
 * Bark pitch power densities → frequency-response and gain compensation → loudness (Zwicker) →
 * symmetric and asymmetric disturbances per frame → re-alignment of "bad" intervals → Lp
 * aggregation over split seconds and over time → raw PESQ score.
 */
import {
  A_POW_F,
  A_POW_S,
  A_POW_T,
  A_WEIGHT,
  CRITERIUM_FOR_SILENCE_OF_5_SAMPLES,
  D_POW_F,
  D_POW_S,
  D_POW_T,
  D_WEIGHT,
  MAX_SCALE,
  MINIMUM_NUMBER_OF_BAD_FRAMES_IN_BAD_INTERVAL,
  MIN_SCALE,
  NUMBER_OF_PSQM_FRAMES_PER_SYLLABE,
  SEARCHBUFFER,
  SEARCH_RANGE_IN_TRANSFORM_LENGTH,
  SMEAR_RANGE,
  THRESHOLD_BAD_FRAMES,
  TWOPI,
  ZWICKER_POWER,
  type BarkTable,
} from './constants.js';
import type { PesqUtterances } from './alignment.js';
import { nextPow2, pesqRealFft, pesqRealIfft } from './fftFloat.js';
import { powerOf, type PesqSignal } from './filters.js';
import type { PesqRate } from './rate.js';

const f32 = Math.fround;
const idiv = (a: number, b: number): number => Math.trunc(a / b);

/** Float32 copies of the Bark tables and per-band loudness exponents, built once per rate. */
interface BarkModel {
  readonly nb: number;
  readonly binsPerBand: readonly number[];
  /** Correction factors (double, as the C tables). */
  readonly correction: readonly number[];
  /** Absolute thresholds (double). */
  readonly absThresh: readonly number[];
  /** Absolute thresholds rounded to float. */
  readonly absThreshF: Float32Array;
  /** Band widths in Bark rounded to float (pseudo_Lp weights). */
  readonly widthF: Float32Array;
  /** Σ widthF[1..nb) in double (pseudo_Lp total weight). */
  readonly totalWidth: number;
  /** (threshold / 0.5)^mzp per band, double (intensity warping). */
  readonly loudnessScale: Float64Array;
  /** Modified Zwicker exponent per band, double. */
  readonly zwicker: Float64Array;
}

const barkModels = new Map<BarkTable, BarkModel>();

function barkModel(t: BarkTable): BarkModel {
  let m = barkModels.get(t);
  if (m) return m;
  const nb = t.bands;
  const absThreshF = Float32Array.from(t.absThreshPower);
  const widthF = Float32Array.from(t.widthBark);
  let totalWidth = 0;
  for (let b = 1; b < nb; b++) totalWidth += widthF[b];
  const zwicker = new Float64Array(nb);
  const loudnessScale = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    let h: number;
    if (t.centreBark[b] < 4) h = f32(6 / f32(f32(t.centreBark[b]) + 2));
    else h = 1;
    if (h > 2) h = 2;
    h = f32(Math.pow(h, f32(0.15)));
    zwicker[b] = ZWICKER_POWER * h;
    loudnessScale[b] = Math.pow(absThreshF[b] / 0.5, zwicker[b]);
  }
  m = {
    nb,
    binsPerBand: t.binsPerBand,
    correction: t.powDensCorrection,
    absThresh: t.absThreshPower,
    absThreshF,
    widthF,
    totalWidth,
    loudnessScale,
    zwicker,
  };
  barkModels.set(t, m);
  return m;
}

/** Hann window of the model frame (float, from the double formula). */
function modelWindow(nf: number): Float32Array {
  const w = new Float32Array(nf);
  for (let n = 0; n < nf; n++) w[n] = 0.5 * (1.0 - Math.cos((TWOPI * n) / nf));
  return w;
}

/** Power spectrum of one windowed frame: hz[k] = |X[k]|², k < Nf/2, with hz[0] = 0 (short_term_fft). */
function frameSpectrum(data: Float32Array, start: number, win: Float32Array, nf: number, tmp: Float32Array, hz: Float32Array): void {
  for (let n = 0; n < nf; n++) tmp[n] = data[start + n] * win[n];
  pesqRealFft(tmp, nf);
  for (let k = 0; k < nf / 2; k++) {
    const re = tmp[2 * k];
    const im = tmp[2 * k + 1];
    hz[k] = f32(re * re) + f32(im * im);
  }
  hz[0] = 0;
}

/** Sums spectrum bins into Bark bands (freq_warping), writing ppd[frame·nb ..]. */
function freqWarp(hz: Float32Array, bm: BarkModel, sp: number, ppd: Float32Array, frame: number): void {
  let bin = 0;
  const nb = bm.nb;
  for (let b = 0; b < nb; b++) {
    const n = bm.binsPerBand[b];
    let sum = 0;
    for (let i = 0; i < n; i++) sum += hz[bin++];
    sum *= bm.correction[b];
    sum *= sp;
    ppd[frame * nb + b] = sum;
  }
}

/** Power of the bands above `factor` × hearing threshold, band 0 excluded (total_audible). */
function totalAudible(ppd: Float32Array, frame: number, factor: number, bm: BarkModel): number {
  const nb = bm.nb;
  let result = 0;
  for (let b = 1; b < nb; b++) {
    const h = ppd[frame * nb + b];
    const threshold = f32(factor * bm.absThresh[b]);
    if (h > threshold) result += h;
  }
  return f32(result);
}

/** Loudness densities (sone/Bark) of one frame by Zwicker's law (intensity_warping_of). */
function loudness(out: Float32Array, ppd: Float32Array, frame: number, bm: BarkModel, sl: number): void {
  const nb = bm.nb;
  for (let b = 0; b < nb; b++) {
    const threshold = bm.absThreshF[b];
    const input = ppd[frame * nb + b];
    let v = 0;
    if (input > threshold) {
      v = f32(bm.loudnessScale[b] * (Math.pow(0.5 + (0.5 * input) / threshold, bm.zwicker[b]) - 1));
    }
    out[b] = f32(v * sl);
  }
}

/** Weighted Lp norm over bands 1..nb−1 with Bark-width weights (pseudo_Lp); p is 1 or 2. */
function pseudoLp(x: Float32Array, p: number, bm: BarkModel): number {
  const nb = bm.nb;
  let result = 0;
  for (let b = 1; b < nb; b++) {
    const prod = f32(Math.abs(x[b]) * bm.widthF[b]);
    result += p === 2 ? prod * prod : Math.pow(prod, p);
  }
  result /= bm.totalWidth;
  // pow(result, 1/p) with 1/p a float: 1 or 0.5 (sqrt is the correctly rounded pow(x, 0.5)).
  result = p === 1 ? result : Math.sqrt(result);
  result *= bm.totalWidth;
  return f32(result);
}

/** Scratch buffers of the per-frame disturbance computation. */
interface DisturbanceScratch {
  loudRef: Float32Array;
  loudDeg: Float32Array;
  dist: Float32Array;
}

/**
 * Gain-compensates the degraded frame and computes its symmetric and asymmetric disturbances
 * (the body of the main frame loop). Returns [symmetric, asymmetric]; `oldScale` is the smoothed
 * gain of the previous frame (returned as the third element).
 */
function frameDisturbance(
  frame: number,
  oldScale: number,
  ppdRef: Float32Array,
  ppdDeg: Float32Array,
  bm: BarkModel,
  sl: number,
  s: DisturbanceScratch,
): [number, number, number, number] {
  const nb = bm.nb;
  const audRef = totalAudible(ppdRef, frame, 1, bm);
  const audDeg = totalAudible(ppdDeg, frame, 1, bm);
  let scale = f32(f32(audRef + 5e3) / f32(audDeg + 5e3));
  if (frame > 0) scale = f32(f32(f32(0.2) * oldScale) + f32(f32(0.8) * scale));
  const newOld = scale;
  if (scale > MAX_SCALE) scale = MAX_SCALE;
  if (scale < f32(MIN_SCALE)) scale = f32(MIN_SCALE);
  for (let b = 0; b < nb; b++) ppdDeg[frame * nb + b] = ppdDeg[frame * nb + b] * scale;

  loudness(s.loudRef, ppdRef, frame, bm, sl);
  loudness(s.loudDeg, ppdDeg, frame, bm, sl);
  const dist = s.dist;
  for (let b = 0; b < nb; b++) {
    const lr = s.loudRef[b];
    const ld = s.loudDeg[b];
    const d = f32(ld - lr);
    const m = f32((ld < lr ? ld : lr) * 0.25);
    if (d > m) dist[b] = d - m;
    else if (d < -m) dist[b] = d + m;
    else dist[b] = 0;
  }
  const sym = pseudoLp(dist, D_POW_F, bm);
  // Asymmetry factor: additive (degraded louder) distortions weigh more.
  for (let b = 0; b < nb; b++) {
    const ratio = f32(f32(ppdDeg[frame * nb + b] + 50) / f32(ppdRef[frame * nb + b] + 50));
    let h = f32(Math.pow(ratio, f32(1.2)));
    if (h > 12) h = 12;
    if (h < 3) h = 0;
    dist[b] = dist[b] * h;
  }
  const asym = pseudoLp(dist, A_POW_F, bm);
  return [sym, asym, newOld, audRef];
}

/**
 * Delay (samples) maximising the normalised cross-correlation of |x1| and |x2| within
 * ±searchRange (pesqmod.c compute_delay over the whole buffers); [delay, correlation].
 */
function computeDelay(ts1: Float32Array, ts2: Float32Array, n: number, searchRange: number): [number, number] {
  const p2 = nextPow2(2 * n);
  const power1 = (powerOf(ts1, 0, n, n) * n) / p2;
  const power2 = (powerOf(ts2, 0, n, n) * n) / p2;
  const normalization = Math.sqrt(power1 * power2);
  if (power1 <= 1e-6 || power2 <= 1e-6) return [0, 0];
  const x1 = new Float32Array(p2 + 2);
  const x2 = new Float32Array(p2 + 2);
  const y = new Float32Array(p2 + 2);
  for (let i = 0; i < n; i++) {
    x1[i] = Math.abs(ts1[i]);
    x2[i] = Math.abs(ts2[i]);
  }
  pesqRealFft(x1, p2);
  pesqRealFft(x2, p2);
  for (let i = 0; i <= p2 / 2; i++) {
    x1[2 * i] = x1[2 * i] / p2;
    x1[2 * i + 1] = x1[2 * i + 1] / p2;
  }
  for (let i = 0; i <= p2 / 2; i++) {
    y[2 * i] = f32(x1[2 * i] * x2[2 * i]) + f32(x1[2 * i + 1] * x2[2 * i + 1]);
    y[2 * i + 1] = f32(-x1[2 * i + 1] * x2[2 * i]) + f32(x1[2 * i] * x2[2 * i + 1]);
  }
  pesqRealIfft(y, p2);
  let best = 0;
  let maxCorr = 0;
  for (let i = -searchRange; i <= -1; i++) {
    const h = Math.abs(y[i + p2]) / normalization;
    if (h > maxCorr) {
      maxCorr = f32(h);
      best = i;
    }
  }
  for (let i = 0; i < searchRange; i++) {
    const h = Math.abs(y[i]) / normalization;
    if (h > maxCorr) {
      maxCorr = f32(h);
      best = i;
    }
  }
  return [best, maxCorr];
}

/**
 * Lp norm over "syllables" of 20 frames (50 % overlap) and then over time with time weights
 * (pesqmod.c Lpq_weight).
 */
function lpqWeight(start: number, stop: number, pSyl: number, pTime: number, dist: Float32Array, weight: Float32Array): number {
  let resultTime = 0;
  let totalWeight = 0;
  for (let s = start; s <= stop; s += NUMBER_OF_PSQM_FRAMES_PER_SYLLABE / 2) {
    let resultSyl = 0;
    let count = 0;
    for (let frame = s; frame < s + NUMBER_OF_PSQM_FRAMES_PER_SYLLABE; frame++) {
      if (frame <= stop) resultSyl += Math.pow(dist[frame], pSyl);
      count++;
    }
    resultSyl /= count;
    resultSyl = Math.pow(resultSyl, 1 / pSyl);
    const w = weight[s - start];
    resultTime += Math.pow(w * resultSyl, pTime);
    totalWeight += Math.pow(w, pTime);
  }
  resultTime /= totalWeight;
  // pow(x, (float)1 / pTime) with pTime = 2 for both indicators: a square root.
  resultTime = pTime === 2 ? Math.sqrt(resultTime) : Math.pow(resultTime, f32(1 / pTime));
  return f32(resultTime);
}

/**
 * Raw P.862 score from level-aligned, input-filtered (IRS or wide-band) signals zero-padded to a
 * common length `maxNSamples`, and their utterance delays.
 */
export function perceptualModelScore(ref: PesqSignal, deg: PesqSignal, utt: PesqUtterances, maxNSamples: number, rate: PesqRate): number {
  const bm = barkModel(rate.bark);
  const nb = bm.nb;
  const ds = rate.downsample;
  const ofs = rate.searchOffset;
  const padding = rate.padding;
  const nf = rate.frameLength;
  const hop = nf / 2;
  const win = modelWindow(nf);
  const refData = ref.data;
  let degData = deg.data;

  // Skip leading and trailing reference silence (5-sample |x| sums below the criterion).
  const halfMax = idiv(maxNSamples, 2);
  let skipStart = 0;
  let sum5: number;
  do {
    sum5 = 0;
    for (let i = 0; i < 5; i++) sum5 = f32(sum5 + Math.abs(refData[ofs + skipStart + i]));
    if (sum5 < CRITERIUM_FOR_SILENCE_OF_5_SAMPLES) skipStart++;
  } while (sum5 < CRITERIUM_FOR_SILENCE_OF_5_SAMPLES && skipStart < halfMax);
  let skipEnd = 0;
  do {
    sum5 = 0;
    for (let i = 0; i < 5; i++) sum5 = f32(sum5 + Math.abs(refData[maxNSamples - ofs + padding - 1 - skipEnd - i]));
    if (sum5 < CRITERIUM_FOR_SILENCE_OF_5_SAMPLES) skipEnd++;
  } while (sum5 < CRITERIUM_FOR_SILENCE_OF_5_SAMPLES && skipEnd < halfMax);

  const startFrame = idiv(skipStart, hop);
  const stopFrame = idiv(maxNSamples - 2 * ofs + padding - skipEnd, hop) - 1;
  const nFrames = stopFrame + 1;

  const tmp = new Float32Array(nf + 2);
  const hzRef = new Float32Array(nf / 2);
  const hzDeg = new Float32Array(nf / 2);
  const ppdRef = new Float32Array(nFrames * nb);
  const ppdDeg = new Float32Array(nFrames * nb);
  const silent = new Uint8Array(nFrames);
  const fd = new Float32Array(nFrames);
  const fdAsym = new Float32Array(nFrames);
  const totalPowerRef = new Float32Array(nFrames);
  const timeWeight = new Float32Array(nFrames);

  /** Delay (samples) of the utterance containing reference sample `at`. */
  const delayAt = (at: number): number => {
    let u = utt.count - 1;
    while (u >= 0 && utt.start[u] * ds > at) u--;
    return u >= 0 ? utt.delay[u] : utt.delay[0];
  };

  for (let frame = 0; frame <= stopFrame; frame++) {
    const startRef = ofs + frame * hop;
    frameSpectrum(refData, startRef, win, nf, tmp, hzRef);
    const startDeg = startRef + delayAt(startRef);
    if (startDeg > 0 && startDeg + nf < maxNSamples + padding) frameSpectrum(degData, startDeg, win, nf, tmp, hzDeg);
    else hzDeg.fill(0);
    freqWarp(hzRef, bm, rate.sp, ppdRef, frame);
    freqWarp(hzDeg, bm, rate.sp, ppdDeg, frame);
    silent[frame] = totalAudible(ppdRef, frame, 100, bm) < 1e7 ? 1 : 0;
  }

  // Frequency response compensation of the reference: ratio of time-averaged audible spectra.
  const totalFrames = idiv(maxNSamples - 2 * ofs + padding, hop) - 1;
  for (let b = 0; b < nb; b++) {
    let accRef = 0;
    let accDeg = 0;
    const limit = 100 * bm.absThresh[b];
    for (let frame = 0; frame < nFrames; frame++) {
      if (silent[frame]) continue;
      const hr = ppdRef[frame * nb + b];
      if (hr > limit) accRef += hr;
      const hd = ppdDeg[frame * nb + b];
      if (hd > limit) accDeg += hd;
    }
    const avgRef = f32(accRef / totalFrames);
    const avgDeg = f32(accDeg / totalFrames);
    let x = f32(f32(avgDeg + 1000) / f32(avgRef + 1000));
    if (x > 100) x = 100;
    if (x < f32(0.01)) x = f32(0.01);
    for (let frame = 0; frame < nFrames; frame++) ppdRef[frame * nb + b] = ppdRef[frame * nb + b] * x;
  }

  const scratch: DisturbanceScratch = {
    loudRef: new Float32Array(nb),
    loudDeg: new Float32Array(nb),
    dist: new Float32Array(nb),
  };
  let oldScale = 1;
  let anyBad = false;
  for (let frame = 0; frame <= stopFrame; frame++) {
    const [sym, asym, sc, audRef] = frameDisturbance(frame, oldScale, ppdRef, ppdDeg, bm, rate.sl, scratch);
    oldScale = sc;
    totalPowerRef[frame] = audRef;
    fd[frame] = sym;
    fdAsym[frame] = asym;
    if (sym > THRESHOLD_BAD_FRAMES) anyBad = true;
  }

  // Frames around a large negative delay jump between utterances are dropped (the degraded
  // signal was cut there).
  for (let u = 1; u < utt.count; u++) {
    let frame1 = idiv((utt.start[u] - SEARCHBUFFER) * ds + utt.delay[u], hop);
    const j = idiv((utt.end[u - 1] - SEARCHBUFFER) * ds + utt.delay[u - 1], hop);
    const jump = utt.delay[u] - utt.delay[u - 1];
    if (frame1 > j) frame1 = j;
    if (frame1 < 0) frame1 = 0;
    if (jump < -hop) {
      const frame2 = idiv((utt.start[u] - SEARCHBUFFER) * ds + Math.max(0, Math.abs(jump)), hop) + 1;
      for (let frame = frame1; frame <= frame2; frame++) {
        if (frame < stopFrame) {
          fd[frame] = 0;
          fdAsym[frame] = 0;
        }
      }
    }
  }

  // The degraded signal shifted by each utterance's delay.
  const nn = padding + maxNSamples;
  const tweaked = new Float32Array(nn);
  for (let i = ofs; i < nn - ofs; i++) {
    let j = i + delayAt(i);
    if (j < ofs) j = ofs;
    if (j >= nn - ofs) j = nn - ofs - 1;
    tweaked[i] = degData[j];
  }

  if (anyBad) {
    realignBadIntervals();
  }

  // Time weighting of very long files (more than 1000 frames, i.e. 16 s).
  for (let frame = 0; frame <= stopFrame; frame++) {
    let h = 1;
    if (stopFrame + 1 > 1000) {
      const n = idiv(maxNSamples - 2 * ofs, hop) - 1;
      let factor = f32(f32(n - 1000) / 5500);
      if (factor > 0.5) factor = 0.5;
      h = f32(1 - factor + (factor * frame) / n);
    }
    timeWeight[frame] = h;
  }

  for (let frame = 0; frame <= stopFrame; frame++) {
    const h = f32(Math.pow((totalPowerRef[frame] + 1e5) / 1e7, 0.04));
    fd[frame] = fd[frame] / h;
    fdAsym[frame] = fdAsym[frame] / h;
    if (fd[frame] > 45) fd[frame] = 45;
    if (fdAsym[frame] > 45) fdAsym[frame] = 45;
  }

  const dIndicator = lpqWeight(startFrame, stopFrame, D_POW_S, D_POW_T, fd, timeWeight);
  const aIndicator = lpqWeight(startFrame, stopFrame, A_POW_S, A_POW_T, fdAsym, timeWeight);
  return f32(4.5 - D_WEIGHT * dIndicator - A_WEIGHT * aIndicator);

  /**
   * Re-aligns intervals of bad frames by a sample-accurate cross-correlation and keeps, per frame,
   * the smaller disturbance of the two alignments.
   */
  function realignBadIntervals(): void {
    const isBad = new Uint8Array(nFrames);
    const smeared = new Uint8Array(nFrames);
    for (let frame = 0; frame <= stopFrame; frame++) isBad[frame] = fd[frame] > THRESHOLD_BAD_FRAMES ? 1 : 0;
    isBad[0] = 0;
    for (let frame = SMEAR_RANGE; frame < stopFrame - SMEAR_RANGE; frame++) {
      let left = isBad[frame];
      let right = isBad[frame];
      for (let i = -SMEAR_RANGE; i <= 0; i++) if (left < isBad[frame + i]) left = isBad[frame + i];
      for (let i = 0; i <= SMEAR_RANGE; i++) if (right < isBad[frame + i]) right = isBad[frame + i];
      smeared[frame] = Math.min(left, right);
    }

    const startFrames: number[] = [];
    const stopFrames: number[] = [];
    let frame = 0;
    while (frame <= stopFrame) {
      while (frame <= stopFrame && !smeared[frame]) frame++;
      if (frame <= stopFrame) {
        const s = frame;
        while (frame <= stopFrame && smeared[frame]) frame++;
        if (frame <= stopFrame && frame - s >= MINIMUM_NUMBER_OF_BAD_FRAMES_IN_BAD_INTERVAL) {
          startFrames.push(s);
          stopFrames.push(frame);
        }
      }
    }
    const count = startFrames.length;
    if (count === 0) return;

    const searchRange = SEARCH_RANGE_IN_TRANSFORM_LENGTH * nf;
    const startSamples: number[] = [];
    const stopSamples: number[] = [];
    const delays: number[] = [];
    for (let b = 0; b < count; b++) {
      startSamples[b] = startFrames[b] * hop + ofs;
      stopSamples[b] = stopFrames[b] * hop + nf + ofs;
    }
    const limit = maxNSamples - ofs + padding;
    for (let b = 0; b < count; b++) {
      const len = stopSamples[b] - startSamples[b];
      const total = 2 * searchRange + len;
      const r = new Float32Array(total);
      const d = new Float32Array(total);
      for (let i = 0; i < len; i++) r[searchRange + i] = refData[startSamples[b] + i];
      for (let i = 0; i < total; i++) {
        let j = startSamples[b] - searchRange + i;
        if (j < ofs) j = ofs;
        if (j >= limit) j = limit - 1;
        d[i] = tweaked[j];
      }
      const [delay, corr] = computeDelay(r, d, total, searchRange);
      delays[b] = corr < 0.5 ? 0 : delay;
    }

    const doubly = tweaked.slice(0, maxNSamples + padding);
    for (let b = 0; b < count; b++) {
      for (let i = startSamples[b]; i < stopSamples[b]; i++) {
        let j = i + delays[b];
        if (j < 0) j = 0;
        if (j >= maxNSamples) j = maxNSamples - 1;
        doubly[i] = tweaked[j];
      }
    }
    degData = doubly;

    for (let b = 0; b < count; b++) {
      for (let fr = startFrames[b]; fr < stopFrames[b]; fr++) {
        frameSpectrum(degData, ofs + fr * hop, win, nf, tmp, hzDeg);
        freqWarp(hzDeg, bm, rate.sp, ppdDeg, fr);
      }
      let old = 1;
      for (let fr = startFrames[b]; fr < stopFrames[b]; fr++) {
        const [sym, asym, sc] = frameDisturbance(fr, old, ppdRef, ppdDeg, bm, rate.sl, scratch);
        old = sc;
        if (sym < fd[fr]) fd[fr] = sym;
        if (asym < fdAsym[fr]) fdAsym[fr] = asym;
      }
    }
  }
}
