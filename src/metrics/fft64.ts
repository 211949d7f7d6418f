/**
 * Power-of-two FFT in double precision for the metrics (STOI's 512-point spectra, BSS-eval's
 * correlations): iterative radix-2, split re/im arrays, twiddles computed directly from their
 * index (error ~1e-15 relative), forward unscaled X[k] = Σ x[n] e^{−2πikn/N}, inverse scaled by
 * 1/N (numpy's convention). The real transform packs N real samples into N/2 complex points.
 *
 * (The PESQ model has its own single-precision FFT, pesq/fftFloat.ts, that mirrors the ITU code.)
 */

/** Tables of one complex length. */
interface ComplexPlan {
  readonly n: number;
  /** e^{−2πik/n}, k < n/2. */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly bitrev: Int32Array;
}

const complexPlans = new Map<number, ComplexPlan>();

function complexPlan(n: number): ComplexPlan {
  let p = complexPlans.get(n);
  if (p) return p;
  if (n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`fft64: length ${n} is not a power of two`);
  const half = n >> 1;
  const cos = new Float64Array(Math.max(1, half));
  const sin = new Float64Array(Math.max(1, half));
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  const bitrev = new Int32Array(n);
  let bits = 0;
  while (1 << bits < n) bits++;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev[i] = r;
  }
  p = { n, cos, sin, bitrev };
  complexPlans.set(n, p);
  return p;
}

/** In-place complex FFT of length n = re.length (power of two); `inverse` conjugates and scales by 1/n. */
export function fft64Complex(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  const p = complexPlan(n);
  const br = p.bitrev;
  for (let i = 0; i < n; i++) {
    const j = br[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const sgn = inverse ? -1 : 1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const wr = p.cos[t];
        const wi = sgn * p.sin[t];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] /= n;
    }
  }
}

/** Work buffers and split twiddles of one real length. */
interface RealPlan {
  readonly n: number;
  readonly zr: Float64Array;
  readonly zi: Float64Array;
  /** e^{−2πik/n}, k ≤ n/2. */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

const realPlans = new Map<number, RealPlan>();

function realPlan(n: number): RealPlan {
  let p = realPlans.get(n);
  if (p) return p;
  if (n < 2 || (n & (n - 1)) !== 0) throw new RangeError(`fft64: real length ${n} is not a power of two ≥ 2`);
  const cos = new Float64Array(n / 2 + 1);
  const sin = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  p = { n, zr: new Float64Array(n / 2), zi: new Float64Array(n / 2), cos, sin };
  realPlans.set(n, p);
  return p;
}

/**
 * Real FFT of length n (power of two ≥ 2) of x (zero-padded or truncated to n): writes the
 * n/2 + 1 bins to outRe/outIm (each at least n/2 + 1 long).
 */
export function fft64Real(x: ArrayLike<number>, n: number, outRe: Float64Array, outIm: Float64Array): void {
  const p = realPlan(n);
  const h = n / 2;
  const { zr, zi } = p;
  const len = Math.min(x.length, n);
  for (let m = 0; m < h; m++) {
    const a = 2 * m;
    zr[m] = a < len ? x[a] : 0;
    zi[m] = a + 1 < len ? x[a + 1] : 0;
  }
  fft64Complex(zr, zi);
  // Split: X[k] = E[k] + W^k O[k], E/O the spectra of even/odd samples.
  for (let k = 0; k <= h; k++) {
    const k1 = k % h;
    const k2 = (h - k) % h;
    const er = 0.5 * (zr[k1] + zr[k2]);
    const ei = 0.5 * (zi[k1] - zi[k2]);
    const or = 0.5 * (zi[k1] + zi[k2]);
    const oi = -0.5 * (zr[k1] - zr[k2]);
    const wr = p.cos[k];
    const wi = p.sin[k];
    outRe[k] = er + wr * or - wi * oi;
    outIm[k] = ei + wr * oi + wi * or;
  }
}
