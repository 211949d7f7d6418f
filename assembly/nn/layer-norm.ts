// Layer normalisation over one vector (GCRN: LayerNorm(1024) after each grouped-LSTM layer).
// PyTorch semantics: biased variance, eps inside the square root:
//   y = (x − mean) / sqrt(var + eps) · gamma + beta
// Mean and variance are accumulated in f64 (two passes), so the only f32 errors are the final
// roundings.

/**
 * y = LayerNorm(x) over n values; gamma, beta: f32[n], or 0 for no affine part (1 and 0).
 * y may equal x.
 */
export function layerNormApply(y: usize, x: usize, gamma: usize, beta: usize, n: i32, eps: f32): void {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += <f64>load<f32>(x + (<usize>i << 2));
  const mean = sum / <f64>n;
  let ss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const d = <f64>load<f32>(x + (<usize>i << 2)) - mean;
    ss += d * d;
  }
  const inv = 1.0 / Math.sqrt(ss / <f64>n + <f64>eps);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let v = (<f64>load<f32>(x + o) - mean) * inv;
    if (gamma != 0) v *= <f64>load<f32>(gamma + o);
    if (beta != 0) v += <f64>load<f32>(beta + o);
    store<f32>(y + o, <f32>v);
  }
}
