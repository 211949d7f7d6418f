// Exports of the layer kernels (assembly/nn/); re-exported by assembly/index.ts. Every pointer
// argument is a usize byte offset into linear memory (buffers from memAlloc, 16-byte aligned);
// sizes are element counts. Layouts and error bounds are documented in each kernel's file.
export { matvecDense, matvecDenseAcc } from "./matvec-dense";
export { matvecSparse, matvecSparseAcc } from "./matvec-sparse";
export { matvecBlock, matvecBlockAcc, blockCount, blockPack, blockPackedBytes } from "./matvec-block";
export { sparsePackedBytes, sparsePack, sellScratchBytes } from "./sparse-pack";
export { columnsKept, columnsCompact, vecGather } from "./columns-compact";
export { matvecCodebook, matvecCodebookSparse } from "./matvec-codebook";
export { conv2dStep, conv2dOutBins, conv2dPatchFloats } from "./conv2d";
export { convTranspose2dStep, convTranspose2dPack, convTranspose2dOutBins, convTranspose2dPatchFloats } from "./conv-transpose2d";
export {
  convSparseNonzeros, convSparseBytes, convSparsePack, convTransposeSparsePack, convSparseStep, convSparsePrepFloats,
  convSparseMacs, convSparseEntries, convSparseIndexed,
} from "./conv-sparse";
export {
  convBlockBytes, convBlockPack, convBlockStep, convBlockPatchFloats, convBlockMacs, convBlockBlocks,
} from "./conv-block";
export { depthwiseConv1dStep } from "./conv1d-depthwise";
export { pointwiseConv } from "./conv1d-pointwise";
export { lstmStep, lstmGroupedStep, lstmCellUpdate } from "./lstm";
export { gluApply } from "./glu";
export { layerNormApply } from "./layer-norm";
export { batchNormFold, batchNormAffine } from "./batch-norm";
export { reluApply, eluApply, preluApply, sigmoidApply, tanhApply, expApply, expm1Apply } from "./activation";
export { vecAdd, vecInterleave } from "./vec";
export { mpoMatvec, mpoScratchFloats } from "./mpo";
