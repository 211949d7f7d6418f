// The WASM module's exports. Only `export` lines live here; each kernel, DSP block, net and the
// .hush reader live in their own files (see ../shared/STYLE.md §6). Built twice by asconfig.json:
// build/hush-simd.wasm (--enable simd) and build/hush-scalar.wasm.
export { memAlloc, memReset, memUsed, memMark, memRewind, simdEnabled } from "./mem";
export { dspSampleRateHz, dspWindowSamples, dspHopSamples, dspFftSize, dspNumBins, dspFramePadSamples, stftDelaySamples, stftLatencySamples } from "./dsp/constants";
export { rfftCreate, rfftPlanBytes, rfftForward, rfftInverse } from "./dsp/fft";
export { stftCreate, stftReset, stftAnalyzeHop, stftSynthesizeHop } from "./dsp/stft";
export { stftSizedCreate, stftSizedReset, stftSizedAnalyzeHop, stftSizedSynthesizeHop, stftSizedWindow, stftSizedHop, stftSizedBins } from "./dsp/stft-sized";
export { framingCreate, framingReset, framingAnalyzeHop, framingSynthesizeHop } from "./dsp/framing";
export * from "./nn/entry";
export * from "./format/entry";
export * from "./nets/entry";
