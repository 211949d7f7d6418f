// Causal uPIT-LSTM (Kolbæk et al., TASLP 2017; Tan & Wang TASLP 2021 §IV-D) streaming on its own
// STFT at the model's rate (8 kHz), one STFT hop per call (80 samples = 10 ms at edge):
//   hop → frame Y (periodic Hamming W = 2·(bins − 1), hop W/2, W-point DFT: dsp/stft-sized.ts)
//       → |Y| [bins] → LSTM layer 1 … L (U units, PyTorch gate order i, f, g, o)
//       → per speaker s: mask_s = ReLU(linear.s(h)) [bins] → Ŝ_s = mask_s · Y (= mask_s·|Y| with
//         the mixture phase) → its own iSTFT overlap-add → output hop s
// (src/models/separation/upitLstm.ts is the libtorch definition, upitLstmLayout.ts the tensor names:
// funcwj's rnn.* and linear.{s}.) Geometry from the .hush hyper-parameters bins, layers, units,
// speakers; the signal path must be the one they imply (src/models/separation/hushConfig.ts).
//
// Stream state: the analysis STFT (its input history), one synthesis STFT per speaker (its overlap),
// h and c of every layer. Latency: W = 2·hop (one hop of buffering + the STFT's hop of delay), 20 ms
// at edge. Weights, state and scratch are three objects, as every net here.

import { memAlloc } from "../mem";
import {
  stftSizedAnalyzeHop, stftSizedCreate, stftSizedReset, stftSizedSynthesizeHop, STFT_SIZED_MAX_WINDOW,
} from "../dsp/stft-sized";
import { hushFftSize, hushHopSamples, hushOutputCount, hushWindowKind, hushWindowSamples } from "../format/decode";
import { HUSH_WINDOW_HAMMING_PERIODIC } from "../format/spec";
import { reluApply } from "../nn/activation";
import { lstmCellUpdate } from "../nn/lstm";
import { arenaFloats, arenaTake } from "./arena";
import { hopFinite, hopSanitize, hopSilence } from "./guard";
import { Mat, matApply, matApplyAcc } from "./mat";
import { Linear, recordAt, recordsCreate } from "./records";
import { Binder, binderFail, binderFind, binderLayer, binderLstmCellMacs, binderFixedMacs, binderMat, binderSum, binderVec } from "./binder";
import { hparamInt } from "./hparams";
import { nm } from "./name";
import { spectrumMagnitude, spectrumMask } from "./spectrum";

/** One LSTM layer: gates = W_ih·x + W_hh·h + (b_ih + b_hh). */
@unmanaged class UpitLayer {
  wih: usize; //   Mat [4U][in]
  whh: usize; //   Mat [4U][U]
  bias: usize; //  f32[4U], b_ih + b_hh summed at load
}

/** Read-only after load. */
@unmanaged class UpitWeights {
  bins: i32;
  layers: i32;
  units: i32;
  speakers: i32;
  window: i32; //   W samples
  hop: i32; //      W/2 samples per call
  tmpFloats: i32;
  layer: usize; //  UpitLayer[layers]
  mask: usize; //   Linear[speakers]: linear.{s}, Mat [bins][U] and bias f32[bins]
}

/** The stream. */
@unmanaged class UpitState {
  analysis: usize; //  stft-sized object (its input history)
  synthesis: usize; // usize[speakers]: one stft-sized object per speaker (its overlap)
  h: usize; //         f32[layers][U]
  c: usize; //         f32[layers][U]
}

/** Per-hop buffers (f32). */
@unmanaged class UpitScratch {
  hop: usize; //   [hop]
  re: usize; //    [bins] Y
  im: usize; //    [bins]
  mag: usize; //   [bins] |Y|
  gates: usize; // [4U]
  mask: usize; //  [bins]
  sRe: usize; //   [bins] Ŝ_s
  sIm: usize; //   [bins]
  tmp: usize;
}

/** Tensor rnn<suffix><l>, e.g. rnn.weight_ih_l0. */
function rnnFind(b: Binder, suffix: string, l: i32, rank: i32, d0: i32, d1: i32): i32 {
  nm("rnn").s(suffix).int(l);
  binderLayer(b);
  return binderFind(b, "", rank, d0, d1);
}

/**
 * uPIT-LSTM's description, bound to file b: hyper-parameters bins, layers, units, speakers; the STFT
 * they imply (window 2·(bins − 1), hop bins − 1, same DFT, periodic Hamming); one output per speaker;
 * rnn.{weight_ih,weight_hh,bias_ih,bias_hh}_l{l}, linear.{s}.{weight,bias}. Returns the weights.
 */
export function upitLstmBind(b: Binder): usize {
  const bins = hparamInt(b, "bins", 2);
  const layers = hparamInt(b, "layers");
  const units = hparamInt(b, "units");
  const C = hparamInt(b, "speakers", 2);
  if (b.failed) return 0;
  const W = 2 * (bins - 1);
  if (W > STFT_SIZED_MAX_WINDOW) {
    binderFail(b).s("bins = ").int(bins).s(" needs a ").int(W).s("-sample window, more than this runtime's ").int(STFT_SIZED_MAX_WINDOW);
    return 0;
  }
  if (<i32>hushWindowSamples(b.s) != W || <i32>hushHopSamples(b.s) != W / 2 || <i32>hushFftSize(b.s) != W
    || <i32>hushWindowKind(b.s) != HUSH_WINDOW_HAMMING_PERIODIC) {
    binderFail(b).s("the signal path must be the STFT of ").int(bins).s(" bins (periodic Hamming ").int(W).s(", hop ").int(W / 2)
      .s(", DFT ").int(W).s("); the file has window ").int(hushWindowSamples(b.s)).s(", hop ").int(hushHopSamples(b.s))
      .s(", DFT ").int(hushFftSize(b.s)).s(", window kind ").int(hushWindowKind(b.s));
    return 0;
  }
  if (<i32>hushOutputCount(b.s) != C) {
    binderFail(b).s("hyper-parameter speakers = ").int(C).s(" but the file declares ").int(hushOutputCount(b.s)).s(" outputs");
    return 0;
  }
  const p = memAlloc(<u32>offsetof<UpitWeights>());
  if (p == 0) return 0;
  const w = changetype<UpitWeights>(p);
  w.bins = bins;
  w.layers = layers;
  w.units = units;
  w.speakers = C;
  w.window = W;
  w.hop = W / 2;
  w.layer = recordsCreate<UpitLayer>(layers);
  w.mask = recordsCreate<Linear>(C);
  if (w.layer == 0 || w.mask == 0) return 0;
  const u4 = 4 * units;
  for (let l = 0; l < layers; l++) {
    const r = recordAt<UpitLayer>(w.layer, l);
    const inF = l == 0 ? bins : units;
    r.wih = changetype<usize>(binderMat(b, rnnFind(b, ".weight_ih_l", l, 2, u4, inF)));
    r.whh = changetype<usize>(binderMat(b, rnnFind(b, ".weight_hh_l", l, 2, u4, units)));
    r.bias = binderSum(b, rnnFind(b, ".bias_ih_l", l, 1, u4, 0), rnnFind(b, ".bias_hh_l", l, 1, u4, 0));
    binderLstmCellMacs(b, units);
  }
  for (let s = 0; s < C; s++) {
    const r = recordAt<Linear>(w.mask, s);
    nm("linear.").int(s);
    binderLayer(b);
    r.mat = changetype<usize>(binderMat(b, binderFind(b, ".weight", 2, bins, units)));
    r.bias = binderVec(b, binderFind(b, ".bias", 1, bins));
  }
  binderFixedMacs(b, C * bins); // masks × mixture spectrum
  w.tmpFloats = b.tmpFloats;
  return p;
}

export function upitLstmStateCreate(weights: usize): usize {
  const w = changetype<UpitWeights>(weights);
  const p = memAlloc(<u32>offsetof<UpitState>());
  if (p == 0) return 0;
  const st = changetype<UpitState>(p);
  st.analysis = stftSizedCreate(w.window);
  st.synthesis = memAlloc(<u32>(w.speakers * sizeof<usize>()));
  st.h = memAlloc(<u32>(w.layers * w.units) << 2);
  st.c = memAlloc(<u32>(w.layers * w.units) << 2);
  if (!(st.analysis && st.synthesis && st.h && st.c)) return 0;
  for (let s = 0; s < w.speakers; s++) {
    const q = stftSizedCreate(w.window);
    if (q == 0) return 0;
    store<usize>(st.synthesis + <usize>s * sizeof<usize>(), q);
  }
  return p;
}

export function upitLstmScratchCreate(weights: usize): usize {
  const w = changetype<UpitWeights>(weights);
  const p = arenaTake(<u32>offsetof<UpitScratch>());
  if (p == 0) return 0;
  const sc = changetype<UpitScratch>(p);
  sc.hop = arenaFloats(w.hop);
  sc.re = arenaFloats(w.bins);
  sc.im = arenaFloats(w.bins);
  sc.mag = arenaFloats(w.bins);
  sc.gates = arenaFloats(4 * w.units);
  sc.mask = arenaFloats(w.bins);
  sc.sRe = arenaFloats(w.bins);
  sc.sIm = arenaFloats(w.bins);
  sc.tmp = arenaFloats(w.tmpFloats + 4 * w.units); // + rows for matApplyAcc of a compact matrix
  return sc.hop && sc.re && sc.im && sc.mag && sc.gates && sc.mask && sc.sRe && sc.sIm && sc.tmp ? p : 0;
}

export function upitLstmReset(weights: usize, state: usize): void {
  const w = changetype<UpitWeights>(weights);
  const st = changetype<UpitState>(state);
  stftSizedReset(st.analysis);
  for (let s = 0; s < w.speakers; s++) stftSizedReset(load<usize>(st.synthesis + <usize>s * sizeof<usize>()));
  memory.fill(st.h, 0, <usize>(w.layers * w.units) << 2);
  memory.fill(st.c, 0, <usize>(w.layers * w.units) << 2);
}

/** Samples per call: one STFT hop. */
export function upitLstmHopSamples(weights: usize): i32 {
  return changetype<UpitWeights>(weights).hop;
}
export function upitLstmOutputCount(weights: usize): i32 {
  return changetype<UpitWeights>(weights).speakers;
}
/** One hop of buffering + the STFT's hop of delay = the window. */
export function upitLstmLatencySamples(weights: usize): i32 {
  return changetype<UpitWeights>(weights).window;
}

/** One hop: inHop f32[hop] → outHops f32[C][hop], each out[n] = speaker s of in[n − hop]. */
export function upitLstmStep(weights: usize, state: usize, scratch: usize, inHop: usize, outHops: usize): void {
  const w = changetype<UpitWeights>(weights);
  const st = changetype<UpitState>(state);
  const sc = changetype<UpitScratch>(scratch);
  const hopBytes = <usize>w.hop << 2;
  const binBytes = <usize>w.bins << 2;
  if (hopSanitize(sc.hop, inHop, w.hop) != 0) {
    upitLstmReset(weights, state);
    hopSilence(outHops, w.speakers * w.hop);
    return;
  }
  stftSizedAnalyzeHop(st.analysis, sc.hop, sc.re, sc.im); //  Y
  spectrumMagnitude(sc.mag, sc.re, sc.im, w.bins); //         |Y|
  const U = w.units;
  let x = sc.mag;
  for (let l = 0; l < w.layers; l++) {
    const r = recordAt<UpitLayer>(w.layer, l);
    const h = st.h + (<usize>(l * U) << 2);
    const c = st.c + (<usize>(l * U) << 2);
    matApply(sc.gates, changetype<Mat>(r.wih), r.bias, x, sc.tmp); //   W_ih·x + b
    matApplyAcc(sc.gates, changetype<Mat>(r.whh), 0, h, sc.tmp); //     + W_hh·h
    lstmCellUpdate(h, c, sc.gates, U);
    x = h;
  }
  for (let s = 0; s < w.speakers; s++) {
    const lin = recordAt<Linear>(w.mask, s);
    matApply(sc.mask, changetype<Mat>(lin.mat), lin.bias, x, sc.tmp);
    reluApply(sc.mask, sc.mask, w.bins); //                   mask_s ≥ 0
    memory.copy(sc.sRe, sc.re, binBytes);
    memory.copy(sc.sIm, sc.im, binBytes);
    spectrumMask(sc.sRe, sc.sIm, sc.mask, w.bins); //         Ŝ_s = mask_s · Y
    stftSizedSynthesizeHop(load<usize>(st.synthesis + <usize>s * sizeof<usize>()), sc.sRe, sc.sIm, outHops + <usize>s * hopBytes);
  }
  if (!hopFinite(outHops, w.speakers * w.hop)) {
    upitLstmReset(weights, state);
    hopSilence(outHops, w.speakers * w.hop);
  }
}
