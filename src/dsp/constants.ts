/**
 * Signal conventions of Tan & Wang (TASLP 2021, §III-A), shared by training features, the
 * offline reference path and the WASM runtime (assembly/dsp/constants.ts mirrors these; a test
 * checks the two agree).
 */
export const SAMPLE_RATE_HZ = 16000;
/** 20 ms Hamming analysis window. */
export const WINDOW_SAMPLES = 320;
/** 10 ms hop, i.e. 50 % overlap. */
export const HOP_SAMPLES = 160;
/** DFT length equals the window: 320 = 2^6 · 5, so a mixed-radix real FFT, no zero padding. */
export const FFT_SIZE = 320;
/** Non-negative frequency bins of a 320-point real DFT: 320 / 2 + 1. */
export const NUM_BINS = 161;
