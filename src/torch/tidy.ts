/**
 * Scope bookkeeping for deterministic tensor disposal, in the manner of tfjs `tf.tidy`.
 *
 * Every tensor handle created while a scope is open is recorded in the innermost scope. When the
 * scope's function returns, each recorded tensor is disposed unless
 *   - it is reachable from the return value (a tensor, or tensors inside arrays / plain objects,
 *     searched recursively) — those move to the enclosing scope, so nested tidies compose; or
 *   - it was marked with `keep()` (model parameters, running statistics, optimiser state).
 * Tensors created outside any scope are not tracked: dispose them yourself (or let the finaliser,
 * a safety net only, free them when the garbage collector runs).
 *
 * This file knows nothing about libtorch: it manages anything with `dispose()` and a `kept` flag,
 * so it is unit-testable without the addon.
 */

/** What a scope can track: `src/torch/torch.ts`'s `Tensor` implements this. */
export interface Trackable {
  /** Frees the underlying resource; calling it twice is harmless. */
  dispose(): void;
  /** True once `keep()` was called: no scope will ever dispose it. */
  readonly kept: boolean;
}

/** Open scopes, innermost last. Each holds the tensors created while it was innermost. */
const scopes: Set<Trackable>[] = [];

/** Records a newly created tensor in the innermost open scope (no-op when none is open). */
export function scopeTrack(t: Trackable): void {
  const top = scopes[scopes.length - 1];
  if (top !== undefined) top.add(t);
}

/** Number of currently open `tidy` scopes (0 at top level). For tests and diagnostics. */
export function scopeDepth(): number {
  return scopes.length;
}

/**
 * Runs `fn` in a new scope and disposes every tensor it created, except tensors reachable from
 * its return value (moved to the enclosing scope) and kept tensors. Returns `fn`'s result.
 * `fn` must be synchronous: a returned Promise is rejected with an Error (tensors created after
 * an `await` could not be attributed to the right scope).
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Trackable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    // On error nothing escapes: free everything the scope created, then rethrow.
    scopes.pop();
    for (const t of scope) if (!t.kept) t.dispose();
    throw err;
  }
  scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) if (!t.kept) t.dispose();
    throw new Error('tidy(fn): fn must be synchronous (it returned a Promise)');
  }
  const escaped = new Set<Trackable>();
  collectTracked(result, scope, escaped, new Set());
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (escaped.has(t)) parent?.add(t);
    else if (!t.kept) t.dispose();
  }
  return result;
}

/**
 * Adds to `out` every member of `scope` reachable from `v` through arrays, Sets, Maps and plain
 * objects (own enumerable properties). `seen` guards against cycles.
 */
function collectTracked(v: unknown, scope: Set<Trackable>, out: Set<Trackable>, seen: Set<object>): void {
  if (v === null || typeof v !== 'object') return;
  if (seen.has(v)) return;
  seen.add(v);
  if (scope.has(v as Trackable)) {
    out.add(v as Trackable);
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) collectTracked(x, scope, out, seen);
  } else if (v instanceof Map) {
    for (const x of v.values()) collectTracked(x, scope, out, seen);
  } else if (v instanceof Set) {
    for (const x of v) collectTracked(x, scope, out, seen);
  } else if (ArrayBuffer.isView(v)) {
    return;
  } else {
    for (const x of Object.values(v)) collectTracked(x, scope, out, seen);
  }
}
