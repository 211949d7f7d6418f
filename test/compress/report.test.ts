/**
 * `hushpack report`: reads compress reports and checkpoints from a folder and writes one
 * self-contained HTML page with the tables and SVG figures. The reports come from real tiny runs
 * (prune-u, c1 and global on the fixture corpus, loss-only validation to stay fast).
 * Skipped without the libtorch addon.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/train/torch.js';
import { presetConfig } from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import { checkpointWrite } from '../../src/train/checkpoint.js';
import { TRAIN_DEFAULTS } from '../../src/train/trainer.js';
import { compressRun, type CompressOptions } from '../../src/compress/pipelines.js';
import { reportInputsRead } from '../../src/compress/reportData.js';
import { reportHtml } from '../../src/compress/reportHtml.js';
import { main } from '../../tools/cli.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

suite('hushpack report', () => {
  it('renders tables and figures from real runs into one HTML file', async () => {
    const config = presetConfig('fdnn', 'tiny');
    const ckpt = join(dir, 'fdnn.safetensors');
    const net = createNet(config, { seed: 2 });
    checkpointWrite(ckpt, net, {
      arch: 'fdnn', preset: 'tiny', hparams: JSON.stringify(config.hparams), config: JSON.stringify(config),
      training: JSON.stringify({ ...TRAIN_DEFAULTS, batch: 2, segmentSeconds: 1, stepsPerEpoch: 2, valItems: 2, valSeconds: 1 }),
      epoch: '1', step: '2', val: JSON.stringify({ loss: 0.1, stoi: 0.7, pesq_nb: 1.9 }),
    });
    net.dispose();
    const base: Omit<CompressOptions, 'pipeline' | 'out'> = {
      input: ckpt, corpusDir: FIXTURE, finetuneSteps: 1, preSteps: 1, maxIterations: 2, sensItems: 2, sensSeconds: 1,
      valItems: 2, valSeconds: 1, valMetrics: false, workers: 1, threads: 1, prefetch: false, minNewlyPrunedFraction: 0,
    };
    for (const [pipeline, extra] of [['prune-u', {}], ['c1', {}], ['global', { alpha1: 0.01 }], ['quant', {}]] as const) {
      await compressRun({ ...base, ...extra, pipeline, out: join(dir, `fdnn-${pipeline}.hush`) });
    }
    writeFileSync(join(dir, 'junk.json'), '{"not": "a report"}');
    const inputs = reportInputsRead(dir);
    expect(inputs.reports.length).toBe(4);
    expect(inputs.models.length).toBe(1);
    const { html, figures } = await reportHtml(inputs);
    expect(html).toContain('Table I');
    expect(html).toContain('Table III');
    expect(html).toContain('Table V');
    expect(html).toContain('FDNN_C1');
    expect(figures).toBeGreaterThanOrEqual(4);
    expect((html.match(/<svg/g) ?? []).length).toBe(figures);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);

    const out = join(dir, 'report.html');
    let stdout = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string) => ((stdout += c), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'hushpack', 'report', '--results', dir, '--out', out, '--json']);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    expect(JSON.parse(stdout).reports).toBe(4);
    expect(readFileSync(out, 'utf8')).toContain('<svg');
  });
});
