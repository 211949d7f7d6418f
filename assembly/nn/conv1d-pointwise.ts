// Pointwise (1×1) convolution: the same channel-mixing matrix applied at every one of `len`
// positions (frequency bins or samples) of one frame. TCNN's 1×1 convs see one 256/512-vector per
// frame (len = 1), which is exactly matvecDense; len > 1 runs f32x4 axpys along the positions.
//
//   y[co][l] = b[co] + Σ_ci w[co][ci] · x[ci][l]      w: f32[Cout][Cin] (PyTorch [Cout][Cin][1](…[1]))

import { axpyF32, fillF32 } from "./lanes";
import { matvecDense } from "./matvec-dense";

/**
 * y: f32[Cout][len] = W·x + b for x: f32[Cin][len]; W: f32[Cout][Cin]; b: f32[Cout] or 0.
 * y must not overlap x. MACs: Cout·Cin·len.
 */
export function pointwiseConv(y: usize, w: usize, b: usize, x: usize, cin: i32, cout: i32, len: i32): void {
  if (len == 1) {
    matvecDense(y, w, b, x, cout, cin);
    return;
  }
  const rowBytes = <usize>len << 2;
  for (let co = 0; co < cout; co++) {
    const yr = y + <usize>co * rowBytes;
    fillF32(yr, b != 0 ? load<f32>(b + (<usize>co << 2)) : 0, len);
    const wr = w + ((<usize>co * <usize>cin) << 2);
    for (let ci = 0; ci < cin; ci++) {
      axpyF32(yr, load<f32>(wr + (<usize>ci << 2)), x + <usize>ci * rowBytes, len);
    }
  }
}
