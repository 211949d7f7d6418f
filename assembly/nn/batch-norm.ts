// Inference-time BatchNorm as a per-channel affine map. The .hush export folds BatchNorm into the
// preceding convolution; this kernel serves weights that were not folded (safetensors checkpoints,
// BatchNorm after a PReLU as in TCNN's residual blocks, where folding into the next conv would move
// the zero padding).
//   scale[c] = gamma[c] / sqrt(running_var[c] + eps),  shift[c] = beta[c] − running_mean[c]·scale[c]

/**
 * Computes scale, shift: f32[C] from PyTorch BatchNorm parameters (gamma, beta, runningMean,
 * runningVar: f32[C]; gamma/beta may be 0 for affine=False). f64 arithmetic. Run at load time.
 */
export function batchNormFold(scale: usize, shift: usize, gamma: usize, beta: usize, runningMean: usize, runningVar: usize, channels: i32, eps: f32): void {
  for (let c = 0; c < channels; c++) {
    const o = <usize>c << 2;
    let s = 1.0 / Math.sqrt(<f64>load<f32>(runningVar + o) + <f64>eps);
    if (gamma != 0) s *= <f64>load<f32>(gamma + o);
    let t = -<f64>load<f32>(runningMean + o) * s;
    if (beta != 0) t += <f64>load<f32>(beta + o);
    store<f32>(scale + o, <f32>s);
    store<f32>(shift + o, <f32>t);
  }
}

/**
 * y[c][l] = x[c][l]·scale[c] + shift[c] over a [channels][len] frame; y may equal x. A frame of one
 * bin per channel (len = 1: TCNN's temporal blocks, 18 per hop on 512 channels) runs SIMD across
 * channels instead.
 */
export function batchNormAffine(y: usize, x: usize, scale: usize, shift: usize, channels: i32, len: i32): void {
  if (len == 1) {
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= channels; c += 4) {
        const o = <usize>c << 2;
        v128.store(y + o, f32x4.add(f32x4.mul(v128.load(x + o), v128.load(scale + o)), v128.load(shift + o)));
      }
    }
    for (; c < channels; c++) {
      const o = <usize>c << 2;
      store<f32>(y + o, load<f32>(x + o) * load<f32>(scale + o) + load<f32>(shift + o));
    }
    return;
  }
  for (let c = 0; c < channels; c++) {
    const a = load<f32>(scale + (<usize>c << 2));
    const s = load<f32>(shift + (<usize>c << 2));
    const base = <usize>(c * len) << 2;
    let l = 0;
    if (ASC_FEATURE_SIMD) {
      const av = f32x4.splat(a), sv = f32x4.splat(s);
      for (; l + 4 <= len; l += 4) {
        const o = base + (<usize>l << 2);
        v128.store(y + o, f32x4.add(f32x4.mul(v128.load(x + o), av), sv));
      }
    }
    for (; l < len; l++) {
      const o = base + (<usize>l << 2);
      store<f32>(y + o, load<f32>(x + o) * a + s);
    }
  }
}
