/**
 * The libtorch side of src/models: networks built from ArchConfigs, their forward passes (one
 * chain of stages per architecture, stages.ts) and layer functions. Separate from ./index.ts (pure
 * TypeScript, browser-safe) because it imports src/torch/torch.ts (the addon itself loads lazily,
 * on the first tensor op).
 */
export * from './net.js';
export * from './layers.js';
export * from './ops.js';
export * from './stages.js';
export * from './fdnn.js';
export * from './lstm.js';
export * from './tcnn.js';
export * from './gcrn.js';
