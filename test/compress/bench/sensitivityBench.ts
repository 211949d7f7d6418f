/**
 * Timing of the sensitivity analyses (not a test): Algorithm 1 over every weight tensor of an
 * `edge` network, with α1 so large that every tensor scans the whole 21-point grid (the worst
 * case: 20 evaluations per tensor), on the default subset (8 validation mixtures × 2 s of the
 * given corpus). Variants: full forward per evaluation vs reuse of the activations before the
 * perturbed stage; one thread (libtorch 2 intra-op threads) vs 2 workers × 1 thread. The variants
 * run interleaved, three rounds, and each reports its fastest round (the machine is shared).
 *
 *   npx esbuild test/compress/bench/sensitivityBench.ts --bundle --platform=node --format=esm \
 *     --outfile=node_modules/.cache/hushpack-test/bench.mjs && \
 *   node node_modules/.cache/hushpack-test/bench.mjs CORPUS_DIR fdnn,gcrn [WORKER_BUNDLE] [MAX_TENSORS]
 *
 * MAX_TENSORS (default all) analyses every k-th weight tensor only, spread over the network.
 */
import * as torch from '../../../src/torch/torch.js';
import { openCorpus } from '../../../src/data/corpus.js';
import { paramSpecs, presetConfig, type ArchName } from '../../../src/models/index.js';
import { createNet } from '../../../src/models/nets.js';
import { sensitivityAnalyze, type SensitivityJobSpec } from '../../../src/compress/analysis.js';
import { prunableSpecs } from '../../../src/compress/groups.js';
import { maskFull } from '../../../src/compress/masks.js';
import { sensitivityBatches } from '../../../src/compress/session.js';
import { SENSITIVITY_DATA_DEFAULTS } from '../../../src/compress/defaults.js';

const [corpusDir, archList, workerPath, maxTensorsArg] = process.argv.slice(2);
const maxTensors = maxTensorsArg ? Number(maxTensorsArg) : Infinity;
const ROUNDS = 3;
const corpus = openCorpus(corpusDir);
for (const arch of archList.split(',') as ArchName[]) {
  const config = presetConfig(arch, 'edge');
  const net = createNet(config, { seed: 1 });
  const batches = sensitivityBatches(corpus, arch, SENSITIVITY_DATA_DEFAULTS.items, SENSITIVITY_DATA_DEFAULTS.seconds, 0, [-5, 0]);
  const all = prunableSpecs(paramSpecs(config));
  const every = Math.max(1, Math.ceil(all.length / maxTensors));
  const jobs: SensitivityJobSpec[] = all.filter((_, i) => i % every === 0).map((s) => ({
    algorithm: 'unstructured', tensor: s.name, mask: maskFull(s.shape.reduce((a, b) => a * b, 1)), alpha: 1e9,
  }));
  const variants: [string, Parameters<typeof sensitivityAnalyze>[3], number][] = [
    ['inline, full forward, 2 threads', { cacheStages: false }, 2],
    ['inline, reuse activations, 2 threads', { cacheStages: true }, 2],
    ['inline, reuse activations, 1 thread', { cacheStages: true }, 1],
  ];
  if (workerPath && workerPath !== '-') variants.push(['2 workers × 1 thread, reuse activations', { cacheStages: true, workers: 2, workerPath }, 1]);
  // the machine is shared: run the variants interleaved, ROUNDS times, and keep each one's fastest
  const best = new Map<string, Awaited<ReturnType<typeof sensitivityAnalyze>>>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, opts, threads] of variants) {
      torch.setNumThreads(threads);
      const r = await sensitivityAnalyze(net, batches, jobs, opts);
      const b = best.get(label);
      if (!b || r.seconds < b.seconds) best.set(label, r);
    }
  }
  for (const [label] of variants) {
    const r = best.get(label)!;
    console.log(JSON.stringify({
      arch, label, rounds: ROUNDS, tensors: jobs.length, evaluations: r.evaluations, seconds: +r.seconds.toFixed(2), setupSeconds: +r.setupSeconds.toFixed(2),
      msPerEvaluation: +((1000 * r.seconds) / r.evaluations).toFixed(1), stagesRun: r.stagesRun, stagesFull: r.stagesFull,
    }));
  }
  net.dispose();
}
