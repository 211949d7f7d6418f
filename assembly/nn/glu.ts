// Gated linear unit: the gate of GCRN's gated (transposed) convolution blocks,
// out = conv_a(x) ⊙ σ(conv_b(x)), and PyTorch's nn.GLU (a = first half, g = second half).

import { sigmoidF32, sigmoidF32x4 } from "./activation";

/**
 * y[i] = a[i] · σ(g[i]) for i < n; σ as activation.ts. y may equal a or g; a, g: f32[n].
 */
export function gluApply(y: usize, a: usize, g: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.mul(v128.load(a + o), sigmoidF32x4(v128.load(g + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(a + o) * sigmoidF32(load<f32>(g + o)));
  }
}
