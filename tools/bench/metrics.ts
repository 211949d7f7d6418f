/**
 * Benchmark of the speech-quality metrics: milliseconds per metric for one 10-second 16 kHz pair,
 * median of several runs after a warm-up, on the calling thread (one core). Reports wall time and
 * the process CPU time (the latter is steadier on a shared machine).
 *
 *   node dist/tools/bench/metrics.js [--ref A.wav --deg B.wav] [--runs 7] [--json]
 *
 * Default pair: the project's metric fixtures (../shared/fixtures/metrics), allison + espeak
 * clean prompts concatenated and cut to 10 s, against the same with babble at 10 dB SNR.
 * Goals (issue): PESQ ≤ 150 ms, STOI ≤ 30 ms.
 */
import { join } from 'node:path';
import { readMono } from '../../src/data/wav.js';
import { bssEvalSdr } from '../../src/metrics/bssEval.js';
import { pesqFftBackend } from '../../src/metrics/pesq/fftFloat.js';
import { pesq } from '../../src/metrics/pesq/pesq.js';
import { sdr, siSnr } from '../../src/metrics/sdr.js';
import { estoi, stoi, stoiBoth } from '../../src/metrics/stoi.js';
import { arg, median, packageRoot } from './args.js';
import { benchHost } from './host.js';

const PAIR_SECONDS = 10;
const RATE_HZ = 16000;

/** The default 10 s pair from the fixtures: two prompts concatenated, cut to PAIR_SECONDS. */
function defaultPair(): { ref: Float32Array; deg: Float32Array; label: string } {
  const dir = join(packageRoot(), '..', 'shared', 'fixtures', 'metrics');
  const n = PAIR_SECONDS * RATE_HZ;
  const cat = (a: string, b: string) => {
    const x = readMono(join(dir, a)).samples;
    const y = readMono(join(dir, b)).samples;
    const out = new Float32Array(n);
    out.set(x.subarray(0, Math.min(x.length, n)));
    if (x.length < n) out.set(y.subarray(0, n - x.length), x.length);
    return out;
  };
  return {
    ref: cat('allison_clean.wav', 'espeak_clean.wav'),
    deg: cat('allison_babble_10.wav', 'espeak_babble_10.wav'),
    label: `fixtures allison+espeak, babble 10 dB, ${PAIR_SECONDS} s at ${RATE_HZ} Hz`,
  };
}

function main(): void {
  const runs = Number(arg('--runs') ?? 7);
  const json = process.argv.includes('--json');
  let pair: { ref: Float32Array; deg: Float32Array; label: string; fs: number };
  const refPath = arg('--ref');
  const degPath = arg('--deg');
  if (refPath && degPath) {
    const r = readMono(refPath);
    const d = readMono(degPath);
    pair = { ref: r.samples, deg: d.samples, fs: r.sampleRate, label: `${refPath} / ${degPath}` };
  } else {
    pair = { ...defaultPair(), fs: RATE_HZ };
  }
  const { ref, deg, fs } = pair;
  const metrics: [string, () => unknown][] = [
    ['pesq_nb', () => pesq(ref, deg, fs, 'nb')],
    ['pesq_wb', () => pesq(ref, deg, fs, 'wb')],
    ['stoi', () => stoi(ref, deg, fs)],
    ['estoi', () => estoi(ref, deg, fs)],
    ['stoi+estoi', () => stoiBoth(ref, deg, fs)],
    ['sisnr', () => siSnr(ref, deg)],
    ['sdr', () => sdr(ref, deg)],
    ['sdr_bss', () => bssEvalSdr(ref, deg)],
  ];
  const rows: { metric: string; wallMs: number; cpuMs: number }[] = [];
  for (const [name, f] of metrics) {
    f(); // warm-up: JIT, FFT plans, caches
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      f();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    rows.push({ metric: name, wallMs: median(wall), cpuMs: median(cpu) });
  }
  const seconds = ref.length / fs;
  if (json) {
    process.stdout.write(`${JSON.stringify({ pair: pair.label, seconds, runs, host: benchHost(), pesqFft: pesqFftBackend(), metrics: rows })}\n`);
    return;
  }
  process.stdout.write(`pair: ${pair.label} (${seconds.toFixed(2)} s), median of ${runs} runs, PESQ FFT: ${pesqFftBackend()}\n`);
  process.stdout.write('metric\twall ms\tcpu ms\n');
  for (const r of rows) process.stdout.write(`${r.metric}\t${r.wallMs.toFixed(1)}\t${r.cpuMs.toFixed(1)}\n`);
}

main();
