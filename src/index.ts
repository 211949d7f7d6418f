/** Public Node API of hushpack. */
export { UserError } from './errors.js';
export * from './metrics/index.js';
