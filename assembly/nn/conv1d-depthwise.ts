// Depthwise dilated causal 1-D convolution over time, one frame per call — the middle of TCNN's
// temporal-convolution residual blocks (kernel 3, dilations 1 … 32, 512 channels). PyTorch
// Conv1d(C, C, k, dilation=d, groups=C) on a sequence left-padded with (k−1)·d zero frames:
//
//   y[c] = b[c] + Σ_j<k  w[c][j] · x_{n − (k−1−j)·d}[c]
//
// so tap k−1 sees the current frame. State: a ring of L = (k−1)·d past frames (ring.ts), i.e. the
// layer adds no latency but remembers 320 ms at d = 32 (hop 10 ms, k = 3).
// Scalar: C·k MACs per frame, negligible next to the block's two 1×1 convolutions (2·C·256).

import { ringFrame, ringPush } from "./ring";

/**
 * One frame of a depthwise dilated causal conv1d; returns the next ring position.
 *   y: f32[C] output (may alias neither x nor ring); x: f32[C] current frame
 *   ring: f32[(k−1)·d][C] past frames (state); pos: ring position (state)
 *   w: f32[C][k] (PyTorch [C][1][k]); b: f32[C] or 0; kernel k ≥ 1; dilation d ≥ 1
 */
export function depthwiseConv1dStep(
  y: usize, x: usize, ring: usize, pos: i32, w: usize, b: usize,
  channels: i32, kernel: i32, dilation: i32,
): i32 {
  const L = (kernel - 1) * dilation;
  const frameBytes = <usize>channels << 2;
  // Current frame (tap k−1) and bias first, then each earlier tap as one pass over the channels.
  for (let c = 0; c < channels; c++) {
    const o = <usize>c << 2;
    let v = load<f32>(w + (<usize>(c * kernel + kernel - 1) << 2)) * load<f32>(x + o);
    if (b != 0) v += load<f32>(b + o);
    store<f32>(y + o, v);
  }
  for (let j = 0; j < kernel - 1; j++) {
    const src = ringFrame(ring, pos, L, (kernel - 1 - j) * dilation, frameBytes);
    for (let c = 0; c < channels; c++) {
      const o = <usize>c << 2;
      store<f32>(y + o, load<f32>(y + o) + load<f32>(w + (<usize>(c * kernel + j) << 2)) * load<f32>(src + o));
    }
  }
  return ringPush(ring, pos, L, x, frameBytes);
}
