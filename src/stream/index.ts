/**
 * The libtorch networks run one frame at a time (batch 1) with explicit stream state: the per-frame
 * reference of the WASM runtime, for speed comparisons and as a readable model of a streaming step.
 *   state.ts     StreamState: LSTM h/c, conv input histories (kept tensors, updated in place)
 *   weights.ts   StreamWeights: the Net's tensors + per-tap transposed-conv kernels
 *   layers.ts    causal conv / transposed conv / dilated conv / LSTM steps, as streamOps
 *                (each net's forward is its stages, src/models/stages.ts, over these ops)
 *   net.ts       NetStream: a Net bound to a state, frame in → frame out
 *   enhancer.ts  TorchStreamEnhancer: hop in → hop out with the runtime's STFT / framing
 */
export * from './state.js';
export * from './weights.js';
export * from './layers.js';
export * from './net.js';
export * from './enhancer.js';
