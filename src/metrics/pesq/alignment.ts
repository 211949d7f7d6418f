/**
 * Time alignment of P.862 (pesqdsp.c, pesqmod.c): a crude delay from the cross-correlation of the
 * two VAD envelopes, utterance detection on the reference, per-utterance crude and fine delays
 * (histogram of cross-correlation peaks of 64 ms windows), and splitting utterances whose two
 * halves have different delays. All in the reference's single precision and integer arithmetic
 * (C division truncates toward zero: `Math.trunc`).
 *
 * Units: utterance starts/ends and search windows are in 4 ms VAD blocks; delays in samples
 * (positive: the degraded signal lags the reference).
 */
import { MINUTTLENGTH, SEARCHBUFFER, TWOPI } from './constants.js';
import { nextPow2, pesqRealFft, pesqRealIfft } from './fftFloat.js';
import type { PesqSignal } from './filters.js';
import type { PesqRate } from './rate.js';
import type { PesqVad } from './vad.js';

const f32 = Math.fround;
const idiv = (a: number, b: number): number => Math.trunc(a / b);

/** The reference's ERROR_INFO alignment fields, one entry per utterance. */
export interface PesqUtterances {
  /** Number of utterances. */
  count: number;
  /** Whole-signal crude delay (samples). */
  crudeDelayEst: number;
  /** Search windows (blocks). */
  searchStart: number[];
  searchEnd: number[];
  /** Crude per-utterance delay (samples). */
  delayEst: number[];
  /** Fine per-utterance delay (samples). */
  delay: number[];
  /** Confidence of the fine delay (peak share of the delay histogram). */
  delayConf: number[];
  /** Utterance boundaries (blocks). */
  start: number[];
  end: number[];
}

/** A signal with its VAD, as the alignment reads it. */
export interface PesqAlignInput {
  sig: PesqSignal;
  vad: PesqVad;
}

const xcorrBuffers = new Map<number, [Float32Array, Float32Array]>();

/** Two zeroed scratch buffers of size + 2 floats for xcorr (reused: xcorr is called thousands of times). */
function xcorrScratch(size: number): [Float32Array, Float32Array] {
  let b = xcorrBuffers.get(size);
  if (!b) {
    b = [new Float32Array(size + 2), new Float32Array(size + 2)];
    xcorrBuffers.set(size, b);
  } else {
    b[0].fill(0);
    b[1].fill(0);
  }
  return b;
}

/**
 * Cross-correlation through FFTs (dsp.c FFTNXCorr): y[k] for k < n1 + n2 − 1, where
 * y[n1 − 1 + d] = Σ x1[i] · x2[i + d].
 */
function xcorr(x1: Float32Array, o1: number, n1: number, x2: Float32Array, o2: number, n2: number): Float32Array {
  const nx = nextPow2(Math.max(n1, n2));
  const size = 2 * nx;
  const [t1, t2] = xcorrScratch(size);
  for (let c = 0; c < n1; c++) t1[n1 - 1 - c] = x1[o1 + c];
  pesqRealFft(t1, size);
  for (let c = 0; c < n2; c++) t2[c] = x2[o2 + c];
  pesqRealFft(t2, size);
  for (let c = 0; c <= nx; c++) {
    const d = c << 1;
    const r1 = t1[d];
    const i1 = t1[d + 1];
    t1[d] = f32(r1 * t2[d]) - f32(i1 * t2[d + 1]);
    t1[d + 1] = f32(r1 * t2[d + 1]) + f32(i1 * t2[d]);
  }
  pesqRealIfft(t1, size);
  return t1.subarray(0, n1 + n2 - 1);
}

/**
 * Crude delay (samples) between the log-VAD envelopes of ref[startr, startr + nr) and
 * deg[startd, startd + nd) (pesqdsp.c crude_align body): the arg-max of their cross-correlation.
 * `clobber`, when given, receives the cross-correlation output (see splitAlign).
 */
function crudeDelay(
  ref: PesqVad,
  deg: PesqVad,
  startr: number,
  nr: number,
  startd: number,
  nd: number,
  rate: PesqRate,
  clobber?: (y: Float32Array) => void,
): number {
  let iMax = nr - 1;
  if (nr > 1 && nd > 1) {
    const y = xcorr(ref.logVad, startr, nr, deg.logVad, startd, nd);
    clobber?.(y);
    let max = 0;
    for (let c = 0; c < nr + nd - 1; c++) {
      if (y[c] > max) {
        max = y[c];
        iMax = c;
      }
    }
  }
  return (iMax - nr + 1) * rate.downsample;
}

/** Whole-signal crude delay (crude_align with WHOLE_SIGNAL). */
export function crudeAlignWhole(ref: PesqAlignInput, deg: PesqAlignInput, rate: PesqRate): number {
  const ds = rate.downsample;
  return crudeDelay(ref.vad, deg.vad, 0, idiv(ref.sig.nSamples, ds), 0, idiv(deg.sig.nSamples, ds), rate);
}

/**
 * Crude delay of one search window [searchStart, searchEnd) around a prior delay estimate
 * (crude_align for an utterance, or for the split test slot); returns prior + correction.
 */
function crudeAlignWindow(
  ref: PesqAlignInput,
  deg: PesqAlignInput,
  searchStart: number,
  searchEnd: number,
  prior: number,
  rate: PesqRate,
  clobber?: (y: Float32Array) => void,
): number {
  const ds = rate.downsample;
  let startr = searchStart;
  let startd = startr + idiv(prior, ds);
  if (startd < 0) {
    startr = -idiv(prior, ds);
    startd = 0;
  }
  const nr = searchEnd - startr;
  let nd = nr;
  const degBlocks = idiv(deg.sig.nSamples, ds);
  if (startd + nd > degBlocks) nd = degBlocks - startd;
  return crudeDelay(ref.vad, deg.vad, startr, nr, startd, nd, rate, clobber) + prior;
}

const alignWindows = new Map<number, Float32Array>();

/** Hann window of the alignment FFT length (float, from the double formula), cached per length. */
function alignWindow(rate: PesqRate): Float32Array {
  const n = rate.alignNfft;
  let w = alignWindows.get(n);
  if (w) return w;
  w = new Float32Array(n);
  for (let c = 0; c < n; c++) w[c] = 0.5 * (1.0 - Math.cos((TWOPI * c) / n));
  alignWindows.set(n, w);
  return w;
}

/**
 * |cross-correlation| of one windowed 64 ms block pair (the inner step of time_align and
 * split_align): returns the absolute correlation in x1 and the threshold 0.99 · max.
 */
function blockXcorr(
  ref: Float32Array,
  startr: number,
  deg: Float32Array,
  startd: number,
  win: Float32Array,
  x1: Float32Array,
  x2: Float32Array,
  n: number,
): number {
  for (let c = 0; c < n; c++) {
    x1[c] = ref[c + startr] * win[c];
    x2[c] = deg[c + startd] * win[c];
  }
  pesqRealFft(x1, n);
  pesqRealFft(x2, n);
  for (let c = 0; c <= n / 2; c++) {
    const r1 = x1[c * 2];
    const i1 = -x1[1 + c * 2];
    x1[c * 2] = f32(r1 * x2[c * 2]) - f32(i1 * x2[1 + c * 2]);
    x1[1 + c * 2] = f32(r1 * x2[1 + c * 2]) + f32(i1 * x2[c * 2]);
  }
  pesqRealIfft(x1, n);
  let vMax = 0;
  for (let c = 0; c < n; c++) {
    const r = Math.abs(x1[c]);
    x1[c] = r;
    if (r > vMax) vMax = r;
  }
  return f32(vMax * f32(0.99));
}

/** Fine delay of utterance `u` from its crude estimate (pesqdsp.c time_align). */
function timeAlign(ref: PesqAlignInput, deg: PesqAlignInput, utt: PesqUtterances, u: number, rate: PesqRate): void {
  const n = rate.alignNfft;
  const ds = rate.downsample;
  const estDelay = utt.delayEst[u];
  const x1 = new Float32Array(n + 2);
  const x2 = new Float32Array(n + 2);
  const h = new Float32Array(n);
  const win = alignWindow(rate);

  let startr = utt.searchStart[u] * ds;
  let startd = startr + estDelay;
  if (startd < 0) {
    startr = -estDelay;
    startd = 0;
  }
  while (startd + n <= deg.sig.nSamples && startr + n <= utt.searchEnd[u] * ds) {
    const vMax = blockXcorr(ref.sig.data, startr, deg.sig.data, startd, win, x1, x2, n);
    const weight = f32(Math.pow(vMax, 0.125));
    for (let c = 0; c < n; c++) if (x1[c] > vMax) h[c] = h[c] + weight;
    startr += n / 4;
    startd += n / 4;
  }

  // Smooth the delay histogram with a triangular kernel (circular convolution by FFT).
  let hSum = 0;
  x2.fill(0);
  for (let c = 0; c < n; c++) {
    hSum = f32(hSum + h[c]);
    x1[c] = h[c];
  }
  x1[n] = 0;
  x1[n + 1] = 0;
  x2[0] = 1;
  const kernel = n / 64;
  for (let c = 1; c < kernel; c++) {
    const v = f32(1 - f32(c / kernel));
    x2[c] = v;
    x2[n - c] = v;
  }
  pesqRealFft(x1, n);
  pesqRealFft(x2, n);
  for (let c = 0; c <= n / 2; c++) {
    const r1 = x1[c * 2];
    const i1 = x1[1 + c * 2];
    x1[c * 2] = f32(r1 * x2[c * 2]) - f32(i1 * x2[1 + c * 2]);
    x1[1 + c * 2] = f32(r1 * x2[1 + c * 2]) + f32(i1 * x2[c * 2]);
  }
  pesqRealIfft(x1, n);
  for (let c = 0; c < n; c++) h[c] = hSum > 0 ? Math.abs(x1[c]) / hSum : 0;

  let vMax = 0;
  let iMax = 0;
  for (let c = 0; c < n; c++) {
    if (h[c] > vMax) {
      vMax = h[c];
      iMax = c;
    }
  }
  if (iMax >= n / 2) iMax -= n;
  utt.delay[u] = estDelay + iMax;
  utt.delayConf[u] = vMax;
}

/** Finds utterance search windows on the reference VAD (pesqmod.c id_searchwindows). */
function searchWindowsFind(ref: PesqAlignInput, deg: PesqAlignInput, utt: PesqUtterances, rate: PesqRate): void {
  const ds = rate.downsample;
  const vadLength = idiv(ref.sig.nSamples, ds);
  const delDegStart = MINUTTLENGTH - idiv(utt.crudeDelayEst, ds);
  const delDegEnd = idiv(deg.sig.nSamples - utt.crudeDelayEst, ds) - MINUTTLENGTH;
  const vad = ref.vad.vad;
  let num = 0;
  let speech = false;
  let thisStart = 0;
  for (let c = 0; c < vadLength; c++) {
    const v = vad[c];
    if (v > 0 && !speech) {
      speech = true;
      thisStart = c;
      utt.searchStart[num] = Math.max(0, c - SEARCHBUFFER);
    }
    if ((v === 0 || c === vadLength - 1) && speech) {
      speech = false;
      utt.searchEnd[num] = Math.min(vadLength - 1, c + SEARCHBUFFER);
      if (c - thisStart >= MINUTTLENGTH && thisStart < delDegEnd && c > delDegStart) num++;
    }
  }
  utt.count = num;
}

/** Sets utterance boundaries from the VAD and the fine delays (pesqmod.c id_utterances). */
function utterancesIdentify(ref: PesqAlignInput, deg: PesqAlignInput, utt: PesqUtterances, rate: PesqRate): void {
  const ds = rate.downsample;
  const vadLength = idiv(ref.sig.nSamples, ds);
  const delDegStart = MINUTTLENGTH - idiv(utt.crudeDelayEst, ds);
  const delDegEnd = idiv(deg.sig.nSamples - utt.crudeDelayEst, ds) - MINUTTLENGTH;
  const degN = deg.sig.nSamples;
  const vad = ref.vad.vad;
  let num = 0;
  let speech = false;
  let thisStart = 0;
  for (let c = 0; c < vadLength; c++) {
    const v = vad[c];
    if (v > 0 && !speech) {
      speech = true;
      thisStart = c;
      utt.start[num] = c;
    }
    if ((v === 0 || c === vadLength - 1) && speech) {
      speech = false;
      utt.end[num] = c;
      if (c - thisStart >= MINUTTLENGTH && thisStart < delDegEnd && c > delDegStart) num++;
    }
  }
  const last = utt.count - 1;
  utt.start[0] = SEARCHBUFFER;
  utt.end[last] = vadLength - SEARCHBUFFER;
  for (let k = 1; k < utt.count; k++) {
    const mid = idiv(utt.start[k] + utt.end[k - 1], 2);
    utt.start[k] = mid;
    utt.end[k - 1] = mid;
  }
  if (utt.start[0] * ds + utt.delay[0] < SEARCHBUFFER * ds) {
    utt.start[0] = SEARCHBUFFER + idiv(ds - 1 - utt.delay[0], ds);
  }
  if (utt.end[last] * ds + utt.delay[last] > degN - SEARCHBUFFER * ds) {
    utt.end[last] = idiv(degN - utt.delay[last], ds) - SEARCHBUFFER;
  }
  for (let k = 1; k < utt.count; k++) {
    let thisS = utt.start[k] * ds + utt.delay[k];
    let lastE = utt.end[k - 1] * ds + utt.delay[k - 1];
    if (thisS < lastE) {
      const mid = idiv(thisS + lastE, 2);
      thisS = idiv(ds - 1 + mid - utt.delay[k], ds);
      lastE = idiv(mid - utt.delay[k - 1], ds);
      utt.start[k] = thisS;
      utt.end[k - 1] = lastE;
    }
  }
}

/** Result of the split search of one utterance. */
interface SplitResult {
  ed1: number;
  d1: number;
  dc1: number;
  ed2: number;
  d2: number;
  dc2: number;
  bp: number;
}

/**
 * Delay histogram of the windows of one side of a candidate break point, accumulated into h
 * (the repeated block of split_align); returns the updated histogram sum.
 */
function splitHistogram(
  ref: Float32Array,
  deg: Float32Array,
  startr: number,
  startd: number,
  win: Float32Array,
  x1: Float32Array,
  x2: Float32Array,
  h: Float32Array,
  hSum: number,
  n: number,
): number {
  const kernel = n / 64;
  const vMax = blockXcorr(ref, startr, deg, startd, win, x1, x2, n);
  const nMax = f32(f32(Math.pow(vMax, 0.125)) / kernel);
  for (let c = 0; c < n; c++) {
    if (x1[c] > vMax) {
      hSum = f32(hSum + f32(nMax * kernel));
      for (let k = 1 - kernel; k < kernel; k++) {
        let idx = c + k;
        if (idx < 0) idx += n;
        else if (idx >= n) idx -= n;
        h[idx] = h[idx] + f32(nMax * f32(kernel - Math.abs(k)));
      }
    }
  }
  return hSum;
}

/** Peak of a delay histogram: [signed offset, peak value]. */
function histogramPeak(h: Float32Array, n: number): [number, number] {
  let vMax = 0;
  let iMax = 0;
  for (let c = 0; c < n; c++) {
    if (h[c] > vMax) {
      vMax = h[c];
      iMax = c;
    }
  }
  if (iMax >= n / 2) iMax -= n;
  return [iMax, vMax];
}

/**
 * Searches a break point inside one utterance where the delays before and after differ
 * (pesqdsp.c split_align). Returns the best candidate, or dc1 = dc2 = 0 if none.
 */
function splitAlign(
  ref: PesqAlignInput,
  deg: PesqAlignInput,
  uttStart: number,
  speechStart: number,
  speechEnd: number,
  uttEnd: number,
  uttDelayEst: number,
  uttDelayConf: number,
  rate: PesqRate,
): SplitResult {
  const best: SplitResult = { ed1: 0, d1: 0, dc1: 0, ed2: 0, d2: 0, dc2: 0, bp: 0 };
  const n = rate.alignNfft;
  const ds = rate.downsample;
  const uttLen = speechEnd - speechStart;
  const x1 = new Float32Array(n + 2);
  const x2 = new Float32Array(n + 2);
  const h = new Float32Array(n);
  // A copy of the Hann window, because the reference clobbers it: split_align keeps its window
  // in the shared scratch buffer at ftmp[3N + 6, 4N + 6) and then calls crude_align, whose
  // cross-correlation output (nr + nd − 1 floats from ftmp[0]) overwrites the window when the
  // search windows are long. The histograms below must use the clobbered window to agree with
  // the ITU code, so the same overwrite is applied to this copy.
  const win = alignWindow(rate).slice();
  const winAt = 3 * n + 6;
  const clobber = (y: Float32Array): void => {
    for (let i = winAt; i < y.length && i < winAt + n; i++) win[i - winAt] = y[i];
  };
  const refData = ref.sig.data;
  const degData = deg.sig.data;
  const degN = deg.sig.nSamples;

  const delta = n / (4 * ds);
  const step = Math.trunc((0.801 * uttLen + 40 * delta - 1) / (40 * delta)) * delta;
  const pad = Math.max(75, idiv(uttLen, 10));
  const bps: number[] = [speechStart + pad];
  let nbp = 0;
  do {
    nbp++;
    bps[nbp] = bps[nbp - 1] + step;
  } while (bps[nbp] <= speechEnd - pad && nbp < 40);
  if (nbp <= 0) return best;

  const ed1: number[] = [];
  const ed2: number[] = [];
  const d1: number[] = [];
  const d2: number[] = [];
  const dc1: number[] = [];
  const dc2: number[] = [];
  for (let bp = 0; bp < nbp; bp++) {
    ed1[bp] = crudeAlignWindow(ref, deg, uttStart, bps[bp], uttDelayEst, rate, clobber);
    ed2[bp] = crudeAlignWindow(ref, deg, bps[bp], uttEnd, uttDelayEst, rate, clobber);
  }

  // Delay before each break point: windows from the utterance start forward. Break points that
  // share a crude estimate continue the same histogram.
  for (let bp = 0; bp < nbp; bp++) dc1[bp] = -2;
  for (;;) {
    let bp = 0;
    while (bp < nbp && dc1[bp] > -2) bp++;
    if (bp >= nbp) break;
    const estDelay = ed1[bp];
    h.fill(0);
    let hSum = 0;
    let startr = uttStart * ds;
    let startd = startr + estDelay;
    if (startd < 0) {
      startr = -estDelay;
      startd = 0;
    }
    while (startd + n <= degN && startr + n <= bps[bp] * ds) {
      hSum = splitHistogram(refData, degData, startr, startd, win, x1, x2, h, hSum, n);
      startr += n / 4;
      startd += n / 4;
    }
    let [iMax, vMax] = histogramPeak(h, n);
    d1[bp] = estDelay + iMax;
    dc1[bp] = hSum > 0 ? f32(vMax / hSum) : 0;
    while (bp < nbp - 1) {
      bp++;
      if (ed1[bp] === estDelay && dc1[bp] <= -2) {
        while (startd + n <= degN && startr + n <= bps[bp] * ds) {
          hSum = splitHistogram(refData, degData, startr, startd, win, x1, x2, h, hSum, n);
          startr += n / 4;
          startd += n / 4;
        }
        [iMax, vMax] = histogramPeak(h, n);
        d1[bp] = estDelay + iMax;
        dc1[bp] = hSum > 0 ? f32(vMax / hSum) : 0;
      }
    }
  }

  // Delay after each break point: windows from the utterance end backward.
  for (let bp = 0; bp < nbp; bp++) dc2[bp] = dc1[bp] > uttDelayConf ? -2 : 0;
  for (;;) {
    let bp = nbp - 1;
    while (bp >= 0 && dc2[bp] > -2) bp--;
    if (bp < 0) break;
    const estDelay = ed2[bp];
    h.fill(0);
    let hSum = 0;
    let startr = uttEnd * ds - n;
    let startd = startr + estDelay;
    if (startd + n > degN) {
      startd = degN - n;
      startr = startd - estDelay;
    }
    while (startd >= 0 && startr >= bps[bp] * ds) {
      hSum = splitHistogram(refData, degData, startr, startd, win, x1, x2, h, hSum, n);
      startr -= n / 4;
      startd -= n / 4;
    }
    let [iMax, vMax] = histogramPeak(h, n);
    d2[bp] = estDelay + iMax;
    dc2[bp] = hSum > 0 ? f32(vMax / hSum) : 0;
    while (bp > 0) {
      bp--;
      if (ed2[bp] === estDelay && dc2[bp] <= -2) {
        while (startd >= 0 && startr >= bps[bp] * ds) {
          hSum = splitHistogram(refData, degData, startr, startd, win, x1, x2, h, hSum, n);
          startr -= n / 4;
          startd -= n / 4;
        }
        [iMax, vMax] = histogramPeak(h, n);
        d2[bp] = estDelay + iMax;
        dc2[bp] = hSum > 0 ? f32(vMax / hSum) : 0;
      }
    }
  }

  for (let bp = 0; bp < nbp; bp++) {
    if (
      Math.abs(d2[bp] - d1[bp]) >= ds &&
      f32(dc1[bp] + dc2[bp]) > f32(best.dc1 + best.dc2) &&
      dc1[bp] > uttDelayConf &&
      dc2[bp] > uttDelayConf
    ) {
      best.ed1 = ed1[bp];
      best.d1 = d1[bp];
      best.dc1 = dc1[bp];
      best.ed2 = ed2[bp];
      best.d2 = d2[bp];
      best.dc2 = dc2[bp];
      best.bp = bps[bp];
    }
  }
  return best;
}

/** Splits utterances with a delay change inside them (pesqmod.c utterance_split). */
function utterancesSplit(ref: PesqAlignInput, deg: PesqAlignInput, utt: PesqUtterances, rate: PesqRate, maxUtterances: number): void {
  const ds = rate.downsample;
  const degN = deg.sig.nSamples;
  const vad = ref.vad.vad;
  let u = 0;
  while (u < utt.count && utt.count < maxUtterances) {
    const delayEst = utt.delayEst[u];
    const delayConf = utt.delayConf[u];
    const start = utt.start[u];
    const end = utt.end[u];
    let speechStart = start;
    while (speechStart < end && vad[speechStart] <= 0) speechStart++;
    let speechEnd = end;
    while (speechEnd > start && vad[speechEnd] <= 0) speechEnd--;
    speechEnd++;
    const len = speechEnd - speechStart;
    if (len < 200) {
      u++;
      continue;
    }
    const b = splitAlign(ref, deg, start, speechStart, speechEnd, end, delayEst, delayConf, rate);
    if (!(b.dc1 > delayConf && b.dc2 > delayConf)) {
      u++;
      continue;
    }
    for (let s = utt.count - 1; s > u; s--) {
      utt.delayEst[s + 1] = utt.delayEst[s];
      utt.delay[s + 1] = utt.delay[s];
      utt.delayConf[s + 1] = utt.delayConf[s];
      utt.start[s + 1] = utt.start[s];
      utt.end[s + 1] = utt.end[s];
      // Sic: the reference copies the utterance bounds into the search windows here.
      utt.searchStart[s + 1] = utt.start[s];
      utt.searchEnd[s + 1] = utt.end[s];
    }
    utt.count++;
    utt.delayEst[u] = b.ed1;
    utt.delay[u] = b.d1;
    utt.delayConf[u] = b.dc1;
    utt.delayEst[u + 1] = b.ed2;
    utt.delay[u + 1] = b.d2;
    utt.delayConf[u + 1] = b.dc2;
    utt.searchStart[u + 1] = utt.searchStart[u];
    utt.searchEnd[u + 1] = utt.searchEnd[u];
    if (b.d2 < b.d1) {
      utt.start[u] = start;
      utt.end[u] = b.bp;
      utt.start[u + 1] = b.bp;
      utt.end[u + 1] = end;
    } else {
      utt.start[u] = start;
      utt.end[u] = b.bp + idiv(b.d2 - b.d1, 2 * ds);
      utt.start[u + 1] = b.bp - idiv(b.d2 - b.d1, 2 * ds);
      utt.end[u + 1] = end;
    }
    if ((utt.start[u] - SEARCHBUFFER) * ds + b.d1 < 0) {
      utt.start[u] = SEARCHBUFFER + idiv(ds - 1 - b.d1, ds);
    }
    if (utt.end[u + 1] * ds + b.d2 > degN - SEARCHBUFFER * ds) {
      utt.end[u + 1] = idiv(degN - b.d2, ds) - SEARCHBUFFER;
    }
  }
}

/**
 * Full P.862 delay estimation on input-filtered signals with their VADs (crude_align on the
 * whole signal, then utterance_locate). `count` is 0 when the reference has no utterance.
 */
export function utterancesLocate(ref: PesqAlignInput, deg: PesqAlignInput, rate: PesqRate, maxUtterances: number): PesqUtterances {
  const utt: PesqUtterances = {
    count: 0,
    crudeDelayEst: crudeAlignWhole(ref, deg, rate),
    searchStart: [],
    searchEnd: [],
    delayEst: [],
    delay: [],
    delayConf: [],
    start: [],
    end: [],
  };
  searchWindowsFind(ref, deg, utt, rate);
  if (utt.count < 1) return utt;
  for (let u = 0; u < utt.count; u++) {
    utt.delayEst[u] = crudeAlignWindow(ref, deg, utt.searchStart[u], utt.searchEnd[u], utt.crudeDelayEst, rate);
    timeAlign(ref, deg, utt, u, rate);
  }
  utterancesIdentify(ref, deg, utt, rate);
  utterancesSplit(ref, deg, utt, rate, maxUtterances);
  return utt;
}
