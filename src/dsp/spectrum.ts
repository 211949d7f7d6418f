/**
 * Magnitude/phase helpers on split re/im spectra (any layout; element-wise). FDNN and LSTM take
 * the magnitude as input and resynthesise with the noisy phase; GCRN works on re/im directly.
 */

/** |X| = √(re² + im²), element-wise. */
export function spectrumMagnitude(re: ArrayLike<number>, im: ArrayLike<number>): Float64Array {
  const out = new Float64Array(re.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.hypot(re[i], im[i]);
  return out;
}

/** arg X = atan2(im, re) in radians, (−π, π]; 0 for X = 0. */
export function spectrumPhase(re: ArrayLike<number>, im: ArrayLike<number>): Float64Array {
  const out = new Float64Array(re.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.atan2(im[i], re[i]);
  return out;
}

/** Rebuilds re/im from magnitude and phase (radians): re = m·cos φ, im = m·sin φ. */
export function spectrumFromPolar(
  magnitude: ArrayLike<number>, phase: ArrayLike<number>,
): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(magnitude.length);
  const im = new Float64Array(magnitude.length);
  for (let i = 0; i < re.length; i++) {
    re[i] = magnitude[i] * Math.cos(phase[i]);
    im[i] = magnitude[i] * Math.sin(phase[i]);
  }
  return { re, im };
}

/**
 * Scales each complex value by a real gain (e.g. an IRM, or estimated/noisy magnitude), which
 * keeps the noisy phase without computing it: returns new re/im arrays.
 */
export function spectrumApplyGain(
  re: ArrayLike<number>, im: ArrayLike<number>, gain: ArrayLike<number>,
): { re: Float64Array; im: Float64Array } {
  const outRe = new Float64Array(re.length);
  const outIm = new Float64Array(re.length);
  for (let i = 0; i < outRe.length; i++) {
    outRe[i] = re[i] * gain[i];
    outIm[i] = im[i] * gain[i];
  }
  return { re: outRe, im: outIm };
}
