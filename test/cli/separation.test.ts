/**
 * The separation path through the CLI in-process (issue 16): `hushpack train --arch upit-lstm`
 * and its `--resume` without --arch (found from the state file), `compress --pipeline c1` on the
 * checkpoint, `evalset --model` on the two-talker test set, `report` printing Table VI; and the
 * separation-only flag refused for an enhancement net. Tiny settings, one thread; skipped without
 * the libtorch addon.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { openCorpus } from '../../src/data/corpus.js';
import { separationTestsetWrite, SEPARATION_TESTSET_DIR } from '../../src/data/separation/testset.js';
import * as torch from '../../src/torch/torch.js';
import { capture } from '../helpers/cli.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-sep-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

suite('separation through the CLI', () => {
  it('train → resume → compress c1 → evalset → report (Table VI)', async () => {
    const threads = torch.getNumThreads();
    try {
      // The fixture corpus with a two-talker test set beside it (the fixture itself stays untouched).
      const corpus = join(dir, 'corpus');
      mkdirSync(corpus);
      for (const f of readdirSync(FIXTURE)) symlinkSync(resolve(FIXTURE, f), join(corpus, f));
      separationTestsetWrite(openCorpus(corpus), join(corpus, SEPARATION_TESTSET_DIR), { count: 2, seed: 1 });
      const results = join(dir, 'results');
      const model = join(results, 'upit.safetensors');
      const trainArgs = ['--corpus', corpus, '--out', model, '--steps-per-epoch', '2', '--batch', '2', '--val-items', '1', '--no-val-metrics', '--json'];

      let io = capture();
      expect(await main(['node', 'hushpack', 'train', '--arch', 'upit-lstm', '--preset', 'tiny', '--epochs', '1', ...trainArgs]), io.err()).toBe(0);
      expect(JSON.parse(io.out())).toMatchObject({ task: 'separation', arch: 'upit-lstm', preset: 'tiny', epoch: 1, step: 2 });
      vi.restoreAllMocks();
      io = capture();
      expect(await main(['node', 'hushpack', 'train', '--resume', '--epochs', '2', ...trainArgs]), io.err()).toBe(0);
      expect(JSON.parse(io.out())).toMatchObject({ arch: 'upit-lstm', epoch: 2, step: 4, steps: 2 });
      vi.restoreAllMocks();

      io = capture();
      const c1 = join(results, 'upit-c1.safetensors');
      const compressArgs = ['--sens-items', '1', '--val-items', '1', '--finetune-steps', '1', '--pre-steps', '0', '--batch', '2', '--max-iterations', '1', '--alpha1', '0.5', '--json'];
      expect(await main(['node', 'hushpack', 'compress', '--pipeline', 'c1', '--in', model, '--corpus', corpus, '--out', c1, ...compressArgs]), io.err()).toBe(0);
      const rep = JSON.parse(io.out()) as { pipeline: string; rate: number };
      expect(rep.pipeline).toBe('c1');
      expect(rep.rate).toBeGreaterThan(1);
      vi.restoreAllMocks();

      for (const m of [model, c1]) {
        io = capture();
        expect(await main(['node', 'hushpack', 'evalset', '--model', m, '--corpus', corpus, '--workers', '1', '--out', m.replace(/\.safetensors$/, '.score.json')]), io.err()).toBe(0);
        expect(io.out()).toMatch(/on 2 two-talker mixtures \(4 speaker signals\)/);
        vi.restoreAllMocks();
      }

      io = capture();
      expect(await main(['node', 'hushpack', 'report', '--results', results, '--out', join(dir, 'report.html')]), io.err()).toBe(0);
      expect(io.out()).toMatch(/\| uPIT-LSTM_U \(tiny\) \|/);
      expect(io.out()).toMatch(/\| uPIT-LSTM_C1 \(tiny\) \|.*\| 1 \(3\) \|/);
      vi.restoreAllMocks();

      io = capture();
      expect(await main(['node', 'hushpack', 'train', '--arch', 'gcrn', '--preset', 'tiny', '--corpus', corpus, '--out', join(dir, 'g.safetensors'), '--epochs', '1', '--batch', '4'])).toBe(1);
      expect(io.err()).toMatch(/--batch is a separation-training flag/);
    } finally {
      torch.setNumThreads(threads);
    }
  });
});
