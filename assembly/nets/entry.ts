// Exports of the nets (assembly/nets/); re-exported by assembly/index.ts. Per net: create weights
// (then set layers), state and scratch once at load, then <net>Step(weights, state, scratch, inHop,
// outHop) once per 10-ms hop. The host side is runtime/core/nets.ts (geometry from the .hush
// hyper-parameters, tensors by name) and runtime/core/enhancer.ts.
export {
  MAT_DENSE, MAT_SPARSE, MAT_COLUMNS, MAT_CODEBOOK, MAT_CODEBOOK_SPARSE, MAT_MPO,
  NETS_OK, NETS_E_MEMORY, NETS_E_DECODE, NETS_E_FORM, NETS_E_SHAPE, NETS_E_SCRATCH,
  netsLoadError, netsLoadErrorClear, matCreate, matScratchFloats, matRows, matCols, matKind, matMacs, matWeights,
  matIndex, matCount,
} from "./mat";
export { arenaBegin, arenaEnd } from "./arena";
export { tensorCreate, tensorPairCreate, tensorSumCreate, deconvCreate, convSparseCreate, batchNormCreate } from "./load";
export {
  fdnnWeightsCreate, fdnnWeightsSetLayer, fdnnStateCreate, fdnnScratchCreate, fdnnReset, fdnnLatencySamples, fdnnStep,
} from "./fdnn";
export {
  lstmNetWeightsCreate, lstmNetWeightsSetLayer, lstmNetWeightsSetOutput, lstmNetStateCreate, lstmNetScratchCreate,
  lstmNetReset, lstmNetLatencySamples, lstmNetStep,
} from "./lstm";
export {
  gcrnWeightsCreate, gcrnWeightsSetEncoder, gcrnWeightsSetLstm, gcrnWeightsSetNorm, gcrnWeightsSetDecoder,
  gcrnWeightsSetOutput, gcrnStateCreate, gcrnScratchCreate, gcrnReset, gcrnLatencySamples, gcrnStep,
} from "./gcrn";
export {
  tcnnWeightsCreate, tcnnWeightsSetEncoder, tcnnWeightsSetBlock, tcnnWeightsSetDecoder, tcnnStateCreate,
  tcnnScratchCreate, tcnnReset, tcnnLatencySamples, tcnnStep,
} from "./tcnn";
