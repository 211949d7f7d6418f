/**
 * Training features and targets, and the inverse (network output → waveform), per architecture,
 * from the one DSP definition in src/dsp (stft.ts, framing.ts) that the WASM runtime mirrors.
 *
 * Shapes (B mixtures of L samples each, T = frameCount(L) = ⌈L/160⌉ + 1 frames; row-major):
 *   arch  input                          target                       loss (MSE, mean over …)
 *   fdnn  |Y|          [B, T, 161]       IRM (eq. 12) [B, T, 161]     T-F units
 *   lstm  |Y|          [B, T, 161]       |S|          [B, T, 161]     T-F units
 *   tcnn  frames of y  [B, T, 320]       s            [B, L]          samples, after overlap-add
 *   gcrn  Re Y, Im Y   [B, 2, T, 161]    Re S, Im S   [B, 2, T, 161]  T-F units (both planes)
 * Y, S, N are the STFTs of the mixture y, the clean speech s and the noise n = y − s, all in the
 * rescaled domain of the mixer (mixture at unit RMS, same factor on s), so Y = S + N exactly.
 *
 * TCNN's loss is computed on the waveform, not on frames: the network's output frames are
 * overlap-added IN THE GRAPH with the ½ rule of src/dsp/framing.ts (each sample is the mean of the
 * two frames covering it), and the MSE is taken over the L samples. (MSE on frames against the
 * clean frames is NOT equivalent: it would also penalise the difference between the two frames'
 * estimates of a sample, which the waveform loss leaves free.)
 *
 * Under the compressed loss (./loss.ts) the fdnn and lstm targets are instead [B, 3, T, 161]:
 * planes |S|, |Y|, cos(∠S − ∠Y); the inputs never depend on the loss.
 *
 * Output transforms (`outputSpectrum`, applied before iSTFT; the WASM runtime does the same per frame):
 *   fdnn  Ŝ = IRM̂ · Y                   (mask on the magnitude, noisy phase)
 *   lstm  Ŝ = |Ŝ| · Y / |Y|              (estimated magnitude, noisy phase; phase 0 where |Y| = 0)
 *   gcrn  Ŝ = Re Ŝ + j Im Ŝ              (complex spectral mapping)
 *   tcnn  ŝ = overlapAdd(frames)          (no STFT)
 */
import { HOP_SAMPLES, NUM_BINS, WINDOW_SAMPLES } from '../dsp/constants.js';
import { frameCount, frameSignal, overlapAdd } from '../dsp/framing.js';
import { stftAnalyze, stftSynthesize, type Spectrogram } from '../dsp/stft.js';
import type { ArchName } from '../models/config.js';
import { netInputShape, type Net } from '../models/net.js';
import { COMPRESSED_MAG_PLANES, TRAIN_LOSS_PAPER, trainLossCompute, type TrainLoss } from './loss.js';
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';

/** One training example: the mixture and its clean speech, same length, 16 kHz, rescaled domain. */
export interface TrainPair {
  mixture: Float32Array;
  clean: Float32Array;
}

/** Host-side network input and target of a batch (see the file comment for shapes). */
export interface FeatureBatch {
  arch: ArchName;
  /** The loss the target is laid out for (./loss.ts). */
  loss: TrainLoss;
  /** Mixtures in the batch. */
  batch: number;
  /** Samples per mixture. */
  length: number;
  /** Frames per mixture, frameCount(length). */
  frames: number;
  input: Float32Array;
  inputShape: number[];
  target: Float32Array;
  targetShape: number[];
}

/** Network input shape for `batch` mixtures of `frames` frames (the net's own: src/models/net.ts netInputShape). */
export function featureInputShape(arch: ArchName, batch: number, frames: number): number[] {
  return netInputShape(arch, batch, frames);
}

/** Target shape for `batch` mixtures of `length` samples under `loss`. */
export function featureTargetShape(arch: ArchName, batch: number, length: number, loss: TrainLoss = TRAIN_LOSS_PAPER): number[] {
  const frames = frameCount(length);
  if (arch === 'tcnn') return [batch, length];
  if (loss === 'compressed' && (arch === 'fdnn' || arch === 'lstm')) return [batch, COMPRESSED_MAG_PLANES, frames, NUM_BINS];
  return featureInputShape(arch, batch, frames);
}

/**
 * The compressed loss's magnitude-model target into out[offset …]: planes |S|, |Y|, cos(∠S − ∠Y)
 * (frames × 161 each). cos is 1 where either spectrum is exactly zero (no phase to compare).
 */
function magnitudePhaseTargetInto(s: Spectrogram, y: Spectrogram, out: Float32Array, offset: number): void {
  const n = s.frames * NUM_BINS;
  for (let i = 0; i < n; i++) {
    const sm = Math.hypot(s.re[i], s.im[i]);
    const ym = Math.hypot(y.re[i], y.im[i]);
    out[offset + i] = sm;
    out[offset + n + i] = ym;
    out[offset + 2 * n + i] = sm > 0 && ym > 0 ? (s.re[i] * y.re[i] + s.im[i] * y.im[i]) / (sm * ym) : 1;
  }
}

/** Writes |X| of `spec` (frames × 161) into out[offset …]. */
function magnitudeInto(spec: Spectrogram, out: Float32Array, offset: number): void {
  const n = spec.frames * NUM_BINS;
  for (let i = 0; i < n; i++) out[offset + i] = Math.hypot(spec.re[i], spec.im[i]);
}

/**
 * IRM of eq. (12), √(|S|² / (|S|² + |N|²)) per T-F unit, into out[offset …]. A unit where both
 * speech and noise are exactly zero (digital silence) gets 0: the mixture is zero there, so any
 * mask gives the same output.
 */
function irmInto(s: Spectrogram, nz: Spectrogram, out: Float32Array, offset: number): void {
  const n = s.frames * NUM_BINS;
  for (let i = 0; i < n; i++) {
    const ps = s.re[i] * s.re[i] + s.im[i] * s.im[i];
    const pn = nz.re[i] * nz.re[i] + nz.im[i] * nz.im[i];
    const den = ps + pn;
    out[offset + i] = den > 0 ? Math.sqrt(ps / den) : 0;
  }
}

/** The noise n = y − s of a pair, in float64 (exact difference of the two float32 signals). */
function noiseOf(p: TrainPair): Float64Array {
  const n = new Float64Array(p.mixture.length);
  for (let i = 0; i < n.length; i++) n[i] = p.mixture[i] - p.clean[i];
  return n;
}

/** Network input of one mixture y into `out` at `offset` (same layout as one batch item). */
function inputInto(arch: ArchName, y: Float32Array, out: Float32Array, offset: number): void {
  if (arch === 'tcnn') {
    out.set(frameSignal(y).data, offset);
    return;
  }
  const spec = stftAnalyze(y);
  if (arch === 'gcrn') {
    out.set(spec.re, offset);
    out.set(spec.im, offset + spec.frames * NUM_BINS);
  } else magnitudeInto(spec, out, offset);
}

/**
 * Features and targets of equal-length pairs for `loss` (see the file comment). Pure host code (no
 * libtorch), so a worker thread can prepare the next batch while libtorch computes.
 */
export function featuresBatch(arch: ArchName, pairs: readonly TrainPair[], loss: TrainLoss = TRAIN_LOSS_PAPER): FeatureBatch {
  if (pairs.length === 0) throw new RangeError('featuresBatch: empty batch');
  const length = pairs[0].mixture.length;
  for (const p of pairs) {
    if (p.mixture.length !== length || p.clean.length !== length) {
      throw new RangeError(`featuresBatch: every mixture and clean signal must have ${length} samples`);
    }
  }
  const batch = pairs.length;
  const frames = frameCount(length);
  const inputShape = featureInputShape(arch, batch, frames);
  const targetShape = featureTargetShape(arch, batch, length, loss);
  const magnitudePhase = loss === 'compressed' && (arch === 'fdnn' || arch === 'lstm');
  const perIn = inputShape.slice(1).reduce((a, b) => a * b, 1);
  const perTarget = targetShape.slice(1).reduce((a, b) => a * b, 1);
  const input = new Float32Array(batch * perIn);
  const target = new Float32Array(batch * perTarget);
  pairs.forEach((p, b) => {
    inputInto(arch, p.mixture, input, b * perIn);
    const at = b * perTarget;
    if (magnitudePhase) {
      magnitudePhaseTargetInto(stftAnalyze(p.clean), stftAnalyze(p.mixture), target, at);
      return;
    }
    switch (arch) {
      case 'fdnn':
        irmInto(stftAnalyze(p.clean), stftAnalyze(noiseOf(p)), target, at);
        break;
      case 'lstm':
        magnitudeInto(stftAnalyze(p.clean), target, at);
        break;
      case 'tcnn':
        target.set(p.clean, at);
        break;
      case 'gcrn': {
        const s = stftAnalyze(p.clean);
        target.set(s.re, at);
        target.set(s.im, at + frames * NUM_BINS);
        break;
      }
    }
  });
  return { arch, loss, batch, length, frames, input, inputShape, target, targetShape };
}

/** Network input of one utterance as a [1, …] tensor (whole-utterance inference). */
export function featuresInput(arch: ArchName, mixture: Float32Array): Tensor {
  const frames = frameCount(mixture.length);
  const shape = featureInputShape(arch, 1, frames);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  inputInto(arch, mixture, data, 0);
  return torch.tensor(data, shape);
}

/**
 * TCNN's overlap-add in the graph: frames [B, T, 320] → waveform [B, length], each sample the
 * mean of the two frames covering it (hop k = ½·(frame k [160:320] + frame k+1 [0:160])),
 * exactly src/dsp/framing.ts `overlapAdd`. Needs length ≤ (T − 1)·160 (true for T = frameCount(length)).
 */
export function framesOverlapAdd(frames: Tensor, length: number): Tensor {
  const [b, t, w] = frames.shape;
  if (w !== WINDOW_SAMPLES || length > (t - 1) * HOP_SAMPLES) {
    throw new RangeError(`framesOverlapAdd: frames [${frames.shape}] cannot give ${length} samples`);
  }
  const tail = frames.narrow(1, 0, t - 1).narrow(2, HOP_SAMPLES, HOP_SAMPLES); // [B, T−1, 160]
  const head = frames.narrow(1, 1, t - 1).narrow(2, 0, HOP_SAMPLES); // [B, T−1, 160]
  return tail.add(head).mul(0.5).reshape([b, (t - 1) * HOP_SAMPLES]).narrow(1, 0, length);
}

/**
 * The training loss of `output` (the network's forward result) against `target`
 * (FeatureBatch.target of the same `loss`, as a tensor). 'mse' (the paper's): MSE over T-F units,
 * or over samples after the in-graph overlap-add for TCNN (target [B, L]); others: ./loss.ts.
 */
export function lossCompute(arch: ArchName, output: Tensor, target: Tensor, loss: TrainLoss = TRAIN_LOSS_PAPER): Tensor {
  return trainLossCompute(arch, loss, output, target, framesOverlapAdd);
}

/**
 * The enhanced waveforms of a batch from the network output (host copy of the forward result,
 * layout of featureInputShape) and the mixtures, each `length` samples. See the file comment.
 */
export function outputWaveforms(arch: ArchName, output: Float32Array, mixtures: readonly Float32Array[], length: number): Float32Array[] {
  const frames = frameCount(length);
  const per = featureInputShape(arch, 1, frames).reduce((a, b) => a * b, 1);
  if (output.length !== per * mixtures.length) {
    throw new RangeError(`outputWaveforms: ${output.length} values for ${mixtures.length} × ${per}`);
  }
  return mixtures.map((y, b) => {
    const o = output.subarray(b * per, (b + 1) * per);
    if (arch === 'tcnn') return Float32Array.from(overlapAdd(o, frames, length));
    const spec = outputSpectrum(arch, o, stftAnalyze(y));
    return Float32Array.from(stftSynthesize(spec.re, spec.im, frames, length));
  });
}

/**
 * Enhanced spectrum Ŝ (frames × 161) from one utterance's network output and the noisy
 * spectrum Y (fdnn: mask, lstm: magnitude, gcrn: [re plane, im plane]).
 */
export function outputSpectrum(arch: Exclude<ArchName, 'tcnn'>, output: Float32Array, noisy: Spectrogram): Spectrogram {
  const n = noisy.frames * NUM_BINS;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const yr = noisy.re[i];
    const yi = noisy.im[i];
    if (arch === 'fdnn') {
      re[i] = output[i] * yr;
      im[i] = output[i] * yi;
    } else if (arch === 'lstm') {
      const mag = Math.hypot(yr, yi);
      if (mag > 0) {
        re[i] = (output[i] * yr) / mag;
        im[i] = (output[i] * yi) / mag;
      } else re[i] = output[i];
    } else {
      re[i] = output[i];
      im[i] = output[n + i];
    }
  }
  return { frames: noisy.frames, re, im };
}

/**
 * The offline reference path: the whole utterance through the network in inference mode
 * (libtorch, no autograd, causal), then the output transform and iSTFT (or overlap-add for TCNN).
 * Returns as many samples as `mixture` (16 kHz, same level convention as the input: callers that
 * want the training level rescale the mixture to unit RMS first). An empty input gives an empty output.
 */
export function enhanceWaveform(net: Net, mixture: Float32Array): Float32Array {
  if (mixture.length === 0) return new Float32Array(0);
  const arch = net.config.arch;
  const out = torch.noGrad(() =>
    torch.tidy(() => net.forward(featuresInput(arch, mixture), { training: false }).contiguous().toFloat32Array()),
  );
  return outputWaveforms(arch, out, [mixture], mixture.length)[0];
}
