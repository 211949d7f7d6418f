/**
 * The parts of reading a `.hush` file that both readers share: src/format/reader.ts (validates and
 * decodes everything) and runtime/core/hushInfo.ts (header-level view, no payload decoding, also
 * run in AudioWorkletGlobalScope). Browser-safe: no Node imports and no TextDecoder — the caller
 * decodes strings (TextDecoder is not exposed in every AudioWorkletGlobalScope).
 *
 * Call only on bytes that passed validation (hushValidate or the WASM reader): no bounds are checked.
 */
import { HUSH_ARCH_NAMES, type HushArchConfig, type HushTask, type HParam } from './arch.js';
import * as S from './spec.js';
import type { HushEncodingName } from './tensor.js';

/** hush_tensor.encoding id → name. */
export const HUSH_ENCODING_NAMES: Readonly<Record<number, HushEncodingName>> = {
  [S.HUSH_ENC_F32]: 'f32',
  [S.HUSH_ENC_F16]: 'f16',
  [S.HUSH_ENC_KMEANS]: 'kmeans',
  [S.HUSH_ENC_SPARSE]: 'sparse',
  [S.HUSH_ENC_MPO]: 'mpo',
};

/**
 * The architecture and hyper-parameters stored in the model section at byte `m` (docs/format.md
 * hush_model, hush_hparam): `str(offset, bytes)` decodes a string of the strings section.
 */
export function hushConfigRead(v: DataView, m: number, str: (off: number, n: number) => string): HushArchConfig {
  const u32 = (at: number) => v.getUint32(at, true);
  const arch = HUSH_ARCH_NAMES[u32(m + S.MODEL_ARCH_AT) - 1];
  const nh = u32(m + S.MODEL_HPARAM_COUNT_AT);
  const nm = u32(m + S.MODEL_META_COUNT_AT);
  const hp0 = m + S.HUSH_MODEL_FIXED_BYTES;
  let valueAt = hp0 + S.HUSH_HPARAM_BYTES * nh + S.HUSH_META_BYTES * nm;
  const hparams: Record<string, HParam> = {};
  for (let i = 0; i < nh; i++) {
    const e = hp0 + S.HUSH_HPARAM_BYTES * i;
    const n = u32(e + S.HPARAM_COUNT_AT);
    const list: number[] = [];
    for (let j = 0; j < n; j++) list.push(v.getFloat64(valueAt + 8 * j, true));
    valueAt += 8 * n;
    hparams[str(u32(e + S.HPARAM_NAME_OFFSET_AT), u32(e + S.HPARAM_NAME_BYTES_AT))] = u32(e + S.HPARAM_KIND_AT) === S.HUSH_HPARAM_NUMBER ? list[0] : list;
  }
  return { arch, hparams } as HushArchConfig;
}

/** The task and number of output signals stored in the model section at byte `m` (1 output for enhancement). */
export function hushTaskRead(v: DataView, m: number): { task: HushTask; outputCount: number } {
  const task = v.getUint32(m + S.MODEL_TASK_AT, true) === S.HUSH_TASK_SEPARATE ? 'separate' : 'enhance';
  return { task, outputCount: task === 'separate' ? v.getUint32(m + S.MODEL_OUTPUT_COUNT_AT, true) : 1 };
}
