/**
 * `hushpack train` and signals: SIGTERM (or Ctrl-C) stops the run after the current step with its
 * state saved and the handlers removed; `--resume --stop-patience N` then changes the plateau rule's
 * patience of that run (the one setting a resume may change, src/train/schedule.ts) and records it.
 * Skipped without the libtorch addon.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { trainStateRead } from '../../src/train/checkpoint.js';
import type { TrainLoopState } from '../../src/train/trainer.js';
import * as torch from '../../src/torch/torch.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-train-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

(torch.isTorchAvailable() ? describe : describe.skip)('train: stopping on a signal, resuming with a longer stop patience', () => {
  it('SIGTERM saves the state and ends the run; a resume raises the stop patience', async () => {
    const out = join(dir, 'fdnn.safetensors');
    const listeners = process.listenerCount('SIGTERM');
    const io = capture();
    const run = main([
      'node', 'hushpack', 'train', '--arch', 'fdnn', '--preset', 'tiny', '--corpus', FIXTURE, '--out', out, '--lr-schedule', 'plateau',
      '--epochs', '5', '--steps-per-epoch', '100000', '--val-items', '2', '--threads', '1', '--no-val-metrics', '--no-prefetch', '--json',
    ]);
    // The state file appears after the initial validation; the run is then stepping.
    for (let i = 0; i < 600 && !existsSync(`${out}.state`); i++) await sleep(100);
    expect(existsSync(`${out}.state`)).toBe(true);
    process.emit('SIGTERM');
    expect(await run, io.err()).toBe(0);
    expect(io.err()).toContain('stopping after this step');
    const report = JSON.parse(io.out());
    expect(report.stop_reason).toBe('signal');
    expect(report.epoch).toBe(0);
    const saved = trainStateRead(`${out}.state`).state as TrainLoopState;
    expect(saved.globalStep).toBe(report.step);
    expect(saved.hyper.stopPatience).toBe(3);
    expect(process.listenerCount('SIGTERM')).toBe(listeners);

    vi.restoreAllMocks();
    const io2 = capture();
    const code = await main([
      'node', 'hushpack', 'train', '--resume', '--stop-patience', '7', '--corpus', FIXTURE, '--out', out,
      '--epochs', '5', '--minutes', '0.001', '--threads', '1', '--no-val-metrics', '--no-prefetch', '--json',
    ]);
    expect(code, io2.err()).toBe(0);
    expect(io2.err()).toContain('stop patience 3 → 7 epochs');
    expect(io2.err()).not.toContain('ignoring');
    const resumed = trainStateRead(`${out}.state`).state as TrainLoopState;
    expect(resumed.hyper.stopPatience).toBe(7);
    expect(JSON.parse(io2.out()).stop_reason).toBe('minutes');
    expect(resumed.globalStep).toBeGreaterThanOrEqual(saved.globalStep); // the same run, continued
  }, 180_000);
});
