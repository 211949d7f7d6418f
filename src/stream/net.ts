/**
 * A libtorch network run one frame at a time, batch 1: the Net's weights (read-only, shared with
 * the Net), a StreamState (h/c, conv histories) and the arch's stages (src/models/stages.ts, the
 * same forward as the Net's) over the streaming layer ops. Frame t of the stream
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
import * as torch from '../torch/torch.js';
import { featureInputShape } from '../train/features.js';
import type { ArchConfig } from '../models/config.js';
import type { Net } from '../models/net.js';
import { stagedNet, type StageState } from '../models/stages.js';
import { streamOps } from './layers.js';
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

/** Binds `net` to a fresh stream state. */
export function netStreamCreate(net: Net): NetStream {
  const weights = new StreamWeights((name) => {
    const t = net.tensors.get(name);
    if (t === undefined) throw new Error(`${net.config.arch}: no tensor named ${name}`);
    return t;
  });
  const state = new StreamState();
  const { stages } = stagedNet(net.config);
  const ops = streamOps(weights, state);
  const shape = featureInputShape(net.config.arch, 1, 1);
  const frameValues = shape.reduce((a, b) => a * b, 1);
  return {
    config: net.config,
    frameValues,
    stepFrame(frame) {
      if (frame.length !== frameValues) throw new RangeError(`${net.config.arch} stream: a frame has ${frameValues} values, got ${frame.length}`);
      return torch.noGrad(() => torch.tidy(() => {
        let s: StageState = { x: torch.tensor(frame, shape) };
        for (const stage of stages) s = stage.run(ops, s);
        return s.x.contiguous().toFloat32Array();
      }));
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
