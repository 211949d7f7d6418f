/**
 * MPO cores from a trained matrix (`--mpo-init svd`): the TT-SVD of Oseledets (2011) in the index
 * order of src/format/mpo.ts — W [R, C] viewed as the tensor [I_1, …, I_N, J_1, …, J_N], permuted to
 * [I_1 J_1, I_2 J_2, …, I_N J_N], then N − 1 successive truncated SVDs: the unfolding
 * [r_{k−1}·I_k·J_k, rest] ≈ L·R with rank r_k, core k = L as [r_{k−1}, I_k, J_k, r_k], and R carries on.
 * With every bond at the rank its cut allows (mpoBonds with D = ∞) the chain reproduces W up to
 * rounding; smaller bonds give the quasi-optimal TT approximation (error ≤ √(Σ_k ε_k²), ε_k the
 * discarded singular values of cut k).
 *
 * The rank-r splits come from the symmetric eigenproblem of the smaller Gram matrix (M·Mᵀ or Mᵀ·M,
 * cyclic Jacobi, float64): L = U_r, R = U_rᵀ·M (or L = M·V_r, R = V_rᵀ), the best rank-r
 * approximation, with no division by singular values (so rank-deficient matrices are harmless).
 * Cost: one Gram product (m²·n) and Jacobi sweeps (≈ 8·m³) per cut, m = min of the unfolding's sides
 * (paper FDNN, 2048 × 2048 in 3 cores: m = 256 at the first cut; seconds in JavaScript).
 */
import type { MpoPlan } from './mpo.js';

/**
 * Eigen-decomposition of the symmetric k×k matrix `a` (row-major, float64; destroyed): eigenvalues
 * descending and the eigenvectors as the columns of a row-major k×k matrix, by cyclic Jacobi
 * rotations (Numerical Recipes §11.1) until the off-diagonal mass is below 1e-30 of the total.
 */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  let total = 0;
  for (let i = 0; i < k * k; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q] * a[p * k + q];
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q];
        if (apq === 0) continue;
        const app = a[p * k + p];
        const aqq = a[q * k + q];
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        a[p * k + p] = app - t * apq;
        a[q * k + q] = aqq + t * apq;
        a[p * k + q] = a[q * k + p] = 0;
        for (let r = 0; r < k; r++) {
          if (r !== p && r !== q) {
            const arp = a[r * k + p];
            const arq = a[r * k + q];
            a[r * k + p] = a[p * k + r] = c * arp - s * arq;
            a[r * k + q] = a[q * k + r] = s * arp + c * arq;
          }
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => a[y * k + y] - a[x * k + x] || x - y);
  const values = Float64Array.from(order, (i) => a[i * k + i]);
  const vectors = new Float64Array(k * k);
  for (let r = 0; r < k; r++) order.forEach((i, j) => (vectors[r * k + j] = v[r * k + i]));
  return { values, vectors };
}

/**
 * The best rank-r split of M [m, n] (row-major): L [m, r] · R [r, n] (see the file comment). When
 * r exceeds min(m, n) the extra columns of L / rows of R are zero.
 */
export function lowRankSplit(mat: Float64Array, m: number, n: number, r: number): { left: Float64Array; right: Float64Array } {
  const left = new Float64Array(m * r);
  const right = new Float64Array(r * n);
  const useful = Math.min(r, m, n);
  if (m <= n) {
    const g = new Float64Array(m * m); // M·Mᵀ
    for (let i = 0; i < m; i++) {
      for (let j = i; j < m; j++) {
        let acc = 0;
        for (let c = 0; c < n; c++) acc += mat[i * n + c] * mat[j * n + c];
        g[i * m + j] = g[j * m + i] = acc;
      }
    }
    const { vectors: u } = symmetricEigen(g, m);
    for (let i = 0; i < m; i++) for (let q = 0; q < useful; q++) left[i * r + q] = u[i * m + q]; // L = U_r
    for (let q = 0; q < useful; q++) {
      for (let i = 0; i < m; i++) {
        const w = u[i * m + q];
        if (w !== 0) for (let c = 0; c < n; c++) right[q * n + c] += w * mat[i * n + c]; // R = U_rᵀ·M
      }
    }
  } else {
    const g = new Float64Array(n * n); // Mᵀ·M
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < n; a++) {
        const x = mat[i * n + a];
        if (x !== 0) for (let b = a; b < n; b++) g[a * n + b] += x * mat[i * n + b];
      }
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) g[a * n + b] = g[b * n + a];
    const { vectors: v } = symmetricEigen(g, n);
    for (let q = 0; q < useful; q++) for (let c = 0; c < n; c++) right[q * n + c] = v[c * n + q]; // R = V_rᵀ
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < useful; q++) {
        let acc = 0;
        for (let c = 0; c < n; c++) acc += mat[i * n + c] * v[c * n + q];
        left[i * r + q] = acc; // L = M·V_r
      }
    }
  }
  return { left, right };
}

/**
 * The cores [r_{k−1}, I_k, J_k, r_k] of `plan` from the matrix `w` [R, C] (row-major) by TT-SVD,
 * rounded to float32 once at the end.
 */
export function mpoCoresFromMatrix(w: ArrayLike<number>, plan: MpoPlan): Float32Array[] {
  const { rowFactors: rf, colFactors: cf, bonds } = plan;
  const n = rf.length;
  // T[(i_1 j_1)(i_2 j_2)…(i_N j_N)] = W[(i_1…i_N), (j_1…j_N)]: strides of the row/column digits
  const rowStride = new Array<number>(n);
  const colStride = new Array<number>(n);
  for (let k = n - 1, rs = 1, cs = 1; k >= 0; k--) {
    rowStride[k] = rs;
    colStride[k] = cs;
    rs *= rf[k];
    cs *= cf[k];
  }
  const size = plan.rows * plan.cols;
  let t: Float64Array = new Float64Array(size);
  const digit = new Array<number>(2 * n).fill(0); // (i_1, j_1, …, i_N, j_N), last fastest
  for (let pos = 0; pos < size; pos++) {
    let row = 0;
    let col = 0;
    for (let k = 0; k < n; k++) {
      row += digit[2 * k] * rowStride[k];
      col += digit[2 * k + 1] * colStride[k];
    }
    t[pos] = w[row * plan.cols + col];
    for (let d = 2 * n - 1; d >= 0; d--) {
      if (++digit[d] < (d % 2 === 0 ? rf[d >> 1] : cf[d >> 1])) break;
      digit[d] = 0;
    }
  }
  const cores: Float32Array[] = [];
  let rest = size;
  for (let k = 0; k < n - 1; k++) {
    const m = bonds[k] * rf[k] * cf[k];
    rest /= rf[k] * cf[k];
    const { left, right } = lowRankSplit(t, m, rest, bonds[k + 1]);
    cores.push(Float32Array.from(left)); // [r_{k−1}·I_k·J_k, r_k] = [r_{k−1}, I_k, J_k, r_k] row-major
    t = right; // [r_k, rest]
  }
  cores.push(Float32Array.from(t)); // [r_{N−1}, I_N·J_N] = [r_{N−1}, I_N, J_N, 1]
  return cores;
}
