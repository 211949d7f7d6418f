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
 *   P     = plan.primingSamples                   zeros primed into the FIFO (quantumPlan.ts): the
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
import { hopProcessorDelaySamples, type HopProcessor } from '../core/hopProcessor.js';
import { HopTimings, type HopTimingSummary } from './hopTiming.js';
import { quantumPlanCreate, type QuantumPlan } from './quantumPlan.js';
import { DelayLine, SampleFifo } from './sampleRing.js';

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

// ---------------------------------------------------------------------------------------------
// The bridge's parts, kept apart like tract's Delay (settings) and DelayState (stream state):
// settings never change after construction; the user's controls change any time and reach the
// output through the mix ramp; the stream state is what reset() clears; the engagement holds the
// processor and the state machine around it; scratch buffers carry nothing from one call to the
// next; the counters only feed stats().
// ---------------------------------------------------------------------------------------------

/** Fixed at construction. */
interface HopBridgeSettings {
  /** Context sample rate fs (Hz) and samples per process() call Q. */
  readonly sampleRate: number;
  readonly quantumSamples: number;
  /** The buffering plan (priming P, FIFO size, resampler filters). */
  readonly plan: QuantumPlan;
  /** Crossfade length (fs samples) and the mix ramp's step per sample (1 / fadeSamples). */
  readonly fadeSamples: number;
  readonly mixStep: number;
  readonly policy: Readonly<OverloadPolicy>;
  readonly now: () => number;
  readonly clockKind: 'performance' | 'date' | 'custom';
}

/** The user's controls (setters check them; they take effect through the ramp of a). */
interface HopBridgeControls {
  /** Wet fraction in [0, 1]. */
  wet: number;
  /** Attenuation floor, dB ≥ 0 (Infinity: none). */
  floorDb: number;
  bypass: boolean;
}

/** The signal path's memory: what reset() clears (histories, queues, the partial hop). */
interface HopBridgeStream {
  readonly inResampler: StreamingResampler | null;
  readonly outResampler: StreamingResampler | null;
  /** Hop accumulation [160] (16 kHz) and how much of it is filled. */
  readonly hopIn: Float32Array;
  hopFill: number;
  /** 16 kHz input history for the idle passthrough (delay D). */
  readonly passthrough: DelayLine;
  /** Wet output queue (fs), primed with P zeros. */
  readonly fifo: SampleFifo;
  /** Dry input history (fs) and its read delay (= latencySamples). */
  readonly dryLine: DelayLine;
  dryDelay: number;
  /** While dryFadeLeft > 0: the dry delay changed from dryDelayFrom (model swap); crossfade over fadeSamples. */
  dryDelayFrom: number;
  dryFadeLeft: number;
}

/** The processor, the engagement state machine and the overload back-off (module comment). */
interface HopBridgeEngagement {
  processor: HopProcessor;
  pending: HopProcessor | null;
  /** D, the processor's hop-stream delay (16 kHz samples). */
  delay16: number;
  state: HopBridgeState;
  /** Mix coefficient a (ramps toward its target by mixStep per sample). */
  mix: number;
  /** Output samples left to hold a = 0 while warming, and of the overload back-off (fs). */
  warmLeft: number;
  backoffLeft: number;
  /** Consecutive overloads (doubles the back-off) and the clean running since the last one (fs samples). */
  overloadTrips: number;
  activeSamples: number;
}

/** Buffers reused on every call; nothing in them survives a call. */
interface HopBridgeScratch {
  /** Pull buffers of the resamplers: ≥ one quantum's worth of 16 kHz samples / one hop's worth at fs. */
  readonly pull16: Float32Array;
  readonly pullOut: Float32Array;
  /** The processor's output hop [160] (16 kHz). */
  readonly hopOut: Float32Array;
  /** Per-quantum blocks [Q]: silence (null input), wet, dry, and dry at the old delay (swap crossfade). */
  readonly zeros: Float32Array;
  readonly wetBlock: Float32Array;
  readonly dryBlock: Float32Array;
  readonly dryBlockOld: Float32Array;
}

/** What stats() reports besides the state (counts since construction). */
interface HopBridgeCounters {
  quanta: number;
  lateQuanta: number;
  overloads: number;
  /** Per-hop compute times (the overload window and the summary). */
  readonly timings: HopTimings;
}

/** Exact wet-path latency P + D·fs/16000 (context-rate samples). */
function latencyExactFor(settings: HopBridgeSettings, delay16: number): number {
  return settings.plan.primingSamples + (delay16 * settings.sampleRate) / SAMPLE_RATE_HZ;
}

/** The settings of a bridge from its options (validated). */
function hopBridgeSettings(options: HopBridgeOptions): HopBridgeSettings {
  const fs = options.sampleRate;
  if (!Number.isInteger(fs) || fs <= 0) throw new RangeError(`HopBridge: sampleRate must be a positive integer (Hz), got ${fs}`);
  const quantumSamples = options.quantumSamples ?? 128;
  const clock = options.now ? { now: options.now, kind: 'custom' as const } : defaultClock();
  const fadeSamples = Math.max(1, Math.round((options.fadeSeconds ?? 0.02) * fs));
  return {
    sampleRate: fs,
    quantumSamples,
    plan: quantumPlanCreate(fs, quantumSamples),
    fadeSamples,
    mixStep: 1 / fadeSamples,
    policy: { ...DEFAULT_OVERLOAD_POLICY, ...(options.overload ?? {}) },
    now: clock.now,
    clockKind: clock.kind,
  };
}

/** A fresh stream for a processor of delay D = delay16, the FIFO primed with P zeros. */
function hopBridgeStreamCreate(settings: HopBridgeSettings, delay16: number): HopBridgeStream {
  const { sampleRate: fs, quantumSamples: q, plan } = settings;
  const dryDelay = Math.round(latencyExactFor(settings, delay16));
  const stream: HopBridgeStream = {
    inResampler: plan.inputResampler ? new StreamingResampler(fs, SAMPLE_RATE_HZ) : null,
    outResampler: plan.outputResampler ? new StreamingResampler(SAMPLE_RATE_HZ, fs) : null,
    hopIn: new Float32Array(HOP_SAMPLES),
    hopFill: 0,
    passthrough: new DelayLine(Math.max(INITIAL_MAX_DELAY_16K, delay16), HOP_SAMPLES),
    // Room for P primed zeros + the largest burst written before a read (the plan's exact maximum);
    // + Q spare so a plan error shows up as a test failure (underrun) rather than an overflow.
    fifo: new SampleFifo(plan.fifoCapacitySamples + q),
    dryLine: new DelayLine(Math.ceil(Math.max(dryDelay, latencyExactFor(settings, INITIAL_MAX_DELAY_16K))), q),
    dryDelay,
    dryDelayFrom: 0,
    dryFadeLeft: 0,
  };
  stream.fifo.writeZeros(plan.primingSamples);
  return stream;
}

/** Scratch buffers for quanta of Q samples at fs. */
function hopBridgeScratchCreate(settings: HopBridgeSettings): HopBridgeScratch {
  const { sampleRate: fs, quantumSamples: q } = settings;
  return {
    pull16: new Float32Array(Math.ceil((q * SAMPLE_RATE_HZ) / fs) + 8),
    pullOut: new Float32Array(Math.ceil((HOP_SAMPLES * fs) / SAMPLE_RATE_HZ) + 8),
    hopOut: new Float32Array(HOP_SAMPLES),
    zeros: new Float32Array(q),
    wetBlock: new Float32Array(q),
    dryBlock: new Float32Array(q),
    dryBlockOld: new Float32Array(q),
  };
}

/** Render quanta ↔ 16 kHz hops, with wet/dry mix, bypass, attenuation floor and overload fallback. */
export class HopBridge {
  /** Context sample rate (Hz). */
  readonly sampleRate: number;
  /** Samples per process() call. */
  readonly quantumSamples: number;
  /** The buffering plan (priming, FIFO size, resampler filters). */
  readonly plan: QuantumPlan;

  private readonly settings: HopBridgeSettings;
  private readonly controls: HopBridgeControls;
  private readonly stream: HopBridgeStream;
  private readonly engage: HopBridgeEngagement;
  private readonly scratch: HopBridgeScratch;
  private readonly counters: HopBridgeCounters;

  constructor(options: HopBridgeOptions) {
    const settings = hopBridgeSettings(options);
    this.settings = settings;
    this.sampleRate = settings.sampleRate;
    this.quantumSamples = settings.quantumSamples;
    this.plan = settings.plan;
    const delay16 = hopProcessorDelaySamples(options.processor);
    this.counters = { quanta: 0, lateQuanta: 0, overloads: 0, timings: new HopTimings(settings.policy.windowHops, HOP_DURATION_US) };
    this.stream = hopBridgeStreamCreate(settings, delay16);
    this.scratch = hopBridgeScratchCreate(settings);
    this.controls = {
      wet: checkWet(options.wet ?? 1),
      floorDb: checkFloor(options.attenuationFloorDb ?? Infinity),
      bypass: options.bypass ?? false,
    };
    this.engage = {
      processor: options.processor, pending: null, delay16, state: this.controls.bypass ? 'idle' : 'active', mix: 0,
      warmLeft: 0, backoffLeft: 0, overloadTrips: 0, activeSamples: 0,
    };
    this.engage.mix = this.mixTarget();
  }

  /** Latency of the output relative to the input (see HopBridgeLatency and the module comment). */
  get latency(): HopBridgeLatency {
    const exact = latencyExactFor(this.settings, this.engage.delay16);
    return {
      samples: this.stream.dryDelay,
      exactSamples: exact,
      ms: (exact / this.sampleRate) * 1000,
      bufferingSamples: this.plan.primingSamples,
      processorSamples: (this.engage.delay16 * this.sampleRate) / SAMPLE_RATE_HZ,
    };
  }

  /** Whole-sample latency (context-rate samples): output[n] = input[n − latencySamples] when bypassed. */
  get latencySamples(): number {
    return this.stream.dryDelay;
  }

  /** The processor in use (a pending one replaces it once the output has faded to dry). */
  get processor(): HopProcessor {
    return this.engage.processor;
  }

  /** True while a processor given to setProcessor() waits to be swapped in. */
  get swapPending(): boolean {
    return this.engage.pending !== null;
  }

  /** Engagement state. */
  get state(): HopBridgeState {
    return this.engage.state;
  }

  /** Wet fraction in [0, 1]. */
  get wet(): number {
    return this.controls.wet;
  }
  set wet(v: number) {
    this.controls.wet = checkWet(v);
  }

  /** Attenuation floor in dB (≥ 0; Infinity = none). */
  get attenuationFloorDb(): number {
    return this.controls.floorDb;
  }
  set attenuationFloorDb(db: number) {
    this.controls.floorDb = checkFloor(db);
  }

  /** The user's bypass switch (crossfades; the processor stops once the output is dry). */
  get bypass(): boolean {
    return this.controls.bypass;
  }
  set bypass(b: boolean) {
    this.controls.bypass = b;
  }

  /**
   * Queues `p` to replace the processor: the output fades to dry, `p` is swapped in, warmed up and
   * faded in. If its latency differs, the dry delay crossfades to the new latency while idle.
   */
  setProcessor(p: HopProcessor): void {
    hopProcessorDelaySamples(p);
    this.engage.pending = p;
  }

  /** The mix coefficient a = wet·(1 − λ) when active, else 0. */
  private mixTarget(): number {
    if (this.engage.state !== 'active') return 0;
    const { wet, floorDb } = this.controls;
    const lambda = floorDb === Infinity ? 0 : Math.pow(10, -floorDb / 20);
    return wet * (1 - lambda);
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
    const { stream, scratch } = this;
    const t0 = this.settings.now();
    const src = input ?? scratch.zeros;
    stream.dryLine.write(src, q);
    if (stream.inResampler) {
      stream.inResampler.push(src);
      let n: number;
      while ((n = stream.inResampler.pull(scratch.pull16)) > 0) this.feedHops(scratch.pull16, n);
    } else {
      this.feedHops(src, q);
    }
    this.updateState();
    this.mixOut(output);
    this.counters.quanta++;
    if ((this.settings.now() - t0) * 1000 > (q / this.sampleRate) * 1e6) this.counters.lateQuanta++;
  }

  /** Appends n 16 kHz samples to the hop ring, running a hop whenever 160 are in. */
  private feedHops(x: Float32Array, n: number): void {
    const stream = this.stream;
    let i = 0;
    while (i < n) {
      const take = Math.min(HOP_SAMPLES - stream.hopFill, n - i);
      for (let j = 0; j < take; j++) stream.hopIn[stream.hopFill + j] = x[i + j];
      stream.hopFill += take;
      i += take;
      if (stream.hopFill === HOP_SAMPLES) {
        this.runHop();
        stream.hopFill = 0;
      }
    }
  }

  /** hopIn → processor (or the D-delayed passthrough while idle) → output resampler → FIFO. */
  private runHop(): void {
    const { stream, scratch, engage } = this;
    stream.passthrough.write(stream.hopIn, HOP_SAMPLES);
    if (engage.state === 'idle') {
      stream.passthrough.read(scratch.hopOut, HOP_SAMPLES, engage.delay16);
    } else {
      const t0 = this.settings.now();
      engage.processor.process(stream.hopIn, scratch.hopOut);
      this.counters.timings.record((this.settings.now() - t0) * 1000);
      this.checkOverload();
    }
    if (stream.outResampler) {
      stream.outResampler.push(scratch.hopOut);
      let n: number;
      while ((n = stream.outResampler.pull(scratch.pullOut)) > 0) stream.fifo.write(scratch.pullOut, n);
    } else {
      stream.fifo.write(scratch.hopOut, HOP_SAMPLES);
    }
  }

  /** After each timed hop: trip into the back-off when the window says the processor can't keep up. */
  private checkOverload(): void {
    const { policy } = this.settings;
    const engage = this.engage;
    if (!policy.enabled || engage.backoffLeft > 0) return;
    const t = this.counters.timings;
    const slow = t.windowFull && t.windowMeanUs > policy.budgetFraction * HOP_DURATION_US;
    if (!slow && t.windowMisses < policy.missLimit) return;
    this.counters.overloads++;
    engage.overloadTrips++;
    const seconds = Math.min(policy.maxBackoffSeconds, policy.backoffSeconds * 2 ** (engage.overloadTrips - 1));
    engage.backoffLeft = Math.max(1, Math.round(seconds * this.sampleRate));
    engage.activeSamples = 0;
    t.clearWindow();
  }

  /** The engagement state machine, once per quantum between the hops and the mix. */
  private updateState(): void {
    const engage = this.engage;
    const want = !this.controls.bypass && engage.backoffLeft <= 0 && engage.pending === null;
    switch (engage.state) {
      case 'active':
        if (!want) engage.state = 'releasing';
        break;
      case 'releasing':
        if (want) engage.state = 'active';
        else if (engage.mix === 0) engage.state = 'idle';
        break;
      case 'warming':
        if (!want) engage.state = 'idle';
        else if (engage.warmLeft <= 0) engage.state = 'active';
        break;
      case 'idle':
        break;
    }
    if (engage.state === 'idle') {
      if (engage.pending) this.swapProcessor();
      if (want) {
        engage.processor.reset();
        this.counters.timings.clearWindow();
        engage.warmLeft = this.warmupSamples();
        engage.state = 'warming';
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
    return Math.ceil(latencyExactFor(this.settings, this.engage.delay16) + (HOP_SAMPLES * this.sampleRate) / SAMPLE_RATE_HZ) + 2 * this.quantumSamples;
  }

  /**
   * Idle only: installs the pending processor and retargets the dry delay (crossfaded). Grows the
   * delay lines when the new latency needs it — the one allocation that can happen inside process().
   */
  private swapProcessor(): void {
    const { engage, stream } = this;
    const p = engage.pending!;
    engage.pending = null;
    engage.processor = p;
    engage.delay16 = hopProcessorDelaySamples(p);
    // A new processor gets a fresh chance: no back-off inherited from the one it replaces.
    engage.backoffLeft = 0;
    engage.overloadTrips = 0;
    stream.passthrough.ensureDelay(engage.delay16);
    const dry = Math.round(latencyExactFor(this.settings, engage.delay16));
    if (dry !== stream.dryDelay) {
      stream.dryLine.ensureDelay(Math.max(dry, stream.dryDelay));
      stream.dryDelayFrom = stream.dryDelay;
      stream.dryDelay = dry;
      stream.dryFadeLeft = this.settings.fadeSamples;
    }
  }

  /** FIFO (wet) and dry line → output, ramping a toward its target. */
  private mixOut(output: Float32Array): void {
    const q = this.quantumSamples;
    const { stream, scratch, engage, settings } = this;
    const { wetBlock, dryBlock, dryBlockOld } = scratch;
    stream.fifo.read(wetBlock, q);
    stream.dryLine.read(dryBlock, q, stream.dryDelay);
    if (stream.dryFadeLeft > 0) {
      // Model swap changed the latency: slide the dry read point over fadeSamples (a = 0 here).
      stream.dryLine.read(dryBlockOld, q, stream.dryDelayFrom);
      for (let i = 0; i < q; i++) {
        const g = Math.max(0, stream.dryFadeLeft - i) / settings.fadeSamples; // weight of the old delay
        dryBlock[i] = g * dryBlockOld[i] + (1 - g) * dryBlock[i];
      }
      stream.dryFadeLeft = Math.max(0, stream.dryFadeLeft - q);
    }
    const target = this.mixTarget();
    const step = settings.mixStep;
    let a = engage.mix;
    for (let i = 0; i < q; i++) {
      if (a < target) a = Math.min(target, a + step);
      else if (a > target) a = Math.max(target, a - step);
      const d = dryBlock[i];
      output[i] = d + a * (wetBlock[i] - d);
    }
    engage.mix = a;
    if (engage.state === 'warming') engage.warmLeft -= q;
    if (engage.backoffLeft > 0) engage.backoffLeft -= q;
    if (engage.state === 'active' && engage.overloadTrips > 0) {
      engage.activeSamples += q;
      if (engage.activeSamples >= settings.policy.stableSeconds * this.sampleRate) engage.overloadTrips = 0;
    }
  }

  /** Clears all stream state (input history, queues, processor state) as if the input had been silent. */
  reset(): void {
    const stream = this.stream;
    stream.inResampler?.reset();
    stream.outResampler?.reset();
    stream.hopIn.fill(0);
    stream.hopFill = 0;
    stream.passthrough.clear();
    stream.dryLine.clear();
    stream.dryFadeLeft = 0;
    stream.fifo.clear();
    stream.fifo.writeZeros(this.plan.primingSamples);
    this.engage.processor.reset();
  }

  /** Statistics as a plain, structured-cloneable object. */
  stats(): HopBridgeStats {
    const { engage, counters, settings } = this;
    return {
      ...counters.timings.summary(),
      sampleRate: this.sampleRate,
      quanta: counters.quanta,
      lateQuanta: counters.lateQuanta,
      overloads: counters.overloads,
      state: engage.state,
      bypassed: engage.state !== 'active',
      userBypass: this.controls.bypass,
      overloaded: engage.backoffLeft > 0,
      budgetUs: settings.policy.budgetFraction * HOP_DURATION_US,
      latencySamples: this.stream.dryDelay,
      clock: settings.clockKind,
      levelGainDb: 20 * Math.log10(engage.processor.levelGain ?? 1),
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
