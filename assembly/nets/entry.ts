// Exports of the nets (assembly/nets/); re-exported by assembly/index.ts. The model boundary is one
// typed call, modelCreate(filePtr, fileLen, plan, cacheBytes) → handle, then modelStep(handle) once per
// 10-ms hop (model.ts); the host side is runtime/core/enhancer.ts. Every tensor is bound by its name
// inside WASM (binder.ts and each net's <net>Bind): the host never wires a weight.
export {
  PLAN_AUTO, PLAN_FAST, PLAN_COMPACT, CONV_DENSE, CONV_SPARSE, CONV_CODEBOOK_SPARSE, CONV_BLOCK, planOverrideSet, planOverrideClear,
  planMatOptions, planMatOptionForm, planMatOptionNs, planMatOptionAuto,
} from "./plan";
export { REPORT_MATRIX, REPORT_CONV, REPORT_OTHER, REPORT_BATCHNORM } from "./binder";
export {
  modelCreate, modelStep, modelReset, modelInputPtr, modelOutputPtr, modelHopSamples, modelOutputCount, modelArch, modelLatencySamples, modelMacsPerHop,
  modelParams, modelFileBytes, modelWeightsBytes, modelStateBytes, modelScratchBytes, modelMemoryBound,
  modelDenseMatrixBytes, modelLoadScratchBytes, modelReportCount, modelReportTensor, modelReportSecond, modelReportKind,
  modelReportForm, modelReportBytes, modelFormatState, modelFormatCode, modelErrorPtr, modelErrorBytes,
} from "./model";
// The matrix loader and its accessors, for the kernel tests (test/runtime/stored.test.ts packs a
// pruned tensor each way and compares bytes); nets never call them from the host.
export {
  MAT_DENSE, MAT_SPARSE, MAT_COLUMNS, MAT_CODEBOOK, MAT_CODEBOOK_SPARSE, MAT_MPO, MAT_BLOCK,
  NETS_OK, NETS_E_MEMORY, NETS_E_DECODE, NETS_E_FORM, NETS_E_SHAPE, NETS_E_SCRATCH,
  netsLoadError, netsLoadErrorClear, matCreate, matProduct, matScratchFloats, matRows, matCols, matKind, matMacs, matWeights,
  matIndex, matCount,
} from "./mat";
