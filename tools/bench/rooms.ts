/**
 * The synthetic rooms of the mixer (src/data/augment/room.ts) measured the way the test measures
 * them: for N rooms with RT60 spread evenly over a range, the RT60 by Schroeder backward
 * integration (T20: −5…−25 dB, T30: −5…−35 dB) against the requested one, the number of image
 * sources, and the time to build each impulse response (median, this thread).
 *
 *   node dist/tools/bench/rooms.js [--rooms 100] [--range 0.2,0.8] [--json]
 */
import { Prng } from '../../src/data/prng.js';
import { roomDraw, roomImpulseResponse, rt60Schroeder } from '../../src/data/augment/room.js';
import { arg } from './args.js';
import { benchHost } from './host.js';

function main(): void {
  const rooms = Number(arg('--rooms') ?? 100);
  const [lo, hi] = (arg('--range') ?? '0.2,0.8').split(',').map(Number);
  const json = process.argv.includes('--json');
  const rows: { rt60: number; t20: number; t30: number; images: number; ms: number }[] = [];
  for (let k = 0; k < rooms; k++) {
    const rng = Prng.fromKey(['rooms-bench', k]);
    const rt60 = rooms === 1 ? lo : lo + ((hi - lo) * k) / (rooms - 1);
    const room = roomDraw(rng, rt60);
    const t0 = performance.now();
    const r = roomImpulseResponse(room, rng);
    const ms = performance.now() - t0;
    rows.push({ rt60, t20: rt60Schroeder(r.ir, 16000, -5, -25), t30: rt60Schroeder(r.ir, 16000, -5, -35), images: r.images, ms });
  }
  const err = (key: 't20' | 't30') => rows.map((r) => r[key] / r.rt60 - 1);
  const summary = (e: number[]) => ({ meanPct: (100 * e.reduce((a, b) => a + b, 0)) / e.length, worstPct: 100 * Math.max(...e.map(Math.abs)) });
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  const out = {
    rooms, rangeS: [lo, hi], t20: summary(err('t20')), t30: summary(err('t30')),
    images: { min: Math.min(...rows.map((r) => r.images)), max: Math.max(...rows.map((r) => r.images)) },
    irMedianMs: ms[Math.floor(ms.length / 2)],
    host: benchHost(),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  process.stdout.write(`${rooms} rooms, RT60 ${lo}–${hi} s\n`);
  process.stdout.write(`T20 error: mean ${out.t20.meanPct.toFixed(1)} %, worst ${out.t20.worstPct.toFixed(1)} %\n`);
  process.stdout.write(`T30 error: mean ${out.t30.meanPct.toFixed(1)} %, worst ${out.t30.worstPct.toFixed(1)} %\n`);
  process.stdout.write(`image sources in the early part: ${out.images.min}–${out.images.max}; impulse response built in ${out.irMedianMs.toFixed(2)} ms (median)\n`);
}

main();
