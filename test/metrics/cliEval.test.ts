/**
 * `hushpack eval --json` prints exactly one JSON object with the eight metric keys (infinities as
 * "inf"), and a bad input exits with status 1 and a message naming the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { FIXTURE_DIR } from './fixtures.js';

afterEach(() => vi.restoreAllMocks());

const tmp = mkdtempSync(join(tmpdir(), 'hushpack-evalset-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hushpack eval', () => {
  it('--json prints one object with the metric keys; identity gives inf SI-SNR and SDR', async () => {
    const io = capture();
    const ref = FIXTURE_DIR + 'espeak_clean.wav';
    const code = await main(['node', 'hushpack', 'eval', '--ref', ref, '--deg', ref, '--json']);
    expect(code).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines.length).toBe(1);
    const obj = JSON.parse(lines[0]);
    expect(Object.keys(obj)).toEqual(['pesq_nb', 'pesq_nb_raw', 'pesq_wb', 'stoi', 'estoi', 'sisnr', 'sdr', 'sdr_bss']);
    expect(obj.sisnr).toBe('inf');
    expect(obj.sdr).toBe('inf');
    expect(obj.pesq_nb).toBeCloseTo(4.5486383438110352, 6);
    expect(obj.pesq_wb).toBeCloseTo(4.6438884735107422, 6);
    expect(obj.stoi).toBeCloseTo(1, 12);
  });

  it('different lengths fail with status 1 and name both files', async () => {
    const io = capture();
    const code = await main([
      'node', 'hushpack', 'eval', '--ref', FIXTURE_DIR + 'espeak_clean.wav', '--deg', FIXTURE_DIR + 'allison_clean.wav', '--json',
    ]);
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/espeak_clean\.wav has 130257 samples but .*allison_clean\.wav has 90470/);
  });
});

describe('hushpack evalset', () => {
  it('--json prints per-pair rows and means; --threads 1 runs in process', async () => {
    const list = join(tmp, 'pairs.tsv');
    writeFileSync(
      list,
      `ref\tdeg\n${FIXTURE_DIR}allison_clean.wav\t${FIXTURE_DIR}allison_clean.wav\n${FIXTURE_DIR}allison_clean.wav\t${FIXTURE_DIR}allison_white_25.wav\n`,
    );
    const io = capture();
    const code = await main(['node', 'hushpack', 'evalset', '--pairs', list, '--threads', '1', '--json']);
    expect(code).toBe(0);
    const obj = JSON.parse(io.out().trim());
    expect(obj.count).toBe(2);
    expect(obj.pairs[0].sisnr).toBe('inf');
    expect(obj.pairs[1].pesq_nb).toBeCloseTo(2.1741940975189209, 6);
    expect(obj.mean.sisnr).toBe('inf');
    expect(obj.mean.stoi).toBeCloseTo((0.9999999999999998 + 0.9863073787431975) / 2, 10);
  });

  it('--workers is the metric workers flag; the old --threads still works, hidden, with a notice', async () => {
    const list = join(tmp, 'pairs1.tsv');
    writeFileSync(list, `ref\tdeg\n${FIXTURE_DIR}allison_clean.wav\t${FIXTURE_DIR}allison_clean.wav\n`);
    let io = capture();
    expect(await main(['node', 'hushpack', 'evalset', '--pairs', list, '--workers', '1', '--json'])).toBe(0);
    expect(JSON.parse(io.out().trim()).count).toBe(1);
    expect(io.err()).not.toMatch(/deprecated/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['node', 'hushpack', 'evalset', '--pairs', list, '--threads', '1', '--json'])).toBe(0);
    expect(io.err()).toMatch(/--threads is deprecated here, use --workers/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['node', 'hushpack', 'evalset', '--pairs', list, '--workers', '0'])).toBe(1);
    expect(io.err()).toMatch(/--workers must be a positive integer/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['node', 'hushpack', 'evalset', '--help'])).toBe(0);
    expect(io.out()).toMatch(/--workers <n>/);
    expect(io.out()).not.toMatch(/--threads/);
    expect(io.out()).toMatch(/--set <name>.*\(default: "all"\)/s);
  });

  it('refuses a bad --threads value', async () => {
    const io = capture();
    const code = await main(['node', 'hushpack', 'evalset', '--pairs', 'x.tsv', '--threads', '0']);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/--threads must be a positive integer/);
  });
});
