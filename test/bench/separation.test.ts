/**
 * Separation benchmarks (issue 16): `hushpack bench` on a separation `.hush`, the edge benchmark
 * files of tools/bench/separationModels.ts and the load rule of tools/bench/separation.ts. Nothing
 * here asserts a time (speed lives in the benchmark's result files); the runs are a few hops long.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { readHush } from '../../src/format/reader.js';
import { isPrunable } from '../../src/compress/groups.js';
import { separationLayout } from '../../src/models/separation/net.js';
import { CONV_TASNET_PRESETS, UPIT_LSTM_PRESETS } from '../../src/models/separation/presets.js';
import { Separator } from '../../runtime/node/separator.js';
import { simdSupported } from '../../runtime/node/enhancer.js';
import { benchSeparationTable, type SeparationBenchReport } from '../../tools/bench/runtimeSeparation.js';
import { separationBenchKeep, separationBenchModel, SEPARATION_BENCH_K } from '../../tools/bench/separationModels.js';
import { benchLoadState } from '../../tools/bench/separation.js';
import { benchSignal } from '../../tools/bench/runtime.js';

afterEach(() => vi.restoreAllMocks());
const tmp = mkdtempSync(join(tmpdir(), 'hushpack-separation-bench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tasnetDense = separationBenchModel('conv-tasnet', 'dense');

describe('hushpack bench --model SEP.hush', () => {
  it('--json: per-hop µs of 80-sample hops at 8 kHz for every build × plan, MACs, memory, host', async () => {
    const model = join(tmp, 'tasnet.hush');
    writeFileSync(model, tasnetDense.hush);
    const io = capture();
    const code = await main(['node', 'hushpack', 'bench', '--model', model, '--frames', '20', '--warmup', '2', '--json']);
    expect(code, io.err()).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines.length).toBe(1);
    const r = JSON.parse(lines[0]) as SeparationBenchReport;
    expect(r.task).toBe('separate');
    expect(r.config.arch).toBe('conv-tasnet');
    expect([r.sampleRateHz, r.hopSamples, r.hopMs, r.outputs]).toEqual([8000, 80, 10, 2]);
    expect(r.latencySamples).toBe(80 + CONV_TASNET_PRESETS.edge.L / 2); // one hop + the decoder's L/2
    expect([r.frames, r.warmup]).toEqual([20, 2]);
    const s = Separator.loadSync(tasnetDense.hush);
    expect(r.parameters).toBe(s.params);
    const builds = simdSupported() ? ['simd', 'scalar'] : ['scalar'];
    expect(r.runs.map((x) => `${x.flavor} ${x.plan}`)).toEqual(builds.flatMap((b) => ['fast', 'compact', 'auto'].map((p) => `${b} ${p}`)));
    for (const x of r.runs) {
      expect(x.usP50).toBeGreaterThan(0);
      expect(x.usP99).toBeGreaterThanOrEqual(x.usP50);
      expect(x.usMax).toBeGreaterThanOrEqual(x.usP99);
      expect(x.rtf).toBeCloseTo(x.usMean / 10_000, 12);
      expect(x.macsPerHop).toBe(s.macsPerHop); // dense: every plan multiplies every weight
      expect(x.memory.totalBytes).toBeGreaterThan(tasnetDense.hush.length);
      expect(Object.values(x.forms).reduce((a, b) => a + b, 0)).toBe(s.mats.size);
    }
    if (builds.length === 2) expect(Object.keys(r.simdSpeedup)).toEqual(['fast', 'compact', 'auto']);
    expect(r.host.cpu?.kind).toMatch(/^[a-z0-9-]+$/);
    expect(r.host.loadAverage).toHaveLength(3);
    expect(io.err()).toMatch(/80 samples at 8000 Hz/);
  });

  it('plain output: the table names the task, the hop and the host', async () => {
    const model = join(tmp, 'tasnet-plain.hush');
    writeFileSync(model, tasnetDense.hush);
    const io = capture();
    expect(await main(['node', 'hushpack', 'bench', '--model', model, '--frames', '5', '--warmup', '0', '--plans', 'fast', '--flavors', 'scalar']), io.err()).toBe(0);
    const out = io.out();
    expect(out).toContain('conv-tasnet separation, 2 speakers at 8000 Hz');
    expect(out).toContain('5 hops of 80 samples (10 ms)');
    expect(out).toMatch(/\nscalar fast /);
    expect(out).toMatch(/\nhost: .*cores, load average/);
  });

  it('bad input: a truncated separation .hush names the file; a bad --plans value names the flag', async () => {
    const cut = join(tmp, 'cut.hush');
    writeFileSync(cut, tasnetDense.hush.subarray(0, 400));
    let io = capture();
    expect(await main(['node', 'hushpack', 'bench', '--model', cut])).toBe(1);
    expect(io.err()).toMatch(/cut\.hush/);
    vi.restoreAllMocks();
    const model = join(tmp, 'tasnet-flags.hush');
    writeFileSync(model, tasnetDense.hush);
    io = capture();
    expect(await main(['node', 'hushpack', 'bench', '--model', model, '--plans', 'quick'])).toBe(1);
    expect(io.err()).toContain("--plans: unknown 'quick' (expected auto, fast, compact)");
  });
});

describe('edge separation benchmark files (tools/bench/separationModels.ts)', () => {
  for (const arch of ['conv-tasnet', 'upit-lstm'] as const) {
    it(`${arch} c1: every weight tensor keeps ⌈f·n⌉ weights in ≤ ${SEPARATION_BENCH_K} values, the rest dense f32; it streams`, () => {
      const m = separationBenchModel(arch, 'c1');
      const f = separationBenchKeep(arch);
      expect(f).toBe(arch === 'conv-tasnet' ? 0.28 : 0.08);
      const file = readHush(m.hush);
      expect(file.metadata.preset).toBe('edge');
      expect(file.config.hparams).toMatchObject(arch === 'conv-tasnet' ? { N: CONV_TASNET_PRESETS.edge.N } : { units: UPIT_LSTM_PRESETS.edge.units });
      let prunable = 0;
      for (const s of separationLayout(m.config).params) {
        const t = file.tensors.get(s.name)!;
        const n = s.shape.reduce((a, b) => a * b, 1);
        if (!isPrunable(s)) {
          expect(t.encoding, s.name).toBe('f32');
          continue;
        }
        prunable++;
        expect(t.encoding, s.name).toBe('kmeans');
        if (t.encoding !== 'kmeans') continue;
        expect(t.indices.length, s.name).toBe(Math.max(1, Math.ceil(f * n)));
        expect(t.codebook.length).toBeLessThanOrEqual(SEPARATION_BENCH_K);
      }
      expect(prunable).toBeGreaterThan(0);
      expect(m.eq11Rate).toBeGreaterThan(arch === 'conv-tasnet' ? 8 : 80);
      // the runtime loads it and produces finite, non-trivial output for both speakers
      const s = Separator.loadSync(m.hush, { plan: 'compact' });
      const outs = s.processBuffer(benchSignal(1600, 8000));
      expect(outs).toHaveLength(2);
      for (const o of outs) {
        expect(o.every(Number.isFinite)).toBe(true);
        expect(o.some((v) => Math.abs(v) > 1e-6)).toBe(true);
      }
    });
  }

  it('dense: every tensor f32, eq. 11 rate 1', () => {
    const file = readHush(tasnetDense.hush);
    expect([...file.tensors.values()].every((t) => t.encoding === 'f32')).toBe(true);
    expect(tasnetDense.eq11Rate).toBeCloseTo(1, 12);
    expect([tasnetDense.keep, tasnetDense.k]).toEqual([1, null]);
  });
});

describe('the load rule of tools/bench/separation.ts', () => {
  it('stops above a 1-minute load of 1 at the start; marks a run whose end load exceeds 1 + its own core', () => {
    expect(benchLoadState(0.3, null)).toEqual({ idle: true, loaded: false });
    expect(benchLoadState(1.0, 1.9)).toEqual({ idle: true, loaded: false });
    expect(benchLoadState(0.2, 2.4)).toEqual({ idle: true, loaded: true });
    expect(benchLoadState(1.5, null)).toEqual({ idle: false, loaded: true });
    expect(benchLoadState(6.5, 0.1)).toEqual({ idle: false, loaded: true });
  });

  it('the table of a report prints one row per run', () => {
    const r: SeparationBenchReport = {
      task: 'separate', model: 'x.hush', config: readHush(tasnetDense.hush).config, parameters: 10, fileBytes: 2048, outputs: 2, hopSamples: 80,
      sampleRateHz: 8000, hopMs: 10, latencySamples: 88, latencyMs: 11, frames: 3, warmup: 0, hostSimd: true, simdSpeedup: { fast: 2 },
      runs: (['simd', 'scalar'] as const).map((flavor) => ({
        flavor, plan: 'fast' as const, forms: { dense: 3 }, usP50: 100, usP99: 200, usMax: 300, usMean: 120, rtf: 0.012, macsPerHop: 1000, gmacsPerSecond: 0.01,
        memory: { fileBytes: 1, weightsBytes: 1024, stateBytes: 1, scratchBytes: 1, totalBytes: 4096, wasmBytes: 65536 }, loadMs: 1,
      })),
      host: { arch: 'x64', platform: 'linux', kernel: '', node: 'v20', hushpack: '0', board: null, cpuModel: '', cores: 2, loadAverage: [0, 0, 0], wasmSimd: true },
    };
    const t = benchSeparationTable(r).split('\n');
    expect(t[0]).toContain('x.hush: conv-tasnet separation, 2 speakers at 8000 Hz, 10 parameters, file 2 KiB, latency 88 samples (11.0 ms)');
    expect(t.filter((l) => /^(simd|scalar) +fast +100\.0 +200\.0 +300 +0\.0120 +1,000/.test(l))).toHaveLength(2);
    expect(t.at(-1)).toBe('SIMD speed-up (p50 scalar / p50 SIMD): fast 2.00×');
  });
});
