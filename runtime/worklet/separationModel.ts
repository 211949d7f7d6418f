/**
 * Whether `.hush` bytes hold a speaker-separation model and how many outputs it has, read from the
 * model section (format 1.1) after validation; used by HushNode (main thread: how many output
 * channels to ask for) and the worklet processor (which bridge to build). Browser-safe, no
 * TextDecoder (AudioWorkletGlobalScope). Invalid bytes read as "not separation": the enhancement
 * path then reports the reader's error as before.
 */
import { hushValidate } from '../../src/format/validate.js';
import { hushTaskRead } from '../../src/format/headerRead.js';
import * as S from '../../src/format/spec.js';

/** Output channels of the model in `bytes`: its speakers for a valid separation model, else 1. */
export function hushOutputChannels(bytes: Uint8Array): number {
  if (!hushValidate(bytes).ok) return 1;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return hushTaskRead(v, v.getUint32(S.HDR_MODEL_AT, true)).outputCount;
}

/** True for valid bytes of a separation model. */
export function hushIsSeparation(bytes: Uint8Array): boolean {
  if (!hushValidate(bytes).ok) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return hushTaskRead(v, v.getUint32(S.HDR_MODEL_AT, true)).task === 'separate';
}
