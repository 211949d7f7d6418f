/**
 * `hushpack evalset --model M --corpus DIR --split test` on a small test set of the fixture corpus
 * (2 pairs per condition, 1 s) with a tiny seeded GCRN checkpoint and its f32 `.hush` export:
 * six conditions with their counts; mixture means equal to evaluateFiles on the same files; the
 * mixture-score cache reused on a second run and recomputed after the manifest changes;
 * .safetensors (libtorch) and .hush (WASM) give nearly equal scores; --out writes a score file
 * that `hushpack report` renders; `--set` scores the environmental set of a corpus v2 too; bad
 * inputs are UserErrors. Skipped without the libtorch addon.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/errors.js';
import { openCorpus } from '../../src/data/corpus.js';
import { environmentTestsetWrite, testsetRead, testsetWrite } from '../../src/data/testset.js';
import { writeHush, type HushTensor } from '../../src/format/index.js';
import { presetConfig } from '../../src/models/index.js';
import { evaluateFiles, METRIC_KEYS, type MetricResult } from '../../src/metrics/evaluate.js';
import { batchWorkerPath } from '../../src/metrics/pool.js';
import { checkpointRead, corpusHash } from '../../src/train/checkpoint.js';
import * as torch from '../../src/torch/torch.js';
import { testsetScore } from '../../src/evaluate/testsetScore.js';
import { scoreFileRead, scoreValue, type ScoreFile } from '../../src/evaluate/scoreFile.js';
import { reportInputsRead } from '../../src/compress/reportData.js';
import { reportHtml } from '../../src/compress/reportHtml.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { tinyCheckpointWrite } from '../compress/checkpoint.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const tmp = mkdtempSync(join(tmpdir(), 'hushpack-evalset-'));
const corpus = join(tmp, 'corpus');
const results = join(tmp, 'results');
const ckpt = join(results, 'tiny-gcrn.safetensors');
const hush = join(results, 'tiny-gcrn-f32.hush');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

let workers = true;
try {
  batchWorkerPath();
} catch {
  workers = false; // dist/ not built: everything on one thread
}

/** Runs the CLI; returns the exit code, stdout and stderr. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(['node', 'hushpack', ...args]);
  vi.restoreAllMocks();
  return { code, out: io.out(), err: io.err() };
}

function mean(rs: MetricResult[], k: keyof MetricResult): number {
  return rs.reduce((s, r) => s + (r[k] as number), 0) / rs.length;
}

suite('hushpack evalset --model --corpus --split test', () => {
  let torchScore: ScoreFile;

  beforeAll(() => {
    mkdirSync(corpus, { recursive: true });
    mkdirSync(results, { recursive: true });
    copyFileSync(join(FIXTURE, 'manifest.csv'), join(corpus, 'manifest.csv'));
    testsetWrite(openCorpus(FIXTURE), join(corpus, 'testset'), { perCondition: 2, seconds: 1 });
    tinyCheckpointWrite(ckpt, 'gcrn', 3, { stepsPerEpoch: 1 });
    // The same weights as a .hush file, every tensor f32 (num_batches_tracked is not stored).
    const tensors = new Map<string, HushTensor>();
    for (const [name, t] of checkpointRead(ckpt).tensors) {
      if (!name.endsWith('.num_batches_tracked')) tensors.set(name, { encoding: 'f32', shape: t.shape.slice(), data: t.data });
    }
    writeFileSync(hush, writeHush({ config: presetConfig('gcrn', 'tiny'), tensors, metadata: { preset: 'tiny' } }));
  });

  it('scores the six conditions; mixture means are evaluateFiles on the same files', async () => {
    const out = join(results, 'tiny-gcrn.score.json');
    const r = await cli('evalset', '--model', ckpt, '--corpus', corpus, '--split', 'test', '--threads', workers ? '2' : '1', '--out', out, '--json');
    expect(r.code, r.err).toBe(0);
    torchScore = JSON.parse(r.out) as ScoreFile;
    expect(scoreFileRead(out)).toEqual(torchScore);
    expect(torchScore.conditions.map((c) => `${c.noise} ${c.snrDb} ${c.count}`)).toEqual([
      'babble -5 2', 'babble 0 2', 'babble 5 2', 'cafeteria -5 2', 'cafeteria 0 2', 'cafeteria 5 2',
    ]);
    expect(torchScore.overall.count).toBe(12);
    expect(torchScore.model).toMatchObject({ arch: 'gcrn', preset: 'tiny', backend: 'libtorch' });
    expect(torchScore.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(torchScore.corpus.corpusHash).toBe(corpusHash(corpus));
    expect(torchScore.mixtureCache).toMatchObject({ reused: 0, computed: 12 });
    expect(torchScore.enhancement.audioSeconds).toBeCloseTo(12, 6);
    expect(torchScore.enhancement.rtf).toBeGreaterThan(0);

    const rows = testsetRead(join(corpus, 'testset'));
    for (const c of torchScore.conditions) {
      const direct = rows.filter((x) => x.noise === c.noise && x.snrDb === c.snrDb)
        .map((x) => evaluateFiles(join(corpus, 'testset', x.clean), join(corpus, 'testset', x.mix)));
      for (const k of METRIC_KEYS) expect(scoreValue(c.mixture, k)).toBeCloseTo(mean(direct, k), 12);
      // The mixture's plain SDR is its SNR (both files share one gain; 16-bit rounding only).
      expect(scoreValue(c.mixture, 'sdr')).toBeCloseTo(c.snrDb, 1);
      for (const k of METRIC_KEYS) {
        const d = scoreValue(c.delta, k)!;
        expect(d).toBeCloseTo(scoreValue(c.enhanced, k)! - scoreValue(c.mixture, k)!, 12);
      }
    }
  });

  it('the .hush export scores nearly the same, with the mixture scores from the cache', async () => {
    const r = await cli('evalset', '--model', hush, '--corpus', corpus, '--threads', '1', '--out', join(results, 'tiny-gcrn-f32.score.json'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/STOI \(%\)\s+babble/);
    expect(r.out).toMatch(/12 from the cache, 0 computed/);
    const wasm = scoreFileRead(join(results, 'tiny-gcrn-f32.score.json'));
    expect(wasm.model).toMatchObject({ arch: 'gcrn', preset: 'tiny', backend: 'wasm' });
    expect(wasm.mixtureCache).toMatchObject({ reused: 12, computed: 0 });
    for (let i = 0; i < 6; i++) {
      const [a, b] = [torchScore.conditions[i], wasm.conditions[i]];
      expect(b.mixture).toEqual(a.mixture);
      expect(Math.abs(scoreValue(b.enhanced, 'stoi')! - scoreValue(a.enhanced, 'stoi')!)).toBeLessThan(2e-3);
      expect(Math.abs(scoreValue(b.enhanced, 'pesq_nb')! - scoreValue(a.enhanced, 'pesq_nb')!)).toBeLessThan(0.02);
      expect(Math.abs(scoreValue(b.enhanced, 'sisnr')! - scoreValue(a.enhanced, 'sisnr')!)).toBeLessThan(0.05);
    }
  });

  it('hushpack report renders the score files next to the unprocessed mixture', async () => {
    const inputs = reportInputsRead(results);
    expect(inputs.scores.map((s) => s.file)).toEqual(['tiny-gcrn-f32.score.json', 'tiny-gcrn.score.json']);
    const { html } = await reportHtml(inputs);
    expect(html).toContain('Test set — STOI (%): 12 pairs (2 per condition)');
    expect(html).toContain('unprocessed mixture');
    // tiny-gcrn.score.json ↔ tiny-gcrn.safetensors: the uncompressed model, float32 size, 1×
    expect(html).toMatch(/<th scope="row">GCRN_U \(tiny-gcrn\)<\/th><td>libtorch<\/td>(<td>[0-9.]+<\/td>){7}<td>[0-9.]+ MiB<\/td><td>1×<\/td>/);
    expect(html).toMatch(/<th scope="row">GCRN \(tiny-gcrn-f32\)<\/th><td>wasm<\/td>/);
    const stoi = (scoreValue(torchScore.conditions[0].mixture, 'stoi')! * 100).toFixed(2);
    expect(html).toContain(`<th scope="row">unprocessed mixture</th><td>–</td><td>${stoi}</td>`);
    const r = await cli('report', '--results', results, '--out', join(tmp, 'report.html'), '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ scores: 2, checkpoints: 1 });
  });

  it('--limit takes the first N per condition; a changed manifest invalidates the cache', async () => {
    const a = await testsetScore({ model: hush, corpusDir: corpus, limit: 1, threads: 1 });
    expect(a.conditions.map((c) => c.count)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(a.testset.limitPerCondition).toBe(1);
    expect(a.mixtureCache).toMatchObject({ reused: 6, computed: 0 });
    const cachePath = join(corpus, 'testset', 'mixture-scores.json');
    const before = readFileSync(cachePath, 'utf8');
    testsetWrite(openCorpus(FIXTURE), join(corpus, 'testset'), { perCondition: 1, seconds: 1, seed: 5 });
    const notes: string[] = [];
    const b = await testsetScore({ model: hush, corpusDir: corpus, threads: 1, onNote: (m) => notes.push(m) });
    expect(b.mixtureCache).toMatchObject({ reused: 0, computed: 6 });
    expect(notes.join('\n')).toMatch(/manifest changed/);
    expect(readFileSync(cachePath, 'utf8')).not.toBe(before);
    expect(JSON.parse(readFileSync(cachePath, 'utf8')).manifestSha256).toBe(b.testset.manifestSha256);
    const c = await testsetScore({ model: hush, corpusDir: corpus, threads: 1 });
    expect(c.mixtureCache).toMatchObject({ reused: 6, computed: 0 });
    expect(c.conditions).toEqual(b.conditions);
  });

  it('bad inputs are UserErrors', async () => {
    const bare = join(tmp, 'bare');
    mkdirSync(bare, { recursive: true });
    copyFileSync(join(FIXTURE, 'manifest.csv'), join(bare, 'manifest.csv'));
    await expect(testsetScore({ model: hush, corpusDir: bare, threads: 1 })).rejects.toThrow(/no test set here/);
    await expect(testsetScore({ model: hush, corpusDir: bare, threads: 1 })).rejects.toBeInstanceOf(UserError);
    writeFileSync(join(tmp, 'm.onnx'), 'x');
    await expect(testsetScore({ model: join(tmp, 'm.onnx'), corpusDir: corpus, threads: 1 })).rejects.toThrow(/unknown model type '\.onnx'/);
    await expect(testsetScore({ model: join(tmp, 'missing.hush'), corpusDir: corpus, threads: 1 })).rejects.toBeInstanceOf(UserError);
    await expect(testsetScore({ model: hush, corpusDir: corpus, limit: 0 })).rejects.toThrow(UserError);
    const r = await cli('evalset', '--model', hush, '--corpus', corpus, '--limit', '0');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--limit must be a positive integer, got '0'/);
    const s = await cli('evalset', '--model', hush, '--corpus', corpus, '--split', 'validation');
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/--split validation/);
    const n = await cli('evalset', '--corpus', corpus);
    expect(n.code).toBe(1);
    expect(n.err).toMatch(/needs --model/);
    const w = await cli('evalset', '--model', hush, '--corpus', corpus, '--set', 'street');
    expect(w.code).toBe(1);
    expect(w.err).toMatch(/--set street: expected paper, environment or all/);
  });

  it('--set all adds the environmental set of a corpus v2; --set environment scores it alone; the report shows both', async () => {
    const v2 = join(tmp, 'corpus-v2');
    mkdirSync(v2, { recursive: true });
    copyFileSync(join(FIXTURE, 'manifest.csv'), join(v2, 'manifest.csv'));
    testsetWrite(openCorpus(FIXTURE), join(v2, 'testset'), { perCondition: 1, seconds: 1 });
    environmentTestsetWrite(openCorpus(FIXTURE), join(v2, 'testset-environment'), { perCondition: 1, seconds: 1 });
    const out = join(tmp, 'results-v2', 'tiny.score.json');
    const all = await cli('evalset', '--model', hush, '--corpus', v2, '--threads', '1', '--out', out, '--json');
    expect(all.code, all.err).toBe(0);
    const score = JSON.parse(all.out) as ScoreFile;
    expect(score.set).toBe('paper');
    expect(score.conditions.map((c) => c.noise)).toEqual(['babble', 'babble', 'babble', 'cafeteria', 'cafeteria', 'cafeteria']);
    expect(score.environment!.conditions.map((c) => `${c.noise} ${c.snrDb}`)).toEqual(
      ['weather', 'nature', 'traffic', 'machinery'].flatMap((n) => [-5, 0, 5].map((d) => `${n} ${d}`)),
    );
    expect(score.environment!.testset.path).toBe(join(v2, 'testset-environment'));
    const env = await cli('evalset', '--model', hush, '--corpus', v2, '--threads', '1', '--set', 'environment', '--json');
    expect(env.code, env.err).toBe(0);
    const alone = JSON.parse(env.out) as ScoreFile;
    expect(alone.set).toBe('environment');
    expect(alone.conditions.map((c) => c.mixture)).toEqual(score.environment!.conditions.map((c) => c.mixture));
    expect(alone.mixtureCache).toMatchObject({ reused: 12, computed: 0 });
    const text = await cli('evalset', '--model', hush, '--corpus', v2, '--threads', '1');
    expect(text.out).toMatch(/testset-environment: 12 pairs/);
    const { html } = await reportHtml(reportInputsRead(join(tmp, 'results-v2')));
    expect(html).toContain('Environmental test set — STOI (%): 12 pairs (1 per condition)');
    expect(html).toContain('Test set — STOI (%): 6 pairs (1 per condition)');
    // A corpus v1 (no environmental set): --set all scores the paper set and says so.
    const v1 = await cli('evalset', '--model', hush, '--corpus', corpus, '--threads', '1', '--limit', '1');
    expect(v1.code, v1.err).toBe(0);
    expect(v1.err).toMatch(/testset-environment does not exist/);
  });
});
