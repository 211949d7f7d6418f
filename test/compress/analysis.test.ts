/**
 * Sensitivity analyses over a real (tiny) network: worker threads give the same results as the
 * inline run. Skipped without the libtorch addon.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import * as torch from '../../src/torch/torch.js';
import { paramSpecs, presetConfig } from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import { featuresBatch } from '../../src/train/features.js';
import { sensitivityAnalyze, type SensitivityJobSpec } from '../../src/compress/analysis.js';
import { groupLayout, prunableSpecs } from '../../src/compress/groups.js';
import { maskFull } from '../../src/compress/masks.js';
import type { PruneSensitivity } from '../../src/compress/sensitivity.js';
import { sensitivityWorkerBundle } from './workerBundle.js';
import { lcgNoise32 } from '../helpers/signals.js';

const available = torch.isTorchAvailable();
const suite = available ? describe : describe.skip;

suite('sensitivity analyses on a network', () => {
  let bundle: string | null = null;
  afterAll(() => {
    if (bundle) rmSync(bundle, { force: true });
  });

  it('gcrn tiny: 2 workers give exactly the inline results (Algorithms 1, 2, 3)', async () => {
    const config = presetConfig('gcrn', 'tiny');
    const net = createNet(config, { seed: 2 });
    const pairs = [0, 1].map((k) => {
      const clean = lcgNoise32(3200, 20 + k).map((x) => 0.3 * x);
      return { clean, mixture: clean.map((x, i) => x + 0.3 * Math.sin(i * 0.11 * (k + 1))) };
    });
    const batch = featuresBatch('gcrn', pairs);
    const specs = prunableSpecs(paramSpecs(config));
    const jobs: SensitivityJobSpec[] = [];
    for (const s of specs) {
      const mask = maskFull(s.shape.reduce((a, b) => a * b, 1));
      jobs.push({ algorithm: 'unstructured', tensor: s.name, mask, alpha: 1e-4 });
      jobs.push({ algorithm: 'structured', tensor: s.name, mask, groups: groupLayout(s), alpha: 1e-4 });
      jobs.push({ algorithm: 'kmeans', tensor: s.name, mask, alpha: 1e-5 });
    }
    bundle = sensitivityWorkerBundle();
    try {
      const inline = await sensitivityAnalyze(net, [batch], jobs);
      const pooled = await sensitivityAnalyze(net, [batch], jobs, { workers: 2, workerPath: bundle });
      expect(pooled.mode).toBe('workers');
      expect(pooled.baseLoss).toBeCloseTo(inline.baseLoss, 6);
      const key = (r: unknown) => {
        const x = r as PruneSensitivity & { k?: number };
        return `${x.tensor}:${x.algorithm}:${x.beta ?? x.k}`;
      };
      expect(pooled.results.map(key)).toEqual(inline.results.map(key));
      expect(inline.stagesRun).toBeLessThan(inline.stagesFull);
      // some tensors are pruned partly, so the tolerance was exercised
      expect(inline.results.some((r) => 'beta' in r && r.beta > 0 && r.beta < 100)).toBe(true);
    } finally {
      net.dispose();
    }
  });
});
