/**
 * Table VI end to end on tiny settings (issue 16): a tiny Conv-TasNet trained on the fixture corpus,
 * compressed with C1 and C2, the three checkpoints scored on a two-talker test set written from the
 * fixture; `hushpack report`'s Table VI rows (src/compress/separation/tableVi.ts) are mixture / U /
 * C1 / C2 with our numbers taken from those files and the paper's beside them. One libtorch thread,
 * one metric thread; skipped without the addon.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCorpus } from '../../src/data/corpus.js';
import { separationTestsetWrite } from '../../src/data/separation/testset.js';
import { separationScore } from '../../src/evaluate/separationScore.js';
import { separationCompressRun } from '../../src/compress/separation/pipeline.js';
import { TABLE_VI_PAPER, tableViInputsRead, tableViMarkdown, tableViRows } from '../../src/compress/separation/tableVi.js';
import { float32MiBOf } from '../../src/models/separation/sizes.js';
import { layoutParamCount, separationLayout } from '../../src/models/separation/net.js';
import { separationPresetConfig } from '../../src/models/separation/presets.js';
import * as torch from '../../src/torch/torch.js';
import { separationTrainRun } from '../../src/train/separation/trainer.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-table-vi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

suite('Table VI', () => {
  it('rows mixture / U / C1 / C2 from the score files and compress reports, the paper\'s beside them', async () => {
    const threads = torch.getNumThreads();
    try {
      const results = join(dir, 'results');
      mkdirSync(results);
      const setDir = join(dir, 'set');
      separationTestsetWrite(openCorpus(FIXTURE), setDir, { count: 2, seed: 6 });
      const u = join(results, 'tasnet.safetensors');
      await separationTrainRun({
        config: separationPresetConfig('conv-tasnet', 'tiny'), preset: 'tiny', corpusDir: FIXTURE, out: u, threads: 1, valMetrics: false, epochs: 1,
        hyper: { batch: 2, segmentSeconds: 1, valItems: 1, valSeconds: 1, seed: 2, lr: 5e-3, stepsPerEpoch: 4 },
      });
      const small = {
        sensItems: 1, sensSeconds: 1, valItems: 1, valSeconds: 1, finetuneSteps: 1, preSteps: 0, batch: 2, segmentSeconds: 1, maxIterations: 1,
        alpha1: 0.5, alpha2: 0.2, maxSiSnrDrop: 100, maxEstoiDrop: 1, seed: 1, threads: 1, valMetrics: false,
      };
      const reports = {
        c1: await separationCompressRun({ pipeline: 'c1', input: u, corpusDir: FIXTURE, out: join(results, 'tasnet-c1.safetensors'), ...small }),
        c2: await separationCompressRun({ pipeline: 'c2', input: u, corpusDir: FIXTURE, out: join(results, 'tasnet-c2.safetensors'), ...small }),
      };
      const scores: Record<string, Awaited<ReturnType<typeof separationScore>>> = {};
      for (const [name, model] of [['U', u], ['C1', reports.c1.output], ['C2', reports.c2.output]] as const) {
        scores[name] = await separationScore({ model, corpusDir: FIXTURE, testsetDir: setDir, threads: 1 });
        writeFileSync(join(results, `${name}.score.json`), JSON.stringify(scores[name]));
      }

      const rows = tableViRows(tableViInputsRead(results));
      expect(rows.map((r) => `${r.arch ?? ''}/${r.model}`)).toEqual(['/mixture', 'conv-tasnet/U', 'conv-tasnet/C1', 'conv-tasnet/C2']);
      const [mix, ru, rc1, rc2] = rows;
      expect(mix.ours.sisnr).toBeCloseTo(scores.U.overall.mixture.sisnr as number, 9);
      expect(mix.ours.estoi).toBeCloseTo(100 * (scores.U.overall.mixture.estoi as number), 9);
      expect(ru.ours.sdr).toBeCloseTo(scores.U.overall.separated.sdr_bss as number, 9);
      expect(ru.ours.sizeMiB).toBeCloseTo(float32MiBOf(layoutParamCount(separationLayout(separationPresetConfig('conv-tasnet', 'tiny')))), 12);
      expect(ru.ours.rate).toBe(1);
      for (const [row, name, rep] of [[rc1, 'C1', reports.c1], [rc2, 'C2', reports.c2]] as const) {
        expect(row.ours.pesq).toBeCloseTo(scores[name].overall.separated.pesq_nb as number, 9);
        expect(row.ours.sizeMiB).toBe(rep.compressedMiB);
        expect(row.ours.rate).toBe(rep.rate);
        expect(row.ours.iterations).toBe(rep.pruningIterations);
      }
      expect(rc1.paper).toEqual(TABLE_VI_PAPER['conv-tasnet'].C1);
      const md = tableViMarkdown(rows);
      expect(md).toContain('| TasNet_C2 (tiny) |');
      expect(md).toContain('(0.770)'); // the paper's TasNet C2 size beside ours
    } finally {
      torch.setNumThreads(threads);
    }
  });
});
