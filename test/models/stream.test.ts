/**
 * The libtorch per-frame networks (src/stream/) against the whole-utterance forward: for all
 * four architectures (tiny presets and a width/depth variant each, with random BatchNorm/LayerNorm
 * statistics and PReLU slopes), frame t of the stream equals frame t of net.forward in inference
 * mode within 1e-5 of the output's peak, and TorchStreamEnhancer.processBuffer (hop by hop with the
 * runtime's STFT / framing) equals enhanceWaveform within 1e-5 of the signal's peak. Skipped without
 * the libtorch addon (`npm run build:native`).
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import { ARCH_NAMES, presetConfig, type ArchConfig, type ArchName } from '../../src/models/index.js';
import { createNet, type Net } from '../../src/models/nets.js';
import { netStreamCreate, TorchStreamEnhancer } from '../../src/stream/index.js';
import { enhanceWaveform, featuresInput } from '../../src/train/features.js';
import { NUM_BINS } from '../../src/dsp/constants.js';
import { testSignal, testWeights, VARIANTS } from '../runtime/models.js';

const suite = torch.isTorchAvailable() ? describe : describe.skip;
const TOLERANCE = 1e-5;
/** 0.8 s, not a whole number of hops. */
const SIGNAL = testSignal(12_873);

/** Frame t of a [1, …] forward input/output (fdnn/lstm/tcnn: [1, T, F]; gcrn: [1, 2, T, 161] → re then im). */
function frameOf(arch: ArchName, data: Float32Array, frames: number, t: number): Float32Array {
  if (arch !== 'gcrn') {
    const f = data.length / frames;
    return data.slice(t * f, (t + 1) * f);
  }
  const out = new Float32Array(2 * NUM_BINS);
  out.set(data.subarray(t * NUM_BINS, (t + 1) * NUM_BINS));
  out.set(data.subarray((frames + t) * NUM_BINS, (frames + t + 1) * NUM_BINS), NUM_BINS);
  return out;
}

function peakDiff(a: Float32Array, ref: Float32Array): { diff: number; peak: number } {
  let diff = 0;
  let peak = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(a[i] - ref[i]);
    if (!(d <= diff)) diff = d;
    peak = Math.max(peak, Math.abs(ref[i]));
  }
  return { diff, peak };
}

function withNet(config: ArchConfig, fn: (net: Net) => void): void {
  const net = createNet(config, { weights: testWeights(config, 2) });
  try {
    fn(net);
  } finally {
    net.dispose();
  }
}

function checkFrames(net: Net): void {
  const arch = net.config.arch;
  const { input, output, frames } = torch.noGrad(() => torch.tidy(() => {
    const x = featuresInput(arch, SIGNAL);
    const y = net.forward(x, { training: false });
    return { input: x.contiguous().toFloat32Array(), output: y.contiguous().toFloat32Array(), frames: x.shape[arch === 'gcrn' ? 2 : 1] };
  }));
  const s = netStreamCreate(net);
  try {
    const streamed = new Float32Array(output.length);
    const per = output.length / frames;
    for (let t = 0; t < frames; t++) {
      const y = s.stepFrame(frameOf(arch, input, frames, t));
      expect(y.length).toBe(per);
      if (arch === 'gcrn') {
        streamed.set(y.subarray(0, NUM_BINS), t * NUM_BINS);
        streamed.set(y.subarray(NUM_BINS), (frames + t) * NUM_BINS);
      } else streamed.set(y, t * per);
    }
    const { diff, peak } = peakDiff(streamed, output);
    expect(peak).toBeGreaterThan(1e-3);
    expect(diff, `${arch}: max |Δ| ${diff} vs peak ${peak}`).toBeLessThanOrEqual(TOLERANCE * peak);
  } finally {
    s.dispose();
  }
}

function checkWaveform(net: Net): void {
  const ref = enhanceWaveform(net, SIGNAL);
  const e = new TorchStreamEnhancer(net);
  try {
    expect(e.latencySamples).toBe(320);
    const y = e.processBuffer(SIGNAL);
    const { diff, peak } = peakDiff(y, ref);
    expect(peak).toBeGreaterThan(1e-3);
    expect(diff, `${net.config.arch}: max |Δ| ${diff} vs peak ${peak}`).toBeLessThanOrEqual(TOLERANCE * peak);
    e.reset();
    expect(e.processBuffer(SIGNAL)).toEqual(y); // reset restores the start of a stream
  } finally {
    e.dispose();
  }
}

suite('libtorch per-frame stream = whole-utterance forward', () => {
  for (const arch of ARCH_NAMES) {
    it(`${arch} tiny: frames and waveform`, () => withNet(presetConfig(arch, 'tiny'), (net) => {
      checkFrames(net);
      checkWaveform(net);
    }));
    it(`${arch} variant: frames`, () => withNet(VARIANTS[arch], checkFrames));
  }

  it('keeps exactly the state each architecture needs', () => {
    const sizes: Record<string, { tensors: number; elements: number }> = {};
    for (const config of [presetConfig('fdnn', 'tiny'), presetConfig('lstm', 'tiny'), VARIANTS.tcnn, presetConfig('gcrn', 'tiny')]) {
      withNet(config, (net) => {
        const s = netStreamCreate(net);
        s.stepFrame(new Float32Array(s.frameValues));
        sizes[config.arch] = s.stateSize;
        s.dispose();
      });
    }
    expect(sizes.fdnn).toEqual({ tensors: 0, elements: 0 });
    expect(sizes.lstm).toEqual({ tensors: 2, elements: 2 * 1 * 8 }); // h, c [1 layer, 1, 8 units]
    // variant TCNN: 3 encoder convs + 3 decoder deconvs with 2 frames of history, 4 depthwise convs (k = 2) with d = 1 or 4
    // widths 320 → 160 → 79 → 39; encoder inputs 1×320, 2×160, 3×79; decoder inputs (C_j + D_{j+1})×W_{j+1}:
    // 4×160, 6×79, 8×39 (8 = 4 encoder + 4 TCM channels)
    const enc = 2 * (1 * 320 + 2 * 160 + 3 * 79);
    const dec = 2 * (4 * 160 + 6 * 79 + 8 * 39);
    const tcm = 2 * 6 * (1 + 4);
    expect(sizes.tcnn).toEqual({ tensors: 10, elements: enc + dec + tcm });
    // GCRN: time kernels of 1 → only the grouped LSTM's h, c: 2 layers × 2 groups × (h, c) of F/G = 4·4/2 = 8 units
    expect(sizes.gcrn).toEqual({ tensors: 8, elements: 8 * 8 });
  });
});
