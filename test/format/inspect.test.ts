/** `hushpack inspect`: eq. 11 figures against a hand computation on a small FDNN. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectFile, formatInspect } from '../../src/models/inspect.js';
import { writeHush } from '../../src/format/writer.js';
import { writeSafetensors } from '../../src/format/safetensors.js';
import { main } from '../../tools/cli.js';
import { stdoutOf } from '../helpers/cli.js';
import { rng, randn } from './fixture.js';

/**
 * FDNN with hidden_units [4]: fc1.weight [4, 161], fc1.bias [4], out.weight [161, 4], out.bias [161]
 * → P = 644 + 4 + 644 + 161 = 1453 parameters.
 *   fc1.weight  k-means K = 4, N = 100, f32 codebook: 100·log2 4 + 32·4 = 328 bits
 *   fc1.bias    dense f32: 32·4 = 128 bits
 *   out.weight  k-means K = 2, N = 322, f16 codebook: 322·log2 2 + 16·2 = 354 bits
 *   out.bias    dense f32: 32·161 = 5152 bits
 * Σ = 5962 bits; paper rate = 32·1453 / 5962 = 46496 / 5962 ≈ 7.7987.
 * Eq. 11 of fc1.weight alone: 32·100 / 328 ≈ 9.7561.
 * MACs per 4 s (401 frames, Linear = 1 MAC per weight): (100 + 322)·401 = 169 222; dense (644 + 644)·401 = 516 488.
 */
function smallFdnn(): Uint8Array {
  const r = rng(21);
  const pos1 = Uint32Array.from({ length: 100 }, (_, i) => i * 6); // every 6th of 644
  const pos2 = Uint32Array.from({ length: 322 }, (_, i) => 2 * i); // columns 0 and 2 of [161, 4]: a group list
  return writeHush({
    config: { arch: 'fdnn', hparams: { hidden_units: [4] } },
    metadata: { pipeline: 'c1' },
    tensors: {
      'fc1.weight': { encoding: 'kmeans', shape: [4, 161], codebook: new Float32Array([-0.5, -0.25, 0.25, 0.5]), positions: pos1, indices: Uint32Array.from({ length: 100 }, (_, i) => i % 4) },
      'fc1.bias': { encoding: 'f32', shape: [4], data: randn(4, r) },
      'out.weight': { encoding: 'kmeans', shape: [161, 4], codebook: new Float32Array([-1, 1]), codebookDtype: 'f16', positions: pos2, indices: Uint32Array.from({ length: 322 }, (_, i) => i % 2) },
      'out.bias': { encoding: 'f32', shape: [161], data: randn(161, r) },
    },
  });
}

describe('inspect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hush-inspect-'));
  const hushPath = join(dir, 'small.hush');
  const bytes = smallFdnn();
  writeFileSync(hushPath, bytes);

  it('computes eq. 11 as by hand', () => {
    const r = inspectFile(hushPath);
    expect(r.totals.parameters).toBe(1453);
    expect(r.totals.parametersFrom).toBe('config');
    expect(r.tensors.map((t) => t.eq11Bits)).toEqual([328, 128, 354, 5152]);
    expect(r.totals.paperRate).toBeCloseTo(46496 / 5962, 12);
    expect(r.tensors[0].eq11Rate).toBeCloseTo(3200 / 328, 12);
    expect(r.tensors[2].eq11Rate).toBeCloseTo((32 * 322) / (322 + 64), 12); // the paper's formula assumes an f32 codebook
    expect(r.totals.actualRate).toBeCloseTo((4 * 1453) / bytes.length, 12);
    expect(r.totals.macsPer4s).toBe(169222);
    expect(r.totals.denseMacsPer4s).toBe(516488);
    expect(r.totals.nonzeros).toBe(100 + 4 + 322 + 161);
    expect(r.tensors.map((t) => [t.k, t.bits, t.sparsity])).toEqual([[4, 2, 'delta'], [null, null, null], [2, 1, 'groups'], [null, null, null]]);
    expect(r.warnings).toEqual([]);
    expect(formatInspect(r)).toContain('paper (eq. 11) 7.80×');
  });

  it('--json prints exactly one JSON object on stdout', async () => {
    const { result: code, out } = await stdoutOf(() => main(['node', 'hushpack', 'inspect', hushPath, '--json']));
    expect(code).toBe(0);
    const parsed = JSON.parse(out);
    expect(parsed.totals.macsPer4s).toBe(169222);
  });

  it('shows a safetensors checkpoint as dense f32 with rate 1', () => {
    const p = join(dir, 'c.safetensors');
    const r = rng(2);
    writeFileSync(
      p,
      writeSafetensors(
        new Map([
          ['fc1.weight', { shape: [4, 161], data: randn(644, r) }],
          ['fc1.bias', { shape: [4], data: randn(4, r) }],
          ['out.weight', { shape: [161, 4], data: randn(644, r) }],
          ['out.bias', { shape: [161], data: randn(161, r) }],
        ]),
        { arch: 'fdnn', hparams: '{"hidden_units":[4]}' },
      ),
    );
    const rep = inspectFile(p);
    expect(rep.format).toBe('safetensors');
    expect(rep.totals.parameters).toBe(1453);
    expect(rep.totals.paperRate).toBe(1);
    expect(rep.totals.macsPer4s).toBe(516488);
    expect(rep.tensors.every((t) => t.encoding === 'f32')).toBe(true);
  });

  it('rejects a corrupt file with a message naming it', () => {
    const p = join(dir, 'bad.hush');
    writeFileSync(p, bytes.slice(0, bytes.length - 30));
    expect(() => inspectFile(p)).toThrow(/bad\.hush: tensor out\.bias: data ends \d+ bytes past the file/);
  });
});
