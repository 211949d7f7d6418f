/**
 * safetensors I/O for uncompressed checkpoints (the trainer's output, readable by PyTorch users).
 *
 * Layout (huggingface/safetensors, "format" section of its README):
 *   u64 header_bytes (little-endian) | header: UTF-8 JSON object, header_bytes long | data buffer
 * The JSON maps each tensor name to {dtype, shape, data_offsets: [begin, end]} (byte offsets relative
 * to the start of the data buffer) and may hold `__metadata__`, a map of string to string.
 *
 * The reader treats the file as hostile: every length, offset and shape is checked before it is used,
 * the tensors' byte ranges must tile the data buffer exactly (no gaps, no overlaps, nothing after the
 * last one, as the reference implementation requires), and each failure names the file, the tensor and
 * what is wrong. F32 is the native dtype; F16, BF16, F64 and the integer I64/I32 (PyTorch's
 * BatchNorm num_batches_tracked) are converted to f32 on read so that checkpoints saved elsewhere load
 * too. The writer emits F32 only.
 */
import { UserError } from '../errors.js';
import { f32FromF16 } from './f16.js';

/** One tensor: row-major f32 values, `shape` outermost first (PyTorch order). */
export interface SafetensorsTensor {
  shape: number[];
  data: Float32Array;
}

/** A parsed file: tensors in data-offset order (the writer's order) and the `__metadata__` map. */
export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** Largest JSON header accepted: 100 MiB, the reference implementation's limit. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** Bytes per element of each dtype the reader converts to f32. */
const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4 };

/** The writer pads the header with spaces so that the data buffer starts 8-byte aligned (as the reference writer does). */
const DATA_ALIGN_BYTES = 8;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Parses a safetensors file. `name` (usually the path) prefixes every error message.
 * Throws UserError naming the first problem found.
 */
export function readSafetensors(bytes: Uint8Array, name: string): SafetensorsFile {
  const fail = (msg: string): never => {
    throw new UserError(`${name}: ${msg}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length (not a safetensors file)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenLo = view.getUint32(0, true);
  const lenHi = view.getUint32(4, true);
  const headerBytes = lenHi * 2 ** 32 + lenLo;
  if (headerBytes > SAFETENSORS_MAX_HEADER_BYTES) {
    fail(`header length ${headerBytes} exceeds the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit (not a safetensors file?)`);
  }
  if (headerBytes < 2) fail(`header length ${headerBytes} is too small for a JSON object`);
  if (8 + headerBytes > bytes.length) {
    fail(`header of ${headerBytes} bytes ends ${8 + headerBytes - bytes.length} bytes past the end of the file (truncated?)`);
  }
  const headerRaw = bytes.subarray(8, 8 + headerBytes);
  if (headerRaw[0] !== 0x7b /* '{' */) fail(`header does not start with '{' (not a safetensors file?)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerRaw);
  } catch {
    return fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    return fail(`header is not valid JSON (${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('header is not a JSON object');

  const dataStart = 8 + headerBytes;
  const dataBytes = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  interface Entry {
    name: string;
    dtype: string;
    shape: number[];
    begin: number;
    end: number;
  }
  const entries: Entry[] = [];
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('__metadata__ is not an object');
      for (const [mk, mv] of Object.entries(value as Record<string, unknown>)) {
        if (typeof mv !== 'string') fail(`__metadata__.${mk} is not a string`);
        metadata[mk] = mv as string;
      }
      continue;
    }
    const where = `tensor ${key}`;
    if (key.length === 0) fail('a tensor has an empty name');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${where}: entry is not an object`);
    const info = value as Record<string, unknown>;
    const dtype = info.dtype;
    if (typeof dtype !== 'string') fail(`${where}: dtype missing or not a string`);
    const elemBytes = DTYPE_BYTES[dtype as string];
    if (elemBytes === undefined) fail(`${where}: dtype ${String(dtype)} is not supported (F32, F16, BF16, F64, I64, I32)`);
    const shape = info.shape;
    if (!Array.isArray(shape)) fail(`${where}: shape missing or not an array`);
    for (const d of shape as unknown[]) {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) fail(`${where}: shape ${JSON.stringify(shape)} has a dimension that is not a non-negative integer`);
    }
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2) fail(`${where}: data_offsets missing or not a pair`);
    const [begin, end] = offs as unknown[];
    if (typeof begin !== 'number' || typeof end !== 'number' || !Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < begin) {
      fail(`${where}: data_offsets ${JSON.stringify(offs)} are not 0 ≤ begin ≤ end integers`);
    }
    if ((end as number) > dataBytes) fail(`${where}: data ends ${(end as number) - dataBytes} bytes past the end of the file (truncated?)`);
    // A shape's product is exact below 2^53 and the range holds < 2^53 bytes, so a huge shape can never
    // compare equal by rounding; a range that is not a whole number of elements never matches either.
    const rangeElems = ((end as number) - (begin as number)) / elemBytes;
    if (product(shape as number[]) !== rangeElems) {
      fail(`${where}: shape ${JSON.stringify(shape)} of ${dtype} needs ${product(shape as number[])} elements but data_offsets hold ${(end as number) - (begin as number)} bytes`);
    }
    entries.push({ name: key, dtype: dtype as string, shape: (shape as number[]).slice(), begin: begin as number, end: end as number });
  }

  // The ranges must tile [0, dataBytes) exactly, in some order.
  entries.sort((x, y) => x.begin - y.begin || x.end - y.end);
  let cursor = 0;
  for (const e of entries) {
    if (e.begin < cursor) fail(`tensor ${e.name}: data_offsets [${e.begin}, ${e.end}] overlap the previous tensor (which ends at ${cursor})`);
    if (e.begin > cursor) fail(`tensor ${e.name}: ${e.begin - cursor} bytes before its data_offsets [${e.begin}, ${e.end}] belong to no tensor`);
    cursor = e.end;
  }
  if (cursor !== dataBytes) fail(`${dataBytes - cursor} bytes after the last tensor belong to no tensor`);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    const raw = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    tensors.set(e.name, { shape: e.shape, data: decodeToF32(raw, e.dtype) });
  }
  return { tensors, metadata };
}

/** Converts little-endian `raw` of `dtype` to a fresh Float32Array. */
function decodeToF32(raw: Uint8Array, dtype: string): Float32Array {
  if (dtype === 'F32' && HOST_LITTLE_ENDIAN) {
    // Copy byte-wise into a fresh buffer: `raw.slice()` would not copy when `raw` is a Node Buffer
    // (Buffer#slice is a view), and the view's .buffer is the whole file.
    const out = new Float32Array(raw.byteLength / 4);
    new Uint8Array(out.buffer).set(raw);
    return out;
  }
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.byteLength / DTYPE_BYTES[dtype];
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'F32':
        out[i] = v.getFloat32(4 * i, true);
        break;
      case 'F16':
        out[i] = f32FromF16(v.getUint16(2 * i, true));
        break;
      case 'BF16': {
        // bfloat16 is the top half of an f32.
        const bits = v.getUint16(2 * i, true) << 16;
        const f = new DataView(new ArrayBuffer(4));
        f.setUint32(0, bits >>> 0, true);
        out[i] = f.getFloat32(0, true);
        break;
      }
      case 'I64':
        out[i] = Number(v.getBigInt64(8 * i, true));
        break;
      case 'I32':
        out[i] = v.getInt32(4 * i, true);
        break;
      default:
        out[i] = v.getFloat64(8 * i, true);
    }
  }
  return out;
}

/**
 * Serialises tensors (in the map's order) and string metadata as an F32 safetensors file.
 * Throws UserError when a shape does not match its data or a metadata value is not a string.
 */
export function writeSafetensors(
  tensors: Map<string, SafetensorsTensor> | Record<string, SafetensorsTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const list = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new UserError(`safetensors metadata ${k}: value is not a string`);
    meta[k] = v;
  }
  if (Object.keys(meta).length > 0) header.__metadata__ = meta;
  let offset = 0;
  for (const [name, t] of list) {
    if (name.length === 0 || name === '__metadata__') throw new UserError(`safetensors: invalid tensor name ${JSON.stringify(name)}`);
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new UserError(`tensor ${name}: shape ${JSON.stringify(t.shape)} is not a list of non-negative integers`);
    }
    if (product(t.shape) !== t.data.length) {
      throw new UserError(`tensor ${name}: shape ${JSON.stringify(t.shape)} needs ${product(t.shape)} values, data has ${t.data.length}`);
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * t.data.length] };
    offset += 4 * t.data.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / DATA_ALIGN_BYTES) * DATA_ALIGN_BYTES - 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const [, t] of list) {
    if (HOST_LITTLE_ENDIAN) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    } else {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + 4 * i, t.data[i], true);
    }
    pos += 4 * t.data.length;
  }
  return out;
}
