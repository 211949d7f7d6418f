// Column-compacted dense layout for structured (column) pruning — pipeline C2 prunes whole columns
// of Linear/LSTM matrices (paper §II, groups = input columns). Removing the zero columns leaves a
// smaller dense matrix, and dense runs at full SIMD speed, so this beats any sparse format for
// such weights (SELL-4 in matvec-sparse.ts is for unstructured pruning):
//   load time:  kept = columnsKept(w, rows, cols); wc = f32[rows][kept]; keep = i32[kept];
//               columnsCompact(wc, keep, w, rows, cols)
//   per frame:  vecGather(xs, x, keep, kept); matvecDense(y, wc, b, xs, rows, kept)
// A column is kept when any of its entries is nonzero (w != 0). Exact: the dropped terms are 0·x.

/** Number of columns of the dense f32[rows][cols] matrix w that have a nonzero entry. */
export function columnsKept(w: usize, rows: i32, cols: i32): i32 {
  let kept = 0;
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      if (load<f32>(w + ((<usize>r * <usize>cols + <usize>c) << 2)) != 0) {
        kept++;
        break;
      }
    }
  }
  return kept;
}

/**
 * Writes the kept columns of w: f32[rows][cols] into dst: f32[rows][kept] (row-major, columns in
 * increasing order) and their indices into keep: i32[kept]; returns kept (= columnsKept()).
 * dst must not overlap w. Run once at load time.
 */
export function columnsCompact(dst: usize, keep: usize, w: usize, rows: i32, cols: i32): i32 {
  let kept = 0;
  for (let c = 0; c < cols; c++) {
    let any = false;
    for (let r = 0; r < rows; r++) {
      if (load<f32>(w + ((<usize>r * <usize>cols + <usize>c) << 2)) != 0) {
        any = true;
        break;
      }
    }
    if (any) {
      store<i32>(keep + (<usize>kept << 2), c);
      kept++;
    }
  }
  for (let r = 0; r < rows; r++) {
    const src = w + ((<usize>r * <usize>cols) << 2);
    const out = dst + ((<usize>r * <usize>kept) << 2);
    for (let k = 0; k < kept; k++) {
      store<f32>(out + (<usize>k << 2), load<f32>(src + (<usize>load<i32>(keep + (<usize>k << 2)) << 2)));
    }
  }
  return kept;
}

/** y[i] = x[keep[i]] for i < n (keep: i32[n] column indices); y must not overlap x. */
export function vecGather(y: usize, x: usize, keep: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(x + (<usize>load<i32>(keep + o) << 2)));
  }
}
