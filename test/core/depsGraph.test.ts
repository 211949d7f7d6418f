/**
 * The layers import downwards only (issue 14): over src/, runtime/ and tools/, the folder-level
 * import graph (tools/depsGraph.mjs, from esbuild's metafile) has no loop, and the foundations —
 * src/errors.ts, src/dsp, src/format, src/torch, src/data, src/metrics, src/models, src/train — never
 * import the applications above them (src/demo, src/evaluate) or the runtime.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Edge { from: string; to: string; count: number; witness: string }

const graph = JSON.parse(execFileSync(process.execPath, ['tools/depsGraph.mjs', '--json'], { encoding: 'utf8' })) as {
  edges: Edge[];
  cycles: string[][];
};

const FOUNDATIONS = ['src/errors.ts', 'src/dsp', 'src/format', 'src/torch', 'src/data', 'src/metrics', 'src/models', 'src/train'];
const ABOVE = /^(src\/demo|src\/evaluate|runtime\/)/;

describe('folder-level imports', () => {
  it('the graph is the real one (it sees the layers and their main edges)', () => {
    const has = (from: string, to: string) => graph.edges.some((e) => e.from === from && e.to === to);
    expect(has('src/models', 'src/torch')).toBe(true);
    expect(has('src/train', 'src/models')).toBe(true);
    expect(has('runtime/core', 'src/format')).toBe(true);
  });

  it('has no loop between folders', () => {
    expect(graph.cycles).toEqual([]);
  });

  it('no foundation imports src/demo, src/evaluate or the runtime', () => {
    const up = graph.edges.filter((e) => FOUNDATIONS.includes(e.from) && ABOVE.test(e.to)).map((e) => e.witness);
    expect(up).toEqual([]);
  });
});
