/**
 * Browser entry of hushpack (`hushpack/web`): compiles and instantiates the WASM module.
 * HushNode: the AudioWorkletNode running a model (runtime/worklet/workletNode.ts), and its loaders.
 */
export { instantiateHush, hostHasSimd, type HushWasmExports } from '../core/wasm.js';
export { HushNode, type HushNodeOptions, type HushNodeLatency } from '../worklet/workletNode.js';
export { addHushWorklet, loadHushWasmModule, hushModelBytes, hushAssetUrl, defaultWasmUrl, defaultWorkletUrl } from '../worklet/load.js';
export type { HopBridgeStats, HopBridgeLatency, HopBridgeState } from '../worklet/processor.js';
export type { HopProcessor } from '../core/hopProcessor.js';
export type { LevelMode } from '../../src/dsp/level.js';
