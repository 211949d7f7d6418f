/**
 * Data for training and evaluation: the corpus (reading), the mixer, test sets, and the building
 * blocks they share. The corpus builder lives in src/data/builder/ (used by `hushpack corpus`).
 */
export { openCorpus, corpusSplit, clipPcm, clipSamples, clipRead, CORPUS_CACHE_BYTES_DEFAULT, type Corpus, type CorpusClip, type CorpusGroup, type CorpusSplitIndex } from './corpus.js';
export { mixtureAt, speechSegment, MIXTURE_SECONDS_DEFAULT, MIXTURE_SNR_RANGE_DB_DEFAULT, type Mixture, type MixtureAugmentRecord, type MixtureRequest } from './mixer.js';
export {
  MIX_AUGMENT_NONE, MIX_AUGMENT_V2, MIX_AUGMENT_V2_SNR_RANGE_DB, MIX_AUGMENT_PRESETS, mixAugmentCheck, mixAugmentComplete, mixAugmentPreset, mixAugmentWith,
  type MixAugment,
} from './augment/settings.js';
export { TEST_NOISE_KINDS, signalRms, noiseExcerpt, type NoiseKind, type TestNoiseKind } from './noise.js';
export { testsetWrite, testsetRead, testsetConditionName, TESTSET_SNRS_DB, type TestsetRow, type TestsetOptions } from './testset.js';
export { manifestParse, manifestFormat, MANIFEST_COLUMNS, SPLIT_NAMES, isSplitName, type ManifestRow, type SplitName, type ClipRole } from './manifest.js';
export { Prng, prngKeyHash, type PrngKeyPart } from './prng.js';
