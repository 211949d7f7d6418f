/**
 * Reference contraction of a matrix product operator (Sun et al., seeds/004) back to its full matrix.
 *
 * Index order (docs/format.md "MPO"): the matrix view of a tensor of shape [d0, ...] is [R, C] with
 * R = d0, C = count/d0. Row r = (i_1, …, i_N) and column c = (j_1, …, j_N) in mixed radix with the
 * first core most significant: r = ((i_1·I_2 + i_2)·I_3 + …), likewise c. Then
 *   W[r, c] = Σ_{a_1..a_{N-1}} G_1[0, i_1, j_1, a_1] · G_2[a_1, i_2, j_2, a_2] ⋯ G_N[a_{N-1}, i_N, j_N, 0],
 * each core G_k of shape [r_{k-1}, I_k, J_k, r_k], row-major, r_0 = r_N = 1.
 */

/** One core: shape [r_{k-1}, I_k, J_k, r_k] and its dense row-major values. */
export interface MpoCore {
  shape: number[];
  data: Float32Array;
}

/**
 * Contracts `cores` (in order) into the row-major tensor of `shape` (a new Float32Array).
 * Sequential contraction, accumulating in f64, rounding once to f32 at the end.
 * Throws when the cores do not chain or do not multiply out to the shape.
 */
export function mpoContract(shape: readonly number[], cores: readonly MpoCore[]): Float32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const rows = shape.length > 0 ? shape[0] : 1;
  const cols = count / rows;
  if (cores.length === 0) throw new Error('mpoContract: no cores');
  // acc[(I·Jacc + J)·bond + a] over the rows/cols of the cores contracted so far
  let acc = new Float64Array([1]);
  let rAcc = 1;
  let cAcc = 1;
  let bond = 1;
  for (const core of cores) {
    const [r0, ik, jk, r1] = core.shape;
    if (core.shape.length !== 4 || r0 !== bond) throw new Error(`mpoContract: core shape ${JSON.stringify(core.shape)} does not continue bond ${bond}`);
    const next = new Float64Array(rAcc * ik * cAcc * jk * r1);
    const nc = cAcc * jk;
    for (let I = 0; I < rAcc; I++) {
      for (let J = 0; J < cAcc; J++) {
        const base = (I * cAcc + J) * bond;
        for (let a = 0; a < bond; a++) {
          const m = acc[base + a];
          for (let i = 0; i < ik; i++) {
            for (let j = 0; j < jk; j++) {
              const g = ((a * ik + i) * jk + j) * r1;
              const o = ((I * ik + i) * nc + (J * jk + j)) * r1;
              for (let b = 0; b < r1; b++) next[o + b] += m * core.data[g + b];
            }
          }
        }
      }
    }
    acc = next;
    rAcc *= ik;
    cAcc *= jk;
    bond = r1;
  }
  if (bond !== 1 || rAcc !== rows || cAcc !== cols) {
    throw new Error(`mpoContract: cores give a ${rAcc}×${cAcc} matrix with end bond ${bond}, expected ${rows}×${cols} with bond 1`);
  }
  return Float32Array.from(acc);
}
