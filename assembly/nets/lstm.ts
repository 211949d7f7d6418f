// LSTM net (Tan & Wang TASLP 2021 §III-B2) streaming, one 10-ms hop per call:
//   hop → STFT frame Y → |Y| [161] → LSTM layer 1 … L (H units each, PyTorch gate order i, f, g, o)
//       → Linear H→161 + ReLU = |Ŝ| → Ŝ = |Ŝ| · Y/|Y| (noisy phase) → iSTFT overlap-add → hop
// Geometry (`lstm_units`, `lstm_layers`) comes from the .hush hyper-parameters (lstmNetBind,
// mirroring src/models/lstmLayout.ts). Tensors: lstm.weight_ih_l{l},
// lstm.weight_hh_l{l}, lstm.bias_ih_l{l} + lstm.bias_hh_l{l} (summed at load), fc.
//
// Exported as lstmNet* (lstmStep is the cell kernel of assembly/nn/lstm.ts).
//
// Stream state: the STFT memories and h, c of every layer (zero at stream start, as nn.LSTM's
// default initial state). Latency: STFT_LATENCY_SAMPLES = 320.

import { memAlloc } from "../mem";
import { NUM_BINS, HOP_SAMPLES, STFT_LATENCY_SAMPLES } from "../dsp/constants";
import { stftAnalyzeHop, stftCreate, stftReset, stftSynthesizeHop } from "../dsp/stft";
import { reluApply } from "../nn/activation";
import { lstmCellUpdate } from "../nn/lstm";
import { arenaFloats, arenaTake } from "./arena";
import { hopFinite, hopSanitize, hopSilence } from "./guard";
import { Mat, matApply, matApplyAcc } from "./mat";
import { recordAt, recordsCreate } from "./records";
import { Binder, binderFind, binderLayer, binderLstmCellMacs, binderMat, binderSum, binderVec } from "./binder";
import { hparamInt } from "./hparams";
import { nm } from "./name";
import { spectrumMagnitude, spectrumMagnitudePhase } from "./spectrum";

/** One LSTM layer's weights: gates = W_ih·x + W_hh·h + bias. */
@unmanaged class LstmLayer {
  /** Mat [4H][in]. */
  wih: usize;
  /** Mat [4H][H]. */
  whh: usize;
  /** f32[4H] = b_ih + b_hh. */
  bias: usize;
}

/** Read-only after load. */
@unmanaged class LstmWeights {
  layers: i32;
  /** H, units per layer. */
  units: i32;
  tmpFloats: i32;
  /** LstmLayer[layers]. */
  layer: usize;
  /** Output layer fc, Linear H → 161: Mat [161][H] and bias f32[161]. */
  fcMat: usize;
  fcBias: usize;
}

/** The stream. */
@unmanaged class LstmState {
  stft: usize;
  /** f32[layers][H] hidden states. */
  h: usize;
  /** f32[layers][H] cell states. */
  c: usize;
}

/** Per-hop buffers (f32). */
@unmanaged class LstmScratch {
  hop: usize; //   [160]
  re: usize; //    [161]  Y, then Ŝ
  im: usize; //    [161]
  mag: usize; //   [161]  |Y|
  gates: usize; // [4H]
  est: usize; //   [161]  |Ŝ|
  tmp: usize; //   [tmpFloats]
}

/**
 * The LSTM net's description, bound to file b (binder.ts): lstm_layers layers of nn.LSTM
 * (lstm.weight_ih_l{l} [4H, in], lstm.weight_hh_l{l} [4H, H], biases [4H] summed at load), then fc
 * Linear H → 161. Returns the weights (read-only after load).
 */
export function lstmNetBind(b: Binder): usize {
  const units = hparamInt(b, "lstm_units");
  const layers = hparamInt(b, "lstm_layers");
  const p = memAlloc(<u32>offsetof<LstmWeights>());
  if (p == 0) return 0;
  const w = changetype<LstmWeights>(p);
  w.layers = layers;
  w.units = units;
  w.layer = recordsCreate<LstmLayer>(layers);
  if (w.layer == 0) return 0;
  const h4 = 4 * units;
  for (let l = 0; l < layers; l++) {
    const r = recordAt<LstmLayer>(w.layer, l);
    const inF = l == 0 ? NUM_BINS : units;
    r.wih = changetype<usize>(binderMat(b, lstmFind(b, ".weight_ih_l", l, 2, h4, inF)));
    r.whh = changetype<usize>(binderMat(b, lstmFind(b, ".weight_hh_l", l, 2, h4, units)));
    r.bias = binderSum(b, lstmFind(b, ".bias_ih_l", l, 1, h4, 0), lstmFind(b, ".bias_hh_l", l, 1, h4, 0));
    binderLstmCellMacs(b, units);
  }
  nm("fc");
  binderLayer(b);
  w.fcMat = changetype<usize>(binderMat(b, binderFind(b, ".weight", 2, NUM_BINS, units)));
  w.fcBias = binderVec(b, binderFind(b, ".bias", 1, NUM_BINS));
  w.tmpFloats = b.tmpFloats;
  return p;
}

/** Tensor lstm<suffix><l>, e.g. lstm.weight_ih_l0. */
function lstmFind(b: Binder, suffix: string, l: i32, rank: i32, d0: i32, d1: i32): i32 {
  nm("lstm").s(suffix).int(l);
  binderLayer(b);
  return binderFind(b, "", rank, d0, d1);
}

export function lstmNetStateCreate(weights: usize): usize {
  const w = changetype<LstmWeights>(weights);
  const p = memAlloc(<u32>offsetof<LstmState>());
  if (p == 0) return 0;
  const st = changetype<LstmState>(p);
  st.stft = stftCreate();
  st.h = memAlloc(<u32>(w.layers * w.units) << 2);
  st.c = memAlloc(<u32>(w.layers * w.units) << 2);
  return st.stft && st.h && st.c ? p : 0;
}

export function lstmNetScratchCreate(weights: usize): usize {
  const w = changetype<LstmWeights>(weights);
  const p = arenaTake(<u32>offsetof<LstmScratch>());
  if (p == 0) return 0;
  const sc = changetype<LstmScratch>(p);
  sc.hop = arenaFloats(HOP_SAMPLES);
  sc.re = arenaFloats(NUM_BINS);
  sc.im = arenaFloats(NUM_BINS);
  sc.mag = arenaFloats(NUM_BINS);
  sc.gates = arenaFloats(4 * w.units);
  sc.est = arenaFloats(NUM_BINS);
  sc.tmp = arenaFloats(w.tmpFloats);
  return sc.hop && sc.re && sc.im && sc.mag && sc.gates && sc.est && sc.tmp ? p : 0;
}

export function lstmNetReset(weights: usize, state: usize): void {
  const w = changetype<LstmWeights>(weights);
  const st = changetype<LstmState>(state);
  stftReset(st.stft);
  memory.fill(st.h, 0, <usize>(w.layers * w.units) << 2);
  memory.fill(st.c, 0, <usize>(w.layers * w.units) << 2);
}

export function lstmNetLatencySamples(): i32 {
  return STFT_LATENCY_SAMPLES;
}

/** One hop: inHop f32[160] → outHop f32[160]. */
export function lstmNetStep(weights: usize, state: usize, scratch: usize, inHop: usize, outHop: usize): void {
  const w = changetype<LstmWeights>(weights);
  const st = changetype<LstmState>(state);
  const sc = changetype<LstmScratch>(scratch);
  if (hopSanitize(sc.hop, inHop, HOP_SAMPLES) != 0) {
    lstmNetReset(weights, state);
    hopSilence(outHop, HOP_SAMPLES);
    return;
  }
  stftAnalyzeHop(st.stft, sc.hop, sc.re, sc.im); //   Y
  spectrumMagnitude(sc.mag, sc.re, sc.im, NUM_BINS); // |Y|
  const H = w.units;
  let x = sc.mag;
  for (let l = 0; l < w.layers; l++) {
    const r = recordAt<LstmLayer>(w.layer, l);
    const h = st.h + (<usize>(l * H) << 2);
    const c = st.c + (<usize>(l * H) << 2);
    matApply(sc.gates, changetype<Mat>(r.wih), r.bias, x, sc.tmp); //   W_ih·x + b
    matApplyAcc(sc.gates, changetype<Mat>(r.whh), 0, h, sc.tmp); //     + W_hh·h
    lstmCellUpdate(h, c, sc.gates, H); //                               h, c ← cell(gates, c)
    x = h;
  }
  matApply(sc.est, changetype<Mat>(w.fcMat), w.fcBias, x, sc.tmp);
  reluApply(sc.est, sc.est, NUM_BINS); //                  |Ŝ| ≥ 0
  spectrumMagnitudePhase(sc.re, sc.im, sc.est, NUM_BINS); // Ŝ = |Ŝ| · Y/|Y|
  stftSynthesizeHop(st.stft, sc.re, sc.im, outHop);
  if (!hopFinite(outHop, HOP_SAMPLES)) {
    lstmNetReset(weights, state);
    hopSilence(outHop, HOP_SAMPLES);
  }
}
