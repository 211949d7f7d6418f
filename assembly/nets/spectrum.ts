// Per-frame spectral glue of the STFT nets: the network input |Y| and the output transforms of
// src/train/features.ts outputSpectrum() (the offline reference applies the same formulas in f64):
//   fdnn  Ŝ = IRM̂ · Y                 spectrumMask
//   lstm  Ŝ = |Ŝ| · Y / |Y|            spectrumMagnitudePhase (noisy phase; phase 0 where Y = 0)
//   gcrn  Ŝ = Re Ŝ + j Im Ŝ            (the net writes the spectrum directly), or with complex_mask = 1
//         Ŝ = M · Y                    spectrumComplexMask (src/models/gcrn.ts complexMaskApply);
//         input_compress = 1: the net sees |Y|^c e^{j∠Y}   spectrumPowerCompress (powerCompress)
// Spectra are split re/im, f32[bins] each (bin k = k·50 Hz).

/** mag[k] = |Y_k| = √(re² + im²), summed in f64 so that tiny bins neither underflow nor lose digits. */
export function spectrumMagnitude(mag: usize, re: usize, im: usize, bins: i32): void {
  for (let k = 0; k < bins; k++) {
    const o = <usize>k << 2;
    const r = <f64>load<f32>(re + o), i = <f64>load<f32>(im + o);
    store<f32>(mag + o, <f32>Math.sqrt(r * r + i * i));
  }
}

/** Y_k ← mask_k · Y_k (a real gain per bin, e.g. the FDNN's ideal-ratio-mask estimate). */
export function spectrumMask(re: usize, im: usize, mask: usize, bins: i32): void {
  for (let k = 0; k < bins; k++) {
    const o = <usize>k << 2;
    const g = load<f32>(mask + o);
    store<f32>(re + o, load<f32>(re + o) * g);
    store<f32>(im + o, load<f32>(im + o) * g);
  }
}

/**
 * Y_k ← est_k · Y_k / |Y_k|: the estimated magnitude with the noisy phase (the LSTM's spectral
 * mapping). Where Y_k = 0 the phase is taken as 0 (Ŝ_k = est_k), as the reference does.
 */
export function spectrumMagnitudePhase(re: usize, im: usize, est: usize, bins: i32): void {
  for (let k = 0; k < bins; k++) {
    const o = <usize>k << 2;
    const r = <f64>load<f32>(re + o), i = <f64>load<f32>(im + o);
    const mag = Math.sqrt(r * r + i * i);
    const e = <f64>load<f32>(est + o);
    if (mag > 0) {
      store<f32>(re + o, <f32>(e * r / mag));
      store<f32>(im + o, <f32>(e * i / mag));
    } else {
      store<f32>(re + o, <f32>e);
      store<f32>(im + o, 0);
    }
  }
}

/**
 * (re, im) ← M_k · Y_k for the complex mask M = (re, im) as given and the noisy spectrum Y = (yRe, yIm):
 * Re Ŝ = M_r·Y_r − M_i·Y_i, Im Ŝ = M_r·Y_i + M_i·Y_r (the GCRN's complex_mask output).
 */
export function spectrumComplexMask(re: usize, im: usize, yRe: usize, yIm: usize, bins: i32): void {
  for (let k = 0; k < bins; k++) {
    const o = <usize>k << 2;
    const mr = load<f32>(re + o), mi = load<f32>(im + o);
    const yr = load<f32>(yRe + o), yi = load<f32>(yIm + o);
    store<f32>(re + o, mr * yr - mi * yi);
    store<f32>(im + o, mr * yi + mi * yr);
  }
}

/**
 * (outRe, outIm) ← Y_k · (|Y_k|² + eps)^((c − 1)/2) = |Y_k|^c e^{j∠Y_k} (approximately; exact for
 * |Y_k|² ≫ eps), in f64 like the reference: the GCRN's compressed input.
 */
export function spectrumPowerCompress(outRe: usize, outIm: usize, re: usize, im: usize, bins: i32, c: f64, eps: f64): void {
  for (let k = 0; k < bins; k++) {
    const o = <usize>k << 2;
    const r = <f64>load<f32>(re + o), i = <f64>load<f32>(im + o);
    const g = Math.pow(r * r + i * i + eps, (c - 1) / 2);
    store<f32>(outRe + o, <f32>(r * g));
    store<f32>(outIm + o, <f32>(i * g));
  }
}
