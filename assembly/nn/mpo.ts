// Matrix–vector product with a weight given as a matrix product operator (MPO; Sun et al., seeds
// 004; Gao et al. 2020): W: [I × J], I = Π i_k, J = Π j_k, is a chain of n 4-D cores
//   G_k: f32[r_{k−1}][i_k][j_k][r_k],  r_0 = r_n = 1,
//   W[(i_1 … i_n)][(j_1 … j_n)] = Σ_{r_1 … r_{n−1}} Π_k G_k[r_{k−1}][i_k][j_k][r_k],
// with row-major multi-indices (i_1 most significant: i = (…(i_1·i_2dim + i_2)…)·i_ndim + i_n, same
// for j). For a PyTorch Linear, rows are the outputs. W is never formed: y = W·x is contracted one
// core at a time,
//   T_0 = x as [A=1][r_0=1][j_1][B_1]      (A_k = Π_{m<k} i_m, B_k = Π_{m>k} j_m)
//   T_k[a][i_k][r_k][b] = Σ_{r_{k−1}, j_k} G_k[r_{k−1}][i_k][j_k][r_k] · T_{k−1}[a][r_{k−1}][j_k][b]
//   y = T_n (= [I][r_n = 1]),
// each step an f32x4 axpy along b. MACs: Σ_k A_k · i_k · r_k · B_k · r_{k−1} · j_k.

import { axpyF32, fillF32 } from "./lanes";

/** Floats in the largest intermediate T_k (0 < k < n); dims: i32[n][4] = each core's shape. */
function mpoLargestIntermediate(dims: usize, nCores: i32): i32 {
  let J = 1;
  for (let k = 0; k < nCores; k++) J *= load<i32>(dims + (<usize>(k * 4 + 2) << 2));
  let A = 1, B = J, most = 0;
  for (let k = 0; k < nCores - 1; k++) {
    const ik = load<i32>(dims + (<usize>(k * 4 + 1) << 2));
    const jk = load<i32>(dims + (<usize>(k * 4 + 2) << 2));
    const rk = load<i32>(dims + (<usize>(k * 4 + 3) << 2));
    B /= jk;
    A *= ik;
    most = max(most, A * rk * B);
  }
  return most;
}

/** Scratch floats mpoMatvec needs: two buffers of the largest intermediate tensor. */
export function mpoScratchFloats(dims: usize, nCores: i32): i32 {
  return 2 * mpoLargestIntermediate(dims, nCores);
}

/**
 * y = W·x + b with W given by nCores MPO cores stored one after another at `cores` (core k:
 * f32[r_{k−1}][i_k][j_k][r_k], shapes in dims: i32[nCores][4] = (r_{k−1}, i_k, j_k, r_k), with
 * r_0 = r_n = 1). x: f32[J]; b: f32[I] or 0; y: f32[I]; scratch: f32[mpoScratchFloats(dims, n)].
 * y, x and scratch must not overlap.
 */
export function mpoMatvec(y: usize, cores: usize, dims: usize, nCores: i32, b: usize, x: usize, scratch: usize): void {
  const half = <usize>mpoLargestIntermediate(dims, nCores) << 2;
  let B = 1;
  for (let k = 0; k < nCores; k++) B *= load<i32>(dims + (<usize>(k * 4 + 2) << 2));
  let A = 1;
  let src = x;
  let core = cores;
  for (let k = 0; k < nCores; k++) {
    const d = dims + (<usize>(k * 4) << 2);
    const rp = load<i32>(d), ik = load<i32>(d, 4), jk = load<i32>(d, 8), rk = load<i32>(d, 12);
    B /= jk;
    const dst = k == nCores - 1 ? y : scratch + ((k & 1) != 0 ? half : 0);
    const bBytes = <usize>B << 2;
    for (let a = 0; a < A; a++) {
      for (let i = 0; i < ik; i++) {
        for (let r = 0; r < rk; r++) {
          const out = dst + <usize>((a * ik + i) * rk + r) * bBytes;
          fillF32(out, 0, B);
          for (let q = 0; q < rp; q++) {
            for (let j = 0; j < jk; j++) {
              const g = load<f32>(core + (<usize>(((q * ik + i) * jk + j) * rk + r) << 2));
              axpyF32(out, g, src + <usize>((a * rp + q) * jk + j) * bBytes, B);
            }
          }
        }
      }
    }
    core += <usize>(rp * ik * jk * rk) << 2;
    A *= ik;
    src = dst;
  }
  if (b != 0) {
    for (let i = 0; i < A; i++) {
      const o = <usize>i << 2;
      store<f32>(y + o, load<f32>(y + o) + load<f32>(b + o));
    }
  }
}
