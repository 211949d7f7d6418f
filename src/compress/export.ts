/**
 * A compressed session as a `.hush` model (docs/format.md):
 *   - quantised weight tensors → `kmeans` (codebook f32, indices, the kept positions; the writer
 *     picks none / groups / bitmap / delta, whichever is smallest — structured masks become group
 *     lists);
 *   - pruned, not quantised → `sparse` (f32 values at the kept positions);
 *   - either, when the run pruned in blocks (`--block`, blocks.ts) and the tensor's mask is whole
 *     blocks of that shape → sparsity `blocks` (weights stored in block order, format minor 2);
 *   - untouched weight tensors, biases, norms, PReLU slopes → dense `f32`;
 *   - BatchNorm running_mean / running_var → dense `f32` (the runtime applies the BN);
 *     num_batches_tracked (training-only counter) is not stored.
 * BatchNorm is not folded into the preceding convolution: folding scales each output channel,
 * which would break the shared codebook of a quantised conv (every kernel's values would no longer
 * be codebook entries). The written file is read back and every tensor is checked to decode to
 * exactly the network's values (`hushWriteVerified`).
 *
 * The same rules export the separation nets (./separation/pipeline.ts): `hushTensorsOf` and
 * `hushWriteVerified` take any net with specs and named tensors (`ExportSource`), so a pruned or
 * quantised tensor is stored the same way whatever the task.
 */
import { readHush } from '../format/reader.js';
import { hushTensorDense, type HushTensor } from '../format/tensor.js';
import { writeHush, type HushModel } from '../format/writer.js';
import type { TiedTensor } from './finetune.js';
import { maskKept, maskPositions, type Mask } from './masks.js';
import { blockLayout } from './blocks.js';
import { blocksFromPositions } from '../format/sparsity.js';
import type { HushBlockShape } from '../format/tensor.js';
import type { CompressSession } from './session.js';
import type { ParamSpec } from '../models/paramSpec.js';
import type { Tensor } from '../torch/torch.js';

/** What an export reads: a net's specs and tensors (an enhancement Net or a SeparationNet), and the pruning masks of its weight tensors. */
export interface ExportSource {
  net: { readonly specs: readonly ParamSpec[]; readonly tensors: ReadonlyMap<string, Tensor> };
  masks: ReadonlyMap<string, Mask>;
}

/**
 * The block sparsity fields of a pruned tensor: `{sparsity: 'blocks', block}` when the run pruned in
 * `block`s, the tensor is one that blocks.ts prunes that way, and its kept positions are whole blocks.
 */
function blockFields(spec: Parameters<typeof blockLayout>[0], positions: Uint32Array, block: HushBlockShape | null): { sparsity: 'blocks'; block: HushBlockShape } | Record<string, never> {
  if (!block || !blockLayout(spec, block) || typeof blocksFromPositions(spec.shape, block, positions) === 'string') return {};
  return { sparsity: 'blocks', block };
}

/** Tensor encodings of the session's current network (`block`: the run's block shape, or null). */
export function hushTensorsOf(s: ExportSource, tied: ReadonlyMap<string, TiedTensor> | null, block: HushBlockShape | null = null): Map<string, HushTensor> {
  const out = new Map<string, HushTensor>();
  for (const spec of s.net.specs) {
    if (spec.name.endsWith('.num_batches_tracked')) continue;
    const t = s.net.tensors.get(spec.name)!;
    const shape = [...spec.shape];
    const q = tied?.get(spec.name);
    const mask = s.masks.get(spec.name) as Mask | undefined;
    if (q) {
      const all = q.positions.length === t.numel;
      const positions = all ? null : Uint32Array.from(q.positions);
      const blocks = positions ? blockFields(spec, positions, block) : {};
      out.set(spec.name, { encoding: 'kmeans', shape, codebook: Float32Array.from(q.codebook), positions, indices: Uint32Array.from(q.indices), ...blocks });
    } else if (mask && maskKept(mask) < mask.length) {
      const v = t.toFloat32Array();
      const positions = maskPositions(mask);
      out.set(spec.name, { encoding: 'sparse', shape, positions, values: Float32Array.from(positions, (p) => v[p]), ...blockFields(spec, positions, block) });
    } else {
      out.set(spec.name, { encoding: 'f32', shape, data: t.toFloat32Array() });
    }
  }
  return out;
}

/** The `.hush` model of a session (metadata: string → string provenance). */
export function hushModelOf(s: Pick<CompressSession, 'net' | 'masks'>, tied: ReadonlyMap<string, TiedTensor> | null, metadata: Record<string, string>, block: HushBlockShape | null = null): HushModel {
  return { config: s.net.config, metadata, tensors: hushTensorsOf(s, tied, block) };
}

/**
 * Writes and reads back; throws when a tensor does not decode to exactly the network's values
 * (or, for a k-means tensor, to its codebook entries). Returns the file bytes.
 */
export function hushWriteVerified(s: ExportSource, model: HushModel): Uint8Array {
  const bytes = writeHush(model);
  const file = readHush(bytes, 'compressed model');
  for (const [name, t] of file.tensors) {
    const want = s.net.tensors.get(name)!.toFloat32Array();
    const got = hushTensorDense(t);
    for (let i = 0; i < want.length; i++) {
      if (!(got[i] === want[i] || (got[i] === 0 && want[i] === 0))) {
        throw new Error(`export: tensor ${name} element ${i} decodes to ${got[i]}, the network holds ${want[i]}`);
      }
    }
  }
  return bytes;
}
