/**
 * `hushpack compress … --out M.hush` on a separation net (src/compress/separation/pipeline.ts →
 * ../export.ts): tiny Conv-TasNet and uPIT-LSTM checkpoints (PyTorch-default weights, seed 3)
 * compressed with C1 (and uPIT-LSTM with C2: whole LSTM / Linear columns as group lists) on shrunken
 * budgets to a `.hush` and (the run's `checkpoint` option) the same weights as a checkpoint, and
 *   - the `.hush` is a 1.1 file of task 'separate' with 2 outputs (reader and `hushpack inspect`);
 *   - every tensor decodes to exactly the compressed checkpoint's values;
 *   - each pruned weight tensor is stored k-means with a sparsity pattern holding exactly its kept
 *     weights and K = the report's; the file's eq. 11 rate is the report's;
 *   - the WASM Separator on the `.hush` (SIMD and scalar, fast and compact) equals the libtorch
 *     whole-utterance forward of the compressed checkpoint within the separation parity tolerance
 *     (1e-4 of peak, ../runtime/separationParity.test.ts);
 *   - in the compact plan every pruned matrix runs codebook-sparse, and the pruned tensors the
 *     binder takes as vectors are exactly separationDenseAtLoad's (named in the report's notes);
 * prune-u stores pruned tensors as sparse f32 values; the CLI writes a `.hush` for a separation net
 * and refuses bad combinations before any work. One libtorch thread; skipped without the addon.
 * Generous timeouts: the runs are short, but the machine may be shared with training.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { separationCompressRun, type SeparationCompressReport } from '../../src/compress/separation/pipeline.js';
import { separationDenseAtLoad } from '../../src/compress/separationExport.js';
import { readHush } from '../../src/format/reader.js';
import { eq11ModelRate } from '../../src/format/rate.js';
import { readSafetensors } from '../../src/format/safetensors.js';
import { hushTensorDense } from '../../src/format/tensor.js';
import { inspectFile, formatInspect } from '../../src/models/inspect.js';
import { createSeparationNet, type SeparationConfig } from '../../src/models/separation/net.js';
import { CONV_TASNET_TINY, UPIT_LSTM_TINY } from '../../src/models/separation/presets.js';
import * as torch from '../../src/torch/torch.js';
import { separationCheckpointWrite } from '../../src/train/separation/checkpoint.js';
import { Separator } from '../../runtime/core/separator.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { maxAbsDiff } from '../runtime/harness.js';
import { testSignal } from '../runtime/models.js';
import { separationDelay, separationReference } from '../runtime/separationReference.js';
import { runtimeWasm, type Flavor } from '../runtime/wasm.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-sep-hush-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Parity tolerance of the separation nets (../runtime/separationParity.test.ts). */
const TOLERANCE = 1e-4;
/** Timeout of the tests that compress (not a time limit on the code: the machine may be busy). */
const LONG_MS = 900_000;
/** 0.5 s at 8 kHz, not a whole number of hops. */
const SIGNAL = testSignal(4_021);

const SMALL = {
  sensItems: 1, sensSeconds: 1, valItems: 2, valSeconds: 1, finetuneSteps: 2, preSteps: 1, batch: 2, segmentSeconds: 1, maxIterations: 1,
  alpha1: 1, alpha2: 0.5, maxSiSnrDrop: 100, maxEstoiDrop: 1, lr: 1e-3, seed: 1, threads: 1, valMetrics: false,
};

const CONFIGS: SeparationConfig[] = [{ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, { arch: 'upit-lstm', hp: { ...UPIT_LSTM_TINY } }];

/** A checkpoint of `config` with PyTorch-default weights (seed 3), as `hushpack train` writes one. */
function checkpointWrite(config: SeparationConfig): string {
  const path = join(dir, `${config.arch}.safetensors`);
  const net = createSeparationNet(config, { seed: 3 });
  try {
    separationCheckpointWrite(path, net, { preset: 'tiny' });
  } finally {
    net.dispose();
  }
  return path;
}

suite('separation compress → .hush', () => {
  let threads = 1;
  const inputs = new Map<string, string>();
  beforeAll(() => {
    threads = torch.getNumThreads();
    for (const c of CONFIGS) inputs.set(c.arch, checkpointWrite(c));
  }, LONG_MS);
  afterAll(() => torch.setNumThreads(threads));

  // C1 on both nets; C2 on uPIT-LSTM, whose structured groups are whole LSTM / Linear columns
  const runs: [SeparationConfig, 'c1' | 'c2'][] = [[CONFIGS[0], 'c1'], [CONFIGS[1], 'c1'], [CONFIGS[1], 'c2']];
  for (const [config, pipeline] of runs) {
    it(`${config.arch} ${pipeline}: the .hush holds the compressed checkpoint, pruned tensors sparse, and runs in WASM as libtorch runs the checkpoint`, async () => {
      const input = inputs.get(config.arch)!;
      const ckPath = join(dir, `${config.arch}-${pipeline}.safetensors`);
      const hushPath = join(dir, `${config.arch}-${pipeline}.hush`);
      const r = await separationCompressRun({ pipeline, input, corpusDir: FIXTURE, out: hushPath, checkpoint: ckPath, ...SMALL });
      const fromDisk = JSON.parse(readFileSync(join(dir, `${config.arch}-${pipeline}.report.json`), 'utf8')) as SeparationCompressReport;
      expect(fromDisk.output).toBe(hushPath);
      expect(fromDisk.hush).toEqual(r.hush);

      const bytes = new Uint8Array(readFileSync(hushPath));
      const file = readHush(bytes, hushPath);
      expect([file.versionMajor, file.versionMinor, file.task, file.outputCount, file.config.arch]).toEqual([1, 1, 'separate', 2, config.arch]);
      expect(file.metadata).toMatchObject({ pipeline, preset: 'tiny', source: input });
      expect(r.hush).toEqual({ bytes: bytes.length, actualRate: (4 * r.params) / bytes.length });
      expect(eq11ModelRate(r.params, file.tensors.values())).toBeCloseTo(r.rate, 9);

      // the .hush decodes to exactly the checkpoint's values
      const ck = readSafetensors(new Uint8Array(readFileSync(ckPath)), ckPath).tensors;
      expect([...file.tensors.keys()].sort()).toEqual([...ck.keys()].sort());
      for (const [name, t] of file.tensors) {
        const got = hushTensorDense(t);
        const want = ck.get(name)!.data;
        expect(got.length, name).toBe(want.length);
        expect(got.filter((v, i) => v !== want[i]).length, name).toBe(0); // === : a pruned −0 in the checkpoint is the file's 0
      }

      // pruned tensors: k-means over exactly the kept weights, with a sparsity pattern
      const entries = new Map(file.entries.map((e) => [e.name, e]));
      const pruned = r.perTensor.filter((t) => t.kept < t.total);
      expect(pruned.some((t) => t.k !== 0 && !separationDenseAtLoad(config, t.tensor))).toBe(true); // a pruned, quantised matrix to run sparse
      for (const t of r.perTensor) {
        const e = entries.get(t.tensor)!;
        expect(t.stored).toEqual({ encoding: e.encoding, sparsity: e.sparsity, bytes: e.payloadBytes, denseAtLoad: separationDenseAtLoad(config, t.tensor) });
        if (t.k === 0) {
          expect([e.encoding, e.stored]).toEqual(['sparse', 0]);
          continue;
        }
        expect([e.encoding, e.k, e.stored]).toEqual(['kmeans', t.k, t.kept]);
        expect(e.sparsity === 'none').toBe(t.kept === t.total);
      }
      const inspected = inspectFile(hushPath);
      expect([inspected.task, inspected.outputCount]).toEqual(['separate', 2]);
      expect(formatInspect(inspected)).toContain('speaker separation (2 outputs)');
      for (const t of pruned) expect(inspected.tensors.find((x) => x.name === t.tensor)).toMatchObject({ nonzeros: t.kept, sparsity: expect.not.stringMatching(/^none$/) });

      // the pruned tensors that run dense are the ones the report's notes name
      const denseNamed = pruned.filter((t) => separationDenseAtLoad(config, t.tensor)).map((t) => t.tensor);
      expect(r.notes.some((n) => denseNamed.every((name) => n.includes(name)))).toBe(denseNamed.length > 0);

      // WASM = libtorch on the compressed checkpoint, and the forms the binder chose
      const ref = separationReference(config, ck, SIGNAL);
      let worst = 0;
      for (const [flavor, plan] of [['simd', 'fast'], ['simd', 'compact'], ['scalar', 'fast'], ['scalar', 'compact']] as [Flavor, PlanChoice][]) {
        const s = Separator.create(await runtimeWasm(flavor), bytes, { plan });
        expect([s.sampleRate, s.outputCount, s.delaySamples]).toEqual([8000, 2, separationDelay(config)]);
        const out = s.processBuffer(SIGNAL);
        for (let k = 0; k < 2; k++) {
          const { diff, peak } = maxAbsDiff(out[k], ref[k]);
          expect(peak).toBeGreaterThan(1e-4);
          expect(diff, `${config.arch} ${flavor} ${plan} speaker ${k + 1}: max |Δ| ${diff} vs peak ${peak}`).toBeLessThanOrEqual(TOLERANCE * peak);
          worst = Math.max(worst, diff / peak);
        }
        // every prunable tensor is a planned matrix unless the binder takes it as a vector (separationDenseAtLoad)
        for (const t of r.perTensor) expect(s.mats.has(t.tensor), t.tensor).toBe(!separationDenseAtLoad(config, t.tensor));
        if (plan === 'compact') {
          for (const t of pruned) if (s.mats.has(t.tensor) && t.k !== 0) expect(s.mats.get(t.tensor)!.form, t.tensor).toBe('codebook-sparse');
        }
      }
      const kinds = [...new Set(pruned.map((t) => `${t.stored!.encoding}/${t.stored!.sparsity}`))].join(', ');
      console.log(`${config.arch} ${pipeline}: ${pruned.length} of ${r.perTensor.length} weight tensors pruned (${kinds}), rate ${r.rate.toFixed(1)}×, ` +
        `${bytes.length} bytes; worst |wasm − libtorch| / peak ${worst.toExponential(1)}`);
    }, LONG_MS);
  }

  it('upit-lstm prune-u: pruned tensors are stored as sparse f32 values, unpruned ones dense', async () => {
    const out = join(dir, 'upit-lstm-pu.hush');
    const r = await separationCompressRun({ pipeline: 'prune-u', input: inputs.get('upit-lstm')!, corpusDir: FIXTURE, out, ...SMALL });
    const entries = new Map(readHush(new Uint8Array(readFileSync(out)), out).entries.map((e) => [e.name, e]));
    expect(r.perTensor.some((t) => t.kept < t.total)).toBe(true);
    for (const t of r.perTensor) {
      const e = entries.get(t.tensor)!;
      if (t.kept < t.total) expect([e.encoding, e.stored, e.sparsity === 'none']).toEqual(['sparse', t.kept, false]);
      else expect(e.encoding).toBe('f32');
    }
  }, LONG_MS);

  it('the CLI writes the .hush, and refuses what does not apply to a separation net before any work', async () => {
    const input = inputs.get('upit-lstm')!;
    const out = join(dir, 'cli-dense.hush');
    const common = ['--corpus', FIXTURE, '--sens-items', '1', '--sens-seconds', '1', '--val-items', '1', '--val-seconds', '1', '--batch', '2', '--no-val-metrics'];
    let io = capture();
    // prune-u with no iteration: the quickest run; it writes the net as is (dense f32)
    expect(await main(['node', 'hushpack', 'compress', '--pipeline', 'prune-u', '--max-iterations', '0', '--in', input, '--out', out, ...common, '--json']), io.err()).toBe(0);
    const summary = JSON.parse(io.out()) as { output: string; hush: { bytes: number } };
    expect(summary.output).toBe(out);
    expect(summary.hush.bytes).toBe(readFileSync(out).length);
    expect(readHush(new Uint8Array(readFileSync(out))).task).toBe('separate');
    expect(existsSync(join(dir, 'cli-dense.report.json'))).toBe(true);
    vi.restoreAllMocks();

    const refused: [string[], RegExp][] = [
      [['--pipeline', 'c1', '--out', join(dir, 'x.wav')], /is a separation net: --out must name a \.hush model or a \.safetensors checkpoint, got .*x\.wav/],
      [['--pipeline', 'mpo', '--out', join(dir, 'x.hush')], /is a separation net: --pipeline c1, c2, quant, prune-u, prune-s .*got mpo/],
      [['--pipeline', 'c1', '--block', '4x1', '--out', join(dir, 'x.hush')], /--block applies to enhancement nets; .* is a separation net/],
      [['--pipeline', 'c2', '--regularizer', 'l1', '--out', join(dir, 'x.hush')], /--regularizer applies to enhancement nets/],
      [['--pipeline', 'c1', '--max-k', '8', '--out', join(dir, 'x.hush')], /--max-k applies to enhancement nets/],
      [['--pipeline', 'c1', '--no-prefetch', '--out', join(dir, 'x.hush')], /--no-prefetch applies to enhancement nets/],
    ];
    for (const [args, message] of refused) {
      io = capture();
      expect(await main(['node', 'hushpack', 'compress', '--in', input, ...common, ...args])).toBe(1);
      expect(io.err()).toMatch(message);
      vi.restoreAllMocks();
    }
    expect(existsSync(join(dir, 'x.hush')) || existsSync(join(dir, 'x.wav')) || existsSync(join(dir, 'x.report.json'))).toBe(false);
  }, LONG_MS);
});
