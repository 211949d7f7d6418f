/**
 * Training features/targets and the output transforms (src/train/features.ts): the targets are
 * the paper's definitions on the src/dsp STFT, oracle outputs invert to the clean speech (or
 * improve on the mixture where the output keeps the noisy phase), the in-graph TCNN overlap-add
 * and loss agree with the host overlap-add, and the whole-utterance path agrees with the batch path.
 * The libtorch parts are skipped when the addon is not built.
 */
import { describe, expect, it } from 'vitest';
import { openCorpus } from '../../src/data/corpus.js';
import { mixtureAt } from '../../src/data/mixer.js';
import { NUM_BINS, WINDOW_SAMPLES } from '../../src/dsp/constants.js';
import { frameCount, frameSignal, overlapAdd } from '../../src/dsp/framing.js';
import { stftAnalyze } from '../../src/dsp/stft.js';
import { ARCH_NAMES, presetConfig } from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import * as torch from '../../src/torch/torch.js';
import {
  enhanceWaveform, featuresBatch, framesOverlapAdd, lossCompute, outputWaveforms, type TrainPair,
} from '../../src/train/features.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const torchIt = torch.isTorchAvailable() ? it : it.skip;

/** Two 1-s validation mixtures of the fixture corpus (unit-RMS mixtures, SNR in [−5, 0] dB). */
function pairs(n = 2, seconds = 1): TrainPair[] {
  const corpus = openCorpus(FIXTURE);
  return Array.from({ length: n }, (_, i) => {
    const m = mixtureAt(corpus, { split: 'validation', index: i, seed: 7, seconds });
    return { mixture: m.mixture, clean: m.clean };
  });
}

/** SNR (dB) of `est` against `ref`. */
function snrDb(ref: ArrayLike<number>, est: ArrayLike<number>): number {
  let s = 0;
  let e = 0;
  for (let i = 0; i < ref.length; i++) {
    s += ref[i] * ref[i];
    e += (ref[i] - est[i]) ** 2;
  }
  return 10 * Math.log10(s / e);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('featuresBatch', () => {
  const ps = pairs();
  const L = ps[0].mixture.length;
  const T = frameCount(L);

  it('gives the documented shapes for every architecture', () => {
    for (const arch of ARCH_NAMES) {
      const b = featuresBatch(arch, ps);
      const inShape = arch === 'gcrn' ? [2, 2, T, NUM_BINS] : arch === 'tcnn' ? [2, T, WINDOW_SAMPLES] : [2, T, NUM_BINS];
      expect(b.inputShape).toEqual(inShape);
      expect(b.targetShape).toEqual(arch === 'tcnn' ? [2, L] : inShape);
      expect(b.input.length).toBe(inShape.reduce((x, y) => x * y, 1));
      expect(b.target.length).toBe(b.targetShape.reduce((x, y) => x * y, 1));
    }
  });

  it('FDNN: input |Y|, target the IRM of eq. (12), in [0, 1]', () => {
    const b = featuresBatch('fdnn', ps);
    const y = stftAnalyze(ps[1].mixture);
    const s = stftAnalyze(ps[1].clean);
    const noise = Float64Array.from(ps[1].mixture, (v, i) => v - ps[1].clean[i]);
    const n = stftAnalyze(noise);
    const off = T * NUM_BINS;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < b.target.length; i++) {
      lo = Math.min(lo, b.target[i]);
      hi = Math.max(hi, b.target[i]);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThan(0.9); // speech-dominated units exist
    for (const i of [0, 17, 5 * NUM_BINS + 3, T * NUM_BINS - 1]) {
      expect(b.input[off + i]).toBeCloseTo(Math.hypot(y.re[i], y.im[i]), 4);
      const ps2 = s.re[i] ** 2 + s.im[i] ** 2;
      const pn2 = n.re[i] ** 2 + n.im[i] ** 2;
      expect(b.target[off + i]).toBeCloseTo(Math.sqrt(ps2 / (ps2 + pn2)), 5);
    }
  });

  it('LSTM: target |S|; GCRN: input (Re Y, Im Y), target exactly the STFT of the clean speech', () => {
    const l = featuresBatch('lstm', ps);
    const g = featuresBatch('gcrn', ps);
    const s = stftAnalyze(ps[0].clean);
    const y = stftAnalyze(ps[0].mixture);
    const n = T * NUM_BINS;
    expect(maxAbsDiff(g.target.subarray(0, n), Float32Array.from(s.re))).toBe(0);
    expect(maxAbsDiff(g.target.subarray(n, 2 * n), Float32Array.from(s.im))).toBe(0);
    expect(maxAbsDiff(g.input.subarray(0, n), Float32Array.from(y.re))).toBe(0);
    expect(maxAbsDiff(g.input.subarray(n, 2 * n), Float32Array.from(y.im))).toBe(0);
    const mag = Float32Array.from({ length: n }, (_, i) => Math.hypot(s.re[i], s.im[i]));
    expect(maxAbsDiff(l.target.subarray(0, n), mag)).toBe(0);
  });

  it('TCNN: input the frames of y, target the clean waveform', () => {
    const b = featuresBatch('tcnn', ps);
    expect(maxAbsDiff(b.input.subarray(0, T * WINDOW_SAMPLES), Float32Array.from(frameSignal(ps[0].mixture).data))).toBe(0);
    expect(maxAbsDiff(b.target.subarray(L, 2 * L), ps[1].clean)).toBe(0);
  });

  it('oracle outputs: GCRN and TCNN invert to the clean speech, FDNN (IRM) and LSTM (|S|, noisy phase) beat the mixture', () => {
    const mixtures = ps.map((p) => p.mixture);
    for (const arch of ['gcrn', 'tcnn'] as const) {
      const b = featuresBatch(arch, ps);
      // TCNN's oracle output is the clean signal's frames (the network output layout), not the waveform target.
      const oracle = arch === 'tcnn' ? Float32Array.from([...ps].flatMap((p) => [...frameSignal(p.clean).data])) : b.target;
      const out = outputWaveforms(arch, oracle, mixtures, L);
      out.forEach((e, i) => expect(maxAbsDiff(e, ps[i].clean)).toBeLessThan(1e-5));
    }
    for (const arch of ['fdnn', 'lstm'] as const) {
      const b = featuresBatch(arch, ps);
      const out = outputWaveforms(arch, b.target, mixtures, L);
      out.forEach((e, i) => {
        expect(e.length).toBe(L);
        expect(snrDb(ps[i].clean, e)).toBeGreaterThan(snrDb(ps[i].clean, ps[i].mixture) + 5);
      });
    }
  });
});

describe('libtorch side', () => {
  torchIt('TCNN loss: in-graph overlap-add with the ½ rule equals src/dsp overlapAdd, MSE over samples', () => {
    const ps = pairs(2, 0.37); // 5920 samples: not a multiple of the hop
    const L = ps[0].mixture.length;
    const b = featuresBatch('tcnn', ps);
    const T = frameCount(L);
    const frames = Float32Array.from({ length: 2 * T * WINDOW_SAMPLES }, (_, i) => Math.sin(i * 0.37) * 0.5);
    torch.tidy(() => {
      const f = torch.tensor(frames, [2, T, WINDOW_SAMPLES]);
      const y = framesOverlapAdd(f, L).toFloat32Array();
      const host = [0, 1].map((k) => overlapAdd(frames.subarray(k * T * WINDOW_SAMPLES, (k + 1) * T * WINDOW_SAMPLES), T, L));
      expect(maxAbsDiff(y.subarray(0, L), host[0])).toBeLessThan(1e-6);
      expect(maxAbsDiff(y.subarray(L), host[1])).toBeLessThan(1e-6);
      let se = 0;
      for (let k = 0; k < 2; k++) for (let n = 0; n < L; n++) se += (host[k][n] - b.target[k * L + n]) ** 2;
      const loss = lossCompute('tcnn', f, torch.tensor(b.target, b.targetShape)).item();
      expect(loss).toBeCloseTo(se / (2 * L), 6);
    });
  });

  torchIt('enhanceWaveform: same length, and equal to the batched validation path, for all four nets', () => {
    const ps = pairs(2, 0.5);
    for (const arch of ARCH_NAMES) {
      const net = createNet(presetConfig(arch, 'tiny'), { seed: 3 });
      try {
        const single = enhanceWaveform(net, ps[1].mixture);
        expect(single.length).toBe(ps[1].mixture.length);
        expect(single.every(Number.isFinite)).toBe(true);
        const b = featuresBatch(arch, ps);
        const out = torch.noGrad(() =>
          torch.tidy(() => net.forward(torch.tensor(b.input, b.inputShape), { training: false }).contiguous().toFloat32Array()),
        );
        const batched = outputWaveforms(arch, out, ps.map((p) => p.mixture), b.length);
        expect(maxAbsDiff(single, batched[1])).toBeLessThan(1e-4);
        expect(enhanceWaveform(net, new Float32Array(0)).length).toBe(0);
        expect(enhanceWaveform(net, new Float32Array(100)).length).toBe(100); // shorter than a window
      } finally {
        net.dispose();
      }
    }
  });
});
