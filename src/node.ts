/**
 * The Node entry of the hushpack package (`import … from 'hushpack'`): the streaming Enhancer on
 * the WASM runtime, the speech-quality metrics, the `.hush` / safetensors formats, WAV I/O and the
 * resampler. Browser code imports `hushpack/web` (HushNode) instead; `hushpack/worklet` is the
 * AudioWorklet bundle's URL (see docs/usage.md).
 *
 *   import { Enhancer, readMono, evaluateSignals } from 'hushpack';
 *   const e = await Enhancer.load(readFileSync('m.hush'));
 *   const y = e.processBuffer(x16k);                 // whole signal, latency-compensated
 *   const out = e.process(hop160);                   // or hop by hop (10 ms at 16 kHz)
 *   const [s1, s2] = Separator.loadSync(readFileSync('sep.hush')).processBuffer(x8k); // speaker separation
 */
export * from './index.js';
export { Enhancer, simdSupported, flavorChoose, type NodeEnhancerOptions } from '../runtime/node/enhancer.js';
export type { EnhancerOptions, EnhancerMemory, EnhancerTensor } from '../runtime/core/enhancer.js';
export { Separator, type NodeSeparatorOptions } from '../runtime/node/separator.js';
export type { SeparatorOptions } from '../runtime/core/separator.js';
export type { PlanChoice } from '../runtime/core/plan.js';
export type { LevelMode } from './dsp/level.js';
export type { WasmFlavor } from '../runtime/node/wasmFile.js';
export * from './format/index.js';
export { readWav, readMono, writeWav, decodeWav, encodeWav, downmix, type Audio, type WavFormat, type DownmixMode } from './data/wav.js';
export { resample, StreamingResampler } from './dsp/resample.js';
export { SAMPLE_RATE_HZ, HOP_SAMPLES, WINDOW_SAMPLES } from './dsp/constants.js';
