// The WASM module's exports. Only `export` lines live here; each kernel, DSP block, net and the
// .hush reader live in their own files (see ../shared/STYLE.md §6). Built twice by asconfig.json:
// build/hush-simd.wasm (--enable simd) and build/hush-scalar.wasm.
export { memAlloc, memReset, memUsed, simdEnabled } from "./mem";
