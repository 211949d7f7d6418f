/**
 * Scope bookkeeping of src/torch/tidy.ts on fake resources (no addon needed): what escapes, what
 * is disposed, cycles in the returned value, kept items.
 */
import { describe, expect, it } from 'vitest';
import { scopeTrack, scopeDepth, tidy, type Trackable } from '../../src/torch/tidy.js';

class Fake implements Trackable {
  disposed = 0;
  kept = false;
  constructor() {
    scopeTrack(this);
  }
  dispose(): void {
    this.disposed++;
  }
}

describe('tidy scopes', () => {
  it('untracked outside any scope', () => {
    expect(scopeDepth()).toBe(0);
    const f = new Fake();
    expect(f.disposed).toBe(0);
  });
  it('returned items (also inside Sets and cyclic objects) escape; others are disposed once', () => {
    let inner: Fake[] = [];
    const out = tidy(() => {
      inner = [new Fake(), new Fake(), new Fake()];
      const cyclic: { self?: unknown; set: Set<Fake> } = { set: new Set([inner[1]!]) };
      cyclic.self = cyclic;
      return cyclic;
    });
    expect(out.set.has(inner[1]!)).toBe(true);
    expect(inner.map((f) => f.disposed)).toEqual([1, 0, 1]);
  });
  it('an item returned by an inner scope is disposed by the outer one unless returned again', () => {
    let a: Fake | undefined;
    tidy(() => {
      a = tidy(() => new Fake());
      expect(a.disposed).toBe(0);
      return 1;
    });
    expect(a!.disposed).toBe(1);
  });
  it('kept items survive; a throw disposes the rest and closes the scope', () => {
    let k: Fake | undefined, d: Fake | undefined;
    expect(() =>
      tidy(() => {
        k = new Fake();
        k.kept = true;
        d = new Fake();
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(k!.disposed).toBe(0);
    expect(d!.disposed).toBe(1);
    expect(scopeDepth()).toBe(0);
  });
});
