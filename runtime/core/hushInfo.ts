/**
 * What the runtime needs to know about a `.hush` file before building a net: its architecture and
 * hyper-parameters, signal path, and the tensor table (name, encoding, shape, flags, k-means and
 * sparsity parameters) — read straight from the header, model section and table with the offsets of
 * src/format/spec.ts (architecture, hyper-parameters and encoding names through
 * src/format/headerRead.ts, shared with the reader), without decoding any payload
 * (src/format/reader.ts readHush decodes every tensor into JS arrays, which a 100 MB model cannot
 * afford on a Raspberry Pi). Browser-safe.
 *
 * Call only on bytes the WASM reader has validated (hushWasmOpen): no bounds are re-checked here.
 */
import type { HushArchConfig, HushTask } from '../../src/format/arch.js';
import * as S from '../../src/format/spec.js';
import { HUSH_ENCODING_NAMES, hushConfigRead, hushTaskRead } from '../../src/format/headerRead.js';
import { SPARSITY_NAMES } from '../../src/format/sparsity.js';
import type { HushEncodingName, HushSparsityKind } from '../../src/format/tensor.js';

/** One table entry (MPO cores are listed with their MPO tensor, not as entries of their own). */
export interface HushTensorInfo {
  /** Table index (what the WASM accessors take). */
  index: number;
  name: string;
  encoding: HushEncodingName;
  shape: number[];
  /** Elements (product of the shape). */
  count: number;
  /** HUSH_TF_* bits. */
  flags: number;
  /** k-means clusters (0 otherwise) and index bits ⌈log2 K⌉. */
  k: number;
  bits: number;
  /** Sparsity pattern of k-means / sparse tensors (null for dense and MPO). */
  sparsity: HushSparsityKind | null;
  /** Group axis when sparsity is 'groups' (HUSH_GROUP_*), else null. */
  groupAxis: number | null;
  /** Stored weights: nonzeros for k-means / sparse, elements for dense, Σ over cores for MPO. */
  stored: number;
  /** Payload bytes (for MPO: its cores'). */
  payloadBytes: number;
  /** MPO: the cores' shapes [r_{k−1}, i_k, j_k, r_k]. */
  cores: number[][];
}

/** Signal path of the model (docs/format.md hush_model). */
export interface HushSignalInfo {
  sampleRateHz: number;
  windowSamples: number;
  hopSamples: number;
  fftSize: number;
  /** HUSH_WINDOW_* */
  windowKind: number;
}

/** The header-level view of a validated file. */
export interface HushModelInfo {
  config: HushArchConfig;
  /** 'enhance' (one output) or 'separate' (outputCount speakers), hush_model.task. */
  task: HushTask;
  outputCount: number;
  signal: HushSignalInfo;
  tensors: Map<string, HushTensorInfo>;
  fileBytes: number;
}

/**
 * Decodes bytes [start, end) of valid UTF-8 (the reader has checked it). Hand-written because
 * TextDecoder is not exposed in every AudioWorkletGlobalScope, where models are loaded too.
 */
export function utf8Decode(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end;) {
    const c = b[i];
    let cp: number;
    if (c < 0x80) {
      cp = c;
      i += 1;
    } else if (c < 0xe0) {
      cp = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
      i += 3;
    } else {
      cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
      i += 4;
    }
    s += String.fromCodePoint(cp);
  }
  return s;
}

/** Reads the architecture, signal and tensor table of validated `.hush` bytes. */
export function hushModelInfo(bytes: Uint8Array): HushModelInfo {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => v.getUint32(at, true);
  const stringsOff = u32(S.HDR_STRINGS_AT);
  const str = (off: number, n: number) => utf8Decode(bytes, stringsOff + off, stringsOff + off + n);

  const m = u32(S.HDR_MODEL_AT);
  const config = hushConfigRead(v, m, str);
  const { task, outputCount } = hushTaskRead(v, m);
  const signal: HushSignalInfo = {
    sampleRateHz: u32(m + S.MODEL_SAMPLE_RATE_AT),
    windowSamples: u32(m + S.MODEL_WINDOW_AT),
    hopSamples: u32(m + S.MODEL_HOP_AT),
    fftSize: u32(m + S.MODEL_FFT_AT),
    windowKind: u32(m + S.MODEL_WINDOW_KIND_AT),
  };

  const table = u32(S.HDR_TABLE_AT);
  const count = u32(S.HDR_TENSOR_COUNT_AT);
  const entry = (i: number) => table + S.HUSH_TENSOR_BYTES * i;
  const shapeOf = (e: number) => {
    const rank = bytes[e + S.TENSOR_RANK_AT];
    return Array.from({ length: rank }, (_, d) => u32(e + S.TENSOR_DIMS_AT + 4 * d));
  };
  const tensors = new Map<string, HushTensorInfo>();
  for (let i = 0; i < count; i++) {
    const e = entry(i);
    const enc = bytes[e + S.TENSOR_ENCODING_AT];
    const isStored = enc === S.HUSH_ENC_KMEANS || enc === S.HUSH_ENC_SPARSE;
    const sparsityId = bytes[e + S.TENSOR_SPARSITY_AT];
    const param = u32(e + S.TENSOR_SPARSITY_PARAM_AT);
    const info: HushTensorInfo = {
      index: i,
      name: str(u32(e + S.TENSOR_NAME_OFFSET_AT), u32(e + S.TENSOR_NAME_BYTES_AT)),
      encoding: HUSH_ENCODING_NAMES[enc],
      shape: shapeOf(e),
      count: u32(e + S.TENSOR_COUNT_AT),
      flags: bytes[e + S.TENSOR_FLAGS_AT],
      k: enc === S.HUSH_ENC_KMEANS ? u32(e + S.TENSOR_K_AT) : 0,
      bits: enc === S.HUSH_ENC_KMEANS ? bytes[e + S.TENSOR_BITS_AT] : 0,
      sparsity: isStored ? SPARSITY_NAMES[sparsityId] : null,
      groupAxis: isStored && sparsityId === S.HUSH_SPARSITY_GROUPS ? (param >>> 8) & 0xff : null,
      stored: isStored ? u32(e + S.TENSOR_NONZEROS_AT) : u32(e + S.TENSOR_COUNT_AT),
      payloadBytes: u32(e + S.TENSOR_DATA_BYTES_AT),
      cores: [],
    };
    if (enc === S.HUSH_ENC_MPO) {
      const n = u32(e + S.TENSOR_MPO_CORES_AT);
      info.stored = 0;
      for (let c = 1; c <= n; c++) {
        const ce = entry(i + c);
        info.cores.push(shapeOf(ce));
        const cEnc = bytes[ce + S.TENSOR_ENCODING_AT];
        info.stored += cEnc === S.HUSH_ENC_KMEANS || cEnc === S.HUSH_ENC_SPARSE ? u32(ce + S.TENSOR_NONZEROS_AT) : u32(ce + S.TENSOR_COUNT_AT);
        info.payloadBytes += u32(ce + S.TENSOR_DATA_BYTES_AT);
      }
      i += n;
    }
    tensors.set(info.name, info);
  }
  return { config, task, outputCount, signal, tensors, fileBytes: bytes.length };
}
