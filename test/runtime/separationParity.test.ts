/**
 * The runtime backbone (STYLE.md §3) for the separation nets, streamed in WASM at 8 kHz, against the
 * libtorch whole-utterance forward on the same weights, for both speakers, to max |Δ| ≤ 1e-4 × the
 * reference's peak once the declared delay is skipped — as the enhancement nets' parity
 * (./parity.test.ts):
 *   causal Conv-TasNet (assembly/nets/conv-tasnet.ts, 10-ms hops of 80 samples = 10 encoder frames;
 *     src/models/separation/convTasNet.ts) — the streamed cLN carries running sums across hops, so
 *     a 1-s signal checks the streamed normalisation against the offline cumulative one over 100 hops;
 *   uPIT-LSTM (assembly/nets/upit-lstm.ts on dsp/stft-sized.ts; reference: upitStftAnalyze →
 *     src/models/separation/upitLstm.ts masks → mask·Y → upitStftSynthesize).
 * Tiny and edge presets, PyTorch-default random weights, dense f32 and k-means (K = 16; the
 * reference runs on the decoded weights), both WASM builds and both plans.
 * Skipped without the libtorch addon (`npm run build:native`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isTorchAvailable } from '../../src/torch/torch.js';
import { readHush } from '../../src/format/reader.js';
import { hushTensorDense } from '../../src/format/tensor.js';
import { writeHush } from '../../src/format/writer.js';
import { createSeparationNet, type SeparationConfig } from '../../src/models/separation/net.js';
import { separationHushModel, type SeparationEncoding } from '../../src/compress/separationExport.js';
import { CONV_TASNET_PRESETS, CONV_TASNET_TINY, UPIT_LSTM_PRESETS, UPIT_LSTM_TINY } from '../../src/models/separation/presets.js';
import { Separator } from '../../runtime/core/separator.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import { maxAbsDiff } from './harness.js';
import { separationDelay, separationReference } from './separationReference.js';
import { testSignal } from './models.js';
import { runtimeWasm, type Flavor } from './wasm.js';

const suite = isTorchAvailable() ? describe : describe.skip;

/** 1.02 s at 8 kHz, not a whole number of hops (the tail handling is exercised too). */
const SIGNAL = testSignal(8_179);
const TOLERANCE = 1e-4;

const table: string[] = [];
afterAll(() => {
  if (table.length > 0) console.log(`max |wasm − libtorch| / peak, worst speaker (simd fast, simd compact, scalar fast, scalar compact):\n${table.join('\n')}`);
});

/** The .hush bytes of a PyTorch-default initialised net (seed 7) in `encoding`. */
function modelBytes(config: SeparationConfig, encoding: SeparationEncoding): Uint8Array {
  const net = createSeparationNet(config, { seed: 7 });
  try {
    const weights = new Map([...net.tensors].map(([name, t]) => [name, { shape: t.shape, data: t.toFloat32Array() }]));
    return writeHush(separationHushModel(config, weights, encoding));
  } finally {
    net.dispose();
  }
}

/** libtorch on the weights the file stores (decoded to f32). */
function reference(config: SeparationConfig, bytes: Uint8Array, signal: Float32Array): Float32Array[] {
  const file = readHush(bytes);
  return separationReference(config, new Map([...file.tensors].map(([name, t]) => [name, { shape: t.shape, data: hushTensorDense(t) }])), signal);
}

async function checkParity(label: string, config: SeparationConfig, encoding: SeparationEncoding): Promise<void> {
  const bytes = modelBytes(config, encoding);
  const ref = reference(config, bytes, SIGNAL);
  const errors: string[] = [];
  const runs: [Flavor, PlanChoice][] = [['simd', 'fast'], ['simd', 'compact'], ['scalar', 'fast'], ['scalar', 'compact']];
  for (const [flavor, plan] of runs) {
    const s = Separator.create(await runtimeWasm(flavor), bytes, { plan });
    expect([s.sampleRate, s.hopSamples, s.outputCount]).toEqual([8000, 80, 2]);
    expect(s.delaySamples).toBe(separationDelay(config));
    expect(s.latencySamples).toBe(80 + separationDelay(config));
    const out = s.processBuffer(SIGNAL);
    let worst = 0;
    for (let k = 0; k < 2; k++) {
      const { diff, peak } = maxAbsDiff(out[k], ref[k]);
      expect(peak).toBeGreaterThan(1e-3); // a non-trivial output
      expect(diff, `${label} ${flavor} ${plan} speaker ${k + 1}: max |Δ| ${diff} vs peak ${peak}`).toBeLessThanOrEqual(TOLERANCE * peak);
      worst = Math.max(worst, diff / peak);
    }
    errors.push(worst.toExponential(1));
    // hop by hop = processBuffer, shifted by the declared delay
    const hops = Math.ceil((SIGNAL.length + s.delaySamples) / 80);
    const streamed = [new Float32Array(hops * 80), new Float32Array(hops * 80)];
    const hop = new Float32Array(80);
    for (let h = 0; h < hops; h++) {
      hop.fill(0);
      hop.set(SIGNAL.subarray(Math.min(h * 80, SIGNAL.length), Math.min(h * 80 + 80, SIGNAL.length)));
      s.process(hop).forEach((o, k) => streamed[k].set(o, h * 80));
    }
    for (let k = 0; k < 2; k++) expect(streamed[k].slice(s.delaySamples, s.delaySamples + SIGNAL.length)).toEqual(out[k]);
  }
  table.push(`  ${label.padEnd(28)} ${errors.join('  ')}`);
}

suite('WASM Conv-TasNet hop by hop = libtorch whole utterance', () => {
  const tiny: SeparationConfig = { arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } };
  const edge: SeparationConfig = { arch: 'conv-tasnet', hp: { ...CONV_TASNET_PRESETS.edge } };
  it('tiny f32', () => checkParity('conv-tasnet tiny f32', tiny, { kind: 'f32' }));
  it('tiny k-means', () => checkParity('conv-tasnet tiny kmeans', tiny, { kind: 'kmeans', k: 16 }));
  it('edge f32', () => checkParity('conv-tasnet edge f32', edge, { kind: 'f32' }));
  it('edge k-means', () => checkParity('conv-tasnet edge kmeans', edge, { kind: 'kmeans', k: 16 }));
});

suite('WASM uPIT-LSTM hop by hop on its own 8-kHz STFT = libtorch + float64 STFT', () => {
  const tiny: SeparationConfig = { arch: 'upit-lstm', hp: { ...UPIT_LSTM_TINY } };
  const edge: SeparationConfig = { arch: 'upit-lstm', hp: { ...UPIT_LSTM_PRESETS.edge } };
  it('tiny f32', () => checkParity('upit-lstm tiny f32', tiny, { kind: 'f32' }));
  it('tiny k-means', () => checkParity('upit-lstm tiny kmeans', tiny, { kind: 'kmeans', k: 16 }));
  it('edge f32', () => checkParity('upit-lstm edge f32', edge, { kind: 'f32' }));
  it('edge k-means', () => checkParity('upit-lstm edge kmeans', edge, { kind: 'kmeans', k: 16 }));
});

suite('Separator and Enhancer refuse each other’s models with a clear message', () => {
  it('the Enhancer names the Separator for a separation model', async () => {
    const { Enhancer } = await import('../../runtime/core/enhancer.js');
    const bytes = modelBytes({ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, { kind: 'f32' });
    await expect(runtimeWasm('simd').then((w) => Enhancer.create(w, bytes, { fileName: 'sep.hush' }))).rejects.toThrow(/sep.hush: a speaker-separation model \(2 outputs at 8000 Hz\); run it with Separator/);
  });
});
