/**
 * `hushpack evalset` on a separation `.hush` (issue 16, runtime slice): the WASM Separator as the
 * backend, 80-sample hops at 8 kHz from a fresh stream per mixture.
 *
 * - libtorch vs WASM on the same weights: a tiny Conv-TasNet and a tiny uPIT-LSTM (PyTorch-default
 *   random weights, seed 7) written as a checkpoint and exported to a dense f32 `.hush`; on a
 *   two-talker set from the fixture corpus, the `.hush` score file's means (ESTOI, PESQ-NB, SI-SNR,
 *   SDR, BSS SDR) equal the `.safetensors` ones within a tight tolerance and the permutations chosen
 *   by SI-SNR are the same. (The streams equal libtorch within 1e-4 of peak,
 *   test/runtime/separationParity.test.ts, except Conv-TasNet's last L/2 = 8 samples: the stream,
 *   flushed with zeros, computes one more encoder frame over the end than the offline forward of the
 *   mixture alone; the tolerance allows for that.) Skipped without the libtorch addon.
 * - The CLI on a `.hush` (no libtorch needed): `hushpack evalset --model SEP.hush --corpus DIR --json`
 *   writes a separation score file with backend wasm; the same score as separationScore.
 * - Bad inputs: a truncated `.hush`, an enhancement `.hush` opened as a separation backend, a missing
 *   file, and enhancement-only flags each stop with a message naming the file or the flag.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { openCorpus } from '../../src/data/corpus.js';
import { separationTestsetWrite, SEPARATION_TESTSET_DIR } from '../../src/data/separation/testset.js';
import { separateBackendOpen } from '../../src/evaluate/backendSeparation.js';
import { separationScore, type SeparationScoreFile } from '../../src/evaluate/separationScore.js';
import { separationCheckpointToHush, separationHushModel } from '../../src/compress/separationExport.js';
import { writeHush } from '../../src/format/writer.js';
import { createSeparationNet, separationLayout, type SeparationConfig } from '../../src/models/separation/net.js';
import { separationPresetConfig, CONV_TASNET_TINY } from '../../src/models/separation/presets.js';
import { shapeSize } from '../../src/models/paramSpec.js';
import * as torch from '../../src/torch/torch.js';
import { separationCheckpointWrite } from '../../src/train/separation/checkpoint.js';
import { randn, rng } from '../format/fixture.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const torchSuite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-sep-score-hush-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const MIXTURES = 3;

/**
 * A corpus folder for the CLI: the fixture's manifest (what the score file hashes; the speech is not
 * read again) and a two-talker set written from the fixture corpus into its separation-test/.
 */
let corpusDir = '';
beforeAll(() => {
  corpusDir = join(dir, 'corpus');
  mkdirSync(corpusDir);
  copyFileSync(join(FIXTURE, 'manifest.csv'), join(corpusDir, 'manifest.csv'));
  separationTestsetWrite(openCorpus(FIXTURE), join(corpusDir, SEPARATION_TESTSET_DIR), { count: MIXTURES, seed: 4 });
});

/** A separation .hush with random weights, written without libtorch. */
function randomHush(config: SeparationConfig, name: string): string {
  const r = rng(5);
  const weights = new Map(separationLayout(config).params.map((p) => [p.name, { shape: [...p.shape], data: randn(shapeSize(p.shape), r, 0.3) }]));
  const path = join(dir, name);
  writeFileSync(path, writeHush(separationHushModel(config, weights, { kind: 'f32' }, { preset: 'tiny' })));
  return path;
}

/**
 * Largest |.hush − .safetensors| per metric mean allowed: ESTOI in [0, 1], PESQ MOS, dB for the SDRs.
 * Measured on these nets (SIMD build, x86-64): ESTOI 2e-9 / 1e-8, PESQ-NB 9e-6 / 0, SI-SNR 4.5e-4 / 2e-7 dB,
 * BSS SDR 5.2e-4 / 2e-7 dB (Conv-TasNet / uPIT-LSTM; Conv-TasNet's dB gap is the 8 tail samples above).
 * The bounds are about 10× the worst of these.
 */
const TOLERANCE: Record<string, number> = { estoi: 1e-5, stoi: 1e-5, pesq_nb: 1e-4, sisnr: 5e-3, sdr: 5e-3, sdr_bss: 5e-3 };

torchSuite('separation evalset: .hush on the WASM Separator = .safetensors on libtorch', () => {
  const diffs: string[] = [];
  afterAll(() => console.log(`|hush − safetensors| of the means:\n${diffs.join('\n')}`));
  for (const arch of ['conv-tasnet', 'upit-lstm'] as const) {
    it(`${arch}: the same weights score alike (ESTOI, PESQ-NB, SI-SNR, SDR), same permutations`, async () => {
      const model = join(dir, `${arch}.safetensors`);
      const net = createSeparationNet(separationPresetConfig(arch, 'tiny'), { seed: 7 });
      separationCheckpointWrite(model, net, { preset: 'tiny' });
      net.dispose();
      const hush = join(dir, `${arch}.hush`);
      writeFileSync(hush, separationCheckpointToHush(readFileSync(model), model, { kind: 'f32' }));

      const torchScore = await separationScore({ model, corpusDir, threads: 1 });
      const wasmScore = await separationScore({ model: hush, corpusDir, threads: 1 });
      expect(torchScore.model.backend).toBe('libtorch');
      expect(wasmScore.model.backend).toBe('wasm');
      expect([wasmScore.model.arch, wasmScore.model.preset, wasmScore.model.speakers]).toEqual([arch, 'tiny', 2]);
      expect(wasmScore.overall.mixtures).toBe(MIXTURES);
      expect(wasmScore.overall.signals).toBe(2 * MIXTURES);
      expect(wasmScore.permutations).toEqual(torchScore.permutations);
      expect(wasmScore.overall.mixture).toEqual(torchScore.overall.mixture); // the mixtures' own scores: no model involved
      expect(wasmScore.overall.separated.pesq_wb).toBeNull();
      const line: string[] = [];
      for (const [k, tol] of Object.entries(TOLERANCE)) {
        const a = wasmScore.overall.separated[k] as number;
        const b = torchScore.overall.separated[k] as number;
        expect(Number.isFinite(a) && Number.isFinite(b), `${k}: ${a} vs ${b}`).toBe(true);
        expect(Math.abs(a - b), `${arch} ${k}: wasm ${a} vs libtorch ${b}`).toBeLessThanOrEqual(tol);
        line.push(`${k} ${Math.abs(a - b).toExponential(1)}`);
      }
      // the random net does change the signal: separated ≠ mixture
      expect(Math.abs((wasmScore.overall.delta.sisnr as number))).toBeGreaterThan(0.1);
      diffs.push(`  ${arch.padEnd(12)} ${line.join(', ')}`);
    });
  }
});

describe('hushpack evalset --model SEP.hush (WASM, no libtorch)', () => {
  it('scores the two-talker set on the WASM Separator; the CLI JSON is separationScore\'s', async () => {
    const hush = randomHush({ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, 'random-tasnet.hush');
    const out = join(dir, 'random-tasnet.score.json');
    const io = capture();
    const code = await main(['node', 'hushpack', 'evalset', '--model', hush, '--corpus', corpusDir, '--workers', '1', '--limit', '2', '--out', out, '--json']);
    expect(code, io.err()).toBe(0);
    const cli = JSON.parse(io.out().trim()) as SeparationScoreFile;
    vi.restoreAllMocks();
    expect(cli.format).toBe('hushpack-separation-score');
    expect([cli.model.backend, cli.model.arch, cli.model.preset, cli.model.speakers]).toEqual(['wasm', 'conv-tasnet', 'tiny', 2]);
    expect(cli.model.description).toMatch(/^conv-tasnet \(wasm (simd|scalar), plan auto\)$/);
    expect(cli.overall.mixtures).toBe(2);
    expect(cli.testset.limit).toBe(2);
    expect(JSON.parse(readFileSync(out, 'utf8')).overall).toEqual(cli.overall);
    const direct = await separationScore({ model: hush, corpusDir, limit: 2, threads: 1 });
    expect(direct.overall).toEqual(cli.overall); // deterministic: same bits from the same stream
    expect(direct.permutations).toEqual(cli.permutations);
  });

  it('enhancement-only flags are refused for a separation .hush', async () => {
    const hush = randomHush({ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, 'flags.hush');
    for (const [flag, value] of [['--level', 'track'], ['--set', 'paper'], ['--mixture-cache', join(dir, 'c.json')]]) {
      const io = capture();
      expect(await main(['node', 'hushpack', 'evalset', '--model', hush, '--corpus', corpusDir, flag, value])).toBe(1);
      expect(io.err()).toContain(`${flag} applies to enhancement models; ${hush} is a separation net`);
      vi.restoreAllMocks();
    }
  });

  it('a corpus without the two-talker set says how to make it', async () => {
    const hush = randomHush({ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, 'noset.hush');
    const io = capture();
    expect(await main(['node', 'hushpack', 'evalset', '--model', hush, '--corpus', FIXTURE])).toBe(1);
    expect(io.err()).toMatch(/no two-talker test set here \(no list\.csv\); run `hushpack corpus separation`/);
  });

  it('a truncated .hush, a missing file and an enhancement model fail with messages naming the file', async () => {
    const whole = readFileSync(randomHush({ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, 'whole.hush'));
    const cut = join(dir, 'cut.hush');
    writeFileSync(cut, whole.subarray(0, 300));
    await expect(separateBackendOpen(cut)).rejects.toThrow(/cut\.hush/);
    await expect(separateBackendOpen(join(dir, 'absent.hush'))).rejects.toThrow(/absent\.hush: cannot read: ENOENT/);
    await expect(separateBackendOpen(join(dir, 'model.onnx'))).rejects.toThrow(/model\.onnx: unknown model type '\.onnx' \(expected \.safetensors or \.hush\)/);
    const enhancement = new URL('../../demos/models/default.hush', import.meta.url).pathname;
    await expect(separateBackendOpen(enhancement)).rejects.toThrow(/default\.hush: a gcrn enhancement model; run it with the Enhancer/);
    // through the CLI: the reader's message, before any test set is looked for
    let io = capture();
    expect(await main(['node', 'hushpack', 'evalset', '--model', cut, '--corpus', corpusDir])).toBe(1);
    expect(io.err()).toMatch(/cut\.hush/);
    expect(io.err()).not.toMatch(/test set/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['node', 'hushpack', 'evalset', '--model', join(dir, 'absent.hush'), '--corpus', corpusDir])).toBe(1);
    expect(io.err()).toMatch(/absent\.hush: cannot read: ENOENT/);
  });
});
