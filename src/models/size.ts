/**
 * Model size and compute: parameter count, float32 size in MiB (Table I's "MB" are MiB of float32
 * parameters) and multiply-accumulates per 4-second mixture (Table III).
 *
 * Frame convention: a 4-s mixture (64,000 samples at 16 kHz) is cut into ⌈64000/160⌉ + 1 = 401
 * frames, the framing of src/dsp/framing.ts (160 zeros in front, every sample in two frames).
 * MAC convention (`paper`, default): thop's, which Table III evidently used — Linear in·out per
 * frame; Conv2d output positions · in/groups · kernel; ConvTranspose2d *output* positions ·
 * in_channels · kernel; LSTM 4H(in + H) + 16H per step; biases, norms and activations free.
 * With it the paper presets give FDNN 3.63 G, LSTM 12.13 G, TCNN 4.75 G (Table III 4.80 G) and
 * GCRN 9.56 G (9.61 G). `executed` counts a transposed conv by its input positions, i.e. the
 * multiplications a direct implementation (our WASM runtime) performs: TCNN 3.59 G, GCRN 6.58 G.
 */
import { HOP_SAMPLES, SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { UserError } from '../errors.js';
import type { ArchConfig } from './config.js';
import { archLayout } from './layout.js';
import { shapeSize } from './paramSpec.js';

/** Frames in a 4-second mixture: ⌈4 · 16000 / 160⌉ + 1 = 401 (src/dsp/framing.ts frameCount). */
export const MAC_FRAMES_PER_4S = Math.ceil((4 * SAMPLE_RATE_HZ) / HOP_SAMPLES) + 1;

/** Which MAC count: Table III's (thop) or the multiplications actually executed (see file comment). */
export type MacConvention = 'paper' | 'executed';

/** Number of trainable parameters (BatchNorm running statistics excluded, as in Table I). */
export function countParams(config: ArchConfig): number {
  let n = 0;
  for (const p of archLayout(config).params) if (!p.buffer) n += shapeSize(p.shape);
  return n;
}

/** Size of the parameters stored as float32, in MiB (2^20 bytes), Table I's "Model Size". */
export function float32MiB(config: ArchConfig): number {
  return (countParams(config) * 4) / (1024 * 1024);
}

/**
 * Multiply-accumulates per frame. `nonzeros` optionally gives, per weight tensor name, how many of
 * its elements are nonzero (after pruning); such a tensor's MACs scale to that count. Names of
 * tensors that cost no MACs (biases, norms) are ignored. Throws UserError when a count is not an
 * integer in [0, tensor size].
 */
export function countMacsPerFrame(
  config: ArchConfig,
  nonzeros?: Map<string, number>,
  convention: MacConvention = 'paper',
): number {
  const layout = archLayout(config);
  const sizes = new Map(layout.params.map((p) => [p.name, shapeSize(p.shape)]));
  let macs = layout.fixedMacsPerFrame;
  for (const term of layout.macTerms) {
    const size = sizes.get(term.tensor) as number;
    const nz = nonzeros?.get(term.tensor) ?? size;
    if (!Number.isInteger(nz) || nz < 0 || nz > size) {
      throw new UserError(`nonzero count of ${term.tensor} must be an integer in [0, ${size}], got ${nz}`);
    }
    macs += nz * (convention === 'paper' ? term.usesPerFrame : term.executedUsesPerFrame);
  }
  return macs;
}

/**
 * Multiply-accumulates to process a 4-second mixture (401 frames), Table III's measure; see
 * countMacsPerFrame for `nonzeros` and the file comment for the conventions.
 */
export function countMacs(config: ArchConfig, nonzeros?: Map<string, number>, convention: MacConvention = 'paper'): number {
  return countMacsPerFrame(config, nonzeros, convention) * MAC_FRAMES_PER_4S;
}
