/**
 * What the input level does to a model on the WASM runtime, and what the streaming level normaliser
 * (src/dsp/level.ts) gives back: test-set mixtures (files at −25 dBFS RMS; the manifest's
 * unit_rms_scale restores the training level) enhanced with Enhancer.processBuffer
 *   - level 'none' at unit RMS (what `hushpack enhance` does: global normalisation, undone after),
 *   - level 'none' at the file level (−25 dBFS) and at −45 dBFS (a raw live stream),
 *   - level 'track' at unit RMS, −25 dBFS and −45 dBFS (the streaming paths' default),
 * scored against the clean file (STOI, SI-SNR), mean over the first `--per-condition` items of each
 * test-set condition. Also prints how far the tracker's final gain is from the global one (dB).
 *
 * Usage: node dist/tools/bench/level.js [--model demos/models/default.hush] [--testset /work/corpus/testset]
 *          [--per-condition 2 | --items babble_0/0000,cafeteria_5/0003] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Enhancer } from '../../runtime/node/enhancer.js';
import type { LevelMode } from '../../src/dsp/level.js';
import { readMono } from '../../src/data/wav.js';
import { testsetRead, testsetConditionName } from '../../src/data/testset.js';
import { siSnr, stoi } from '../../src/metrics/index.js';
import { benchHost } from './host.js';

interface Run {
  name: string;
  level: LevelMode;
  /** Input level: 'unit' (× unit_rms_scale) or dB relative to the file (0 = file level, −20 = −45 dBFS). */
  at: 'unit' | number;
}

const RUNS: Run[] = [
  { name: "none @ unit RMS (global normalisation)", level: 'none', at: 'unit' },
  { name: 'none @ −25 dBFS (file level)', level: 'none', at: 0 },
  { name: 'none @ −45 dBFS', level: 'none', at: -20 },
  { name: 'track @ unit RMS', level: 'track', at: 'unit' },
  { name: 'track @ −25 dBFS (file level)', level: 'track', at: 0 },
  { name: 'track @ −45 dBFS', level: 'track', at: -20 },
];

const { values: o } = parseArgs({
  options: {
    model: { type: 'string', default: 'demos/models/default.hush' },
    testset: { type: 'string', default: '/work/corpus/testset' },
    'per-condition': { type: 'string', default: '2' },
    items: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const perCondition = Number(o['per-condition']);
const bytes = new Uint8Array(readFileSync(o.model!));
const enhancers = new Map<string, Enhancer>();
for (const level of ['none', 'track'] as const) enhancers.set(level, Enhancer.loadSync(bytes, { level, fileName: o.model }));

const rows = testsetRead(o.testset!);
const picked = new Map<string, typeof rows>();
for (const r of rows) {
  const c = testsetConditionName(r.noise, r.snrDb);
  const list = picked.get(c) ?? [];
  if (list.length < perCondition) list.push(r);
  picked.set(c, list);
}
const wanted = o.items?.split(',').map((s) => `${s.trim()}_mix.wav`);
const items = wanted ? rows.filter((r) => wanted.includes(r.mix)) : [...picked.values()].flat();
if (items.length === 0) throw new Error(`no test-set items match --items ${o.items}`);

const sums = new Map<string, { stoi: number; siSnr: number; n: number }>();
const add = (name: string, ref: Float32Array, y: Float32Array) => {
  const s = sums.get(name) ?? { stoi: 0, siSnr: 0, n: 0 };
  s.stoi += stoi(ref, y, 16000);
  s.siSnr += siSnr(ref, y);
  s.n++;
  sums.set(name, s);
};
let gainErrDb = 0;
let gainErrMaxDb = 0;
for (const r of items) {
  const mix = readMono(join(o.testset!, r.mix)).samples;
  const clean = readMono(join(o.testset!, r.clean)).samples;
  add('mixture (unprocessed)', clean, mix);
  for (const run of RUNS) {
    const g = run.at === 'unit' ? r.unitRmsScale : 10 ** (run.at / 20);
    const e = enhancers.get(run.level === 'none' ? 'none' : 'track')!;
    const y = e.processBuffer(mix.map((v) => v * g));
    for (let i = 0; i < y.length; i++) y[i] /= g;
    add(run.name, clean, y);
  }
  // The tracker's gain at the end of the file (file level) against the global unit-RMS gain.
  const e = enhancers.get('track')!;
  e.reset();
  for (let h = 0; h + 160 <= mix.length; h += 160) e.process(mix.subarray(h, h + 160));
  const err = 20 * Math.log10(e.levelGain / r.unitRmsScale);
  gainErrDb += err;
  gainErrMaxDb = Math.max(gainErrMaxDb, Math.abs(err));
}

const table = [...sums.entries()].map(([name, s]) => ({ name, stoi: s.stoi / s.n, siSnrDb: s.siSnr / s.n, n: s.n }));
const tracker = { meanDb: gainErrDb / items.length, maxAbsDb: gainErrMaxDb };
if (o.json) process.stdout.write(`${JSON.stringify({ model: o.model, items: items.length, host: benchHost(), table, trackerGainVsGlobal: tracker })}\n`);
else {
  console.log(`${o.model}: ${items.length} test-set items (${wanted ? o.items : `${perCondition} per condition`}), mean scores`);
  console.log('| input | STOI | SI-SNR (dB) |\n| --- | ---: | ---: |');
  for (const t of table) console.log(`| ${t.name} | ${t.stoi.toFixed(4)} | ${t.siSnrDb.toFixed(2)} |`);
  console.log(`tracker gain at the end of each file vs the global unit-RMS gain: mean ${tracker.meanDb.toFixed(2)} dB, max |·| ${tracker.maxAbsDb.toFixed(2)} dB`);
}
