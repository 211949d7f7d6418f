/**
 * Buffering plan of the hop bridge (processor.ts) for one context rate and render-quantum size:
 * how many zeros to prime the output FIFO with so that it never runs dry, and how big it must be.
 * Browser-free; computed once per bridge, exactly, by walking the sample counts of one full period
 * of the quantum / resampler / hop pattern (no signal processing involved).
 *
 * The chain, per render quantum k (Q context-rate samples, fs = context rate):
 *   after the quantum's input is pushed, the input resampler (fs → 16 kHz) has consumed
 *     n_k = Q·(k+1) input samples and can deliver f(n_k) 16 kHz samples, where
 *     f(n) = ⌊((n − R_in)·L − 1)/M⌋ + 1 for n > R_in, else 0        (L/M = 16000/fs reduced,
 *     R_in = its lookahead: output j waits for input ⌊jM/L⌋ + R_in; f(n) = n at 16 kHz);
 *   the hop ring turns them into h_k = ⌊f(n_k)/160⌋ hops, i.e. 160·h_k processed samples;
 *   the output resampler (16 kHz → fs) can deliver g(160·h_k) context-rate samples (same formula
 *     with its own L', M', R_out; g(m) = m at 16 kHz), all written to the output FIFO;
 *   then the quantum reads Q samples from the FIFO.
 * With P zeros primed, the FIFO holds P + g(160·h_k) − Q·(k+1) after quantum k, so it never
 * underruns iff P ≥ max_k [Q·(k+1) − g(160·h_k)]  — the priming is that maximum (≥ 0).
 * At 16 kHz with Q = 128: Q·(k+1) mod 160 ∈ {0, 32, 64, 96, 128} → P = 128.
 *
 * The shortfall is periodic in k: after Δn = lcm(Q, M·160/gcd(L, 160)) input samples, f grows by
 * exactly Δn·L/M (a multiple of both 160 and L, since Δn is a multiple of M), so h grows by a whole
 * number of hops and g by exactly Δn. Walking the first T (transient: the max(0, ·) clipping at
 * start, which only ever lowers the shortfall) plus one period of quanta therefore finds the exact
 * maximum.
 */
import { HOP_SAMPLES, SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';
import { resamplerPlanCreate, type ResamplerPlan } from '../../src/dsp/resample.js';


function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Output samples a StreamingResampler with this plan can deliver after `inputCount` input samples
 * (none pulled yet, end() not called). Mirrors the contract documented on StreamingResampler:
 * output j needs input index ⌊j·M/L⌋ + R; test/worklet/quantumPlan.test.ts checks it against
 * StreamingResampler.available().
 */
export function resamplerReadyCount(plan: ResamplerPlan, inputCount: number): number {
  if (plan.up === 1 && plan.down === 1) return inputCount;
  const maxI0 = inputCount - 1 - plan.radius;
  if (maxI0 < 0) return 0;
  return Math.floor(((maxI0 + 1) * plan.up - 1) / plan.down) + 1;
}

/**
 * The buffering plan for one (context rate, quantum size) pair and the processor's rate and hop
 * (default the enhancement nets' 16 kHz / 160; a separation model's 8 kHz / 80 for the worklet's
 * SeparationBridge): everything above with 16 kHz → modelRateHz and 160 → hopSamples.
 */
export interface QuantumPlan {
  /** Context sample rate (Hz). */
  readonly sampleRateHz: number;
  /** Render quantum length (context-rate samples; 128 in Web Audio 1.0). */
  readonly quantumSamples: number;
  /** Zeros primed into the output FIFO: the buffering part of the latency (context-rate samples). */
  readonly primingSamples: number;
  /** Output FIFO capacity that is never exceeded (context-rate samples). */
  readonly fifoCapacitySamples: number;
  /** fs → model-rate (16 kHz) resampler, or null at the model's rate. */
  readonly inputResampler: ResamplerPlan | null;
  /** 16 kHz → fs resampler, or null at 16 kHz. */
  readonly outputResampler: ResamplerPlan | null;
  /** Quanta after which the FIFO fill pattern repeats. */
  readonly periodQuanta: number;
}

/** Designs the plan; throws (from the resampler) for rates whose ratio to 16 kHz is too irregular. */
export function quantumPlanCreate(sampleRateHz: number, quantumSamples = 128, modelRateHz: number = SAMPLE_RATE_HZ, hopSamples: number = HOP_SAMPLES): QuantumPlan {
  if (!Number.isInteger(quantumSamples) || quantumSamples <= 0) throw new RangeError(`quantumPlanCreate: quantumSamples must be a positive integer, got ${quantumSamples}`);
  if (!Number.isInteger(hopSamples) || hopSamples <= 0) throw new RangeError(`quantumPlanCreate: hopSamples must be a positive integer, got ${hopSamples}`);
  const HOP = hopSamples;
  const resampled = sampleRateHz !== modelRateHz;
  const inputResampler = resampled ? resamplerPlanCreate(sampleRateHz, modelRateHz) : null;
  const outputResampler = resampled ? resamplerPlanCreate(modelRateHz, sampleRateHz) : null;
  const g = gcd(sampleRateHz, modelRateHz);
  const L = modelRateHz / g; // model-rate samples per M context-rate samples
  const M = sampleRateHz / g;
  const q = quantumSamples;
  // Δn (see the module comment) and the period in quanta.
  const a = M * (HOP / gcd(L, HOP));
  const deltaN = (q / gcd(q, a)) * a;
  const periodQuanta = deltaN / q;
  // Transient: until both resamplers are past their start-up clipping (+ a hop and two quanta).
  const rIn = inputResampler?.radius ?? 0;
  const rOut = outputResampler?.radius ?? 0;
  const transientQuanta = Math.ceil((rIn + ((rOut + 2 * HOP) * M) / L + 1) / q) + 2;
  let maxShortfall = 0;
  let maxSurplus = -Infinity;
  for (let k = 0; k < transientQuanta + periodQuanta; k++) {
    const n = q * (k + 1);
    const f = inputResampler ? resamplerReadyCount(inputResampler, n) : n;
    const m = HOP * Math.floor(f / HOP);
    const out = outputResampler ? resamplerReadyCount(outputResampler, m) : m;
    maxShortfall = Math.max(maxShortfall, n - out);
    // FIFO fill just before quantum k reads = P + out − Q·k.
    maxSurplus = Math.max(maxSurplus, out - q * k);
  }
  const primingSamples = maxShortfall;
  return {
    sampleRateHz,
    quantumSamples: q,
    primingSamples,
    fifoCapacitySamples: primingSamples + maxSurplus,
    inputResampler,
    outputResampler,
    periodQuanta,
  };
}
