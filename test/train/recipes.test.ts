/**
 * `hushpack train --recipe`: `paper` is the trainer's defaults (the seed's settings) unchanged; `v2`
 * sets the ablation-chosen settings and the GCRN's complex mask, flags given on the command line win
 * over the recipe, the run records its recipe, and an unknown name is a clear error. The CLI run is
 * skipped without the libtorch addon.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { MIX_AUGMENT_NONE, MIX_AUGMENT_V2 } from '../../src/data/augment/settings.js';
import { checkpointRead, trainStateRead } from '../../src/train/checkpoint.js';
import { TRAIN_DEFAULTS, type TrainHyperParams } from '../../src/train/trainer.js';
import { TRAIN_RECIPES, trainRecipe } from '../../src/train/recipes.js';
import * as torch from '../../src/torch/torch.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-recipes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training recipes', () => {
  it("paper is the seed's settings: the trainer's defaults, no overrides", () => {
    expect(trainRecipe('paper')).toMatchObject({ hyper: {}, set: {} });
    expect(TRAIN_DEFAULTS).toMatchObject({ loss: 'mse', lr: 1e-3, lrSchedule: 'step', lrDecay: 0.98, lrDecayEpochs: 2, batch: 16, snrRangeDb: [-5, 0], talkerNoise: 0, augment: MIX_AUGMENT_NONE, level: 'global', gradClip: 0 });
  });

  it('v2 bundles the measured choices, and each call gets its own copy', () => {
    const r = trainRecipe('v2');
    expect(r.hyper).toMatchObject({ loss: 'mse', augment: MIX_AUGMENT_V2, snrRangeDb: [-10, 20], lrSchedule: 'plateau', lrDecay: 0.5, valSnrRangeDb: [-5, 5] });
    expect(r.set).toEqual({ gcrn: ['complex_mask=1'] });
    r.hyper.snrRangeDb![0] = 99;
    expect(trainRecipe('v2').hyper.snrRangeDb).toEqual([-10, 20]);
    expect(TRAIN_RECIPES.v2.hyper.snrRangeDb).toEqual([-10, 20]);
  });

  it('an unknown recipe names the choices', () => {
    expect(() => trainRecipe('best')).toThrow(UserError);
    expect(() => trainRecipe('best')).toThrow("--recipe must be one of paper, v2, got 'best'");
    expect(() => trainRecipe('toString')).toThrow(UserError);
  });
});

(torch.isTorchAvailable() ? describe : describe.skip)('train --recipe v2 through the CLI', () => {
  it('trains with the recipe, flags override it, and the run records it', async () => {
    const out = join(dir, 'gcrn-v2.safetensors');
    const io = capture();
    const code = await main([
      'node', 'hushpack', 'train', '--recipe', 'v2', '--arch', 'gcrn', '--preset', 'tiny', '--corpus', FIXTURE, '--out', out,
      '--epochs', '1', '--steps-per-epoch', '1', '--val-items', '2', '--lr-patience', '5', '--threads', '1', '--no-val-metrics', '--no-prefetch', '--json',
    ]);
    expect(code, io.err()).toBe(0);
    const ck = checkpointRead(out);
    expect(ck.config.hparams.complex_mask).toBe(1);
    expect(ck.metadata).toMatchObject({ recipe: 'v2', base_preset: 'tiny' });
    const hyper = (trainStateRead(`${out}.state`).state as { hyper: TrainHyperParams }).hyper;
    expect(hyper).toMatchObject({ lrSchedule: 'plateau', lrDecay: 0.5, snrRangeDb: [-10, 20], augment: MIX_AUGMENT_V2, valAugment: MIX_AUGMENT_NONE });
    expect(hyper.valItems).toBe(2); // the flag, not the recipe's 64
    expect(hyper.lrPatience).toBe(5);

    // an unknown recipe is refused before anything runs
    const io2 = capture();
    expect(await main(['node', 'hushpack', 'train', '--recipe', 'best', '--arch', 'gcrn', '--preset', 'tiny', '--corpus', FIXTURE, '--out', join(dir, 'x.safetensors'), '--epochs', '1'])).toBe(1);
    expect(io2.err()).toContain("--recipe must be one of paper, v2, got 'best'");
  }, 120_000);
});
