/**
 * A libtorch network run one frame at a time, batch 1: the Net's weights (read-only, shared with
 * the Net), a StreamState (h/c, conv histories) and the arch's step function. Frame t of the stream
 * equals frame t of the whole-utterance `net.forward(…, { training: false })` on the same inputs
 * (test/models/stream.test.ts: within 1e-5 of the output's peak for all four architectures).
 *
 *   const s = netStreamCreate(net);
 *   for (const frame of frames) out = s.stepFrame(frame);   // one frame in → one frame out
 *   s.dispose();                                             // frees state; the Net stays
 *
 * Frame layouts (the forward's with B = T = 1): fdnn, lstm 161 magnitudes; tcnn 320 samples;
 * gcrn 161 real parts then 161 imaginary parts. Output: the forward's output frame, same layouts.
 */
import * as torch from '../../train/torch.js';
import { featureInputShape } from '../../train/features.js';
import type { ArchConfig } from '../config.js';
import type { Net } from '../net.js';
import { fdnnHParams } from '../fdnnLayout.js';
import { lstmHParams } from '../lstmLayout.js';
import { tcnnHParams } from '../tcnnLayout.js';
import { gcrnHParams } from '../gcrnLayout.js';
import type { Tensor } from '../../train/torch.js';
import { fdnnStreamStep } from './fdnn.js';
import { lstmStreamStep } from './lstm.js';
import { tcnnStreamStep } from './tcnn.js';
import { gcrnStreamStep } from './gcrn.js';
import { StreamState } from './state.js';
import { StreamWeights } from './weights.js';

/** A Net bound to one stream's state (see the file comment). */
export interface NetStream {
  readonly config: ArchConfig;
  /** Values per input frame and per output frame. */
  readonly frameValues: number;
  /** One frame through the network (inference mode, no autograd); the result is a fresh array. */
  stepFrame(frame: Float32Array): Float32Array;
  /** State tensors and their elements. */
  readonly stateSize: { tensors: number; elements: number };
  /** Back to the start of a stream (zero history). */
  reset(): void;
  /** Frees the state and the derived weights (the Net is not disposed). */
  dispose(): void;
}

/** The arch's step bound to its validated hyper-parameters. */
function stepFunction(config: ArchConfig): (w: StreamWeights, st: StreamState, x: Tensor) => Tensor {
  switch (config.arch) {
    case 'fdnn': {
      const hp = fdnnHParams(config);
      return (w, _st, x) => fdnnStreamStep(w, hp, x);
    }
    case 'lstm': {
      const hp = lstmHParams(config);
      return (w, st, x) => lstmStreamStep(w, hp, st, x);
    }
    case 'tcnn': {
      const hp = tcnnHParams(config);
      return (w, st, x) => tcnnStreamStep(w, hp, st, x);
    }
    case 'gcrn': {
      const hp = gcrnHParams(config);
      return (w, st, x) => gcrnStreamStep(w, hp, st, x);
    }
  }
}

/** Binds `net` to a fresh stream state. */
export function netStreamCreate(net: Net): NetStream {
  const weights = new StreamWeights((name) => {
    const t = net.tensors.get(name);
    if (t === undefined) throw new Error(`${net.config.arch}: no tensor named ${name}`);
    return t;
  });
  const state = new StreamState();
  const step = stepFunction(net.config);
  const shape = featureInputShape(net.config.arch, 1, 1);
  const frameValues = shape.reduce((a, b) => a * b, 1);
  return {
    config: net.config,
    frameValues,
    stepFrame(frame) {
      if (frame.length !== frameValues) throw new RangeError(`${net.config.arch} stream: a frame has ${frameValues} values, got ${frame.length}`);
      return torch.noGrad(() => torch.tidy(() => step(weights, state, torch.tensor(frame, shape)).contiguous().toFloat32Array()));
    },
    get stateSize() {
      return state.size;
    },
    reset: () => state.reset(),
    dispose: () => {
      state.dispose();
      weights.dispose();
    },
  };
}
