/**
 * The "Training" section of `hushpack report --train-logs`: per training run (a
 * M.safetensors.log.jsonl), validation STOI, PESQ and loss against the optimiser step as one
 * Vega-Lite figure (reportCharts.ts chartSvg: standalone SVG, no scripts), with
 *   - the unprocessed mixtures' value on the same validation set as a dashed line,
 *   - the learning-rate changes as dotted vertical rules (the new rate written on the first panel),
 *   - the best checkpoint (the validation marked best last) as a red diamond,
 *   - a second x axis on top in cumulative training hours where legs.jsonl gives the legs' wall times,
 * and the "has the curve flattened?" numbers of src/train/curves.ts under it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../train/trainer.js';
import type { TrainRun } from '../train/trainLog.js';
import { bestRecord, curveFlatness, flatnessLine, lrChanges, trainHourTicks, trainHoursTotal, type Flatness } from '../train/curves.js';
import { chartSvg } from './reportCharts.js';
import { esc } from './reportTable.js';

const PANEL_WIDTH = 260;
const PANEL_HEIGHT = 180;

/** A panel's metric: how to read the model's and the mixture's value from a validation. */
interface Metric {
  title: string;
  model: (r: EpochRecord) => number | null;
  mixture: (r: EpochRecord) => number | null;
}

/** The panels of a run: STOI (%), PESQ (wide band when the log has it, else narrow band), val loss. */
export function trainMetrics(records: readonly EpochRecord[]): Metric[] {
  const pct = (v: number | null) => (v === null ? null : 100 * v);
  const out: Metric[] = [];
  if (records.some((r) => r.val_stoi !== null)) out.push({ title: 'val STOI (%)', model: (r) => pct(r.val_stoi), mixture: (r) => pct(r.mix_stoi) });
  if (records.some((r) => r.val_pesq_wb != null)) out.push({ title: 'val PESQ-WB (P.862.2)', model: (r) => r.val_pesq_wb ?? null, mixture: (r) => r.mix_pesq_wb ?? null });
  // Logs written before the trainer validated PESQ-WB: narrow band instead (the caption says so).
  else if (records.some((r) => r.val_pesq_nb !== null)) out.push({ title: 'val PESQ-NB (P.862.1)', model: (r) => r.val_pesq_nb, mixture: (r) => r.mix_pesq_nb });
  out.push({ title: 'val loss', model: (r) => r.val_loss, mixture: () => null });
  return out;
}

/** Points the figure of a run draws: one per validation with the metric, plus the best marker, per panel. */
export function trainPointCount(run: TrainRun): number {
  const best = bestRecord(run.records);
  return trainMetrics(run.records).reduce((n, m) => n + run.records.filter((r) => m.model(r) !== null).length + (best && m.model(best) !== null ? 1 : 0), 0);
}

/** The Vega-Lite spec of one run's curves (panels side by side). */
export function trainCurvesSpec(run: TrainRun): TopLevelSpec {
  const recs = run.records;
  const first = recs[0].step;
  const last = recs[recs.length - 1].step;
  const xScale = last > first ? { domain: [first, last], nice: false } : { zero: false };
  const best = bestRecord(recs);
  const lr = lrChanges(recs).map((c) => ({ step: c.step, label: `lr ${c.lr.toExponential(1)}` }));
  // Labels in the right quarter end at their rule, the others start there (none runs off the panel).
  const rightOf = first + 0.75 * (last - first);
  const ticks = trainHourTicks(run.legs);
  // The top axis sits on the shared step scale; its labels are the hours at the chosen steps.
  const hourLabel = ticks.map((t) => `abs(datum.value - ${t.step}) < 1e-6 ? '${t.hours} h'`).join(' : ') + " : ''";
  const x = (axis: object | null) => ({ field: 'step', type: 'quantitative' as const, scale: xScale, axis });

  const panels = trainMetrics(recs).map((m, i) => {
    const y = { field: 'value', type: 'quantitative' as const, title: m.title, scale: { zero: false } };
    const model = recs.filter((r) => m.model(r) !== null).map((r) => ({ step: r.step, value: m.model(r), epoch: r.epoch, partial: r.partial }));
    const mixture = recs.filter((r) => m.mixture(r) !== null).map((r) => ({ step: r.step, value: m.mixture(r) }));
    const layer: object[] = [];
    if (mixture.length) layer.push({ data: { values: mixture }, mark: { type: 'line', color: '#888', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x: x(null), y } });
    layer.push({ data: { values: model }, mark: { type: 'line', point: true, color: '#4c78a8' }, encoding: { x: x({ title: 'optimiser step' }), y } });
    if (lr.length) {
      layer.push({ data: { values: lr }, mark: { type: 'rule', color: '#999', strokeDash: [2, 2] }, encoding: { x: x(null) } });
      for (const [align, dx, values] of [['left', 2, lr.filter((l) => l.step <= rightOf)], ['right', -2, lr.filter((l) => l.step > rightOf)]] as const) {
        if (i !== 0 || values.length === 0) continue;
        layer.push({ data: { values }, mark: { type: 'text', align, baseline: 'top', dx, dy: 2, fontSize: 9, color: '#555' }, encoding: { x: x(null), y: { value: 0 }, text: { field: 'label' } } });
      }
    }
    if (best && m.model(best) !== null) {
      layer.push({ data: { values: [{ step: best.step, value: m.model(best) }] }, mark: { type: 'point', shape: 'diamond', size: 110, filled: true, opacity: 1, color: '#d62728' }, encoding: { x: x(null), y } });
    }
    if (ticks.length) {
      layer.push({
        data: { values: ticks }, mark: { type: 'rule', opacity: 0 },
        encoding: { x: x({ orient: 'top', title: 'training hours (legs.jsonl)', values: ticks.map((t) => t.step), labelExpr: hourLabel, grid: false }) },
      });
    }
    return { width: PANEL_WIDTH, height: PANEL_HEIGHT, layer, resolve: { axis: { x: 'independent' } } };
  });
  return { title: `${run.run}: validation curves`, hconcat: panels } as TopLevelSpec;
}

/** A run's flattening numbers, the HTML of its figure and its note. */
export interface TrainSection { run: string; file: string; flatness: Flatness; html: string }

/** The section (HTML) and the numbers per run; '' without runs. */
export async function reportTraining(runs: readonly TrainRun[]): Promise<{ html: string; figures: number; runs: TrainSection[] }> {
  if (runs.length === 0) return { html: '', figures: 0, runs: [] };
  const out: TrainSection[] = [];
  for (const run of runs) {
    const flatness = curveFlatness(run.records);
    const best = bestRecord(run.records);
    const hours = trainHoursTotal(run.legs);
    const last = run.records[run.records.length - 1];
    const facts = [
      `${run.records.length} validations to step ${last.step} (epoch ${last.epoch}${last.partial ? ', partial' : ''})`,
      best ? `best checkpoint: step ${best.step} (epoch ${best.epoch}), val loss ${best.val_loss.toFixed(4)}${best.val_stoi !== null ? `, STOI ${(100 * best.val_stoi).toFixed(2)} %` : ''}` : 'no validation marked best',
      hours === null ? 'no legs.jsonl entry: step axis only' : `${hours.toFixed(2)} h of training over ${run.legs.filter((l) => l.step_end > l.step_start).length} leg(s) (legs.jsonl)`,
    ];
    const html = [
      `<h3>${esc(run.run)} — <code>${esc(run.file)}</code></h3>`,
      `<figure>${await chartSvg(trainCurvesSpec(run))}<figcaption class="note">${esc(facts.join('; '))}. Solid: the model on the run's validation set; dashed: the unprocessed mixtures; dotted verticals: learning-rate changes (the new rate from that validation on); red diamond: the best checkpoint.${run.records.some((r) => r.val_pesq_wb != null) ? '' : ' This log has no PESQ-WB (written before the trainer validated it): PESQ-NB instead.'}</figcaption></figure>`,
      `<p><strong>Has the curve flattened?</strong> ${esc(flatnessLine(flatness))}</p>`,
      run.command ? `<p class="note">${esc(run.command)}</p>` : '',
    ].filter(Boolean).join('\n');
    out.push({ run: run.run, file: run.file, flatness, html });
  }
  const html = [
    '<h2>Training</h2>',
    `<p class="note">Validation curves of ${runs.length} training run(s) (hushpack train's M.safetensors.log.jsonl, one point per validation). "Flattened" is computed (src/train/curves.ts), not judged by eye.</p>`,
    ...out.map((s) => s.html),
  ].join('\n');
  return { html, figures: out.length, runs: out };
}
