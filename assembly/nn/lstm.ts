// LSTM cell, one time step, PyTorch layout and gate order (i, f, g, o):
//   gates = W_ih·x + b_ih + W_hh·h + b_hh                       f32[4H]
//   i = σ(gates[0:H]), f = σ(gates[H:2H]), g = tanh(gates[2H:3H]), o = σ(gates[3H:4H])
//   c ← f ⊙ c + i ⊙ g,   h ← o ⊙ tanh(c)
// Weights (read-only) and the state h, c (caller-owned, zero at stream start) are separate
// arguments; `gates` is scratch. Nets whose LSTM weights are sparse or codebook-coded compute the
// gate pre-activations with those matvecs and call lstmCellUpdate directly.

import { sigmoidF32, sigmoidF32x4, tanhF32, tanhF32x4 } from "./activation";
import { matvecDense, matvecDenseAcc } from "./matvec-dense";

/**
 * Applies the gate nonlinearities and updates the state in place: h, c: f32[H];
 * gates: f32[4H] pre-activations (i, f, g, o). σ and tanh as activation.ts (both builds the same bits).
 */
export function lstmCellUpdate(h: usize, c: usize, gates: usize, hidden: i32): void {
  const hb = <usize>hidden << 2;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 4 <= hidden; j += 4) {
      const o = <usize>j << 2;
      const gi = sigmoidF32x4(v128.load(gates + o));
      const gf = sigmoidF32x4(v128.load(gates + hb + o));
      const gg = tanhF32x4(v128.load(gates + 2 * hb + o));
      const go = sigmoidF32x4(v128.load(gates + 3 * hb + o));
      const cn = f32x4.add(f32x4.mul(gf, v128.load(c + o)), f32x4.mul(gi, gg));
      v128.store(c + o, cn);
      v128.store(h + o, f32x4.mul(go, tanhF32x4(cn)));
    }
  }
  for (; j < hidden; j++) {
    const o = <usize>j << 2;
    const gi = sigmoidF32(load<f32>(gates + o));
    const gf = sigmoidF32(load<f32>(gates + hb + o));
    const gg = tanhF32(load<f32>(gates + 2 * hb + o));
    const go = sigmoidF32(load<f32>(gates + 3 * hb + o));
    const cn = gf * load<f32>(c + o) + gi * gg;
    store<f32>(c + o, cn);
    store<f32>(h + o, go * tanhF32(cn));
  }
}

/**
 * One LSTM step with dense weights. x: f32[In]; h, c: f32[H] state, updated in place;
 * wih: f32[4H][In]; whh: f32[4H][H]; bih, bhh: f32[4H] or 0; gates: f32[4H] scratch.
 * x must not overlap h. MACs: 4H·(In + H).
 */
export function lstmStep(h: usize, c: usize, x: usize, wih: usize, whh: usize, bih: usize, bhh: usize, gates: usize, inSize: i32, hidden: i32): void {
  matvecDense(gates, wih, bih, x, 4 * hidden, inSize);
  matvecDenseAcc(gates, whh, bhh, h, 4 * hidden, hidden);
  lstmCellUpdate(h, c, gates, hidden);
}

/**
 * One step of a grouped LSTM (GCRN; Gao et al. 2018 group RNN): G independent LSTMs, group g
 * mapping x[g·In/G …] (In/G inputs) to h[g·H/G …], c[g·H/G …] (H/G units). In and H must be
 * multiples of G. Weights of the groups are stored one after the other:
 *   wih: f32[G][4H/G][In/G], whh: f32[G][4H/G][H/G], bih, bhh: f32[G][4H/G] (or 0)
 * (i.e. group g's PyTorch LSTM tensors, concatenated in group order); gates: f32[4H/G] scratch.
 * The interleave between layers is vecInterleave (vec.ts). MACs: 4H·(In + H)/G.
 */
export function lstmGroupedStep(h: usize, c: usize, x: usize, wih: usize, whh: usize, bih: usize, bhh: usize, gates: usize, inSize: i32, hidden: i32, groups: i32): void {
  const ig = inSize / groups;
  const hg = hidden / groups;
  const rows = 4 * hg;
  for (let g = 0; g < groups; g++) {
    const hOff = <usize>(g * hg) << 2;
    const bOff = <usize>(g * rows) << 2;
    lstmStep(
      h + hOff, c + hOff, x + (<usize>(g * ig) << 2),
      wih + ((<usize>g * <usize>rows * <usize>ig) << 2),
      whh + ((<usize>g * <usize>rows * <usize>hg) << 2),
      bih != 0 ? bih + bOff : 0, bhh != 0 ? bhh + bOff : 0,
      gates, ig, hg,
    );
  }
}
