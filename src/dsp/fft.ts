/**
 * Mixed-radix FFT in float64: the reference transform behind the STFT (training features, offline
 * enhancement, and the definition the float32 WASM FFT in assembly/dsp/fft.ts is tested against).
 *
 * - Complex FFT of any length whose prime factors are 2, 3 and 5 (radix-4 stages first, then 2, 3,
 *   5), Stockham autosort: no bit reversal, two ping-pong buffers, split re/im arrays.
 * - Real FFT of an even length N through one complex FFT of length N/2 on the packed sequence
 *   z[m] = x[2m] + i·x[2m+1] plus an O(N) split step. For N = FFT_SIZE = 320 that is a 160-point
 *   complex FFT (radices 4·4·2·5). No zero padding.
 *
 * All twiddles are computed directly with Math.cos/Math.sin from their integer index (no
 * recurrences), so the forward/inverse error against a naive DFT stays ~1e-15 relative.
 * Sign convention as numpy/torch: forward X[k] = Σ x[n]·e^{−2πikn/N}; the inverse carries 1/N.
 */

/** A complex-FFT plan: stage radices, per-stage twiddles and scratch, built once per length. */
export interface ComplexFftPlan {
  /** Transform length (number of complex points). */
  readonly size: number;
  /** Radix of each stage, in execution order; their product is `size`. */
  readonly radices: readonly number[];
  /**
   * Twiddles of every stage, concatenated: stage s (cumulative length L = l·p after it) holds
   * l·(p−1) complex values e^{−2πi·j·q/L} at [stageOffset[s] + j·(p−1) + (q−1)], j < l, 1 ≤ q < p.
   */
  readonly twiddleRe: Float64Array;
  readonly twiddleIm: Float64Array;
  readonly stageOffset: readonly number[];
  /** Ping-pong work buffers, `size` each (scratch: contents meaningless between calls). */
  readonly workRe: Float64Array;
  readonly workIm: Float64Array;
}

/** A real-FFT plan for an even length N: a complex plan of N/2 plus the split twiddles. */
export interface RealFftPlan {
  /** Real transform length N (even). */
  readonly size: number;
  /** Non-negative-frequency bins produced: N/2 + 1. */
  readonly bins: number;
  readonly half: ComplexFftPlan;
  /** e^{−2πik/N} for k = 0..N/2 (the split step's twiddles). */
  readonly splitRe: Float64Array;
  readonly splitIm: Float64Array;
  /** Packed half-length sequence, N/2 complex values each (scratch). */
  readonly packRe: Float64Array;
  readonly packIm: Float64Array;
}

/** Splits n into radices 4, 2, 3, 5 (radix-4 first); throws for other prime factors. */
export function fftFactorize(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`fft: length must be a positive integer, got ${n}`);
  const radices: number[] = [];
  let rest = n;
  while (rest % 4 === 0) { radices.push(4); rest /= 4; }
  while (rest % 2 === 0) { radices.push(2); rest /= 2; }
  while (rest % 3 === 0) { radices.push(3); rest /= 3; }
  while (rest % 5 === 0) { radices.push(5); rest /= 5; }
  if (rest !== 1) throw new RangeError(`fft: length ${n} has a prime factor other than 2, 3, 5`);
  return radices;
}

/** Builds a complex-FFT plan for `size` points (factors 2, 3, 5 only). */
export function fftPlanCreate(size: number): ComplexFftPlan {
  const radices = size === 1 ? [] : fftFactorize(size);
  const stageOffset: number[] = [];
  let total = 0;
  let l = 1;
  for (const p of radices) {
    stageOffset.push(total);
    total += l * (p - 1);
    l *= p;
  }
  const twiddleRe = new Float64Array(total);
  const twiddleIm = new Float64Array(total);
  l = 1;
  radices.forEach((p, s) => {
    const span = l * p;
    for (let j = 0; j < l; j++) {
      for (let q = 1; q < p; q++) {
        // Reduce the index mod span before scaling so the angle is exact to one rounding.
        const angle = (-2 * Math.PI * ((j * q) % span)) / span;
        twiddleRe[stageOffset[s] + j * (p - 1) + q - 1] = Math.cos(angle);
        twiddleIm[stageOffset[s] + j * (p - 1) + q - 1] = Math.sin(angle);
      }
    }
    l = span;
  });
  return {
    size, radices, twiddleRe, twiddleIm, stageOffset,
    workRe: new Float64Array(size), workIm: new Float64Array(size),
  };
}

const SIN_60 = Math.sqrt(3) / 2;
const COS_72 = Math.cos((2 * Math.PI) / 5);
const COS_144 = Math.cos((4 * Math.PI) / 5);
const SIN_72 = Math.sin((2 * Math.PI) / 5);
const SIN_144 = Math.sin((4 * Math.PI) / 5);

/**
 * One Stockham stage: reads the `r` sub-transforms of length l from (aRe, aIm) laid out as
 * a[j·r·p + q·r + k] and writes the sub-transforms of length L = l·p as b[(j + l·j2)·r + k],
 * where r = n / L, j < l, q, j2 < p, k < r.
 */
function fftStage(
  plan: ComplexFftPlan, s: number, l: number,
  aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array,
): void {
  const p = plan.radices[s];
  const r = plan.size / (l * p);
  const tw = plan.stageOffset[s];
  const tRe = plan.twiddleRe;
  const tIm = plan.twiddleIm;
  const inRe = [0, 0, 0, 0, 0];
  const inIm = [0, 0, 0, 0, 0];
  for (let j = 0; j < l; j++) {
    const inBase = j * r * p;
    const outBase = j * r;
    const lr = l * r;
    for (let k = 0; k < r; k++) {
      // Load and twiddle the p inputs of this butterfly.
      inRe[0] = aRe[inBase + k];
      inIm[0] = aIm[inBase + k];
      for (let q = 1; q < p; q++) {
        const xr = aRe[inBase + q * r + k];
        const xi = aIm[inBase + q * r + k];
        const wr = tRe[tw + j * (p - 1) + q - 1];
        const wi = tIm[tw + j * (p - 1) + q - 1];
        inRe[q] = xr * wr - xi * wi;
        inIm[q] = xr * wi + xi * wr;
      }
      const o = outBase + k;
      if (p === 4) {
        const t0r = inRe[0] + inRe[2], t0i = inIm[0] + inIm[2];
        const t1r = inRe[0] - inRe[2], t1i = inIm[0] - inIm[2];
        const t2r = inRe[1] + inRe[3], t2i = inIm[1] + inIm[3];
        // t3 = −i·(a1 − a3)
        const t3r = inIm[1] - inIm[3], t3i = inRe[3] - inRe[1];
        bRe[o] = t0r + t2r; bIm[o] = t0i + t2i;
        bRe[o + lr] = t1r + t3r; bIm[o + lr] = t1i + t3i;
        bRe[o + 2 * lr] = t0r - t2r; bIm[o + 2 * lr] = t0i - t2i;
        bRe[o + 3 * lr] = t1r - t3r; bIm[o + 3 * lr] = t1i - t3i;
      } else if (p === 2) {
        bRe[o] = inRe[0] + inRe[1]; bIm[o] = inIm[0] + inIm[1];
        bRe[o + lr] = inRe[0] - inRe[1]; bIm[o + lr] = inIm[0] - inIm[1];
      } else if (p === 3) {
        const sr = inRe[1] + inRe[2], si = inIm[1] + inIm[2];
        const tr = inRe[0] - 0.5 * sr, ti = inIm[0] - 0.5 * si;
        // u = −i·sin60·(a1 − a2)
        const ur = SIN_60 * (inIm[1] - inIm[2]), ui = -SIN_60 * (inRe[1] - inRe[2]);
        bRe[o] = inRe[0] + sr; bIm[o] = inIm[0] + si;
        bRe[o + lr] = tr + ur; bIm[o + lr] = ti + ui;
        bRe[o + 2 * lr] = tr - ur; bIm[o + 2 * lr] = ti - ui;
      } else {
        // Radix 5 (Winograd-style pairing of q and 5−q).
        const b1r = inRe[1] + inRe[4], b1i = inIm[1] + inIm[4];
        const b2r = inRe[2] + inRe[3], b2i = inIm[2] + inIm[3];
        const d1r = inRe[1] - inRe[4], d1i = inIm[1] - inIm[4];
        const d2r = inRe[2] - inRe[3], d2i = inIm[2] - inIm[3];
        const t1r = inRe[0] + COS_72 * b1r + COS_144 * b2r, t1i = inIm[0] + COS_72 * b1i + COS_144 * b2i;
        const t2r = inRe[0] + COS_144 * b1r + COS_72 * b2r, t2i = inIm[0] + COS_144 * b1i + COS_72 * b2i;
        const u1r = SIN_72 * d1r + SIN_144 * d2r, u1i = SIN_72 * d1i + SIN_144 * d2i;
        const u2r = SIN_144 * d1r - SIN_72 * d2r, u2i = SIN_144 * d1i - SIN_72 * d2i;
        bRe[o] = inRe[0] + b1r + b2r; bIm[o] = inIm[0] + b1i + b2i;
        // y1 = t1 − i·u1, y4 = t1 + i·u1, y2 = t2 − i·u2, y3 = t2 + i·u2
        bRe[o + lr] = t1r + u1i; bIm[o + lr] = t1i - u1r;
        bRe[o + 4 * lr] = t1r - u1i; bIm[o + 4 * lr] = t1i + u1r;
        bRe[o + 2 * lr] = t2r + u2i; bIm[o + 2 * lr] = t2i - u2r;
        bRe[o + 3 * lr] = t2r - u2i; bIm[o + 3 * lr] = t2i + u2r;
      }
    }
  }
}

/**
 * In-place forward complex FFT of plan.size points: (re, im) ← DFT(re, im), no scaling.
 * Only the first plan.size entries of re and im are read and written.
 */
export function fftForward(plan: ComplexFftPlan, re: Float64Array, im: Float64Array): void {
  let aRe = re, aIm = im, bRe = plan.workRe, bIm = plan.workIm;
  let l = 1;
  for (let s = 0; s < plan.radices.length; s++) {
    fftStage(plan, s, l, aRe, aIm, bRe, bIm);
    l *= plan.radices[s];
    [aRe, bRe] = [bRe, aRe];
    [aIm, bIm] = [bIm, aIm];
  }
  if (aRe !== re) {
    re.set(aRe.subarray(0, plan.size));
    im.set(aIm.subarray(0, plan.size));
  }
}

/** In-place inverse complex FFT, scaled by 1/size: conj(FFT(conj(X)))/n. */
export function fftInverse(plan: ComplexFftPlan, re: Float64Array, im: Float64Array): void {
  const n = plan.size;
  for (let i = 0; i < n; i++) im[i] = -im[i];
  fftForward(plan, re, im);
  const scale = 1 / n;
  for (let i = 0; i < n; i++) {
    re[i] *= scale;
    im[i] = -im[i] * scale;
  }
}

/** Builds a real-FFT plan for an even length whose half has factors 2, 3, 5 only (e.g. 320). */
export function rfftPlanCreate(size: number): RealFftPlan {
  if (!Number.isInteger(size) || size < 2 || size % 2 !== 0) {
    throw new RangeError(`rfft: length must be an even integer ≥ 2, got ${size}`);
  }
  const m = size / 2;
  const splitRe = new Float64Array(m + 1);
  const splitIm = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) {
    const angle = (-2 * Math.PI * k) / size;
    splitRe[k] = Math.cos(angle);
    splitIm[k] = Math.sin(angle);
  }
  return {
    size, bins: m + 1, half: fftPlanCreate(m), splitRe, splitIm,
    packRe: new Float64Array(m), packIm: new Float64Array(m),
  };
}

/**
 * Forward real FFT: reads x[0..N) and writes bins k = 0..N/2 to outRe/outIm[outOffset + k].
 * X[k] = E[k] + e^{−2πik/N}·O[k] with E, O the half-length DFTs of the even and odd samples,
 * recovered from Z = DFT(x_even + i·x_odd) as E = (Z[k] + Z*[M−k])/2, O = −i(Z[k] − Z*[M−k])/2.
 * Im X[0] and Im X[N/2] come out exactly 0.
 */
export function rfftForward(
  plan: RealFftPlan, x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, outOffset = 0,
): void {
  const m = plan.size / 2;
  const zr = plan.packRe, zi = plan.packIm;
  for (let i = 0; i < m; i++) {
    zr[i] = x[2 * i];
    zi[i] = x[2 * i + 1];
  }
  fftForward(plan.half, zr, zi);
  const o = outOffset;
  outRe[o] = zr[0] + zi[0];
  outIm[o] = 0;
  outRe[o + m] = zr[0] - zi[0];
  outIm[o + m] = 0;
  for (let k = 1; k < m; k++) {
    const ar = zr[k], ai = zi[k];
    const br = zr[m - k], bi = -zi[m - k]; // conj(Z[M−k])
    const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
    // O = −i·(a − b)/2
    const or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
    const wr = plan.splitRe[k], wi = plan.splitIm[k];
    outRe[o + k] = er + wr * or - wi * oi;
    outIm[o + k] = ei + wr * oi + wi * or;
  }
}

/**
 * Inverse real FFT (scaled by 1/N): reads bins re/im[inOffset + k], k = 0..N/2, and writes x[0..N).
 * As torch.fft.irfft, the spectrum is taken as Hermitian, so Im X[0] and Im X[N/2] are ignored.
 * E[k] = (X[k] + X*[M−k])/2, O[k] = e^{+2πik/N}(X[k] − X*[M−k])/2, Z = E + i·O,
 * x_even + i·x_odd = IDFT_M(Z).
 */
export function rfftInverse(
  plan: RealFftPlan, re: ArrayLike<number>, im: ArrayLike<number>, out: Float64Array, inOffset = 0,
): void {
  const m = plan.size / 2;
  const zr = plan.packRe, zi = plan.packIm;
  const o = inOffset;
  // k = 0 pairs DC with Nyquist (both real by definition).
  zr[0] = 0.5 * (re[o] + re[o + m]);
  zi[0] = 0.5 * (re[o] - re[o + m]);
  for (let k = 1; k < m; k++) {
    const ar = re[o + k], ai = im[o + k];
    const br = re[o + m - k], bi = -im[o + m - k];
    const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
    const dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
    // O = conj(w)·d with w = e^{−2πik/N}
    const wr = plan.splitRe[k], wi = -plan.splitIm[k];
    const or = wr * dr - wi * di, oi = wr * di + wi * dr;
    // Z = E + i·O
    zr[k] = er - oi;
    zi[k] = ei + or;
  }
  fftInverse(plan.half, zr, zi);
  for (let i = 0; i < m; i++) {
    out[2 * i] = zr[i];
    out[2 * i + 1] = zi[i];
  }
}
