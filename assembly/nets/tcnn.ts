// TCNN (Pandey & Wang ICASSP 2019; Tan & Wang TASLP 2021 §III-B3) streaming, one 10-ms hop per call:
//   hop → frame x[160t − 160, 160t + 160) as [1][320]
//       → encoder j = 0…N−1: causal Conv2d (kernel_frames × kernel_samples, stride (1, s_j),
//         padding p_j on the sample axis) → BN → PReLU = e_j [C_j][W_{j+1}]
//       → TCM on f = e_{N−1} as F = C·W features: per residual block b, 1×1 conv F→M_b → PReLU →
//         BN → depthwise causal dilated conv (k, d) → PReLU → BN → 1×1 conv M_b→F, f += that
//       → decoder j = N−1…0 on cat(e_j, previous): causal ConvTranspose2d → BN → PReLU = D_j
//         channels (D_j = C_{j−1} unless channel pruning narrowed the decoder apart)
//       → enhanced frame [320] → 50 % overlap-add (mean of the two frames covering a sample) → hop
// (src/models/tcnn.ts is the libtorch definition; geometry from the .hush hyper-parameters via
// runtime/core/nets.ts mirroring src/models/tcnnLayout.ts.) A BatchNorm folded into its conv at
// export (HUSH_TF_BN_FOLDED) has bn = 0 here and is skipped. A pruned encoder / decoder kernel may be
// loaded in the sparse form (the plan's choice, runtime/core/plan.ts; nn/conv-sparse.ts) instead of dense.
//
// Stream state: the framing memories; each encoder conv's ring of its last kernel_frames − 1 input
// frames, each depthwise conv's ring of (k − 1)·d frames, each decoder's ring of its last
// kernel_frames − 1 inputs (assembly/nn/ring.ts), and their positions. The encoder outputs e_j are
// per-hop scratch (the decoder reads them in the same hop).
//
// Latency: the framing's, 320 samples (one hop of buffering + 160 samples of overlap-add delay),
// the same as the STFT nets: every conv is causal and emits frame t when frame t arrives.

import { memAlloc } from "../mem";
import { HOP_SAMPLES, WINDOW_SAMPLES, STFT_LATENCY_SAMPLES } from "../dsp/constants";
import { framingAnalyzeHop, framingCreate, framingReset, framingSynthesizeHop } from "../dsp/framing";
import { preluApply } from "../nn/activation";
import { batchNormAffine } from "../nn/batch-norm";
import { conv2dPatchFloats, conv2dStep } from "../nn/conv2d";
import { convTranspose2dPatchFloats, convTranspose2dStep } from "../nn/conv-transpose2d";
import { convSparsePrepFloats, convSparseStep } from "../nn/conv-sparse";
import { depthwiseConv1dStep } from "../nn/conv1d-depthwise";
import { arenaFloats, arenaTake } from "./arena";
import { hopFinite, hopSanitize, hopSilence } from "./guard";
import { Mat, matApply, matApplyAcc } from "./mat";
import { recordAt, recordsCreate } from "./records";

/** Encoder layer j: conv → BN (unless folded) → PReLU. */
@unmanaged class TcnnEncoder {
  w: usize; //      f32[Cout][Cin][kT][kF] (PyTorch layout), or its conv-sparse.ts block when sparse
  sparse: bool;
  b: usize; //      f32[Cout]
  bn: usize; //     f32[2][Cout] scale, shift; 0 when folded into w, b
  slope: usize; //  PReLU slopes f32[slopes]
  slopes: i32; //   1 (shared) or Cout
  cin: i32;
  cout: i32;
  binsIn: i32;
  binsOut: i32;
  stride: i32;
  pad: i32;
}

/** One TCM residual block. */
@unmanaged class TcnnBlock {
  inMat: usize; //    Mat [M][F] (conv_in, 1×1)
  inBias: usize;
  inSlope: usize;
  inSlopes: i32;
  inBn: usize; //     f32[2][M]
  dw: usize; //       f32[M][k] depthwise kernel
  dwBias: usize;
  dwSlope: usize;
  dwSlopes: i32;
  dwBn: usize; //     f32[2][M]
  outMat: usize; //   Mat [F][M] (conv_out, 1×1)
  outBias: usize;
  dilation: i32;
  channels: i32; //   M_b, this block's hidden channels (channel pruning narrows blocks apart)
}

/** Decoder layer j: transposed conv (packed) → BN (unless folded) → PReLU. */
@unmanaged class TcnnDecoder {
  w: usize; //      convTranspose2dPack of f32[Cin][Cout][kT][kF], or its conv-sparse.ts block when sparse
  sparse: bool;
  b: usize;
  bn: usize;
  slope: usize;
  slopes: i32;
  cin: i32; //      C_j + D_{j+1} (C_{N−1} + C_{N−1} for j = N − 1)
  cout: i32; //     D_j, 1 for j = 0
  binsIn: i32; //   W_{j+1}
  binsOut: i32; //  W_j
  stride: i32;
  pad: i32;
  outPad: i32;
}

/** Read-only after load. */
@unmanaged class TcnnWeights {
  layers: i32; //      N encoder (= decoder) layers
  kT: i32; //          kernel_frames
  kF: i32; //          kernel_samples
  blocks: i32; //      TCM residual blocks (stacks × dilations)
  channels: i32; //    max M_b over the TCM blocks (scratch size)
  features: i32; //    F = C_{N−1}·W_N
  tcmKernel: i32; //   depthwise kernel k
  tmpFloats: i32;
  enc: usize; //       TcnnEncoder[N]
  tcm: usize; //       TcnnBlock[blocks]
  dec: usize; //       TcnnDecoder[N], layer j at j
}

/** The stream. */
@unmanaged class TcnnState {
  framing: usize; //   streaming framer / overlap-adder (assembly/dsp/framing.ts)
  rings: usize; //     every ring buffer, one block of ringBytes
  ringBytes: i32;
  ring: usize; //      usize[2N + blocks]: encoder j at j, TCM block b at N + b, decoder j at N + blocks + j
  pos: usize; //       i32[2N + blocks]: ring positions, same order
}

/** Per-hop buffers (f32). */
@unmanaged class TcnnScratch {
  hop: usize; //    [160]
  frame: usize; //  [320] input frame [1][320]
  out: usize; //    [320] enhanced frame
  skip: usize; //   usize[N]: e_j, each [C_j][W_{j+1}]
  f: usize; //      [F] TCM features
  y1: usize; //     [max M_b]
  y2: usize; //     [max M_b]
  catA: usize; //   [max 2·C_j·W_{j+1}] decoder input, ping
  catB: usize; //   pong
  patch: usize; //  conv im2col scratch, or a sparse conv's prep rows (conv-sparse.ts)
  tmp: usize; //    Mat scratch
}

export function tcnnWeightsCreate(layers: i32, kT: i32, kF: i32, blocks: i32, channels: i32, features: i32, tcmKernel: i32): usize {
  const p = memAlloc(<u32>offsetof<TcnnWeights>());
  if (p == 0) return 0;
  const w = changetype<TcnnWeights>(p);
  w.layers = layers;
  w.kT = kT;
  w.kF = kF;
  w.blocks = blocks;
  w.channels = channels;
  w.features = features;
  w.tcmKernel = tcmKernel;
  w.enc = recordsCreate<TcnnEncoder>(layers);
  w.tcm = recordsCreate<TcnnBlock>(blocks);
  w.dec = recordsCreate<TcnnDecoder>(layers);
  return w.enc && w.tcm && w.dec ? p : 0;
}

/** Encoder layer j (0-based). bn = 0 when folded; slopes = elements of the PReLU weight; sparse: wt is a conv-sparse.ts block. */
export function tcnnWeightsSetEncoder(
  weights: usize, j: i32, wt: usize, b: usize, bn: usize, slope: usize, slopes: i32,
  cin: i32, cout: i32, binsIn: i32, binsOut: i32, stride: i32, pad: i32, sparse: bool,
): void {
  const e = recordAt<TcnnEncoder>(changetype<TcnnWeights>(weights).enc, j);
  e.w = wt;
  e.sparse = sparse;
  e.b = b;
  e.bn = bn;
  e.slope = slope;
  e.slopes = slopes;
  e.cin = cin;
  e.cout = cout;
  e.binsIn = binsIn;
  e.binsOut = binsOut;
  e.stride = stride;
  e.pad = pad;
}

/** TCM block b (0-based, stack-major): its convs, PReLUs, BNs, dilation and M_b (≤ the weights' M). */
export function tcnnWeightsSetBlock(
  weights: usize, b: i32, inMat: usize, inBias: usize, inSlope: usize, inSlopes: i32, inBn: usize,
  dw: usize, dwBias: usize, dwSlope: usize, dwSlopes: i32, dwBn: usize, outMat: usize, outBias: usize,
  dilation: i32, channels: i32, tmpFloats: i32,
): void {
  const w = changetype<TcnnWeights>(weights);
  const r = recordAt<TcnnBlock>(w.tcm, b);
  r.inMat = inMat;
  r.inBias = inBias;
  r.inSlope = inSlope;
  r.inSlopes = inSlopes;
  r.inBn = inBn;
  r.dw = dw;
  r.dwBias = dwBias;
  r.dwSlope = dwSlope;
  r.dwSlopes = dwSlopes;
  r.dwBn = dwBn;
  r.outMat = outMat;
  r.outBias = outBias;
  r.dilation = dilation;
  r.channels = min(channels, w.channels);
  w.tmpFloats = max(w.tmpFloats, tmpFloats);
}

/** Decoder layer j (0-based, mirrors encoder j); sparse: wt is a conv-sparse.ts block. */
export function tcnnWeightsSetDecoder(
  weights: usize, j: i32, wt: usize, b: usize, bn: usize, slope: usize, slopes: i32,
  cin: i32, cout: i32, binsIn: i32, binsOut: i32, stride: i32, pad: i32, outPad: i32, sparse: bool,
): void {
  const r = recordAt<TcnnDecoder>(changetype<TcnnWeights>(weights).dec, j);
  r.w = wt;
  r.sparse = sparse;
  r.b = b;
  r.bn = bn;
  r.slope = slope;
  r.slopes = slopes;
  r.cin = cin;
  r.cout = cout;
  r.binsIn = binsIn;
  r.binsOut = binsOut;
  r.stride = stride;
  r.pad = pad;
  r.outPad = outPad;
}

/** Floats of ring k (encoder j: k = j; TCM block b: k = N + b; decoder j: k = N + blocks + j). */
function ringFloats(w: TcnnWeights, k: i32): i32 {
  const n = w.layers;
  if (k < n) {
    const e = recordAt<TcnnEncoder>(w.enc, k);
    return (w.kT - 1) * e.cin * e.binsIn;
  }
  if (k < n + w.blocks) {
    const r = recordAt<TcnnBlock>(w.tcm, k - n);
    return (w.tcmKernel - 1) * r.dilation * r.channels;
  }
  const d = recordAt<TcnnDecoder>(w.dec, k - n - w.blocks);
  return (w.kT - 1) * d.cin * d.binsIn;
}

export function tcnnStateCreate(weights: usize): usize {
  const w = changetype<TcnnWeights>(weights);
  const rings = 2 * w.layers + w.blocks;
  const p = memAlloc(<u32>offsetof<TcnnState>());
  if (p == 0) return 0;
  const st = changetype<TcnnState>(p);
  st.framing = framingCreate();
  st.ring = memAlloc(<u32>(rings * sizeof<usize>()));
  st.pos = memAlloc(<u32>(rings * 4));
  let floats = 0;
  for (let k = 0; k < rings; k++) floats += (ringFloats(w, k) + 3) & ~3; // 16-byte aligned rings
  st.ringBytes = max(floats, 1) * 4;
  st.rings = memAlloc(<u32>st.ringBytes);
  if (!(st.framing && st.ring && st.pos && st.rings)) return 0;
  let at = st.rings;
  for (let k = 0; k < rings; k++) {
    const n = ringFloats(w, k);
    store<usize>(st.ring + <usize>k * sizeof<usize>(), n > 0 ? at : 0);
    at += <usize>((n + 3) & ~3) << 2;
  }
  return p;
}

export function tcnnScratchCreate(weights: usize): usize {
  const w = changetype<TcnnWeights>(weights);
  const n = w.layers;
  let cat = 0, patch = 0;
  for (let j = 0; j < n; j++) {
    const e = recordAt<TcnnEncoder>(w.enc, j);
    patch = max(patch, e.sparse ? convSparsePrepFloats(e.w) : conv2dPatchFloats(e.cin, e.binsIn, w.kT, w.kF, e.stride, e.pad, e.pad));
    const d = recordAt<TcnnDecoder>(w.dec, j);
    cat = max(cat, d.cin * d.binsIn);
    patch = max(patch, d.sparse ? convSparsePrepFloats(d.w) : convTranspose2dPatchFloats(d.cin, d.binsIn, w.kT, w.kF, d.stride, d.pad, d.outPad));
  }
  const p = arenaTake(<u32>offsetof<TcnnScratch>());
  if (p == 0) return 0;
  const sc = changetype<TcnnScratch>(p);
  sc.hop = arenaFloats(HOP_SAMPLES);
  sc.frame = arenaFloats(WINDOW_SAMPLES);
  sc.out = arenaFloats(WINDOW_SAMPLES);
  sc.skip = arenaTake(<u32>(n * sizeof<usize>()));
  if (sc.skip == 0) return 0;
  for (let j = 0; j < n; j++) {
    const e = recordAt<TcnnEncoder>(w.enc, j);
    const s = arenaFloats(e.cout * e.binsOut);
    if (s == 0) return 0;
    store<usize>(sc.skip + <usize>j * sizeof<usize>(), s);
  }
  sc.f = arenaFloats(w.features);
  sc.y1 = arenaFloats(w.channels);
  sc.y2 = arenaFloats(w.channels);
  sc.catA = arenaFloats(cat);
  sc.catB = arenaFloats(cat);
  sc.patch = arenaFloats(patch);
  sc.tmp = arenaFloats(w.tmpFloats);
  return sc.hop && sc.frame && sc.out && sc.f && sc.y1 && sc.y2 && sc.catA && sc.catB && sc.patch && sc.tmp ? p : 0;
}

export function tcnnReset(weights: usize, state: usize): void {
  const w = changetype<TcnnWeights>(weights);
  const st = changetype<TcnnState>(state);
  framingReset(st.framing);
  memory.fill(st.rings, 0, <usize>st.ringBytes);
  memory.fill(st.pos, 0, <usize>(2 * w.layers + w.blocks) << 2);
}

export function tcnnLatencySamples(): i32 {
  return STFT_LATENCY_SAMPLES;
}

/** Ring k's buffer. */
// @ts-ignore: decorator
@inline function ringAt(st: TcnnState, k: i32): usize {
  return load<usize>(st.ring + <usize>k * sizeof<usize>());
}
/** Ring k's position. */
// @ts-ignore: decorator
@inline function posAt(st: TcnnState, k: i32): i32 {
  return load<i32>(st.pos + (<usize>k << 2));
}
// @ts-ignore: decorator
@inline function posSet(st: TcnnState, k: i32, v: i32): void {
  store<i32>(st.pos + (<usize>k << 2), v);
}
/** e_j, the output of encoder layer j. */
// @ts-ignore: decorator
@inline function skipAt(sc: TcnnScratch, j: i32): usize {
  return load<usize>(sc.skip + <usize>j * sizeof<usize>());
}

/** y ← PReLU(BN(y)) over [channels][len] (BN skipped when bn = 0: folded into the conv). */
// @ts-ignore: decorator
@inline function bnPrelu(y: usize, bn: usize, slope: usize, slopes: i32, channels: i32, len: i32): void {
  if (bn != 0) batchNormAffine(y, y, bn, bn + (<usize>channels << 2), channels, len);
  preluApply(y, y, slope, channels, len, slopes);
}

/** y ← BN(PReLU(y)) over [channels] (the TCM's order). */
// @ts-ignore: decorator
@inline function preluBn(y: usize, slope: usize, slopes: i32, bn: usize, channels: i32): void {
  preluApply(y, y, slope, channels, 1, slopes);
  batchNormAffine(y, y, bn, bn + (<usize>channels << 2), channels, 1);
}

/** Encoder: frame [1][320] → e_0 … e_{N−1}. */
function tcnnEncode(w: TcnnWeights, st: TcnnState, sc: TcnnScratch): void {
  let x = sc.frame;
  for (let j = 0; j < w.layers; j++) {
    const e = recordAt<TcnnEncoder>(w.enc, j);
    const y = skipAt(sc, j);
    posSet(st, j, e.sparse
      ? convSparseStep(y, x, ringAt(st, j), posAt(st, j), e.w, e.b, sc.patch)
      : conv2dStep(y, x, ringAt(st, j), posAt(st, j), e.w, e.b, sc.patch, e.cin, e.cout, e.binsIn, w.kT, w.kF, e.stride, e.pad, e.pad));
    bnPrelu(y, e.bn, e.slope, e.slopes, e.cout, e.binsOut);
    x = y;
  }
}

/** TCM: f = e_{N−1} as [F], then the residual blocks in place. */
function tcnnTemporal(w: TcnnWeights, st: TcnnState, sc: TcnnScratch): void {
  memory.copy(sc.f, skipAt(sc, w.layers - 1), <usize>w.features << 2);
  for (let b = 0; b < w.blocks; b++) {
    const r = recordAt<TcnnBlock>(w.tcm, b);
    const M = r.channels;
    const k = w.layers + b;
    matApply(sc.y1, changetype<Mat>(r.inMat), r.inBias, sc.f, sc.tmp); //   1×1 conv F → M
    preluBn(sc.y1, r.inSlope, r.inSlopes, r.inBn, M);
    posSet(st, k, depthwiseConv1dStep(sc.y2, sc.y1, ringAt(st, k), posAt(st, k), r.dw, r.dwBias, M, w.tcmKernel, r.dilation));
    preluBn(sc.y2, r.dwSlope, r.dwSlopes, r.dwBn, M);
    matApplyAcc(sc.f, changetype<Mat>(r.outMat), r.outBias, sc.y2, sc.tmp); // f += 1×1 conv M → F
  }
}

/** Decoder: cat(e_j, previous) per layer, previous = TCM output first; writes the frame to sc.out. */
function tcnnDecode(w: TcnnWeights, st: TcnnState, sc: TcnnScratch): void {
  const n = w.layers;
  let x = sc.catA;
  const last = recordAt<TcnnEncoder>(w.enc, n - 1);
  const half = <usize>(last.cout * last.binsOut) << 2;
  memory.copy(x, skipAt(sc, n - 1), half); // encoder output first, as Pandey's code
  memory.copy(x + half, sc.f, half);
  for (let j = n - 1; j >= 0; j--) {
    const d = recordAt<TcnnDecoder>(w.dec, j);
    const k = n + w.blocks + j;
    const next = x == sc.catA ? sc.catB : sc.catA;
    // Output straight into the next decoder's input after e_{j−1} (or the frame for j = 0).
    let skipBytes: usize = 0;
    if (j > 0) {
      const e = recordAt<TcnnEncoder>(w.enc, j - 1);
      skipBytes = <usize>(e.cout * e.binsOut) << 2;
    }
    const y = j > 0 ? next + skipBytes : sc.out;
    posSet(st, k, d.sparse
      ? convSparseStep(y, x, ringAt(st, k), posAt(st, k), d.w, d.b, sc.patch)
      : convTranspose2dStep(y, x, ringAt(st, k), posAt(st, k), d.w, d.b, sc.patch, d.cin, d.cout, d.binsIn, w.kT, w.kF, d.stride, d.pad, d.outPad));
    bnPrelu(y, d.bn, d.slope, d.slopes, d.cout, d.binsOut);
    if (j > 0) memory.copy(next, skipAt(sc, j - 1), skipBytes);
    x = next;
  }
}

/** One hop: inHop f32[160] → outHop f32[160]. */
export function tcnnStep(weights: usize, state: usize, scratch: usize, inHop: usize, outHop: usize): void {
  const w = changetype<TcnnWeights>(weights);
  const st = changetype<TcnnState>(state);
  const sc = changetype<TcnnScratch>(scratch);
  if (hopSanitize(sc.hop, inHop, HOP_SAMPLES) != 0) {
    tcnnReset(weights, state);
    hopSilence(outHop, HOP_SAMPLES);
    return;
  }
  framingAnalyzeHop(st.framing, sc.hop, sc.frame); // [1][320]
  tcnnEncode(w, st, sc); //                            e_0 … e_{N−1}
  tcnnTemporal(w, st, sc); //                          f
  tcnnDecode(w, st, sc); //                            enhanced frame
  framingSynthesizeHop(st.framing, sc.out, outHop);
  if (!hopFinite(outHop, HOP_SAMPLES)) {
    tcnnReset(weights, state);
    hopSilence(outHop, HOP_SAMPLES);
  }
}
