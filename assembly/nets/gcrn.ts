// GCRN (Tan & Wang TASLP 2020; TASLP 2021 §III-B4) streaming, one 10-ms hop per call:
//   hop → STFT frame Y as [2][161] (re, im); input_compress = 1: the encoder gets |Y|^0.3 e^{j∠Y}
//       → encoder i = 1…N: gated conv (1,k)/(1,s): conv1(x) ⊙ σ(conv2(x)) → BN → ELU = e_i
//       → grouped LSTM on F = C_N·W_N features (G groups; outputs interleaved between layers,
//         concatenated after the last) + LayerNorm after every layer
//       → two decoders (d = 1 real, 2 imaginary), blocks i = N…1 on cat(previous, e_i):
//         gated transposed conv → BN → ELU (on the concatenation with e_{i−1} for i > 1)
//       → Linear 161→161 per decoder = Re Ŝ, Im Ŝ (or, complex_mask = 1, a mask M: Ŝ = M ⊙ Y)
//       → iSTFT overlap-add → hop
// (src/models/gcrn.ts is the libtorch definition; geometry from the .hush hyper-parameters in
// gcrnBind, mirroring src/models/gcrnLayout.ts.) Every conv has a time kernel of 1, so
// the convolutions keep no history: the stream state is the STFT's and the LSTM's h, c. The encoder
// outputs e_i are per-hop scratch. Layouts are channel-major, [C][W] (bin fastest), as PyTorch's
// [B, C, T, W] at one T; the LSTM's feature c·W_N + w is e_N's memory as is. A pruned conv kernel
// may be loaded in the sparse form (the plan's choice, plan.ts; nn/conv-sparse.ts), a block-pruned one
// in the block form (nn/conv-block.ts).
//
// Latency: STFT_LATENCY_SAMPLES = 320.

import { memAlloc } from "../mem";
import { NUM_BINS, HOP_SAMPLES, STFT_LATENCY_SAMPLES } from "../dsp/constants";
import { stftAnalyzeHop, stftCreate, stftReset, stftSynthesizeHop } from "../dsp/stft";
import { eluApply } from "../nn/activation";
import { batchNormAffine } from "../nn/batch-norm";
import { conv2dPatchFloats, conv2dStep } from "../nn/conv2d";
import { convTranspose2dPatchFloats, convTranspose2dStep } from "../nn/conv-transpose2d";
import { convSparsePrepFloats, convSparseStep } from "../nn/conv-sparse";
import { convBlockPatchFloats, convBlockStep } from "../nn/conv-block";
import { gluApply } from "../nn/glu";
import { layerNormApply } from "../nn/layer-norm";
import { lstmCellUpdate } from "../nn/lstm";
import { vecInterleave } from "../nn/vec";
import { arenaFloats, arenaTake } from "./arena";
import { hopFinite, hopSanitize, hopSilence } from "./guard";
import { spectrumComplexMask, spectrumPowerCompress } from "./spectrum";
import { Mat, matApply, matApplyAcc } from "./mat";
import { Linear, linearMat, recordAt, recordsCreate } from "./records";
import {
  Binder, binderBatchNorm, binderConvPair, binderDeconv, binderFail, binderFind, binderLayer, binderLstmCellMacs, binderMat,
  binderFixedMacs, binderPair, binderSum, binderVec, convGeometry,
} from "./binder";
import { deconvOutputPadding, encoderWidths, hparamFlag, hparamInt, hparamInts, intsNew } from "./hparams";
import { nm } from "./name";

/** The compressed input's exponent and eps (src/models/gcrnLayout.ts GCRN_INPUT_POWER, GCRN_INPUT_EPS). */
const INPUT_POWER: f64 = 0.3;
const INPUT_EPS: f64 = 1e-12;

/** PyTorch's LayerNorm default eps. */
const LN_EPS: f32 = 1e-5;

/** Encoder block i: gated conv as one conv with 2·Cout outputs (conv1 rows, then conv2 rows). */
@unmanaged class GcrnEncoder {
  /** f32[2·Cout][Cin][1][k]: conv{i}.conv1.weight then conv{i}.conv2.weight; or their sparse form. */
  w: usize;
  /** w is a conv-sparse.ts block (the plan's 'sparse' conv form) rather than dense. */
  sparse: bool;
  /** w is a conv-block.ts block (the plan's 'block' conv form, both convs' kept blocks). */
  block: bool;
  /** f32[2·Cout]: the two biases. */
  b: usize;
  /** bn{i} as f32[2][Cout] = scale, shift. */
  bn: usize;
  cin: i32;
  cout: i32;
  binsIn: i32;
  binsOut: i32;
}

/** One group of one grouped-LSTM layer (an nn.LSTM of F/G units). */
@unmanaged class GcrnLstmGroup {
  wih: usize; // Mat [4F/G][F/G]
  whh: usize; // Mat [4F/G][F/G]
  bias: usize; // f32[4F/G] = b_ih + b_hh
}

/** LayerNorm(F) after a grouped-LSTM layer. */
@unmanaged class GcrnNorm {
  gamma: usize;
  beta: usize;
}

/** Decoder block conv{i}_t_{d}: gated transposed conv (two packed kernels) → bn{i}_t_{d}. */
@unmanaged class GcrnDecoder {
  w1: usize; // conv1, packed by convTranspose2dPack, or its conv-sparse.ts / conv-block.ts block when sparse1 / block1
  b1: usize;
  w2: usize; // conv2 (gate), likewise
  b2: usize;
  sparse1: bool;
  sparse2: bool;
  block1: bool;
  block2: bool;
  bn: usize; // f32[2][Cout] scale, shift
  cin: i32;
  cout: i32;
  binsIn: i32;
  binsOut: i32;
  outPad: i32;
}

/** Read-only after load. */
@unmanaged class GcrnWeights {
  blocks: i32; //     N encoder (and decoder) blocks
  kernel: i32; //     k, taps along frequency
  stride: i32; //     s, stride along frequency
  groups: i32; //     G
  lstmLayers: i32;
  features: i32; //   F = C_N·W_N
  mask: bool; //      complex_mask = 1: fc1, fc2 give a complex mask M and Ŝ = M ⊙ Y
  compress: bool; //  input_compress = 1: encoder 1 sees |Y|^0.3 e^{j∠Y}
  tmpFloats: i32;
  enc: usize; //      GcrnEncoder[N]
  glstm: usize; //    GcrnLstmGroup[lstmLayers][G]
  norm: usize; //     GcrnNorm[lstmLayers]
  dec: usize; //      GcrnDecoder[2][N], block i of decoder d at (d − 1)·N + i − 1
  fc: usize; //       Linear[2]: fc1 (real), fc2 (imaginary)
}

/** The stream. */
@unmanaged class GcrnState {
  stft: usize;
  h: usize; // f32[lstmLayers][F], group g of a layer at g·F/G
  c: usize; // f32[lstmLayers][F]
}

/** Per-hop buffers (f32). */
@unmanaged class GcrnScratch {
  hop: usize; //     [160]
  spec: usize; //    [2][161] Y: re then im (the encoder's input [2][161] unless compress)
  specIn: usize; //  [2][161] the compressed Y, the encoder's input when compress
  outRe: usize; //   [161] Re Ŝ
  outIm: usize; //   [161] Im Ŝ
  skip: usize; //    usize[N]: e_i, each [C_i][W_i]
  gate: usize; //    [max 2·C_i·W_i] encoder conv output (a rows, then gate rows)
  lstmA: usize; //   [F] grouped-LSTM layer outputs, ping
  lstmB: usize; //   [F] pong
  gates: usize; //   [4F/G]
  decIn: usize; //   [2F] cat(LSTM output, e_N): both decoders' input
  catA: usize; //    [max decoder input] ping
  catB: usize; //    pong
  decA: usize; //    [max Cout·Wout] transposed conv1 output
  decB: usize; //    transposed conv2 output
  patch: usize; //   conv im2col scratch, or a sparse conv's prep rows (conv-sparse.ts)
  tmp: usize; //     Mat scratch
}

/**
 * The GCRN's description, bound to file b (binder.ts), in Tan's names: encoder conv{i}.conv1/conv2 +
 * bn{i}; grouped LSTM glstm.lstm_list{l}.{g} + glstm.ln{l}; decoders conv{i}_t_{d}.conv1/conv2 +
 * bn{i}_t_{d}; fc1, fc2. Geometry from the hyper-parameters (src/models/gcrnLayout.ts): widths
 * 161 → … → W_N, decoder output paddings, F = C_N·W_N. Returns the weights (read-only after load).
 */
export function gcrnBind(b: Binder): usize {
  const enc = hparamInts(b, "enc_channels");
  const dec = hparamInts(b, "dec_channels");
  const n = enc.length;
  if (!b.failed && (dec.length != n || dec.get(n - 1) != 1)) {
    binderFail(b).s("dec_channels must have ").int(n).s(" entries (one per encoder block) ending in 1");
  }
  const kernel = hparamInt(b, "kernel_bins");
  const stride = hparamInt(b, "stride_bins");
  const groups = hparamInt(b, "lstm_groups");
  const lstmLayers = hparamInt(b, "lstm_layers");
  // optional, absent = 0 (src/models/gcrnLayout.ts GCRN_OPTIONAL_HPARAMS)
  const mask = hparamFlag(b, "complex_mask");
  const compress = hparamFlag(b, "input_compress");
  const strides = intsNew(n), pads = intsNew(n);
  for (let i = 0; i < n; i++) strides.set(i, stride);
  const widths = encoderWidths(b, NUM_BINS, kernel, strides, pads);
  const outPads = intsNew(n);
  for (let k = 0; k < n && !b.failed; k++) outPads.set(k, deconvOutputPadding(b, widths.get(k + 1), widths.get(k), kernel, stride, 0, k + 1));
  const features = enc.get(n - 1) * widths.get(n);
  if (!b.failed && features % groups != 0) {
    binderFail(b).s("LSTM features ").int(features).s(" are not divisible by lstm_groups ").int(groups);
  }
  if (b.failed) return 0;

  const p = memAlloc(<u32>offsetof<GcrnWeights>());
  if (p == 0) return 0;
  const w = changetype<GcrnWeights>(p);
  w.blocks = n;
  w.kernel = kernel;
  w.stride = stride;
  w.groups = groups;
  w.lstmLayers = lstmLayers;
  w.features = features;
  w.mask = mask;
  w.compress = compress;
  if (w.mask) binderFixedMacs(b, 4 * NUM_BINS);
  w.enc = recordsCreate<GcrnEncoder>(n);
  w.glstm = recordsCreate<GcrnLstmGroup>(lstmLayers * groups);
  w.norm = recordsCreate<GcrnNorm>(lstmLayers);
  w.dec = recordsCreate<GcrnDecoder>(2 * n);
  w.fc = recordsCreate<Linear>(2);
  if (!(w.enc && w.glstm && w.norm && w.dec && w.fc)) return 0;

  for (let i = 1; i <= n; i++) {
    const e = recordAt<GcrnEncoder>(w.enc, i - 1);
    e.cin = i == 1 ? 2 : enc.get(i - 2);
    e.cout = enc.get(i - 1);
    e.binsIn = widths.get(i - 1);
    e.binsOut = widths.get(i);
    nm("conv").int(i);
    binderLayer(b);
    const w1 = binderFind(b, ".conv1.weight", 4, e.cout, e.cin, 1, kernel);
    const w2 = binderFind(b, ".conv2.weight", 4, e.cout, e.cin, 1, kernel);
    const conv = binderConvPair(b, w1, w2, convGeometry(e.binsIn, e.binsOut, stride, 0, 0));
    e.w = conv.ptr;
    e.sparse = conv.sparse;
    e.block = conv.block;
    e.b = binderPair(b, binderFind(b, ".conv1.bias", 1, e.cout), binderFind(b, ".conv2.bias", 1, e.cout));
    nm("bn").int(i);
    binderLayer(b);
    e.bn = binderBatchNorm(b, e.cout);
  }
  const h = features / groups;
  for (let l = 1; l <= lstmLayers; l++) {
    for (let g = 0; g < groups; g++) {
      const r = recordAt<GcrnLstmGroup>(w.glstm, (l - 1) * groups + g);
      nm("glstm.lstm_list").int(l).s(".").int(g);
      binderLayer(b);
      r.wih = changetype<usize>(binderMat(b, binderFind(b, ".weight_ih_l0", 2, 4 * h, h)));
      r.whh = changetype<usize>(binderMat(b, binderFind(b, ".weight_hh_l0", 2, 4 * h, h)));
      r.bias = binderSum(b, binderFind(b, ".bias_ih_l0", 1, 4 * h), binderFind(b, ".bias_hh_l0", 1, 4 * h));
      binderLstmCellMacs(b, h);
    }
    const norm = recordAt<GcrnNorm>(w.norm, l - 1);
    nm("glstm.ln").int(l);
    binderLayer(b);
    norm.gamma = binderVec(b, binderFind(b, ".weight", 1, features));
    norm.beta = binderVec(b, binderFind(b, ".bias", 1, features));
  }
  for (let d = 1; d <= 2; d++) {
    for (let i = n; i >= 1; i--) {
      const r = recordAt<GcrnDecoder>(w.dec, (d - 1) * n + i - 1);
      // input: the previous block's output (the LSTM's C_N for i = N) plus the skip e_i
      r.cin = (i == n ? enc.get(n - 1) : dec.get(n - i - 1)) + enc.get(i - 1);
      r.cout = dec.get(n - i);
      r.binsIn = widths.get(i);
      r.binsOut = widths.get(i - 1);
      r.outPad = outPads.get(i - 1);
      const g = convGeometry(r.binsIn, r.binsOut, stride, 0, r.outPad);
      nm("conv").int(i).s("_t_").int(d);
      binderLayer(b);
      const c1 = binderDeconv(b, binderFind(b, ".conv1.weight", 4, r.cin, r.cout, 1, kernel), g);
      r.w1 = c1.ptr;
      r.sparse1 = c1.sparse;
      r.block1 = c1.block;
      r.b1 = binderVec(b, binderFind(b, ".conv1.bias", 1, r.cout));
      const c2 = binderDeconv(b, binderFind(b, ".conv2.weight", 4, r.cin, r.cout, 1, kernel), g);
      r.w2 = c2.ptr;
      r.sparse2 = c2.sparse;
      r.block2 = c2.block;
      r.b2 = binderVec(b, binderFind(b, ".conv2.bias", 1, r.cout));
      nm("bn").int(i).s("_t_").int(d);
      binderLayer(b);
      r.bn = binderBatchNorm(b, r.cout);
    }
    const fc = recordAt<Linear>(w.fc, d - 1);
    nm("fc").int(d);
    binderLayer(b);
    fc.mat = changetype<usize>(binderMat(b, binderFind(b, ".weight", 2, NUM_BINS, NUM_BINS)));
    fc.bias = binderVec(b, binderFind(b, ".bias", 1, NUM_BINS));
  }
  w.tmpFloats = b.tmpFloats;
  return p;
}

export function gcrnStateCreate(weights: usize): usize {
  const w = changetype<GcrnWeights>(weights);
  const p = memAlloc(<u32>offsetof<GcrnState>());
  if (p == 0) return 0;
  const st = changetype<GcrnState>(p);
  st.stft = stftCreate();
  st.h = memAlloc(<u32>(w.lstmLayers * w.features) << 2);
  st.c = memAlloc(<u32>(w.lstmLayers * w.features) << 2);
  return st.stft && st.h && st.c ? p : 0;
}

export function gcrnScratchCreate(weights: usize): usize {
  const w = changetype<GcrnWeights>(weights);
  const n = w.blocks;
  let gate = 0, cat = 0, dec = 0, patch = 0;
  for (let i = 0; i < n; i++) {
    const e = recordAt<GcrnEncoder>(w.enc, i);
    gate = max(gate, 2 * e.cout * e.binsOut);
    patch = max(patch, e.block ? convBlockPatchFloats(e.w) : e.sparse ? convSparsePrepFloats(e.w) : conv2dPatchFloats(e.cin, e.binsIn, 1, w.kernel, w.stride, 0, 0));
  }
  for (let j = 0; j < 2 * n; j++) {
    const r = recordAt<GcrnDecoder>(w.dec, j);
    const i = j % n + 1; // block number
    // next input: this block's output, + e_{i−1} (C_{i−1} channels at the same width) for i > 1
    const skipC = i > 1 ? recordAt<GcrnEncoder>(w.enc, i - 2).cout : 0;
    cat = max(cat, (r.cout + skipC) * r.binsOut);
    dec = max(dec, r.cout * r.binsOut);
    patch = max(patch, convTranspose2dPatchFloats(r.cin, r.binsIn, 1, w.kernel, w.stride, 0, r.outPad));
    if (r.sparse1) patch = max(patch, convSparsePrepFloats(r.w1));
    if (r.sparse2) patch = max(patch, convSparsePrepFloats(r.w2));
    if (r.block1) patch = max(patch, convBlockPatchFloats(r.w1));
    if (r.block2) patch = max(patch, convBlockPatchFloats(r.w2));
  }
  const p = arenaTake(<u32>offsetof<GcrnScratch>());
  if (p == 0) return 0;
  const sc = changetype<GcrnScratch>(p);
  sc.hop = arenaFloats(HOP_SAMPLES);
  sc.spec = arenaFloats(2 * NUM_BINS);
  sc.specIn = arenaFloats(2 * NUM_BINS);
  sc.outRe = arenaFloats(NUM_BINS);
  sc.outIm = arenaFloats(NUM_BINS);
  sc.skip = arenaTake(<u32>(n * sizeof<usize>()));
  if (sc.skip == 0) return 0;
  for (let i = 0; i < n; i++) {
    const e = recordAt<GcrnEncoder>(w.enc, i);
    const s = arenaFloats(e.cout * e.binsOut);
    if (s == 0) return 0;
    store<usize>(sc.skip + <usize>i * sizeof<usize>(), s);
  }
  sc.gate = arenaFloats(gate);
  sc.lstmA = arenaFloats(w.features);
  sc.lstmB = arenaFloats(w.features);
  sc.gates = arenaFloats(4 * w.features / w.groups);
  sc.decIn = arenaFloats(2 * w.features);
  sc.catA = arenaFloats(cat);
  sc.catB = arenaFloats(cat);
  sc.decA = arenaFloats(dec);
  sc.decB = arenaFloats(dec);
  sc.patch = arenaFloats(patch);
  sc.tmp = arenaFloats(w.tmpFloats);
  return sc.hop && sc.spec && sc.specIn && sc.outRe && sc.outIm && sc.gate && sc.lstmA && sc.lstmB && sc.gates && sc.decIn &&
    sc.catA && sc.catB && sc.decA && sc.decB && sc.patch && sc.tmp ? p : 0;
}

export function gcrnReset(weights: usize, state: usize): void {
  const w = changetype<GcrnWeights>(weights);
  const st = changetype<GcrnState>(state);
  stftReset(st.stft);
  memory.fill(st.h, 0, <usize>(w.lstmLayers * w.features) << 2);
  memory.fill(st.c, 0, <usize>(w.lstmLayers * w.features) << 2);
}

export function gcrnLatencySamples(): i32 {
  return STFT_LATENCY_SAMPLES;
}

/** e_i, the output of encoder block i (1-based). */
// @ts-ignore: decorator
@inline function skipAt(sc: GcrnScratch, i: i32): usize {
  return load<usize>(sc.skip + <usize>(i - 1) * sizeof<usize>());
}

/** Encoder block: x [Cin][W_{i−1}] → e_i [C][W_i] = ELU(BN(conv1(x) ⊙ σ(conv2(x)))). */
function gcrnEncode(w: GcrnWeights, sc: GcrnScratch, i: i32, x: usize): usize {
  const e = recordAt<GcrnEncoder>(w.enc, i - 1);
  const y = skipAt(sc, i);
  const n = e.cout * e.binsOut;
  if (e.block) convBlockStep(sc.gate, x, 0, 0, e.w, e.b, sc.patch);
  else if (e.sparse) convSparseStep(sc.gate, x, 0, 0, e.w, e.b, sc.patch);
  else conv2dStep(sc.gate, x, 0, 0, e.w, e.b, sc.patch, e.cin, 2 * e.cout, e.binsIn, 1, w.kernel, w.stride, 0, 0);
  gluApply(y, sc.gate, sc.gate + (<usize>n << 2), n);
  batchNormAffine(y, y, e.bn, e.bn + (<usize>e.cout << 2), e.cout, e.binsOut);
  eluApply(y, y, n, 1.0);
  return y;
}

/** Grouped LSTM layers + LayerNorm over x [F] (F = C_N·W_N); returns the output buffer. */
function gcrnGroupedLstm(w: GcrnWeights, st: GcrnState, sc: GcrnScratch, x: usize): usize {
  const F = w.features;
  const part = F / w.groups;
  for (let l = 1; l <= w.lstmLayers; l++) {
    const h = st.h + (<usize>((l - 1) * F) << 2);
    const c = st.c + (<usize>((l - 1) * F) << 2);
    for (let g = 0; g < w.groups; g++) {
      const r = recordAt<GcrnLstmGroup>(w.glstm, (l - 1) * w.groups + g);
      const off = <usize>(g * part) << 2;
      matApply(sc.gates, changetype<Mat>(r.wih), r.bias, x + off, sc.tmp); // W_ih·x_g + b
      matApplyAcc(sc.gates, changetype<Mat>(r.whh), 0, h + off, sc.tmp); //  + W_hh·h_g
      lstmCellUpdate(h + off, c + off, sc.gates, part);
    }
    const y = (l & 1) != 0 ? sc.lstmA : sc.lstmB;
    if (l < w.lstmLayers) vecInterleave(y, h, w.groups, F); // feature k·G + g = unit k of group g
    else memory.copy(y, h, <usize>F << 2); //                   last layer: groups concatenated
    const ln = recordAt<GcrnNorm>(w.norm, l - 1);
    layerNormApply(y, y, ln.gamma, ln.beta, F, LN_EPS);
    x = y;
  }
  return x;
}

/** Decoder d (1, 2) on decIn [2·C_N][W_N] → fc{d} output (161 values) at `out`. */
function gcrnDecode(w: GcrnWeights, sc: GcrnScratch, d: i32, out: usize): void {
  let x = sc.decIn;
  for (let i = w.blocks; i >= 1; i--) {
    const r = recordAt<GcrnDecoder>(w.dec, (d - 1) * w.blocks + i - 1);
    if (r.block1) convBlockStep(sc.decA, x, 0, 0, r.w1, r.b1, sc.patch);
    else if (r.sparse1) convSparseStep(sc.decA, x, 0, 0, r.w1, r.b1, sc.patch);
    else convTranspose2dStep(sc.decA, x, 0, 0, r.w1, r.b1, sc.patch, r.cin, r.cout, r.binsIn, 1, w.kernel, w.stride, 0, r.outPad);
    if (r.block2) convBlockStep(sc.decB, x, 0, 0, r.w2, r.b2, sc.patch);
    else if (r.sparse2) convSparseStep(sc.decB, x, 0, 0, r.w2, r.b2, sc.patch);
    else convTranspose2dStep(sc.decB, x, 0, 0, r.w2, r.b2, sc.patch, r.cin, r.cout, r.binsIn, 1, w.kernel, w.stride, 0, r.outPad);
    const y = x == sc.catA ? sc.catB : sc.catA;
    const n = r.cout * r.binsOut;
    gluApply(y, sc.decA, sc.decB, n);
    batchNormAffine(y, y, r.bn, r.bn + (<usize>r.cout << 2), r.cout, r.binsOut);
    let m = n;
    if (i > 1) {
      // cat(y, e_{i−1}) on channels, then ELU over both (so the skip passes ELU twice, as Tan's code)
      const e = recordAt<GcrnEncoder>(w.enc, i - 2);
      memory.copy(y + (<usize>n << 2), skipAt(sc, i - 1), <usize>(e.cout * e.binsOut) << 2);
      m += e.cout * e.binsOut;
    }
    eluApply(y, y, m, 1.0);
    x = y;
  }
  const fc = recordAt<Linear>(w.fc, d - 1);
  matApply(out, linearMat(fc), fc.bias, x, sc.tmp); // Linear 161 → 161 along frequency
}

/** One hop: inHop f32[160] → outHop f32[160]. */
export function gcrnStep(weights: usize, state: usize, scratch: usize, inHop: usize, outHop: usize): void {
  const w = changetype<GcrnWeights>(weights);
  const st = changetype<GcrnState>(state);
  const sc = changetype<GcrnScratch>(scratch);
  if (hopSanitize(sc.hop, inHop, HOP_SAMPLES) != 0) {
    gcrnReset(weights, state);
    hopSilence(outHop, HOP_SAMPLES);
    return;
  }
  stftAnalyzeHop(st.stft, sc.hop, sc.spec, sc.spec + (<usize>NUM_BINS << 2)); // Y as [2][161]
  let x = sc.spec;
  if (w.compress) {
    spectrumPowerCompress(sc.specIn, sc.specIn + (<usize>NUM_BINS << 2), sc.spec, sc.spec + (<usize>NUM_BINS << 2), NUM_BINS, INPUT_POWER, INPUT_EPS);
    x = sc.specIn;
  }
  for (let i = 1; i <= w.blocks; i++) x = gcrnEncode(w, sc, i, x); //          e_1 … e_N
  const h = gcrnGroupedLstm(w, st, sc, x); //                                     [F]
  memory.copy(sc.decIn, h, <usize>w.features << 2); //                           cat(LSTM out, e_N)
  memory.copy(sc.decIn + (<usize>w.features << 2), x, <usize>w.features << 2);
  gcrnDecode(w, sc, 1, sc.outRe); //                                             Re Ŝ
  gcrnDecode(w, sc, 2, sc.outIm); //                                             Im Ŝ
  if (w.mask) spectrumComplexMask(sc.outRe, sc.outIm, sc.spec, sc.spec + (<usize>NUM_BINS << 2), NUM_BINS); // M ⊙ Y
  stftSynthesizeHop(st.stft, sc.outRe, sc.outIm, outHop);
  if (!hopFinite(outHop, HOP_SAMPLES)) {
    gcrnReset(weights, state);
    hopSilence(outHop, HOP_SAMPLES);
  }
}
