// Signal conventions, mirrored from src/dsp/constants.ts (the single source; test/dsp/wasmStft.test.ts
// reads them back through the getters below and checks they agree).

/** Sample rate of every signal inside the runtime (Hz). */
export const SAMPLE_RATE_HZ: i32 = 16000;
/** Analysis window length: 20 ms. */
export const WINDOW_SAMPLES: i32 = 320;
/** Hop: 10 ms, 50 % overlap. */
export const HOP_SAMPLES: i32 = 160;
/** Real DFT length (= window, no zero padding). */
export const FFT_SIZE: i32 = 320;
/** Bins 0..FFT_SIZE/2. */
export const NUM_BINS: i32 = 161;
/** Leading zeros before framing: frame t covers input [160t − 160, 160t + 160). */
export const FRAME_PAD_SAMPLES: i32 = WINDOW_SAMPLES - HOP_SAMPLES;
/** Hop-by-hop analysis → synthesis output lags the input by this much: out[n] = in[n − 160]. */
export const STFT_DELAY_SAMPLES: i32 = WINDOW_SAMPLES - HOP_SAMPLES;
/** Real-time algorithmic latency: one hop of input buffering + STFT_DELAY_SAMPLES = one window. */
export const STFT_LATENCY_SAMPLES: i32 = HOP_SAMPLES + STFT_DELAY_SAMPLES;

/** SAMPLE_RATE_HZ, for the host and the constants test. */
export function dspSampleRateHz(): i32 { return SAMPLE_RATE_HZ; }
/** WINDOW_SAMPLES. */
export function dspWindowSamples(): i32 { return WINDOW_SAMPLES; }
/** HOP_SAMPLES. */
export function dspHopSamples(): i32 { return HOP_SAMPLES; }
/** FFT_SIZE. */
export function dspFftSize(): i32 { return FFT_SIZE; }
/** NUM_BINS. */
export function dspNumBins(): i32 { return NUM_BINS; }
/** FRAME_PAD_SAMPLES. */
export function dspFramePadSamples(): i32 { return FRAME_PAD_SAMPLES; }
/** STFT_DELAY_SAMPLES: stream offset between hop input and hop output (alignment in tests). */
export function stftDelaySamples(): i32 { return STFT_DELAY_SAMPLES; }
/** STFT_LATENCY_SAMPLES: real-time latency of analysis + synthesis, before device buffering. */
export function stftLatencySamples(): i32 { return STFT_LATENCY_SAMPLES; }
