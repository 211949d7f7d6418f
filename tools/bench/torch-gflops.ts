/**
 * Throughput of the libtorch training engine: GFLOP/s of full training steps (forward, backward,
 * AMSGrad update) for
 *   - conv: a GCRN-like encoder (5 gated conv blocks, kernel (1,3), stride (1,2), channels
 *     16…256 over 161 bins; BatchNorm + ELU) on a [4, 2, 100, 161] minibatch (4 × 1 s), and
 *   - dense: an FDNN-like stack 161 → 2048 → 2048 → 161 (ReLU, sigmoid) on 4 × 100 frames
 *     (bound by the system BLAS; Debian's reference libblas3 is ~15× slower than OpenBLAS).
 * FLOPs are counted analytically: 2 per MAC of the forward convolutions/matmuls, × 3 for the
 * step (the backward pass costs about two forward passes). Elementwise work is not counted.
 *
 * Usage: npm run build:native && npm run build:ts && node dist/tools/bench/torch-gflops.js [--threads N] [--steps N] [--json]
 */
import {
  Adam, Tensor, tidy, randn, zeros, ones, conv2d, batchNorm, linear, mseLoss, manualSeed, setNumThreads,
  getNumThreads, version,
} from '../../src/train/torch.js';

interface BenchResult {
  name: string;
  msPerStep: number;
  gflopPerStep: number;
  gflops: number;
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

function argValue(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function main(): void {
  const threads = argValue('--threads', 2);
  const steps = argValue('--steps', 5);
  const json = process.argv.includes('--json');
  setNumThreads(threads);
  manualSeed(0);
  const results = [benchConv(steps), benchDense(steps)];
  if (json) {
    process.stdout.write(JSON.stringify({ libtorch: version(), threads: getNumThreads(), steps, results }) + '\n');
    return;
  }
  process.stdout.write(`libtorch ${version()}, ${getNumThreads()} threads, ${steps} steps each\n`);
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(26)} ${r.msPerStep.toFixed(1).padStart(8)} ms/step  ${r.gflopPerStep.toFixed(2).padStart(6)} GFLOP/step  ${r.gflops.toFixed(2).padStart(7)} GFLOP/s\n`,
    );
  }
}

main();
