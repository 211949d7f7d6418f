// Cumulative layer normalisation (cLN) of causal Conv-TasNet (Luo & Mesgarani, TASLP 2019, eqs.
// 13–15), one frame per call: frame k of C channels is normalised by the mean and variance of every
// channel of frames 0 … k,
//   E_k = Σ_{t≤k} Σ_c x[c, t] / (C·(k + 1)),   Var_k = Σ_{t≤k} Σ_c x[c, t]² / (C·(k + 1)) − E_k²
//   y[c] = γ[c] · (x[c] − E_k) / √(Var_k + ε) + β[c]
// exactly src/models/separation/cumulativeLayerNorm.ts (variance clamped at 0 as there). State: the
// running sums Σx, Σx² and the element count, in f64 — Σx² − (Σx)²/n cancels, and over a 1-hour
// stream Σx² grows to ~1e7·C while the variance stays O(1); f64's 53 bits keep ~1e-9 of it.

/** f64 values of one cLN's state: Σx, Σx², elements counted. */
export const CLN_STATE_DOUBLES: i32 = 3;

/**
 * One frame of cLN. y: f32[C] (may equal x); x: f32[C]; gamma, beta: f32[C];
 * state: f64[3] (zeroed at the stream's start), updated with this frame.
 */
export function cumulativeLayerNormStep(y: usize, x: usize, gamma: usize, beta: usize, state: usize, channels: i32, eps: f64): void {
  let s: f64 = 0, ss: f64 = 0;
  for (let c = 0; c < channels; c++) {
    const v = <f64>load<f32>(x + (<usize>c << 2));
    s += v;
    ss += v * v;
  }
  const sum = load<f64>(state) + s;
  const sumSq = load<f64>(state, 8) + ss;
  const count = load<f64>(state, 16) + <f64>channels;
  store<f64>(state, sum);
  store<f64>(state, sumSq, 8);
  store<f64>(state, count, 16);
  const mean = sum / count;
  const variance = max<f64>(sumSq / count - mean * mean, 0);
  const inv = 1.0 / Math.sqrt(variance + eps);
  for (let c = 0; c < channels; c++) {
    const o = <usize>c << 2;
    const v = (<f64>load<f32>(x + o) - mean) * inv;
    store<f32>(y + o, <f32>(v * <f64>load<f32>(gamma + o) + <f64>load<f32>(beta + o)));
  }
}
