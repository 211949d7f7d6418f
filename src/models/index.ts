/**
 * Networks of hushpack: configurations, presets, parameter specs, size and MAC counts (pure
 * TypeScript, no libtorch). The libtorch networks themselves are exported by ./nets.ts, kept
 * apart so that importing this module never loads the native addon.
 */
export * from './config.js';
export * from './paramSpec.js';
export * from './convGeometry.js';
export * from './fdnnLayout.js';
export * from './lstmLayout.js';
export * from './tcnnLayout.js';
export * from './gcrnLayout.js';
export * from './layout.js';
export * from './size.js';
export * from './presets.js';
export * from './paramInit.js';
export * from './overrides.js';
