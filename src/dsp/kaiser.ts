/**
 * Kaiser window design (Kaiser 1974; formulas as in Oppenheim & Schafer, "Discrete-Time Signal
 * Processing", 3rd ed., §7.6.1) for the windowed-sinc resampler in resample.ts.
 */

/** Zeroth-order modified Bessel function of the first kind, I0(x), by its power series (≤ 1e-16 rel). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's β for a stop-band attenuation of `attenuationDb` dB (empirical formula). */
export function kaiserBeta(attenuationDb: number): number {
  const a = attenuationDb;
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a >= 21) return 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21);
  return 0;
}

/**
 * Kaiser's estimate of the half-length (in samples at rate fs) of a low-pass filter reaching
 * `attenuationDb` with a transition band of `transitionHz`: (N − 1)/2 = (A − 7.95) / (2 · 2.285 · Δω),
 * Δω = 2π·Δf/fs.
 */
export function kaiserHalfLength(attenuationDb: number, transitionHz: number, sampleRateHz: number): number {
  const deltaOmega = (2 * Math.PI * transitionHz) / sampleRateHz;
  return (attenuationDb - 7.95) / (2 * 2.285 * deltaOmega);
}

/**
 * Kaiser window at offset u from its centre, for a window spanning [−halfWidth, halfWidth]:
 * I0(β·√(1 − (u/halfWidth)²)) / I0(β); 0 outside.
 */
export function kaiserWindowAt(u: number, halfWidth: number, beta: number): number {
  const r = u / halfWidth;
  if (r < -1 || r > 1) return 0;
  return besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
}
