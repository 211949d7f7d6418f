/**
 * A small AudioWorkletGlobalScope of our own, in Node: enough of the Web Audio worklet scope to run a
 * third-party `AudioWorkletProcessor` script (the peers of src/peers/catalog.ts) without a browser
 * or an AudioContext, one 128-sample render quantum at a time.
 *
 * What the scope provides (Web Audio API §1.32 AudioWorkletGlobalScope), and nothing else:
 *   AudioWorkletProcessor  base class; its constructor takes the node's MessagePort (our stub below)
 *                          from the pending construction data, as the spec's constructor does
 *   registerProcessor      records name → class (a second registration of a name throws, as in browsers)
 *   sampleRate             the context rate, fixed for the scope's life (one scope per rate)
 *   currentFrame           frames rendered before the current quantum; currentTime = currentFrame / sampleRate
 *   console, WebAssembly, TextDecoder, TextEncoder, URL  (WebAssembly is the context's own; the rest are Node's)
 * No `process`, `require`, `window`, `fetch` or `importScripts`: like a real worklet scope, so
 * Emscripten glue takes its "shell" path and compiles the wasm bytes it is handed, fetching nothing.
 *
 * The script is an ES module in the browser (addModule). The peers' bundles import and export
 * nothing; their only module syntax is `import.meta.url` (Emscripten's script directory, unused
 * when the wasm bytes are passed in), which we replace with the file's URL before compiling the
 * text as a vm.Script in the scope's vm context, wrapped in a strict-mode function (module code is
 * strict, `this` is undefined at its top, and each module has its own top-level scope).
 *
 * Processors load their wasm asynchronously in the constructor and output silence until it is ready
 * (their process() returns early while `this.processor` is undefined: web-noise-suppressor 0.4.1,
 * src/<peer>/workletProcessor.ts). workletProcessorCreate waits for that field before returning, so
 * the first quantum fed is processed.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { UserError } from '../errors.js';

/** Samples per render quantum (Web Audio's fixed block size). */
export const RENDER_QUANTUM_SAMPLES = 128;

/** How long a processor may take to compile and instantiate its wasm before we give up (ms). */
const PROCESSOR_LOAD_TIMEOUT_MS = 20_000;

/** A message listener registered on the port stub. */
type PortListener = (event: { data: unknown }) => void;

/**
 * The processor side of the node's MessagePort: listeners and postMessage towards the node
 * (recorded in `sent`). `deliver` plays the node posting a message to the processor.
 */
export class WorkletPortStub {
  onmessage: PortListener | null = null;
  readonly sent: unknown[] = [];
  private readonly listeners = new Set<PortListener>();
  addEventListener(type: string, fn: PortListener): void {
    if (type === 'message') this.listeners.add(fn);
  }
  removeEventListener(type: string, fn: PortListener): void {
    if (type === 'message') this.listeners.delete(fn);
  }
  postMessage(data: unknown): void {
    this.sent.push(data);
  }
  start(): void {}
  close(): void {
    this.listeners.clear();
  }
  /** Delivers `data` to the processor's listeners, synchronously. */
  deliver(data: unknown): void {
    const event = { data };
    for (const fn of this.listeners) fn(event);
    this.onmessage?.(event);
  }
}

/** What the host calls on a processor instance (AudioWorkletProcessor.process and its port). */
export interface WorkletProcessorInstance {
  readonly port: WorkletPortStub;
  process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}

/** Constructor options of a processor (AudioWorkletNodeOptions as the processor sees them). */
export interface WorkletNodeOptions {
  numberOfInputs: number;
  numberOfOutputs: number;
  outputChannelCount: number[];
  processorOptions: Record<string, unknown>;
}

/** One worklet global scope at one sample rate, holding the scripts loaded into it. */
export class WorkletScope {
  readonly sampleRate: number;
  private readonly context: vm.Context;
  private readonly registry = new Map<string, new (options: WorkletNodeOptions) => WorkletProcessorInstance>();
  /** The port the next processor construction takes (the spec's "pending processor construction data"). */
  private pendingPort: WorkletPortStub | null = null;

  constructor(sampleRate: number) {
    if (!Number.isInteger(sampleRate) || sampleRate < 3000 || sampleRate > 768000) {
      throw new UserError(`worklet scope: sample rate must be an integer 3000–768000 Hz, got ${sampleRate}`);
    }
    this.sampleRate = sampleRate;
    const host = this;
    class AudioWorkletProcessor {
      readonly port: WorkletPortStub;
      constructor() {
        if (!host.pendingPort) throw new TypeError("Failed to construct 'AudioWorkletProcessor': illegal constructor");
        this.port = host.pendingPort;
        host.pendingPort = null;
      }
    }
    const registerProcessor = (name: string, ctor: new (options: WorkletNodeOptions) => WorkletProcessorInstance): void => {
      if (typeof name !== 'string' || name === '') throw new TypeError('registerProcessor: the name is empty');
      if (this.registry.has(name)) throw new Error(`registerProcessor: '${name}' is already registered`);
      if (typeof ctor !== 'function') throw new TypeError(`registerProcessor: '${name}' is not a constructor`);
      this.registry.set(name, ctor);
    };
    this.context = vm.createContext({
      AudioWorkletProcessor, registerProcessor, sampleRate, currentFrame: 0, currentTime: 0,
      console, TextDecoder, TextEncoder, URL,
    }, { name: `hushpack worklet scope ${sampleRate} Hz`, codeGeneration: { strings: false, wasm: true } });
  }

  /** Evaluates a processor script (the file at `path`) in this scope: addModule(path). */
  scriptLoad(path: string): void {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UserError(`${path}: cannot read the worklet script (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (/^\s*(import|export)\b/m.test(text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ''))) {
      throw new UserError(`${path}: the worklet script has import/export statements; this host runs self-contained bundles only`);
    }
    // A strict function scope per script, as each module has its own top-level scope.
    const source = `(function () { 'use strict';\n${text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href))}\n})();`;
    new vm.Script(source, { filename: path }).runInContext(this.context);
  }

  /** Names registered so far. */
  processorNames(): string[] {
    return [...this.registry.keys()];
  }

  /**
   * Constructs processor `name` as `new AudioWorkletNode(ctx, name, options)` would (one input,
   * one mono output), then waits until it has loaded its wasm (see the file comment).
   */
  async processorCreate(name: string, processorOptions: Record<string, unknown>): Promise<WorkletProcessorInstance> {
    const ctor = this.registry.get(name);
    if (!ctor) throw new UserError(`worklet scope: no processor '${name}' registered (have: ${this.processorNames().join(', ') || 'none'})`);
    const port = new WorkletPortStub();
    this.pendingPort = port;
    let p: WorkletProcessorInstance;
    try {
      p = new ctor({ numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], processorOptions });
    } finally {
      this.pendingPort = null;
    }
    const t0 = performance.now();
    while ((p as unknown as { processor?: unknown }).processor === undefined) {
      if (performance.now() - t0 > PROCESSOR_LOAD_TIMEOUT_MS) {
        throw new Error(`worklet processor '${name}' did not finish loading its wasm within ${PROCESSOR_LOAD_TIMEOUT_MS / 1000} s`);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    return p;
  }

  /** Sets currentFrame/currentTime as seen by the scope's code (before each quantum). */
  clockSet(frame: number): void {
    this.context.currentFrame = frame;
    this.context.currentTime = frame / this.sampleRate;
  }
}

/** What quantaRun returns. */
export interface QuantaRun {
  /** The processor's output, one sample per input sample fed (input.length rounded up to quanta). */
  output: Float32Array;
  /** Quanta fed and process() calls made (equal unless the processor stopped, which is an error). */
  quanta: number;
  calls: number;
  /** Wall time of each process() call (ns). */
  callNs: Float64Array;
}

/**
 * Feeds `input` (mono, at the scope's rate) to `p` in 128-sample quanta from frame 0, zero-padding
 * the last quantum, exactly as a render thread would: fresh zeroed output buffers each quantum,
 * inputs[0][0] the quantum, currentFrame advanced by 128. Throws when process() returns false (the
 * processor stopped) or the output holds a non-finite sample.
 */
export function quantaRun(scope: WorkletScope, p: WorkletProcessorInstance, input: Float32Array): QuantaRun {
  const q = RENDER_QUANTUM_SAMPLES;
  const quanta = Math.ceil(input.length / q);
  const output = new Float32Array(quanta * q);
  const callNs = new Float64Array(quanta);
  const inBuf = new Float32Array(q);
  const outBuf = new Float32Array(q);
  const inputs = [[inBuf]];
  const outputs = [[outBuf]];
  const parameters: Record<string, Float32Array> = {};
  let calls = 0;
  for (let k = 0; k < quanta; k++) {
    const at = k * q;
    inBuf.fill(0);
    inBuf.set(input.subarray(at, Math.min(at + q, input.length)));
    outBuf.fill(0);
    scope.clockSet(at);
    const t0 = process.hrtime.bigint();
    const alive = p.process(inputs, outputs, parameters);
    callNs[k] = Number(process.hrtime.bigint() - t0);
    calls++;
    if (alive !== true) throw new Error(`worklet processor stopped (process() returned ${String(alive)}) at quantum ${k}`);
    for (let i = 0; i < q; i++) {
      if (!Number.isFinite(outBuf[i])) throw new Error(`worklet processor output is not finite (${outBuf[i]}) at sample ${at + i}`);
    }
    output.set(outBuf, at);
  }
  return { output, quanta, calls, callNs };
}
