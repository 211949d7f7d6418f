/**
 * The libtorch backend of a separation checkpoint (src/train/separation/checkpoint.ts): the
 * whole-utterance forward of src/train/separation/objective.ts separationSeparate. Imported only
 * when a `.safetensors` separation model is opened (./backendSeparation.ts), like ./backendTorch.ts.
 */
import { UserError } from '../errors.js';
import { SEPARATION_SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { isTorchAvailable, ADDON_MISSING_MESSAGE } from '../torch/torch.js';
import { separationNetFromCheckpoint } from '../train/separation/checkpoint.js';
import { separationSeparate } from '../train/separation/objective.js';
import type { SeparateBackend } from './backendSeparation.js';

/** Opens the libtorch backend of a separation checkpoint (UserError without libtorch or for another file). */
export function separateTorchBackend(path: string): SeparateBackend {
  if (!isTorchAvailable()) throw new UserError(`${path}: a .safetensors separation model needs libtorch; ${ADDON_MISSING_MESSAGE}`);
  const { net, config, preset } = separationNetFromCheckpoint(path);
  return {
    kind: 'libtorch',
    model: `${config.arch}${preset ? ` ${preset}` : ''}`,
    arch: config.arch,
    preset,
    speakers: config.hp.speakers,
    sampleRateHz: SEPARATION_SAMPLE_RATE_HZ,
    process: (x) => separationSeparate(net, x),
    close: () => net.dispose(),
  };
}
