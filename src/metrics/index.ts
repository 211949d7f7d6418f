/**
 * Speech-quality metrics: PESQ (ITU-T P.862 raw, P.862.1 and P.862.2 MOS-LQO), STOI, ESTOI,
 * SI-SNR (SI-SDR), plain SDR and BSS-eval v3 SDR, all in TypeScript (plus two small WebAssembly
 * kernels assembled at run time), agreeing with the ITU C code, pystoi and mir_eval.
 */
export { pesq, pesqBoth, pesqMosLqoNb, pesqMosLqoWb, type PesqMode, type PesqNames, type PesqResult } from './pesq/pesq.js';
export { stoi, estoi, stoiBoth, type StoiNames, type StoiResult } from './stoi.js';
export { sdr, siSnr, type SdrNames } from './sdr.js';
export { bssEvalSdr, BSS_FILTER_TAPS, type BssNames } from './bssEval.js';
export { resampleOct } from './resampleOct.js';
export {
  evaluateFiles,
  evaluateSignals,
  metricJson,
  metricResultJson,
  METRIC_KEYS,
  METRICS_VERSION,
  type EvaluateOptions,
  type MetricResult,
} from './evaluate.js';
export { evaluatePairs, metricMeans, type BatchOptions, type EvalPair } from './batch.js';
export { MetricPool, metricJobEvaluate, type MetricJob, type MetricPoolOptions, type MetricSignal } from './pool.js';
export { pairListParse, pairListRead } from './pairList.js';
