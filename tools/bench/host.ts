/**
 * What machine a benchmark ran on, recorded next to its figures (`hushpack bench --json` "host",
 * tools/bench/workletOverhead.ts), so that numbers pasted back from a Raspberry Pi or another
 * host can be read against the hardware and the load they were measured under.
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release } from 'node:os';
import { hushpackVersion } from '../../src/demo/paths.js';
import { simdSupported } from '../../runtime/node/enhancer.js';

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
  cores: number;
  loadAverage: [number, number, number];
  /** WebAssembly SIMD available to this Node. */
  wasmSimd: boolean;
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
    cores: c.length,
    loadAverage: [Number(l1.toFixed(2)), Number(l5.toFixed(2)), Number(l15.toFixed(2))],
    wasmSimd: simdSupported(),
  };
}

/** One line for text reports: "x64, Intel(R) Xeon(R) …, 2 cores, load 3.1/2.9/2.5, Node v20.20.2". */
export function benchHostLine(h: BenchHost): string {
  return (
    `${h.board ?? h.cpuModel ?? h.arch} (${h.arch}${h.board && h.cpuModel ? `, ${h.cpuModel}` : ''}), ${h.cores} cores, ` +
    `load average ${h.loadAverage.join(' / ')}, Node ${h.node}, WASM SIMD ${h.wasmSimd ? 'on' : 'off'}`
  );
}
