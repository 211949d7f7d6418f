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
import * as torch from '../../src/torch/torch.js';
import { compressRun, type CompressOptions } from '../../src/compress/pipelines.js';
import { reportInputsRead } from '../../src/compress/reportData.js';
import { reportHtml } from '../../src/compress/reportHtml.js';
import { main } from '../../tools/cli.js';
import { stdoutOf } from '../helpers/cli.js';
import { tinyCheckpointWrite } from './checkpoint.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

suite('hushpack report', () => {
  it('renders tables and figures from real runs into one HTML file', async () => {
    const ckpt = tinyCheckpointWrite(
      join(dir, 'fdnn.safetensors'), 'fdnn', 2, { batch: 2, segmentSeconds: 1, stepsPerEpoch: 2, valItems: 2, valSeconds: 1 },
      { val: JSON.stringify({ loss: 0.1, stoi: 0.7, pesq_nb: 1.9 }) },
    );
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
    const { result: code, out: stdout } = await stdoutOf(() => main(['node', 'hushpack', 'report', '--results', dir, '--out', out, '--json']));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).reports).toBe(4);
    expect(readFileSync(out, 'utf8')).toContain('<svg');
  });
});
