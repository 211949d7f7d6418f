// Gated linear unit: the gate of GCRN's gated (transposed) convolution blocks,
// out = conv_a(x) ⊙ σ(conv_b(x)), and PyTorch's nn.GLU (a = first half, g = second half).

import { sigmoidF32 } from "./activation";

/**
 * y[i] = a[i] · σ(g[i]) for i < n; σ exact (activation.ts). y may equal a or g; a, g: f32[n].
 */
export function gluApply(y: usize, a: usize, g: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(a + o) * sigmoidF32(load<f32>(g + o)));
  }
}
