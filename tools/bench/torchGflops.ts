/**
 * Throughput of the libtorch training engine (issue #4: "training GFLOP/s per architecture for
 * `edge`, 2 threads; goal ≥ 10 GFLOP/s"). For each architecture of a preset (default `edge`): the
 * real network (src/models/net.ts), the real training step (src/train/trainer.ts trainStep: host →
 * tensor, forward in training mode, the architecture's MSE loss, backward, AMSGrad update) on a
 * minibatch of the trainer's shape (default 16 mixtures × 4 s = 401 frames each), after warm-up
 * steps; each step timed alone, median reported. Data preparation (mixing, STFT) is done once
 * beforehand and not timed: it is JavaScript work the trainer can overlap (--prefetch).
 *
 * FLOP convention (stated in the output too):
 *   forward FLOPs = 2 × the MACs the network executes: src/models/size.ts countMacsPerFrame(config,
 *     undefined, 'executed') (Linear, Conv, LSTM matrix products; a transposed conv counted by its
 *     input positions, as a direct implementation multiplies) × frames × minibatch;
 *   training step = 3 × forward (backward ≈ 2 × forward: one product for the input gradient, one
 *     for the weight gradient, each the size of the forward product);
 *   not counted: biases, norms, activations, gates' elementwise products, the loss, the optimiser.
 * So GFLOP/s = 6 × executed MACs per step / step seconds. Nets dominated by elementwise or
 * sequential work (GCRN's full-resolution activations, the LSTMs' per-frame loop) score lower than
 * the hardware's matrix-product rate. The Table-III (thop) MAC convention is reported alongside.
 *
 * Usage (after npm run build:native && npm run build:ts), on a quiet machine:
 *   node dist/tools/bench/torchGflops.js [--preset edge] [--archs fdnn,lstm,tcnn,gcrn] [--threads 2]
 *     [--steps 10] [--warmup 2] [--batch 16] [--seconds 4] [--micro] [--json] [--out docs/results/train]
 * --out DIR writes DIR/gflops.json and DIR/gflops.md (command, machine, load average at start and
 * end). --micro adds the older synthetic kernels (GCRN-like encoder, FDNN-like 2048-wide stack).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, release, totalmem, platform } from 'node:os';
import { UserError } from '../../src/errors.js';
import { frameCount } from '../../src/dsp/framing.js';
import { SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';
import {
  ARCH_NAMES, countMacsPerFrame, countParams, isArchName, isPresetName, MAC_FRAMES_PER_4S, presetConfig, type ArchName,
  type PresetName,
} from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import { prngUniform } from '../../src/models/paramInit.js';
import { featuresBatch, type TrainPair } from '../../src/train/features.js';
import { trainStep } from '../../src/train/trainer.js';
import {
  Adam, Tensor, tidy, randn, zeros, ones, conv2d, batchNorm, linear, mseLoss, manualSeed, setNumThreads,
  getNumThreads, version,
} from '../../src/torch/torch.js';
import { benchHost } from './host.js';

/** Training-step goal of issue #4, GFLOP/s on 2 threads. */
const GOAL_GFLOPS = 10;

interface BenchResult {
  name: string;
  msPerStep: number;
  gflopPerStep: number;
  gflops: number;
}

/** One architecture's training-step throughput. */
interface ArchResult {
  arch: ArchName;
  params: number;
  /** Executed MACs per frame (countMacsPerFrame 'executed') and in the Table-III convention. */
  macsPerFrame: number;
  paperMacsPerFrame: number;
  framesPerMixture: number;
  /** FLOPs of one training step: 6 × executed MACs × frames × batch. */
  gflopPerStep: number;
  /** Step wall times, ms, in order (after the warm-up). */
  stepMs: number[];
  msMedian: number;
  msMin: number;
  msMax: number;
  /** At the median step time. */
  gflops: number;
  gflopsPaperConvention: number;
  mixturesPerSecond: number;
}

function param(shape: number[], scale: number): Tensor {
  return tidy(() => randn(shape).mul(scale)).setRequiresGrad().keep();
}

/** Times `steps` calls of `step` after 2 warm-up calls. */
function timeSteps(step: () => void, steps: number): number {
  step();
  step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  return (performance.now() - t0) / steps;
}

function benchConv(steps: number): BenchResult {
  const [B, T, F0] = [4, 100, 161];
  const channels = [16, 32, 64, 128, 256];
  const blocks: { wa: Tensor; wb: Tensor; g: Tensor; b: Tensor; rm: Tensor; rv: Tensor }[] = [];
  let cin = 2, f = F0, macs = 0;
  for (const c of channels) {
    const scale = Math.sqrt(2 / (cin * 3));
    blocks.push({
      wa: param([c, cin, 1, 3], scale), wb: param([c, cin, 1, 3], scale),
      g: ones([c], { requiresGrad: true }).keep(), b: zeros([c], { requiresGrad: true }).keep(),
      rm: zeros([c]).keep(), rv: ones([c]).keep(),
    });
    const fout = Math.floor((f - 3) / 2) + 1;
    macs += 2 * B * c * T * fout * cin * 3; // two convolutions (gate and value) per block
    cin = c;
    f = fout;
  }
  const x = randn([B, 2, T, F0]).keep();
  const target = randn([B, cin, T, f]).keep();
  const params = blocks.flatMap((k) => [k.wa, k.wb, k.g, k.b]);
  const opt = new Adam(params);
  const ms = timeSteps(
    () =>
      tidy(() => {
        opt.zeroGrad();
        let h = x;
        for (const k of blocks) {
          const a = conv2d(h, k.wa, null, { stride: [1, 2] });
          const gate = conv2d(h, k.wb, null, { stride: [1, 2] }).sigmoid();
          h = batchNorm(a.mul(gate), { weight: k.g, bias: k.b, runningMean: k.rm, runningVar: k.rv, training: true }).elu();
        }
        mseLoss(h, target).backward();
        opt.step();
      }),
    steps,
  );
  const gflop = (3 * 2 * macs) / 1e9;
  return { name: 'conv (GCRN-like encoder)', msPerStep: ms, gflopPerStep: gflop, gflops: gflop / (ms / 1e3) };
}

function benchDense(steps: number): BenchResult {
  const rows = 4 * 100;
  const dims = [161, 2048, 2048, 161];
  const layers: { w: Tensor; b: Tensor }[] = [];
  let macs = 0;
  for (let i = 0; i + 1 < dims.length; i++) {
    layers.push({ w: param([dims[i + 1]!, dims[i]!], Math.sqrt(2 / dims[i]!)), b: zeros([dims[i + 1]!], { requiresGrad: true }).keep() });
    macs += rows * dims[i]! * dims[i + 1]!;
  }
  const x = randn([rows, 161]).keep();
  const target = randn([rows, 161]).sigmoid().keep();
  const opt = new Adam(layers.flatMap((l) => [l.w, l.b]));
  const ms = timeSteps(
    () =>
      tidy(() => {
        opt.zeroGrad();
        let h = x;
        layers.forEach((l, i) => {
          h = linear(h, l.w, l.b);
          h = i + 1 < layers.length ? h.relu() : h.sigmoid();
        });
        mseLoss(h, target).backward();
        opt.step();
      }),
    steps,
  );
  const gflop = (3 * 2 * macs) / 1e9;
  return { name: 'dense (FDNN-like)', msPerStep: ms, gflopPerStep: gflop, gflops: gflop / (ms / 1e3) };
}

function argValue(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

function argInt(name: string, dflt: number, min: number): number {
  const v = Number(argValue(name, String(dflt)));
  if (!Number.isInteger(v) || v < min) throw new UserError(`${name} must be an integer ≥ ${min}`);
  return v;
}

/**
 * `batch` synthetic mixtures of `samples` samples: clean = a few random sinusoids, noise = white,
 * mixture at unit RMS. Step time depends on shapes only, not on the values, so no corpus is needed.
 */
function syntheticPairs(batch: number, samples: number): TrainPair[] {
  const rnd = prngUniform(1);
  return Array.from({ length: batch }, () => {
    const clean = new Float32Array(samples);
    for (let k = 0; k < 4; k++) {
      const f = (100 + 3000 * rnd()) / SAMPLE_RATE_HZ;
      const a = 0.1 + rnd();
      for (let i = 0; i < samples; i++) clean[i] += a * Math.sin(2 * Math.PI * f * i);
    }
    const mixture = clean.map((c) => c + 0.5 * (rnd() - 0.5));
    let e = 0;
    for (const v of mixture) e += v * v;
    const g = 1 / Math.sqrt(e / samples);
    return { mixture: mixture.map((v) => v * g), clean: clean.map((v) => v * g) };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Times `steps` real training steps of `arch` at `preset` after `warmup` untimed ones. */
function benchArch(arch: ArchName, preset: PresetName, batch: number, seconds: number, warmup: number, steps: number): ArchResult {
  const config = presetConfig(arch, preset);
  const samples = Math.round(seconds * SAMPLE_RATE_HZ);
  const frames = frameCount(samples);
  const fb = featuresBatch(arch, syntheticPairs(batch, samples));
  const net = createNet(config, { seed: 1 });
  const opt = new Adam(net.parameters(), { lr: 1e-3, amsgrad: true });
  const stepMs: number[] = [];
  try {
    for (let i = 0; i < warmup; i++) trainStep(net, opt, fb);
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      const loss = trainStep(net, opt, fb);
      stepMs.push(performance.now() - t0);
      if (!Number.isFinite(loss)) throw new Error(`${arch}: loss ${loss}`);
    }
  } finally {
    net.dispose();
    opt.dispose();
  }
  const macsPerFrame = countMacsPerFrame(config, undefined, 'executed');
  const paperMacsPerFrame = countMacsPerFrame(config, undefined, 'paper');
  const gflopPerStep = (6 * macsPerFrame * frames * batch) / 1e9;
  const msMedian = median(stepMs);
  return {
    arch, params: countParams(config), macsPerFrame, paperMacsPerFrame, framesPerMixture: frames, gflopPerStep, stepMs,
    msMedian, msMin: Math.min(...stepMs), msMax: Math.max(...stepMs),
    gflops: gflopPerStep / (msMedian / 1e3),
    gflopsPaperConvention: (6 * paperMacsPerFrame * frames * batch) / 1e9 / (msMedian / 1e3),
    mixturesPerSecond: batch / (msMedian / 1e3),
  };
}

const CONVENTION =
  'FLOPs = 6 × executed MACs per training step (2 FLOP per MAC forward; backward ≈ 2 × forward), MACs from ' +
  "src/models/size.ts countMacsPerFrame(config, undefined, 'executed') × frames × minibatch; biases, norms, " +
  'activations, loss and optimiser not counted. Step = host→tensor, forward (training mode), loss, backward, ' +
  'AMSGrad update; data preparation excluded. Median of the timed steps.';

function tableMd(results: ArchResult[]): string[] {
  const lines = [
    '| arch | params | executed MACs / 4 s | GFLOP / step | ms / step median (min–max) | GFLOP/s | GFLOP/s (Table-III MACs) | mixtures/s | ≥ 10 GFLOP/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.arch} | ${r.params.toLocaleString('en-US')} | ${((r.macsPerFrame * MAC_FRAMES_PER_4S) / 1e9).toFixed(3)} G | ${r.gflopPerStep.toFixed(2)} | ` +
        `${r.msMedian.toFixed(0)} (${r.msMin.toFixed(0)}–${r.msMax.toFixed(0)}) | **${r.gflops.toFixed(1)}** | ${r.gflopsPaperConvention.toFixed(1)} | ` +
        `${r.mixturesPerSecond.toFixed(1)} | ${r.gflops >= GOAL_GFLOPS ? 'yes' : 'no'} |`,
    );
  }
  return lines;
}

function main(): void {
  const preset = argValue('--preset', 'edge');
  if (!isPresetName(preset)) throw new UserError(`--preset must be paper, edge or tiny, got '${preset}'`);
  const archs = argValue('--archs', ARCH_NAMES.join(',')).split(',');
  for (const a of archs) if (!isArchName(a)) throw new UserError(`--archs: unknown architecture '${a}'`);
  const threads = argInt('--threads', 2, 1);
  const steps = argInt('--steps', 10, 1);
  const warmup = argInt('--warmup', 2, 0);
  const batch = argInt('--batch', 16, 1);
  const seconds = Number(argValue('--seconds', '4'));
  if (!(seconds >= 0.05)) throw new UserError('--seconds must be ≥ 0.05');
  const json = process.argv.includes('--json');
  const outDir = process.argv.includes('--out') ? argValue('--out', '') : null;
  const command = ['node', 'dist/tools/bench/torchGflops.js', ...process.argv.slice(2)].join(' ');
  const started = new Date().toISOString();
  const loadStart = loadavg();
  setNumThreads(threads);
  manualSeed(0);
  const t0 = performance.now();
  const results: ArchResult[] = [];
  for (const a of archs as ArchName[]) {
    process.stderr.write(`torch-gflops: ${a} ${preset}, ${warmup} + ${steps} steps of ${batch} × ${seconds} s…\n`);
    results.push(benchArch(a, preset, batch, seconds, warmup, steps));
  }
  const micro = process.argv.includes('--micro') ? [benchConv(steps), benchDense(steps)] : [];
  const loadEnd = loadavg();
  const report = {
    command, started, seconds: (performance.now() - t0) / 1000,
    host: benchHost(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memGiB: +(totalmem() / 2 ** 30).toFixed(1), os: `${platform()} ${release()}`, node: process.version },
    libtorch: version(), threads: getNumThreads(), preset, batch, segmentSeconds: seconds, warmup, steps,
    loadAverage: { start: loadStart, end: loadEnd }, goalGflops: GOAL_GFLOPS, convention: CONVENTION, results, micro,
  };
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const md = [
    `# libtorch training throughput, \`${preset}\` preset`,
    '',
    `Command: \`${command}\` (after \`npm run build:ts\`), ${started}, ${report.seconds.toFixed(0)} s.`,
    `Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memGiB} GiB, ${report.machine.os}, Node ${report.machine.node}; ` +
      `libtorch ${report.libtorch}, ${report.threads} threads.`,
    `Load average (1 / 5 / 15 min): ${la(loadStart)} at the start, ${la(loadEnd)} at the end.`,
    `Minibatch ${batch} × ${seconds} s (${results[0]?.framesPerMixture ?? frameCount(Math.round(seconds * SAMPLE_RATE_HZ))} frames), ${warmup} warm-up + ${steps} timed steps per architecture.`,
    '',
    ...tableMd(results),
    '',
    `${CONVENTION} Goal (issue #4): ≥ ${GOAL_GFLOPS} GFLOP/s.`,
    ...(micro.length > 0 ? ['', 'Synthetic kernels (--micro):', '', ...micro.map((r) => `- ${r.name}: ${r.msPerStep.toFixed(1)} ms/step, ${r.gflops.toFixed(2)} GFLOP/s`)] : []),
    '',
  ].join('\n');
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'gflops.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(outDir, 'gflops.md'), md);
    process.stderr.write(`torch-gflops: wrote ${join(outDir, 'gflops.json')} and gflops.md\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(md);
}

try {
  main();
} catch (err) {
  process.stderr.write(`torch-gflops: ${(err as Error).message}\n`);
  process.exit(1);
}
