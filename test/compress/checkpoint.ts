/** Checkpoints for the compression tests: tiny networks saved the way the trainer saves them. */
import { presetConfig, type ArchName } from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import { checkpointWrite } from '../../src/train/checkpoint.js';
import { TRAIN_DEFAULTS, type TrainHyperParams } from '../../src/train/trainer.js';

/**
 * Writes the tiny preset of `arch` (random initialisation from `seed`) to `path` with the metadata
 * the trainer writes after epoch 1 of `training.stepsPerEpoch` steps: arch, preset, hparams, config,
 * training (TRAIN_DEFAULTS with `training` over it), epoch, step, then `extra` (e.g. val). Returns `path`.
 */
export function tinyCheckpointWrite(
  path: string,
  arch: ArchName,
  seed: number,
  training: Partial<TrainHyperParams> & Pick<TrainHyperParams, 'stepsPerEpoch'>,
  extra: Record<string, string> = {},
): string {
  const config = presetConfig(arch, 'tiny');
  const net = createNet(config, { seed });
  checkpointWrite(path, net, {
    arch, preset: 'tiny', hparams: JSON.stringify(config.hparams), config: JSON.stringify(config),
    training: JSON.stringify({ ...TRAIN_DEFAULTS, ...training }), epoch: '1', step: String(training.stepsPerEpoch),
    ...extra,
  });
  net.dispose();
  return path;
}
