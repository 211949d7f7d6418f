/**
 * The backbone of the runtime (STYLE.md §3, tract's proptest_regular_against_pulse): for every
 * architecture and every encoding a `.hush` file can hold, the frame-by-frame WASM output equals the
 * offline libtorch path on the same weights — whole-utterance forward in inference mode (BatchNorm
 * with running statistics) → output transform → iSTFT (overlap-add for TCNN), src/train/features.ts
 * enhanceWaveform — to max |Δ| ≤ 1e-4 × the reference's peak, once the declared delay is skipped.
 * Checked on both WASM builds and both execution plans (auto too, on SIMD), and for a width/depth
 * variant of each architecture that is no preset (geometry comes from the file's hyper-parameters).
 * Skipped without the libtorch addon (`npm run build:native`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isTorchAvailable } from '../../src/torch/torch.js';
import { ARCH_NAMES, presetConfig, type ArchConfig } from '../../src/models/index.js';
import type { MatForm, PlanChoice } from '../../runtime/core/plan.js';
import { ENCODINGS, encodeModel, testSignal, VARIANTS, type Encoding } from './models.js';
import { enhancerFor, maxAbsDiff, referenceEnhance, streamHops } from './harness.js';
import { FLAVORS } from './wasm.js';

const suite = isTorchAvailable() ? describe : describe.skip;

/** 1.02 s, not a whole number of hops, so the tail handling is exercised too. */
const SIGNAL = testSignal(16_357);
const TOLERANCE = 1e-4;

/** Worst relative error per model, for the summary printed at the end. */
const table: string[] = [];
afterAll(() => {
  if (table.length > 0) console.log(`max |wasm − libtorch| / peak (simd fast, simd compact, scalar fast, scalar compact, simd auto):\n${table.join('\n')}`);
});

/** Forms a plan must use for the encoding (so each kernel path is really exercised). */
const EXPECTED_FORMS: Partial<Record<Encoding, Partial<Record<PlanChoice, MatForm>>>> = {
  pruned: { fast: 'sparse' },
  'pruned-columns': { fast: 'columns' },
  kmeans: { compact: 'codebook' },
  'kmeans-pruned': { compact: 'codebook-sparse' },
  'kmeans-columns': { fast: 'columns', compact: 'codebook-sparse' },
  mpo: { compact: 'mpo' },
  blocks: { fast: 'block', compact: 'block', auto: 'block' },
  'kmeans-blocks': { fast: 'block', compact: 'block' },
};

/** Encodings whose pruned conv kernels the plans must run sparse (at 15 % and 40 % kept). */
const SPARSE_CONVS: Encoding[] = ['pruned', 'kmeans-pruned'];

async function checkParity(label: string, config: ArchConfig, encoding: Encoding): Promise<void> {
  const m = encodeModel(config, encoding);
  const ref = referenceEnhance(m, SIGNAL);
  const denseMacs = (await enhancerFor(encodeModel(config, 'f32').hush, 'simd', 'fast')).macsPerHop;
  const errors: string[] = [];
  const runs: [(typeof FLAVORS)[number], PlanChoice][] = [['simd', 'fast'], ['simd', 'compact'], ['scalar', 'fast'], ['scalar', 'compact'], ['simd', 'auto']];
  for (const [flavor, plan] of runs) {
    const e = await enhancerFor(m.hush, flavor, plan);
    expect(e.latencySamples).toBe(320);
    expect(e.delaySamples).toBe(160);
    const { aligned } = streamHops(e, SIGNAL);
    const { diff, peak } = maxAbsDiff(aligned, ref);
    expect(peak).toBeGreaterThan(1e-3); // a non-trivial output
    expect(diff, `${label} ${flavor} ${plan}: max |Δ| ${diff} vs peak ${peak}`).toBeLessThanOrEqual(TOLERANCE * peak);
    errors.push((diff / peak).toExponential(1));
    const want = EXPECTED_FORMS[encoding]?.[plan];
    if (want) expect(e.tensors.map((t) => t.form), `${label} ${flavor} ${plan}`).toContain(want);
    if (plan === 'fast') expect(e.tensors.every((t) => ['dense', 'sparse', 'columns', 'block', 'conv-sparse', 'conv-block'].includes(t.form))).toBe(true);
    // block-pruned 2-D conv kernels of the block variants run in the block form (nn/conv-block.ts) on
    // SIMD: a Conv2d (a GCRN gated pair) and a ConvTranspose2d at least
    if (label.includes('block variant') && flavor === 'simd' && plan !== 'compact') {
      const blocks = e.tensors.filter((t) => t.form === 'conv-block').map((t) => t.name);
      expect(blocks.some((n) => n.startsWith('encoder.') || /^conv\d\.conv1\.weight\+/.test(n)), `${label} ${flavor} ${plan}: ${blocks}`).toBe(true);
      expect(blocks.some((n) => n.startsWith('decoder.') || /_t_/.test(n)), `${label} ${flavor} ${plan}: ${blocks}`).toBe(true);
    }
    // pruned 2-D conv kernels run in a sparse conv form (assembly/nn/conv-sparse.ts) in every plan:
    // f32 entries in fast, codebook indices in compact (k-means)
    if (SPARSE_CONVS.includes(encoding) && (config.arch === 'gcrn' || config.arch === 'tcnn')) {
      const forms = e.tensors.map((t) => t.form);
      const want = plan === 'compact' && encoding === 'kmeans-pruned' ? 'conv-codebook-sparse' : plan === 'auto' ? null : 'conv-sparse';
      if (want) expect(forms, `${label} ${flavor} ${plan}`).toContain(want);
      else expect(forms.some((f) => f.startsWith('conv-')), `${label} ${flavor} ${plan}`).toBe(true);
      expect(e.macsPerHop, `${label} ${flavor} ${plan}`).toBeLessThan(denseMacs);
    }
    // processBuffer is the same stream, aligned: bit-identical.
    expect(e.processBuffer(SIGNAL)).toEqual(aligned);
  }
  table.push(`  ${label.padEnd(26)} ${errors.join('  ')}`);
}

suite('WASM frame by frame = libtorch whole utterance (tiny presets)', () => {
  for (const arch of ARCH_NAMES) {
    for (const encoding of ENCODINGS) {
      it(`${arch} ${encoding}`, () => checkParity(`${arch} tiny ${encoding}`, presetConfig(arch, 'tiny'), encoding));
    }
  }
});

suite('WASM = libtorch on width/depth variants (geometry from the .hush hyper-parameters)', () => {
  for (const arch of ARCH_NAMES) {
    for (const encoding of ['f32', 'kmeans-pruned'] as const) {
      it(`${arch} variant ${encoding}`, () => checkParity(`${arch} variant ${encoding}`, VARIANTS[arch], encoding));
    }
  }
});

/**
 * Widths that the conv block shapes tile (channels multiples of 8), deep enough that the plan takes
 * the block form for the narrow-bin layers: the encoder / decoder kernels of TCNN and GCRN pruned in
 * 4x1 / 8x1 / 1x4 blocks (Conv2d) and 4x1 / 8x1 (ConvTranspose2d), the TCM 1×1 convs as block matrices.
 */
const BLOCK_VARIANTS: Partial<Record<(typeof ARCH_NAMES)[number], ArchConfig>> = {
  tcnn: {
    arch: 'tcnn',
    hparams: {
      enc_channels: [8, 32, 64], enc_strides: [2, 4, 4], enc_pads: [2, 2, 2], kernel_frames: 2, kernel_samples: 5,
      tcm_channels: 16, tcm_kernel: 3, tcm_dilations: [1, 2], tcm_stacks: 1,
    },
  },
  gcrn: {
    arch: 'gcrn',
    hparams: { enc_channels: [8, 8, 16, 32, 96], dec_channels: [32, 16, 8, 8, 1], kernel_bins: 3, stride_bins: 2, lstm_groups: 2, lstm_layers: 1 },
  },
};

suite('WASM = libtorch with block-pruned conv kernels (the block conv form)', () => {
  for (const [arch, config] of Object.entries(BLOCK_VARIANTS)) {
    for (const encoding of ['blocks', 'kmeans-blocks'] as const) {
      it(`${arch} block variant ${encoding}`, () => checkParity(`${arch} block variant ${encoding}`, config, encoding));
    }
  }
});

suite('the parity check detects a wrong network', () => {
  it('different weights give errors far above the tolerance', async () => {
    const good = encodeModel(presetConfig('gcrn', 'tiny'), 'f32', 1);
    const other = encodeModel(presetConfig('gcrn', 'tiny'), 'f32', 2);
    const ref = referenceEnhance(good, SIGNAL);
    const { aligned } = streamHops(await enhancerFor(other.hush, 'simd'), SIGNAL);
    const { diff, peak } = maxAbsDiff(aligned, ref);
    expect(diff).toBeGreaterThan(100 * TOLERANCE * peak);
  });
});
