/**
 * Deterministic disposal: tidy scopes, keep(), dispose(), and the finaliser safety net. Counts
 * come from the addon's live-handle counter, so they measure native tensors, not JS objects.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Tensor, tidy, zeros, ones, liveTensors, scopeDepth, noGrad } from '../../src/torch/torch.js';

describe('tidy', () => {
  it('disposes every tensor created inside except the returned ones', () => {
    const before = liveTensors();
    const out = tidy(() => {
      const a = ones([3]);
      const b = a.add(1).mul(2); // two intermediates
      return b.sum();
    });
    expect(liveTensors()).toBe(before + 1);
    expect(out.item()).toBe(12);
    out.dispose();
    expect(liveTensors()).toBe(before);
  });
  it('keeps tensors nested in arrays, objects and maps; nested scopes move results outwards', () => {
    const before = liveTensors();
    const r = tidy(() => {
      const inner = tidy(() => {
        const t = ones([2]);
        return { a: t.add(1), list: [t.mul(3)], m: new Map([['k', t.neg()]]) };
      });
      expect(scopeDepth()).toBe(1);
      // inner results now belong to this scope; only `a` escapes further
      return { a: inner.a, n: 5 };
    });
    expect(scopeDepth()).toBe(0);
    expect(liveTensors()).toBe(before + 1);
    expect(r.n).toBe(5);
    expect(r.a.toFloat32Array()).toEqual(new Float32Array([2, 2]));
    r.a.dispose();
    expect(liveTensors()).toBe(before);
  });
  it('never disposes kept tensors; disposes everything on a throw', () => {
    const before = liveTensors();
    let kept: Tensor | undefined;
    expect(() =>
      tidy(() => {
        kept = zeros([2]).keep();
        ones([4]).add(1);
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(liveTensors()).toBe(before + 1);
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
    expect(liveTensors()).toBe(before);
  });
  it('rejects async functions', () => {
    expect(() => tidy(() => Promise.resolve(1))).toThrow(/synchronous/);
  });
  it('counts gradients, views and optimiser-free training steps', () => {
    const w = ones([4, 4], { requiresGrad: true }).keep();
    const before = liveTensors();
    for (let i = 0; i < 20; i++) {
      tidy(() => {
        const x = ones([2, 4]);
        const loss = x.matmul(w).relu().slice(1, 1).reshape([-1]).square().mean();
        loss.backward();
        const g = w.grad!;
        noGrad(() => w.addInPlace(g, -0.01));
        w.zeroGrad();
      });
    }
    expect(liveTensors()).toBe(before);
    w.dispose();
  });
  it('dispose is idempotent and use after dispose throws', () => {
    const t = ones([1]);
    t.dispose();
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.add(1)).toThrow('Tensor is disposed');
  });
});

describe('finaliser safety net', () => {
  it('frees tensors that were never disposed once the GC collects their handles', () => {
    // Runs in a child with --expose-gc, loading the addon directly (no TypeScript needed).
    const addon = fileURLToPath(new URL('../../native/build/Release/hushpack_torch.node', import.meta.url));
    expect(existsSync(addon)).toBe(true);
    const script = `
      const n = require(${JSON.stringify(addon)});
      const base = n.liveTensors();
      (function () { for (let i = 0; i < 1000; i++) n.zeros([64], 'float32', 'cpu', false); })();
      const created = n.liveTensors() - base;
      setImmediate(() => { gc(); setImmediate(() => { gc(); setImmediate(() => {
        process.stdout.write(JSON.stringify({ created, left: n.liveTensors() - base }));
      }); }); });`;
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' })) as {
      created: number;
      left: number;
    };
    expect(out.created).toBe(1000);
    expect(out.left).toBeLessThan(50);
  });
});
