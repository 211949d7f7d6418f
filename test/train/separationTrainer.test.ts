/**
 * Training of the separation nets (issue 16) on the committed fixture corpus: padded minibatches
 * score each utterance as itself, the uPIT STFT inverts, the tiny Conv-TasNet and uPIT-LSTM learn
 * through the trainer (validation loss and SI-SNR improvement better than the initial net's), the
 * checkpoint reloads to the same separation, and an interrupted run resumes bit for bit. One
 * libtorch thread, tiny settings; skipped without the addon.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpus } from '../../src/data/corpus.js';
import { readSafetensors } from '../../src/format/safetensors.js';
import { createSeparationNet } from '../../src/models/separation/net.js';
import { separationPresetConfig, UPIT_LSTM_TINY } from '../../src/models/separation/presets.js';
import { upitStftAnalyze, upitStftSynthesize } from '../../src/models/separation/upitStft.js';
import * as torch from '../../src/torch/torch.js';
import { separationBatchPack, separationItemAt } from '../../src/train/separation/batches.js';
import { separationNetFromCheckpoint } from '../../src/train/separation/checkpoint.js';
import { separationLoss, separationSeparate } from '../../src/train/separation/objective.js';
import { separationTrainRun, type SeparationTrainOptions } from '../../src/train/separation/trainer.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-sep-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Tiny but real settings: 4 mixtures of ≤ 1 s per step, 4 validation mixtures of ≤ 1 s. */
function options(arch: 'conv-tasnet' | 'upit-lstm', name: string, extra: Partial<SeparationTrainOptions> = {}): SeparationTrainOptions {
  return {
    config: separationPresetConfig(arch, 'tiny'),
    preset: 'tiny',
    corpusDir: FIXTURE,
    out: join(dir, `${name}.safetensors`),
    threads: 1,
    valMetrics: false,
    commandLine: `test ${name}`,
    ...extra,
    hyper: { batch: 4, segmentSeconds: 1, valItems: 4, valSeconds: 1, seed: 2, lr: 5e-3, ...extra.hyper },
  };
}

describe('uPIT STFT', () => {
  it('upitStftSynthesize inverts upitStftAnalyze', () => {
    const x = Float64Array.from({ length: 1234 }, (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 1.91));
    const y = upitStftAnalyze(UPIT_LSTM_TINY, x);
    const back = upitStftSynthesize(UPIT_LSTM_TINY, y, x.length);
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(back[i] - x[i]));
    expect(err).toBeLessThan(1e-12);
  });
});

suite('separation training', () => {
  let threads = 1;
  beforeAll(() => {
    threads = torch.getNumThreads();
    torch.setNumThreads(1);
  });
  afterAll(() => torch.setNumThreads(threads));

  // uPIT-LSTM: exactly (its frames past an utterance's end see zeros either way). Conv-TasNet: its
  // output sample n reads encoder frames ⌊n/8⌋ and ⌊n/8⌋ + 1, so the last L/2 = 8 samples of an
  // utterance also see the frame that starts at its end, which exists only when the minibatch is
  // longer; every earlier sample is the same, and the loss moves by a few thousandths of a dB.
  for (const [arch, tolerance] of [['conv-tasnet', 0.05], ['upit-lstm', 1e-5]] as const) {
    it(`${arch}: an utterance's loss is the same alone and zero-padded in a minibatch (within ${tolerance})`, () => {
      const corpus = openCorpus(FIXTURE);
      const short = separationItemAt(corpus, 'train', 0, 5, 6000);
      const long = separationItemAt(corpus, 'train', 1, 5, 16000);
      expect(long.mix.length).toBeGreaterThan(short.mix.length + 500);
      const net = createSeparationNet(separationPresetConfig(arch, 'tiny'), { seed: 3 });
      try {
        const score = (items: typeof short[]) => torch.noGrad(() => torch.tidy(() => separationLoss(net, separationBatchPack(items), false).score.toFloat32Array()[0]));
        const alone = score([short]);
        expect(Math.abs(score([short, long]) - alone)).toBeLessThan(tolerance * Math.max(1, Math.abs(alone)));
        if (arch === 'conv-tasnet') {
          const n = short.mix.length;
          const batch = separationBatchPack([short, long]);
          const outs = torch.noGrad(() => torch.tidy(() => [
            net.forward(torch.tensor(short.mix, [1, n]), { training: false }).contiguous().toFloat32Array(),
            net.forward(torch.tensor(batch.mix, [2, batch.samples]), { training: false }).narrow(0, 0, 1).narrow(2, 0, n).contiguous().toFloat32Array(),
          ]));
          for (const s of [0, 1]) {
            for (let i = 0; i < n - 8; i++) expect(Math.abs(outs[1][s * n + i] - outs[0][s * n + i])).toBeLessThan(1e-5);
          }
        }
      } finally {
        net.dispose();
      }
    });
  }

  for (const arch of ['conv-tasnet', 'upit-lstm'] as const) {
    it(`tiny ${arch} learns: validation loss and SI-SNR improvement beat the initial net's`, async () => {
      const r = await separationTrainRun(options(arch, `learn-${arch}`, { epochs: 2, hyper: { stepsPerEpoch: 15 } }));
      expect(r.records.map((x) => x.epoch)).toEqual([0, 1, 2]);
      const initial = r.records[0];
      expect(r.bestValLoss!).toBeLessThan(initial.val_loss);
      const best = r.records.find((x) => x.best && x.epoch === r.bestEpoch)!;
      expect(best.val_sisnri).toBeGreaterThan(initial.val_sisnri);
      expect(Number.isFinite(initial.mix_sisnr)).toBe(true);
      const log = readFileSync(r.logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number });
      expect(log.map((l) => l.epoch)).toEqual([0, 1, 2]);

      // The best checkpoint reloads to a net that separates as the trainer's validation did.
      const meta = readSafetensors(new Uint8Array(readFileSync(r.out)), r.out).metadata;
      expect(meta.task).toBe('separation');
      expect(meta.arch).toBe(arch);
      expect(Number(meta.epoch)).toBe(r.bestEpoch);
      const ck = separationNetFromCheckpoint(r.out);
      try {
        expect(ck.config).toEqual(separationPresetConfig(arch, 'tiny'));
        const item = separationItemAt(openCorpus(FIXTURE), 'validation', 0, 2, 8000, 'start');
        const est = separationSeparate(ck.net, item.mix);
        expect(est).toHaveLength(2);
        expect(est[0]).toHaveLength(item.mix.length);
        expect(est.every((e) => e.every(Number.isFinite))).toBe(true);
      } finally {
        ck.net.dispose();
      }
    });
  }

  it('an interrupted Conv-TasNet run resumes bit for bit', async () => {
    const whole = await separationTrainRun(options('conv-tasnet', 'whole', { epochs: 1, hyper: { stepsPerEpoch: 6 } }));
    const first = await separationTrainRun(options('conv-tasnet', 'split', { epochs: 1, maxSteps: 3, hyper: { stepsPerEpoch: 6 } }));
    expect(first.stopReason).toBe('steps');
    expect(first.globalStep).toBe(3);
    const second = await separationTrainRun({ ...options('conv-tasnet', 'split', { epochs: 1 }), config: undefined, resume: true });
    expect(second.globalStep).toBe(6);
    expect(whole.globalStep).toBe(6);
    const weights = (p: string) => readSafetensors(new Uint8Array(readFileSync(`${p}.state`)), p).tensors;
    const a = weights(whole.out);
    const b = weights(second.out);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(Buffer.from(b.get(k)!.data.buffer).equals(Buffer.from(v.data.buffer))).toBe(true);
  });
});
