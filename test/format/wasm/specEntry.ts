// Test-only WASM entry (compiled by test/format/wasmBuild.ts): the .hush reader API, the memory
// functions, and every constant of assembly/format/spec.ts exported as a global so that
// specAgree.test.ts can compare them with src/format/spec.ts.
export * from "../../../assembly/format/entry";
export * from "../../../assembly/format/spec";
export { memAlloc, memReset, memUsed } from "../../../assembly/mem";
