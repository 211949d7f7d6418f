/**
 * The staged loss evaluator (src/compress/evaluator.ts) gives the same loss as a full forward for every
 * perturbed tensor while running fewer stages. Skipped without the libtorch addon.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import { ARCH_NAMES, presetConfig, paramSpecs, type ArchName } from '../../src/models/index.js';
import { createNet, type Net } from '../../src/models/nets.js';
import { StagedLossEvaluator } from '../../src/compress/evaluator.js';
import { prunableSpecs } from '../../src/compress/groups.js';
import { featuresBatch, lossCompute } from '../../src/train/features.js';
import { lcgNoise32 } from '../helpers/signals.js';

const available = torch.isTorchAvailable();
const suite = available ? describe : describe.skip;

/** Two short noisy/clean pairs (0.3 s) as a feature batch. */
function batchOf(arch: ArchName) {
  const len = 4800;
  const pairs = [0, 1].map((k) => {
    const clean = lcgNoise32(len, 10 + k).map((x) => 0.3 * x);
    const mixture = clean.map((x, i) => x + 0.2 * Math.sin(i * 0.37 + k));
    return { mixture, clean };
  });
  return featuresBatch(arch, pairs);
}

suite('staged loss evaluator', () => {
  const nets: Net[] = [];
  afterAll(() => nets.forEach((n) => n.dispose()));

  for (const arch of ARCH_NAMES) {
    it(`${arch}: the staged evaluator matches a full forward for every weight tensor and reads each in some stage`, () => {
      const config = presetConfig(arch, 'tiny');
      const net = createNet(config, { seed: 4 });
      nets.push(net);
      const batch = batchOf(arch);
      const ev = new StagedLossEvaluator(net, [batch]);
      const full = new StagedLossEvaluator(net, [batch], { cacheStages: false });
      try {
        const direct = torch.noGrad(() =>
          torch.tidy(() => lossCompute(arch, net.forward(torch.tensor(batch.input, batch.inputShape), { training: false }), torch.tensor(batch.target, batch.targetShape)).item()),
        );
        expect(ev.baseLoss).toBeCloseTo(direct, 5);
        for (const s of prunableSpecs(paramSpecs(config))) {
          const v = net.tensors.get(s.name)!.toFloat32Array();
          const perturbed = v.map((x, i) => (i % 2 ? 0 : x * 1.5));
          const a = ev.lossWith(s.name, perturbed);
          const b = full.lossWith(s.name, perturbed);
          expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));
          // restored afterwards
          expect(Array.from(net.tensors.get(s.name)!.toFloat32Array())).toEqual(Array.from(v));
        }
        expect(ev.stats.stagesRun).toBeLessThan(ev.stats.stagesFull);
      } finally {
        ev.dispose();
        full.dispose();
      }
    });
  }
});
