// Pruned 2-D convolutions, one new time frame per call: the sparse forms of conv2dStep (conv2d.ts)
// and convTranspose2dStep (conv-transpose2d.ts), with the same PyTorch semantics, arguments and
// ring convention (ring.ts), so a net swaps one for the other per tensor at load time.
//
// Form: per output group g — g = co for a conv; g = q·Cout + co for a transposed conv with frequency
// stride s, over its s output phases q (conv-transpose2d.ts: output bins fo ≡ q − pad mod s only meet
// the taps k ≡ q mod s) — the list of the group's nonzero weights, each an entry
// (f32 value, u32 offset). A group is then a sum of shifted, scaled input rows:
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
// from the geometry, and checked there to keep offset + n ≤ prep floats: the step never reads
// outside prep, whatever the weights.
//
// Block layout (convSparseBytes; 16-byte aligned, written by convSparsePack / convTransposeSparsePack):
//   ConvSparse header | i32 starts[groups + 1] (entries of group g: [starts[g], starts[g+1]))
//   | pad to 16 | (f32 value, u32 offset)[nnz]

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
  reserved: i32;
}

const HEADER_BYTES: usize = 64;

// @ts-ignore: decorator
@inline function startsOf(cs: usize): usize {
  return cs + HEADER_BYTES;
}

// @ts-ignore: decorator
@inline function entriesOf(cs: usize): usize {
  const h = changetype<ConvSparse>(cs);
  return cs + HEADER_BYTES + ((<usize>(h.groups + 1) * 4 + 15) & ~(<usize>15));
}

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

/** Bytes of a sparse conv block with `nnz` entries and `groups` output groups (Cout, or s·Cout transposed). */
export function convSparseBytes(nnz: i32, groups: i32): u32 {
  return <u32>(HEADER_BYTES + ((<usize>(groups + 1) * 4 + 15) & ~(<usize>15)) + (<usize>nnz << 3));
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

function headerSet(cs: usize, transposed: i32, cin: i32, cout: i32, bins: i32, fout: i32, kT: i32, kF: i32, s: i32, pad: i32, groups: i32): ConvSparse {
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
  h.reserved = 0;
  return h;
}

/**
 * Writes the sparse form of a Conv2d weight w: f32[Cout][Cin][kT][kF] (PyTorch layout; the GCRN
 * gated pair [2·Cout][…] is one weight of 2·Cout outputs) into dst, convSparseBytes(nnz, Cout)
 * bytes with nnz = convSparseNonzeros(w, Cout·Cin·kT·kF). Geometry as conv2dStep. Returns false
 * (dst unusable) when an offset would not fit a u32 or reach outside prep — not for any geometry
 * the nets use; the loader then fails the tensor.
 */
export function convSparsePack(
  dst: usize, w: usize, cin: i32, cout: i32, bins: i32, kT: i32, kF: i32, strideF: i32, padL: i32, padR: i32,
): bool {
  const s = strideF;
  const fout = conv2dOutBins(bins, kF, s, padL, padR);
  const h = headerSet(dst, 0, cin, cout, bins, fout, kT, kF, s, padL, cout);
  const Lp = fout + (kF - 1) / s;
  const prep = <i64>kT * <i64>cin * <i64>s * <i64>Lp;
  if (prep > 0x3fffffff) return false;
  h.rowFloats = Lp;
  h.lead = 0;
  h.prepFloats = <i32>prep;
  const starts = startsOf(dst);
  const ent = entriesOf(dst);
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
          store<f32>(ent + (<usize>e << 3), v);
          store<u32>(ent + (<usize>e << 3), <u32>off, 4);
          e++;
          macs += fout;
        }
      }
    }
  }
  store<i32>(starts + (<usize>cout << 2), e);
  h.nnz = e;
  h.macs = macs > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>macs;
  return true;
}

/**
 * Writes the sparse form of a ConvTranspose2d weight w: f32[Cin][Cout][kT][kF] (PyTorch layout) into
 * dst, convSparseBytes(nnz, s·Cout) bytes. Geometry as convTranspose2dStep (0 ≤ outPad < s).
 * Returns false as convSparsePack does.
 */
export function convTransposeSparsePack(
  dst: usize, w: usize, cin: i32, cout: i32, bins: i32, kT: i32, kF: i32, strideF: i32, pad: i32, outPad: i32,
): bool {
  const s = strideF;
  const fout = convTranspose2dOutBins(bins, kF, s, pad, outPad);
  const h = headerSet(dst, 1, cin, cout, bins, fout, kT, kF, s, pad, s * cout);
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
  if (prep > 0x3fffffff) return false;
  h.rowFloats = Lp;
  h.lead = lead;
  h.prepFloats = <i32>prep;
  const starts = startsOf(dst);
  const ent = entriesOf(dst);
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
            store<f32>(ent + (<usize>e << 3), v);
            store<u32>(ent + (<usize>e << 3), <u32>off, 4);
            e++;
            macs += n;
          }
        }
      }
    }
  }
  store<i32>(starts + (<usize>(s * cout) << 2), e);
  h.nnz = e;
  h.macs = macs > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>macs;
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

/** Entry e's value, splat. */
// @ts-ignore: decorator
@inline function entryWeight(ent: usize, e: i32): v128 {
  return f32x4.splat(load<f32>(ent + (<usize>e << 3)));
}

/** Entry e's row start in prep (byte address). */
// @ts-ignore: decorator
@inline function entryRow(ent: usize, prep: usize, e: i32): usize {
  return prep + (<usize>load<u32>(ent + (<usize>e << 3), 4) << 2);
}

/**
 * Four output vectors at floats j0…j3 of the group (duplicates allowed) = bias + Σ_e value_e · row_e,
 * entries in order (four independent accumulator chains already hide the f32x4.add latency).
 */
function pass4(y: usize, ys: i32, prep: usize, ent: usize, e0: i32, e1: i32, bv: v128, j0: i32, j1: i32, j2: i32, j3: i32): void {
  let a0 = bv, a1 = bv, a2 = bv, a3 = bv;
  for (let e = e0; e < e1; e++) {
    const w = entryWeight(ent, e), x = entryRow(ent, prep, e);
    a0 = tap(a0, w, x, j0); a1 = tap(a1, w, x, j1); a2 = tap(a2, w, x, j2); a3 = tap(a3, w, x, j3);
  }
  store4(y, ys, j0, a0);
  store4(y, ys, j1, a1);
  store4(y, ys, j2, a2);
  store4(y, ys, j3, a3);
}

/** Three output vectors at floats j0, j1, j2: as pass4. */
function pass3(y: usize, ys: i32, prep: usize, ent: usize, e0: i32, e1: i32, bv: v128, j0: i32, j1: i32, j2: i32): void {
  let a0 = bv, a1 = bv, a2 = bv;
  for (let e = e0; e < e1; e++) {
    const w = entryWeight(ent, e), x = entryRow(ent, prep, e);
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
function pass2(y: usize, ys: i32, prep: usize, ent: usize, e0: i32, e1: i32, bv: v128, j0: i32, j1: i32): void {
  const z = f32x4.splat(0);
  let a0 = bv, a1 = bv, b0 = z, b1 = z;
  let e = e0;
  for (; e + 2 <= e1; e += 2) {
    const w = entryWeight(ent, e), x = entryRow(ent, prep, e);
    const v = entryWeight(ent, e + 1), u = entryRow(ent, prep, e + 1);
    a0 = tap(a0, w, x, j0); a1 = tap(a1, w, x, j1);
    b0 = tap(b0, v, u, j0); b1 = tap(b1, v, u, j1);
  }
  if (e < e1) {
    const w = entryWeight(ent, e), x = entryRow(ent, prep, e);
    a0 = tap(a0, w, x, j0); a1 = tap(a1, w, x, j1);
  }
  store4(y, ys, j0, f32x4.add(a0, b0));
  store4(y, ys, j1, f32x4.add(a1, b1));
}

/** One output vector at float j0: entries four at a time into four accumulators, summed at the end. */
function pass1(y: usize, ys: i32, prep: usize, ent: usize, e0: i32, e1: i32, bv: v128, j0: i32): void {
  const z = f32x4.splat(0);
  let a = bv, b = z, c = z, d = z;
  let e = e0;
  for (; e + 4 <= e1; e += 4) {
    a = tap(a, entryWeight(ent, e), entryRow(ent, prep, e), j0);
    b = tap(b, entryWeight(ent, e + 1), entryRow(ent, prep, e + 1), j0);
    c = tap(c, entryWeight(ent, e + 2), entryRow(ent, prep, e + 2), j0);
    d = tap(d, entryWeight(ent, e + 3), entryRow(ent, prep, e + 3), j0);
  }
  for (; e < e1; e++) a = tap(a, entryWeight(ent, e), entryRow(ent, prep, e), j0);
  store4(y, ys, j0, f32x4.add(f32x4.add(a, b), f32x4.add(c, d)));
}

/**
 * One group: y[i·ys] = bias + Σ_{e0 ≤ e < e1} value_e · prep[offset_e + i] for i < n.
 * SIMD: blocks of 16 outputs (pass4), then one pass for the last < 16 whose final vector overlaps
 * its neighbour (the overlapped lanes are stored twice, both times a correct sum). Scalar: 4 outputs
 * per pass over the entries, then one at a time.
 */
function groupRun(y: usize, ys: i32, n: i32, prep: usize, ent: usize, e0: i32, e1: i32, bias: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const bv = f32x4.splat(bias);
    for (; i + 16 <= n; i += 16) pass4(y, ys, prep, ent, e0, e1, bv, i, i + 4, i + 8, i + 12);
    const r = n - i;
    const last = n - 4;
    if (r > 12) pass4(y, ys, prep, ent, e0, e1, bv, i, i + 4, i + 8, last);
    else if (r > 8) pass3(y, ys, prep, ent, e0, e1, bv, i, i + 4, last);
    else if (r > 4) pass2(y, ys, prep, ent, e0, e1, bv, i, last);
    else if (r > 0 && n >= 4) pass1(y, ys, prep, ent, e0, e1, bv, last);
    if (n >= 4) return;
  } else {
    for (; i + 4 <= n; i += 4) {
      let s0 = bias, s1 = bias, s2 = bias, s3 = bias;
      for (let e = e0; e < e1; e++) {
        const p = ent + (<usize>e << 3);
        const v = load<f32>(p);
        const xp = prep + ((<usize>load<u32>(p, 4) + <usize>i) << 2);
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
      const p = ent + (<usize>e << 3);
      acc += load<f32>(p) * load<f32>(prep + ((<usize>load<u32>(p, 4) + <usize>i) << 2));
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
        for (let j = 0; j < Lp; j++) {
          const fi = j * s + p - padL;
          store<f32>(dst + (<usize>j << 2), fi >= 0 && fi < F ? load<f32>(srow + (<usize>fi << 2)) : 0);
        }
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
  const cout = h.cout, fout = h.fout;
  if (h.transposed == 0) {
    prepConv(h, prep, x, ring, pos, frameBytes);
    for (let co = 0; co < cout; co++) {
      const bias: f32 = b != 0 ? load<f32>(b + (<usize>co << 2)) : 0;
      const e0 = load<i32>(starts + (<usize>co << 2)), e1 = load<i32>(starts + (<usize>co << 2), 4);
      groupRun(y + ((<usize>co * <usize>fout) << 2), 1, fout, prep, ent, e0, e1, bias);
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
        groupRun(y + ((<usize>co * <usize>fout + <usize>fo0) << 2), s, n, prep, ent, e0, e1, bias);
      }
    }
  }
  return ringPush(ring, pos, h.kT - 1, x, frameBytes);
}
