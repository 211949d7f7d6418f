// Causal Conv-TasNet (Luo & Mesgarani, TASLP 2019; Tan & Wang TASLP 2021 §IV-D) streaming at the
// model's rate (8 kHz), one 10-ms hop (80 samples) per call = hop / (L/2) encoder frames, each
// frame reading top to bottom:
//   frame [L] = last L/2 input samples (state) + the next L/2
//     → encoder  ReLU(W_enc · frame)                              [N]   (conv1d, kernel L, stride L/2)
//     → cLN(N) → bottleneck 1×1 N → B                             x [B]
//     → X·R blocks i: 1×1 B → H → PReLU → cLN(H) → depthwise causal conv (kernel P, dilation
//       2^(i mod X), ring of (P − 1)·d past frames) → PReLU → cLN(H); x += res_conv(·) (B),
//       skip += skip_conv(·) (Sc)
//     → masks    sigmoid(1×1 Sc → C·N (PReLU(skip)))              [C][N]
//     → decoder  per speaker s: (mask_s ⊙ enc) · W_dec              [C][L]  (ConvTranspose1d, stride L/2)
//     → overlap-add: out_s = this frame's first L/2 + the previous frame's last L/2 (state)
// (src/models/separation/convTasNet.ts is the libtorch definition, convTasNetLayout.ts the tensor
// names: asteroid's.) Every cLN keeps its running Σx, Σx² and count in f64 (nn/cumulative-layer-norm.ts),
// so the streamed normalisation equals the offline cLN over the whole utterance so far.
//
// Alignment with the offline forward (whole utterance, frames over [L/2 zeros, x, zeros]): the output
// hop's sample i of hop b is the offline output sample 80·b + i − L/2, i.e. the stream lags by L/2
// samples (the decoder frame's second half waits for the next frame). Latency: one hop of input
// buffering + L/2 = 88 samples (11 ms) for L = 16.
//
// Weights (read-only), stream state and per-hop scratch are three objects, as every net here.

import { memAlloc } from "../mem";
import { preluApply, reluApply, sigmoidApply } from "../nn/activation";
import { cumulativeLayerNormStep, CLN_STATE_DOUBLES } from "../nn/cumulative-layer-norm";
import { depthwiseConv1dStep } from "../nn/conv1d-depthwise";
import { hushHopSamples, hushFftSize, hushOutputCount, hushSampleRate, hushWindowKind, hushWindowSamples } from "../format/decode";
import { HUSH_WINDOW_RECTANGULAR } from "../format/spec";
import { arenaFloats, arenaTake } from "./arena";
import { hopFinite, hopSanitize, hopSilence } from "./guard";
import { Mat, matApply, matApplyAcc } from "./mat";
import { recordAt, recordsCreate } from "./records";
import { Binder, binderFail, binderFind, binderFixedMacs, binderLayer, binderMat, binderVec } from "./binder";
import { hparamInt } from "./hparams";
import { nm } from "./name";

/** ε of the cLN variance: asteroid's EPS (src/models/separation/cumulativeLayerNorm.ts CLN_EPS). */
const CLN_EPS: f64 = 1e-8;
/** Milliseconds per hop: the runtimes process 10-ms hops (src/models/separation/sizes.ts SEPARATION_BLOCK_MS). */
const HOP_MS: i32 = 10;

/** One TCN block (masker.TCN.{i}). */
@unmanaged class TasNetBlock {
  inMat: usize; //      Mat [H][B]   shared_block.0 (1×1 conv)
  inBias: usize; //     f32[H]
  slope1: usize; //     f32[1]       shared_block.1 (PReLU)
  gamma1: usize; //     f32[H]       shared_block.2 (cLN)
  beta1: usize;
  dw: usize; //         f32[H][P]    shared_block.3.0 (depthwise, [H][1][P])
  dwBias: usize; //     f32[H]
  slope2: usize; //     f32[1]       shared_block.4
  gamma2: usize; //     f32[H]       shared_block.5
  beta2: usize;
  resMat: usize; //     Mat [B][H]   res_conv
  resBias: usize;
  skipMat: usize; //    Mat [Sc][H]  skip_conv
  skipBias: usize;
  dilation: i32;
}

/** Read-only after load. */
@unmanaged class TasNetWeights {
  N: i32; //            encoder bases
  L: i32; //            encoder kernel, samples
  stride: i32; //       L/2, samples per encoder frame
  B: i32;
  H: i32;
  Sc: i32;
  P: i32; //            depthwise kernel
  blocks: i32; //       X·R
  speakers: i32; //     C, the model's outputs
  hop: i32; //          samples per call (10 ms)
  frames: i32; //       hop / stride encoder frames per call
  tmpFloats: i32;
  encoder: usize; //    Mat [N][L]   encoder.filterbank._filters ([N][1][L])
  inGamma: usize; //    f32[N]       masker.bottleneck.0 (cLN)
  inBeta: usize;
  bottleneck: usize; // Mat [B][N]   masker.bottleneck.1
  bottleneckBias: usize;
  tcn: usize; //        TasNetBlock[blocks]
  maskSlope: usize; //  f32[1]       masker.mask_net.0 (PReLU)
  maskMat: usize; //    Mat [C·N][Sc] masker.mask_net.1 (row s·N + k: speaker s, base k)
  maskBias: usize;
  decoder: usize; //    f32[N][L]    decoder.filterbank._filters ([N][1][L], dense)
}

/** The stream. */
@unmanaged class TasNetState {
  tail: usize; //       f32[stride]   the previous L/2 input samples (zeros at the start: the left pad)
  pending: usize; //    f32[C][stride] each speaker's decoder-frame second half, added to the next frame
  cln: usize; //        f64[1 + 2·blocks][3]: input cLN, then block i's two at 1 + 2i, 2 + 2i
  rings: usize; //      every depthwise ring, one block of ringBytes
  ringBytes: i32;
  ring: usize; //       usize[blocks]
  pos: usize; //        i32[blocks]
}

/** Per-hop buffers (f32). */
@unmanaged class TasNetScratch {
  hop: usize; //        [hop] sanitised input
  frame: usize; //      [L]
  enc: usize; //        [N] encoder output (ReLU), what the masks multiply
  normed: usize; //     [N]
  x: usize; //          [B] residual path
  h1: usize; //         [H]
  h2: usize; //         [H]
  skip: usize; //       [Sc] skip sum
  score: usize; //      [C·N] masks
  dec: usize; //        [L] one speaker's decoder frame
  tmp: usize; //        Mat scratch
}

/**
 * Conv-TasNet's description, bound to file b (binder.ts): hyper-parameters N L B H Sc P X R speakers
 * (docs/format.md, src/models/separation/hushConfig.ts), the 8-kHz framing they imply (window L,
 * hop L/2, DFT L, rectangular), 10-ms hops of whole encoder frames, one output per speaker; then
 * every tensor by its asteroid name. Returns the weights.
 */
export function convTasNetBind(b: Binder): usize {
  const N = hparamInt(b, "N");
  const L = hparamInt(b, "L", 2);
  const B = hparamInt(b, "B");
  const H = hparamInt(b, "H");
  const Sc = hparamInt(b, "Sc");
  const P = hparamInt(b, "P");
  const X = hparamInt(b, "X");
  const R = hparamInt(b, "R");
  const C = hparamInt(b, "speakers", 2);
  if (b.failed) return 0;
  const stride = L / 2;
  const rate = <i32>hushSampleRate(b.s);
  const hop = rate * HOP_MS / 1000;
  if (L % 2 != 0 || X > 30) {
    binderFail(b).s("L must be even and X ≤ 30, got L = ").int(L).s(", X = ").int(X);
    return 0;
  }
  if (<i32>hushWindowSamples(b.s) != L || <i32>hushHopSamples(b.s) != stride || <i32>hushFftSize(b.s) != L
    || <i32>hushWindowKind(b.s) != HUSH_WINDOW_RECTANGULAR) {
    binderFail(b).s("the signal path must be the encoder's framing (window L = ").int(L).s(", hop ").int(stride)
      .s(", DFT ").int(L).s(", rectangular); the file has window ").int(hushWindowSamples(b.s)).s(", hop ").int(hushHopSamples(b.s))
      .s(", DFT ").int(hushFftSize(b.s)).s(", window kind ").int(hushWindowKind(b.s));
    return 0;
  }
  if (rate % (1000 / HOP_MS) != 0 || hop % stride != 0) {
    binderFail(b).s("a 10-ms hop must be whole encoder frames: ").int(rate).s(" Hz gives ").int(hop).s(" samples, frames of ").int(stride);
    return 0;
  }
  if (<i32>hushOutputCount(b.s) != C) {
    binderFail(b).s("hyper-parameter speakers = ").int(C).s(" but the file declares ").int(hushOutputCount(b.s)).s(" outputs");
    return 0;
  }
  const blocks = X * R;

  const p = memAlloc(<u32>offsetof<TasNetWeights>());
  if (p == 0) return 0;
  const w = changetype<TasNetWeights>(p);
  w.N = N;
  w.L = L;
  w.stride = stride;
  w.B = B;
  w.H = H;
  w.Sc = Sc;
  w.P = P;
  w.blocks = blocks;
  w.speakers = C;
  w.hop = hop;
  w.frames = hop / stride;
  w.tcn = recordsCreate<TasNetBlock>(blocks);
  if (w.tcn == 0) return 0;

  nm("encoder.filterbank");
  binderLayer(b);
  w.encoder = changetype<usize>(binderMat(b, binderFind(b, "._filters", 3, N, 1, L)));
  nm("masker.bottleneck.0");
  binderLayer(b);
  w.inGamma = binderVec(b, binderFind(b, ".gamma", 1, N));
  w.inBeta = binderVec(b, binderFind(b, ".beta", 1, N));
  nm("masker.bottleneck.1");
  binderLayer(b);
  w.bottleneck = changetype<usize>(binderMat(b, binderFind(b, ".weight", 3, B, N, 1)));
  w.bottleneckBias = binderVec(b, binderFind(b, ".bias", 1, B));
  for (let i = 0; i < blocks; i++) {
    const r = recordAt<TasNetBlock>(w.tcn, i);
    r.dilation = 1 << (i % X);
    nm("masker.TCN.").int(i);
    binderLayer(b);
    r.inMat = changetype<usize>(binderMat(b, binderFind(b, ".shared_block.0.weight", 3, H, B, 1)));
    r.inBias = binderVec(b, binderFind(b, ".shared_block.0.bias", 1, H));
    r.slope1 = binderVec(b, binderFind(b, ".shared_block.1.weight", 1, 1));
    r.gamma1 = binderVec(b, binderFind(b, ".shared_block.2.gamma", 1, H));
    r.beta1 = binderVec(b, binderFind(b, ".shared_block.2.beta", 1, H));
    r.dw = binderVec(b, binderFind(b, ".shared_block.3.0.weight", 3, H, 1, P), 1);
    r.dwBias = binderVec(b, binderFind(b, ".shared_block.3.0.bias", 1, H));
    r.slope2 = binderVec(b, binderFind(b, ".shared_block.4.weight", 1, 1));
    r.gamma2 = binderVec(b, binderFind(b, ".shared_block.5.gamma", 1, H));
    r.beta2 = binderVec(b, binderFind(b, ".shared_block.5.beta", 1, H));
    // the last block's res_conv feeds nothing (the masks read the skip sum) but is part of the state
    // dict: bound and counted in MACs, skipped in the step
    r.resMat = changetype<usize>(binderMat(b, binderFind(b, ".res_conv.weight", 3, B, H, 1)));
    r.resBias = binderVec(b, binderFind(b, ".res_conv.bias", 1, B));
    r.skipMat = changetype<usize>(binderMat(b, binderFind(b, ".skip_conv.weight", 3, Sc, H, 1)));
    r.skipBias = binderVec(b, binderFind(b, ".skip_conv.bias", 1, Sc));
  }
  nm("masker.mask_net");
  binderLayer(b);
  w.maskSlope = binderVec(b, binderFind(b, ".0.weight", 1, 1));
  w.maskMat = changetype<usize>(binderMat(b, binderFind(b, ".1.weight", 3, C * N, Sc, 1)));
  w.maskBias = binderVec(b, binderFind(b, ".1.bias", 1, C * N));
  nm("decoder.filterbank");
  binderLayer(b);
  w.decoder = binderVec(b, binderFind(b, "._filters", 3, N, 1, L), C); // used once per speaker
  binderFixedMacs(b, C * N); //                                           masks × encoder output
  w.tmpFloats = b.tmpFloats;
  // MACs so far are per encoder frame; a hop runs `frames` of them
  b.macs *= <f64>w.frames;
  return p;
}

/** Floats of block i's depthwise ring: (P − 1)·d frames of H. */
function ringFloats(w: TasNetWeights, i: i32): i32 {
  return (w.P - 1) * recordAt<TasNetBlock>(w.tcn, i).dilation * w.H;
}

export function convTasNetStateCreate(weights: usize): usize {
  const w = changetype<TasNetWeights>(weights);
  const p = memAlloc(<u32>offsetof<TasNetState>());
  if (p == 0) return 0;
  const st = changetype<TasNetState>(p);
  st.tail = memAlloc(<u32>w.stride << 2);
  st.pending = memAlloc(<u32>(w.speakers * w.stride) << 2);
  st.cln = memAlloc(<u32>((1 + 2 * w.blocks) * CLN_STATE_DOUBLES) << 3);
  st.ring = memAlloc(<u32>(max(w.blocks, 1) * sizeof<usize>()));
  st.pos = memAlloc(<u32>(max(w.blocks, 1) * 4));
  let floats = 0;
  for (let i = 0; i < w.blocks; i++) floats += (ringFloats(w, i) + 3) & ~3; // 16-byte aligned rings
  st.ringBytes = max(floats, 1) * 4;
  st.rings = memAlloc(<u32>st.ringBytes);
  if (!(st.tail && st.pending && st.cln && st.ring && st.pos && st.rings)) return 0;
  let at = st.rings;
  for (let i = 0; i < w.blocks; i++) {
    const n = ringFloats(w, i);
    store<usize>(st.ring + <usize>i * sizeof<usize>(), n > 0 ? at : 0);
    at += <usize>((n + 3) & ~3) << 2;
  }
  return p;
}

export function convTasNetScratchCreate(weights: usize): usize {
  const w = changetype<TasNetWeights>(weights);
  const p = arenaTake(<u32>offsetof<TasNetScratch>());
  if (p == 0) return 0;
  const sc = changetype<TasNetScratch>(p);
  sc.hop = arenaFloats(w.hop);
  sc.frame = arenaFloats(w.L);
  sc.enc = arenaFloats(w.N);
  sc.normed = arenaFloats(w.N);
  sc.x = arenaFloats(w.B);
  sc.h1 = arenaFloats(w.H);
  sc.h2 = arenaFloats(w.H);
  sc.skip = arenaFloats(w.Sc);
  sc.score = arenaFloats(w.speakers * w.N);
  sc.dec = arenaFloats(w.L);
  // matApplyAcc of a compact matrix needs rows more floats than its own scratch
  sc.tmp = arenaFloats(w.tmpFloats + max(max(w.B, w.Sc), w.speakers * w.N));
  return sc.hop && sc.frame && sc.enc && sc.normed && sc.x && sc.h1 && sc.h2 && sc.skip && sc.score && sc.dec && sc.tmp ? p : 0;
}

export function convTasNetReset(weights: usize, state: usize): void {
  const w = changetype<TasNetWeights>(weights);
  const st = changetype<TasNetState>(state);
  memory.fill(st.tail, 0, <usize>w.stride << 2);
  memory.fill(st.pending, 0, <usize>(w.speakers * w.stride) << 2);
  memory.fill(st.cln, 0, <usize>((1 + 2 * w.blocks) * CLN_STATE_DOUBLES) << 3);
  memory.fill(st.rings, 0, <usize>st.ringBytes);
  memory.fill(st.pos, 0, <usize>max(w.blocks, 1) << 2);
}

/** Samples per call (10 ms at the model's rate). */
export function convTasNetHopSamples(weights: usize): i32 {
  return changetype<TasNetWeights>(weights).hop;
}
/** Outputs per call: one hop per speaker. */
export function convTasNetOutputCount(weights: usize): i32 {
  return changetype<TasNetWeights>(weights).speakers;
}
/** Real-time latency: one hop of buffering + the decoder's L/2 (see the file comment). */
export function convTasNetLatencySamples(weights: usize): i32 {
  const w = changetype<TasNetWeights>(weights);
  return w.hop + w.stride;
}

/** cLN i's state (0: the input cLN; block k's: 1 + 2k, 2 + 2k). */
// @ts-ignore: decorator
@inline function clnAt(st: TasNetState, i: i32): usize {
  return st.cln + (<usize>(i * CLN_STATE_DOUBLES) << 3);
}

/** The separator (bottleneck, TCN, masks) of one encoder frame: sc.enc → sc.score [C][N] masks. */
function convTasNetSeparate(w: TasNetWeights, st: TasNetState, sc: TasNetScratch): void {
  cumulativeLayerNormStep(sc.normed, sc.enc, w.inGamma, w.inBeta, clnAt(st, 0), w.N, CLN_EPS);
  matApply(sc.x, changetype<Mat>(w.bottleneck), w.bottleneckBias, sc.normed, sc.tmp);
  memory.fill(sc.skip, 0, <usize>w.Sc << 2);
  for (let i = 0; i < w.blocks; i++) {
    const r = recordAt<TasNetBlock>(w.tcn, i);
    matApply(sc.h1, changetype<Mat>(r.inMat), r.inBias, sc.x, sc.tmp); //                   1×1 B → H
    preluApply(sc.h1, sc.h1, r.slope1, w.H, 1, 1);
    cumulativeLayerNormStep(sc.h1, sc.h1, r.gamma1, r.beta1, clnAt(st, 1 + 2 * i), w.H, CLN_EPS);
    const ring = load<usize>(st.ring + <usize>i * sizeof<usize>());
    const pos = st.pos + (<usize>i << 2);
    store<i32>(pos, depthwiseConv1dStep(sc.h2, sc.h1, ring, load<i32>(pos), r.dw, r.dwBias, w.H, w.P, r.dilation));
    preluApply(sc.h2, sc.h2, r.slope2, w.H, 1, 1);
    cumulativeLayerNormStep(sc.h2, sc.h2, r.gamma2, r.beta2, clnAt(st, 2 + 2 * i), w.H, CLN_EPS);
    if (i < w.blocks - 1) matApplyAcc(sc.x, changetype<Mat>(r.resMat), r.resBias, sc.h2, sc.tmp); // x += res
    matApplyAcc(sc.skip, changetype<Mat>(r.skipMat), r.skipBias, sc.h2, sc.tmp); //                 skip += …
  }
  preluApply(sc.skip, sc.skip, w.maskSlope, w.Sc, 1, 1);
  matApply(sc.score, changetype<Mat>(w.maskMat), w.maskBias, sc.skip, sc.tmp);
  sigmoidApply(sc.score, sc.score, w.speakers * w.N);
}

/**
 * Speaker s's decoder frame sc.dec [L] = Σ_n mask[s][n]·enc[n]·W_dec[n][·], then its overlap-add:
 * out [stride] = first half + pending; pending = second half.
 */
function convTasNetDecode(w: TasNetWeights, st: TasNetState, sc: TasNetScratch, s: i32, out: usize): void {
  const L = w.L;
  memory.fill(sc.dec, 0, <usize>L << 2);
  const mask = sc.score + (<usize>(s * w.N) << 2);
  for (let n = 0; n < w.N; n++) {
    const o = <usize>n << 2;
    const a = load<f32>(mask + o) * load<f32>(sc.enc + o);
    if (a == 0) continue; // ReLU zeros: no contribution
    const row = w.decoder + (<usize>(n * L) << 2);
    for (let l = 0; l < L; l++) {
      const q = <usize>l << 2;
      store<f32>(sc.dec + q, load<f32>(sc.dec + q) + a * load<f32>(row + q));
    }
  }
  const pending = st.pending + (<usize>(s * w.stride) << 2);
  for (let l = 0; l < w.stride; l++) {
    const q = <usize>l << 2;
    store<f32>(out + q, load<f32>(sc.dec + q) + load<f32>(pending + q));
    store<f32>(pending + q, load<f32>(sc.dec + (<usize>(l + w.stride) << 2)));
  }
}

/**
 * One hop: inHop f32[hop] → outHops f32[C][hop] (speaker s's hop at outHops + s·hop·4), each lagging
 * the input by L/2 samples. A hop with non-finite samples resets the stream and gives silence.
 */
export function convTasNetStep(weights: usize, state: usize, scratch: usize, inHop: usize, outHops: usize): void {
  const w = changetype<TasNetWeights>(weights);
  const st = changetype<TasNetState>(state);
  const sc = changetype<TasNetScratch>(scratch);
  const S = w.stride;
  const frameHalf = <usize>S << 2;
  const hopBytes = <usize>w.hop << 2;
  if (hopSanitize(sc.hop, inHop, w.hop) != 0) {
    convTasNetReset(weights, state);
    hopSilence(outHops, w.speakers * w.hop);
    return;
  }
  for (let f = 0; f < w.frames; f++) {
    memory.copy(sc.frame, st.tail, frameHalf); //                         [previous L/2, next L/2]
    memory.copy(sc.frame + frameHalf, sc.hop + <usize>f * frameHalf, frameHalf);
    memory.copy(st.tail, sc.frame + frameHalf, frameHalf);
    matApply(sc.enc, changetype<Mat>(w.encoder), 0, sc.frame, sc.tmp); // encoder
    reluApply(sc.enc, sc.enc, w.N);
    convTasNetSeparate(w, st, sc); //                                      masks [C][N]
    for (let s = 0; s < w.speakers; s++) convTasNetDecode(w, st, sc, s, outHops + <usize>s * hopBytes + <usize>f * frameHalf);
  }
  if (!hopFinite(outHops, w.speakers * w.hop)) {
    convTasNetReset(weights, state);
    hopSilence(outHops, w.speakers * w.hop);
  }
}
