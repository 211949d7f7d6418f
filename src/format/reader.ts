/**
 * `.hush` reader in TypeScript: validates the whole file first (validate.ts — every count, offset,
 * checksum and stream), then decodes it into the writer's in-memory forms, so that
 * readHush(writeHush(m)) gives m's tensors bit-exactly. Rejections throw HushFormatError naming the
 * file, the place and the problem.
 */
import type { HushArchConfig, HushTask } from './arch.js';
import { bitpackReadAll } from './bitpack.js';
import { f32FromF16 } from './f16.js';
import { HUSH_ENCODING_NAMES, hushConfigRead, hushTaskRead } from './headerRead.js';
import { HushFormatError, hushErrorMessage } from './message.js';
import { sparsityDecode, SPARSITY_NAMES } from './sparsity.js';
import * as S from './spec.js';
import { hushValidate } from './validate.js';
import { HUSH_WINDOW_IDS, type HushSignal, type HushWindowName } from './writer.js';
import type { HushBlockShape, HushCoreTensor, HushDtype, HushEncodingName, HushSparsityKind, HushTensor } from './tensor.js';

/** The permutation that sorts `positions` (distinct) ascending: positions[order[i]] increases with i. */
function ascendingOrder(positions: Uint32Array): Uint32Array {
  return Uint32Array.from(positions.keys()).sort((a, b) => positions[a] - positions[b]);
}

/** out[i] = a[order[i]]. */
function permuted<A extends Uint32Array | Float32Array>(a: A, order: Uint32Array): A {
  const out = new (a.constructor as new (n: number) => A)(order.length);
  for (let i = 0; i < order.length; i++) out[i] = a[order[i]];
  return out;
}

/** One row of the tensor table as stored (MPO cores included, named `<name>#<k>`). */
export interface HushEntryInfo {
  name: string;
  encoding: HushEncodingName;
  shape: number[];
  /** HUSH_TF_* bits */
  flags: number;
  /** k-means clusters (0 otherwise) and index width */
  k: number;
  bits: number;
  /** codebook (k-means) / values (sparse) dtype; null for dense and MPO */
  valueDtype: HushDtype | null;
  /** null for dense and MPO entries */
  sparsity: HushSparsityKind | null;
  /** hush_tensor.sparsity_param (gap width | group axis << 8) */
  sparsityParam: number;
  /** stored weights (elements for dense; sum over cores for MPO) */
  stored: number;
  /** payload bytes (0 for MPO: see its cores) */
  payloadBytes: number;
  /** absolute file offset of the payload */
  payloadOffset: number;
  /** for MPO cores: the MPO tensor they belong to */
  coreOf: string | null;
}

/** A decoded `.hush` file. */
export interface HushFile {
  versionMajor: number;
  versionMinor: number;
  config: HushArchConfig;
  /** 'enhance' (every 1.0 file) or 'separate' (1.1). */
  task: HushTask;
  /** Output signals: 1 for enhancement, the speakers for separation. */
  outputCount: number;
  signal: HushSignal;
  metadata: Record<string, string>;
  /** Top-level tensors in table order (MPO cores nested in their tensor). */
  tensors: Map<string, HushTensor>;
  entries: HushEntryInfo[];
  fileBytes: number;
}

/** Parses a `.hush` file; `fileName` prefixes error messages. Throws HushFormatError when the file is invalid. */
export function readHush(bytes: Uint8Array, fileName = 'model.hush'): HushFile {
  const checked = hushValidate(bytes);
  if (!checked.ok) throw new HushFormatError(hushErrorMessage(bytes, checked.error, fileName), checked.error);
  const L = checked.layout;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u8 = (at: number) => bytes[at];
  const u32 = (at: number) => v.getUint32(at, true);
  const dec = new TextDecoder();
  const str = (off: number, n: number) => dec.decode(bytes.subarray(L.stringsOffset + off, L.stringsOffset + off + n));
  const values = (at: number, n: number, dsize: number): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = dsize === 4 ? v.getFloat32(at + 4 * i, true) : f32FromF16(v.getUint16(at + 2 * i, true));
    return out;
  };

  // Model section.
  const m = L.modelOffset;
  const config = hushConfigRead(v, m, str);
  const { task, outputCount } = hushTaskRead(v, m);
  const windowId = u32(m + S.MODEL_WINDOW_KIND_AT);
  const signal: HushSignal = {
    sampleRateHz: u32(m + S.MODEL_SAMPLE_RATE_AT),
    windowSamples: u32(m + S.MODEL_WINDOW_AT),
    hopSamples: u32(m + S.MODEL_HOP_AT),
    fftSize: u32(m + S.MODEL_FFT_AT),
    window: (Object.keys(HUSH_WINDOW_IDS) as HushWindowName[]).find((k) => HUSH_WINDOW_IDS[k] === windowId)!,
  };
  const nm = u32(m + S.MODEL_META_COUNT_AT);
  const meta0 = m + S.HUSH_MODEL_FIXED_BYTES + S.HUSH_HPARAM_BYTES * u32(m + S.MODEL_HPARAM_COUNT_AT);
  const metadata: Record<string, string> = {};
  for (let i = 0; i < nm; i++) {
    const e = meta0 + S.HUSH_META_BYTES * i;
    metadata[str(u32(e + S.META_KEY_OFFSET_AT), u32(e + S.META_KEY_BYTES_AT))] = str(u32(e + S.META_VALUE_OFFSET_AT), u32(e + S.META_VALUE_BYTES_AT));
  }

  // Tensor table.
  const entries: HushEntryInfo[] = [];
  const decoded: (HushTensor | null)[] = [];
  for (let i = 0; i < L.tensorCount; i++) {
    const e = L.tableOffset + S.HUSH_TENSOR_BYTES * i;
    const enc = u8(e + S.TENSOR_ENCODING_AT);
    const rank = u8(e + S.TENSOR_RANK_AT);
    const shape: number[] = [];
    for (let d = 0; d < rank; d++) shape.push(u32(e + S.TENSOR_DIMS_AT + 4 * d));
    const count = u32(e + S.TENSOR_COUNT_AT);
    const flags = u8(e + S.TENSOR_FLAGS_AT);
    const abs = L.dataOffset + u32(e + S.TENSOR_DATA_OFFSET_AT);
    const info: HushEntryInfo = {
      name: str(u32(e + S.TENSOR_NAME_OFFSET_AT), u32(e + S.TENSOR_NAME_BYTES_AT)),
      encoding: HUSH_ENCODING_NAMES[enc],
      shape,
      flags,
      k: 0,
      bits: 0,
      valueDtype: null,
      sparsity: null,
      sparsityParam: 0,
      stored: count,
      payloadBytes: u32(e + S.TENSOR_DATA_BYTES_AT),
      payloadOffset: abs,
      coreOf: null,
    };
    const bnFolded = (flags & S.HUSH_TF_BN_FOLDED) !== 0 ? { bnFolded: true } : {};
    let t: HushTensor | null = null;
    if (enc === S.HUSH_ENC_F32 || enc === S.HUSH_ENC_F16) {
      t = { encoding: info.encoding as 'f32' | 'f16', shape, data: values(abs, count, enc === S.HUSH_ENC_F32 ? 4 : 2), ...bnFolded };
    } else if (enc === S.HUSH_ENC_KMEANS || enc === S.HUSH_ENC_SPARSE) {
      const k = u32(e + S.TENSOR_K_AT);
      const bits = u8(e + S.TENSOR_BITS_AT);
      const dtype: HushDtype = u8(e + S.TENSOR_VALUE_DTYPE_AT) === S.HUSH_DTYPE_F32 ? 'f32' : 'f16';
      const dsize = dtype === 'f32' ? 4 : 2;
      const kind = u8(e + S.TENSOR_SPARSITY_AT);
      const n = u32(e + S.TENSOR_NONZEROS_AT);
      const streamBytes = u32(e + S.TENSOR_STREAM_BYTES_AT);
      const param = u32(e + S.TENSOR_SPARSITY_PARAM_AT);
      const aBytes = enc === S.HUSH_ENC_KMEANS ? k * dsize : 0;
      const bOff = S.alignOffset(aBytes);
      const cOff = S.alignOffset(bOff + streamBytes);
      const stored = sparsityDecode(shape, kind, param, bytes, abs + cOff, n);
      Object.assign(info, { k, bits, valueDtype: dtype, sparsity: SPARSITY_NAMES[kind], sparsityParam: param, stored: n });
      // blocks: the file holds the weights in block order; the in-memory form is ascending (tensor.ts)
      const block: HushBlockShape | undefined = kind === S.HUSH_SPARSITY_BLOCKS ? [(param >>> 8) & 0xff, (param >>> 16) & 0xff] : undefined;
      const asc = block && stored ? ascendingOrder(stored) : null;
      const positions = asc && stored ? permuted(stored, asc) : stored;
      const extra = block ? { block } : {};
      if (enc === S.HUSH_ENC_KMEANS) {
        const idx = bitpackReadAll(bytes, abs + bOff, n, bits);
        t = { encoding: 'kmeans', shape, codebook: values(abs, k, dsize), codebookDtype: dtype, positions, indices: asc ? permuted(idx, asc) : idx, sparsity: SPARSITY_NAMES[kind], ...extra, ...bnFolded };
      } else {
        const v = values(abs + bOff, n, dsize);
        t = { encoding: 'sparse', shape, valuesDtype: dtype, positions, values: asc ? permuted(v, asc) : v, sparsity: SPARSITY_NAMES[kind], ...extra, ...bnFolded };
      }
    } else {
      t = { encoding: 'mpo', shape, cores: [], ...bnFolded };
    }
    entries.push(info);
    decoded.push(t);
  }

  // Nest MPO cores (validation guarantees each MPO entry is followed by exactly its cores).
  const tensors = new Map<string, HushTensor>();
  for (let i = 0; i < entries.length; i++) {
    const t = decoded[i]!;
    tensors.set(entries[i].name, t);
    if (t.encoding === 'mpo') {
      const n = u32(L.tableOffset + S.HUSH_TENSOR_BYTES * i + S.TENSOR_MPO_CORES_AT);
      for (let c = 1; c <= n; c++) {
        t.cores.push(decoded[i + c] as HushCoreTensor);
        entries[i + c].coreOf = entries[i].name;
      }
      entries[i].stored = entries.slice(i + 1, i + 1 + n).reduce((s, x) => s + x.stored, 0);
      i += n;
    }
  }
  return {
    versionMajor: L.versionMajor,
    versionMinor: L.versionMinor,
    config,
    task,
    outputCount,
    signal,
    metadata,
    tensors,
    entries,
    fileBytes: bytes.length,
  };
}
