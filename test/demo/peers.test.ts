/**
 * The demo's peers (src/demo/peers.ts) on one bundled clip: each peer writes its enhanced WAV
 * (16 kHz, the clip's length, finite) with its delay and cost; without the package installed the
 * demo gets a note instead of failing.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readMono } from '../../src/data/wav.js';
import { demoClipsLoad } from '../../src/demo/clips.js';
import { demoClipsDir } from '../../src/demo/paths.js';
import { demoPeersRun } from '../../src/demo/peers.js';
import * as catalog from '../../src/peers/catalog.js';
import { UserError } from '../../src/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'hushpack-demo-peers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

vi.mock('../../src/peers/catalog.js', async (original) => {
  const m = await original<typeof catalog>();
  return { ...m, peerPackageDir: vi.fn(m.peerPackageDir) };
});

describe('demoPeersRun', () => {
  const clip = demoClipsLoad(demoClipsDir()).slice(0, 1);

  it('writes each peer\'s enhanced clip, finite and as long as the mixture', async () => {
    const out = join(tmp, 'a');
    mkdirSync(join(out, 'enhanced'), { recursive: true });
    const lines: string[] = [];
    const { peers, note } = await demoPeersRun(clip, ['c1'], out, (l) => lines.push(l));
    expect(note).toBeNull();
    expect(peers.map((p) => [p.name, p.enhanced])).toEqual([
      ['rnnoise', ['enhanced/c1_rnnoise.wav']], ['gtcrn', ['enhanced/c1_gtcrn.wav']], ['speex', ['enhanced/c1_speex.wav']],
    ]);
    for (const p of peers) {
      const a = readMono(join(out, p.enhanced[0]));
      expect(a.sampleRate).toBe(16000);
      expect(a.samples.length).toBe(clip[0].mix.length);
      expect(a.samples.every(Number.isFinite)).toBe(true);
      expect(p.delaySamples).toBeGreaterThan(0);
      expect(p.usP50).toBeGreaterThan(0);
      expect(p.bytes).toBeGreaterThan(50_000);
    }
    expect(lines).toHaveLength(3);
  });

  it('without the package: no peers, a note saying how to install it', async () => {
    vi.mocked(catalog.peerPackageDir).mockImplementation(() => {
      throw new UserError('the peers need @sapphi-red/web-noise-suppressor 0.4.1 (a devDependency of hushpack): run `npm install`');
    });
    const { peers, note } = await demoPeersRun(clip, ['c1'], join(tmp, 'b'), () => undefined);
    expect(peers).toEqual([]);
    expect(note).toMatch(/^peers not shown: the peers need @sapphi-red\/web-noise-suppressor/);
  });
});
