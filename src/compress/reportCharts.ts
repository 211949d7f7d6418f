/**
 * The figures of `hushpack report`, after Tan & Wang Figs. 4–7, as Vega-Lite specifications
 * rendered to standalone SVG in Node (vega's headless View, renderer 'none', no DOM, no canvas:
 * text widths are estimated). Each function takes the compress reports and returns a spec, or
 * null when the reports hold no data for that figure.
 *
 *   Fig. 4  parameters (% of the original) per pruning iteration, without / with regularisation
 *   Fig. 5  validation STOI and PESQ per pruning iteration, without / with regularisation
 *   Fig. 6  pruning ratio per layer after one iteration (unstructured / structured, ± regulariser)
 *   Fig. 7  per-tensor (Algorithm 1) vs common-threshold pruning: STOI / PESQ against the rate
 *   extra   the sensitivity curves of a run's first analysis; bits per tensor after Algorithm 3
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { CompressReport } from './pipelines.js';

type Row = Record<string, string | number | null>;
type Report = CompressReport & { file: string };

const WIDTH = 280;
const HEIGHT = 200;

/** Renders a Vega-Lite spec to an SVG string. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function regLabel(r: CompressReport): string {
  return r.settings.regularizer === 'none' ? 'without regularisation' : `with ${r.settings.regularizer === 'l1' ? 'ℓ1' : 'SGL'} regularisation`;
}

function pruningKind(r: CompressReport): string {
  return r.settings.structured ? 'structured' : 'unstructured';
}

/** Per-iteration rows of every pruning run (baseline = iteration 0; the regularised pre-phase skipped). */
function iterationRows(reports: readonly Report[]): Row[] {
  const rows: Row[] = [];
  for (const r of reports) {
    if (!r.pruning) continue;
    for (const it of r.pruning.iterations) {
      if (!it.accepted || it.phase === 'regularized') continue;
      rows.push({
        model: r.arch.toUpperCase(), run: r.file, regularisation: regLabel(r), pruning: pruningKind(r), iteration: it.iteration,
        params: it.paramsPercent, stoi: it.val.stoi, pesq: it.val.pesq_nb,
      });
    }
  }
  return rows;
}

function lineSpec(title: string, rows: Row[], y: string, yTitle: string, facet: string | null): TopLevelSpec {
  const encoding = {
    x: { field: 'iteration', type: 'quantitative' as const, title: 'pruning iteration', axis: { tickMinStep: 1 } },
    y: { field: y, type: 'quantitative' as const, title: yTitle, scale: { zero: false } },
    color: { field: 'model', type: 'nominal' as const, title: 'model' },
    detail: { field: 'run', type: 'nominal' as const },
  };
  const layer = { mark: { type: 'line' as const, point: true }, encoding };
  if (facet === null) return { title, data: { values: rows }, width: WIDTH, height: HEIGHT, ...layer };
  return {
    title, data: { values: rows },
    facet: { column: { field: facet, type: 'nominal', title: null } },
    spec: { width: WIDTH, height: HEIGHT, ...layer },
  } as TopLevelSpec;
}

/** Fig. 4: parameters % per iteration (unstructured runs), columns without / with regularisation. */
export function fig4Spec(reports: readonly Report[]): TopLevelSpec | null {
  const rows = iterationRows(reports).filter((r) => r.pruning === 'unstructured');
  if (rows.length === 0) return null;
  return lineSpec('Fig. 4 — parameters left per pruning iteration (unstructured pruning)', rows, 'params', '% of the original parameters', 'regularisation');
}

/** Fig. 5: validation STOI or PESQ per iteration (unstructured runs). */
export function fig5Spec(reports: readonly Report[], metric: 'stoi' | 'pesq'): TopLevelSpec | null {
  const rows = iterationRows(reports).filter((r) => r.pruning === 'unstructured' && r[metric] !== null);
  if (rows.length === 0) return null;
  const name = metric === 'stoi' ? 'STOI' : 'PESQ (narrow-band MOS-LQO)';
  return lineSpec(`Fig. 5 — validation ${name} per pruning iteration`, rows, metric, name, 'regularisation');
}

/** Fig. 6: pruning ratio per layer after the first pruning iteration. */
export function fig6Spec(reports: readonly Report[]): TopLevelSpec | null {
  const rows: Row[] = [];
  for (const r of reports) {
    const it = r.pruning?.iterations.find((i) => i.phase === 'pruned' && i.iteration === 1 && i.accepted);
    if (!it) continue;
    const layers = new Map<string, { kept: number; total: number }>();
    for (const t of it.perTensor) {
      const l = layers.get(t.layer) ?? { kept: 0, total: 0 };
      l.kept += t.kept;
      l.total += t.total;
      layers.set(t.layer, l);
    }
    for (const [layer, l] of layers) {
      rows.push({ model: r.arch.toUpperCase(), layer, series: `${pruningKind(r)}, ${regLabel(r)}`, ratio: 100 * (1 - l.kept / l.total) });
    }
  }
  if (rows.length === 0) return null;
  return {
    title: 'Fig. 6 — pruning ratio per layer after one pruning iteration',
    data: { values: rows },
    facet: { row: { field: 'model', type: 'nominal', title: null } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: { step: 14 }, height: HEIGHT,
      mark: 'bar',
      encoding: {
        x: { field: 'layer', type: 'nominal', title: 'layer', sort: null, axis: { labelAngle: -60 } },
        xOffset: { field: 'series', type: 'nominal' },
        y: { field: 'ratio', type: 'quantitative', title: 'pruned (%)', scale: { domain: [0, 100] } },
        color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 1, labelLimit: 400 } },
      },
    },
  } as TopLevelSpec;
}

/** Fig. 7: per-tensor vs common threshold, STOI or PESQ against the compression rate (× fewer weights). */
export function fig7Spec(reports: readonly Report[], metric: 'stoi' | 'pesq'): TopLevelSpec | null {
  const rows: Row[] = [];
  for (const r of reports) {
    if (!r.global) continue;
    const add = (rec: typeof r.global.globalRecord | null, method: string) => {
      if (!rec) return;
      const v = metric === 'stoi' ? rec.val.stoi : rec.val.pesq_nb;
      if (v === null) return;
      rows.push({ model: r.arch.toUpperCase(), method, rate: 100 / rec.paramsPercent, value: v, alpha1: r.settings.alpha1 });
    };
    add(r.global.perTensorRecord, 'per-tensor thresholds (Algorithm 1)');
    add(r.global.globalRecord, 'one common threshold');
  }
  if (rows.length === 0) return null;
  const name = metric === 'stoi' ? 'STOI' : 'PESQ';
  return {
    title: `Fig. 7 — ${name} after one pruning iteration and fine-tuning: per-tensor vs common threshold`,
    data: { values: rows },
    width: WIDTH, height: HEIGHT,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rate', type: 'quantitative', title: 'compression rate (×, parameters)', scale: { zero: false } },
      y: { field: 'value', type: 'quantitative', title: `validation ${name}`, scale: { zero: false } },
      color: { field: 'method', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 1, labelLimit: 400 } },
      shape: { field: 'model', type: 'nominal' },
      detail: { field: 'model', type: 'nominal' },
      order: { field: 'rate', type: 'quantitative' },
    },
  } as TopLevelSpec;
}

/** The loss-increase curves of a run's first sensitivity analysis (one line per tensor, α1 dashed). */
export function sensitivitySpec(r: Report): TopLevelSpec | null {
  const it = r.pruning?.iterations.find((i) => i.phase === 'pruned' && i.iteration === 1) ?? r.global?.perTensorRecord ?? null;
  if (!it || it.perTensorSensitivity.length === 0) return null;
  const rows: Row[] = [];
  for (const t of it.perTensorSensitivity) for (const s of t.steps) if (s.increase !== null) rows.push({ tensor: t.tensor, beta: s.at, increase: s.increase });
  if (rows.length === 0) return null;
  const alpha = it.sensitivity?.alpha ?? r.settings.alpha1;
  return {
    title: `${r.arch.toUpperCase()} ${r.pipeline}: Algorithm ${r.settings.structured ? 2 : 1} loss increase per tensor (iteration 1)`,
    width: WIDTH * 1.6, height: HEIGHT,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', point: { size: 12 }, strokeWidth: 1 },
        encoding: {
          x: { field: 'beta', type: 'quantitative', title: 'β (% of the tensor pruned)', scale: { domain: [0, 100] } },
          y: { field: 'increase', type: 'quantitative', title: 'validation loss increase', scale: { type: 'symlog', constant: alpha / 10 } },
          color: { field: 'tensor', type: 'nominal', legend: null },
        },
      },
      {
        data: { values: [{ alpha }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: 'black' },
        encoding: { y: { field: 'alpha', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/** Bits per stored index (⌈log2 K⌉) per tensor after Algorithm 3. */
export function bitsSpec(r: Report): TopLevelSpec | null {
  const q = r.quantization;
  if (!q) return null;
  const rows: Row[] = q.perTensor.filter((t) => t.k > 0).map((t) => ({ tensor: t.tensor, bits: t.bits, k: t.k, nonzeros: t.nonzeros }));
  if (rows.length === 0) return null;
  return {
    title: `${r.arch.toUpperCase()} ${r.pipeline}: index bits per tensor (K from Algorithm 3, α2 ${r.settings.alpha2})`,
    data: { values: rows },
    width: { step: 12 }, height: HEIGHT * 0.7,
    mark: 'bar',
    encoding: {
      x: { field: 'tensor', type: 'nominal', sort: null, axis: { labelAngle: -60, labelLimit: 160 }, title: null },
      y: { field: 'bits', type: 'quantitative', title: 'bits (⌈log2 K⌉)', axis: { tickMinStep: 1 } },
    },
  } as TopLevelSpec;
}
