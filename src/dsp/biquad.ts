/**
 * Second-order IIR sections (biquads), float64: the RBJ Audio-EQ-Cookbook designs (R. Bristow-
 * Johnson, "Cookbook formulae for audio EQ biquad filter coefficients", W3C Audio EQ Cookbook
 * note, 2021 edition) for peaking, shelving, low- and high-pass filters, and a direct-form-I
 * filter over a whole signal. Used by the mixer's microphone/telephone colouration.
 *
 * Convention: H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²), coefficients normalised by a0.
 */

/** One normalised biquad section. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function normalise(b0: number, b1: number, b2: number, a0: number, a1: number, a2: number): Biquad {
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

function check(kind: string, f0Hz: number, sampleRateHz: number, q: number): { w0: number; alpha: number } {
  if (!(f0Hz > 0 && f0Hz < sampleRateHz / 2)) throw new RangeError(`biquad ${kind}: f0 ${f0Hz} Hz is not in (0, ${sampleRateHz / 2})`);
  if (!(q > 0)) throw new RangeError(`biquad ${kind}: Q must be > 0, got ${q}`);
  const w0 = (2 * Math.PI * f0Hz) / sampleRateHz;
  return { w0, alpha: Math.sin(w0) / (2 * q) };
}

/** Peaking EQ: gain `gainDb` at f0, bandwidth set by Q, 0 dB far from f0. */
export function biquadPeaking(f0Hz: number, q: number, gainDb: number, sampleRateHz: number): Biquad {
  const { w0, alpha } = check('peaking', f0Hz, sampleRateHz, q);
  const a = 10 ** (gainDb / 40);
  const c = Math.cos(w0);
  return normalise(1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a);
}

/** Low shelf: gain `gainDb` below f0 (midpoint gain at f0), 0 dB above; slope S = 1. */
export function biquadLowShelf(f0Hz: number, gainDb: number, sampleRateHz: number): Biquad {
  const { w0 } = check('low shelf', f0Hz, sampleRateHz, 1);
  const a = 10 ** (gainDb / 40);
  const c = Math.cos(w0);
  const alpha = (Math.sin(w0) / 2) * Math.SQRT2; // S = 1
  const sq = 2 * Math.sqrt(a) * alpha;
  return normalise(
    a * (a + 1 - (a - 1) * c + sq), 2 * a * (a - 1 - (a + 1) * c), a * (a + 1 - (a - 1) * c - sq),
    a + 1 + (a - 1) * c + sq, -2 * (a - 1 + (a + 1) * c), a + 1 + (a - 1) * c - sq,
  );
}

/** High shelf: gain `gainDb` above f0 (midpoint gain at f0), 0 dB below; slope S = 1. */
export function biquadHighShelf(f0Hz: number, gainDb: number, sampleRateHz: number): Biquad {
  const { w0 } = check('high shelf', f0Hz, sampleRateHz, 1);
  const a = 10 ** (gainDb / 40);
  const c = Math.cos(w0);
  const alpha = (Math.sin(w0) / 2) * Math.SQRT2;
  const sq = 2 * Math.sqrt(a) * alpha;
  return normalise(
    a * (a + 1 + (a - 1) * c + sq), -2 * a * (a - 1 + (a + 1) * c), a * (a + 1 + (a - 1) * c - sq),
    a + 1 - (a - 1) * c + sq, 2 * (a - 1 - (a + 1) * c), a + 1 - (a - 1) * c - sq,
  );
}

/** Second-order low-pass (−3 dB at f0 when Q = 1/√2). */
export function biquadLowPass(f0Hz: number, q: number, sampleRateHz: number): Biquad {
  const { w0, alpha } = check('low-pass', f0Hz, sampleRateHz, q);
  const c = Math.cos(w0);
  return normalise((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

/** Second-order high-pass. */
export function biquadHighPass(f0Hz: number, q: number, sampleRateHz: number): Biquad {
  const { w0, alpha } = check('high-pass', f0Hz, sampleRateHz, q);
  const c = Math.cos(w0);
  return normalise((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

/**
 * Q of the sections of an order-2K Butterworth filter as a cascade of K biquads:
 * Q_k = 1 / (2·sin((2k + 1)π / (4K))), k = 0 … K − 1.
 */
export function butterworthQs(order: number): number[] {
  if (!Number.isInteger(order) || order < 2 || order % 2 !== 0) throw new RangeError(`Butterworth order must be even and ≥ 2, got ${order}`);
  const k = order / 2;
  return Array.from({ length: k }, (_, i) => 1 / (2 * Math.sin(((2 * i + 1) * Math.PI) / (4 * k))));
}

/** Magnitude response |H(e^{jω})| of a cascade at f Hz. */
export function biquadsGainAt(sections: readonly Biquad[], fHz: number, sampleRateHz: number): number {
  const w = (2 * Math.PI * fHz) / sampleRateHz;
  const c1 = Math.cos(w), s1 = Math.sin(w), c2 = Math.cos(2 * w), s2 = Math.sin(2 * w);
  let g = 1;
  for (const q of sections) {
    const nr = q.b0 + q.b1 * c1 + q.b2 * c2, ni = -(q.b1 * s1 + q.b2 * s2);
    const dr = 1 + q.a1 * c1 + q.a2 * c2, di = -(q.a1 * s1 + q.a2 * s2);
    g *= Math.hypot(nr, ni) / Math.hypot(dr, di);
  }
  return g;
}

/**
 * Filters x in place through the cascade (direct form I, zero initial state), one pass per
 * section (a single pass running all sections per sample was tried and was not faster in V8).
 */
export function biquadsApply(sections: readonly Biquad[], x: Float64Array): void {
  for (const { b0, b1, b2, a1, a2 } of sections) {
    let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (let i = 0; i < x.length; i++) {
      const x0 = x[i];
      const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x0;
      y2 = y1;
      y1 = y0;
      x[i] = y0;
    }
  }
}
