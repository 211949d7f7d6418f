/**
 * Smoke training of the two separation nets (issue 16, slice 2): the tiny configurations train for
 * 20 AMSGrad steps on one minibatch of two-talker mixtures from the fixture corpus (twoTalkerAt,
 * 8 kHz, 0.5-s crops) with their uPIT losses — negative SI-SNR for Conv-TasNet, the phase-sensitive
 * mask MSE for uPIT-LSTM — and the loss must go down. One libtorch thread. Skipped without the addon.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import { openCorpus } from '../../src/data/corpus.js';
import { twoTalkerAt } from '../../src/data/separation/twoTalker.js';
import { CONV_TASNET_TINY, UPIT_LSTM_TINY } from '../../src/models/separation/presets.js';
import { createSeparationNet, type SeparationNet } from '../../src/models/separation/net.js';
import { pitMaskMseLoss, pitSiSnrLoss, psaTarget } from '../../src/models/separation/pit.js';
import { upitStftAnalyze } from '../../src/models/separation/upitStft.js';

const available = torch.isTorchAvailable();
const suite = available ? describe : describe.skip;

/** Mixtures per minibatch, samples per crop (0.5 s at 8 kHz), optimiser steps. */
const BATCH = 4;
const CROP_SAMPLES = 4000;
const STEPS = 20;

/** BATCH mixtures of the fixture's train split, cropped (or zero-padded) to CROP_SAMPLES: mix [B·S], refs [B·2·S]. */
function minibatch(): { mix: Float32Array; refs: Float32Array } {
  const corpus = openCorpus('test/fixtures/corpus');
  const mix = new Float32Array(BATCH * CROP_SAMPLES);
  const refs = new Float32Array(BATCH * 2 * CROP_SAMPLES);
  for (let b = 0; b < BATCH; b++) {
    const m = twoTalkerAt(corpus, { split: 'train', index: b, seed: 3 });
    const n = Math.min(CROP_SAMPLES, m.mix.length);
    mix.set(m.mix.subarray(0, n), b * CROP_SAMPLES);
    refs.set(m.s1.subarray(0, n), (2 * b) * CROP_SAMPLES);
    refs.set(m.s2.subarray(0, n), (2 * b + 1) * CROP_SAMPLES);
  }
  return { mix, refs };
}

/** Trains `net` for STEPS steps on `loss` and returns the loss of every step. */
function train(net: SeparationNet, loss: () => torch.Tensor): number[] {
  const opt = new torch.Adam(net.parameters(), { lr: 5e-3 });
  const out: number[] = [];
  try {
    for (let i = 0; i < STEPS; i++) {
      torch.tidy(() => {
        opt.zeroGrad();
        const l = loss();
        l.backward();
        opt.step();
        out.push(l.item());
      });
    }
  } finally {
    opt.dispose();
  }
  return out;
}

suite('separation nets: smoke training on two-talker mixtures', () => {
  let threads = 1;
  const data = minibatch();
  beforeAll(() => {
    threads = torch.getNumThreads();
    torch.setNumThreads(1);
  });
  afterAll(() => torch.setNumThreads(threads));

  it(`Conv-TasNet tiny: negative SI-SNR goes down in ${STEPS} steps`, () => {
    const net = createSeparationNet({ arch: 'conv-tasnet', hp: CONV_TASNET_TINY }, { seed: 1 });
    try {
      const losses = train(net, () => {
        const est = net.forward(torch.tensor(data.mix, [BATCH, CROP_SAMPLES]), { training: true });
        return pitSiSnrLoss(est, torch.tensor(data.refs, [BATCH, 2, CROP_SAMPLES])).loss;
      });
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[STEPS - 1]).toBeLessThan(losses[0] - 1); // at least 1 dB of SI-SNR
    } finally {
      net.dispose();
    }
  });

  it(`uPIT-LSTM tiny: the phase-sensitive PIT loss goes down in ${STEPS} steps`, () => {
    const h = UPIT_LSTM_TINY;
    const spec = (x: Float32Array) => upitStftAnalyze(h, x);
    const frames = spec(data.mix.subarray(0, CROP_SAMPLES)).frames;
    const size = frames * h.bins;
    const [mixRe, mixIm] = [new Float32Array(BATCH * size), new Float32Array(BATCH * size)];
    const [srcRe, srcIm] = [new Float32Array(BATCH * 2 * size), new Float32Array(BATCH * 2 * size)];
    for (let b = 0; b < BATCH; b++) {
      const m = spec(data.mix.subarray(b * CROP_SAMPLES, (b + 1) * CROP_SAMPLES));
      mixRe.set(m.re, b * size);
      mixIm.set(m.im, b * size);
      for (let s = 0; s < 2; s++) {
        const r = spec(data.refs.subarray((2 * b + s) * CROP_SAMPLES, (2 * b + s + 1) * CROP_SAMPLES));
        srcRe.set(r.re, (2 * b + s) * size);
        srcIm.set(r.im, (2 * b + s) * size);
      }
    }
    const net = createSeparationNet({ arch: 'upit-lstm', hp: h }, { seed: 1 });
    try {
      const losses = train(net, () => {
        const yr = torch.tensor(mixRe, [BATCH, frames, h.bins]);
        const yi = torch.tensor(mixIm, [BATCH, frames, h.bins]);
        const mag = yr.square().add(yi.square()).sqrt();
        const target = psaTarget(yr, yi, torch.tensor(srcRe, [BATCH, 2, frames, h.bins]), torch.tensor(srcIm, [BATCH, 2, frames, h.bins]));
        return pitMaskMseLoss(net.forward(mag, { training: true }), mag, target).loss;
      });
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[STEPS - 1]).toBeLessThan(0.8 * losses[0]);
    } finally {
      net.dispose();
    }
  });
});
