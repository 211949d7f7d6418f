/**
 * `.hush` writer: an architecture config, signal parameters, string metadata and named tensors in,
 * one canonical file out (docs/format.md). Canonical means: sections in order at alignOffset()
 * positions, payloads in table order, all padding zero, so that write(read(f)) === f byte for byte.
 * Inputs are validated with messages naming the tensor; nothing invalid is ever written.
 */
import { UserError } from '../errors.js';
import { ARCH_NAMES, HUSH_ARCH_NAMES, isSeparationArch, type ArchName, type HushArchConfig, type HushArchName } from './arch.js';
import { FFT_SIZE, HOP_SAMPLES, SAMPLE_RATE_HZ, WINDOW_SAMPLES } from '../dsp/constants.js';
import { bitpackWrite } from './bitpack.js';
import { crc32 } from './crc32.js';
import { f16FromF32 } from './f16.js';
import { sparsityEncode, type SparsityCode } from './sparsity.js';
import * as S from './spec.js';
import { ceilLog2 } from './validate.js';
import { shapeElements, valuesFit, type HushBlockShape, type HushCoreTensor, type HushDtype, type HushSparsityChoice, type HushTensor } from './tensor.js';

/** Analysis window of the model's signal path. */
export type HushWindowName = 'hamming-periodic' | 'hamming-symmetric' | 'rectangular';

/** Window names by id and back (ids in spec.ts). */
export const HUSH_WINDOW_IDS: Record<HushWindowName, number> = {
  'hamming-periodic': S.HUSH_WINDOW_HAMMING_PERIODIC,
  'hamming-symmetric': S.HUSH_WINDOW_HAMMING_SYMMETRIC,
  rectangular: S.HUSH_WINDOW_RECTANGULAR,
};

/** The signal path the network was trained with (defaults: the paper's 16 kHz, 20 ms / 10 ms, 320-point DFT). */
export interface HushSignal {
  sampleRateHz: number;
  windowSamples: number;
  hopSamples: number;
  fftSize: number;
  window: HushWindowName;
}

/** Everything a `.hush` file holds. */
export interface HushModel {
  /**
   * Architecture and every hyper-parameter needed to rebuild the net. The task follows from the
   * architecture; a separation net's `speakers` hyper-parameter is its number of outputs.
   */
  config: HushArchConfig;
  /**
   * Enhancement nets, defaults: SAMPLE_RATE_HZ, WINDOW_SAMPLES, HOP_SAMPLES, FFT_SIZE; periodic
   * Hamming (rectangular for TCNN). Separation nets: required in full (their 8-kHz paths follow
   * from their hyper-parameters: src/models/separation/hushConfig.ts separationSignal).
   */
  signal?: Partial<HushSignal>;
  /** Free-form provenance (pipeline, preset, corpus hash, command line): string → string. */
  metadata?: Record<string, string>;
  /** Named tensors in PyTorch state-dict naming; written in this order. */
  tensors: Map<string, HushTensor> | Record<string, HushTensor>;
}

/** Architecture id of an architecture (1-based position in HUSH_ARCH_NAMES). */
export function hushArchId(arch: HushArchName): number {
  return HUSH_ARCH_NAMES.indexOf(arch) + 1;
}

/**
 * hush_model.task, output_count and the header's minor version of a config: enhancement 0, 0, 1.0
 * (byte-identical to a 1.0 writer's file); separation 1, `speakers` (2..HUSH_MAX_OUTPUTS), 1.1.
 */
export function hushTaskFields(config: HushArchConfig): { task: number; outputCount: number; versionMinor: number } {
  if (!isSeparationArch(config.arch)) return { task: S.HUSH_TASK_ENHANCE, outputCount: 0, versionMinor: 0 };
  const c = config.hparams.speakers;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < S.HUSH_MIN_SEPARATE_OUTPUTS || c > S.HUSH_MAX_OUTPUTS) {
    throw new UserError(`${config.arch}: hparam speakers = ${JSON.stringify(c)} must be an integer in ${S.HUSH_MIN_SEPARATE_OUTPUTS}..${S.HUSH_MAX_OUTPUTS} (the number of outputs)`);
  }
  return { task: S.HUSH_TASK_SEPARATE, outputCount: c, versionMinor: S.HUSH_VERSION_MINOR_SEPARATION };
}

/** The signal parameters a model gets when the caller gives none. */
export function hushDefaultSignal(arch: ArchName): HushSignal {
  return {
    sampleRateHz: SAMPLE_RATE_HZ,
    windowSamples: WINDOW_SAMPLES,
    hopSamples: HOP_SAMPLES,
    fftSize: FFT_SIZE,
    window: arch === 'tcnn' ? 'rectangular' : 'hamming-periodic',
  };
}

/** One table entry before layout: its fixed fields and payload blocks. */
interface EntryPlan {
  name: string;
  encoding: number;
  shape: number[];
  flags: number;
  /** u32 words of the 32-byte parameter union at TENSOR_PARAMS_AT, as [byteOffset, value, width] */
  params: [number, number, 1 | 4][];
  blockA: Uint8Array;
  blockB: Uint8Array;
  blockC: Uint8Array;
  /** true for MPO entries: no payload */
  empty: boolean;
}

/** Growing byte buffer of UTF-8 strings; identical strings share bytes. */
class StringPool {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private seen = new Map<string, [number, number]>();
  add(s: string): [number, number] {
    const hit = this.seen.get(s);
    if (hit) return hit;
    const b = new TextEncoder().encode(s);
    const ref: [number, number] = [this.size, b.length];
    this.chunks.push(b);
    this.size += b.length;
    this.seen.set(s, ref);
    return ref;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let p = 0;
    for (const c of this.chunks) {
      out.set(c, p);
      p += c.length;
    }
    return out;
  }
}

function dtypeId(d: HushDtype | undefined): number {
  return d === 'f16' ? S.HUSH_DTYPE_F16 : S.HUSH_DTYPE_F32;
}

/** Values as little-endian f32 or f16 bytes. */
function valueBytes(values: Float32Array, dtype: HushDtype | undefined): Uint8Array {
  if (dtype === 'f16') {
    const out = new Uint8Array(2 * values.length);
    const v = new DataView(out.buffer);
    for (let i = 0; i < values.length; i++) v.setUint16(2 * i, f16FromF32(values[i]), true);
    return out;
  }
  const out = new Uint8Array(4 * values.length);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat32(4 * i, values[i], true);
  return out;
}

function checkShape(name: string, shape: number[]): number {
  if (!Array.isArray(shape) || shape.length > S.HUSH_MAX_RANK) throw new UserError(`tensor ${name}: rank ${shape?.length} exceeds ${S.HUSH_MAX_RANK}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1 || d > S.HUSH_MAX_ELEMENTS) throw new UserError(`tensor ${name}: shape ${JSON.stringify(shape)} has a dimension that is not a positive integer`);
  }
  const n = shapeElements(shape);
  if (n > S.HUSH_MAX_ELEMENTS) throw new UserError(`tensor ${name}: shape ${JSON.stringify(shape)} has more than ${S.HUSH_MAX_ELEMENTS} elements`);
  return n;
}

function checkValues(name: string, what: string, values: Float32Array, dtype: HushDtype | undefined): void {
  if (!valuesFit(values, dtype ?? 'f32')) {
    throw new UserError(
      dtype === 'f16'
        ? `tensor ${name}: ${what} hold values that f16 does not store exactly (round with f16RoundArray first) or that are not finite`
        : `tensor ${name}: ${what} hold values that are not finite`,
    );
  }
}

function checkPositions(name: string, positions: Uint32Array | null, stored: number, count: number): void {
  if (positions === null) {
    if (stored !== count) throw new UserError(`tensor ${name}: ${stored} stored values but no positions for a tensor of ${count} elements`);
    return;
  }
  if (positions.length !== stored) throw new UserError(`tensor ${name}: ${positions.length} positions for ${stored} stored values`);
  for (let i = 0; i < positions.length; i++) {
    if (positions[i] >= count || (i > 0 && positions[i] <= positions[i - 1])) {
      throw new UserError(`tensor ${name}: positions must be strictly ascending and below ${count} (entry ${i} is ${positions[i]})`);
    }
  }
}

function sparsityFor(name: string, shape: number[], positions: Uint32Array | null, choice: HushSparsityChoice | undefined, block: HushBlockShape | undefined): SparsityCode {
  try {
    return sparsityEncode(shape, positions, choice ?? 'auto', block);
  } catch (err) {
    throw new UserError(`tensor ${name}: ${(err as Error).message}`);
  }
}

/** The stored entries in storage order: out[j] = a[order[j]] (sparsity 'blocks': block order). */
function storageOrder<A extends Uint32Array | Float32Array>(a: A, order: Uint32Array): A {
  const out = new (a.constructor as new (n: number) => A)(order.length);
  for (let j = 0; j < order.length; j++) out[j] = a[order[j]];
  return out;
}

/** Plans the table entry (and payload blocks) of one non-MPO tensor. */
function planCore(name: string, t: HushCoreTensor, flags: number): EntryPlan {
  const count = checkShape(name, t.shape);
  const base = { name, shape: t.shape, flags, empty: false };
  const none = new Uint8Array(0);
  switch (t.encoding) {
    case 'f32':
    case 'f16': {
      if (t.data.length !== count) throw new UserError(`tensor ${name}: shape ${JSON.stringify(t.shape)} needs ${count} values, data has ${t.data.length}`);
      checkValues(name, 'data', t.data, t.encoding);
      return { ...base, encoding: t.encoding === 'f32' ? S.HUSH_ENC_F32 : S.HUSH_ENC_F16, params: [], blockA: valueBytes(t.data, t.encoding), blockB: none, blockC: none };
    }
    case 'kmeans': {
      const k = t.codebook.length;
      if (k < 1 || k > S.HUSH_MAX_K) throw new UserError(`tensor ${name}: K = ${k} is outside 1..${S.HUSH_MAX_K}`);
      checkValues(name, 'codebook entries', t.codebook, t.codebookDtype);
      for (let i = 0; i < t.indices.length; i++) {
        if (t.indices[i] >= k) throw new UserError(`tensor ${name}: index #${i} is ${t.indices[i]}, not below K = ${k}`);
      }
      checkPositions(name, t.positions, t.indices.length, count);
      const bits = ceilLog2(k);
      const sp = sparsityFor(name, t.shape, t.positions, t.sparsity, t.block);
      const stream = bitpackWrite(sp.order ? storageOrder(t.indices, sp.order) : t.indices, bits);
      return {
        ...base,
        encoding: S.HUSH_ENC_KMEANS,
        params: [
          [S.TENSOR_K_AT, k, 4],
          [S.TENSOR_BITS_AT, bits, 1],
          [S.TENSOR_VALUE_DTYPE_AT, dtypeId(t.codebookDtype), 1],
          [S.TENSOR_STREAM_CODING_AT, S.HUSH_STREAM_PACKED, 1],
          [S.TENSOR_SPARSITY_AT, sp.kind, 1],
          [S.TENSOR_NONZEROS_AT, t.indices.length, 4],
          [S.TENSOR_STREAM_BYTES_AT, stream.length, 4],
          [S.TENSOR_SPARSITY_BYTES_AT, sp.bytes.length, 4],
          [S.TENSOR_SPARSITY_PARAM_AT, sp.param, 4],
        ],
        blockA: valueBytes(t.codebook, t.codebookDtype),
        blockB: stream,
        blockC: sp.bytes,
      };
    }
    case 'sparse': {
      checkValues(name, 'values', t.values, t.valuesDtype);
      checkPositions(name, t.positions, t.values.length, count);
      const sp = sparsityFor(name, t.shape, t.positions, t.sparsity, t.block);
      const vals = valueBytes(sp.order ? storageOrder(t.values, sp.order) : t.values, t.valuesDtype);
      return {
        ...base,
        encoding: S.HUSH_ENC_SPARSE,
        params: [
          [S.TENSOR_VALUE_DTYPE_AT, dtypeId(t.valuesDtype), 1],
          [S.TENSOR_STREAM_CODING_AT, S.HUSH_STREAM_PACKED, 1],
          [S.TENSOR_SPARSITY_AT, sp.kind, 1],
          [S.TENSOR_NONZEROS_AT, t.values.length, 4],
          [S.TENSOR_STREAM_BYTES_AT, vals.length, 4],
          [S.TENSOR_SPARSITY_BYTES_AT, sp.bytes.length, 4],
          [S.TENSOR_SPARSITY_PARAM_AT, sp.param, 4],
        ],
        blockA: none,
        blockB: vals,
        blockC: sp.bytes,
      };
    }
    default:
      throw new UserError(`tensor ${name}: unknown encoding ${String((t as { encoding: unknown }).encoding)}`);
  }
}

/** Table entries of one tensor: itself, and for MPO its cores (named `<name>#<k>`) right after. */
function planTensor(name: string, t: HushTensor): EntryPlan[] {
  const flags = t.bnFolded ? S.HUSH_TF_BN_FOLDED : 0;
  if (t.encoding !== 'mpo') return [planCore(name, t, flags)];
  const count = checkShape(name, t.shape);
  if (t.shape.length < 1) throw new UserError(`tensor ${name}: an MPO tensor needs rank ≥ 1`);
  if (t.cores.length < 1 || t.cores.length > S.HUSH_MAX_MPO_CORES) throw new UserError(`tensor ${name}: ${t.cores.length} MPO cores, allowed 1..${S.HUSH_MAX_MPO_CORES}`);
  let bond = 1;
  let rows = 1;
  let cols = 1;
  for (const [k, c] of t.cores.entries()) {
    if ((c.encoding as string) === 'mpo') throw new UserError(`tensor ${name}: MPO core ${k} cannot itself be MPO`);
    if (c.shape.length !== 4 || c.shape[0] !== bond || c.shape[3] > S.HUSH_MAX_MPO_BOND) {
      throw new UserError(`tensor ${name}: MPO core ${k} has shape ${JSON.stringify(c.shape)}, expected [${bond}, i, j, r ≤ ${S.HUSH_MAX_MPO_BOND}]`);
    }
    bond = c.shape[3];
    rows *= c.shape[1];
    cols *= c.shape[2];
  }
  if (bond !== 1 || rows !== t.shape[0] || cols !== count / t.shape[0]) {
    throw new UserError(`tensor ${name}: MPO cores give a ${rows}×${cols} matrix ending in bond ${bond}, expected ${t.shape[0]}×${count / t.shape[0]} and bond 1`);
  }
  const head: EntryPlan = {
    name,
    shape: t.shape,
    flags,
    encoding: S.HUSH_ENC_MPO,
    params: [[S.TENSOR_MPO_CORES_AT, t.cores.length, 4]],
    blockA: new Uint8Array(0),
    blockB: new Uint8Array(0),
    blockC: new Uint8Array(0),
    empty: true,
  };
  return [head, ...t.cores.map((c, k) => planCore(`${name}#${k}`, c, S.HUSH_TF_MPO_CORE))];
}

/** Payload of a planned entry: A | pad | B | pad | C with blocks at alignOffset() positions (empty for MPO). */
function payloadOf(p: EntryPlan): Uint8Array {
  if (p.empty) return new Uint8Array(0);
  if (p.encoding === S.HUSH_ENC_F32 || p.encoding === S.HUSH_ENC_F16) return p.blockA;
  const bOff = S.alignOffset(p.blockA.length);
  const cOff = S.alignOffset(bOff + p.blockB.length);
  const out = new Uint8Array(cOff + p.blockC.length);
  out.set(p.blockA, 0);
  out.set(p.blockB, bOff);
  out.set(p.blockC, cOff);
  return out;
}

function checkHparams(config: HushArchConfig): [string, number[], number][] {
  const out: [string, number[], number][] = [];
  for (const [name, v] of Object.entries(config.hparams)) {
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new UserError(`hparam ${name}: ${JSON.stringify(v)} is not a finite number or list of numbers`);
    }
    out.push([name, values, Array.isArray(v) ? S.HUSH_HPARAM_LIST : S.HUSH_HPARAM_NUMBER]);
  }
  if (out.length > S.HUSH_MAX_HPARAMS) throw new UserError(`${out.length} hyper-parameters, more than ${S.HUSH_MAX_HPARAMS}`);
  return out;
}

function checkName(what: string, s: string): void {
  const n = new TextEncoder().encode(s).length;
  if (n < 1 || n > S.HUSH_MAX_NAME_BYTES) throw new UserError(`${what} ${JSON.stringify(s.slice(0, 40))}: name is ${n} bytes, allowed 1..${S.HUSH_MAX_NAME_BYTES}`);
  if (!wellFormed(s)) throw new UserError(`${what} ${JSON.stringify(s)}: name is not well-formed Unicode`);
}

/** False when `s` holds a lone UTF-16 surrogate (which UTF-8 cannot encode). */
function wellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** Serialises a model as a `.hush` file. Throws UserError on invalid input (naming the tensor). */
export function writeHush(model: HushModel): Uint8Array {
  const { config } = model;
  if (!HUSH_ARCH_NAMES.includes(config.arch)) throw new UserError(`unknown architecture ${String(config.arch)}`);
  const fields = hushTaskFields(config);
  let signal: HushSignal;
  if (isSeparationArch(config.arch)) {
    const given = model.signal ?? {};
    const missing = (['sampleRateHz', 'windowSamples', 'hopSamples', 'fftSize', 'window'] as const).filter((k) => given[k] === undefined);
    if (missing.length > 0) throw new UserError(`${config.arch}: a separation model needs its whole signal path; missing ${missing.join(', ')}`);
    signal = given as HushSignal;
  } else {
    signal = { ...hushDefaultSignal(config.arch as ArchName), ...(model.signal ?? {}) };
  }
  const windowId = HUSH_WINDOW_IDS[signal.window];
  if (windowId === undefined) throw new UserError(`unknown window ${String(signal.window)}`);
  const sig = signal;
  if (!(Number.isInteger(sig.sampleRateHz) && sig.sampleRateHz >= S.HUSH_SAMPLE_RATE_MIN_HZ && sig.sampleRateHz <= S.HUSH_SAMPLE_RATE_MAX_HZ)
    || !(Number.isInteger(sig.windowSamples) && sig.windowSamples >= 1 && sig.windowSamples <= S.HUSH_MAX_WINDOW_SAMPLES)
    || !(Number.isInteger(sig.hopSamples) && sig.hopSamples >= 1 && sig.hopSamples <= sig.windowSamples)
    || !(Number.isInteger(sig.fftSize) && sig.fftSize >= sig.windowSamples && sig.fftSize <= S.HUSH_MAX_WINDOW_SAMPLES)) {
    throw new UserError(`invalid signal parameters ${JSON.stringify(sig)}`);
  }
  const hparams = checkHparams(config);
  const meta = Object.entries(model.metadata ?? {});
  if (meta.length > S.HUSH_MAX_META) throw new UserError(`${meta.length} metadata entries, more than ${S.HUSH_MAX_META}`);
  const pool = new StringPool();

  // Model section.
  const nValues = hparams.reduce((s, h) => s + h[1].length, 0);
  if (nValues > S.HUSH_MAX_VALUES) throw new UserError(`${nValues} hyper-parameter values, more than ${S.HUSH_MAX_VALUES}`);
  const modelBytes = S.HUSH_MODEL_FIXED_BYTES + S.HUSH_HPARAM_BYTES * hparams.length + S.HUSH_META_BYTES * meta.length + 8 * nValues;
  const modelSec = new Uint8Array(modelBytes);
  const mv = new DataView(modelSec.buffer);
  mv.setUint32(S.MODEL_ARCH_AT, hushArchId(config.arch), true);
  mv.setUint32(S.MODEL_SAMPLE_RATE_AT, sig.sampleRateHz, true);
  mv.setUint32(S.MODEL_WINDOW_AT, sig.windowSamples, true);
  mv.setUint32(S.MODEL_HOP_AT, sig.hopSamples, true);
  mv.setUint32(S.MODEL_FFT_AT, sig.fftSize, true);
  mv.setUint32(S.MODEL_WINDOW_KIND_AT, windowId, true);
  mv.setUint32(S.MODEL_HPARAM_COUNT_AT, hparams.length, true);
  mv.setUint32(S.MODEL_META_COUNT_AT, meta.length, true);
  mv.setUint32(S.MODEL_VALUE_COUNT_AT, nValues, true);
  mv.setUint32(S.MODEL_TASK_AT, fields.task, true);
  mv.setUint32(S.MODEL_OUTPUT_COUNT_AT, fields.outputCount, true);
  let valueAt = S.HUSH_MODEL_FIXED_BYTES + S.HUSH_HPARAM_BYTES * hparams.length + S.HUSH_META_BYTES * meta.length;
  hparams.forEach(([name, values, kind], i) => {
    checkName('hparam', name);
    const [off, n] = pool.add(name);
    const e = S.HUSH_MODEL_FIXED_BYTES + S.HUSH_HPARAM_BYTES * i;
    mv.setUint32(e + S.HPARAM_NAME_OFFSET_AT, off, true);
    mv.setUint32(e + S.HPARAM_NAME_BYTES_AT, n, true);
    mv.setUint32(e + S.HPARAM_KIND_AT, kind, true);
    mv.setUint32(e + S.HPARAM_COUNT_AT, values.length, true);
    for (const x of values) {
      mv.setFloat64(valueAt, x, true);
      valueAt += 8;
    }
  });
  meta.forEach(([key, value], i) => {
    checkName('metadata key', key);
    if (typeof value !== 'string') throw new UserError(`metadata ${key}: value is not a string`);
    if (!wellFormed(value)) throw new UserError(`metadata ${key}: value is not well-formed Unicode`);
    const [ko, kn] = pool.add(key);
    const [vo, vn] = pool.add(value);
    if (vn > S.HUSH_MAX_META_VALUE_BYTES) throw new UserError(`metadata ${key}: value is ${vn} bytes, more than ${S.HUSH_MAX_META_VALUE_BYTES}`);
    const e = S.HUSH_MODEL_FIXED_BYTES + S.HUSH_HPARAM_BYTES * hparams.length + S.HUSH_META_BYTES * i;
    mv.setUint32(e + S.META_KEY_OFFSET_AT, ko, true);
    mv.setUint32(e + S.META_KEY_BYTES_AT, kn, true);
    mv.setUint32(e + S.META_VALUE_OFFSET_AT, vo, true);
    mv.setUint32(e + S.META_VALUE_BYTES_AT, vn, true);
  });

  // Tensor table and payloads.
  const list = model.tensors instanceof Map ? [...model.tensors.entries()] : Object.entries(model.tensors);
  const plans: EntryPlan[] = [];
  for (const [name, t] of list) {
    checkName('tensor', name);
    plans.push(...planTensor(name, t));
  }
  const names = new Set<string>();
  for (const p of plans) {
    if (names.has(p.name)) throw new UserError(`tensor ${p.name}: name used twice (MPO cores are named <name>#<k>)`);
    names.add(p.name);
  }
  if (plans.length > S.HUSH_MAX_TENSORS) throw new UserError(`${plans.length} tensor table entries, more than ${S.HUSH_MAX_TENSORS}`);
  const table = new Uint8Array(S.HUSH_TENSOR_BYTES * plans.length);
  const tv = new DataView(table.buffer);
  const payloads: Uint8Array[] = [];
  let cursor = 0;
  plans.forEach((p, i) => {
    const e = S.HUSH_TENSOR_BYTES * i;
    const [off, n] = pool.add(p.name);
    const payload = payloadOf(p);
    tv.setUint32(e + S.TENSOR_NAME_OFFSET_AT, off, true);
    tv.setUint32(e + S.TENSOR_NAME_BYTES_AT, n, true);
    tv.setUint8(e + S.TENSOR_ENCODING_AT, p.encoding);
    tv.setUint8(e + S.TENSOR_RANK_AT, p.shape.length);
    tv.setUint8(e + S.TENSOR_FLAGS_AT, p.flags);
    p.shape.forEach((d, k) => tv.setUint32(e + S.TENSOR_DIMS_AT + 4 * k, d, true));
    tv.setUint32(e + S.TENSOR_COUNT_AT, shapeElements(p.shape), true);
    tv.setUint32(e + S.TENSOR_DATA_OFFSET_AT, cursor, true);
    tv.setUint32(e + S.TENSOR_DATA_BYTES_AT, payload.length, true);
    tv.setUint32(e + S.TENSOR_DATA_CRC_AT, crc32(payload), true);
    for (const [at, v, width] of p.params) {
      if (width === 1) tv.setUint8(e + at, v);
      else tv.setUint32(e + at, v, true);
    }
    payloads.push(payload);
    if (payload.length > 0) cursor = S.alignOffset(cursor + payload.length);
  });
  const strings = pool.bytes();

  // Layout: header | model | strings | table | data, each at alignOffset() of the previous end.
  const modelOff = S.HUSH_HEADER_BYTES;
  const stringsOff = S.alignOffset(modelOff + modelSec.length);
  const tableOff = S.alignOffset(stringsOff + strings.length);
  const dataOff = S.alignOffset(tableOff + table.length);
  const fileBytes = dataOff + cursor;
  if (fileBytes > 0xffffffff) throw new UserError(`model is ${fileBytes} bytes, more than the format's 4 GiB`);
  const out = new Uint8Array(fileBytes);
  const hv = new DataView(out.buffer);
  out.set(modelSec, modelOff);
  out.set(strings, stringsOff);
  out.set(table, tableOff);
  let at = dataOff;
  for (const p of payloads) {
    out.set(p, at);
    if (p.length > 0) at = S.alignOffset(at + p.length);
  }
  hv.setUint32(S.HDR_MAGIC_AT, S.HUSH_MAGIC, true);
  hv.setUint16(S.HDR_VERSION_MAJOR_AT, S.HUSH_VERSION_MAJOR, true);
  // the lowest minor version whose ids the file uses (docs/format.md "Versioning"): separation fields → 1, blocks → 2
  const blocks = plans.some((p) => p.params.some(([at, v]) => at === S.TENSOR_SPARSITY_AT && v === S.HUSH_SPARSITY_BLOCKS));
  hv.setUint16(S.HDR_VERSION_MINOR_AT, blocks ? Math.max(fields.versionMinor, S.HUSH_VERSION_MINOR_BLOCKS) : fields.versionMinor, true);
  hv.setUint32(S.HDR_HEADER_BYTES_AT, S.HUSH_HEADER_BYTES, true);
  hv.setUint32(S.HDR_FILE_BYTES_AT, fileBytes, true);
  hv.setUint32(S.HDR_TENSOR_COUNT_AT, plans.length, true);
  const sections: [number, Uint8Array][] = [[modelOff, modelSec], [stringsOff, strings], [tableOff, table]];
  sections.forEach(([off, bytes], s) => {
    hv.setUint32(S.HDR_MODEL_AT + 12 * s, off, true);
    hv.setUint32(S.HDR_MODEL_AT + 12 * s + 4, bytes.length, true);
    hv.setUint32(S.HDR_MODEL_AT + 12 * s + 8, crc32(bytes), true);
  });
  hv.setUint32(S.HDR_DATA_OFFSET_AT, dataOff, true);
  hv.setUint32(S.HDR_DATA_BYTES_AT, cursor, true);
  hv.setUint32(S.HDR_CRC_AT, crc32(out, 0, S.HDR_CRC_AT), true);
  return out;
}

/** Recomputes every checksum of a (possibly edited) file in place: header, sections, payloads. For tests and tools that patch files. */
export function hushResign(bytes: Uint8Array): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  const u32 = (at: number) => (at + 4 <= len ? v.getUint32(at, true) : 0);
  if (len < S.HUSH_HEADER_BYTES) return;
  for (let s = 0; s < 3; s++) {
    const off = u32(S.HDR_MODEL_AT + 12 * s);
    const n = u32(S.HDR_MODEL_AT + 12 * s + 4);
    if (off + n <= len) v.setUint32(S.HDR_MODEL_AT + 12 * s + 8, crc32(bytes, off, off + n), true);
  }
  const tableOff = u32(S.HDR_TABLE_AT);
  const count = u32(S.HDR_TENSOR_COUNT_AT);
  const dataOff = u32(S.HDR_DATA_OFFSET_AT);
  for (let i = 0; i < Math.min(count, S.HUSH_MAX_TENSORS); i++) {
    const e = tableOff + S.HUSH_TENSOR_BYTES * i;
    if (e + S.HUSH_TENSOR_BYTES > len) break;
    const off = dataOff + u32(e + S.TENSOR_DATA_OFFSET_AT);
    const n = u32(e + S.TENSOR_DATA_BYTES_AT);
    if (off + n <= len) v.setUint32(e + S.TENSOR_DATA_CRC_AT, crc32(bytes, off, off + n), true);
  }
  // the table changed: sign it again, then the header
  const tOff = u32(S.HDR_TABLE_AT);
  const tN = u32(S.HDR_TABLE_AT + 4);
  if (tOff + tN <= len) v.setUint32(S.HDR_TABLE_AT + 8, crc32(bytes, tOff, tOff + tN), true);
  v.setUint32(S.HDR_CRC_AT, crc32(bytes, 0, S.HDR_CRC_AT), true);
}
