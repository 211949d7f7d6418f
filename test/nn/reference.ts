/**
 * Float64 reference implementations of every kernel in assembly/nn/, written the plain way
 * (whole-sequence convolutions, explicit matrices), plus the TS-side encoders the tests need:
 * the SELL-4 sparse packer (byte-identical to assembly/nn/sparse-pack.ts) and the LSB-first
 * bit packer of k-means indices. Layouts are documented in the AssemblyScript files.
 */
import { randomF32 } from '../helpers/signals.js';

/** Seeded integers in [0, n). */
export function randomInts(length: number, n: number, seed: number): Int32Array {
  const u = randomF32(length, seed, 0, 1);
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.min(n - 1, Math.floor(u[i] * n));
  return out;
}

/** Zeroes each entry with probability `sparsity` (seeded); returns a copy. */
export function prune(w: Float32Array, sparsity: number, seed: number): Float32Array {
  const u = randomF32(w.length, seed, 0, 1);
  const out = w.slice();
  for (let i = 0; i < w.length; i++) if (u[i] < sparsity) out[i] = 0;
  return out;
}

/**
 * max |a − b| / max(max |b|, scale, 1e-30): the error measure of the kernel tests. `scale` lets a
 * test state the output scale when the reference itself may cancel (a one-row matvec whose sum
 * is 0.004 from terms of size 1): see matvecScale.
 */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>, scale = 0): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let err = 0, peak = scale;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    peak = Math.max(peak, Math.abs(b[i]));
  }
  if (Number.isNaN(err)) return Infinity;
  return err / Math.max(peak, 1e-30);
}

/**
 * Output scale of y = W·x + b (+ y0): the largest row norm √(Σ_c (W_rc·x_c)² + b_r² + y0_r²), the
 * typical size of a row's sum before cancellation.
 */
export function matvecScale(
  w: ArrayLike<number>, b: ArrayLike<number> | null, x: ArrayLike<number>, rows: number, cols: number, y0?: ArrayLike<number>,
): number {
  let most = 0;
  for (let r = 0; r < rows; r++) {
    let s = (b ? b[r] ** 2 : 0) + (y0 ? y0[r] ** 2 : 0);
    for (let c = 0; c < cols; c++) s += (w[r * cols + c] * x[c]) ** 2;
    most = Math.max(most, Math.sqrt(s));
  }
  return most;
}

// ---------------------------------------------------------------- matrix-vector products

/** y = W·x + b (W: [rows][cols] row-major; b optional). */
export function matvec(w: ArrayLike<number>, b: ArrayLike<number> | null, x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b ? b[r] : 0;
    for (let c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
    y[r] = s;
  }
  return y;
}

/**
 * SELL-4 packer (layout: assembly/nn/matvec-sparse.ts): header (rows, cols, slices, entries),
 * sliceStart[slices+1] padded to 16 bytes, i32 rowOf[slices][4], f32 w[entries][4], u16
 * col[entries][4] padded to 16. Rows sorted by nonzero count, descending, ties in row order; lane l
 * of slice k is sorted row 4k + l (−1 past the last row). Padding lanes: weight 0, column = the row's
 * last nonzero (0 for an empty row or a missing row).
 */
export function sparsePack(w: Float32Array, rows: number, cols: number): Uint8Array {
  if (rows < 1 || cols < 1 || cols > 65536) throw new RangeError('sparsePack: bad shape');
  const slices = Math.ceil(rows / 4);
  const nz: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const cs: number[] = [];
    for (let c = 0; c < cols; c++) if (w[r * cols + c] !== 0) cs.push(c);
    nz.push(cs);
  }
  const order = Array.from(nz.keys()).sort((a, b) => nz[b].length - nz[a].length || a - b);
  const sliceStart = new Int32Array(slices + 1);
  for (let k = 0; k < slices; k++) sliceStart[k + 1] = sliceStart[k] + nz[order[4 * k]].length;
  const entries = sliceStart[slices];
  const align16 = (n: number) => (n + 15) & ~15;
  const rowOff = 16 + align16(4 * (slices + 1));
  const wOff = rowOff + 16 * slices;
  const cOff = wOff + 16 * entries;
  const total = cOff + align16(8 * entries);
  const buf = new ArrayBuffer(total);
  const dv = new DataView(buf);
  dv.setInt32(0, rows, true);
  dv.setInt32(4, cols, true);
  dv.setInt32(8, slices, true);
  dv.setInt32(12, entries, true);
  for (let k = 0; k <= slices; k++) dv.setInt32(16 + 4 * k, sliceStart[k], true);
  for (let i = 0; i < 4 * slices; i++) dv.setInt32(rowOff + 4 * i, i < rows ? order[i] : -1, true);
  for (let k = 0; k < slices; k++) {
    for (let l = 0; l < 4; l++) {
      if (4 * k + l >= rows) break;
      const r = order[4 * k + l];
      const cs = nz[r];
      const last = cs.length ? cs[cs.length - 1] : 0;
      for (let e = sliceStart[k], j = 0; e < sliceStart[k + 1]; e++, j++) {
        if (j < cs.length) {
          dv.setFloat32(wOff + 16 * e + 4 * l, w[r * cols + cs[j]], true);
          dv.setUint16(cOff + 8 * e + 2 * l, cs[j], true);
        } else {
          dv.setUint16(cOff + 8 * e + 2 * l, last, true);
        }
      }
    }
  }
  return new Uint8Array(buf);
}

/**
 * LSB-first bit packing of `bits`-bit indices (index n at stream bits n·bits …, lowest bit first),
 * zero-padded to a multiple of 4 bytes (the kernels read 4-byte words).
 */
export function bitpack(indices: ArrayLike<number>, bits: number): Uint8Array {
  const totalBits = indices.length * bits;
  const out = new Uint8Array(Math.max(4, Math.ceil(totalBits / 32) * 4));
  for (let n = 0; n < indices.length; n++) {
    const v = indices[n];
    if (v < 0 || v >= 2 ** bits) throw new RangeError(`index ${v} does not fit ${bits} bits`);
    for (let k = 0; k < bits; k++) {
      if ((v >>> k) & 1) {
        const m = n * bits + k;
        out[m >> 3] |= 1 << (m & 7);
      }
    }
  }
  return out;
}

/** Bitmap (LSB-first, padded to 4 bytes) of the nonzero entries of w. */
export function nonzeroBitmap(w: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.max(4, Math.ceil(w.length / 32) * 4));
  for (let m = 0; m < w.length; m++) if (w[m] !== 0) out[m >> 3] |= 1 << (m & 7);
  return out;
}

// ---------------------------------------------------------------- convolutions over whole sequences

/**
 * Causal Conv2d over a sequence x: [T][Cin][F] (time padded with kT−1 zero frames in front,
 * frequency with padL/padR zeros), w: [Cout][Cin][kT][kF]; returns [T][Cout][Fout].
 */
export function conv2dSequence(
  x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null,
  T: number, cin: number, cout: number, F: number, kT: number, kF: number, s: number, padL: number, padR: number,
): { y: Float64Array; fout: number } {
  const fout = Math.floor((F + padL + padR - kF) / s) + 1;
  const y = new Float64Array(T * cout * fout);
  for (let n = 0; n < T; n++) {
    for (let co = 0; co < cout; co++) {
      for (let fo = 0; fo < fout; fo++) {
        let acc = b ? b[co] : 0;
        for (let ci = 0; ci < cin; ci++) {
          for (let t = 0; t < kT; t++) {
            const tn = n - (kT - 1) + t;
            if (tn < 0) continue;
            for (let k = 0; k < kF; k++) {
              const fi = fo * s + k - padL;
              if (fi < 0 || fi >= F) continue;
              acc += w[((co * cin + ci) * kT + t) * kF + k] * x[(tn * cin + ci) * F + fi];
            }
          }
        }
        y[(n * cout + co) * fout + fo] = acc;
      }
    }
  }
  return { y, fout };
}

/**
 * Causal ConvTranspose2d over x: [T][Cin][F], w: [Cin][Cout][kT][kF] (PyTorch), time stride 1,
 * keeping the first T output frames; frequency stride s, padding pad, output_padding outPad.
 * Written as the scatter (the definition), independent of the kernel's polyphase gather.
 */
export function convTranspose2dSequence(
  x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null,
  T: number, cin: number, cout: number, F: number, kT: number, kF: number, s: number, pad: number, outPad: number,
): { y: Float64Array; fout: number } {
  const fout = (F - 1) * s - 2 * pad + kF + outPad;
  const y = new Float64Array(T * cout * fout);
  for (let n = 0; n < T; n++) for (let co = 0; co < cout; co++) for (let fo = 0; fo < fout; fo++) y[(n * cout + co) * fout + fo] = b ? b[co] : 0;
  for (let m = 0; m < T; m++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let fi = 0; fi < F; fi++) {
        const v = x[(m * cin + ci) * F + fi];
        for (let t = 0; t < kT; t++) {
          const n = m + t;
          if (n >= T) continue;
          for (let co = 0; co < cout; co++) {
            for (let k = 0; k < kF; k++) {
              const fo = fi * s + k - pad;
              if (fo < 0 || fo >= fout) continue;
              y[(n * cout + co) * fout + fo] += v * w[((ci * cout + co) * kT + t) * kF + k];
            }
          }
        }
      }
    }
  }
  return { y, fout };
}

/** Depthwise causal dilated Conv1d over x: [T][C], w: [C][k]; returns [T][C]. */
export function depthwiseConv1dSequence(
  x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, T: number, C: number, k: number, d: number,
): Float64Array {
  const y = new Float64Array(T * C);
  for (let n = 0; n < T; n++) {
    for (let c = 0; c < C; c++) {
      let acc = b ? b[c] : 0;
      for (let j = 0; j < k; j++) {
        const tn = n - (k - 1 - j) * d;
        if (tn >= 0) acc += w[c * k + j] * x[tn * C + c];
      }
      y[n * C + c] = acc;
    }
  }
  return y;
}

/** Pointwise conv: y[co][l] = b[co] + Σ w[co][ci]·x[ci][l]. */
export function pointwiseConv(w: ArrayLike<number>, b: ArrayLike<number> | null, x: ArrayLike<number>, cin: number, cout: number, len: number): Float64Array {
  const y = new Float64Array(cout * len);
  for (let co = 0; co < cout; co++) {
    for (let l = 0; l < len; l++) {
      let s = b ? b[co] : 0;
      for (let ci = 0; ci < cin; ci++) s += w[co * cin + ci] * x[ci * len + l];
      y[co * len + l] = s;
    }
  }
  return y;
}

// ---------------------------------------------------------------- recurrent

export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** One LSTM step (PyTorch gate order i, f, g, o); returns the new h and c. */
export function lstmStep(
  x: ArrayLike<number>, h: ArrayLike<number>, c: ArrayLike<number>,
  wih: ArrayLike<number>, whh: ArrayLike<number>, bih: ArrayLike<number> | null, bhh: ArrayLike<number> | null,
  inSize: number, H: number,
): { h: Float64Array; c: Float64Array } {
  const g1 = matvec(wih, bih, x, 4 * H, inSize);
  const g2 = matvec(whh, bhh, h, 4 * H, H);
  const hn = new Float64Array(H), cn = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const i = sigmoid(g1[j] + g2[j]);
    const f = sigmoid(g1[H + j] + g2[H + j]);
    const g = Math.tanh(g1[2 * H + j] + g2[2 * H + j]);
    const o = sigmoid(g1[3 * H + j] + g2[3 * H + j]);
    cn[j] = f * c[j] + i * g;
    hn[j] = o * Math.tanh(cn[j]);
  }
  return { h: hn, c: cn };
}

// ---------------------------------------------------------------- element-wise and normalisation

export function layerNorm(x: ArrayLike<number>, gamma: ArrayLike<number> | null, beta: ArrayLike<number> | null, eps: number): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  v /= n;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = ((x[i] - mean) / Math.sqrt(v + eps)) * (gamma ? gamma[i] : 1) + (beta ? beta[i] : 0);
  return y;
}

export const elu = (v: number, alpha: number): number => (v > 0 ? v : alpha * Math.expm1(v));

// ---------------------------------------------------------------- MPO

/**
 * Forms the full W: [I][J] of an MPO (cores f32[r_{k−1}][i_k][j_k][r_k] concatenated; dims
 * [n][4]) by brute force over all multi-indices, in float64.
 */
export function mpoMatrix(cores: ArrayLike<number>, dims: number[][]): { w: Float64Array; I: number; J: number } {
  const I = dims.reduce((p, d) => p * d[1], 1);
  const J = dims.reduce((p, d) => p * d[2], 1);
  const offsets: number[] = [];
  let o = 0;
  for (const d of dims) { offsets.push(o); o += d[0] * d[1] * d[2] * d[3]; }
  const w = new Float64Array(I * J);
  const n = dims.length;
  for (let i = 0; i < I; i++) {
    // Row-major multi-index, first factor most significant.
    const ii: number[] = new Array(n);
    let rem = i;
    for (let k = n - 1; k >= 0; k--) { ii[k] = rem % dims[k][1]; rem = Math.floor(rem / dims[k][1]); }
    for (let j = 0; j < J; j++) {
      const jj: number[] = new Array(n);
      let rj = j;
      for (let k = n - 1; k >= 0; k--) { jj[k] = rj % dims[k][2]; rj = Math.floor(rj / dims[k][2]); }
      // Row vector over r_k, multiplied core by core.
      let v = new Float64Array([1]);
      for (let k = 0; k < n; k++) {
        const [rp, ik, jk, rk] = dims[k];
        const next = new Float64Array(rk);
        for (let q = 0; q < rp; q++) {
          for (let r = 0; r < rk; r++) next[r] += v[q] * cores[offsets[k] + ((q * ik + ii[k]) * jk + jj[k]) * rk + r];
        }
        v = next;
      }
      w[i * J + j] = v[0];
    }
  }
  return { w, I, J };
}

/**
 * Zeroes whole br × bc blocks of W[rows][cols] (row-major) so that a fraction `sparsity` of the
 * blocks is empty (exactly round(sparsity · blocks), chosen by a seeded draw); returns a copy.
 */
export function pruneBlocks(w: Float32Array, rows: number, cols: number, br: number, bc: number, sparsity: number, seed: number): Float32Array {
  const out = Float32Array.from(w);
  const gridCols = cols / bc;
  const blocks = (rows / br) * gridCols;
  const order = Array.from({ length: blocks }, (_, i) => i);
  const r = randomInts(blocks, 1 << 30, seed);
  order.sort((a, b) => r[a] - r[b] || a - b);
  for (const id of order.slice(0, Math.round(sparsity * blocks))) {
    const rb = Math.floor(id / gridCols), cb = id % gridCols;
    for (let i = 0; i < br; i++) for (let k = 0; k < bc; k++) out[(rb * br + i) * cols + cb * bc + k] = 0;
  }
  return out;
}

/** The packed block-sparse layout of assembly/nn/matvec-block.ts, written independently: the bytes the WASM packer must produce. */
export function blockPackRef(w: Float32Array, rows: number, cols: number, br: number, bc: number): Uint8Array {
  const blockRows = rows / br, gridCols = cols / bc, size = br * bc;
  const kept: number[][] = [];
  for (let rb = 0; rb < blockRows; rb++) {
    for (let cb = 0; cb < gridCols; cb++) {
      let nz = false;
      for (let e = 0; e < size; e++) if (w[(rb * br + Math.floor(e / bc)) * cols + cb * bc + (e % bc)] !== 0) nz = true;
      if (nz) kept.push([rb, cb]);
    }
  }
  const a16 = (n: number) => Math.ceil(n / 16) * 16;
  const colOff = 32 + a16(4 * (blockRows + 1));
  const wOff = colOff + a16(4 * kept.length);
  const out = new Uint8Array(wOff + 4 * size * kept.length);
  const v = new DataView(out.buffer);
  [rows, cols, br, bc, blockRows, kept.length, 0, 0].forEach((x, i) => v.setInt32(4 * i, x, true));
  let n = 0;
  for (let rb = 0; rb <= blockRows; rb++) {
    v.setInt32(32 + 4 * rb, n, true);
    while (n < kept.length && kept[n][0] === rb) n++;
  }
  kept.forEach(([rb, cb], q) => {
    v.setInt32(colOff + 4 * q, cb * bc, true);
    for (let e = 0; e < size; e++) v.setFloat32(wOff + 4 * (q * size + e), w[(rb * br + Math.floor(e / bc)) * cols + cb * bc + (e % bc)], true);
  });
  return out;
}

/**
 * W·x (+ b) in f32 in the block kernel's summation order (matvec-block.ts "Arithmetic order"): over a
 * block row's non-empty blocks q = 0, 1, … (increasing column), 4x1 and 1x4 keep one sum over the even
 * q and one over the odd q, added at the end (1x4: per lane, lanes combined as (l0 + l1) + (l2 + l3));
 * 8x1 one sum over all q.
 */
export function matvecBlockOrder(w: Float32Array, b: ArrayLike<number> | null, x: Float32Array, rows: number, cols: number, br: number, bc: number): Float32Array {
  const f = Math.fround;
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    // the non-empty blocks of r's block row, ascending: their first columns
    const firsts: number[] = [];
    const r0 = r - (r % br);
    for (let c = 0; c < cols; c += bc) {
      let nz = false;
      for (let i = 0; i < br; i++) for (let k = 0; k < bc; k++) if (w[(r0 + i) * cols + c + k] !== 0) nz = true;
      if (nz) firsts.push(c);
    }
    const even = [0, 0, 0, 0], odd = [0, 0, 0, 0];
    firsts.forEach((c, q) => {
      const acc = br === 8 || q % 2 === 0 ? even : odd;
      for (let k = 0; k < bc; k++) acc[k] = f(acc[k] + f(w[r * cols + c + k] * x[c + k]));
    });
    let s: number;
    if (br === 8) s = even[0];
    else if (bc === 1) s = f(even[0] + odd[0]);
    else {
      const l = even.map((e, k) => f(e + odd[k]));
      s = f(f(l[0] + l[1]) + f(l[2] + l[3]));
    }
    y[r] = b ? f(s + b[r]) : s;
  }
  return y;
}
