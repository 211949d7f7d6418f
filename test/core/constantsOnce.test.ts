/**
 * Signal constants live once: src/dsp/constants.ts (mirrored by assembly/dsp/constants.ts, whose
 * values test/dsp/wasmStft.test.ts reads back from both WASM builds). This test guards the "once":
 * no code line of the runtime (runtime/**, assembly/**) spells the hop, window, bin count or rate (nor
 * the separation task's 8 kHz, SEPARATION_SAMPLE_RATE_HZ) as a number literal — comments may (they
 * carry the units), code must name the constant.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOP_SAMPLES, NUM_BINS, SAMPLE_RATE_HZ, SEPARATION_SAMPLE_RATE_HZ, WINDOW_SAMPLES } from '../../src/dsp/constants.js';

/** The files allowed to define them. */
const DEFINITIONS = new Set(['assembly/dsp/constants.ts']);
const LITERAL = new RegExp(`\\b(${[HOP_SAMPLES, WINDOW_SAMPLES, NUM_BINS, SAMPLE_RATE_HZ, SEPARATION_SAMPLE_RATE_HZ].join('|')})\\b`);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Source without comments (block comments blanked, line comments cut; strings are kept). */
function codeOnly(src: string): string[] {
  const noBlocks = src.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  return noBlocks.split('\n').map((line) => line.replace(/(^|[^:])\/\/.*$/, '$1'));
}

describe('signal constants once', () => {
  it('no runtime or AssemblyScript code line spells 160, 320, 161, 16000 or 8000 (they come from the constants files)', () => {
    const hits: string[] = [];
    for (const file of [...tsFiles('runtime'), ...tsFiles('assembly')]) {
      if (DEFINITIONS.has(file)) continue;
      codeOnly(readFileSync(file, 'utf8')).forEach((line, i) => {
        if (LITERAL.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('the scan sees a literal where there is one', () => {
    expect(codeOnly(`const hop = ${HOP_SAMPLES}; // ${SAMPLE_RATE_HZ}`).some((l) => LITERAL.test(l))).toBe(true);
    expect(codeOnly(`/** ${HOP_SAMPLES} */ const hop = HOP_SAMPLES; // ${HOP_SAMPLES}`).some((l) => LITERAL.test(l))).toBe(false);
  });
});
