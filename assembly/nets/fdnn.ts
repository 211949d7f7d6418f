// FDNN (Tan & Wang TASLP 2021 §III-B1) streaming, one 10-ms hop per call:
//   hop → STFT frame Y → |Y| [161] → (Linear + ReLU) × hidden layers → Linear 161 + sigmoid = IRM
//       → Ŝ = IRM · Y (noisy phase) → iSTFT overlap-add → hop
// Geometry (hidden widths) comes from the .hush hyper-parameter `hidden_units` (fdnnBind, mirroring
// src/models/fdnnLayout.ts): layer i is Linear fc{i+1}, the last is `out`. Frame-wise network, so the only stream state is the STFT's.
//
// Latency: STFT_LATENCY_SAMPLES = 320 (one hop of input buffering + 160 samples of stream delay:
// output sample n of the hop stream is the enhanced input sample n − 160).

import { memAlloc } from "../mem";
import { NUM_BINS, HOP_SAMPLES, STFT_LATENCY_SAMPLES } from "../dsp/constants";
import { stftAnalyzeHop, stftCreate, stftReset, stftSynthesizeHop } from "../dsp/stft";
import { reluApply, sigmoidApply } from "../nn/activation";
import { arenaFloats, arenaTake } from "./arena";
import { hopFinite, hopSanitize, hopSilence } from "./guard";
import { matApply } from "./mat";
import { Binder, binderFind, binderLayer, binderMat, binderVec } from "./binder";
import { hparamInts } from "./hparams";
import { nm } from "./name";
import { Linear, linearMat, recordAt, recordsCreate } from "./records";
import { spectrumMagnitude, spectrumMask } from "./spectrum";

/** Read-only after load. */
@unmanaged class FdnnWeights {
  /** Linear layers including the output layer (≥ 1). */
  layers: i32;
  /** Widest layer output (floats of the activation buffers). */
  widest: i32;
  /** Floats of Mat scratch the layers need (largest matScratchFloats). */
  tmpFloats: i32;
  /** Linear[layers]: fc1 … fcL, then out. */
  layer: usize;
}

/** The stream. */
@unmanaged class FdnnState {
  /** Streaming STFT object (assembly/dsp/stft.ts: its own tables + analysis/overlap memories). */
  stft: usize;
}

/** Per-hop buffers (f32). */
@unmanaged class FdnnScratch {
  hop: usize; //  [160]      sanitised input hop
  re: usize; //   [161]      Y, then Ŝ
  im: usize; //   [161]
  a: usize; //    [widest]   activations, ping
  b: usize; //    [widest]   activations, pong
  tmp: usize; //  [tmpFloats] Mat scratch
}

/**
 * The FDNN's description, bound to file b (binder.ts): Linear fc{i} (hidden_units[i − 1] outputs) + ReLU
 * for each hidden layer, then Linear `out` (161) + sigmoid. Returns the weights (read-only after load).
 */
export function fdnnBind(b: Binder): usize {
  const hidden = hparamInts(b, "hidden_units");
  const layers = hidden.length + 1;
  const p = memAlloc(<u32>offsetof<FdnnWeights>());
  if (p == 0) return 0;
  const w = changetype<FdnnWeights>(p);
  w.layers = layers;
  w.widest = NUM_BINS;
  w.layer = recordsCreate<Linear>(layers);
  if (w.layer == 0) return 0;
  let inF = NUM_BINS;
  for (let i = 0; i < layers; i++) {
    const outF = i < hidden.length ? hidden.get(i) : NUM_BINS;
    if (i < hidden.length) nm("fc").int(i + 1);
    else nm("out");
    binderLayer(b);
    const l = recordAt<Linear>(w.layer, i);
    l.mat = changetype<usize>(binderMat(b, binderFind(b, ".weight", 2, outF, inF)));
    l.bias = binderVec(b, binderFind(b, ".bias", 1, outF));
    w.widest = max(w.widest, outF);
    inF = outF;
  }
  w.tmpFloats = b.tmpFloats;
  return p;
}

/** A fresh stream for these weights. */
export function fdnnStateCreate(weights: usize): usize {
  const p = memAlloc(<u32>offsetof<FdnnState>());
  if (p == 0) return 0;
  const st = changetype<FdnnState>(p);
  st.stft = stftCreate();
  return st.stft == 0 ? 0 : p;
}

/** Per-hop scratch (carved from the load-scratch block first, see arena.ts). */
export function fdnnScratchCreate(weights: usize): usize {
  const w = changetype<FdnnWeights>(weights);
  const p = arenaTake(<u32>offsetof<FdnnScratch>());
  if (p == 0) return 0;
  const sc = changetype<FdnnScratch>(p);
  sc.hop = arenaFloats(HOP_SAMPLES);
  sc.re = arenaFloats(NUM_BINS);
  sc.im = arenaFloats(NUM_BINS);
  sc.a = arenaFloats(w.widest);
  sc.b = arenaFloats(w.widest);
  sc.tmp = arenaFloats(w.tmpFloats);
  return sc.hop && sc.re && sc.im && sc.a && sc.b && sc.tmp ? p : 0;
}

/** Clears the stream (as at its start). */
export function fdnnReset(weights: usize, state: usize): void {
  stftReset(changetype<FdnnState>(state).stft);
}

/** Real-time latency in samples: one hop of buffering + the STFT's 160-sample stream delay. */
export function fdnnLatencySamples(): i32 {
  return STFT_LATENCY_SAMPLES;
}

/** One hop: inHop f32[160] → outHop f32[160] (the enhanced input from 160 samples earlier). */
export function fdnnStep(weights: usize, state: usize, scratch: usize, inHop: usize, outHop: usize): void {
  const w = changetype<FdnnWeights>(weights);
  const st = changetype<FdnnState>(state);
  const sc = changetype<FdnnScratch>(scratch);
  if (hopSanitize(sc.hop, inHop, HOP_SAMPLES) != 0) {
    fdnnReset(weights, state);
    hopSilence(outHop, HOP_SAMPLES);
    return;
  }
  stftAnalyzeHop(st.stft, sc.hop, sc.re, sc.im); //  Y
  spectrumMagnitude(sc.a, sc.re, sc.im, NUM_BINS); // |Y|
  let x = sc.a, y = sc.b;
  for (let i = 0; i < w.layers; i++) {
    const l = recordAt<Linear>(w.layer, i);
    const m = linearMat(l);
    matApply(y, m, l.bias, x, sc.tmp);
    if (i < w.layers - 1) reluApply(y, y, m.rows);
    else sigmoidApply(y, y, m.rows); // IRM estimate, (0, 1)
    const t = x; x = y; y = t;
  }
  spectrumMask(sc.re, sc.im, x, NUM_BINS); // Ŝ = IRM · Y
  stftSynthesizeHop(st.stft, sc.re, sc.im, outHop);
  if (!hopFinite(outHop, HOP_SAMPLES)) {
    fdnnReset(weights, state);
    hopSilence(outHop, HOP_SAMPLES);
  }
}
