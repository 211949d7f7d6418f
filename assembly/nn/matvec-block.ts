// Block-sparse matrix–vector product (block-sparse pruning, beyond the paper; `.hush` sparsity
// `blocks`, docs/format.md "Blocks"). W [rows][cols] is tiled into br × bc blocks and only the kept
// blocks are stored; each block runs as dense SIMD with no lane insert and no gather:
//
//   4x1  4 consecutive outputs of one input column: acc(rows r..r+3) += w[4] · splat(x[c])
//        — one f32x4 load of weights, one scalar load + splat of x, one multiply-add per block
//   8x1  the same with two f32x4 (rows r..r+7)
//   1x4  4 consecutive inputs of one output: acc += w[4] · x[c..c+3] (one aligned f32x4 load of x);
//        the row's 4 lanes are summed once at the end
//
// Against SELL-4 (matvec-sparse.ts: 4 scalar u16 loads + 4 lane inserts feed each f32x4 of products,
// ~9 loads per entry) a 4x1 block costs 2 loads per f32x4 of products, so at the same stored-weight
// count it should approach dense speed per stored weight; issue #18 measures it (npm run bench:paper).
//
// Packed layout (one block of linear memory, 16-byte aligned; built by blockPack from a dense matrix
// here, or from a `.hush` blocks tensor's storage-order stream by nets/mat.ts, both through the
// offsets below; mirrored by blockPackRef() in test/nn/reference.ts):
//   offset 0           i32 rows, i32 cols, i32 br, i32 bc
//   offset 16          i32 blockRows = rows / br, i32 blocks (kept), i32 0, i32 0
//   offset 32          i32 start[blockRows + 1]    first kept block of each block row; [blockRows] = blocks
//   colOff = 32 + align16(4·(blockRows + 1))
//                      i32 col[blocks]              first column of the block (cb·bc), ascending per block row
//   wOff = colOff + align16(4·blocks)
//                      f32 w[blocks][br·bc]         row-major inside the block (= the file's block order)
//   total = wOff + 4·br·bc·blocks
// Requires rows % br == 0 and cols % bc == 0 (the format's tiling rule); x, y f32 arrays, x 16-byte
// aligned for 1x4 (as every buffer from memAlloc).
//
// Arithmetic order (the scalar build follows it exactly, so SIMD and scalar builds agree bit for bit;
// test/nn/reference.ts matvecBlockOrder is the plain-loop statement of it). Blocks q = 0, 1, … of a
// block row, in increasing column order:
//   4x1, 1x4  two partial sums, over the even and the odd q (two independent add chains: one chain
//             would wait an f32x4 add latency per block), added at the end: even + odd;
//             1x4 per lane k (columns ≡ k mod 4), lanes then combined as (l0 + l1) + (l2 + l3)
//   8x1       one sum per output over all q (its two f32x4 halves already are two chains)
// then + b, then + y (accumulating form).
// f32 accumulation: |error| ≤ ~nnz_row·2⁻²⁴·Σ|Wᵢⱼxⱼ| per row, as the dense kernel.

import { laneSum } from "./lanes";

/** Byte offset of col[] in a packed block matrix with `blockRows` block rows. */
// @ts-ignore: decorator
@inline export function blockColsOffset(blockRows: i32): usize {
  return 32 + ((<usize>(4 * (blockRows + 1)) + 15) & ~(<usize>15));
}

/** Byte offset of w[] in a packed block matrix. */
// @ts-ignore: decorator
@inline export function blockWeightsOffset(blockRows: i32, blocks: i32): usize {
  return blockColsOffset(blockRows) + ((<usize>(4 * blocks) + 15) & ~(<usize>15));
}

/** Bytes of a packed block matrix with `blocks` kept br × bc blocks over `rows` rows. */
export function blockPackedBytes(rows: i32, br: i32, bc: i32, blocks: i32): u32 {
  return <u32>(blockWeightsOffset(rows / br, blocks) + (<usize>(br * bc * blocks) << 2));
}

/** Writes the 32-byte header (start[] and the rest are the packer's). */
export function blockHeaderWrite(dst: usize, rows: i32, cols: i32, br: i32, bc: i32, blocks: i32): void {
  store<i32>(dst, rows);
  store<i32>(dst, cols, 4);
  store<i32>(dst, br, 8);
  store<i32>(dst, bc, 12);
  store<i32>(dst, rows / br, 16);
  store<i32>(dst, blocks, 20);
  store<i32>(dst, 0, 24);
  store<i32>(dst, 0, 28);
}

/** True when the br × bc block (rb, cb) of the dense row-major W[rows][cols] at w has a nonzero. */
function blockNonzero(w: usize, cols: i32, br: i32, bc: i32, rb: i32, cb: i32): bool {
  for (let i = 0; i < br; i++) {
    const row = w + (<usize>((rb * br + i) * cols + cb * bc) << 2);
    for (let k = 0; k < bc; k++) if (load<f32>(row + (<usize>k << 2)) != 0) return true;
  }
  return false;
}

/** Kept (not all-zero) br × bc blocks of dense W[rows][cols]; −1 when the shape does not tile or is not 4x1/8x1/1x4. */
export function blockCount(w: usize, rows: i32, cols: i32, br: i32, bc: i32): i32 {
  if (!((bc == 1 && (br == 4 || br == 8)) || (br == 1 && bc == 4)) || rows % br != 0 || cols % bc != 0) return -1;
  let n = 0;
  for (let rb = 0; rb < rows / br; rb++) for (let cb = 0; cb < cols / bc; cb++) if (blockNonzero(w, cols, br, bc, rb, cb)) n++;
  return n;
}

/**
 * Packs dense W[rows][cols] (row-major f32 at w) into dst (blockPackedBytes(rows, br, bc,
 * blockCount(...)) bytes), keeping every block with a nonzero. Returns the kept block count.
 */
export function blockPack(dst: usize, w: usize, rows: i32, cols: i32, br: i32, bc: i32): i32 {
  const blocks = blockCount(w, rows, cols, br, bc);
  if (blocks < 0) return -1;
  const blockRows = rows / br;
  blockHeaderWrite(dst, rows, cols, br, bc, blocks);
  const colBase = dst + blockColsOffset(blockRows);
  const wBase = dst + blockWeightsOffset(blockRows, blocks);
  const size = br * bc;
  let n = 0;
  for (let rb = 0; rb < blockRows; rb++) {
    store<i32>(dst + 32 + (<usize>rb << 2), n);
    for (let cb = 0; cb < cols / bc; cb++) {
      if (!blockNonzero(w, cols, br, bc, rb, cb)) continue;
      store<i32>(colBase + (<usize>n << 2), cb * bc);
      for (let e = 0; e < size; e++) {
        const v = load<f32>(w + (<usize>((rb * br + e / bc) * cols + cb * bc + e % bc) << 2));
        store<f32>(wBase + (<usize>(n * size + e) << 2), v);
      }
      n++;
    }
  }
  store<i32>(dst + 32 + (<usize>blockRows << 2), n);
  return n;
}

/** y[r] = v (+ b[r]) (+ y[r]). */
// @ts-ignore: decorator
@inline function outStore(y: usize, b: usize, r: i32, v: f32, accumulate: bool): void {
  const o = <usize>r << 2;
  if (b != 0) v += load<f32>(b + o);
  if (accumulate) v += load<f32>(y + o);
  store<f32>(y + o, v);
}

/** y[r..r+3] = v (+ b) (+ y), one f32x4 (same sums as outStore lane by lane). */
// @ts-ignore: decorator
@inline function outStore4(y: usize, b: usize, r: i32, v: v128, accumulate: bool): void {
  const o = <usize>r << 2;
  if (b != 0) v = f32x4.add(v, v128.load(b + o));
  if (accumulate) v = f32x4.add(v, v128.load(y + o));
  v128.store(y + o, v);
}

// @ts-ignore: decorator
@inline function matvecBlockRows(y: usize, p: usize, b: usize, x: usize, accumulate: bool): void {
  const br = load<i32>(p, 8);
  const bc = load<i32>(p, 12);
  const blockRows = load<i32>(p, 16);
  const blocks = load<i32>(p, 20);
  const colBase = p + blockColsOffset(blockRows);
  const wBase = p + blockWeightsOffset(blockRows, blocks);
  for (let rb = 0; rb < blockRows; rb++) {
    let k = load<i32>(p + 32 + (<usize>rb << 2));
    const end = load<i32>(p + 36 + (<usize>rb << 2));
    if (bc == 1) {
      // 4x1 / 8x1: columns of 4 or 8 outputs
      const r = rb * br;
      if (ASC_FEATURE_SIMD) {
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        if (br == 4) {
          for (; k + 2 <= end; k += 2) {
            const x0 = f32x4.splat(load<f32>(x + (<usize>load<i32>(colBase + (<usize>k << 2)) << 2)));
            const x1 = f32x4.splat(load<f32>(x + (<usize>load<i32>(colBase + (<usize>k << 2), 4) << 2)));
            const wp = wBase + (<usize>k << 4);
            a0 = f32x4.add(a0, f32x4.mul(v128.load(wp), x0));
            a1 = f32x4.add(a1, f32x4.mul(v128.load(wp, 16), x1));
          }
          if (k < end) {
            const x0 = f32x4.splat(load<f32>(x + (<usize>load<i32>(colBase + (<usize>k << 2)) << 2)));
            a0 = f32x4.add(a0, f32x4.mul(v128.load(wBase + (<usize>k << 4)), x0));
          }
          outStore4(y, b, r, f32x4.add(a0, a1), accumulate);
        } else {
          for (; k < end; k++) {
            const xv = f32x4.splat(load<f32>(x + (<usize>load<i32>(colBase + (<usize>k << 2)) << 2)));
            const wp = wBase + (<usize>k << 5);
            a0 = f32x4.add(a0, f32x4.mul(v128.load(wp), xv));
            a1 = f32x4.add(a1, f32x4.mul(v128.load(wp, 16), xv));
          }
          outStore4(y, b, r, a0, accumulate);
          outStore4(y, b, r + 4, a1, accumulate);
        }
      } else {
        for (let i = 0; i < br; i++) {
          let even: f32 = 0, odd: f32 = 0;
          for (let q = k; q < end; q++) {
            const v = load<f32>(wBase + (<usize>(q * br + i) << 2)) * load<f32>(x + (<usize>load<i32>(colBase + (<usize>q << 2)) << 2));
            if (br == 8 || ((q - k) & 1) == 0) even += v;
            else odd += v;
          }
          outStore(y, b, r + i, br == 8 ? even : even + odd, accumulate);
        }
      }
    } else {
      // 1x4: 4 inputs of one output row
      if (ASC_FEATURE_SIMD) {
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        for (; k + 2 <= end; k += 2) {
          const cp = colBase + (<usize>k << 2);
          const wp = wBase + (<usize>k << 4);
          a0 = f32x4.add(a0, f32x4.mul(v128.load(wp), v128.load(x + (<usize>load<i32>(cp) << 2))));
          a1 = f32x4.add(a1, f32x4.mul(v128.load(wp, 16), v128.load(x + (<usize>load<i32>(cp, 4) << 2))));
        }
        if (k < end) {
          const c = <usize>load<i32>(colBase + (<usize>k << 2));
          a0 = f32x4.add(a0, f32x4.mul(v128.load(wBase + (<usize>k << 4)), v128.load(x + (c << 2))));
        }
        outStore(y, b, rb, laneSum(f32x4.add(a0, a1)), accumulate);
      } else {
        // lane l: e[l] over even q, o[l] over odd q (as the two f32x4 chains above)
        let e0: f32 = 0, e1: f32 = 0, e2: f32 = 0, e3: f32 = 0;
        let o0: f32 = 0, o1: f32 = 0, o2: f32 = 0, o3: f32 = 0;
        for (let q = k; q < end; q++) {
          const xc = x + (<usize>load<i32>(colBase + (<usize>q << 2)) << 2);
          const wp = wBase + (<usize>q << 4);
          const v0 = load<f32>(wp) * load<f32>(xc), v1 = load<f32>(wp, 4) * load<f32>(xc, 4);
          const v2 = load<f32>(wp, 8) * load<f32>(xc, 8), v3 = load<f32>(wp, 12) * load<f32>(xc, 12);
          if (((q - k) & 1) == 0) {
            e0 += v0; e1 += v1; e2 += v2; e3 += v3;
          } else {
            o0 += v0; o1 += v1; o2 += v2; o3 += v3;
          }
        }
        outStore(y, b, rb, ((e0 + o0) + (e1 + o1)) + ((e2 + o2) + (e3 + o3)), accumulate);
      }
    }
  }
}

/**
 * y = W·x + b with W packed as above at `packed` (rows, cols, block shape read from its header).
 * x: f32[cols]; b: f32[rows] or 0; y: f32[rows] (not overlapping x, b). FLOPs 2·blocks·br·bc.
 */
export function matvecBlock(y: usize, packed: usize, b: usize, x: usize): void {
  matvecBlockRows(y, packed, b, x, false);
}

/** y += W·x + b, the accumulating form of matvecBlock (LSTM gates). b may be 0. */
export function matvecBlockAcc(y: usize, packed: usize, b: usize, x: usize): void {
  matvecBlockRows(y, packed, b, x, true);
}
