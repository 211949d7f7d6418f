/**
 * Turns a `.hush` error record (from the TS validator or the WASM reader's codes) into the message a
 * user sees: "<file>: tensor enc3.conv1.weight: index stream ends 412 bytes past the file".
 * The place is named from the file itself when its name bytes are readable, else by its index.
 */
import { UserError } from '../errors.js';
import { utf8InvalidAt } from './utf8.js';
import type { HushErrorRecord } from './validate.js';
import * as S from './spec.js';

/** A rejected `.hush` file: a UserError that also carries the machine-readable record. */
export class HushFormatError extends UserError {
  override name = 'HushFormatError';
  constructor(
    message: string,
    readonly record: HushErrorRecord,
  ) {
    super(message);
  }
}

/** The symbolic name of an error code (e.g. 'HUSH_E_INDEX_PAST_END'), for logs and tests. */
export function hushErrorName(code: number): string {
  for (const [k, v] of Object.entries(S)) if (k.startsWith('HUSH_E_') && v === code) return k;
  return code === S.HUSH_OK ? 'HUSH_OK' : `HUSH_E_${code}`;
}

/** Reads the UTF-8 string referenced by (offset, bytes) in the strings section, or null when it cannot. */
function stringAt(bytes: Uint8Array, entry: number, offAt: number, lenAt: number): string | null {
  if (bytes.length < S.HUSH_HEADER_BYTES) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry + Math.max(offAt, lenAt) + 4 > bytes.length) return null;
  const strOff = v.getUint32(S.HDR_STRINGS_AT, true);
  const strBytes = v.getUint32(S.HDR_STRINGS_AT + 4, true);
  const off = v.getUint32(entry + offAt, true);
  const n = v.getUint32(entry + lenAt, true);
  if (n < 1 || n > S.HUSH_MAX_NAME_BYTES || off + n > strBytes || strOff + off + n > bytes.length) return null;
  if (utf8InvalidAt(bytes, strOff + off, strOff + off + n) >= 0) return null;
  return new TextDecoder().decode(bytes.subarray(strOff + off, strOff + off + n));
}

/** "tensor enc1.conv.weight", "hparam channels", "table section", … (or "tensor #3" when unnamed). */
export function hushErrorPlace(bytes: Uint8Array, r: HushErrorRecord): string {
  const v = bytes.length >= S.HUSH_HEADER_BYTES ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
  switch (r.where) {
    case S.HUSH_WHERE_SECTION:
      return `${S.HUSH_SECTION_NAMES[r.index] ?? `#${r.index}`} section`;
    case S.HUSH_WHERE_HPARAM:
    case S.HUSH_WHERE_META: {
      let name: string | null = null;
      if (v) {
        const model = v.getUint32(S.HDR_MODEL_AT, true);
        const nh = model + S.MODEL_HPARAM_COUNT_AT + 4 <= bytes.length ? v.getUint32(model + S.MODEL_HPARAM_COUNT_AT, true) : 0;
        const first = model + S.HUSH_MODEL_FIXED_BYTES + (r.where === S.HUSH_WHERE_META ? S.HUSH_HPARAM_BYTES * nh : 0);
        name = stringAt(bytes, first + 16 * r.index, 0, 4);
      }
      const what = r.where === S.HUSH_WHERE_HPARAM ? 'hparam' : 'metadata';
      return name === null ? `${what} #${r.index}` : `${what} ${name}`;
    }
    case S.HUSH_WHERE_TENSOR: {
      const name = v ? stringAt(bytes, v.getUint32(S.HDR_TABLE_AT, true) + S.HUSH_TENSOR_BYTES * r.index, S.TENSOR_NAME_OFFSET_AT, S.TENSOR_NAME_BYTES_AT) : null;
      return name === null ? `tensor #${r.index}` : `tensor ${name}`;
    }
    default:
      return '';
  }
}

/** Fills a template: {a}, {b} decimal; {a:x}, {b:x} hexadecimal. */
function fill(template: string, r: HushErrorRecord): string {
  return template
    .replaceAll('{a:x}', (r.a >>> 0).toString(16))
    .replaceAll('{b:x}', (r.b >>> 0).toString(16))
    .replaceAll('{a}', String(r.a))
    .replaceAll('{b}', String(r.b));
}

/** The full message for a rejected file: "<fileName>: <place>: <what is wrong>". */
export function hushErrorMessage(bytes: Uint8Array, r: HushErrorRecord, fileName: string): string {
  const template = S.HUSH_ERROR_TEMPLATES[r.code] ?? `unknown error code ${r.code} ({a}, {b})`;
  const place = hushErrorPlace(bytes, r);
  return `${fileName}: ${place ? `${place}: ` : ''}${fill(template, r)}`;
}
