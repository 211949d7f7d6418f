/**
 * What loading a model measured, read back from the WASM side (assembly/nets/binder.ts report lines,
 * assembly/nets/model.ts memory accessors) — shared by the Enhancer and the Separator, which load
 * through the same binder. Browser-safe.
 */
import { hushModelInfo } from './hushInfo.js';
import { CONV_FORM_IDS, MAT_FORM_IDS, type ConvForm, type MatForm } from './plan.js';
import type { HushModelExports } from './wasm.js';

/** Report kinds of assembly/nets/binder.ts (REPORT_*). */
export const REPORT_MATRIX = 1;
const REPORT_CONV = 2;
const REPORT_BATCHNORM = 4;

/** Bytes of WASM memory by purpose (all measured with memUsed() deltas). */
export interface ModelMemory {
  /** The .hush file copy (compact-mode weights are read from it in place). */
  fileBytes: number;
  /** Decoded / repacked weights and their records. */
  weightsBytes: number;
  /** Stream state (STFT/framing memories, recurrent state, ring buffers) incl. the STFT tables. */
  stateBytes: number;
  /** Load scratch + per-hop scratch (the latter carved from the former where it fits) + I/O hops. */
  scratchBytes: number;
  /** memUsed(): everything allocated in this instance. */
  totalBytes: number;
  /** memory.buffer.byteLength: what the instance reserved (whole 64-KiB pages, incl. static data). */
  wasmBytes: number;
}

/** One tensor's report line. */
export interface ModelTensor {
  name: string;
  /**
   * Matrix form for planned matrices; 'conv-sparse' / 'conv-codebook-sparse' for a 2-D conv kernel in
   * a sparse form (assembly/nn/conv-sparse.ts; a GCRN gated pair is one line 'a+b'), 'conv-block' in the
   * block form (assembly/nn/conv-block.ts); 'dense' for everything else.
   */
  form: MatForm | 'dense' | 'conv-sparse' | 'conv-codebook-sparse' | 'conv-block';
  /** Bytes it added to WASM memory (0 for compact forms read from the file in place). */
  bytes: number;
}

/** The memory of model `h` in `ex`, itemised. */
export function modelMemory(ex: HushModelExports, h: number): ModelMemory {
  const fileBytes = ex.modelFileBytes(h), weightsBytes = ex.modelWeightsBytes(h);
  const stateBytes = ex.modelStateBytes(h), scratchBytes = ex.modelScratchBytes(h);
  return {
    fileBytes, weightsBytes, stateBytes, scratchBytes,
    totalBytes: fileBytes + weightsBytes + stateBytes + scratchBytes,
    wasmBytes: ex.memory.buffer.byteLength,
  };
}

/**
 * The report lines of model `h` loaded from `bytes` (names from the file's table), and the form of
 * every planned matrix by name.
 */
export function modelTensors(ex: HushModelExports, h: number, bytes: Uint8Array): { tensors: ModelTensor[]; mats: Map<string, { form: MatForm }> } {
  const names: string[] = [];
  for (const t of hushModelInfo(bytes).tensors.values()) names[t.index] = t.name;
  const matForms = Object.keys(MAT_FORM_IDS) as MatForm[];
  const convForms = Object.keys(CONV_FORM_IDS) as ConvForm[];
  const mats = new Map<string, { form: MatForm }>();
  const tensors: ModelTensor[] = [];
  for (let i = 0; i < ex.modelReportCount(h); i++) {
    const kind = ex.modelReportKind(h, i);
    const second = ex.modelReportSecond(h, i);
    let tensor = names[ex.modelReportTensor(h, i)];
    if (kind === REPORT_BATCHNORM) tensor = tensor.replace(/\.weight$/, '');
    const label = second >= 0 ? `${tensor}+${names[second]}` : tensor;
    const id = ex.modelReportForm(h, i);
    let form: ModelTensor['form'] = 'dense';
    if (kind === REPORT_MATRIX) {
      form = matForms.find((f) => MAT_FORM_IDS[f] === id) ?? 'dense';
      mats.set(tensor, { form });
    } else if (kind === REPORT_CONV) {
      const c = convForms.find((f) => CONV_FORM_IDS[f] === id) ?? 'dense';
      form = c === 'dense' ? 'dense' : `conv-${c}`;
    }
    tensors.push({ name: label, form, bytes: ex.modelReportBytes(h, i) });
  }
  return { tensors, mats };
}
