/**
 * `hushpack evalset` for a separation net (issue 16, Table VI): on a two-talker test set written
 * from the fixture corpus, the score file's means equal the metrics of the same checkpoint's
 * libtorch separation computed directly (permutation by SI-SNR per mixture, every metric at 8 kHz
 * against each speaker), the permutation is the better of the two, and the mixture rows are the
 * mixture's own. One metric thread; skipped without the libtorch addon.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCorpus } from '../../src/data/corpus.js';
import { readMono } from '../../src/data/wav.js';
import { separationListRead, separationTestsetWrite } from '../../src/data/separation/testset.js';
import { separationScore } from '../../src/evaluate/separationScore.js';
import { evaluateSignals, type MetricResult } from '../../src/metrics/evaluate.js';
import { siSnr } from '../../src/metrics/sdr.js';
import { createSeparationNet } from '../../src/models/separation/net.js';
import { separationPresetConfig } from '../../src/models/separation/presets.js';
import * as torch from '../../src/torch/torch.js';
import { separationCheckpointWrite, separationNetFromCheckpoint } from '../../src/train/separation/checkpoint.js';
import { separationSeparate } from '../../src/train/separation/objective.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-sep-score-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIXTURES = 3;

suite('separation evalset', () => {
  for (const arch of ['conv-tasnet', 'upit-lstm'] as const) {
    it(`${arch}: the score file equals the metrics of the checkpoint's separation, permutation by SI-SNR`, async () => {
      const setDir = join(dir, `set-${arch}`);
      separationTestsetWrite(openCorpus(FIXTURE), setDir, { count: MIXTURES, seed: 4 });
      const model = join(dir, `${arch}.safetensors`);
      const net = createSeparationNet(separationPresetConfig(arch, 'tiny'), { seed: 7 });
      separationCheckpointWrite(model, net, { preset: 'tiny' });
      net.dispose();

      const score = await separationScore({ model, corpusDir: FIXTURE, testsetDir: setDir, threads: 1 });
      expect(score.overall.mixtures).toBe(MIXTURES);
      expect(score.overall.signals).toBe(2 * MIXTURES);
      expect(score.model.arch).toBe(arch);
      expect(score.overall.separated.pesq_wb).toBeNull(); // 8 kHz: narrow band only

      const ck = separationNetFromCheckpoint(model);
      const sep: MetricResult[] = [];
      const mix: MetricResult[] = [];
      try {
        for (const r of separationListRead(setDir)) {
          const m = readMono(join(setDir, r.mix)).samples;
          const refs = [r.s1, r.s2].map((p) => readMono(join(setDir, p)).samples);
          const est = separationSeparate(ck.net, m);
          const straight = siSnr(refs[0], est[0]) + siSnr(refs[1], est[1]);
          const swapped = siSnr(refs[0], est[1]) + siSnr(refs[1], est[0]);
          const perm = straight >= swapped ? [0, 1] : [1, 0];
          refs.forEach((ref, s) => {
            sep.push(evaluateSignals(ref, est[perm[s]], 8000));
            mix.push(evaluateSignals(ref, m, 8000));
          });
        }
      } finally {
        ck.net.dispose();
      }
      const mean = (rs: MetricResult[], k: keyof MetricResult) => rs.reduce((a, x) => a + (x[k] as number), 0) / rs.length;
      for (const k of ['estoi', 'pesq_nb', 'sisnr', 'sdr', 'sdr_bss'] as const) {
        expect(score.overall.separated[k] as number).toBeCloseTo(mean(sep, k), 6);
        expect(score.overall.mixture[k] as number).toBeCloseTo(mean(mix, k), 6);
        expect(score.overall.delta[k] as number).toBeCloseTo(mean(sep, k) - mean(mix, k), 6);
      }
      expect(Object.values(score.permutations).reduce((a, b) => a + b, 0)).toBe(MIXTURES);
    });
  }
});
