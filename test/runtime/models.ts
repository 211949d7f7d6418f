/**
 * Test models for the runtime parity tests. They live in tools/bench/parity-models.ts (compiled, so
 * tools/bench/parity-edge.ts runs the same encodings on the edge presets); see there.
 */
export * from '../../tools/bench/parity-models.js';
