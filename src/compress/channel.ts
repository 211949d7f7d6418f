/**
 * Channel pruning after Wu et al. (seeds/000): whole output channels (hidden units) are removed and
 * the layers physically shrink (a new ArchConfig with narrower widths), then the network is
 * fine-tuned and quantised with centroid fine-tuning (quantize.ts).
 *
 * Channels of each hidden layer (FDNN: units of fc_i; LSTM: hidden units of layer l):
 *   - saliency: ℓ1 norm of the unit's incoming weights (its rows of the producing layer; for an
 *     LSTM unit, its rows in all four gates of weight_ih and weight_hh), smallest removed first;
 *   - how many: a per-layer scan in the manner of Algorithm 2 on the same 5 % grid with tolerance
 *     α1: removing a unit is simulated by zeroing its columns in every consumer (the next layer's
 *     input weights, and for LSTM also its own recurrent weights), which is exactly the network
 *     without that unit; the first β whose loss increase exceeds α1 gives β − 5 %; at least one
 *     unit always stays;
 *   - LSTM layers share one width (`lstm_units`), so every layer keeps the largest count any
 *     layer needs.
 * TCNN and GCRN are not supported yet: their skip concatenations tie an encoder layer's channels
 * to a decoder layer's input (see docs/results/compress/README.md).
 */
import { UserError } from '../errors.js';
import type { ArchConfig } from '../models/config.js';
import { createNet, type HostTensor, type Net } from '../models/net.js';
import { fdnnHParams } from '../models/fdnnLayout.js';
import { lstmHParams } from '../models/lstmLayout.js';
import { PRUNE_GRID_STEP_PERCENT } from './defaults.js';
import { StagedLossEvaluator } from './evaluator.js';
import { pruneCount } from './masks.js';
import type { SensitivityStep } from './sensitivity.js';
import type { FeatureBatch } from '../train/features.js';

/** One layer of channels and the tensors they touch. */
export interface ChannelLayer {
  /** `fc2`, `lstm.l0`. */
  name: string;
  units: number;
  /** Tensors whose rows belong to the units: rows u + k·units for k < blocks (4 gate blocks for LSTM). */
  producers: { tensor: string; blocks: number }[];
  /** Tensors whose columns u read the units (2-D [out, units]). */
  consumers: string[];
}

/** The channel layers of a network (UserError for architectures without channel pruning). */
export function channelLayers(config: ArchConfig): ChannelLayer[] {
  if (config.arch === 'fdnn') {
    const { hiddenUnits } = fdnnHParams(config);
    return hiddenUnits.map((units, i) => ({
      name: `fc${i + 1}`, units,
      producers: [{ tensor: `fc${i + 1}.weight`, blocks: 1 }, { tensor: `fc${i + 1}.bias`, blocks: 1 }],
      consumers: [i + 1 < hiddenUnits.length ? `fc${i + 2}.weight` : 'out.weight'],
    }));
  }
  if (config.arch === 'lstm') {
    const { units, layers } = lstmHParams(config);
    return Array.from({ length: layers }, (_, l) => ({
      name: `lstm.l${l}`, units,
      producers: ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((n) => ({ tensor: `lstm.${n}_l${l}`, blocks: 4 })),
      consumers: [`lstm.weight_hh_l${l}`, l + 1 < layers ? `lstm.weight_ih_l${l + 1}` : 'fc.weight'],
    }));
  }
  throw new UserError(`channel pruning is implemented for fdnn and lstm only, not ${config.arch} (skip connections tie its channels across layers)`);
}

/** Rows per unit block of a producer tensor (numel / (blocks · units)). */
function rowWidth(t: HostTensor, blocks: number, units: number): number {
  return t.data.length / (blocks * units);
}

/** ℓ1 norm of each unit's incoming weights (weight producers only; biases excluded), float64. */
export function channelSaliency(layer: ChannelLayer, tensors: ReadonlyMap<string, HostTensor>): Float64Array {
  const out = new Float64Array(layer.units);
  for (const p of layer.producers) {
    const t = tensors.get(p.tensor) as HostTensor;
    if (t.shape.length !== 2) continue;
    const width = rowWidth(t, p.blocks, layer.units);
    for (let k = 0; k < p.blocks; k++) {
      for (let u = 0; u < layer.units; u++) {
        const base = (k * layer.units + u) * width;
        for (let c = 0; c < width; c++) out[u] += Math.abs(t.data[base + c]);
      }
    }
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

/** The consumers with the columns of `units` zeroed. */
function consumersWithout(layer: ChannelLayer, tensors: ReadonlyMap<string, HostTensor>, units: readonly number[]): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const c of layer.consumers) {
    const t = tensors.get(c) as HostTensor;
    const [rows, cols] = t.shape;
    const v = Float32Array.from(t.data);
    for (const u of units) for (let r = 0; r < rows; r++) v[r * cols + u] = 0;
    out.set(c, v);
  }
  return out;
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
      for (let b = PRUNE_GRID_STEP_PERCENT; b <= 100; b += PRUNE_GRID_STEP_PERCENT) {
        const count = Math.min(layer.units - 1, pruneCount(layer.units, b)); // keep one unit
        const increase = ev.lossWithMany(consumersWithout(layer, tensors, order.slice(0, count))) - ev.baseLoss;
        evaluations++;
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

/**
 * The narrower network keeping `keep[i]` units of channel layer i (the most salient; LSTM: the
 * largest count for every layer). Returns a new Net (the input is not modified) and its config.
 */
export function channelShrink(net: Net, keep: readonly number[]): { net: Net; config: ArchConfig; kept: number[][] } {
  const layers = channelLayers(net.config);
  const tensors = hostTensors(net);
  const counts = net.config.arch === 'lstm' ? layers.map(() => Math.max(...keep)) : [...keep];
  const kept = layers.map((layer, i) => unitOrder(channelSaliency(layer, tensors)).slice(layers[i].units - counts[i]).sort((a, b) => a - b));
  const out = new Map(tensors);
  layers.forEach((layer, i) => {
    const units = kept[i];
    for (const p of layer.producers) {
      const t = out.get(p.tensor) as HostTensor;
      const width = rowWidth(t, p.blocks, layer.units);
      const data = new Float32Array(p.blocks * units.length * width);
      for (let k = 0; k < p.blocks; k++) {
        units.forEach((u, j) => data.set(t.data.subarray((k * layer.units + u) * width, (k * layer.units + u + 1) * width), (k * units.length + j) * width));
      }
      out.set(p.tensor, { shape: t.shape.length === 2 ? [p.blocks * units.length, width] : [p.blocks * units.length], data });
    }
    for (const c of layer.consumers) {
      const t = out.get(c) as HostTensor;
      const [rows, cols] = t.shape;
      const data = new Float32Array(rows * units.length);
      for (let r = 0; r < rows; r++) units.forEach((u, j) => (data[r * units.length + j] = t.data[r * cols + u]));
      out.set(c, { shape: [rows, units.length], data });
    }
  });
  const config: ArchConfig = structuredClone(net.config);
  if (config.arch === 'fdnn') config.hparams.hidden_units = counts;
  else config.hparams.lstm_units = counts[0];
  return { net: createNet(config, { weights: out }), config, kept };
}
