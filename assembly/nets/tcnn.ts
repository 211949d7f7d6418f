// TCNN (Pandey & Wang ICASSP 2019; Tan & Wang TASLP 2021 §III-B3) streaming, one 10-ms hop per call:
//   hop → frame x[160t − 160, 160t + 160) as [1][320]
//       → encoder j = 0…N−1: causal Conv2d (kernel_frames × kernel_samples, stride (1, s_j),
//         padding p_j on the sample axis) → BN → PReLU = e_j [C_j][W_{j+1}]
//       → TCM on f = e_{N−1} as F = C·W features: per residual block b, 1×1 conv F→M_b → PReLU →
//         BN → depthwise causal dilated conv (k, d) → PReLU → BN → 1×1 conv M_b→F, f += that
//       → decoder j = N−1…0 on cat(e_j, previous): causal ConvTranspose2d → BN → PReLU = D_j
//         channels (D_j = C_{j−1} unless channel pruning narrowed the decoder apart)
//       → enhanced frame [320] → 50 % overlap-add (mean of the two frames covering a sample) → hop
// (src/models/tcnn.ts is the libtorch definition; geometry from the .hush hyper-parameters in
// tcnnBind, mirroring src/models/tcnnLayout.ts.) A BatchNorm folded into its conv at
// export (HUSH_TF_BN_FOLDED) has bn = 0 here and is skipped. A pruned encoder / decoder kernel may be
// loaded in the sparse form (the plan's choice, nets/plan.ts; nn/conv-sparse.ts) or, block-pruned, in
// the block form (nn/conv-block.ts) instead of dense.
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
import { convBlockPatchFloats, convBlockStep } from "../nn/conv-block";
import { depthwiseConv1dStep } from "../nn/conv1d-depthwise";
import { arenaFloats, arenaTake } from "./arena";
import { hopFinite, hopSanitize, hopSilence } from "./guard";
import { Mat, matApply, matApplyAcc } from "./mat";
import { recordAt, recordsCreate } from "./records";
import {
  Binder, binderBatchNorm, binderConv, binderDeconv, binderFail, binderFind, binderLayer, binderMat, binderVec, convGeometry,
} from "./binder";
import { deconvOutputPadding, encoderWidths, hparamHas, hparamInt, hparamInts, hparamIsList, Ints, intsNew } from "./hparams";
import { nm } from "./name";

/**
 * Encoder layer j (Conv2d) or decoder layer j (ConvTranspose2d): conv → BN (unless folded) → PReLU.
 * One record for both: the fields are the same, the decoders' output padding aside.
 */
@unmanaged class TcnnConv {
  w: usize; //      encoder: f32[Cout][Cin][kT][kF] (PyTorch layout); decoder: convTranspose2dPack of
  //                f32[Cin][Cout][kT][kF]; either as its conv-sparse.ts block when sparse, its
  //                conv-block.ts block when block
  sparse: bool;
  block: bool;
  b: usize; //      f32[Cout]
  bn: usize; //     f32[2][Cout] scale, shift; 0 when folded into w, b
  slope: usize; //  PReLU slopes f32[slopes]
  slopes: i32; //   1 (shared) or Cout
  cin: i32; //      encoder: C_{j−1} (1 for j = 0); decoder: C_j + D_{j+1} (C_{N−1} + C_{N−1} for j = N − 1)
  cout: i32; //     encoder: C_j; decoder: D_j, 1 for j = 0
  binsIn: i32; //   encoder: W_j; decoder: W_{j+1}
  binsOut: i32; //  encoder: W_{j+1}; decoder: W_j
  stride: i32;
  pad: i32;
  outPad: i32; //   decoder only (0 for encoders)
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
  enc: usize; //       TcnnConv[N], encoder layer j at j
  tcm: usize; //       TcnnBlock[blocks]
  dec: usize; //       TcnnConv[N], decoder layer j at j
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

/**
 * Binds conv layer <prefix><j> — encoder ("encoder.", Conv2d: <prefix><j>.conv.weight [Cout][Cin][kT][kF])
 * or decoder ("decoder.", ConvTranspose2d: .deconv.weight [Cin][Cout][kT][kF]) — whose geometry r already
 * holds: the weight (dense or the plan's sparse form), bias, PReLU slope and BatchNorm (absent when
 * folded into the weight at export).
 */
function tcnnConvBind(b: Binder, r: TcnnConv, prefix: string, j: i32, kT: i32, kF: i32, transposed: bool): void {
  nm(prefix).int(j);
  binderLayer(b);
  let tw: i32;
  if (transposed) {
    tw = binderFind(b, ".deconv.weight", 4, r.cin, r.cout, kT, kF);
    const conv = binderDeconv(b, tw, convGeometry(r.binsIn, r.binsOut, r.stride, r.pad, r.outPad));
    r.w = conv.ptr;
    r.sparse = conv.sparse;
    r.block = conv.block;
  } else {
    tw = binderFind(b, ".conv.weight", 4, r.cout, r.cin, kT, kF);
    const conv = binderConv(b, tw, convGeometry(r.binsIn, r.binsOut, r.stride, r.pad, r.pad));
    r.w = conv.ptr;
    r.sparse = conv.sparse;
    r.block = conv.block;
  }
  r.b = binderVec(b, binderFind(b, transposed ? ".deconv.bias" : ".conv.bias", 1, r.cout));
  r.slope = binderVec(b, binderFind(b, ".prelu.weight", 1, 1));
  r.slopes = 1;
  nm(prefix).int(j).s(".bn");
  binderLayer(b);
  r.bn = binderBatchNorm(b, r.cout, tw);
}

/**
 * The TCNN's description, bound to file b (binder.ts): encoder.{j}.conv / bn / prelu;
 * tcm.{s}.{r}.conv_in / prelu_in / bn_in / depthwise / prelu_dw / bn_dw / conv_out; decoder.{j}.deconv /
 * bn / prelu. Geometry from the hyper-parameters (src/models/tcnnLayout.ts): sample-axis widths
 * 320 → … → W_N, output paddings, F = C_{N−1}·W_N, M_b per block, D_j per decoder, dilations.
 * BatchNorms folded into their conv at export are absent (bn = 0). Returns the weights.
 */
export function tcnnBind(b: Binder): usize {
  const enc = hparamInts(b, "enc_channels");
  const strides = hparamInts(b, "enc_strides");
  const pads = hparamInts(b, "enc_pads", 0);
  const n = enc.length;
  if (!b.failed && (strides.length != n || pads.length != n)) binderFail(b).s("enc_channels, enc_strides and enc_pads must have equal lengths");
  const kT = hparamInt(b, "kernel_frames");
  const kF = hparamInt(b, "kernel_samples");
  if (b.failed) return 0;
  const widths = encoderWidths(b, WINDOW_SAMPLES, kF, strides, pads);
  const outPads = intsNew(n);
  for (let j = 0; j < n && !b.failed; j++) outPads.set(j, deconvOutputPadding(b, widths.get(j + 1), widths.get(j), kF, strides.get(j), pads.get(j), j));
  const dilations = hparamInts(b, "tcm_dilations");
  const stacks = hparamInt(b, "tcm_stacks");
  const tcmKernel = hparamInt(b, "tcm_kernel");
  const blocks = stacks * dilations.length;
  let tcm: Ints;
  if (hparamIsList(b, "tcm_channels")) {
    tcm = hparamInts(b, "tcm_channels");
    if (!b.failed && tcm.length != blocks) {
      binderFail(b).s("tcm_channels as a list needs one entry per TCM block (").int(blocks).s("), got ").int(tcm.length);
    }
  } else {
    const m = hparamInt(b, "tcm_channels");
    tcm = intsNew(blocks);
    for (let k = 0; k < blocks; k++) tcm.set(k, m);
  }
  // D_j, output channels of decoder j: the encoder's mirror (C_{j−1}; 1 for j = 0) unless dec_channels
  // (decoders N−1 … 0 in the order applied, last 1) narrows them
  const decOut = intsNew(n);
  for (let j = 0; j < n; j++) decOut.set(j, j == 0 ? 1 : enc.get(j - 1));
  if (hparamHas(b, "dec_channels")) {
    const applied = hparamInts(b, "dec_channels");
    if (!b.failed && (applied.length != n || applied.get(n - 1) != 1)) {
      binderFail(b).s("dec_channels must have ").int(n).s(" entries (one per decoder layer, N−1 first) ending in 1");
    }
    for (let j = 0; j < n && !b.failed; j++) decOut.set(j, applied.get(n - 1 - j));
  }
  if (b.failed) return 0;
  const features = enc.get(n - 1) * widths.get(n);
  let widest = 0;
  for (let k = 0; k < blocks; k++) widest = max(widest, tcm.get(k));

  const p = memAlloc(<u32>offsetof<TcnnWeights>());
  if (p == 0) return 0;
  const w = changetype<TcnnWeights>(p);
  w.layers = n;
  w.kT = kT;
  w.kF = kF;
  w.blocks = blocks;
  w.channels = widest; // the widest block's M (scratch size); each block carries its own M_b
  w.features = features;
  w.tcmKernel = tcmKernel;
  w.enc = recordsCreate<TcnnConv>(n);
  w.tcm = recordsCreate<TcnnBlock>(blocks);
  w.dec = recordsCreate<TcnnConv>(n);
  if (!(w.enc && w.tcm && w.dec)) return 0;

  for (let j = 0; j < n; j++) {
    const e = recordAt<TcnnConv>(w.enc, j);
    e.cin = j == 0 ? 1 : enc.get(j - 1);
    e.cout = enc.get(j);
    e.binsIn = widths.get(j);
    e.binsOut = widths.get(j + 1);
    e.stride = strides.get(j);
    e.pad = pads.get(j);
    tcnnConvBind(b, e, "encoder.", j, kT, kF, false);
  }
  for (let k = 0; k < blocks; k++) {
    const r = recordAt<TcnnBlock>(w.tcm, k);
    const m = tcm.get(k);
    r.dilation = dilations.get(k % dilations.length);
    r.channels = m;
    nm("tcm.").int(k / dilations.length).s(".").int(k % dilations.length);
    binderLayer(b);
    r.inMat = changetype<usize>(binderMat(b, binderFind(b, ".conv_in.weight", 3, m, features, 1)));
    r.inBias = binderVec(b, binderFind(b, ".conv_in.bias", 1, m));
    r.inSlope = binderVec(b, binderFind(b, ".prelu_in.weight", 1, 1));
    r.inSlopes = 1;
    r.dw = binderVec(b, binderFind(b, ".depthwise.weight", 3, m, 1, tcmKernel), 1);
    r.dwBias = binderVec(b, binderFind(b, ".depthwise.bias", 1, m));
    r.dwSlope = binderVec(b, binderFind(b, ".prelu_dw.weight", 1, 1));
    r.dwSlopes = 1;
    r.outMat = changetype<usize>(binderMat(b, binderFind(b, ".conv_out.weight", 3, features, m, 1)));
    r.outBias = binderVec(b, binderFind(b, ".conv_out.bias", 1, features));
    nm("tcm.").int(k / dilations.length).s(".").int(k % dilations.length).s(".bn_in");
    binderLayer(b);
    r.inBn = binderBatchNorm(b, m);
    nm("tcm.").int(k / dilations.length).s(".").int(k % dilations.length).s(".bn_dw");
    binderLayer(b);
    r.dwBn = binderBatchNorm(b, m);
  }
  for (let j = n - 1; j >= 0; j--) {
    const r = recordAt<TcnnConv>(w.dec, j);
    // input: encoder j's output (the skip, first) + the previous decoder's (the TCM output for j = N − 1)
    r.cin = enc.get(j) + (j == n - 1 ? enc.get(n - 1) : decOut.get(j + 1));
    r.cout = decOut.get(j);
    r.binsIn = widths.get(j + 1);
    r.binsOut = widths.get(j);
    r.stride = strides.get(j);
    r.pad = pads.get(j);
    r.outPad = outPads.get(j);
    tcnnConvBind(b, r, "decoder.", j, kT, kF, true);
  }
  w.tmpFloats = b.tmpFloats;
  return p;
}

/** Floats of ring k (encoder j: k = j; TCM block b: k = N + b; decoder j: k = N + blocks + j). */
function ringFloats(w: TcnnWeights, k: i32): i32 {
  const n = w.layers;
  if (k < n) {
    const e = recordAt<TcnnConv>(w.enc, k);
    return (w.kT - 1) * e.cin * e.binsIn;
  }
  if (k < n + w.blocks) {
    const r = recordAt<TcnnBlock>(w.tcm, k - n);
    return (w.tcmKernel - 1) * r.dilation * r.channels;
  }
  const d = recordAt<TcnnConv>(w.dec, k - n - w.blocks);
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
    const e = recordAt<TcnnConv>(w.enc, j);
    patch = max(patch, e.block ? convBlockPatchFloats(e.w) : e.sparse ? convSparsePrepFloats(e.w) : conv2dPatchFloats(e.cin, e.binsIn, w.kT, w.kF, e.stride, e.pad, e.pad));
    const d = recordAt<TcnnConv>(w.dec, j);
    cat = max(cat, d.cin * d.binsIn);
    patch = max(patch, d.block ? convBlockPatchFloats(d.w) : d.sparse ? convSparsePrepFloats(d.w) : convTranspose2dPatchFloats(d.cin, d.binsIn, w.kT, w.kF, d.stride, d.pad, d.outPad));
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
    const e = recordAt<TcnnConv>(w.enc, j);
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
    const e = recordAt<TcnnConv>(w.enc, j);
    const y = skipAt(sc, j);
    posSet(st, j, e.block
      ? convBlockStep(y, x, ringAt(st, j), posAt(st, j), e.w, e.b, sc.patch)
      : e.sparse
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
  const last = recordAt<TcnnConv>(w.enc, n - 1);
  const half = <usize>(last.cout * last.binsOut) << 2;
  memory.copy(x, skipAt(sc, n - 1), half); // encoder output first, as Pandey's code
  memory.copy(x + half, sc.f, half);
  for (let j = n - 1; j >= 0; j--) {
    const d = recordAt<TcnnConv>(w.dec, j);
    const k = n + w.blocks + j;
    const next = x == sc.catA ? sc.catB : sc.catA;
    // Output straight into the next decoder's input after e_{j−1} (or the frame for j = 0).
    let skipBytes: usize = 0;
    if (j > 0) {
      const e = recordAt<TcnnConv>(w.enc, j - 1);
      skipBytes = <usize>(e.cout * e.binsOut) << 2;
    }
    const y = j > 0 ? next + skipBytes : sc.out;
    posSet(st, k, d.block
      ? convBlockStep(y, x, ringAt(st, k), posAt(st, k), d.w, d.b, sc.patch)
      : d.sparse
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
