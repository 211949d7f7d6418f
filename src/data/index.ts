/**
 * Data for training and evaluation: the corpus (reading), the mixer, test sets, two-talker mixtures
 * at 8 kHz (separation/), and the building blocks they share. The corpus builder lives in
 * src/data/builder/ (used by `hushpack corpus`).
 */
export { openCorpus, corpusSplit, clipPcm, clipSamples, clipRead, CORPUS_CACHE_BYTES_DEFAULT, type Corpus, type CorpusClip, type CorpusGroup, type CorpusSplitIndex } from './corpus.js';
export { mixtureAt, speechSegment, MIXTURE_SECONDS_DEFAULT, MIXTURE_SNR_RANGE_DB_DEFAULT, type Mixture, type MixtureAugmentRecord, type MixtureRequest } from './mixer.js';
export {
  MIX_AUGMENT_NONE, MIX_AUGMENT_V2, MIX_AUGMENT_V2_SNR_RANGE_DB, MIX_AUGMENT_PRESETS, mixAugmentCheck, mixAugmentComplete, mixAugmentPreset, mixAugmentWith,
  type MixAugment,
} from './augment/settings.js';
export { TEST_NOISE_KINDS, NOISE_GROUP_KEYSTROKES, signalRms, noiseExcerpt, type NoiseKind, type TestNoiseKind } from './noise.js';
export {
  testsetWrite, environmentTestsetWrite, testsetRead, testsetConditionName, TESTSET_SNRS_DB, TESTSET_DIRS, ENVIRONMENT_CATEGORIES,
  type TestsetRow, type TestsetOptions, type EnvironmentTestsetOptions, type TestsetName,
} from './testset.js';
export { NOISE_CATEGORIES, SPEECH_LIKE_CATEGORIES, isNoiseCategory, type NoiseCategory } from './builder/categories.js';
export { corpusStats, corpusStatsText, type CorpusStats, type SplitStats } from './stats.js';
export { manifestParse, manifestFormat, MANIFEST_COLUMNS, SPLIT_NAMES, isSplitName, type ManifestRow, type SplitName, type ClipRole } from './manifest.js';
export { Prng, prngKeyHash, type PrngKeyPart } from './prng.js';
export {
  twoTalkerAt, twoTalkerPlan, twoTalkerRender, twoTalkerPairCount, speakerSplitConflicts, TWO_TALKER_LEVEL_RANGE_DB, TWO_TALKER_MIN_CLIP_SECONDS,
  TWO_TALKER_PEAK, type TwoTalkerMixture, type TwoTalkerPlan, type TwoTalkerRequest,
} from './separation/twoTalker.js';
export {
  separationTestsetWrite, separationListRead, separationTestsetPlans, SEPARATION_TESTSET_DIR, SEPARATION_TESTSET_COUNT_DEFAULT, SEPARATION_LIST_COLUMNS,
  type SeparationListRow, type SeparationTestsetOptions, type SeparationTestsetReport,
} from './separation/testset.js';
