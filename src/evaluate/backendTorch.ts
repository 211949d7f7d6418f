/**
 * The libtorch backend of a `.safetensors` checkpoint (whole-utterance forward,
 * src/train/features.ts enhanceWaveform): the offline reference path that the WASM parity tests
 * aim at. Kept apart from ./backend.ts and imported only when a `.safetensors` model is opened, so
 * that enhancing a `.hush` model never loads training code (a runtime-only install has none).
 */
import { UserError } from '../errors.js';
import { isTorchAvailable, ADDON_MISSING_MESSAGE } from '../torch/torch.js';
import { netFromCheckpoint } from '../train/checkpoint.js';
import { enhanceWaveform } from '../train/features.js';
import type { EnhanceBackend } from './backend.js';

/** Opens the libtorch backend of a `.safetensors` checkpoint (UserError without libtorch). */
export function torchBackend(path: string): EnhanceBackend {
  if (!isTorchAvailable()) throw new UserError(`${path}: enhancing with a .safetensors checkpoint needs libtorch; ${ADDON_MISSING_MESSAGE}`);
  const { net, checkpoint } = netFromCheckpoint(path);
  return {
    kind: 'libtorch',
    model: `${checkpoint.config.arch}${checkpoint.preset ? ` ${checkpoint.preset}` : ''}`,
    arch: checkpoint.config.arch,
    preset: checkpoint.preset,
    inputLevel: 'unit-rms',
    process: (x) => enhanceWaveform(net, x),
    close: () => net.dispose(),
  };
}
