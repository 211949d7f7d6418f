/**
 * The AudioWorklet host (src/peers/workletHost.ts) on small processor scripts of our own: every
 * quantum is fed in order with currentFrame advancing by 128, the port carries the node's messages,
 * the scope looks like a worklet scope (no process/require), and bad scripts or processors fail
 * with clear errors. The cross-correlation lag finder (src/peers/xcorr.ts) on a known shift.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { quantaRun, RENDER_QUANTUM_SAMPLES, WorkletScope } from '../../src/peers/workletHost.js';
import { xcorrPeak } from '../../src/peers/xcorr.js';

const tmp = mkdtempSync(join(tmpdir(), 'hushpack-worklet-host-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

/**
 * A processor that outputs its input delayed by `delay` samples, records currentFrame and
 * currentTime per call, and says what the scope looks like; loads "asynchronously" like the peers
 * (its `processor` field appears after a macrotask).
 */
const DELAY_PROCESSOR = `
class DelayProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.delay = options.processorOptions.delay;
    this.line = new Float32Array(this.delay + 128);
    this.frames = [];
    this.times = [];
    this.messages = [];
    this.scope = { process: typeof process, require: typeof require, window: typeof window, fetch: typeof fetch, rate: sampleRate, url: ${'import.meta.url'} };
    this.port.addEventListener('message', (e) => this.messages.push(e.data));
    setTimeout(() => { this.processor = { ready: true }; }, 1);
  }
  process(inputs, outputs) {
    this.frames.push(currentFrame);
    this.times.push(currentTime);
    const x = inputs[0][0], y = outputs[0][0], d = this.delay;
    this.line.copyWithin(0, 128);
    this.line.set(x, d);
    y.set(this.line.subarray(0, 128));
    return true;
  }
}
registerProcessor('delay', DelayProcessor);
`.replace('setTimeout', 'Promise.resolve().then');

describe('WorkletScope', () => {
  it('feeds every quantum in order, currentFrame += 128, and the output is the processor\'s', async () => {
    const scope = new WorkletScope(16000);
    scope.scriptLoad(script('delay.js', DELAY_PROCESSOR));
    expect(scope.processorNames()).toEqual(['delay']);
    const p = await scope.processorCreate('delay', { delay: 37 });
    const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.05) * (1 + (i % 7)));
    const run = quantaRun(scope, p, x);
    const quanta = Math.ceil(1000 / RENDER_QUANTUM_SAMPLES);
    expect(run.quanta).toBe(quanta);
    expect(run.calls).toBe(quanta);
    expect(run.output.length).toBe(quanta * 128);
    expect(run.callNs.every((t) => t > 0)).toBe(true);
    const q = p as unknown as { frames: number[]; times: number[]; scope: Record<string, unknown>; messages: unknown[] };
    expect(q.frames).toEqual(Array.from({ length: quanta }, (_, k) => 128 * k));
    expect(q.times[3]).toBeCloseTo((3 * 128) / 16000, 12);
    for (let i = 0; i < 1000 - 37; i++) expect(run.output[i + 37]).toBe(x[i]);
    for (let i = 0; i < 37; i++) expect(run.output[i]).toBe(0);
    // Like a worklet scope: no Node globals; import.meta.url is the script's file URL.
    expect(q.scope).toMatchObject({ process: 'undefined', require: 'undefined', window: 'undefined', fetch: 'undefined', rate: 16000 });
    expect(q.scope.url).toMatch(/^file:\/\/.*delay\.js$/);
    p.port.deliver('destroy');
    expect(q.messages).toEqual(['destroy']);
    // The delay shows as the cross-correlation peak.
    expect(xcorrPeak(x, run.output, 100).lag).toBe(37);
    expect(xcorrPeak(run.output, x, 100).lag).toBe(-37);
  });

  it('two instances have separate state', async () => {
    const scope = new WorkletScope(48000);
    scope.scriptLoad(script('delay2.js', DELAY_PROCESSOR));
    const a = await scope.processorCreate('delay', { delay: 5 });
    const b = await scope.processorCreate('delay', { delay: 5 });
    const x = Float32Array.from({ length: 256 }, (_, i) => i + 1);
    const ya = quantaRun(scope, a, x).output;
    const yb = quantaRun(scope, b, x).output;
    expect(yb).toEqual(ya);
  });

  it('rejects bad scripts, names, processors and rates with clear errors', async () => {
    expect(() => new WorkletScope(0)).toThrow(UserError);
    const scope = new WorkletScope(16000);
    expect(() => scope.scriptLoad(join(tmp, 'missing.js'))).toThrow(/cannot read the worklet script/);
    expect(() => scope.scriptLoad(script('imports.js', "import x from './x.js';\nregisterProcessor('x', class {});"))).toThrow(/import\/export statements/);
    scope.scriptLoad(script('a.js', DELAY_PROCESSOR));
    expect(() => scope.scriptLoad(script('b.js', DELAY_PROCESSOR))).toThrow(/'delay' is already registered/);
    await expect(scope.processorCreate('nope', {})).rejects.toThrow(/no processor 'nope' registered \(have: delay\)/);
    scope.scriptLoad(script('bad.js', `
      class Stop extends AudioWorkletProcessor { constructor() { super(); this.processor = 1; } process() { return false; } }
      class Nan extends AudioWorkletProcessor { constructor() { super(); this.processor = 1; } process(i, o) { o[0][0][5] = NaN; return true; } }
      registerProcessor('stop', Stop); registerProcessor('nan', Nan);`));
    const stop = await scope.processorCreate('stop', {});
    const nan = await scope.processorCreate('nan', {});
    const x = new Float32Array(300);
    expect(() => quantaRun(scope, stop, x)).toThrow(/stopped \(process\(\) returned false\) at quantum 0/);
    expect(() => quantaRun(scope, nan, x)).toThrow(/not finite \(NaN\) at sample 5/);
  });
});
