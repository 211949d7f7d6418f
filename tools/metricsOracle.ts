/**
 * Cross-check of hushpack's metrics against reference implementations on any list of pairs (the
 * "pairs the project has never seen" check). Nothing of the references is part of hushpack:
 * the PESQ reference is a binary you build yourself from the ITU-T P.862 source code (its licence
 * does not allow redistribution), the other metrics come as a JSON file from your own run of the
 * Python references (pystoi, mir_eval).
 *
 *   node dist/tools/metricsOracle.js --pairs LIST.tsv --pesq-oracle ./pesq_oracle \
 *        [--expected other.json] [--json]
 *
 * LIST.tsv: tab-separated with a header naming `ref` and `deg` (paths relative to the list) and
 * optionally `same_length` (0: PESQ only, the other metrics need equal lengths).
 * --pesq-oracle BIN: run as `BIN REF DEG` (P.862) and `BIN REF DEG +wb` (P.862.2, 16 kHz only); its
 *   last output line must hold the raw score and the MOS-LQO as numbers (full precision: the ITU
 *   sample program prints 3 decimals, which limits the check to 5e-4).
 * --expected FILE: {"<deg as written in LIST>": {stoi, estoi, sisnr, sdr, sdr_bss}, ...}.
 * Prints per-pair |Δ| and the maximum |Δ| per metric (BSS-eval SDR above 200 dB counts as
 * perfect on both sides); exits 1 if a tolerance of the issue is exceeded.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readMono } from '../src/data/wav.js';
import { bssEvalSdr } from '../src/metrics/bssEval.js';
import { pesq } from '../src/metrics/pesq/pesq.js';
import { sdr, siSnr } from '../src/metrics/sdr.js';
import { stoiBoth } from '../src/metrics/stoi.js';

/** The tolerances per metric. */
const TOLERANCE: Record<string, number> = {
  pesq_nb: 0.005,
  pesq_nb_raw: 0.005,
  pesq_wb: 0.005,
  stoi: 1e-6,
  estoi: 1e-6,
  sisnr: 1e-6,
  sdr: 1e-6,
  sdr_bss: 0.01,
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs the PESQ oracle; [raw, mos] from its last line, or null when it reports an error. */
function oraclePesq(bin: string, ref: string, deg: string, wb: boolean): [number, number] | null {
  let out: string;
  try {
    out = execFileSync(bin, wb ? [ref, deg, '+wb'] : [ref, deg], { encoding: 'utf8' });
  } catch {
    return null;
  }
  const last = out.trim().split('\n').pop() ?? '';
  const nums = last.trim().split(/\s+/).map(Number);
  if (nums.length < 2 || !nums.every(Number.isFinite)) return null;
  return [nums[0], nums[1]];
}

function delta(a: number, b: number, key: string): number {
  if (key === 'sdr_bss' && a > 200 && b > 200) return 0;
  return a === b ? 0 : Math.abs(a - b);
}

function main(): void {
  const list = arg('--pairs');
  const bin = arg('--pesq-oracle');
  if (!list || !bin) {
    process.stderr.write('usage: metrics-oracle --pairs LIST.tsv --pesq-oracle BIN [--expected FILE.json] [--json]\n');
    process.exit(2);
  }
  const expected: Record<string, Record<string, number>> = arg('--expected')
    ? JSON.parse(readFileSync(arg('--expected')!, 'utf8'))
    : {};
  const base = dirname(resolve(list));
  const lines = readFileSync(list, 'utf8').trim().split('\n');
  const head = lines[0].split('\t');
  const col = (name: string) => head.indexOf(name);
  const worst: Record<string, number> = {};
  const rows: Record<string, unknown>[] = [];
  let failed = false;
  for (const line of lines.slice(1)) {
    const cols = line.split('\t');
    const refRel = cols[col('ref')];
    const degRel = cols[col('deg')];
    const same = col('same_length') < 0 || cols[col('same_length')] !== '0';
    const refPath = resolve(base, refRel);
    const degPath = resolve(base, degRel);
    const ref = readMono(refPath);
    const deg = readMono(degPath);
    const fs = ref.sampleRate;
    const d: Record<string, number | string> = {};
    const compare = (key: string, ours: number, theirs: number) => {
      const v = delta(ours, theirs, key);
      d[key] = v;
      worst[key] = Math.max(worst[key] ?? 0, v);
      if (v > TOLERANCE[key]) failed = true;
    };
    const onb = oraclePesq(bin, refPath, degPath, false);
    let nb: { raw: number; mos: number } | null = null;
    try {
      nb = pesq(ref.samples, deg.samples, fs, 'nb');
    } catch (err) {
      d.pesq_error = (err as Error).message;
    }
    if (onb && nb) {
      compare('pesq_nb_raw', nb.raw, onb[0]);
      compare('pesq_nb', nb.mos, onb[1]);
    } else if (!!onb !== !!nb) {
      d.pesq_mismatch = `oracle ${onb ? 'scored' : 'refused'}, hushpack ${nb ? 'scored' : 'refused'}`;
      failed = true;
    }
    if (fs === 16000) {
      const owb = oraclePesq(bin, refPath, degPath, true);
      if (owb && nb) compare('pesq_wb', pesq(ref.samples, deg.samples, fs, 'wb').mos, owb[1]);
    }
    const e = expected[degRel];
    if (same && e) {
      const s = stoiBoth(ref.samples, deg.samples, fs);
      compare('stoi', s.stoi, e.stoi);
      compare('estoi', s.estoi, e.estoi);
      compare('sisnr', siSnr(ref.samples, deg.samples), e.sisnr);
      compare('sdr', sdr(ref.samples, deg.samples), e.sdr);
      compare('sdr_bss', bssEvalSdr(ref.samples, deg.samples), e.sdr_bss);
    }
    rows.push({ deg: degRel, fs, ...d });
    if (!process.argv.includes('--json')) {
      const text = Object.entries(d)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toExponential(1) : v}`)
        .join(' ');
      process.stdout.write(`${degRel}\t${fs}\t${text}\n`);
    }
  }
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ pairs: rows.length, maxAbsDelta: worst, rows })}\n`);
  else process.stdout.write(`pairs: ${rows.length}\nmax |delta|: ${JSON.stringify(worst)}\n`);
  process.exitCode = failed ? 1 : 0;
}

main();
