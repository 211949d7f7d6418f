/**
 * The browser-free core of the AudioWorklet: HopBridge turns render quanta (128 samples at the
 * context rate fs) into 160-sample hops at 16 kHz for a HopProcessor and back, mixes the result
 * with the dry signal, and falls back to the dry signal when the processor cannot keep up.
 * No AudioWorklet globals here: workletProcessor.ts is the glue, and test/worklet/ drives this
 * class in Node. Allocation-free per quantum once constructed.
 *
 * Signal path, per quantum:
 *
 *   input ──┬─► [fs→16k resampler] ─► hop ring (160) ─► HopProcessor ─► [16k→fs resampler] ─► FIFO ─┐
 *           │                                  └──► 16k delay (D) ──┘ (passthrough while idle)      │ wet
 *           └─► dry delay line (latencySamples) ────────────────────────────────────────────────────┴─► mix ─► output
 *
 *   (the resamplers are skipped at fs = 16 kHz)
 *
 * Delay arithmetic (context-rate samples unless marked):
 *   D     = processor.latencySamples − 160       hop-stream delay of the processor (16 kHz samples);
 *                                                  160 for STFT nets: out[n] = in[n − 160].
 *   P     = plan.primingSamples                   zeros primed into the FIFO (quantum-plan.ts): the
 *                                                  worst shortfall of hop output vs the 128-sample
 *                                                  pull; it contains the hop accumulation (a hop is
 *                                                  only processed once 160 samples are in) and both
 *                                                  resampler lookaheads (R_in input samples and R_out
 *                                                  16 kHz samples withheld until their filter
 *                                                  support has arrived).
 *   The resamplers are zero-phase (src/dsp/resample.ts): 16 kHz sample j is the band-limited
 *   signal at time j/16000 and back, so they add no delay beyond the withholding already in P.
 *   Wet output sample q = FIFO position q holds resampled processor output i = q − P, which is the
 *   band-limited input at 16 kHz time i·16000/fs − D, i.e. at context-rate time q − P − D·fs/16000:
 *
 *     latencyExactSamples = P + D·fs/16000
 *       16 kHz:   128 + 160 = 288   (18 ms)        44.1 kHz: 755 + 441 = 1196  (27.1 ms)
 *       48 kHz:   814 + 480 = 1294  (27.0 ms)      22.05 kHz: 377 + 220.5 = 597.5 (27.1 ms)
 *
 *   The dry path is delayed by latencySamples = round(latencyExactSamples) (exact whenever
 *   D·fs/16000 is an integer: fs a multiple of 100 Hz for STFT nets), so bypass, wet/dry mixing
 *   and the overload fallback never jump in time.
 *
 * Mixing (per output sample, after both paths are aligned):
 *     λ       = 10^(−attenuationFloorDb/20)      (0 when attenuationFloorDb = Infinity: no floor)
 *     floored = (1 − λ)·enhanced + λ·dry          the attenuation floor: where the net removes
 *                                                  everything the output is still λ·dry, i.e. no
 *                                                  more than attenuationFloorDb of attenuation
 *                                                  (the definition of DeepFilterNet's atten_lim_db;
 *                                                  a linear mix rather than a per-hop energy gain,
 *                                                  so it never steps at hop boundaries);
 *     output  = wet·floored + (1 − wet)·dry  =  a·enhanced + (1 − a)·dry,   a = wet·(1 − λ).
 *   `a` is the only mix coefficient; it ramps linearly (full scale in fadeSeconds, 20 ms) toward
 *   its target — wet·(1 − λ) while the processor is active, 0 while bypassed — so parameter changes,
 *   bypass toggles and the overload fallback are click-free crossfades.
 *
 * Engagement states (the processor is called in every state but idle):
 *   active    — target a = wet·(1 − λ).
 *   releasing — bypass wanted (user, overload back-off, or a model swap pending): target 0; the
 *               processor keeps running until a reaches 0, so every wet sample mixed with a > 0
 *               was computed by it.
 *   idle      — a = 0; the processor is not called (saves the CPU it was overloading); its place
 *               in the wet path is taken by the 16 kHz input delayed by D, which keeps the FIFO
 *               running with aligned samples. A pending processor is swapped in here.
 *   warming   — bypass no longer wanted: the processor was reset and runs with a held at 0 for
 *               warmupSamples (its own latency + the pipeline from hop to mixer), then → active.
 *
 * Overload: each processor hop is timed with the injectable clock. When the mean over the last
 * windowHops hops exceeds budgetFraction × 10 ms, or missLimit hops in that window each took more
 * than 10 ms (a deadline miss), the bridge goes releasing → idle for a back-off (backoffSeconds,
 * doubled on every consecutive overload up to maxBackoffSeconds; reset after stableSeconds of
 * clean running), then tries again (warming). Back-off time is counted in audio samples.
 */
import { HOP_SAMPLES, SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';
import { StreamingResampler } from '../../src/dsp/resample.js';
import { hopProcessorDelaySamples, type HopProcessor } from '../core/hop-processor.js';
import { HopTimings, type HopTimingSummary } from './hop-timing.js';
import { quantumPlanCreate, type QuantumPlan } from './quantum-plan.js';
import { DelayLine, SampleFifo } from './sample-ring.js';

/** Real-time duration of one hop in microseconds (160 / 16 kHz = 10 ms). */
const HOP_DURATION_US = (HOP_SAMPLES / SAMPLE_RATE_HZ) * 1e6;
/** Largest 16 kHz processor delay the dry/passthrough lines are sized for up front (grown on swap). */
const INITIAL_MAX_DELAY_16K = 4 * HOP_SAMPLES;

/** When the bridge gives up on a processor that cannot keep up, and when it retries. */
export interface OverloadPolicy {
  /**
   * Fall back to dry on overload at all (default true). Off for offline rendering
   * (OfflineAudioContext), where wall-clock time per hop says nothing about audio deadlines.
   */
  enabled: boolean;
  /** Hops in the sliding window the mean and the misses are taken over (default 50 = 0.5 s). */
  windowHops: number;
  /** Overload when the window's mean hop time exceeds this fraction of 10 ms (default 0.7). */
  budgetFraction: number;
  /** Overload when this many hops in the window each took longer than 10 ms (default 3). */
  missLimit: number;
  /** First back-off before retrying (default 2 s of audio). */
  backoffSeconds: number;
  /** Back-off doubles per consecutive overload up to this (default 32 s). */
  maxBackoffSeconds: number;
  /** Running this long without overload resets the back-off to backoffSeconds (default 10 s). */
  stableSeconds: number;
}

/** The default OverloadPolicy. */
export const DEFAULT_OVERLOAD_POLICY: Readonly<OverloadPolicy> = Object.freeze({
  enabled: true,
  windowHops: 50,
  budgetFraction: 0.7,
  missLimit: 3,
  backoffSeconds: 2,
  maxBackoffSeconds: 32,
  stableSeconds: 10,
});

/** Construction options of HopBridge. */
export interface HopBridgeOptions {
  /** Context sample rate (Hz, a positive integer whose ratio to 16 kHz the resampler accepts). */
  sampleRate: number;
  /** The 16 kHz processor (identity, or a net from createHopProcessor). */
  processor: HopProcessor;
  /** Render quantum length (default 128). */
  quantumSamples?: number;
  /** Wet fraction in [0, 1] (default 1). */
  wet?: number;
  /** Most attenuation (dB ≥ 0) the processor may apply relative to dry; Infinity = no floor (default). */
  attenuationFloorDb?: number;
  /** Start bypassed (default false). */
  bypass?: boolean;
  /** Crossfade length for bypass, overload and parameter changes (default 0.02 s). */
  fadeSeconds?: number;
  /** Clock in milliseconds (default performance.now, else Date.now). */
  now?: () => number;
  /** Overload detection and back-off (defaults in DEFAULT_OVERLOAD_POLICY). */
  overload?: Partial<OverloadPolicy>;
}

/** Engagement state of the processor (see the module comment). */
export type HopBridgeState = 'active' | 'releasing' | 'idle' | 'warming';

/** Latency of the bridge, all parts in context-rate samples unless named otherwise. */
export interface HopBridgeLatency {
  /** Whole-sample latency: the dry path's delay, and the wet path's to within ±0.5 sample. */
  samples: number;
  /** Exact latency of the wet path, P + D·fs/16000 (fractional when D·fs/16000 is). */
  exactSamples: number;
  /** exactSamples / fs · 1000. */
  ms: number;
  /** P: output FIFO priming (hop accumulation vs quantum, resampler lookaheads). */
  bufferingSamples: number;
  /** D·fs/16000: the processor's hop-stream delay. */
  processorSamples: number;
}

/** Statistics of a bridge, a plain object (the worklet posts it through its port). */
export interface HopBridgeStats extends HopTimingSummary {
  /** Context sample rate. */
  sampleRate: number;
  /** Quanta processed. */
  quanta: number;
  /** Quanta whose whole process() call took longer than the quantum lasts (128/fs). */
  lateQuanta: number;
  /** Times an overload forced the fallback to dry. */
  overloads: number;
  /** Engagement state. */
  state: HopBridgeState;
  /** True unless the state is active (output is dry, or fading to / from dry). */
  bypassed: boolean;
  /** The user's bypass switch. */
  userBypass: boolean;
  /** True while an overload back-off holds the processor off. */
  overloaded: boolean;
  /** Real-time budget of one hop's compute (µs): budgetFraction × 10 000. */
  budgetUs: number;
  /** Latency (see HopBridgeLatency.samples). */
  latencySamples: number;
  /** Which clock timed the hops: 'performance' (µs resolution), 'date' (1 ms: only the means are meaningful), 'custom'. */
  clock: 'performance' | 'date' | 'custom';
  /** Gain (dB) the processor's input level normaliser applies now (src/dsp/level.ts; 0 without one). */
  levelGainDb: number;
}

/** performance.now where the scope has it (AudioWorkletGlobalScope may not), else Date.now. */
function defaultClock(): { now: () => number; kind: 'performance' | 'date' } {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  if (perf && typeof perf.now === 'function') return { now: () => perf.now(), kind: 'performance' };
  return { now: () => Date.now(), kind: 'date' };
}

/** Render quanta ↔ 16 kHz hops, with wet/dry mix, bypass, attenuation floor and overload fallback. */
export class HopBridge {
  /** Context sample rate (Hz). */
  readonly sampleRate: number;
  /** Samples per process() call. */
  readonly quantumSamples: number;
  /** The buffering plan (priming, FIFO size, resampler filters). */
  readonly plan: QuantumPlan;

  private processorNow: HopProcessor;
  private processorPending: HopProcessor | null = null;
  /** D, the processor's hop-stream delay (16 kHz samples). */
  private delay16: number;

  private readonly inResampler: StreamingResampler | null;
  private readonly outResampler: StreamingResampler | null;
  /** Pull buffers of the resamplers: ≥ one quantum's worth of 16 kHz samples / one hop's worth at fs. */
  private readonly pull16: Float32Array;
  private readonly pullOut: Float32Array;
  /** Hop accumulation [160] and the processor's output hop [160] (16 kHz). */
  private readonly hopIn = new Float32Array(HOP_SAMPLES);
  private hopFill = 0;
  private readonly hopOut = new Float32Array(HOP_SAMPLES);
  /** 16 kHz input history for the idle passthrough (delay D). */
  private readonly passthrough: DelayLine;
  /** Wet output queue (fs), primed with P zeros. */
  private readonly fifo: SampleFifo;
  /** Dry input history (fs). */
  private readonly dryLine: DelayLine;
  private dryDelay: number;
  /** While > 0: the dry delay changed from dryDelayFrom (model swap); crossfade over fadeSamples. */
  private dryDelayFrom = 0;
  private dryFadeLeft = 0;
  /** Per-quantum blocks [Q]. */
  private readonly zeros: Float32Array;
  private readonly wetBlock: Float32Array;
  private readonly dryBlock: Float32Array;
  private readonly dryBlockOld: Float32Array;

  private wetValue: number;
  private floorDb: number;
  private userBypass: boolean;
  /** Mix coefficient a and its ramp step per sample. */
  private mix: number;
  private readonly fadeSamples: number;
  private readonly mixStep: number;

  private stateNow: HopBridgeState;
  private warmLeft = 0;
  private backoffLeft = 0;
  private overloadTrips = 0;
  private activeSamples = 0;
  private overloadCount = 0;
  private quantumCount = 0;
  private lateQuantumCount = 0;

  private readonly now: () => number;
  private readonly clockKind: 'performance' | 'date' | 'custom';
  private readonly policy: OverloadPolicy;
  private readonly timings: HopTimings;

  constructor(options: HopBridgeOptions) {
    const fs = options.sampleRate;
    if (!Number.isInteger(fs) || fs <= 0) throw new RangeError(`HopBridge: sampleRate must be a positive integer (Hz), got ${fs}`);
    this.sampleRate = fs;
    this.quantumSamples = options.quantumSamples ?? 128;
    this.plan = quantumPlanCreate(fs, this.quantumSamples);
    this.processorNow = options.processor;
    this.delay16 = hopProcessorDelaySamples(options.processor);
    this.policy = { ...DEFAULT_OVERLOAD_POLICY, ...(options.overload ?? {}) };
    const clock = options.now ? { now: options.now, kind: 'custom' as const } : defaultClock();
    this.now = clock.now;
    this.clockKind = clock.kind;
    this.timings = new HopTimings(this.policy.windowHops, HOP_DURATION_US);

    const q = this.quantumSamples;
    this.inResampler = this.plan.inputResampler ? new StreamingResampler(fs, SAMPLE_RATE_HZ) : null;
    this.outResampler = this.plan.outputResampler ? new StreamingResampler(SAMPLE_RATE_HZ, fs) : null;
    this.pull16 = new Float32Array(Math.ceil((q * SAMPLE_RATE_HZ) / fs) + 8);
    this.pullOut = new Float32Array(Math.ceil((HOP_SAMPLES * fs) / SAMPLE_RATE_HZ) + 8);
    this.passthrough = new DelayLine(Math.max(INITIAL_MAX_DELAY_16K, this.delay16), HOP_SAMPLES);
    // Room for P primed zeros + the largest burst written before a read (the plan's exact maximum);
    // + Q spare so a plan error shows up as a test failure (underrun) rather than an overflow.
    this.fifo = new SampleFifo(this.plan.fifoCapacitySamples + q);
    this.dryDelay = Math.round(this.latencyExactFor(this.delay16));
    this.dryLine = new DelayLine(Math.ceil(Math.max(this.dryDelay, this.latencyExactFor(INITIAL_MAX_DELAY_16K))), q);
    this.zeros = new Float32Array(q);
    this.wetBlock = new Float32Array(q);
    this.dryBlock = new Float32Array(q);
    this.dryBlockOld = new Float32Array(q);
    this.fifo.writeZeros(this.plan.primingSamples);

    this.wetValue = checkWet(options.wet ?? 1);
    this.floorDb = checkFloor(options.attenuationFloorDb ?? Infinity);
    this.userBypass = options.bypass ?? false;
    this.fadeSamples = Math.max(1, Math.round((options.fadeSeconds ?? 0.02) * fs));
    this.mixStep = 1 / this.fadeSamples;
    this.stateNow = this.userBypass ? 'idle' : 'active';
    this.mix = this.mixTarget();
  }

  private latencyExactFor(delay16: number): number {
    return this.plan.primingSamples + (delay16 * this.sampleRate) / SAMPLE_RATE_HZ;
  }

  /** Latency of the output relative to the input (see HopBridgeLatency and the module comment). */
  get latency(): HopBridgeLatency {
    const exact = this.latencyExactFor(this.delay16);
    return {
      samples: this.dryDelay,
      exactSamples: exact,
      ms: (exact / this.sampleRate) * 1000,
      bufferingSamples: this.plan.primingSamples,
      processorSamples: (this.delay16 * this.sampleRate) / SAMPLE_RATE_HZ,
    };
  }

  /** Whole-sample latency (context-rate samples): output[n] = input[n − latencySamples] when bypassed. */
  get latencySamples(): number {
    return this.dryDelay;
  }

  /** The processor in use (a pending one replaces it once the output has faded to dry). */
  get processor(): HopProcessor {
    return this.processorNow;
  }

  /** True while a processor given to setProcessor() waits to be swapped in. */
  get swapPending(): boolean {
    return this.processorPending !== null;
  }

  /** Engagement state. */
  get state(): HopBridgeState {
    return this.stateNow;
  }

  /** Wet fraction in [0, 1]. */
  get wet(): number {
    return this.wetValue;
  }
  set wet(v: number) {
    this.wetValue = checkWet(v);
  }

  /** Attenuation floor in dB (≥ 0; Infinity = none). */
  get attenuationFloorDb(): number {
    return this.floorDb;
  }
  set attenuationFloorDb(db: number) {
    this.floorDb = checkFloor(db);
  }

  /** The user's bypass switch (crossfades; the processor stops once the output is dry). */
  get bypass(): boolean {
    return this.userBypass;
  }
  set bypass(b: boolean) {
    this.userBypass = b;
  }

  /**
   * Queues `p` to replace the processor: the output fades to dry, `p` is swapped in, warmed up and
   * faded in. If its latency differs, the dry delay crossfades to the new latency while idle.
   */
  setProcessor(p: HopProcessor): void {
    hopProcessorDelaySamples(p);
    this.processorPending = p;
  }

  /** The mix coefficient a = wet·(1 − λ) when active, else 0. */
  private mixTarget(): number {
    if (this.stateNow !== 'active') return 0;
    const lambda = this.floorDb === Infinity ? 0 : Math.pow(10, -this.floorDb / 20);
    return this.wetValue * (1 - lambda);
  }

  /**
   * One render quantum: `input` (quantumSamples, or null/undefined for silence) → `output`
   * (quantumSamples). Output sample n of the stream is input sample n − latencySamples, enhanced.
   */
  process(input: Float32Array | null | undefined, output: Float32Array): void {
    const q = this.quantumSamples;
    if (output.length !== q || (input && input.length !== q)) {
      throw new RangeError(`HopBridge: quanta must have ${q} samples, got ${input?.length ?? '-'} in / ${output.length} out`);
    }
    const t0 = this.now();
    const src = input ?? this.zeros;
    this.dryLine.write(src, q);
    if (this.inResampler) {
      this.inResampler.push(src);
      let n: number;
      while ((n = this.inResampler.pull(this.pull16)) > 0) this.feedHops(this.pull16, n);
    } else {
      this.feedHops(src, q);
    }
    this.updateState();
    this.mixOut(output);
    this.quantumCount++;
    if ((this.now() - t0) * 1000 > (q / this.sampleRate) * 1e6) this.lateQuantumCount++;
  }

  /** Appends n 16 kHz samples to the hop ring, running a hop whenever 160 are in. */
  private feedHops(x: Float32Array, n: number): void {
    let i = 0;
    while (i < n) {
      const take = Math.min(HOP_SAMPLES - this.hopFill, n - i);
      for (let j = 0; j < take; j++) this.hopIn[this.hopFill + j] = x[i + j];
      this.hopFill += take;
      i += take;
      if (this.hopFill === HOP_SAMPLES) {
        this.runHop();
        this.hopFill = 0;
      }
    }
  }

  /** hopIn → processor (or the D-delayed passthrough while idle) → output resampler → FIFO. */
  private runHop(): void {
    this.passthrough.write(this.hopIn, HOP_SAMPLES);
    if (this.stateNow === 'idle') {
      this.passthrough.read(this.hopOut, HOP_SAMPLES, this.delay16);
    } else {
      const t0 = this.now();
      this.processorNow.process(this.hopIn, this.hopOut);
      this.timings.record((this.now() - t0) * 1000);
      this.checkOverload();
    }
    if (this.outResampler) {
      this.outResampler.push(this.hopOut);
      let n: number;
      while ((n = this.outResampler.pull(this.pullOut)) > 0) this.fifo.write(this.pullOut, n);
    } else {
      this.fifo.write(this.hopOut, HOP_SAMPLES);
    }
  }

  /** After each timed hop: trip into the back-off when the window says the processor can't keep up. */
  private checkOverload(): void {
    if (!this.policy.enabled || this.backoffLeft > 0) return;
    const t = this.timings;
    const slow = t.windowFull && t.windowMeanUs > this.policy.budgetFraction * HOP_DURATION_US;
    if (!slow && t.windowMisses < this.policy.missLimit) return;
    this.overloadCount++;
    this.overloadTrips++;
    const seconds = Math.min(this.policy.maxBackoffSeconds, this.policy.backoffSeconds * 2 ** (this.overloadTrips - 1));
    this.backoffLeft = Math.max(1, Math.round(seconds * this.sampleRate));
    this.activeSamples = 0;
    t.clearWindow();
  }

  /** The engagement state machine, once per quantum between the hops and the mix. */
  private updateState(): void {
    const want = !this.userBypass && this.backoffLeft <= 0 && this.processorPending === null;
    switch (this.stateNow) {
      case 'active':
        if (!want) this.stateNow = 'releasing';
        break;
      case 'releasing':
        if (want) this.stateNow = 'active';
        else if (this.mix === 0) this.stateNow = 'idle';
        break;
      case 'warming':
        if (!want) this.stateNow = 'idle';
        else if (this.warmLeft <= 0) this.stateNow = 'active';
        break;
      case 'idle':
        break;
    }
    if (this.stateNow === 'idle') {
      if (this.processorPending) this.swapProcessor();
      if (want) {
        this.processorNow.reset();
        this.timings.clearWindow();
        this.warmLeft = this.warmupSamples();
        this.stateNow = 'warming';
      }
    }
  }

  /**
   * Output samples to hold a = 0 after a reset before the processor's output reaches the mixer
   * clean: the reset takes effect from the next hop (≤ 2 quanta away), and that hop's first clean
   * output (processor.latencySamples later at 16 kHz, i.e. D + 160) leaves the mixer
   * P + (D + 160)·fs/16000 = latencyExact + 160·fs/16000 samples after its input arrived.
   */
  private warmupSamples(): number {
    return Math.ceil(this.latencyExactFor(this.delay16) + (HOP_SAMPLES * this.sampleRate) / SAMPLE_RATE_HZ) + 2 * this.quantumSamples;
  }

  /**
   * Idle only: installs the pending processor and retargets the dry delay (crossfaded). Grows the
   * delay lines when the new latency needs it — the one allocation that can happen inside process().
   */
  private swapProcessor(): void {
    const p = this.processorPending!;
    this.processorPending = null;
    this.processorNow = p;
    this.delay16 = hopProcessorDelaySamples(p);
    // A new processor gets a fresh chance: no back-off inherited from the one it replaces.
    this.backoffLeft = 0;
    this.overloadTrips = 0;
    this.passthrough.ensureDelay(this.delay16);
    const dry = Math.round(this.latencyExactFor(this.delay16));
    if (dry !== this.dryDelay) {
      this.dryLine.ensureDelay(Math.max(dry, this.dryDelay));
      this.dryDelayFrom = this.dryDelay;
      this.dryDelay = dry;
      this.dryFadeLeft = this.fadeSamples;
    }
  }

  /** FIFO (wet) and dry line → output, ramping a toward its target. */
  private mixOut(output: Float32Array): void {
    const q = this.quantumSamples;
    this.fifo.read(this.wetBlock, q);
    this.dryLine.read(this.dryBlock, q, this.dryDelay);
    if (this.dryFadeLeft > 0) {
      // Model swap changed the latency: slide the dry read point over fadeSamples (a = 0 here).
      this.dryLine.read(this.dryBlockOld, q, this.dryDelayFrom);
      for (let i = 0; i < q; i++) {
        const g = Math.max(0, this.dryFadeLeft - i) / this.fadeSamples; // weight of the old delay
        this.dryBlock[i] = g * this.dryBlockOld[i] + (1 - g) * this.dryBlock[i];
      }
      this.dryFadeLeft = Math.max(0, this.dryFadeLeft - q);
    }
    const target = this.mixTarget();
    let a = this.mix;
    for (let i = 0; i < q; i++) {
      if (a < target) a = Math.min(target, a + this.mixStep);
      else if (a > target) a = Math.max(target, a - this.mixStep);
      const d = this.dryBlock[i];
      output[i] = d + a * (this.wetBlock[i] - d);
    }
    this.mix = a;
    if (this.stateNow === 'warming') this.warmLeft -= q;
    if (this.backoffLeft > 0) this.backoffLeft -= q;
    if (this.stateNow === 'active' && this.overloadTrips > 0) {
      this.activeSamples += q;
      if (this.activeSamples >= this.policy.stableSeconds * this.sampleRate) this.overloadTrips = 0;
    }
  }

  /** Clears all stream state (input history, queues, processor state) as if the input had been silent. */
  reset(): void {
    this.inResampler?.reset();
    this.outResampler?.reset();
    this.hopIn.fill(0);
    this.hopFill = 0;
    this.passthrough.clear();
    this.dryLine.clear();
    this.dryFadeLeft = 0;
    this.fifo.clear();
    this.fifo.writeZeros(this.plan.primingSamples);
    this.processorNow.reset();
  }

  /** Statistics as a plain, structured-cloneable object. */
  stats(): HopBridgeStats {
    return {
      ...this.timings.summary(),
      sampleRate: this.sampleRate,
      quanta: this.quantumCount,
      lateQuanta: this.lateQuantumCount,
      overloads: this.overloadCount,
      state: this.stateNow,
      bypassed: this.stateNow !== 'active',
      userBypass: this.userBypass,
      overloaded: this.backoffLeft > 0,
      budgetUs: this.policy.budgetFraction * HOP_DURATION_US,
      latencySamples: this.dryDelay,
      clock: this.clockKind,
      levelGainDb: 20 * Math.log10(this.processorNow.levelGain ?? 1),
    };
  }
}

function checkWet(v: number): number {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`HopBridge: wet must be in [0, 1], got ${v}`);
  return v;
}

function checkFloor(db: number): number {
  if (!(db >= 0)) throw new RangeError(`HopBridge: attenuationFloorDb must be ≥ 0 dB (Infinity for none), got ${db}`);
  return db;
}
