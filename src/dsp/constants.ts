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

/**
 * Framing alignment (shared by the STFT and the TCNN time-domain framing, batch and streaming).
 * The signal is preceded by FRAME_PAD_SAMPLES zeros, so frame t covers input samples
 * [t·HOP_SAMPLES − 160, t·HOP_SAMPLES + 160): the last 160 samples of frame t are the t-th input
 * hop, and every input sample lies in exactly two frames (t = ⌊n/160⌋ and ⌊n/160⌋ + 1).
 */
export const FRAME_PAD_SAMPLES = WINDOW_SAMPLES - HOP_SAMPLES;
/**
 * Stream alignment of hop-by-hop analysis → synthesis: after pushing input hop t
 * (samples [160t, 160t+160)) the synthesiser emits output samples [160(t−1), 160t), i.e.
 * out[n] = in[n − STFT_DELAY_SAMPLES]. Offline comparisons skip this many output samples.
 */
export const STFT_DELAY_SAMPLES = WINDOW_SAMPLES - HOP_SAMPLES;
/**
 * Real-time algorithmic latency of STFT analysis + synthesis: a sample waits up to one hop for its
 * hop to be complete, then STFT_DELAY_SAMPLES more — 320 samples = 20 ms = one window. Device and
 * AudioWorklet render-quantum buffering come on top.
 */
export const STFT_LATENCY_SAMPLES = HOP_SAMPLES + STFT_DELAY_SAMPLES;

/**
 * Sample rate of the speaker-separation task (Tan & Wang TASLP 2021 §IV-D, Table VI: wsj0-2mix
 * and both separation nets run at 8 kHz). Used by the two-talker mixtures (src/data/separation/);
 * the WASM runtime does not run at this rate yet (issue 16), so assembly/dsp/constants.ts does
 * not mirror it.
 */
export const SEPARATION_SAMPLE_RATE_HZ = 8000;
