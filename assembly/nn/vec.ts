// Small vector utilities the nets need between layers: residual add and the group interleave
// ("representation rearrangement") between GCRN's grouped-LSTM layers.

/** y[i] = a[i] + b[i] for i < n; y may equal a or b. */
export function vecAdd(y: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

/**
 * Interleaves G equal groups: x = [group 0 | group 1 | …], each f32[n/G]; y[j·G + g] = x[g·(n/G) + j].
 * (view x as [G][n/G] and transpose to [n/G][G]). n must be a multiple of G; y must not overlap x.
 */
export function vecInterleave(y: usize, x: usize, groups: i32, n: i32): void {
  const part = n / groups;
  for (let g = 0; g < groups; g++) {
    for (let j = 0; j < part; j++) {
      store<f32>(y + (<usize>(j * groups + g) << 2), load<f32>(x + (<usize>(g * part + j) << 2)));
    }
  }
}
