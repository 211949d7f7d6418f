// Pruned 2-D convolutions, one new time frame per call: the sparse forms of conv2dStep (conv2d.ts)
// and convTranspose2dStep (conv-transpose2d.ts), with the same PyTorch semantics, arguments and
// ring convention (ring.ts), so a net swaps one for the other per tensor at load time.
//
// Form: per output group g — g = co for a conv; g = q·Cout + co for a transposed conv with frequency
// stride s, over its s output phases q (conv-transpose2d.ts: output bins fo ≡ q − pad mod s only meet
// the taps k ≡ q mod s) — the list of the group's nonzero weights, each an entry
// (f32 value, u32 offset), or in the indexed variant (the compact plan's, for k-means weights) one
// u32 = offset | index << 24 into a table of ≤ 256 distinct values (the codebook: 4 bytes per nonzero
// instead of 8, one more load per tap). A group is then a sum of shifted, scaled input rows:
//
//   y[co][fo0 + i·sOut] = b[co] + Σ_e value_e · prep[offset_e + i]        for i < n
//
// (conv: fo0 = 0, sOut = 1, n = Fout; transposed: fo0 = first bin of phase q, sOut = s, n = its
// bins), where `prep` is a per-frame copy of the input laid out so that every tap reads a
// contiguous, zero-padded row — SIMD over i with no bounds checks:
//
//   conv   prep f32[kT][Cin][s][Lp], prep[t][ci][p][m] = x_{n−(kT−1−t)}[ci][m·s + p − padL],
//          Lp = Fout + ⌊(kF − 1)/s⌋: each input row de-interleaved once into its s phases, so a
//          stride-s tap reads a contiguous run. Tap (ci, t, k) → offset ((t·Cin + ci)·s + k mod s)·Lp + ⌊k/s⌋.
//   tconv  prep f32[kT][Cin][Lp], prep[t][ci][m] = x_{n−t}[ci][m − lead]: the row with `lead` zeros
//          in front. Tap (ci, t, k), phase q = k mod s → offset (t·Cin + ci)·Lp + lead + c_k with
//          c_k = (fo0_q + pad − k)/s (exact), since the input bin of output fo0_q + i·s is i + c_k.
//   (0 wherever the input bin falls outside [0, F).)
//
// Unstructured pruning leaves each entry's weight alone; structured (whole-kernel) pruning simply
// leaves fewer entries. MACs: Σ_entries n (conv: nnz·Fout), against Cout·Cin·kT·kF·Fout dense; the
// copy into prep costs kT·Cin·s·Lp stores per frame. Every offset is computed by the pack functions
// from the geometry, and checked there to keep offset + n ≤ prep floats (and, indexed, < 2^24; every
// value found in the table): the step never reads outside prep or the table, whatever the weights.
//
// Block layout (convSparseBytes; 16-byte aligned, written by convSparsePack / convTransposeSparsePack):
//   ConvSparse header | i32 starts[groups + 1] (entries of group g: [starts[g], starts[g+1]))
//   | pad to 16 | f32 table[K] (K = 0: none), pad to 16
//   | K = 0: (f32 value, u32 offset)[nnz];  K > 0: u32 (offset | index << 24)[nnz]

import { ringFrame, ringPush } from "./ring";
import { conv2dOutBins } from "./conv2d";
import { convTranspose2dOutBins } from "./conv-transpose2d";

/** Header of a sparse conv block (64 bytes). */
@unmanaged class ConvSparse {
  /** 0: Conv2d; 1: ConvTranspose2d. */
  transposed: i32;
  cin: i32;
  cout: i32;
  /** F, input bins. */
  bins: i32;
  /** Fout, output bins. */
  fout: i32;
  kT: i32;
  kF: i32;
  /** Frequency stride s. */
  stride: i32;
  /** conv: padL (low-frequency zeros); tconv: pad. */
  pad: i32;
  /** Output groups: Cout (conv) or s·Cout (tconv). */
  groups: i32;
  /** Lp, floats per prep row. */
  rowFloats: i32;
  /** tconv: zeros in front of each prep row; conv: 0. */
  lead: i32;
  /** Entries (stored nonzero weights). */
  nnz: i32;
  /** Multiplications per frame: Σ over entries of their group's output count. */
  macs: i32;
  /** Floats of prep scratch a step needs. */
  prepFloats: i32;
  /** K, values in the table of the indexed variant; 0: entries hold f32 values. */
  tableCount: i32;
}

const HEADER_BYTES: usize = 64;

// @ts-ignore: decorator
@inline function startsOf(cs: usize): usize {
  return cs + HEADER_BYTES;
}

/** 4·n rounded up to 16 bytes. */
// @ts-ignore: decorator
@inline function floats16(n: i32): usize {
  return (<usize>n * 4 + 15) & ~(<usize>15);
}

// @ts-ignore: decorator
@inline function tableOf(cs: usize): usize {
  return cs + HEADER_BYTES + floats16(changetype<ConvSparse>(cs).groups + 1);
}

// @ts-ignore: decorator
@inline function entriesOf(cs: usize): usize {
  return tableOf(cs) + floats16(changetype<ConvSparse>(cs).tableCount);
}

/** Largest prep offset an indexed entry can hold (24 bits). */
const INDEXED_OFFSET_MAX: i64 = 0xffffff;

/** First output bin fo ≥ 0 with (fo + pad) mod s = q (as conv-transpose2d.ts). */
// @ts-ignore: decorator
@inline function phaseFirstBin(q: i32, pad: i32, s: i32): i32 {
  return (((q - pad) % s) + s) % s;
}

/** Output bins of phase q: fo0_q, fo0_q + s, … < Fout. */
// @ts-ignore: decorator
@inline function phaseBins(fo0: i32, fout: i32, s: i32): i32 {
  return fo0 < fout ? (fout - fo0 + s - 1) / s : 0;
}

/** Nonzero values among f32[count] at w (the entries a sparse form of that weight holds). */
export function convSparseNonzeros(w: usize, count: i32): i32 {
  let n = 0;
  for (let i = 0; i < count; i++) if (load<f32>(w + (<usize>i << 2)) != 0) n++;
  return n;
}

/**
 * Bytes of a sparse conv block with `nnz` entries, `groups` output groups (Cout, or s·Cout transposed)
 * and a table of `tableCount` values (0: f32 entries; 1…256: indexed entries).
 */
export function convSparseBytes(nnz: i32, groups: i32, tableCount: i32): u32 {
  return <u32>(HEADER_BYTES + floats16(groups + 1) + floats16(tableCount) + (<usize>nnz << (tableCount > 0 ? 2 : 3)));
}

/** True when block cs is the indexed variant. */
export function convSparseIndexed(cs: usize): bool {
  return changetype<ConvSparse>(cs).tableCount > 0;
}

/** Floats of prep scratch convSparseStep needs for block cs. */
export function convSparsePrepFloats(cs: usize): i32 {
  return changetype<ConvSparse>(cs).prepFloats;
}

/** Multiplications per frame of block cs. */
export function convSparseMacs(cs: usize): i32 {
  return changetype<ConvSparse>(cs).macs;
}

/** Entries (stored nonzeros) of block cs. */
export function convSparseEntries(cs: usize): i32 {
  return changetype<ConvSparse>(cs).nnz;
}

/**
 * Writes the header and copies the table (f32[tableCount], ascending, distinct; 0 ≤ tableCount ≤ 256)
 * into block cs. Returns false for a table that is too long or not strictly ascending.
 */
function headerSet(
  cs: usize, transposed: i32, cin: i32, cout: i32, bins: i32, fout: i32, kT: i32, kF: i32, s: i32, pad: i32, groups: i32,
  table: usize, tableCount: i32,
): bool {
  const h = changetype<ConvSparse>(cs);
  h.transposed = transposed;
  h.cin = cin;
  h.cout = cout;
  h.bins = bins;
  h.fout = fout;
  h.kT = kT;
  h.kF = kF;
  h.stride = s;
  h.pad = pad;
  h.groups = groups;
  h.nnz = 0;
  h.macs = 0;
  if (tableCount < 0 || tableCount > 256) return false;
  h.tableCount = tableCount;
  for (let k = 0; k < tableCount; k++) {
    const v = load<f32>(table + (<usize>k << 2));
    if (k > 0 && !(v > load<f32>(table + (<usize>(k - 1) << 2)))) return false;
    store<f32>(tableOf(cs) + (<usize>k << 2), v);
  }
  return true;
}

/**
 * Stores entry e (value v, prep offset off) of block cs in its variant: (v, off), or off | index << 24
 * with v found in the table by binary search. False when v is not in the table or off needs > 24 bits.
 */
function entryPut(cs: usize, e: i32, v: f32, off: i32): bool {
  const ent = entriesOf(cs);
  const K = changetype<ConvSparse>(cs).tableCount;
  if (K == 0) {
    store<f32>(ent + (<usize>e << 3), v);
    store<u32>(ent + (<usize>e << 3), <u32>off, 4);
    return true;
  }
  if (<i64>off > INDEXED_OFFSET_MAX) return false;
  const table = tableOf(cs);
  let lo = 0, hi = K - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = load<f32>(table + (<usize>mid << 2));
    if (t == v) {
      store<u32>(ent + (<usize>e << 2), <u32>off | (<u32>mid << 24));
      return true;
    }
    if (t < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Records the prep geometry in the header: `Lp` floats per row, `lead` zeros in front (tconv),
 * `prep` floats in all. False when prep would not fit an i32 index.
 */
function prepSet(h: ConvSparse, Lp: i32, lead: i32, prep: i64): bool {
  if (prep > 0x3fffffff) return false;
  h.rowFloats = Lp;
  h.lead = lead;
  h.prepFloats = <i32>prep;
  return true;
}

/** Closes a pack: the end of the last group's entries, the entry count and the MACs (clamped to i32). */
function packFinish(cs: usize, entries: i32, macs: i64): void {
  const h = changetype<ConvSparse>(cs);
  store<i32>(startsOf(cs) + (<usize>h.groups << 2), entries);
  h.nnz = entries;
  h.macs = macs > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>macs;
}

/**
 * Writes the sparse form of a Conv2d weight w: f32[Cout][Cin][kT][kF] (PyTorch layout; the GCRN
 * gated pair [2·Cout][…] is one weight of 2·Cout outputs) into dst, convSparseBytes(nnz, Cout, K)
 * bytes with nnz = convSparseNonzeros(w, Cout·Cin·kT·kF). table: f32[K], ascending and distinct, the
 * values of the indexed variant (every nonzero of w among them), or K = 0 for f32 entries. Geometry as
 * conv2dStep. Returns false (dst unusable) when an offset would not fit or reach outside prep, or a
 * value is not in the table — not for any valid weight and geometry; the loader then fails the tensor.
 */
export function convSparsePack(
  dst: usize, w: usize, table: usize, tableCount: i32,
  cin: i32, cout: i32, bins: i32, kT: i32, kF: i32, strideF: i32, padL: i32, padR: i32,
): bool {
  const s = strideF;
  const fout = conv2dOutBins(bins, kF, s, padL, padR);
  if (!headerSet(dst, 0, cin, cout, bins, fout, kT, kF, s, padL, cout, table, tableCount)) return false;
  const h = changetype<ConvSparse>(dst);
  const Lp = fout + (kF - 1) / s;
  const prep = <i64>kT * <i64>cin * <i64>s * <i64>Lp;
  if (!prepSet(h, Lp, 0, prep)) return false;
  const starts = startsOf(dst);
  let e = 0;
  let macs: i64 = 0;
  for (let co = 0; co < cout; co++) {
    store<i32>(starts + (<usize>co << 2), e);
    for (let ci = 0; ci < cin; ci++) {
      for (let t = 0; t < kT; t++) {
        const row = w + (<usize>(((co * cin + ci) * kT + t) * kF) << 2);
        for (let k = 0; k < kF; k++) {
          const v = load<f32>(row + (<usize>k << 2));
          if (v == 0) continue;
          const off = (((t * cin + ci) * s + k % s) * Lp) + k / s;
          if (<i64>off + <i64>fout > prep) return false; // unreachable for valid geometry; kept as the load-time check
          if (!entryPut(dst, e, v, off)) return false;
          e++;
          macs += fout;
        }
      }
    }
  }
  packFinish(dst, e, macs);
  return true;
}

/**
 * Writes the sparse form of a ConvTranspose2d weight w: f32[Cin][Cout][kT][kF] (PyTorch layout) into
 * dst, convSparseBytes(nnz, s·Cout, K) bytes; table as convSparsePack. Geometry as
 * convTranspose2dStep (0 ≤ outPad < s). Returns false as convSparsePack does.
 */
export function convTransposeSparsePack(
  dst: usize, w: usize, table: usize, tableCount: i32,
  cin: i32, cout: i32, bins: i32, kT: i32, kF: i32, strideF: i32, pad: i32, outPad: i32,
): bool {
  const s = strideF;
  const fout = convTranspose2dOutBins(bins, kF, s, pad, outPad);
  if (!headerSet(dst, 1, cin, cout, bins, fout, kT, kF, s, pad, s * cout, table, tableCount)) return false;
  const h = changetype<ConvSparse>(dst);
  // lead: zeros before each row so that the lowest input bin any tap reads, i + c_k ≥ −lead;
  // Lp: past the highest, lead + c_k + n_q − 1, and at least lead + F (the copied row).
  let lead = 0;
  let hi = bins;
  for (let q = 0; q < s; q++) {
    const fo0 = phaseFirstBin(q, pad, s);
    const n = phaseBins(fo0, fout, s);
    if (n == 0) continue;
    for (let k = q; k < kF; k += s) {
      const c = (fo0 + pad - k) / s;
      lead = max(lead, -c);
      hi = max(hi, c + n);
    }
  }
  const Lp = lead + hi;
  const prep = <i64>kT * <i64>cin * <i64>Lp;
  if (!prepSet(h, Lp, lead, prep)) return false;
  const starts = startsOf(dst);
  let e = 0;
  let macs: i64 = 0;
  for (let q = 0; q < s; q++) {
    const fo0 = phaseFirstBin(q, pad, s);
    const n = phaseBins(fo0, fout, s);
    for (let co = 0; co < cout; co++) {
      store<i32>(starts + (<usize>(q * cout + co) << 2), e);
      if (n == 0) continue; // a phase with no output bins: its taps never land
      for (let ci = 0; ci < cin; ci++) {
        for (let t = 0; t < kT; t++) {
          const row = w + (<usize>(((ci * cout + co) * kT + t) * kF) << 2);
          for (let k = q; k < kF; k += s) {
            const v = load<f32>(row + (<usize>k << 2));
            if (v == 0) continue;
            const off = (t * cin + ci) * Lp + lead + (fo0 + pad - k) / s;
            if (off < 0 || <i64>off + <i64>n > prep) return false; // unreachable for valid geometry
            if (!entryPut(dst, e, v, off)) return false;
            e++;
            macs += n;
          }
        }
      }
    }
  }
  packFinish(dst, e, macs);
  return true;
}

/** Stores the 4 lanes of a at y[(j + l)·ys], l < 4 (ys in floats). */
// @ts-ignore: decorator
@inline function store4(y: usize, ys: i32, j: i32, a: v128): void {
  if (ys == 1) {
    v128.store(y + (<usize>j << 2), a);
  } else {
    const step = <usize>ys << 2;
    const p = y + ((<usize>j * <usize>ys) << 2);
    store<f32>(p, f32x4.extract_lane(a, 0));
    store<f32>(p + step, f32x4.extract_lane(a, 1));
    store<f32>(p + 2 * step, f32x4.extract_lane(a, 2));
    store<f32>(p + 3 * step, f32x4.extract_lane(a, 3));
  }
}

/** acc + w · prep-row vector at float j (xp: the entry's row start). */
// @ts-ignore: decorator
@inline function tap(acc: v128, w: v128, xp: usize, j: i32): v128 {
  return f32x4.add(acc, f32x4.mul(w, v128.load(xp + (<usize>j << 2))));
}

// Entries, generic over the variant: T = f32 — (f32 value, u32 offset) pairs; T = u32 — u32
// offset | index << 24 into the block's table. The branches fold at compile time.

/** Entry e's weight. */
// @ts-ignore: decorator
@inline function entryValue<T>(ent: usize, table: usize, e: i32): f32 {
  if (isFloat<T>()) return load<f32>(ent + (<usize>e << 3));
  return load<f32>(table + (<usize>(load<u32>(ent + (<usize>e << 2)) >>> 24) << 2));
}

/** Entry e's prep offset, floats. */
// @ts-ignore: decorator
@inline function entryOffset<T>(ent: usize, e: i32): usize {
  if (isFloat<T>()) return <usize>load<u32>(ent + (<usize>e << 3), 4);
  return <usize>(load<u32>(ent + (<usize>e << 2)) & 0xffffff);
}

/** Entry e's weight, splat. */
// @ts-ignore: decorator
@inline function entryWeight<T>(ent: usize, table: usize, e: i32): v128 {
  return f32x4.splat(entryValue<T>(ent, table, e));
}

/** Entry e's row start in prep (byte address). */
// @ts-ignore: decorator
@inline function entryRow<T>(ent: usize, prep: usize, e: i32): usize {
  return prep + (entryOffset<T>(ent, e) << 2);
}

/**
 * Four output vectors at floats j0…j3 of the group (duplicates allowed) = bias + Σ_e value_e · row_e,
 * entries in order (four independent accumulator chains already hide the f32x4.add latency).
 */
function pass4<T>(y: usize, ys: i32, prep: usize, ent: usize, table: usize, e0: i32, e1: i32, bv: v128, j0: i32, j1: i32, j2: i32, j3: i32): void {
  let a0 = bv, a1 = bv, a2 = bv, a3 = bv;
  for (let e = e0; e < e1; e++) {
    const w = entryWeight<T>(ent, table, e), x = entryRow<T>(ent, prep, e);
    a0 = tap(a0, w, x, j0); a1 = tap(a1, w, x, j1); a2 = tap(a2, w, x, j2); a3 = tap(a3, w, x, j3);
  }
  store4(y, ys, j0, a0);
  store4(y, ys, j1, a1);
  store4(y, ys, j2, a2);
  store4(y, ys, j3, a3);
}

/** Three output vectors at floats j0, j1, j2: as pass4. */
function pass3<T>(y: usize, ys: i32, prep: usize, ent: usize, table: usize, e0: i32, e1: i32, bv: v128, j0: i32, j1: i32, j2: i32): void {
  let a0 = bv, a1 = bv, a2 = bv;
  for (let e = e0; e < e1; e++) {
    const w = entryWeight<T>(ent, table, e), x = entryRow<T>(ent, prep, e);
    a0 = tap(a0, w, x, j0); a1 = tap(a1, w, x, j1); a2 = tap(a2, w, x, j2);
  }
  store4(y, ys, j0, a0);
  store4(y, ys, j1, a1);
  store4(y, ys, j2, a2);
}

/**
 * Two output vectors at floats j0, j1: entries two at a time into two accumulator sets, summed at
 * the end (with one chain per vector the f32x4.add latency, not the loads, would bound the loop —
 * the case of GCRN's 4–9-bin layers).
 */
function pass2<T>(y: usize, ys: i32, prep: usize, ent: usize, table: usize, e0: i32, e1: i32, bv: v128, j0: i32, j1: i32): void {
  const z = f32x4.splat(0);
  let a0 = bv, a1 = bv, b0 = z, b1 = z;
  let e = e0;
  for (; e + 2 <= e1; e += 2) {
    const w = entryWeight<T>(ent, table, e), x = entryRow<T>(ent, prep, e);
    const v = entryWeight<T>(ent, table, e + 1), u = entryRow<T>(ent, prep, e + 1);
    a0 = tap(a0, w, x, j0); a1 = tap(a1, w, x, j1);
    b0 = tap(b0, v, u, j0); b1 = tap(b1, v, u, j1);
  }
  if (e < e1) {
    const w = entryWeight<T>(ent, table, e), x = entryRow<T>(ent, prep, e);
    a0 = tap(a0, w, x, j0); a1 = tap(a1, w, x, j1);
  }
  store4(y, ys, j0, f32x4.add(a0, b0));
  store4(y, ys, j1, f32x4.add(a1, b1));
}

/** One output vector at float j0: entries four at a time into four accumulators, summed at the end. */
function pass1<T>(y: usize, ys: i32, prep: usize, ent: usize, table: usize, e0: i32, e1: i32, bv: v128, j0: i32): void {
  const z = f32x4.splat(0);
  let a = bv, b = z, c = z, d = z;
  let e = e0;
  for (; e + 4 <= e1; e += 4) {
    a = tap(a, entryWeight<T>(ent, table, e), entryRow<T>(ent, prep, e), j0);
    b = tap(b, entryWeight<T>(ent, table, e + 1), entryRow<T>(ent, prep, e + 1), j0);
    c = tap(c, entryWeight<T>(ent, table, e + 2), entryRow<T>(ent, prep, e + 2), j0);
    d = tap(d, entryWeight<T>(ent, table, e + 3), entryRow<T>(ent, prep, e + 3), j0);
  }
  for (; e < e1; e++) a = tap(a, entryWeight<T>(ent, table, e), entryRow<T>(ent, prep, e), j0);
  store4(y, ys, j0, f32x4.add(f32x4.add(a, b), f32x4.add(c, d)));
}

/**
 * One group: y[i·ys] = bias + Σ_{e0 ≤ e < e1} value_e · prep[offset_e + i] for i < n (entries of
 * variant T, see entryValue).
 * SIMD: blocks of 16 outputs (pass4), then one pass for the last < 16 whose final vector overlaps
 * its neighbour (the overlapped lanes are stored twice, both times a correct sum). Scalar: 4 outputs
 * per pass over the entries, then one at a time.
 */
function groupRun<T>(y: usize, ys: i32, n: i32, prep: usize, ent: usize, table: usize, e0: i32, e1: i32, bias: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const bv = f32x4.splat(bias);
    for (; i + 16 <= n; i += 16) pass4<T>(y, ys, prep, ent, table, e0, e1, bv, i, i + 4, i + 8, i + 12);
    const r = n - i;
    const last = n - 4;
    if (r > 12) pass4<T>(y, ys, prep, ent, table, e0, e1, bv, i, i + 4, i + 8, last);
    else if (r > 8) pass3<T>(y, ys, prep, ent, table, e0, e1, bv, i, i + 4, last);
    else if (r > 4) pass2<T>(y, ys, prep, ent, table, e0, e1, bv, i, last);
    else if (r > 0 && n >= 4) pass1<T>(y, ys, prep, ent, table, e0, e1, bv, last);
    if (n >= 4) return;
  } else {
    for (; i + 4 <= n; i += 4) {
      let s0 = bias, s1 = bias, s2 = bias, s3 = bias;
      for (let e = e0; e < e1; e++) {
        const v = entryValue<T>(ent, table, e);
        const xp = prep + ((entryOffset<T>(ent, e) + <usize>i) << 2);
        s0 += v * load<f32>(xp);
        s1 += v * load<f32>(xp, 4);
        s2 += v * load<f32>(xp, 8);
        s3 += v * load<f32>(xp, 12);
      }
      const step = <usize>ys << 2;
      const yp = y + ((<usize>i * <usize>ys) << 2);
      store<f32>(yp, s0);
      store<f32>(yp + step, s1);
      store<f32>(yp + 2 * step, s2);
      store<f32>(yp + 3 * step, s3);
    }
  }
  for (; i < n; i++) {
    let acc = bias;
    for (let e = e0; e < e1; e++) {
      acc += entryValue<T>(ent, table, e) * load<f32>(prep + ((entryOffset<T>(ent, e) + <usize>i) << 2));
    }
    store<f32>(y + ((<usize>i * <usize>ys) << 2), acc);
  }
}

/** conv prep: prep[t][ci][p][m] = x_{lag kT−1−t}[ci][m·s + p − padL], 0 outside [0, F). */
function prepConv(h: ConvSparse, prep: usize, x: usize, ring: usize, pos: i32, frameBytes: usize): void {
  const kT = h.kT, cin = h.cin, F = h.bins, s = h.stride, Lp = h.rowFloats, padL = h.pad;
  const L = kT - 1;
  let dst = prep;
  for (let t = 0; t < kT; t++) {
    const m = kT - 1 - t; // lag of tap t
    const src = m == 0 ? x : ringFrame(ring, pos, L, m, frameBytes);
    for (let ci = 0; ci < cin; ci++) {
      const srow = src + ((<usize>ci * <usize>F) << 2);
      for (let p = 0; p < s; p++) {
        // j in [lo, hi) reads bin j·s + p − padL inside [0, F); the few outside are the zero padding.
        let lo = 0, hi = Lp;
        while (lo < hi && lo * s + p - padL < 0) lo++;
        while (hi > lo && (hi - 1) * s + p - padL >= F) hi--;
        for (let j = 0; j < lo; j++) store<f32>(dst + (<usize>j << 2), 0);
        const src0 = srow + (<usize>(p - padL) << 2); // bin j·s + p − padL = src0 + j·s floats (≥ 0 for j ≥ lo)
        for (let j = lo; j < hi; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src0 + ((<usize>j * <usize>s) << 2)));
        for (let j = hi; j < Lp; j++) store<f32>(dst + (<usize>j << 2), 0);
        dst += <usize>Lp << 2;
      }
    }
  }
}

/** tconv prep: prep[t][ci][m] = x_{lag t}[ci][m − lead], 0 outside [0, F). */
function prepTranspose(h: ConvSparse, prep: usize, x: usize, ring: usize, pos: i32, frameBytes: usize): void {
  const kT = h.kT, cin = h.cin, F = h.bins, Lp = h.rowFloats, lead = h.lead;
  const L = kT - 1;
  const tail = Lp - lead - F;
  let dst = prep;
  for (let t = 0; t < kT; t++) {
    const src = t == 0 ? x : ringFrame(ring, pos, L, t, frameBytes);
    for (let ci = 0; ci < cin; ci++) {
      if (lead > 0) memory.fill(dst, 0, <usize>lead << 2);
      memory.copy(dst + (<usize>lead << 2), src + ((<usize>ci * <usize>F) << 2), <usize>F << 2);
      if (tail > 0) memory.fill(dst + (<usize>(lead + F) << 2), 0, <usize>tail << 2);
      dst += <usize>Lp << 2;
    }
  }
}

/**
 * One frame of a pruned conv2d or transposed conv2d (block cs from convSparsePack /
 * convTransposeSparsePack); returns the next ring position. Same contract as conv2dStep /
 * convTranspose2dStep:
 *   y:    f32[Cout][Fout] output (not overlapping x, ring, prep)
 *   x:    f32[Cin][F] current input frame; ring: f32[kT−1][Cin][F] past frames (0 when kT = 1); pos: state
 *   b:    f32[Cout] or 0
 *   prep: f32 scratch of convSparsePrepFloats(cs) floats
 */
export function convSparseStep(y: usize, x: usize, ring: usize, pos: i32, cs: usize, b: usize, prep: usize): i32 {
  const h = changetype<ConvSparse>(cs);
  const frameBytes = (<usize>h.cin * <usize>h.bins) << 2;
  const starts = startsOf(cs);
  const ent = entriesOf(cs);
  const table = tableOf(cs);
  const indexed = h.tableCount > 0;
  const cout = h.cout, fout = h.fout;
  if (h.transposed == 0) {
    prepConv(h, prep, x, ring, pos, frameBytes);
    for (let co = 0; co < cout; co++) {
      const bias: f32 = b != 0 ? load<f32>(b + (<usize>co << 2)) : 0;
      const e0 = load<i32>(starts + (<usize>co << 2)), e1 = load<i32>(starts + (<usize>co << 2), 4);
      const yc = y + ((<usize>co * <usize>fout) << 2);
      if (indexed) groupRun<u32>(yc, 1, fout, prep, ent, table, e0, e1, bias);
      else groupRun<f32>(yc, 1, fout, prep, ent, table, e0, e1, bias);
    }
  } else {
    prepTranspose(h, prep, x, ring, pos, frameBytes);
    const s = h.stride;
    for (let q = 0; q < s; q++) {
      const fo0 = phaseFirstBin(q, h.pad, s);
      const n = phaseBins(fo0, fout, s);
      if (n == 0) continue;
      for (let co = 0; co < cout; co++) {
        const bias: f32 = b != 0 ? load<f32>(b + (<usize>co << 2)) : 0;
        const g = q * cout + co;
        const e0 = load<i32>(starts + (<usize>g << 2)), e1 = load<i32>(starts + (<usize>g << 2), 4);
        const yc = y + ((<usize>co * <usize>fout + <usize>fo0) << 2);
        if (indexed) groupRun<u32>(yc, s, n, prep, ent, table, e0, e1, bias);
        else groupRun<f32>(yc, s, n, prep, ent, table, e0, e1, bias);
      }
    }
  }
  return ringPush(ring, pos, h.kT - 1, x, frameBytes);
}
