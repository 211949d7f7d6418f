/**
 * Training losses (src/train/loss.ts): each equals its definition computed on the host in float64
 * from the spectra (compressed loss for gcrn's complex output and for the fdnn/lstm magnitude
 * models with the noisy phase; SNR for tcnn), is 0 for the oracle output, keeps finite gradients
 * at a zero output, and the targets have the documented layout. Rejections name the problem.
 */
import { describe, expect, it } from 'vitest';
import { openCorpus } from '../../src/data/corpus.js';
import { mixtureAt } from '../../src/data/mixer.js';
import { NUM_BINS } from '../../src/dsp/constants.js';
import { frameCount } from '../../src/dsp/framing.js';
import { stftAnalyze } from '../../src/dsp/stft.js';
import { featuresBatch, framesOverlapAdd, lossCompute, type TrainPair } from '../../src/train/features.js';
import { COMPRESSED_COMPLEX_WEIGHT, COMPRESSED_POWER, snrLoss, trainLossCheck } from '../../src/train/loss.js';
import * as torch from '../../src/torch/torch.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const torchIt = torch.isTorchAvailable() ? it : it.skip;
const C = COMPRESSED_POWER;
const A = COMPRESSED_COMPLEX_WEIGHT;

function pairs(n = 2, seconds = 0.5): TrainPair[] {
  const corpus = openCorpus(FIXTURE);
  return Array.from({ length: n }, (_, i) => {
    const m = mixtureAt(corpus, { split: 'validation', index: i, seed: 11, seconds });
    return { mixture: m.mixture, clean: m.clean };
  });
}

/** Host compressed loss of complex estimates (re, im per unit) against complex targets. */
function hostCompressed(eRe: number[], eIm: number[], sRe: number[], sIm: number[]): number {
  let cplx = 0;
  let mag = 0;
  for (let i = 0; i < eRe.length; i++) {
    const em = Math.hypot(eRe[i], eIm[i]);
    const sm = Math.hypot(sRe[i], sIm[i]);
    const ec = em ** C;
    const sc = sm ** C;
    const er = em > 0 ? (eRe[i] / em) * ec : 0;
    const ei = em > 0 ? (eIm[i] / em) * ec : 0;
    const sr = sm > 0 ? (sRe[i] / sm) * sc : 0;
    const si = sm > 0 ? (sIm[i] / sm) * sc : 0;
    cplx += (er - sr) ** 2 + (ei - si) ** 2;
    mag += (ec - sc) ** 2;
  }
  // The gcrn loss takes the mean over both planes' units for the complex term (two mse means).
  return (A * cplx) / eRe.length + ((1 - A) * mag) / eRe.length;
}

describe('trainLossCheck', () => {
  it('accepts the documented pairs and names the problem otherwise', () => {
    expect(trainLossCheck('gcrn', 'compressed')).toBe('compressed');
    expect(trainLossCheck('tcnn', 'snr')).toBe('snr');
    expect(trainLossCheck('fdnn', 'mse')).toBe('mse');
    expect(() => trainLossCheck('tcnn', 'compressed')).toThrow(/tcnn takes 'mse' or 'snr'/);
    expect(() => trainLossCheck('gcrn', 'snr')).toThrow(/time-domain tcnn/);
    expect(() => trainLossCheck('lstm', 'l1')).toThrow(/unknown loss 'l1'/);
  });
});

describe('compressed-loss targets', () => {
  it('fdnn/lstm: planes |S|, |Y|, cos(∠S − ∠Y); gcrn unchanged; inputs never depend on the loss', () => {
    const ps = pairs();
    const T = frameCount(ps[0].mixture.length);
    for (const arch of ['fdnn', 'lstm'] as const) {
      const b = featuresBatch(arch, ps, 'compressed');
      expect(b.loss).toBe('compressed');
      expect(b.targetShape).toEqual([2, 3, T, NUM_BINS]);
      expect(b.input).toEqual(featuresBatch(arch, ps).input);
      const s = stftAnalyze(ps[1].clean);
      const y = stftAnalyze(ps[1].mixture);
      const n = T * NUM_BINS;
      const at = 3 * n;
      for (const i of [0, 17, 500, n - 1]) {
        const sm = Math.hypot(s.re[i], s.im[i]);
        const ym = Math.hypot(y.re[i], y.im[i]);
        expect(b.target[at + i]).toBeCloseTo(sm, 5);
        expect(b.target[at + n + i]).toBeCloseTo(ym, 5);
        expect(b.target[at + 2 * n + i]).toBeCloseTo((s.re[i] * y.re[i] + s.im[i] * y.im[i]) / (sm * ym), 5);
      }
    }
    expect(featuresBatch('gcrn', ps, 'compressed').target).toEqual(featuresBatch('gcrn', ps).target);
  });
});

describe('loss values (libtorch)', () => {
  torchIt('gcrn compressed loss equals the host definition, is 0 at the oracle, and has finite gradients at a zero output', () => {
    const ps = pairs(1, 0.3);
    const b = featuresBatch('gcrn', ps, 'compressed');
    const n = b.target.length / 2;
    const est = Float32Array.from(b.input); // the noisy spectrum as the "estimate"
    torch.tidy(() => {
      const y = torch.tensor(b.target, b.targetShape);
      const loss = lossCompute('gcrn', torch.tensor(est, b.inputShape), y, 'compressed').item();
      const host = hostCompressed(
        Array.from(est.subarray(0, n)), Array.from(est.subarray(n)), Array.from(b.target.subarray(0, n)), Array.from(b.target.subarray(n)),
      );
      expect(loss).toBeGreaterThan(0);
      expect(Math.abs(loss - host) / host).toBeLessThan(1e-3);
      expect(lossCompute('gcrn', torch.tensor(b.target, b.targetShape), y, 'compressed').item()).toBeLessThan(1e-9);
      const zero = torch.zeros(b.inputShape, { requiresGrad: true });
      lossCompute('gcrn', zero, y, 'compressed').backward();
      expect(zero.grad!.toFloat32Array().every(Number.isFinite)).toBe(true);
    });
  });

  torchIt('fdnn and lstm compressed losses equal the host definition with the noisy phase', () => {
    const ps = pairs(1, 0.3);
    const s = stftAnalyze(ps[0].clean);
    const y = stftAnalyze(ps[0].mixture);
    const n = s.frames * NUM_BINS;
    const mask = Float32Array.from({ length: n }, (_, i) => 0.2 + 0.6 * Math.abs(Math.sin(i * 0.13)));
    // lstm: estimate magnitude = mask·|Y| given directly; fdnn: the mask itself
    const eMag = Array.from({ length: n }, (_, i) => Math.fround(mask[i]) * Math.fround(Math.hypot(y.re[i], y.im[i])));
    const yMag = Array.from({ length: n }, (_, i) => Math.hypot(y.re[i], y.im[i]));
    const eRe = eMag.map((m, i) => (yMag[i] > 0 ? (m * y.re[i]) / yMag[i] : m));
    const eIm = eMag.map((m, i) => (yMag[i] > 0 ? (m * y.im[i]) / yMag[i] : 0));
    const host = hostCompressed(eRe, eIm, Array.from(s.re), Array.from(s.im));
    torch.tidy(() => {
      for (const arch of ['fdnn', 'lstm'] as const) {
        const b = featuresBatch(arch, ps, 'compressed');
        const out = arch === 'fdnn' ? mask : Float32Array.from(eMag);
        const loss = lossCompute(arch, torch.tensor(out, b.inputShape), torch.tensor(b.target, b.targetShape), 'compressed').item();
        expect(Math.abs(loss - host) / host).toBeLessThan(2e-3);
      }
    });
  });

  torchIt('tcnn snr loss is −SNR in dB, averaged over the batch; mse is unchanged', () => {
    const ps = pairs(2, 0.25);
    const L = ps[0].mixture.length;
    torch.tidy(() => {
      const target = torch.tensor(Float32Array.from([...ps[0].clean, ...ps[1].clean]), [2, L]);
      const estimate = target.mul(0.5); // error = 0.5·s: SNR = 10·log10(1/0.25) = 6.0206 dB
      expect(snrLoss(estimate, target).item()).toBeCloseTo(-10 * Math.log10(4), 4);
      const b = featuresBatch('tcnn', ps, 'snr');
      const frames = torch.tensor(b.input, b.inputShape); // the noisy frames: SNR of the mixtures
      const l = lossCompute('tcnn', frames, torch.tensor(b.target, b.targetShape), 'snr').item();
      const wave = framesOverlapAdd(frames, L).toFloat32Array();
      let want = 0;
      for (let k = 0; k < 2; k++) {
        let se = 0;
        let ee = 0;
        for (let i = 0; i < L; i++) {
          se += ps[k].clean[i] ** 2;
          ee += (wave[k * L + i] - ps[k].clean[i]) ** 2;
        }
        want += -10 * Math.log10(se / ee) / 2;
      }
      expect(l).toBeCloseTo(want, 3);
    });
  });
});
