/**
 * Validation curves (issue 17 §3): `hushpack report --train-logs` draws each training log's
 * validation STOI / PESQ / loss against the step with the "has it flattened?" numbers
 * (src/train/curves.ts, src/compress/reportTraining.ts), and tools/experiments/trainCurves.ts
 * writes docs/results/train/curves.md. On small synthetic logs; no libtorch.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportInputsRead } from '../../src/compress/reportData.js';
import { reportHtml } from '../../src/compress/reportHtml.js';
import { trainPointCount } from '../../src/compress/reportTraining.js';
import { curveFlatness, curvesMarkdown, flatnessLine, leastSquaresSlope, trainHoursAt, trainHourTicks, trainStepAtHours } from '../../src/train/curves.js';
import { trainLogRead, trainRunsRead, type TrainLeg } from '../../src/train/trainLog.js';
import { UserError } from '../../src/errors.js';
import { main } from '../../tools/cli.js';
import { stdoutOf } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'hushpack-curves-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A log line with the trainer's fields (EpochRecord). */
function rec(epoch: number, step: number, valLoss: number, stoi: number | null, lr: number, best: boolean, pesqWb: number | null = 1.1): object {
  return {
    epoch, step, partial: false, train_loss: epoch ? valLoss - 1 : null, val_loss: valLoss, val_stoi: stoi, val_pesq_nb: 1.4, val_pesq_wb: pesqWb,
    mix_stoi: 0.6, mix_pesq_nb: 1.3, mix_pesq_wb: 1.05, lr, step_seconds: 1, mixtures_per_second: 16, val_seconds: 2, best, time: '2026-12-04T00:00:00.000Z',
  };
}
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Still improving: STOI up 1 point per validation, loss falling 1 per 100 steps. */
const RISING = [0, 1, 2, 3, 4, 5].map((e) => rec(e, 100 * e, 20 - e, 0.6 + 0.01 * e, 1e-3, e > 0));
/** Flat: STOI and loss stop moving after epoch 3; lr halves at epoch 4; best at epoch 3. */
const FLAT = [
  rec(0, 0, 20, 0.6, 1e-3, false), rec(1, 100, 15, 0.65, 1e-3, true), rec(2, 200, 12, 0.68, 1e-3, true), rec(3, 300, 11, 0.7, 1e-3, true),
  rec(4, 400, 11.02, 0.6995, 5e-4, false), rec(5, 500, 11.01, 0.7, 5e-4, false), rec(6, 600, 11.0, 0.6998, 5e-4, false),
];
const LEGS: TrainLeg[] = [
  // A leg that failed before its first step trains nothing and adds no hours.
  { run: 'flat', start: '', end: '', wall_seconds: 87, loadavg_start: '', loadavg_end: '', epoch_start: 0, step_start: 0, epoch_end: 0, step_end: 0, exit_code: 1, command: 'hushpack train --out flat.safetensors' },
  { run: 'flat', start: '', end: '', wall_seconds: 3600, loadavg_start: '', loadavg_end: '', epoch_start: 0, step_start: 0, epoch_end: 4, step_end: 400, exit_code: 0, command: 'hushpack train --resume' },
  { run: 'flat', start: '', end: '', wall_seconds: 1800, loadavg_start: '', loadavg_end: '', epoch_start: 4, step_start: 400, epoch_end: 6, step_end: 600, exit_code: 0, command: 'hushpack train --resume' },
];

const logs = join(tmp, 'logs');
mkdirSync(join(logs, 'sub'), { recursive: true });
writeFileSync(join(logs, 'rising.log.jsonl'), jsonl(RISING));
writeFileSync(join(logs, 'sub', 'flat.safetensors.log.jsonl'), jsonl(FLAT));
writeFileSync(join(logs, 'legs.jsonl'), jsonl(LEGS));
writeFileSync(join(logs, 'rising.command'), 'hushpack train --out rising.safetensors --epochs 5\n');

describe('flattening numbers', () => {
  it('least squares: the slope of a known line, null without two distinct x', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(leastSquaresSlope([0, 1, 2], [0, 1, 0])).toBeCloseTo(0, 12);
    expect(leastSquaresSlope([5], [1])).toBeNull();
    expect(leastSquaresSlope([5, 5], [1, 2])).toBeNull();
  });

  it('a rising curve is still improving: +3 STOI points over the last 3 epochs, loss −1 per 100 steps', () => {
    const f = curveFlatness(trainLogRead(join(logs, 'rising.log.jsonl')));
    // Epochs of 100 steps; the last 3 (steps > 200) best 0.65 minus the best before them 0.62: +3 points.
    expect(f.stoiGainPoints).toBeCloseTo(3, 9);
    // Last third of steps 0…500: steps ≥ 333.3, i.e. 400 and 500: loss 16 → 15.
    expect(f.lossWindow).toEqual({ fromStep: 400, toStep: 500, points: 2 });
    expect(f.lossSlopePer1kSteps).toBeCloseTo(-10, 9);
    expect(f.lossChangePercent).toBeCloseTo((100 * -0.01 * 100) / 15.5, 9);
    expect(f.verdict).toBe('still improving');
  });

  it('a flat curve has flattened: STOI gain ≤ 0 over the last 3 epochs, loss change within 1 %', () => {
    const f = curveFlatness(FLAT as never);
    expect(f.stoiGainPoints).toBeCloseTo(0, 9); // best of 0.6995, 0.7, 0.6998 = 0.7 = the earlier best
    // Steps ≥ 400: (400, 11.02), (500, 11.01), (600, 11.0): slope −0.0001 per step.
    expect(f.lossWindow).toEqual({ fromStep: 400, toStep: 600, points: 3 });
    expect(f.lossSlopePer1kSteps).toBeCloseTo(-0.1, 9);
    expect(f.lossChangePercent).toBeCloseTo((100 * -0.0001 * 200) / 11.01, 9);
    expect(f.verdict).toBe('flattened');
  });

  it('the STOI window is K epochs of steps: a partial validation (a leg stopped mid-epoch) does not shorten it', () => {
    // Epochs of 100 steps; a leg stopped at 450 (partial), the next resumed. Last 3 epochs: steps > 250.
    const recs = [
      rec(0, 0, 20, 0.6, 1e-3, false), rec(1, 100, 15, 0.65, 1e-3, true), rec(2, 200, 12, 0.68, 1e-3, true), rec(3, 300, 11, 0.7, 1e-3, true),
      rec(4, 400, 11, 0.69, 1e-3, false), { ...rec(4, 450, 11, 0.695, 1e-3, false), partial: true }, rec(5, 550, 11, 0.701, 1e-3, false),
    ];
    const f = curveFlatness(recs as never);
    expect(f.stoiWindow).toEqual({ afterStep: 250, epochSteps: 100, points: 4 });
    // Best of 0.7, 0.69, 0.695, 0.701 minus the best before (0.68): +2.1 points; the last 3 validations alone would say +0.1.
    expect(f.stoiGainPoints).toBeCloseTo(2.1, 9);
    expect(f.verdict).toBe('still improving');
  });

  it('too few validations to tell', () => {
    expect(curveFlatness(FLAT.slice(0, 3) as never).verdict).toBe('too few validations');
    expect(curveFlatness(FLAT.slice(0, 3) as never).stoiGainPoints).toBeNull();
    expect(curveFlatness(FLAT.slice(0, 1) as never)).toMatchObject({ verdict: 'too few validations', lossSlopePer1kSteps: null });
  });

  it('a log without STOI (validation metrics off) is judged on its loss alone', () => {
    const f = curveFlatness(FLAT.map((r) => ({ ...r, val_stoi: null })) as never);
    expect(f).toMatchObject({ stoiValidations: 0, stoiGainPoints: null, verdict: 'flattened' });
    expect(flatnessLine(f)).toMatch(/^Flattened — no val STOI in this log/);
    expect(curveFlatness(RISING.map((r) => ({ ...r, val_stoi: null })) as never).verdict).toBe('still improving');
  });

  it('hours from the legs: pro rata within a leg, the failed leg adds none, round ticks', () => {
    expect(trainHoursAt(LEGS, 0)).toBe(0);
    expect(trainHoursAt(LEGS, 200)).toBeCloseTo(0.5, 12);
    expect(trainHoursAt(LEGS, 500)).toBeCloseTo(1.25, 12);
    expect(trainHoursAt(LEGS, 700)).toBeNull();
    expect(trainStepAtHours(LEGS, 1.5)).toBeCloseTo(600, 9);
    expect(trainHourTicks(LEGS).map((t) => [t.hours, Math.round(t.step)])).toEqual([[0, 0], [0.5, 200], [1, 400], [1.5, 600]]);
  });
});

describe('training logs', () => {
  it('a folder gives its logs (recursively), legs attach by run name, the .command file is the command', () => {
    const runs = trainRunsRead([logs]);
    expect(runs.map((r) => r.run)).toEqual(['rising', 'flat']);
    expect(runs[0].command).toBe('hushpack train --out rising.safetensors --epochs 5');
    expect(runs[0].legs).toEqual([]);
    expect(runs[1].legs.length).toBe(3);
    expect(runs[1].command).toBe('hushpack train --out flat.safetensors');
  });

  it('bad, missing and empty logs: a UserError naming the file', () => {
    const bad = (name: string, text: string) => {
      writeFileSync(join(tmp, name), text);
      return join(tmp, name);
    };
    const cases: [string[], RegExp][] = [
      [[join(tmp, 'nope.log.jsonl')], /nope\.log\.jsonl: no such training log/],
      [[bad('empty.log.jsonl', '\n\n')], /empty\.log\.jsonl: empty training log/],
      [[bad('broken.log.jsonl', `${JSON.stringify(RISING[0])}\n{"epoch": 1,\n`)], /broken\.log\.jsonl:2: not JSON/],
      [[bad('other.log.jsonl', '{"hello": 1}\n')], /other\.log\.jsonl:1: 'epoch' is missing/],
      [[bad('nan.log.jsonl', jsonl([{ ...RISING[0], val_stoi: 'x' }]))], /nan\.log\.jsonl:1: 'val_stoi' is not a number/],
      [[bad('back.log.jsonl', jsonl([RISING[2], RISING[1]]))], /back\.log\.jsonl:2: step 100 after step 200/],
      [[join(logs, 'rising.log.jsonl'), bad('legs.jsonl', '{"run": "x"}\n')], /legs\.jsonl:1: 'wall_seconds' is missing/],
      [[join(logs, 'rising.command').replace('rising.command', 'sub/none')], /sub\/none: no such training log/],
    ];
    mkdirSync(join(tmp, 'nologs'), { recursive: true });
    cases.push([[join(tmp, 'nologs')], /nologs: no training logs \(\*\.log\.jsonl\) in this folder/]);
    for (const [paths, msg] of cases) {
      let err: unknown = null;
      try {
        trainRunsRead(paths);
      } catch (e) {
        err = e;
      }
      expect(err, paths.join(' ')).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(msg);
    }
  });
});

// The page without --train-logs must not change: a results folder of two committed score files
// (no libtorch needed), its folder name fixed. Golden SHA-256 of reportHtml's page from commit
// 4b48b7b, before the Training section existed (same inputs, same code path).
const RESULTS = join(tmp, 'results');
mkdirSync(RESULTS, { recursive: true });
for (const f of ['gcrn-edge-talk.score.json', 'fdnn-edge-talk.score.json']) copyFileSync(join('docs/results/train', f), join(RESULTS, f));
const GOLDEN_SHA256 = 'd5078d423c7247a545063200cdc86fdf18638a82bb9d8f6aac01bfff0213eecd';

describe('hushpack report --train-logs', () => {
  it('without the flag the page is byte-identical to before', async () => {
    const inputs = { ...reportInputsRead(RESULTS), dir: 'results' };
    const { html, training } = await reportHtml(inputs);
    expect(training).toBeUndefined();
    expect(createHash('sha256').update(html).digest('hex')).toBe(GOLDEN_SHA256);
    expect((await reportHtml({ ...inputs, training: [] })).html).toBe(html);
  });

  it('renders a Training section: run names, one SVG per run with a point per validation and metric, the numbers', async () => {
    const runs = trainRunsRead([logs]);
    const inputs = { ...reportInputsRead(RESULTS), dir: 'results' };
    const plain = (await reportHtml(inputs)).html;
    const { html, figures, training } = await reportHtml({ ...inputs, training: runs });
    expect(html).toContain('<h2>Training</h2>');
    // The section is added, nothing else changes.
    const section = html.slice(html.indexOf('<h2>Training</h2>'), html.lastIndexOf('\n</body>'));
    expect(html.replace(`\n${section}`, '')).toBe(plain);
    const svgs = section.split('<h3>').slice(1);
    expect(svgs.length).toBe(2);
    expect(figures).toBe((await reportHtml(inputs)).figures + 2);
    for (const [i, run] of runs.entries()) {
      const part = svgs[i];
      expect(part).toContain(run.run);
      expect((part.match(/<svg/g) ?? []).length).toBe(1);
      // 3 panels (STOI, PESQ-WB, loss) × validations + the best marker on each.
      const points = (part.match(/aria-roledescription="point"/g) ?? []).length;
      expect(trainPointCount(run)).toBe(3 * run.records.length + 3);
      expect(points).toBe(trainPointCount(run));
    }
    expect(svgs[1]).toContain('training hours (legs.jsonl)');
    expect(svgs[0]).not.toContain('training hours');
    expect(svgs[1]).toContain('lr 5.0e-4');
    expect(svgs[1]).toMatch(/Has the curve flattened\?<\/strong> Flattened/);
    expect(svgs[0]).toMatch(/Not flattened: still improving — best val STOI gain over the last 3 epochs \(after step 200, 3 validations\): \+3\.00 points/);
    expect(training?.map((t) => [t.run, t.flatness.verdict])).toEqual([['rising', 'still improving'], ['flat', 'flattened']]);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('a one-validation log and a loss-only log render too (the loss panel alone)', async () => {
    const one = join(tmp, 'one.log.jsonl');
    writeFileSync(one, jsonl([{ ...rec(0, 0, 20, null, 1e-3, false, null), val_pesq_nb: null }]));
    const lossOnly = join(tmp, 'lossonly.log.jsonl');
    writeFileSync(lossOnly, jsonl(FLAT.map((r) => ({ ...r, val_stoi: null, val_pesq_nb: null, val_pesq_wb: null }))));
    const runs = trainRunsRead([one, lossOnly]);
    const { html } = await reportHtml({ ...reportInputsRead(RESULTS), training: runs });
    const parts = html.slice(html.indexOf('<h2>Training</h2>')).split('<h3>').slice(1);
    expect(parts.map((p) => (p.match(/aria-roledescription="point"/g) ?? []).length)).toEqual([1, 7 + 1]);
    expect(runs.map(trainPointCount)).toEqual([1, 8]);
    expect(parts[0]).toContain('Too few validations to tell');
  });

  it('the CLI: --train-logs is repeatable, --json carries the numbers; without it the page and JSON are as before', async () => {
    const out = join(tmp, 'page.html');
    const plain = await stdoutOf(() => main(['node', 'hushpack', 'report', '--results', RESULTS, '--out', out, '--json']));
    expect(plain.result).toBe(0);
    expect(Object.keys(JSON.parse(plain.out))).toEqual(['out', 'reports', 'checkpoints', 'scores', 'figures', 'skipped']);
    expect(readFileSync(out, 'utf8')).toBe((await reportHtml(reportInputsRead(RESULTS))).html);

    const r = await stdoutOf(() => main([
      'node', 'hushpack', 'report', '--results', RESULTS, '--train-logs', join(logs, 'rising.log.jsonl'),
      '--out', out, '--train-logs', join(logs, 'sub', 'flat.safetensors.log.jsonl'), join(logs, 'legs.jsonl'), '--json',
    ]));
    expect(r.result).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.training.map((t: { run: string }) => t.run)).toEqual(['rising', 'flat']);
    expect(j.training[1].stoiGainPoints).toBeCloseTo(0, 9);
    expect(j.training[1].verdict).toBe('flattened');
    expect(readFileSync(out, 'utf8')).toContain('training hours (legs.jsonl)');

    const text = await stdoutOf(() => main(['node', 'hushpack', 'report', '--results', RESULTS, '--train-logs', logs, '--out', out]));
    expect(text.out).toMatch(/flat: Flattened/);
  });
});

describe('curves.md', () => {
  it('a table row per run with the same numbers, and the command', () => {
    const md = curvesMarkdown(trainRunsRead([logs]), 'node dist/tools/experiments/trainCurves.js X');
    expect(md).toContain('`node dist/tools/experiments/trainCurves.js X`');
    expect(md).toMatch(/\| `[^`]*rising\.log\.jsonl` \| 6 \| 500 \| – \| 65\.00 % \(500\) \| \+3\.00 \| −10\.0000 \| −6\.45 \| still improving \|/);
    expect(md).toMatch(/\| `[^`]*flat\.safetensors\.log\.jsonl` \| 7 \| 600 \| 1\.50 \| 70\.00 % \(300\) \| 0\.00 \| −0\.1000 \| −0\.18 \| flattened \|/);
    expect(md).toContain('- `rising`: `hushpack train --out rising.safetensors --epochs 5`');
  });
});
