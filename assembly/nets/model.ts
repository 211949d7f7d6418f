// The model boundary: one typed call from a `.hush` file to a running net, like rnnoise's
// rnnoise_model_from_buffer + rnnoise_create. The host copies the file into linear memory (memAlloc)
// and calls
//   modelCreate(filePtr, fileLen, plan, cacheBytes) → handle (0: see modelFormatState / modelError)
// which validates the file (format/reader.ts), checks its signal path, and binds every tensor by name
// to the net its hyper-parameters describe (binder.ts, <net>Bind), choosing each tensor's form
// (plan.ts). Then per 10-ms hop: write modelHopSamples(h) samples (160 for the 16-kHz enhancement
// nets, 80 for an 8-kHz separation net) at modelInputPtr(h), call modelStep(h), read
// modelOutputCount(h) hops (one per speaker for a separation net) one after the other at
// modelOutputPtr(h). The host never sees a tensor; it reads what was loaded through the getters below
// (MACs per hop, parameters, memory by purpose, latency, one report line per loaded tensor).
//
// Memory, in load order (a bump allocator: nothing is freed, one model per instance): the file and
// its reader state; the load scratch (sized by the planning pass); the weights and the report table;
// the stream state; the per-hop scratch, carved from the load scratch first (arena.ts); the I/O hops.

import { align16, memAlloc, memMark, memRewind, memUsed } from "../mem";
import { HushState } from "../format/reader";
import { hushArch, hushFftSize, hushHopSamples, hushSampleRate, hushWindowKind, hushWindowSamples } from "../format/decode";
import { hushOpen } from "../format/entry";
import {
  HUSH_ARCH_CONV_TASNET, HUSH_ARCH_ENHANCE_MAX, HUSH_ARCH_UPIT_LSTM, HUSH_ARCH_FDNN, HUSH_ARCH_GCRN, HUSH_ARCH_LSTM, HUSH_ARCH_TCNN, HUSH_OK, HUSH_WINDOW_HAMMING_PERIODIC, HUSH_WINDOW_RECTANGULAR,
} from "../format/spec";
import { FFT_SIZE, HOP_SAMPLES, SAMPLE_RATE_HZ, WINDOW_SAMPLES } from "../dsp/constants";
import { arenaBegin, arenaEnd } from "./arena";
import { Binder, binderCheckAllBound, binderFail, binderStart, PASS_BIND, PASS_PLAN, PASS_SIZE, TensorReport } from "./binder";
import { hparamsReset } from "./hparams";
import { messageCurrent, messageStart } from "./name";
import { CACHE_BYTES_DEFAULT, PLAN_AUTO, PLAN_COMPACT } from "./plan";
import { fdnnBind, fdnnReset, fdnnScratchCreate, fdnnStateCreate, fdnnStep } from "./fdnn";
import { lstmNetBind, lstmNetReset, lstmNetScratchCreate, lstmNetStateCreate, lstmNetStep } from "./lstm";
import { gcrnBind, gcrnReset, gcrnScratchCreate, gcrnStateCreate, gcrnStep } from "./gcrn";
import { tcnnBind, tcnnReset, tcnnScratchCreate, tcnnStateCreate, tcnnStep } from "./tcnn";
import {
  convTasNetBind, convTasNetHopSamples, convTasNetLatencySamples, convTasNetOutputCount, convTasNetReset, convTasNetScratchCreate,
  convTasNetStateCreate, convTasNetStep,
} from "./conv-tasnet";
import {
  upitLstmBind, upitLstmHopSamples, upitLstmLatencySamples, upitLstmOutputCount, upitLstmReset, upitLstmScratchCreate,
  upitLstmStateCreate, upitLstmStep,
} from "./upit-lstm";
import { STFT_LATENCY_SAMPLES } from "../dsp/constants";

/** A loaded model (the handle): the net's three objects, its I/O hops and what loading measured. */
@unmanaged class Model {
  /** HUSH_ARCH_*. */
  arch: i32;
  weights: usize;
  state: usize;
  scratch: usize;
  inHop: usize; //   f32[hop]
  outHop: usize; //  f32[outputs][hop]
  /** Samples per step (10 ms at the model's rate) and output hops per step. */
  hop: i32;
  outputs: i32;
  /** Real-time latency in samples at the model's rate. */
  latency: i32;
  /** Multiplications per hop as loaded (sparse forms count their nonzeros) + the LSTM cells' own. */
  macs: f64;
  /** Parameters (elements of the bound tensors; BatchNorm statistics excluded). */
  params: f64;
  /** Bytes by purpose (memUsed deltas): the file + reader state, weights (+ report), state, scratch. */
  fileBytes: u32;
  weightsBytes: u32;
  stateBytes: u32;
  scratchBytes: u32;
  /** The plan: choice, whether the dense matrices exceed the cache budget, their bytes, the load scratch. */
  choice: i32;
  memoryBound: bool;
  denseMatrixBytes: f64;
  loadScratchBytes: u32;
  /** TensorReport[reportCount]. */
  reports: usize;
  reportCount: i32;
}

/** The reader state of the last file modelCreate found invalid (for the host's HushFormatError), else 0. */
let formatState: usize = 0;

/** Runs the architecture's description (its <net>Bind) against binder b. */
function bind(b: Binder): usize {
  hparamsReset();
  if (b.arch == HUSH_ARCH_FDNN) return fdnnBind(b);
  if (b.arch == HUSH_ARCH_LSTM) return lstmNetBind(b);
  if (b.arch == HUSH_ARCH_TCNN) return tcnnBind(b);
  if (b.arch == HUSH_ARCH_GCRN) return gcrnBind(b);
  if (b.arch == HUSH_ARCH_CONV_TASNET) return convTasNetBind(b);
  return upitLstmBind(b);
}

/** The paper's signal path, the only one this runtime implements: records a message otherwise. */
function signalOk(s: HushState, arch: i32): bool {
  if (arch > HUSH_ARCH_ENHANCE_MAX) return true; // a separation net checks its own path when it binds
  const kind = arch == HUSH_ARCH_TCNN ? HUSH_WINDOW_RECTANGULAR : HUSH_WINDOW_HAMMING_PERIODIC;
  if (<i32>hushSampleRate(s) == SAMPLE_RATE_HZ && <i32>hushWindowSamples(s) == WINDOW_SAMPLES && <i32>hushHopSamples(s) == HOP_SAMPLES &&
    <i32>hushFftSize(s) == FFT_SIZE && <i32>hushWindowKind(s) == kind) return true;
  messageStart().s("the runtime runs ").int(SAMPLE_RATE_HZ).s(" Hz models with a ").int(WINDOW_SAMPLES).s("-sample window, ")
    .int(HOP_SAMPLES).s("-sample hop and ").int(FFT_SIZE).s("-point DFT (")
    .s(arch == HUSH_ARCH_TCNN ? "rectangular frames" : "periodic Hamming").s("); this file has ")
    .int(hushSampleRate(s)).s(" Hz, a ").int(hushWindowSamples(s)).s("-sample window, ").int(hushHopSamples(s)).s("-sample hop, ")
    .int(hushFftSize(s)).s("-point DFT, window kind ").int(hushWindowKind(s));
  return false;
}

/** Records "out of WASM memory" and returns 0. */
function outOfMemory(): usize {
  messageStart().s("out of WASM memory");
  return 0;
}

/**
 * Loads the `.hush` file at [filePtr, filePtr + fileLen) (allocated by the host with memAlloc just
 * before, and kept: compact forms read it in place) with plan PLAN_AUTO / PLAN_FAST / PLAN_COMPACT and
 * a cache budget in bytes (≤ 0: 8 MiB). Returns the model handle, or 0: an invalid file leaves its
 * reader state in modelFormatState(), any other problem a message in modelErrorPtr/modelErrorBytes.
 */
export function modelCreate(filePtr: usize, fileLen: u32, plan: i32, cacheBytes: f64): usize {
  formatState = 0;
  messageStart();
  if (plan < PLAN_AUTO || plan > PLAN_COMPACT) {
    messageStart().s("unknown plan ").int(plan);
    return 0;
  }
  const used0 = memUsed() - <u32>align16(fileLen); // the host's file copy is the block before
  const sp = memAlloc(<u32>offsetof<HushState>());
  if (sp == 0) return outOfMemory();
  const s = changetype<HushState>(sp);
  if (hushOpen(sp, filePtr, fileLen) != HUSH_OK) {
    formatState = sp;
    return 0;
  }
  const arch = <i32>hushArch(s);
  if (!signalOk(s, arch)) return 0;
  const used1 = memUsed();

  // Plan: the description run twice without loading, then rewound.
  const mark = memMark();
  let b = binderStart(s, arch, PASS_SIZE, plan, false, 0, 0, 0);
  bind(b);
  const denseMatrixBytes = b.denseMatrixBytes;
  const memoryBound = denseMatrixBytes > (cacheBytes > 0 ? cacheBytes : CACHE_BYTES_DEFAULT);
  if (!b.failed) {
    b = binderStart(s, arch, PASS_PLAN, plan, memoryBound, 0, 0, 0);
    bind(b);
    binderCheckAllBound(b);
  }
  memRewind(mark);
  if (b.failed) return 0;
  const loadScratchBytes = b.needBytes;
  const reportCount = b.reportCount;

  const loadScratch = loadScratchBytes > 0 ? memAlloc(loadScratchBytes) : 0;
  if (loadScratchBytes > 0 && loadScratch == 0) return outOfMemory();
  const used2 = memUsed();
  const mp = memAlloc(<u32>offsetof<Model>());
  const reports = memAlloc(<u32>(max(reportCount, 1) * <i32>offsetof<TensorReport>()));
  if (mp == 0 || reports == 0) return outOfMemory();
  b = binderStart(s, arch, PASS_BIND, plan, memoryBound, loadScratch, loadScratchBytes, reports);
  const weights = bind(b);
  if (b.failed) return 0;
  if (weights == 0) return outOfMemory();
  const used3 = memUsed();

  const m = changetype<Model>(mp);
  m.arch = arch;
  m.weights = weights;
  m.macs = b.macs;
  m.params = b.params;
  m.choice = plan;
  m.memoryBound = memoryBound;
  m.denseMatrixBytes = denseMatrixBytes;
  m.loadScratchBytes = loadScratchBytes;
  m.reports = reports;
  m.reportCount = b.reportCount;
  const tasnet = arch == HUSH_ARCH_CONV_TASNET;
  const upit = arch == HUSH_ARCH_UPIT_LSTM;
  m.hop = tasnet ? convTasNetHopSamples(weights) : upit ? upitLstmHopSamples(weights) : HOP_SAMPLES;
  m.outputs = tasnet ? convTasNetOutputCount(weights) : upit ? upitLstmOutputCount(weights) : 1;
  m.latency = tasnet ? convTasNetLatencySamples(weights) : upit ? upitLstmLatencySamples(weights) : STFT_LATENCY_SAMPLES;
  m.state = arch == HUSH_ARCH_FDNN ? fdnnStateCreate(weights)
    : arch == HUSH_ARCH_LSTM ? lstmNetStateCreate(weights)
    : arch == HUSH_ARCH_TCNN ? tcnnStateCreate(weights)
    : arch == HUSH_ARCH_GCRN ? gcrnStateCreate(weights)
    : tasnet ? convTasNetStateCreate(weights) : upitLstmStateCreate(weights);
  const used4 = memUsed();
  arenaBegin(loadScratch, loadScratchBytes);
  m.scratch = arch == HUSH_ARCH_FDNN ? fdnnScratchCreate(weights)
    : arch == HUSH_ARCH_LSTM ? lstmNetScratchCreate(weights)
    : arch == HUSH_ARCH_TCNN ? tcnnScratchCreate(weights)
    : arch == HUSH_ARCH_GCRN ? gcrnScratchCreate(weights)
    : tasnet ? convTasNetScratchCreate(weights) : upitLstmScratchCreate(weights);
  arenaEnd();
  m.inHop = memAlloc(<u32>m.hop << 2);
  m.outHop = memAlloc(<u32>(m.outputs * m.hop) << 2);
  if (m.state == 0 || m.scratch == 0 || m.inHop == 0 || m.outHop == 0) return outOfMemory();
  const used5 = memUsed();
  m.fileBytes = used1 - used0;
  m.weightsBytes = used3 - used2;
  m.stateBytes = used4 - used3;
  m.scratchBytes = used2 - used1 + used5 - used4;
  return mp;
}

/**
 * One hop: the modelHopSamples(h) samples at modelInputPtr(h) → modelOutputCount(h) hops at
 * modelOutputPtr(h) (the enhancement nets: 160 enhanced samples from 160 samples earlier).
 */
export function modelStep(h: usize): void {
  const m = changetype<Model>(h);
  if (m.arch == HUSH_ARCH_GCRN) gcrnStep(m.weights, m.state, m.scratch, m.inHop, m.outHop);
  else if (m.arch == HUSH_ARCH_FDNN) fdnnStep(m.weights, m.state, m.scratch, m.inHop, m.outHop);
  else if (m.arch == HUSH_ARCH_LSTM) lstmNetStep(m.weights, m.state, m.scratch, m.inHop, m.outHop);
  else if (m.arch == HUSH_ARCH_TCNN) tcnnStep(m.weights, m.state, m.scratch, m.inHop, m.outHop);
  else if (m.arch == HUSH_ARCH_CONV_TASNET) convTasNetStep(m.weights, m.state, m.scratch, m.inHop, m.outHop);
  else upitLstmStep(m.weights, m.state, m.scratch, m.inHop, m.outHop);
}

/** Clears the stream state (as at its start), keeping the weights. */
export function modelReset(h: usize): void {
  const m = changetype<Model>(h);
  if (m.arch == HUSH_ARCH_GCRN) gcrnReset(m.weights, m.state);
  else if (m.arch == HUSH_ARCH_FDNN) fdnnReset(m.weights, m.state);
  else if (m.arch == HUSH_ARCH_LSTM) lstmNetReset(m.weights, m.state);
  else if (m.arch == HUSH_ARCH_TCNN) tcnnReset(m.weights, m.state);
  else if (m.arch == HUSH_ARCH_CONV_TASNET) convTasNetReset(m.weights, m.state);
  else upitLstmReset(m.weights, m.state);
}

/** f32[modelHopSamples(h)] the host writes a hop into. */
export function modelInputPtr(h: usize): usize {
  return changetype<Model>(h).inHop;
}
/** f32[modelOutputCount(h)][modelHopSamples(h)] the host reads the output hops from (output k at k·hop). */
export function modelOutputPtr(h: usize): usize {
  return changetype<Model>(h).outHop;
}
/** Samples per step at the model's rate: 10 ms (160 at 16 kHz, 80 at 8 kHz). */
export function modelHopSamples(h: usize): i32 {
  return changetype<Model>(h).hop;
}
/** Output signals per step: 1 (enhancement), the speakers (separation). */
export function modelOutputCount(h: usize): i32 {
  return changetype<Model>(h).outputs;
}
/** HUSH_ARCH_*. */
export function modelArch(h: usize): i32 {
  return changetype<Model>(h).arch;
}
/**
 * Real-time latency in samples at the model's rate: one hop of buffering + the stream delay (the
 * enhancement nets: 160, the STFT nets' analysis/synthesis and TCNN's framing delay the same;
 * Conv-TasNet: L/2, its decoder's overlap).
 */
export function modelLatencySamples(h: usize): i32 {
  return changetype<Model>(h).latency;
}
/** Multiplications per hop as loaded. */
export function modelMacsPerHop(h: usize): f64 {
  return changetype<Model>(h).macs;
}
/** Parameters of the bound tensors (BatchNorm statistics excluded). */
export function modelParams(h: usize): f64 {
  return changetype<Model>(h).params;
}
export function modelFileBytes(h: usize): u32 {
  return changetype<Model>(h).fileBytes;
}
export function modelWeightsBytes(h: usize): u32 {
  return changetype<Model>(h).weightsBytes;
}
export function modelStateBytes(h: usize): u32 {
  return changetype<Model>(h).stateBytes;
}
export function modelScratchBytes(h: usize): u32 {
  return changetype<Model>(h).scratchBytes;
}
/** 1 when the plan assumed the dense matrices stream from DRAM every hop. */
export function modelMemoryBound(h: usize): i32 {
  return changetype<Model>(h).memoryBound ? 1 : 0;
}
/** Bytes of the model's matrices as dense f32 (the fast-mode working set held against the cache budget). */
export function modelDenseMatrixBytes(h: usize): f64 {
  return changetype<Model>(h).denseMatrixBytes;
}
export function modelLoadScratchBytes(h: usize): u32 {
  return changetype<Model>(h).loadScratchBytes;
}
/** Lines of the load report (one per loaded tensor, pair or sum). */
export function modelReportCount(h: usize): i32 {
  return changetype<Model>(h).reportCount;
}
function reportAt(h: usize, i: i32): TensorReport {
  const m = changetype<Model>(h);
  const k = i < 0 || i >= m.reportCount ? 0 : i;
  return changetype<TensorReport>(m.reports + <usize>k * offsetof<TensorReport>());
}
/** Table index of report line i's tensor (the first of a pair or sum). */
export function modelReportTensor(h: usize, i: i32): i32 {
  return reportAt(h, i).tensor;
}
/** Table index of the second tensor of a pair or sum, else −1. */
export function modelReportSecond(h: usize, i: i32): i32 {
  return reportAt(h, i).second;
}
/** REPORT_* (binder.ts). */
export function modelReportKind(h: usize, i: i32): i32 {
  return reportAt(h, i).kind;
}
/** MAT_* (a matrix) or CONV_* (plan.ts). */
export function modelReportForm(h: usize, i: i32): i32 {
  return reportAt(h, i).form;
}
/** Bytes the line's tensor(s) added to WASM memory (0 for compact forms read from the file in place). */
export function modelReportBytes(h: usize, i: i32): u32 {
  return reportAt(h, i).bytes;
}
/** After modelCreate returned 0 for an invalid file: its reader state (hushError* read it), else 0. */
export function modelFormatState(): usize {
  return formatState;
}
/** After modelCreate returned 0 for an invalid file: its HUSH_E_* code (hushError* give the details), else 0. */
export function modelFormatCode(): i32 {
  return formatState == 0 ? 0 : changetype<HushState>(formatState).code;
}
/** The last load-error message: UTF-8 at modelErrorPtr(), modelErrorBytes() bytes (0: none). */
export function modelErrorPtr(): usize {
  return messageCurrent().ptr;
}
export function modelErrorBytes(): i32 {
  return messageCurrent().len;
}
