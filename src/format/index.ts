/**
 * Model files: safetensors checkpoints and the `.hush` compressed format (docs/format.md).
 */
export * from './spec.js';
export { crc32 } from './crc32.js';
export { f16FromF32, f32FromF16, f16Round, f16RoundArray, f16Exact } from './f16.js';
export { bitpackRead, bitpackReadAll, bitpackWrite, gapEncode, gapDecode, gapBestWidth, gapEncodedBytes } from './bitpack.js';
export { readSafetensors, writeSafetensors, type SafetensorsFile, type SafetensorsTensor } from './safetensors.js';
export * from './tensor.js';
export { mpoContract, type MpoCore } from './mpo.js';
export { groupGeometry, groupPositions, groupsFromPositions, sparsityEncode, sparsityDecode, SPARSITY_IDS, SPARSITY_NAMES } from './sparsity.js';
export { writeHush, hushResign, hushArchId, hushDefaultSignal, HUSH_WINDOW_IDS, type HushModel, type HushSignal, type HushWindowName } from './writer.js';
export { readHush, type HushFile, type HushEntryInfo } from './reader.js';
export { hushValidate, ceilLog2, type HushErrorRecord, type HushValidLayout } from './validate.js';
export { HushFormatError, hushErrorMessage, hushErrorName, hushErrorPlace } from './message.js';
export { hushWasmOpen, hushWasmDecode, hushWasmErrorRecord, type HushFormatExports, type HushWasmFile } from './wasmReader.js';
export { bnFoldIntoConv, BN_EPS_DEFAULT, type BnFoldPair, type DenseTensor } from './bnFold.js';
export { eq11Bits, eq11TensorRate, eq11ModelRate, actualRate } from './rate.js';
