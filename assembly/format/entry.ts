// The .hush reader's WASM API (re-exported by assembly/index.ts). The host copies the file into linear
// memory (memAlloc), allocates one state block of hushStateBytes() bytes, and calls hushOpen(); every
// other function takes that state pointer. See src/format/wasmReader.ts for the JS side, which turns
// error codes into messages.
import { HushState, hushValidate } from "./reader";

export {
  hushArch, hushTask, hushOutputCount, hushSampleRate, hushWindowSamples, hushHopSamples, hushFftSize, hushWindowKind,
  hushHparamCount, hushHparamFind, hushHparamKind, hushHparamLength, hushHparamValue,
  hushTensorCount, hushTensorFind, hushTensorEncoding, hushTensorRank, hushTensorFlags, hushTensorDim,
  hushTensorElements, hushTensorK, hushTensorBits, hushTensorValueDtype, hushTensorSparsity,
  hushTensorSparsityParam, hushTensorStored, hushTensorMpoCores, hushTensorDataPtr, hushTensorStreamPtr,
  hushTensorStreamBytes, hushTensorSparsityPtr, hushTensorSparsityBytes, hushTensorDecodeScratchBytes,
  hushTensorDecode,
} from "./decode";

/** Bytes of the state block hushOpen() fills (allocate once per open file). */
export function hushStateBytes(): u32 {
  return <u32>offsetof<HushState>();
}

/**
 * Validates the .hush file at [filePtr, filePtr + fileLen) into the state block at `state`. Returns
 * HUSH_OK (0) or the HUSH_E_* code of the first failed check; hushErrorWhere/Index/A/B give the
 * details for the message. The file must stay in place while the state is used.
 */
export function hushOpen(state: usize, filePtr: usize, fileLen: u32): i32 {
  return hushValidate(changetype<HushState>(state), filePtr, fileLen);
}

/** HUSH_WHERE_* of the last error. */
export function hushErrorWhere(state: usize): i32 {
  return changetype<HushState>(state).where;
}
/** Section, hparam, metadata or tensor index of the last error. */
export function hushErrorIndex(state: usize): i32 {
  return changetype<HushState>(state).index;
}
/** First number of the last error's message. */
export function hushErrorA(state: usize): f64 {
  return changetype<HushState>(state).a;
}
/** Second number of the last error's message. */
export function hushErrorB(state: usize): f64 {
  return changetype<HushState>(state).b;
}
