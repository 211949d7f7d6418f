/**
 * What machine a benchmark ran on, recorded next to its figures (every JSON tools/bench/* writes,
 * `hushpack bench`), so that numbers from an AMD EPYC, an Intel Xeon and a Raspberry Pi are never
 * read against each other by mistake: the sparse kernels' advantage depends on the core (issue #18:
 * the same C1 GCRN has a wall/MAC ratio of 1.20 on an EPYC and 2.05 on a Xeon).
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release } from 'node:os';
import { hushpackVersion } from '../../src/demo/paths.js';
import { simdSupported } from '../../runtime/node/enhancer.js';

/** The CPU's identity: what decides how the WASM SIMD kernels compile to machine code. */
export interface BenchCpu {
  /** Model name ('AMD EPYC', 'Intel(R) Xeon(R) Platinum 8375C …'; '' on many ARM kernels). */
  model: string;
  /** x86 vendor_id ('AuthenticAMD', 'GenuineIntel'), or the ARM implementer ('0x41' = Arm Ltd.); '' unknown. */
  vendor: string;
  /** x86 'cpu family' / 'model' / 'stepping' as /proc/cpuinfo gives them (decimal strings); '' elsewhere. */
  family: string;
  modelId: string;
  stepping: string;
  /** ARM 'CPU part' (0xd08 = Cortex-A72, 0xd0b = Cortex-A76); '' elsewhere. */
  part: string;
  /**
   * The /proc/cpuinfo flags that bear on WASM SIMD code generation in V8: the x86 vector extensions
   * it may use (sse4_1 for i8x16 / f32x4 lane ops, avx / avx2 / fma, avx512*) and ARM's asimd / fp16;
   * the other flags are left out so the record stays readable. [] where /proc/cpuinfo is unreadable.
   */
  simdFlags: string[];
  /**
   * A short path-safe name for the kind of core, the folder results are kept under
   * (docs/results/bench/<kind>/): 'amd-epyc', 'intel-xeon', 'arm-cortex-a72', … (see cpuKindOf).
   */
  kind: string;
}

export interface BenchHost {
  /** Node's process.arch ('x64', 'arm64', 'arm') and platform/kernel release. */
  arch: string;
  platform: string;
  kernel: string;
  node: string;
  hushpack: string;
  /** The board (Linux device tree, e.g. 'Raspberry Pi 4 Model B Rev 1.4'), or null where there is none. */
  board: string | null;
  /** CPU model as the OS reports it ('' on many ARM kernels), core count, 1/5/15-min load averages. */
  cpuModel: string;
  /** The CPU in detail (model, vendor, family/model/stepping or ARM part, SIMD flags, kind); absent in records made before issue #18. */
  cpu?: BenchCpu;
  cores: number;
  loadAverage: [number, number, number];
  /** WebAssembly SIMD available to this Node. */
  wasmSimd: boolean;
}

/** Flags kept in BenchCpu.simdFlags: exact names, or every flag with one of the prefixes. */
const SIMD_FLAG_NAMES = new Set(['sse2', 'ssse3', 'sse4_1', 'sse4_2', 'popcnt', 'avx', 'avx2', 'fma', 'f16c', 'bmi1', 'bmi2', 'asimd', 'neon', 'fphp', 'asimdhp', 'asimddp', 'sve', 'sve2']);
const SIMD_FLAG_PREFIXES = ['avx512'];

/** ARM 'CPU part' ids of cores hushpack meets (Arm Ltd., implementer 0x41), for the kind name. */
const ARM_PARTS: Record<string, string> = {
  '0xd03': 'cortex-a53', '0xd04': 'cortex-a35', '0xd05': 'cortex-a55', '0xd07': 'cortex-a57', '0xd08': 'cortex-a72',
  '0xd09': 'cortex-a73', '0xd0a': 'cortex-a75', '0xd0b': 'cortex-a76', '0xd0c': 'neoverse-n1', '0xd40': 'neoverse-v1',
  '0xd41': 'cortex-a78', '0xd49': 'neoverse-n2', '0xd4f': 'neoverse-v2',
};

/** The first value of `key` in /proc/cpuinfo text ('' if absent). */
function cpuinfoField(text: string, key: string): string {
  const m = new RegExp(`^${key}\\s*:\\s*(.*)$`, 'm').exec(text);
  return m ? m[1].trim() : '';
}

/**
 * The kind name of a CPU: lower case, path-safe, from the vendor's product line, not the exact SKU
 * (all EPYCs are 'amd-epyc', all Xeons 'intel-xeon'), since that is the grain at which issue #18 saw
 * the kernels behave differently; an ARM core by its part ('arm-cortex-a72'); else the sanitised
 * model name, else the Node arch ('x64', 'arm64').
 */
export function cpuKindOf(model: string, part: string, nodeArch: string): string {
  const m = model.toLowerCase();
  const lines: [RegExp, string][] = [
    [/\bepyc\b/, 'amd-epyc'], [/\bryzen\b/, 'amd-ryzen'], [/\bxeon\b/, 'intel-xeon'], [/\bcore\(tm\)|\bcore ultra\b|\bcore i[3579]\b/, 'intel-core'],
  ];
  for (const [re, kind] of lines) if (re.test(m)) return kind;
  const arm = ARM_PARTS[part.toLowerCase()];
  if (arm) return `arm-${arm}`;
  const slug = m.replace(/\(r\)|\(tm\)|cpu|processor|@.*$/g, ' ').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || nodeArch;
}

/** Parses /proc/cpuinfo text (first processor block; all cores of the machines here are alike). */
export function benchCpuFrom(cpuinfo: string, osModel: string, nodeArch: string): BenchCpu {
  const flagsLine = cpuinfoField(cpuinfo, 'flags') || cpuinfoField(cpuinfo, 'Features');
  const simdFlags = flagsLine.split(/\s+/).filter((f) => SIMD_FLAG_NAMES.has(f) || SIMD_FLAG_PREFIXES.some((p) => f.startsWith(p)));
  const model = cpuinfoField(cpuinfo, 'model name') || osModel;
  const part = cpuinfoField(cpuinfo, 'CPU part');
  return {
    model,
    vendor: cpuinfoField(cpuinfo, 'vendor_id') || cpuinfoField(cpuinfo, 'CPU implementer'),
    family: cpuinfoField(cpuinfo, 'cpu family'),
    modelId: cpuinfoField(cpuinfo, 'model'),
    stepping: cpuinfoField(cpuinfo, 'stepping'),
    part,
    simdFlags,
    kind: cpuKindOf(model, part, nodeArch),
  };
}

/** The CPU of this machine (/proc/cpuinfo where there is one, os.cpus() else). */
export function benchCpu(): BenchCpu {
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: model name from os.cpus() only
  }
  return benchCpuFrom(text, cpus()[0]?.model ?? '', arch());
}

/** The device-tree model string of the board (Linux on ARM boards), or null. */
function boardModel(): string | null {
  try {
    return readFileSync('/proc/device-tree/model', 'utf8').replace(/\0/g, '').trim() || null;
  } catch {
    return null;
  }
}

/** The host as it is now. */
export function benchHost(): BenchHost {
  const c = cpus();
  const [l1, l5, l15] = loadavg();
  return {
    arch: arch(),
    platform: platform(),
    kernel: release(),
    node: process.version,
    hushpack: hushpackVersion(),
    board: boardModel(),
    cpuModel: c[0]?.model ?? '',
    cpu: benchCpu(),
    cores: c.length,
    loadAverage: [Number(l1.toFixed(2)), Number(l5.toFixed(2)), Number(l15.toFixed(2))],
    wasmSimd: simdSupported(),
  };
}

/** Where results of this CPU kind are kept: `<base>/<kind>` (base = docs/results/bench by default). */
export function benchResultsDir(base: string, cpu: BenchCpu = benchCpu()): string {
  return `${base.replace(/\/+$/, '')}/${cpu.kind}`;
}

/** The CPU in one phrase: "AMD EPYC (amd-epyc; family 26 model 2; avx2 fma avx512f …)". */
export function benchCpuLine(c: BenchCpu): string {
  const id = c.part ? `part ${c.part}` : c.family ? `family ${c.family} model ${c.modelId}` : '';
  const flags = c.simdFlags.length > 0 ? c.simdFlags.join(' ') : 'flags unknown';
  return `${c.model || '(model not reported)'} (${[c.kind, id, flags].filter((s) => s).join('; ')})`;
}

/** One line for text reports: "x64, AMD EPYC (amd-epyc; …), 2 cores, load 3.1/2.9/2.5, Node v20.20.2". */
export function benchHostLine(h: BenchHost): string {
  return (
    `${h.board ? `${h.board}, ` : ''}${h.cpu ? benchCpuLine(h.cpu) : h.cpuModel || '(CPU not recorded)'}, ${h.arch}, ${h.cores} cores, ` +
    `load average ${h.loadAverage.join(' / ')}, Node ${h.node}, WASM SIMD ${h.wasmSimd ? 'on' : 'off'}`
  );
}
