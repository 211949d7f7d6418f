/** Test helpers: naive DFTs (O(N²), float64) and error norms used as references in test/dsp. */

/** Naive complex DFT, X[k] = Σ x[n] e^{−2πikn/N}; angles reduced mod N for accuracy. */
export function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((k * j) % n)) / n;
      const c = Math.cos(a), s = Math.sin(a);
      sr += re[j] * c - im[j] * s;
      si += re[j] * s + im[j] * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return { re: outRe, im: outIm };
}

/** max |a − b| / max |b| over the first b.length entries. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0, peak = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    peak = Math.max(peak, Math.abs(b[i]));
  }
  return err / peak;
}

/** Relative RMS error ‖a − b‖₂ / ‖b‖₂. */
export function rmsRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0, p = 0;
  for (let i = 0; i < b.length; i++) {
    e += (a[i] - b[i]) ** 2;
    p += b[i] ** 2;
  }
  return Math.sqrt(e / p);
}
