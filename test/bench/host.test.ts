/**
 * tools/bench/host.ts: the CPU record every benchmark writes and the per-CPU-kind results folder
 * (issue #18). /proc/cpuinfo excerpts below are copied from the machines named (x86: the first
 * processor block, flags shortened; ARM: a Raspberry Pi 4's `cat /proc/cpuinfo`).
 */
import { describe, expect, it } from 'vitest';
import { benchCpu, benchCpuFrom, benchCpuLine, benchHostLine, benchResultsDir, cpuKindOf, type BenchHost } from '../../tools/bench/host.js';

const EPYC = `processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC
stepping\t: 1
flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 popcnt avx sse4a bmi1 avx2 bmi2 avx512f avx512vl xsave
`;
const XEON = `processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 106
model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
stepping\t: 6
flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 popcnt avx f16c avx2 avx512f avx512bw
`;
const PI4 = `processor\t: 0
BogoMIPS\t: 108.00
Features\t: fp asimd evtstrm crc32 cpuid
CPU implementer\t: 0x41
CPU architecture: 8
CPU variant\t: 0x0
CPU part\t: 0xd08
CPU revision\t: 3
`;

describe('benchCpuFrom', () => {
  it('reads an AMD EPYC: model, vendor, family/model/stepping, SIMD flags only, kind amd-epyc', () => {
    const c = benchCpuFrom(EPYC, 'AMD EPYC', 'x64');
    expect(c).toEqual({
      model: 'AMD EPYC', vendor: 'AuthenticAMD', family: '26', modelId: '2', stepping: '1', part: '',
      simdFlags: ['sse2', 'ssse3', 'fma', 'sse4_1', 'sse4_2', 'popcnt', 'avx', 'bmi1', 'avx2', 'bmi2', 'avx512f', 'avx512vl'],
      kind: 'amd-epyc',
    });
  });
  it('reads an Intel Xeon as intel-xeon', () => {
    const c = benchCpuFrom(XEON, '', 'x64');
    expect(c.kind).toBe('intel-xeon');
    expect(c.vendor).toBe('GenuineIntel');
    expect(c.simdFlags).toContain('avx512bw');
    expect(c.simdFlags).not.toContain('fpu');
  });
  it('reads an ARM core by its CPU part (no model name on the Pi kernel)', () => {
    const c = benchCpuFrom(PI4, '', 'arm64');
    expect(c).toMatchObject({ model: '', vendor: '0x41', part: '0xd08', simdFlags: ['asimd'], kind: 'arm-cortex-a72' });
    expect(benchCpuLine(c)).toBe('(model not reported) (arm-cortex-a72; part 0xd08; asimd)');
  });
  it('falls back to the OS model name, then to the Node arch, without /proc/cpuinfo', () => {
    expect(benchCpuFrom('', 'Apple M2', 'arm64').kind).toBe('apple-m2');
    expect(benchCpuFrom('', '', 'arm64').kind).toBe('arm64');
  });
});

describe('cpuKindOf', () => {
  it('names the product line, not the SKU, and is path-safe', () => {
    expect(cpuKindOf('AMD EPYC 7B13 64-Core Processor', '', 'x64')).toBe('amd-epyc');
    expect(cpuKindOf('Intel(R) Xeon(R) CPU @ 2.20GHz', '', 'x64')).toBe('intel-xeon');
    expect(cpuKindOf('11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz', '', 'x64')).toBe('intel-core');
    expect(cpuKindOf('', '0xd0b', 'arm64')).toBe('arm-cortex-a76');
    expect(cpuKindOf('Weird/CPU ../x', '', 'x64')).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('results folder and host line', () => {
  it('puts results under <base>/<kind>', () => {
    expect(benchResultsDir('docs/results/bench/', benchCpuFrom(EPYC, '', 'x64'))).toBe('docs/results/bench/amd-epyc');
  });
  it('this machine has a kind and, on Linux, its flags', () => {
    const c = benchCpu();
    expect(c.kind).toMatch(/^[a-z0-9-]+$/);
    if (process.platform === 'linux' && process.arch === 'x64') expect(c.simdFlags).toContain('sse4_1');
  });
  it('a record made before issue #18 (no cpu field) still prints', () => {
    const old: BenchHost = {
      arch: 'x64', platform: 'linux', kernel: '6', node: 'v20', hushpack: '0.1.0', board: null, cpuModel: 'AMD EPYC',
      cores: 2, loadAverage: [0.5, 1, 4], wasmSimd: true,
    };
    expect(benchHostLine(old)).toBe('AMD EPYC, x64, 2 cores, load average 0.5 / 1 / 4, Node v20, WASM SIMD on');
  });
});
