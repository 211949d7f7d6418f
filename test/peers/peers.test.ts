/**
 * The peers of @sapphi-red/web-noise-suppressor 0.4.1 (installed devDependency; nothing fetched)
 * through our worklet host (src/peers/): the fixed delay each one has, found by cross-correlation
 * on the two clean metric fixtures, equals what its buffering predicts; after compensation the
 * cross-correlation peak of output vs input lands at lag 0 on two noisy files; every quantum of
 * signal + tail is fed; the output is finite and as long as the input.
 * Then `hushpack evalset --peer speex` on a small fixture test set (2 pairs per condition, 1 s):
 * the score file's peer block, the report row beside the models, and bad inputs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readMono } from '../../src/data/wav.js';
import { openCorpus } from '../../src/data/corpus.js';
import { testsetWrite } from '../../src/data/testset.js';
import { reportInputsRead } from '../../src/compress/reportData.js';
import { reportHtml } from '../../src/compress/reportHtml.js';
import { scoreFileRead } from '../../src/evaluate/scoreFile.js';
import { batchWorkerPath } from '../../src/metrics/pool.js';
import { PEER_NAMES, PEERS } from '../../src/peers/catalog.js';
import { Peer } from '../../src/peers/peer.js';
import { RENDER_QUANTUM_SAMPLES } from '../../src/peers/workletHost.js';
import { xcorrPeak } from '../../src/peers/xcorr.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { FIXTURE_DIR } from '../metrics/fixtures.js';

const FIXTURE_CORPUS = new URL('../fixtures/corpus/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'hushpack-peers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const clean = ['allison_clean.wav', 'espeak_clean.wav'].map((f) => readMono(FIXTURE_DIR + f).samples);
const noisy = ['allison_babble_0.wav', 'espeak_white_5.wav'].map((f) => ({ f, x: readMono(FIXTURE_DIR + f).samples }));

/**
 * Delays predicted from each processor's buffering (web-noise-suppressor src/<peer>/processor.ts)
 * plus the algorithm's own frame delay, at the peer's rate:
 *   rnnoise  512 (each output quantum is read 640 behind the write position after the quantum just
 *            written, i.e. 512 behind it) + 480 (RNNoise's frame) = 992 at 48 kHz
 *   gtcrn    128 (a 256-sample frame is processed when its second quantum arrives; its first half
 *            goes out at once) + 256 (GTCRN's STFT: 512 window, 256 hop) = 384 at 16 kHz
 *   speex    128: one frame (speex_preprocess_run overlap-adds windows of two frames, so each output
 *            frame is the previous input frame's) at 16 kHz
 */
const PREDICTED_DELAY: Record<string, number> = { rnnoise: 992, gtcrn: 384, speex: 128 };

describe.each(PEER_NAMES)('peer %s', (name) => {
  let peer: Peer;
  beforeAll(async () => {
    peer = Peer.load(name);
    await peer.delayCalibrate(clean);
  });

  it('has the fixed delay its buffering predicts, found by cross-correlation', () => {
    expect(peer.delay.samples).toBe(PREDICTED_DELAY[name]);
    expect(peer.delay.signals).toHaveLength(2);
    for (const s of peer.delay.signals) {
      expect(Math.abs(s.lag - PREDICTED_DELAY[name])).toBeLessThanOrEqual(PEERS[name].sampleRateHz / 16000);
      expect(s.peak).toBeGreaterThan(0.9);
    }
    expect(peer.bytes).toBeGreaterThan(50_000);
  });

  it('after compensation the output lines up with the input (peak at lag 0) on two noisy files; finite, full length', async () => {
    for (const { f, x } of noisy) {
      const out = await peer.process(x);
      expect(out.y.length, f).toBe(x.length);
      expect(out.y.every(Number.isFinite), f).toBe(true);
      const k = xcorrPeak(x, out.y, 400);
      expect(k.lag, f).toBe(0);
      expect(k.peak, f).toBeGreaterThan(0.8);
      // Every quantum of signal + tail went through process(), nothing more.
      const native = Math.ceil((x.length * PEERS[name].sampleRateHz) / 16000);
      expect(out.quanta, f).toBe(Math.ceil((native + peer.delay.samples) / RENDER_QUANTUM_SAMPLES));
      expect(out.calls, f).toBe(out.quanta);
      // It did something: the output is not the input.
      let diff = 0;
      for (let i = 0; i < x.length; i++) diff += (out.y[i] - x[i]) ** 2;
      expect(diff, f).toBeGreaterThan(0);
      expect(out.usPer10ms.length).toBeGreaterThan(0);
      expect(out.usPer10ms.every((u) => u > 0)).toBe(true);
    }
  });
});

describe('hushpack evalset --peer', () => {
  const corpus = join(tmp, 'corpus');
  const results = join(tmp, 'results');
  let workers = true;
  try {
    batchWorkerPath();
  } catch {
    workers = false; // dist/ not built: metrics on this thread
  }
  beforeAll(() => {
    mkdirSync(corpus, { recursive: true });
    mkdirSync(results, { recursive: true });
    copyFileSync(join(FIXTURE_CORPUS, 'manifest.csv'), join(corpus, 'manifest.csv'));
    testsetWrite(openCorpus(FIXTURE_CORPUS), join(corpus, 'testset'), { perCondition: 2, seconds: 1 });
  });

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = capture();
    const code = await main(['node', 'hushpack', ...args]);
    vi.restoreAllMocks();
    return { code, out: io.out(), err: io.err() };
  }

  it('scores a peer on the test set: six conditions, the peer block, a report row', async () => {
    const out = join(results, 'speex.score.json');
    const r = await cli('evalset', '--peer', 'speex', '--corpus', corpus, '--split', 'test', '--threads', workers ? '2' : '1', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/peer Speex \(@sapphi-red\/web-noise-suppressor 0\.4\.1\) at 16000 Hz: delay 128 samples/);
    const s = scoreFileRead(out);
    expect(s.conditions.map((c) => `${c.noise} ${c.snrDb} ${c.count}`)).toEqual([
      'babble -5 2', 'babble 0 2', 'babble 5 2', 'cafeteria -5 2', 'cafeteria 0 2', 'cafeteria 5 2',
    ]);
    expect(s.model).toMatchObject({ arch: 'speex', backend: 'peer' });
    expect(s.model.path).toMatch(/speex\.wasm$/);
    const p = s.peer!;
    expect(p).toMatchObject({ name: 'speex', packageVersion: '0.4.1', sampleRateHz: 16000, frameSamples: 128, delay: { samples: 128 } });
    // The compensation holds on every scored file.
    expect(p.lagAfterCompensation).toEqual({ 0: 12 });
    expect(p.bytes.total).toBe(p.bytes.wasm + p.bytes.script);
    expect(s.model.bytes).toBe(p.bytes.total);
    expect(p.cost.usP50).toBeGreaterThan(0);
    expect(p.cost.usP99).toBeGreaterThanOrEqual(p.cost.usP50);
    expect(p.cost.blocks).toBeGreaterThan(12 * 50);
    for (const c of s.conditions) {
      for (const k of ['stoi', 'pesq_nb', 'pesq_wb', 'sisnr']) expect(typeof c.enhanced[k], `${k}`).toBe('number');
    }
    // The report puts it in the test-set tables and the peers' table.
    const { html } = await reportHtml(reportInputsRead(results));
    expect(html).toContain('Speex (peer, speex)');
    expect(html).toMatch(/Peers[^<]*<\/caption>/);
    expect(html).toMatch(/PESQ \(wide band, P\.862\.2\)/);
    // hushpack report --peers takes the peers from a folder of their own, beside a results folder's models.
    const models = join(tmp, 'models');
    mkdirSync(models, { recursive: true });
    const page = join(tmp, 'report.html');
    const rr = await cli('report', '--results', models, '--peers', results, '--out', page, '--json');
    expect(rr.code, rr.err).toBe(0);
    expect(JSON.parse(rr.out)).toMatchObject({ scores: 1 });
    expect(readFileSync(page, 'utf8')).toContain('Speex (peer, speex)');
    expect((await cli('report', '--results', models, '--peers', models, '--out', page)).err).toMatch(/no score files/);
  });

  it('bad inputs are clear errors', async () => {
    let r = await cli('evalset', '--peer', 'deepfilter', '--corpus', corpus);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--peer deepfilter: unknown peer \(choose one of rnnoise, gtcrn, speex\)/);
    r = await cli('evalset', '--peer', 'speex', '--model', 'm.hush', '--corpus', corpus);
    expect(r.err).toMatch(/--model and --peer: score one of them per run/);
    r = await cli('evalset', '--peer', 'speex');
    expect(r.err).toMatch(/--peer needs --corpus DIR/);
    r = await cli('evalset', '--peer', 'speex', '--pairs', 'x.tsv');
    expect(r.err).toMatch(/--pairs and --peer are two modes/);
  });
});
