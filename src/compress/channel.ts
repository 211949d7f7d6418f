/**
 * Channel pruning after Wu et al. (seeds/000): whole output channels (hidden units) are removed and
 * the layers physically shrink (a new ArchConfig with narrower widths), then the network is
 * fine-tuned and quantised with centroid fine-tuning (quantize.ts).
 *
 * A channel layer is the set of output channels of one layer together with every tensor slice tied
 * to them: the *producers* compute a channel (its rows/columns of the producing weights, its bias,
 * its BatchNorm weight / bias / running_mean / running_var), the *consumers* read it (the input
 * channels of every layer fed by it, at the channel's offset inside a concatenated input). Removing
 * unit u deletes all of those slices. Per architecture:
 *   - FDNN: units of fc_i (rows of fc_i.weight/bias; columns of the next Linear).
 *   - LSTM: hidden units of layer l (their rows in all four gate blocks of weight_ih, weight_hh and
 *     both biases; columns of the layer's own weight_hh and of the next layer's weight_ih / fc).
 *   - TCNN: encoder j < N − 1 (conv rows + bias + bn; read by encoder j + 1's input channels and by
 *     decoder j's skip input, channels 0 … C_j − 1 of cat(e_j, previous)); decoder j ≥ 1 (deconv
 *     weight [in, out, …] columns on axis 1 + bias + bn; read by decoder j − 1 at offset C_{j−1});
 *     the TCM blocks' hidden channels (conv_in rows + bias, bn_in, the depthwise kernel + bias,
 *     bn_dw; read by conv_out's columns) — free, and most of TCNN's weights. The last encoder layer
 *     and the TCM's residual width F = C_{N−1}·W_N are left alone: every residual block adds into
 *     the same F features (removing one would need conv_out's bias to vanish too), and decoder 0
 *     keeps its single output channel. The PReLUs have one shared slope (tcnnLayout.ts), so they
 *     have no per-channel slice.
 *   - GCRN: encoder block i < N (a unit is the pair of conv{i}.conv1 and conv{i}.conv2 rows, whose
 *     outputs multiply, + both biases + bn{i}; read by conv{i+1}.conv1/conv2 and by block i of BOTH
 *     decoders at offset D_{i+1} of cat(previous, e_i)); decoder block i > 1 of decoder d (the
 *     conv1/conv2 column pair of conv{i}_t_{d} on axis 1 + biases + bn{i}_t_{d}; read by
 *     conv{i−1}_t_{d} at offset 0). Encoder block N and the grouped LSTM are left alone (the LSTM
 *     reads C_N × W_N features and LayerNorm ties all of them), as is decoder block 1 (1 channel).
 *     The real and imaginary decoders share `dec_channels`, so both keep the larger count of the
 *     two, each its own most salient channels.
 * Since the units are gone from every consumer, the narrowed network computes exactly what the full
 * network computes with the removed units' consumer slices zeroed (test/compress/channel.test.ts),
 * whatever the activations (ELU, PReLU, gating) and BatchNorm shifts in between.
 *
 * Which and how many:
 *   - saliency: ℓ1 norm of the unit's incoming weights (its slices of the producing weight tensors,
 *     ≥ 2-D: e.g. for an LSTM unit its rows in all four gates of weight_ih and weight_hh, for a GCRN
 *     unit its conv1 and conv2 kernels, for a TCM unit its conv_in row and depthwise kernel),
 *     smallest removed first;
 *   - how many: a per-layer scan in the manner of Algorithm 2 on the same 5 % grid with tolerance
 *     α1: removing a unit is simulated by zeroing its consumer slices (exactly the network without
 *     that unit, see above); the first β whose loss increase exceeds α1 gives β − 5 %; at least one
 *     unit always stays;
 *   - tied layers (`tie`: the LSTM layers share one width `lstm_units`; GCRN decoder block i of the
 *     real and the imaginary decoder share dec_channels) keep the largest count any of them needs.
 *
 * Config changes (backward compatible, src/models/<arch>Layout.ts): FDNN hidden_units, LSTM
 * lstm_units, GCRN enc_channels / dec_channels (already per block), TCNN enc_channels plus the
 * optional dec_channels (decoder widths apart from the encoder's) and tcm_channels as a per-block
 * list (kept a number while all blocks are equal).
 */
import type { ArchConfig } from '../models/config.js';
import { createNet, type HostTensor, type Net } from '../models/net.js';
import { FDNN_NAMES, fdnnHParams } from '../models/fdnnLayout.js';
import { GCRN_DECODERS, GCRN_NAMES, gcrnDecoderOutChannels, gcrnHParams } from '../models/gcrnLayout.js';
import { LSTM_NAMES, lstmHParams } from '../models/lstmLayout.js';
import { gatedConvNames, lstmLayerNames } from '../models/paramSpec.js';
import { TCNN_NAMES, tcnnHParams } from '../models/tcnnLayout.js';
import { PRUNE_GRID_STEP_PERCENT } from './defaults.js';
import { StagedLossEvaluator } from './evaluator.js';
import { pruneCount } from './masks.js';
import type { SensitivityStep } from './sensitivity.js';
import type { FeatureBatch } from '../train/features.js';

/**
 * Slices of one tensor along `axis`, one per unit u: indices offset + k·units + u for k < blocks
 * (4 gate blocks for LSTM producers; offset = the unit's channel offset inside a concatenated input).
 */
export interface ChannelSlice {
  tensor: string;
  axis: number;
  offset: number;
  blocks: number;
}

/** One layer of channels and the tensor slices they own (see the file comment). */
export interface ChannelLayer {
  /** `fc2`, `lstm.l0`, `encoder.3`, `tcm.0.1`, `decoder.2`, `conv2`, `conv3_t_1`. */
  name: string;
  units: number;
  /** Slices that compute the units (weights, biases, BatchNorm vectors). */
  producers: ChannelSlice[];
  /** Slices that read the units (the input channels of the layers fed by them). */
  consumers: ChannelSlice[];
  /** Where the kept count goes: hparams[name] (index null: a number) or hparams[name][index]. */
  hparam: { name: string; index: number | null };
  /** Layers with the same tie keep the same count (the largest needed). */
  tie: string | null;
}

function slice(tensor: string, axis: number, offset = 0, blocks = 1): ChannelSlice {
  return { tensor, axis, offset, blocks };
}

/** Producer slices of a BatchNorm over the channels (running statistics included). */
function bnSlices(prefix: string): ChannelSlice[] {
  return ['weight', 'bias', 'running_mean', 'running_var'].map((n) => slice(`${prefix}.${n}`, 0));
}

/** The channel layers of a network, in forward order. */
export function channelLayers(config: ArchConfig): ChannelLayer[] {
  switch (config.arch) {
    case 'fdnn': {
      const { hiddenUnits } = fdnnHParams(config);
      return hiddenUnits.map((units, i) => {
        const p = FDNN_NAMES.hidden(i + 1);
        const next = i + 1 < hiddenUnits.length ? FDNN_NAMES.hidden(i + 2) : FDNN_NAMES.out;
        return {
          name: p, units, producers: [slice(`${p}.weight`, 0), slice(`${p}.bias`, 0)], consumers: [slice(`${next}.weight`, 1)],
          hparam: { name: 'hidden_units', index: i }, tie: null,
        };
      });
    }
    case 'lstm': {
      const { units, layers } = lstmHParams(config);
      return Array.from({ length: layers }, (_, l) => {
        const n = lstmLayerNames(LSTM_NAMES.lstm, l);
        return {
          name: `${LSTM_NAMES.lstm}.l${l}`, units,
          producers: [n.weightIh, n.weightHh, n.biasIh, n.biasHh].map((t) => slice(t, 0, 0, 4)),
          consumers: [slice(n.weightHh, 1), slice(l + 1 < layers ? lstmLayerNames(LSTM_NAMES.lstm, l + 1).weightIh : `${LSTM_NAMES.out}.weight`, 1)],
          hparam: { name: 'lstm_units', index: null }, tie: 'lstm_units',
        };
      });
    }
    case 'tcnn':
      return tcnnChannelLayers(config);
    case 'gcrn':
      return gcrnChannelLayers(config);
  }
}

/** TCNN: encoders 0 … N−2, the TCM blocks, decoders N−1 … 1 (see the file comment). */
function tcnnChannelLayers(config: ArchConfig): ChannelLayer[] {
  const hp = tcnnHParams(config);
  const n = hp.encChannels.length;
  const out: ChannelLayer[] = [];
  for (let j = 0; j < n - 1; j++) {
    const e = TCNN_NAMES.encoder(j);
    out.push({
      name: e.block, units: hp.encChannels[j],
      producers: [slice(`${e.conv}.weight`, 0), slice(`${e.conv}.bias`, 0), ...bnSlices(e.bn)],
      // decoder j reads cat(e_j, previous): e_j first
      consumers: [slice(`${TCNN_NAMES.encoder(j + 1).conv}.weight`, 1), slice(`${TCNN_NAMES.decoder(j).deconv}.weight`, 0)],
      hparam: { name: 'enc_channels', index: j }, tie: null,
    });
  }
  let b = 0;
  for (let s = 0; s < hp.tcmStacks; s++) {
    for (let r = 0; r < hp.tcmDilations.length; r++, b++) {
      const t = TCNN_NAMES.tcm(s, r);
      out.push({
        name: t.block, units: hp.tcmChannels[b],
        producers: [
          slice(`${t.convIn}.weight`, 0), slice(`${t.convIn}.bias`, 0), ...bnSlices(t.bnIn),
          slice(`${t.depthwise}.weight`, 0), slice(`${t.depthwise}.bias`, 0), ...bnSlices(t.bnDw),
        ],
        consumers: [slice(`${t.convOut}.weight`, 1)],
        hparam: { name: 'tcm_channels', index: b }, tie: null,
      });
    }
  }
  for (let j = n - 1; j >= 1; j--) {
    const dec = TCNN_NAMES.decoder(j);
    out.push({
      name: dec.block, units: hp.decOutChannels[j],
      producers: [slice(`${dec.deconv}.weight`, 1), slice(`${dec.deconv}.bias`, 0), ...bnSlices(dec.bn)],
      // decoder j − 1 reads cat(e_{j−1}, this output): after e_{j−1}'s C_{j−1} channels
      consumers: [slice(`${TCNN_NAMES.decoder(j - 1).deconv}.weight`, 0, hp.encChannels[j - 1])],
      hparam: { name: 'dec_channels', index: n - 1 - j }, tie: null,
    });
  }
  return out;
}

/** GCRN: encoder blocks 1 … N−1, then decoder blocks N … 2 of each decoder (see the file comment). */
function gcrnChannelLayers(config: ArchConfig): ChannelLayer[] {
  const hp = gcrnHParams(config);
  const n = hp.encChannels.length;
  // a gated block's unit: its rows (or columns) in both convs' weights and biases
  const gated = (p: string, axis: number) => gatedConvNames(p).flatMap((c) => [slice(`${c}.weight`, axis), slice(`${c}.bias`, 0)]);
  // a gated block's input channels, at `offset` inside its concatenated input
  const reads = (p: string, axis: number, offset = 0) => gatedConvNames(p).map((c) => slice(`${c}.weight`, axis, offset));
  const out: ChannelLayer[] = [];
  for (let i = 1; i < n; i++) {
    const consumers = reads(GCRN_NAMES.encoder(i + 1), 1);
    // decoder block i reads cat(previous, e_i): previous = block i + 1's D_{i+1} channels first
    const offset = gcrnDecoderOutChannels(hp, i + 1);
    for (const d of GCRN_DECODERS) consumers.push(...reads(GCRN_NAMES.decoder(i, d), 0, offset));
    out.push({
      name: GCRN_NAMES.encoder(i), units: hp.encChannels[i - 1],
      producers: [...gated(GCRN_NAMES.encoder(i), 0), ...bnSlices(GCRN_NAMES.encoderNorm(i))], consumers,
      hparam: { name: 'enc_channels', index: i - 1 }, tie: null,
    });
  }
  for (let i = n; i >= 2; i--) {
    for (const d of GCRN_DECODERS) {
      const p = GCRN_NAMES.decoder(i, d);
      out.push({
        name: p, units: gcrnDecoderOutChannels(hp, i),
        producers: [...gated(p, 1), ...bnSlices(GCRN_NAMES.decoderNorm(i, d))],
        consumers: reads(GCRN_NAMES.decoder(i - 1, d), 0),
        hparam: { name: 'dec_channels', index: n - i }, tie: `dec_channels.${n - i}`,
      });
    }
  }
  return out;
}

/** A tensor's shape around `axis`: elements before it (outer), along it, after it (inner). */
function axisSplit(shape: readonly number[], axis: number): { outer: number; size: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let a = 0; a < axis; a++) outer *= shape[a];
  for (let a = axis + 1; a < shape.length; a++) inner *= shape[a];
  return { outer, size: shape[axis], inner };
}

/** Indices along the slice's axis that belong to unit u of a layer of `units`. */
function sliceIndices(sl: ChannelSlice, units: number, u: number): number[] {
  return Array.from({ length: sl.blocks }, (_, k) => sl.offset + k * units + u);
}

/** Calls f(position) for every element of `t` at index `index` along `axis`. */
function forEachAt(t: HostTensor, axis: number, index: number, f: (pos: number) => void): void {
  const { outer, size, inner } = axisSplit(t.shape, axis);
  if (index >= size) throw new Error(`channel slice: index ${index} outside axis ${axis} of shape ${JSON.stringify(t.shape)}`);
  for (let o = 0; o < outer; o++) {
    const base = (o * size + index) * inner;
    for (let i = 0; i < inner; i++) f(base + i);
  }
}

/** `t` keeping only `keep` (ascending) along `axis`. */
function axisGather(t: HostTensor, axis: number, keep: readonly number[]): HostTensor {
  const { outer, size, inner } = axisSplit(t.shape, axis);
  const data = new Float32Array(outer * keep.length * inner);
  for (let o = 0; o < outer; o++) {
    keep.forEach((k, j) => data.set(t.data.subarray((o * size + k) * inner, (o * size + k + 1) * inner), (o * keep.length + j) * inner));
  }
  const shape = [...t.shape];
  shape[axis] = keep.length;
  return { shape, data };
}

/** ℓ1 norm of each unit's incoming weights (producer slices of ≥ 2-D tensors; biases and norms excluded), float64. */
export function channelSaliency(layer: ChannelLayer, tensors: ReadonlyMap<string, HostTensor>): Float64Array {
  const out = new Float64Array(layer.units);
  for (const p of layer.producers) {
    const t = tensors.get(p.tensor) as HostTensor;
    if (t.shape.length < 2) continue;
    for (let u = 0; u < layer.units; u++) {
      for (const idx of sliceIndices(p, layer.units, u)) forEachAt(t, p.axis, idx, (pos) => (out[u] += Math.abs(t.data[pos])));
    }
  }
  return out;
}

/**
 * The consumer tensors of `layer` with the slices of `units` zeroed (copies; `tensors` is not
 * modified): the full network with these values computes what the network without the units does.
 */
export function channelConsumersZeroed(
  layer: ChannelLayer, tensors: ReadonlyMap<string, HostTensor>, units: readonly number[],
): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const c of layer.consumers) {
    const t = tensors.get(c.tensor) as HostTensor;
    let v = out.get(c.tensor);
    if (v === undefined) out.set(c.tensor, (v = Float32Array.from(t.data)));
    const data = v;
    for (const u of units) for (const idx of sliceIndices(c, layer.units, u)) forEachAt(t, c.axis, idx, (pos) => (data[pos] = 0));
  }
  return out;
}

/** Result of the channel scan of one layer. */
export interface ChannelLayerResult {
  layer: string;
  units: number;
  /** β from the scan (percent of units removable within α1), and the units kept finally. */
  beta: number;
  kept: number;
  steps: SensitivityStep[];
  evaluations: number;
}

/** Units of `layer` in saliency order (smallest first; ties by index). */
function unitOrder(saliency: Float64Array): number[] {
  return Array.from(saliency.keys()).sort((a, b) => saliency[a] - saliency[b] || a - b);
}

/** Scans every channel layer of `net` on the sensitivity batches (see the file comment). */
export function channelScan(net: Net, batches: readonly FeatureBatch[], alpha1: number): ChannelLayerResult[] {
  const tensors = hostTensors(net);
  const ev = new StagedLossEvaluator(net, batches);
  try {
    return channelLayers(net.config).map((layer) => {
      const order = unitOrder(channelSaliency(layer, tensors));
      const steps: SensitivityStep[] = [];
      let beta: number | null = null;
      let evaluations = 0;
      let last: { count: number; increase: number } | null = null;
      for (let b = PRUNE_GRID_STEP_PERCENT; b <= 100; b += PRUNE_GRID_STEP_PERCENT) {
        const count = Math.min(layer.units - 1, pruneCount(layer.units, b)); // keep one unit
        // narrow layers repeat counts along the grid: the same units removed give the same loss
        let increase: number;
        if (last !== null && last.count === count) increase = last.increase;
        else {
          increase = ev.lossWithMany(channelConsumersZeroed(layer, tensors, order.slice(0, count))) - ev.baseLoss;
          evaluations++;
          last = { count, increase };
        }
        steps.push({ at: b, removed: count, increase });
        if (increase > alpha1) {
          beta = b - PRUNE_GRID_STEP_PERCENT;
          break;
        }
      }
      const b = beta ?? 100;
      return { layer: layer.name, units: layer.units, beta: b, kept: layer.units - Math.min(layer.units - 1, pruneCount(layer.units, b)), steps, evaluations };
    });
  } finally {
    ev.dispose();
  }
}

/** Host copies of every tensor of a net. */
function hostTensors(net: Net): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  for (const s of net.specs) out.set(s.name, { shape: [...s.shape], data: net.tensors.get(s.name)!.toFloat32Array() });
  return out;
}

/** Per layer, the count it keeps after ties: tied layers keep the largest count of their tie. */
export function channelTiedCounts(layers: readonly ChannelLayer[], keep: readonly number[]): number[] {
  const most = new Map<string, number>();
  layers.forEach((l, i) => {
    if (l.tie !== null) most.set(l.tie, Math.max(most.get(l.tie) ?? 0, keep[i]));
  });
  return layers.map((l, i) => (l.tie === null ? keep[i] : (most.get(l.tie) as number)));
}

/** `config` with every channel layer's width set to `counts` (list hparams materialised first). */
function channelConfig(config: ArchConfig, layers: readonly ChannelLayer[], counts: readonly number[]): ArchConfig {
  const out: ArchConfig = structuredClone(config);
  if (config.arch === 'tcnn') {
    const hp = tcnnHParams(config);
    out.hparams.tcm_channels = hp.tcmChannels.slice();
    out.hparams.dec_channels = hp.decOutChannels.slice().reverse();
  }
  layers.forEach((l, i) => {
    const { name, index } = l.hparam;
    if (index === null) out.hparams[name] = counts[i];
    else (out.hparams[name] as number[])[index] = counts[i];
  });
  if (config.arch === 'tcnn') {
    // the narrowest schema that says it: a number while all TCM blocks are equal, no dec_channels
    // while the decoders mirror the encoder (files stay readable by readers before these keys)
    const tcm = out.hparams.tcm_channels as number[];
    if (tcm.every((m) => m === tcm[0]) && !Array.isArray(config.hparams.tcm_channels)) out.hparams.tcm_channels = tcm[0];
    const enc = out.hparams.enc_channels as number[];
    const mirror = enc.map((_, j) => (j === 0 ? 1 : enc[j - 1])).reverse();
    if (config.hparams.dec_channels === undefined && JSON.stringify(mirror) === JSON.stringify(out.hparams.dec_channels)) delete out.hparams.dec_channels;
  }
  return out;
}

/**
 * The narrower network keeping `keep[i]` units of channel layer i (the most salient; tied layers:
 * the largest count of their tie). Returns a new Net (the input is not modified), its config and
 * the kept unit indices of every layer (ascending).
 */
export function channelShrink(net: Net, keep: readonly number[]): { net: Net; config: ArchConfig; kept: number[][] } {
  const layers = channelLayers(net.config);
  const tensors = hostTensors(net);
  const counts = channelTiedCounts(layers, keep);
  const kept = layers.map((layer, i) => unitOrder(channelSaliency(layer, tensors)).slice(layer.units - counts[i]).sort((a, b) => a - b));
  // every (tensor, axis) → the indices removed along it, over all layers at once (offsets are the
  // full network's, so each layer's slices are found before anything moves)
  const removed = new Map<string, Map<number, Set<number>>>();
  layers.forEach((layer, i) => {
    const keepSet = new Set(kept[i]);
    for (const sl of [...layer.producers, ...layer.consumers]) {
      let axes = removed.get(sl.tensor);
      if (axes === undefined) removed.set(sl.tensor, (axes = new Map()));
      let set = axes.get(sl.axis);
      if (set === undefined) axes.set(sl.axis, (set = new Set()));
      for (let u = 0; u < layer.units; u++) if (!keepSet.has(u)) for (const idx of sliceIndices(sl, layer.units, u)) set.add(idx);
    }
  });
  const out = new Map(tensors);
  for (const [name, axes] of removed) {
    let t = out.get(name) as HostTensor;
    for (const [axis, gone] of axes) {
      const keepIdx = Array.from({ length: t.shape[axis] }, (_, k) => k).filter((k) => !gone.has(k));
      t = axisGather(t, axis, keepIdx);
    }
    out.set(name, t);
  }
  const config = channelConfig(net.config, layers, counts);
  return { net: createNet(config, { weights: out }), config, kept };
}
