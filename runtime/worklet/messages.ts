/**
 * What crosses the AudioWorklet boundary: the processor's construction options and the messages
 * on the node's MessagePort, both ways. Types only (plus the registered name), shared by
 * workletNode.ts (main thread) and workletProcessor.ts (audio thread). Everything here is
 * structured-cloneable; no SharedArrayBuffer, so no cross-origin isolation is needed.
 */
import type { LevelMode } from '../../src/dsp/level.js';
import type { HopBridgeLatency, HopBridgeStats } from './processor.js';

/** The name the processor is registered under. */
export const HUSH_PROCESSOR_NAME = 'hushpack';

/** `processorOptions` of the AudioWorkletNode. */
export interface HushProcessorOptions {
  /** The compiled hushpack WASM module (preferred: compiled once per page), or its bytes. */
  wasm: WebAssembly.Module | ArrayBuffer | Uint8Array;
  /** `.hush` model bytes; null = identity (STFT analysis → synthesis, no network). */
  model: Uint8Array | null;
  /** Start bypassed (default false). */
  bypass?: boolean;
  /** Wet fraction in [0, 1] (default 1). */
  wet?: number;
  /** Attenuation floor in dB (≥ 0; default Infinity = none). */
  attenuationFloorDb?: number;
  /** Post statistics every this many seconds of audio (default 1; 0 = only on request). */
  statsIntervalSeconds?: number;
  /** Input level handling of the models (src/dsp/level.ts; default 'track'). */
  level?: LevelMode;
  /** Crossfade to dry when the processor cannot keep up (default true; HushNode turns it off offline). */
  overloadFallback?: boolean;
}

/** Main thread → processor. */
export type HushNodeMessage =
  | { type: 'setModel'; id: number; model: Uint8Array | null }
  | { type: 'bypass'; value: boolean }
  | { type: 'wet'; value: number }
  | { type: 'floor'; value: number }
  | { type: 'stats' }
  | { type: 'reset' };

/** Processor → main thread. */
export type HushProcessorMessage =
  /** The processor is built; audio from now on is processed with this latency. */
  | { type: 'ready'; latency: HopBridgeLatency }
  /** setModel `id` took effect (the new processor is swapped in) with this latency. */
  | { type: 'model'; id: number; latency: HopBridgeLatency }
  /** Periodic or requested statistics. */
  | { type: 'stats'; stats: HopBridgeStats }
  /** Something failed; `id` names the setModel request when it was that. */
  | { type: 'error'; id?: number; message: string };
