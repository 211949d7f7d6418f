/**
 * `hushpack live`: the per-second report and its verdict (tools/live/liveReport.ts), and a short
 * real run through node-web-audio-api without a sound card (synthetic tone in, no output device).
 * No timing is asserted: on a loaded machine the real-time path may well not keep up, and the
 * command must then say so, which is what the run checks.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIVE_LAG_TOLERANCE_SECONDS, dbfs, liveLine, liveProblems, liveWarning, type LiveWindow } from '../../tools/live/liveReport.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { distWebDir } from '../../src/demo/paths.js';

afterEach(() => vi.restoreAllMocks());

/** A second in which everything kept up: 100 hops, no miss, audio clock = wall clock. */
const calm: LiveWindow = {
  wallSeconds: 3, audioSeconds: 2.98, wallSecondsBefore: 2, audioSecondsBefore: 1.98,
  p50Us: 120, p99Us: 300, maxUs: 450, budgetUs: 8000,
  hops: 300, hopsBefore: 200, misses: 1, missesBefore: 1, overloads: 0, overloadsBefore: 0, overloaded: false,
  renderLoadAverage: 0.1, renderLoadPeak: 0.3, underrunRatio: 0,
  inputDb: -30.5, outputDb: -32, levelGainDb: 30.5,
};

describe('live report', () => {
  it('a calm second: the figures, no problem', () => {
    const line = liveLine(calm);
    expect(line).toContain('p50 120 p99 300 max 450 (budget 8000)');
    expect(line).toContain('misses 0/100 (total 1)');
    expect(line).toContain('render load 10 % (peak 30 %) underruns 0.0 %');
    expect(line).toContain('in -30.5 dBFS out -32.0 dBFS (level gain 30.5 dB)');
    expect(liveProblems(calm)).toEqual([]);
  });

  it('misses, overloads, underruns and a lagging audio clock are each reported', () => {
    expect(liveProblems({ ...calm, misses: 4 })).toEqual(['3 of 100 hops took longer than their 10 ms']);
    expect(liveProblems({ ...calm, overloads: 1 })[0]).toMatch(/overload fallback switched the output to the dry input 1 time/);
    expect(liveProblems({ ...calm, underrunRatio: 0.025 })).toEqual(['2.5 % of the render quanta underran']);
    const lag = LIVE_LAG_TOLERANCE_SECONDS + 0.01;
    expect(liveProblems({ ...calm, audioSeconds: calm.audioSeconds - lag })[0]).toMatch(/audio clock lost 60 ms/);
    expect(liveProblems({ ...calm, audioSeconds: calm.audioSeconds - LIVE_LAG_TOLERANCE_SECONDS + 0.01 })).toEqual([]);
    expect(liveLine({ ...calm, overloaded: true })).toContain('OVERLOAD: dry output');
  });

  it('the warning names the problem and the direct path', () => {
    const w = liveWarning(['3 of 100 hops took longer than their 10 ms'], calm);
    expect(w).toMatch(/NOT KEEPING UP IN REAL TIME: 3 of 100 hops/);
    expect(w).toContain('needs 300 µs per 10-ms hop at p99');
    expect(w).toContain("'hushpack enhance --model M.hush in.wav out.wav'");
    expect(w).toContain('Enhancer.process(hop)');
    expect(liveWarning(['x'], { hops: 0, p99Us: 0 })).toContain('No hop has been timed yet');
  });

  it('levels: dBFS of a mean square, silence is -Infinity', () => {
    expect(dbfs(1)).toBe(0);
    expect(dbfs(0.01)).toBeCloseTo(-20, 12);
    expect(dbfs(0)).toBe(-Infinity);
    expect(liveLine({ ...calm, outputDb: -Infinity })).toContain('out silent');
  });
});

describe.skipIf(!existsSync(join(distWebDir(), 'hush-worklet.js')))('hushpack live (node-web-audio-api, no sound card; needs npm run build)', () => {
  it('a tone through HushNode for 2 s: per-second lines on stderr, one summary object on stdout', async () => {
    const io = capture();
    const code = await main(['node', 'hushpack', 'live', '--input', 'tone', '--output', 'none', '--seconds', '2', '--json']);
    expect(code, io.err()).toBe(0);
    const s = JSON.parse(io.out().trim());
    expect(s).toMatchObject({ input: 'tone', output: 'none', sampleRate: expect.any(Number), keptUp: expect.any(Boolean) });
    expect(s.wallSeconds).toBeGreaterThanOrEqual(1.9);
    expect(s.latencyMs).toBeGreaterThan(18);
    // one line per second, and the verdict is consistent with the summary
    expect(io.err().match(/^ +[12] s {2}/gm)?.length).toBe(2);
    expect(io.err()).toMatch(/^ +1 s .*\(start-up: not judged\)$/m);
    expect(io.err().includes('NOT KEEPING UP')).toBe(!s.keptUp);
  }, 30_000);

  it('bad options are UserErrors before any audio starts', async () => {
    const io = capture();
    expect(await main(['node', 'hushpack', 'live', '--output', 'speakers'])).toBe(1);
    expect(io.err()).toContain("--output must be 'default' or 'none'");
    expect(await main(['node', 'hushpack', 'live', '--input', '/nonexistent.wav', '--output', 'none'])).toBe(1);
    expect(io.err()).toContain('/nonexistent.wav');
  });
});
