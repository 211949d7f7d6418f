/**
 * C1, C2, k-means only and unstructured pruning only on a separation net (issue 16, Table VI;
 * src/compress/separation/pipeline.ts): a tiny Conv-TasNet trained for a few steps on the fixture
 * corpus is compressed with shrunken budgets,
 * and the output checkpoint is what the report says — nonzero weights per tensor = kept, at most
 * K distinct values per tensor (32-bit kept weights without quantisation), the eq.-11 rate
 * recomputed from the stored weights, the per-tensor sensitivity records, whole weight
 * groups pruned under C2 — and it reloads to the validation SI-SNR the report states (the
 * quantised net evaluated through libtorch). One libtorch thread; skipped without the addon.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpus } from '../../src/data/corpus.js';
import { readSafetensors } from '../../src/format/safetensors.js';
import { groupForEach, groupLayout, prunableSpecs } from '../../src/compress/groups.js';
import { separationCompressRun, type SeparationCompressReport } from '../../src/compress/separation/pipeline.js';
import { separationLayout } from '../../src/models/separation/net.js';
import { separationPresetConfig } from '../../src/models/separation/presets.js';
import * as torch from '../../src/torch/torch.js';
import { separationNetFromCheckpoint } from '../../src/train/separation/checkpoint.js';
import { separationTrainRun } from '../../src/train/separation/trainer.js';
import { separationValidate, separationValidationSetBuild } from '../../src/train/separation/validation.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-sep-compress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = {
  sensItems: 1, sensSeconds: 1, valItems: 2, valSeconds: 1, finetuneSteps: 2, preSteps: 1, batch: 2, segmentSeconds: 1, maxIterations: 1,
  alpha1: 0.5, alpha2: 0.2, maxSiSnrDrop: 100, maxEstoiDrop: 1, lr: 1e-3, seed: 1,
};

suite('separation compression pipelines', () => {
  let threads = 1;
  const input = join(dir, 'tasnet.safetensors');
  beforeAll(async () => {
    threads = torch.getNumThreads();
    await separationTrainRun({
      config: separationPresetConfig('conv-tasnet', 'tiny'), preset: 'tiny', corpusDir: FIXTURE, out: input, threads: 1, valMetrics: false, epochs: 1,
      hyper: { batch: 4, segmentSeconds: 1, valItems: 2, valSeconds: 1, seed: 2, lr: 5e-3, stepsPerEpoch: 10 },
    });
  });
  afterAll(() => torch.setNumThreads(threads));

  for (const pipeline of ['c1', 'c2', 'quant', 'prune-u'] as const) {
    it(`${pipeline}: the compressed checkpoint holds what the report says and scores as reported`, async () => {
      const out = join(dir, `tasnet-${pipeline}.safetensors`);
      const r = await separationCompressRun({ pipeline, input, corpusDir: FIXTURE, out, threads: 1, valMetrics: false, ...SMALL });
      const fromDisk = JSON.parse(readFileSync(out.replace(/\.safetensors$/, '.report.json'), 'utf8')) as SeparationCompressReport;
      expect(fromDisk.rate).toBeCloseTo(r.rate, 9);
      expect(r.iterations[0].phase).toBe('baseline');
      expect(r.pruningIterations).toBe(r.iterations.filter((x) => x.phase === 'pruned' && x.accepted).length);

      const stored = readSafetensors(new Uint8Array(readFileSync(out)), out).tensors;
      const specs = separationLayout(separationPresetConfig('conv-tasnet', 'tiny')).params;
      const prunable = prunableSpecs(specs);
      expect(r.perTensor.map((t) => t.tensor)).toEqual(prunable.map((s) => s.name));
      let bits = 32 * (r.params - prunable.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0));
      for (const t of r.perTensor) {
        const v = stored.get(t.tensor)!.data;
        const nonzero = v.filter((x) => x !== 0);
        expect(nonzero.length).toBe(t.kept);
        if (pipeline === 'prune-u') {
          expect(t.k).toBeNull(); // not quantised: eq. 11 counts 32 bits per kept weight
          bits += 32 * t.kept;
        } else {
          const k = t.k!;
          expect(new Set(nonzero).size).toBeLessThanOrEqual(k);
          bits += k > 0 ? t.kept * Math.log2(k) + 32 * k : 0;
        }
        if (pipeline === 'c2') {
          const layout = groupLayout(prunable.find((s) => s.name === t.tensor)!);
          for (let g = 0; g < layout.groups; g++) {
            let zeros = 0;
            groupForEach(layout, g, (p) => (zeros += v[p] === 0 ? 1 : 0));
            expect(zeros === 0 || zeros === layout.size).toBe(true);
          }
        }
      }
      expect(r.rate).toBeCloseTo((32 * r.params) / bits, 9);
      if (pipeline === 'quant') {
        expect(r.pruningIterations).toBe(0);
        expect(r.perTensor.every((t) => t.kept === t.total)).toBe(true);
        expect(r.rate).toBeGreaterThan(1);
      } else {
        expect(r.perTensor.some((t) => t.prunedRatio > 0)).toBe(true);
        expect(r.pruningIterations).toBe(1);
        const it1 = r.iterations.find((x) => x.phase === 'pruned' && x.accepted)!;
        expect(it1.sensitivity.map((x) => x.tensor)).toEqual(r.perTensor.map((t) => t.tensor));
        it1.sensitivity.forEach((x, i) => expect(r.perTensor[i].betas).toEqual([x.beta]));
      }

      const ck = separationNetFromCheckpoint(out);
      try {
        const set = separationValidationSetBuild(openCorpus(FIXTURE), { items: SMALL.valItems, seed: SMALL.seed, seconds: SMALL.valSeconds, estoi: false });
        expect(separationValidate(ck.net, set).siSnr).toBeCloseTo(r.final.siSnr, 4);
      } finally {
        ck.net.dispose();
      }
    });
  }
});
