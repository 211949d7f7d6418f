/**
 * Cost of one separation training step (issue 16; docs/results/separation/training.md): the edge
 * (or any) preset's minibatch of on-the-fly two-talker mixtures through src/train/separation/
 * trainer.ts separationTrainStep, timed after one warm-up step, as wall time and as this process's
 * CPU time (user + system, all libtorch threads) — the CPU time is what a step costs on a shared
 * machine, the wall time what it got. Peak RSS: run under `/usr/bin/time -v`.
 *
 *   node dist/tools/bench/separationTrain.js --corpus DIR [--arch conv-tasnet] [--preset edge] [--batch 8] [--steps 3] [--threads 1]
 * prints one JSON object.
 */
import { parseArgs } from 'node:util';
import { openCorpus } from '../../src/data/corpus.js';
import { createSeparationNet, isSeparationArchName } from '../../src/models/separation/net.js';
import { isSeparationTrainPresetName, separationPresetConfig } from '../../src/models/separation/presets.js';
import * as torch from '../../src/torch/torch.js';
import { separationBatchAt } from '../../src/train/separation/batches.js';
import { separationTrainStep } from '../../src/train/separation/trainer.js';

const { values: a } = parseArgs({
  options: {
    corpus: { type: 'string' }, arch: { type: 'string', default: 'conv-tasnet' }, preset: { type: 'string', default: 'edge' },
    batch: { type: 'string', default: '8' }, steps: { type: 'string', default: '3' }, threads: { type: 'string', default: '1' },
    segment: { type: 'string', default: '4' },
  },
});
if (!a.corpus || !isSeparationArchName(a.arch!) || !isSeparationTrainPresetName(a.preset!)) {
  throw new Error('usage: --corpus DIR [--arch conv-tasnet|upit-lstm] [--preset edge|tiny|paper] [--batch N] [--steps N] [--threads N]');
}
const batch = Number(a.batch);
const steps = Number(a.steps);
torch.setNumThreads(Number(a.threads));
const corpus = openCorpus(a.corpus);
const net = createSeparationNet(separationPresetConfig(a.arch, a.preset), { seed: 0 });
const opt = new torch.Adam(net.parameters(), { lr: 1e-3, amsgrad: true });
const spec = { split: 'train' as const, seed: 0, batch, segmentSeconds: Number(a.segment) };
const batches = Array.from({ length: steps + 1 }, (_, k) => separationBatchAt(corpus, spec, k)); // audio prepared before timing
separationTrainStep(net, opt, batches[0], 5); // warm-up
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let audioSeconds = 0;
for (let k = 1; k <= steps; k++) {
  separationTrainStep(net, opt, batches[k], 5);
  audioSeconds += batches[k].lengths.reduce((s, n) => s + n, 0) / 8000;
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({
  arch: a.arch, preset: a.preset, batch, steps, threads: Number(a.threads),
  wallSecondsPerStep: wall / steps, cpuSecondsPerStep: cpuSeconds / steps,
  mixturesPerWallSecond: (batch * steps) / wall, mixturesPerCpuSecond: (batch * steps) / cpuSeconds,
  paddedSeconds: batches.slice(1).reduce((s, b) => s + (b.samples * b.batch) / 8000, 0) / steps, audioSecondsPerStep: audioSeconds / steps,
  rssMiB: process.memoryUsage().rss / 2 ** 20, load: (await import('node:os')).loadavg(),
})}\n`);
opt.dispose();
net.dispose();
