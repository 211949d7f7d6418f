/**
 * Forward values of the addon's ops against small hand-computed cases, plus metadata, host data
 * (zero-copy views, copyFrom), creation/seeding, autograd plumbing and engine settings.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Tensor, tensor, fromFloat32Array, zeros, ones, full, randn, rand, arange, zerosLike, onesLike,
  linear, conv1d, conv2d, convTranspose2d, lstm, batchNorm, layerNorm, mseLoss, cat, stack, where,
  noGrad, manualSeed, setNumThreads, getNumThreads, blasNumThreads, version, cudaAvailable, torch,
} from '../../src/torch/torch.js';
import { expectClose } from './helpers.js';
import { randomF64 } from '../helpers/signals.js';

const f32 = (t: Tensor): number[] => Array.from(t.toFloat32Array());

describe('metadata and host data', () => {
  it('shape, dtype, numel, ndim, device, item', () => {
    const t = fromFloat32Array(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.numel).toBe(6);
    expect(t.ndim).toBe(2);
    expect(t.device).toBe('cpu');
    expect(t.sum().item()).toBe(21);
    expect(tensor(new Float64Array([1.5])).dtype).toBe('float64');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int64');
    expect(tensor([1, 2]).dtype).toBe('float32');
    expect(t.gt(3).dtype).toBe('bool');
    expect(String(t)).toBe('Tensor(float32 [2, 3] cpu)');
  });
  it('tensor() checks the element count against the shape', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 elements but the shape needs 4/);
  });
  it('data() is a zero-copy view that sees in-place updates and survives dispose', () => {
    const t = zeros([2, 2]);
    const v = t.data();
    v[1] = 7; // write through the view
    expect(f32(t)).toEqual([0, 7, 0, 0]);
    t.copyFrom(new Float32Array([1, 2, 3, 4]));
    expect(Array.from(v)).toEqual([1, 2, 3, 4]);
    t.mulInPlace(2).addInPlace(1);
    expect(Array.from(v)).toEqual([3, 5, 7, 9]);
    t.fillInPlace(0.5);
    expect(Array.from(v)).toEqual([0.5, 0.5, 0.5, 0.5]);
    // Two views of the same storage coexist.
    const w = t.data();
    w[0] = -1;
    expect(v[0]).toBe(-1);
    t.dispose();
    expect(v[0]).toBe(-1); // the view holds its own reference to the storage
    expect(() => t.shape).toThrow(/disposed/);
  });
  it('data() of a slice views the right offset; non-contiguous or float64 tensors are refused', () => {
    const t = arange(0, 6).reshape([2, 3]);
    expect(Array.from(t.slice(0, 1).data())).toEqual([3, 4, 5]);
    expect(() => t.transpose(0, 1).data()).toThrow(/contiguous float32/);
    expect(Array.from(t.transpose(0, 1).contiguous().data())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(() => t.toDtype('float64').data()).toThrow(/float32/);
    expect(Array.from(t.toDtype('float64').toFloat64Array())).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('copyFrom converts dtype, accepts tensors (broadcasting) and does not touch autograd', () => {
    const p = zeros([3], { requiresGrad: true });
    p.copyFrom(new Float64Array([1, 2, 3]));
    expect(f32(p)).toEqual([1, 2, 3]);
    p.copyFrom(full([1], 4));
    expect(f32(p)).toEqual([4, 4, 4]);
    expect(p.requiresGrad).toBe(true);
    expect(() => p.copyFrom([1, 2])).toThrow(/2 elements but the shape needs 3/);
  });
});

describe('creation', () => {
  it('zeros ones full arange zerosLike onesLike', () => {
    expect(f32(zeros([2]))).toEqual([0, 0]);
    expect(f32(ones([1, 2]))).toEqual([1, 1]);
    expect(f32(full([3], 2.5))).toEqual([2.5, 2.5, 2.5]);
    expect(f32(arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    const d = zeros([2, 2], { dtype: 'float64' });
    expect(onesLike(d).dtype).toBe('float64');
    expect(zerosLike(d).shape).toEqual([2, 2]);
    expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });
  it('randn / rand are reproducible with manualSeed and have the right statistics', () => {
    manualSeed(123);
    const a = randn([4]).toFloat32Array();
    manualSeed(123);
    const b = randn([4]).toFloat32Array();
    expect(Array.from(a)).toEqual(Array.from(b));
    const n = randn([20000]);
    expect(Math.abs(n.mean().item())).toBeLessThan(0.05);
    expect(Math.abs(n.square().mean().item() - 1)).toBeLessThan(0.05);
    const u = rand([20000]);
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expect(Math.abs(u.mean().item() - 0.5)).toBeLessThan(0.02);
  });
});

describe('elementwise, comparisons, where', () => {
  it('arithmetic with broadcasting and scalars', () => {
    const a = tensor([1, 2, 3, 4], [2, 2]);
    const b = tensor([10, 20], [2]);
    expect(f32(a.add(b))).toEqual([11, 22, 13, 24]);
    expect(f32(a.sub(1))).toEqual([0, 1, 2, 3]);
    expect(f32(a.mul(b))).toEqual([10, 40, 30, 80]);
    expect(f32(a.div(2))).toEqual([0.5, 1, 1.5, 2]);
    expect(f32(a.pow(2))).toEqual([1, 4, 9, 16]);
    expect(f32(torch.rsub(10, a))).toEqual([9, 8, 7, 6]);
    expect(f32(torch.rdiv(12, a))).toEqual([12, 6, 4, 3]);
    expect(f32(a.neg().abs())).toEqual([1, 2, 3, 4]);
    expect(f32(tensor([-2, 0, 3]).sign())).toEqual([-1, 0, 1]);
    expect(f32(tensor([4, 9]).sqrt())).toEqual([2, 3]);
    expect(f32(tensor([-1, 0.5, 2]).clamp(0, 1))).toEqual([0, 0.5, 1]);
    expect(f32(tensor([1, 5]).maximum(tensor([3, 2])))).toEqual([3, 5]);
    expect(f32(tensor([1, 5]).minimum(tensor([3, 2])))).toEqual([1, 2]);
    expectClose(a.exp().log().toFloat32Array(), [1, 2, 3, 4], 1e-6);
  });
  it('activations', () => {
    const x = tensor([-1, 0, 2]);
    expect(f32(x.relu())).toEqual([0, 0, 2]);
    expectClose(x.sigmoid().toFloat32Array(), [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]);
    expectClose(x.tanh().toFloat32Array(), [Math.tanh(-1), 0, Math.tanh(2)]);
    expectClose(x.elu().toFloat32Array(), [Math.exp(-1) - 1, 0, 2]);
    expectClose(x.softplus().toFloat32Array(), [Math.log1p(Math.exp(-1)), Math.log(2), Math.log1p(Math.exp(2))]);
    // PReLU with one slope per channel (dim 1): x [1, 2, 2].
    const y = tensor([-1, 1, -2, 2], [1, 2, 2]).prelu(tensor([0.25, 0.5]));
    expect(f32(y)).toEqual([-0.25, 1, -1, 2]);
  });
  it('comparisons give bool masks; where and mask multiply select', () => {
    const x = tensor([-1, 0, 2, 3]);
    expect(f32(x.gt(0))).toEqual([0, 0, 1, 1]);
    expect(f32(x.ge(0))).toEqual([0, 1, 1, 1]);
    expect(f32(x.lt(tensor([0, 0, 0, 4])))).toEqual([1, 0, 0, 1]);
    expect(f32(x.le(0))).toEqual([1, 1, 0, 0]);
    expect(f32(x.eq(2))).toEqual([0, 0, 1, 0]);
    expect(f32(where(x.gt(0), x, 0))).toEqual([0, 0, 2, 3]);
    expect(f32(where(x.gt(0), 1, x.mul(10)))).toEqual([-10, 0, 1, 1]);
    expect(x.mul(x.gt(0)).dtype).toBe('float32');
    expect(f32(x.mul(x.gt(0)))).toEqual([-0, 0, 2, 3]);
  });
});

describe('layers', () => {
  it('matmul and linear (x·Wᵀ + b)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const w = tensor([1, 0, 0, 0, 1, 1], [2, 3]);
    expect(f32(x.matmul(w.transpose(0, 1)))).toEqual([1, 5, 4, 11]);
    expect(f32(linear(x, w, tensor([0.5, -1])))).toEqual([1.5, 4, 4.5, 10]);
    expect(f32(linear(x, w))).toEqual([1, 5, 4, 11]);
  });
  it('conv2d on a 1×1×2×3 input with a known kernel, stride and padding', () => {
    // x = [[1,2,3],[4,5,6]], k = [[1,2],[3,4]]
    const x = tensor([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    const k = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    // valid: [1+4+12+20, 2+6+15+24] = [37, 47], + bias 0.5
    const y = conv2d(x, k, tensor([0.5]));
    expect(y.shape).toEqual([1, 1, 1, 2]);
    expect(f32(y)).toEqual([37.5, 47.5]);
    // padding (0,1) → rows [0,1,2,3,0],[0,4,5,6,0]; stride (1,2) samples columns 0 and 2:
    // col 0: 0·1+1·2+0·3+4·4 = 18; col 2: 2·1+3·2+5·3+6·4 = 47
    const z = conv2d(x, k, null, { stride: [1, 2], padding: [0, 1] });
    expect(z.shape).toEqual([1, 1, 1, 2]);
    expect(f32(z)).toEqual([18, 47]);
    // dilation 2 along W with a 1×2 kernel [1, 10]: y[j] = x[j] + 10·x[j+2]
    const d = conv2d(x, tensor([1, 10], [1, 1, 1, 2]), null, { dilation: [1, 2] });
    expect(f32(d)).toEqual([31, 64]);
  });
  it('conv2d groups: depthwise kernel scales each channel separately', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 1, 2]);
    const w = tensor([2, -1], [2, 1, 1, 1]);
    expect(f32(conv2d(x, w, null, { groups: 2 }))).toEqual([2, 4, -3, -4]);
  });
  it('conv1d with padding and stride', () => {
    // x = [1,2,3,4], k = [1,1,1], pad 1 → [0,1,2,3,4,0]; stride 2 → windows at 0, 2: [3, 9]
    const y = conv1d(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, 1, 1], [1, 1, 3]), null, { padding: 1, stride: 2 });
    expect(f32(y)).toEqual([3, 9]);
  });
  it('convTranspose2d values and output sizes with output_padding', () => {
    // 1×2 input [1, 2], kernel 1×3 [1, 10, 100], stride (1,2): out width (2−1)·2 + 3 = 5
    // y = [1, 10, 100+2, 20, 200]
    const y = convTranspose2d(tensor([1, 2], [1, 1, 1, 2]), tensor([1, 10, 100], [1, 1, 1, 3]), null, { stride: [1, 2] });
    expect(y.shape).toEqual([1, 1, 1, 5]);
    expect(f32(y)).toEqual([1, 10, 102, 20, 200]);
    // (in − 1)·s − 2p + d·(k − 1) + op + 1: (3−1)·2 − 2 + 2 + 1 + 1 = 6
    const z = convTranspose2d(zeros([1, 1, 3, 3]), zeros([1, 1, 3, 3]), null, { stride: 2, padding: 1, outputPadding: 1 });
    expect(z.shape).toEqual([1, 1, 6, 6]);
    // GCRN decoder block 4: kernel (1,3), stride (1,2), output_padding (0,1): 39 → 80 bins (mirrors 80 → 39).
    const g = convTranspose2d(zeros([1, 8, 5, 39]), zeros([8, 4, 1, 3]), zeros([4]), { stride: [1, 2], outputPadding: [0, 1] });
    expect(g.shape).toEqual([1, 4, 5, 80]);
    // groups = 2, dilation 2: out channels = 2 groups × 1
    const q = convTranspose2d(zeros([1, 2, 2, 2]), zeros([2, 1, 2, 2]), null, { groups: 2, dilation: 2 });
    expect(q.shape).toEqual([1, 2, 4, 4]);
  });
  it('lstm equals the gate equations (i, f, g, o) computed by hand, 2 steps with h0/c0', () => {
    const In = 2, H = 3, T = 2;
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const wih = randomF64(4 * H * In, 1, -0.8, 0.8);
    const whh = randomF64(4 * H * H, 2, -0.8, 0.8);
    const bih = randomF64(4 * H, 3, -0.5, 0.5);
    const bhh = randomF64(4 * H, 4, -0.5, 0.5);
    const xs = randomF64(T * In, 5, -1, 1);
    const h0 = randomF64(H, 6, -0.5, 0.5);
    const c0 = randomF64(H, 7, -0.5, 0.5);
    let h = Array.from(h0), c = Array.from(c0);
    const outs: number[] = [];
    for (let t = 0; t < T; t++) {
      const pre = (row: number) => {
        let s = bih[row]! + bhh[row]!;
        for (let k = 0; k < In; k++) s += wih[row * In + k]! * xs[t * In + k]!;
        for (let k = 0; k < H; k++) s += whh[row * H + k]! * h[k]!;
        return s;
      };
      const hn: number[] = [], cn: number[] = [];
      for (let j = 0; j < H; j++) {
        const i = sig(pre(j)), f = sig(pre(H + j)), g = Math.tanh(pre(2 * H + j)), o = sig(pre(3 * H + j));
        cn[j] = f * c[j]! + i * g;
        hn[j] = o * Math.tanh(cn[j]!);
      }
      h = hn;
      c = cn;
      outs.push(...hn);
    }
    const params = [
      tensor(Float32Array.from(wih), [4 * H, In]), tensor(Float32Array.from(whh), [4 * H, H]),
      tensor(Float32Array.from(bih), [4 * H]), tensor(Float32Array.from(bhh), [4 * H]),
    ];
    const r = lstm(tensor(Float32Array.from(xs), [T, 1, In]), params, {
      h0: tensor(Float32Array.from(h0), [1, 1, H]), c0: tensor(Float32Array.from(c0), [1, 1, H]),
    });
    expect(r.output.shape).toEqual([T, 1, H]);
    expect(r.h.shape).toEqual([1, 1, H]);
    expectClose(r.output.toFloat32Array(), outs, 1e-6, 1e-5);
    expectClose(r.h.toFloat32Array(), h, 1e-6, 1e-5);
    expectClose(r.c.toFloat32Array(), c, 1e-6, 1e-5);
    // batchFirst gives the same numbers with [B, T, F] layout.
    const rb = lstm(tensor(Float32Array.from(xs), [1, T, In]), params, {
      batchFirst: true, h0: tensor(Float32Array.from(h0), [1, 1, H]), c0: tensor(Float32Array.from(c0), [1, 1, H]),
    });
    expect(rb.output.shape).toEqual([1, T, H]);
    expectClose(rb.output.toFloat32Array(), outs, 1e-6, 1e-5);
  });
  it('lstm: two layers equal two chained one-layer calls; state carries across chunks', () => {
    const H = 4, In = 3, T = 5, B = 2;
    manualSeed(7);
    const p0 = [randn([4 * H, In]), randn([4 * H, H]), randn([4 * H]), randn([4 * H])];
    const p1 = [randn([4 * H, H]), randn([4 * H, H]), randn([4 * H]), randn([4 * H])];
    const x = randn([T, B, In]);
    const both = lstm(x, [...p0, ...p1]);
    const l0 = lstm(x, p0);
    const l1 = lstm(l0.output, p1);
    expectClose(both.output.toFloat32Array(), l1.output.toFloat32Array(), 1e-6);
    expectClose(both.h.toFloat32Array(), cat([l0.h, l1.h], 0).toFloat32Array(), 1e-6);
    // Streaming: the sequence in two chunks with the state carried equals one pass.
    const a = lstm(x.slice(0, 0, 2), p0);
    const b = lstm(x.slice(0, 2), p0, { h0: a.h, c0: a.c });
    expectClose(cat([a.output, b.output], 0).toFloat32Array(), l0.output.toFloat32Array(), 1e-6);
  });
  it('batchNorm: training normalises with batch stats and updates running stats; eval uses them', () => {
    // x [4, 1]: values 1, 2, 3, 6 → mean 3, biased var 3.5, unbiased var 14/3
    const x = tensor([1, 2, 3, 6], [4, 1]);
    const rm = zeros([1]);
    const rv = ones([1]);
    const y = batchNorm(x, { weight: tensor([2]), bias: tensor([1]), runningMean: rm, runningVar: rv, training: true, eps: 0 });
    const s = Math.sqrt(3.5);
    expectClose(y.toFloat32Array(), [1, 2, 3, 6].map((v) => ((v - 3) / s) * 2 + 1), 1e-5);
    expectClose(rm.toFloat32Array(), [0.3], 1e-6); // 0.9·0 + 0.1·3
    expectClose(rv.toFloat32Array(), [0.9 + (0.1 * 14) / 3], 1e-6);
    const e = batchNorm(tensor([1], [1, 1]), { runningMean: rm, runningVar: rv, training: false, eps: 0 });
    expectClose(e.toFloat32Array(), [(1 - 0.3) / Math.sqrt(0.9 + 1.4 / 3)], 1e-5);
    expectClose(rm.toFloat32Array(), [0.3], 1e-6); // unchanged in eval mode
  });
  it('layerNorm over the last dim with affine parameters', () => {
    // Row 1: mean 2, biased var 2/3; row 2 is constant (normalises to 0, leaving the bias).
    const y = layerNorm(tensor([1, 2, 3, 4, 4, 4], [2, 3]), [3], tensor([1, 2, 3]), tensor([0, 0, 1]), 1e-5);
    const s = Math.sqrt(2 / 3 + 1e-5);
    expectClose(y.toFloat32Array(), [-1 / s, 0, 3 / s + 1, 0, 0, 1], 1e-5);
  });
  it('mseLoss', () => {
    const a = tensor([1, 2, 3]);
    const b = tensor([1, 0, 0]);
    expect(mseLoss(a, b).item()).toBeCloseTo(13 / 3, 6);
    expect(mseLoss(a, b, 'sum').item()).toBe(13);
    expect(f32(mseLoss(a, b, 'none'))).toEqual([0, 4, 9]);
  });
});

describe('shape ops and reductions', () => {
  const a = arange(0, 6).reshape([2, 3]); // [[0,1,2],[3,4,5]]
  it('reshape view permute transpose squeeze unsqueeze flatten expand', () => {
    expect(a.view([3, 2]).shape).toEqual([3, 2]);
    expect(a.reshape([-1]).shape).toEqual([6]);
    expect(f32(a.permute([1, 0]))).toEqual([0, 3, 1, 4, 2, 5]);
    expect(f32(a.transpose(0, 1))).toEqual([0, 3, 1, 4, 2, 5]);
    expect(a.unsqueeze(1).shape).toEqual([2, 1, 3]);
    expect(a.unsqueeze(1).squeeze().shape).toEqual([2, 3]);
    expect(a.unsqueeze(0).unsqueeze(3).squeeze(0).shape).toEqual([2, 3, 1]);
    expect(a.unsqueeze(0).flatten(1).shape).toEqual([1, 6]);
    expect(f32(tensor([1, 2], [2, 1]).expand([2, 3]))).toEqual([1, 1, 1, 2, 2, 2]);
  });
  it('slice narrow indexSelect split chunk cat stack pad', () => {
    expect(f32(a.slice(1, 1))).toEqual([1, 2, 4, 5]);
    expect(f32(a.slice(1, 0, 3, 2))).toEqual([0, 2, 3, 5]);
    expect(f32(a.slice(1, -1))).toEqual([2, 5]);
    expect(f32(a.narrow(1, 1, 1))).toEqual([1, 4]);
    expect(f32(a.indexSelect(1, [2, 0]))).toEqual([2, 0, 5, 3]);
    expect(f32(a.indexSelect(0, tensor(new Int32Array([1]))))).toEqual([3, 4, 5]);
    expect(a.split(2, 1).map((t) => t.shape)).toEqual([[2, 2], [2, 1]]);
    expect(a.split([1, 2], 1).map(f32)).toEqual([[0, 3], [1, 2, 4, 5]]);
    expect(a.chunk(2, 0).map(f32)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(cat([a, a], 1).shape).toEqual([2, 6]);
    expect(stack([a, a], 0).shape).toEqual([2, 2, 3]);
    expect(f32(tensor([1, 2]).pad([1, 2]))).toEqual([0, 1, 2, 0, 0]);
    expect(f32(tensor([1, 2], [1, 2]).pad([0, 0, 1, 0], 9))).toEqual([9, 9, 1, 2]);
    expect(f32(tensor([1, 2, 3]).pad([-1, 0]))).toEqual([2, 3]);
  });
  it('sum mean norm max min over dims with keepdim', () => {
    expect(a.sum().item()).toBe(15);
    expect(a.sum().shape).toEqual([]);
    expect(f32(a.sum(0))).toEqual([3, 5, 7]);
    expect(a.sum(1, true).shape).toEqual([2, 1]);
    expect(a.sum([0, 1], true).shape).toEqual([1, 1]);
    expect(f32(a.mean(1))).toEqual([1, 4]);
    expect(a.norm(1).item()).toBe(15);
    expect(a.norm(2).item()).toBeCloseTo(Math.sqrt(55), 5);
    expectClose(a.norm(2, 1).toFloat32Array(), [Math.sqrt(5), Math.sqrt(50)]);
    expect(a.norm(1, 0, true).shape).toEqual([1, 3]);
    expect(a.max().item()).toBe(5);
    expect(f32(a.min(1))).toEqual([0, 3]);
    expect(a.max(0, true).shape).toEqual([1, 3]);
  });
});

describe('autograd plumbing', () => {
  it('requiresGrad, grad accumulation, zeroGrad, detach, clone', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    expect(w.requiresGrad).toBe(true);
    expect(w.grad).toBeNull();
    w.mul(3).sum().backward();
    expect(f32(w.grad!)).toEqual([3, 3]);
    w.mul(w).sum().backward(); // accumulates 2w
    expect(f32(w.grad!)).toEqual([5, 7]);
    w.zeroGrad();
    expect(f32(w.grad!)).toEqual([0, 0]);
    expect(w.detach().requiresGrad).toBe(false);
    expect(w.clone().requiresGrad).toBe(true);
    const p = zeros([2]).setRequiresGrad();
    expect(p.requiresGrad).toBe(true);
    p.setRequiresGrad(false);
    expect(p.requiresGrad).toBe(false);
  });
  it('noGrad records nothing and restores the mode (also after a throw)', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    const y = noGrad(() => w.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(w.mul(2).requiresGrad).toBe(true);
    expect(noGrad(() => noGrad(() => w.add(1)).requiresGrad)).toBe(false);
  });
  it('retainGraph allows a second backward; without it libtorch refuses', () => {
    const w = tensor([1], [1], { requiresGrad: true });
    const y = w.mul(w).exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(w.grad!.toFloat32Array(), [4 * Math.E], 1e-5);
    expect(() => y.backward()).toThrow(/second time|backward through the graph/);
  });
});

describe('engine settings', () => {
  it('threads default to 2 at load and can be changed', () => {
    expect(getNumThreads()).toBe(2);
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
    setNumThreads(2);
    expect(() => setNumThreads(0)).toThrow(/>= 1/);
  });
  it('OpenBLAS, when it is the BLAS behind libtorch, follows the thread setting', () => {
    // tools/run.sh installs libopenblas0-pthread; on a machine with another BLAS there is nothing to follow.
    if (!existsSync('/usr/share/doc/libopenblas0-pthread')) return expect(blasNumThreads()).toBeGreaterThanOrEqual(-1);
    expect(blasNumThreads()).toBe(2);
    setNumThreads(1);
    expect(blasNumThreads()).toBe(1);
    setNumThreads(2);
    expect(blasNumThreads()).toBe(2);
  });
  it('version and CUDA query', () => {
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof cudaAvailable()).toBe('boolean');
  });
});
