/**
 * Browser entry of hushpack (`hushpack/web`): compiles and instantiates the WASM module.
 * HushNode (the AudioWorkletNode) is added here by the Web Audio issue.
 */
export { instantiateHush, hostHasSimd, type HushWasmExports } from '../core/wasm.js';
