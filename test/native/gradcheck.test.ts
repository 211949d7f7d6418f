/**
 * Gradient checks (float64, central finite differences) for every differentiable op the addon
 * exposes. Inputs are random in [-1, 1) unless an op needs a positive domain; kinks (relu, abs,
 * clamp, max) are hit with probability ~0 at h = 1e-6.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  Tensor, torch, tensor, linear, conv1d, conv2d, convTranspose2d, lstm, batchNorm, layerNorm, mseLoss,
  cat, stack, where, rsub, rdiv, zeros, ones, getNumThreads, setNumThreads,
} from '../../src/torch/torch.js';
import { gradcheck, param64 } from './helpers.js';
import { randomF64 } from '../helpers/signals.js';

const P = param64;

// One thread: these are hundreds of tiny forward passes, which 2 OpenMP threads only slow down
// (barrier waits) when the shared machine is busy. Results do not depend on the thread count.
let threads = 2;
beforeAll(() => {
  threads = getNumThreads();
  setNumThreads(1);
});
afterAll(() => setNumThreads(threads));

describe('gradcheck: elementwise', () => {
  it('add/sub/mul/div with tensors (broadcasting) and scalars', () => {
    const a = P([2, 3], 1);
    const b = P([3], 2, 0.5, 1.5);
    gradcheck((a, b) => [a.add(b), a.sub(b), a.mul(b), a.div(b)], [a, b]);
    gradcheck((a) => [a.add(2), a.sub(0.5), a.mul(-3), a.div(4), rsub(1, a), rdiv(2, a.add(3))], [a]);
  });
  it('pow (tensor base, scalar and tensor exponent)', () => {
    const a = P([5], 3, 0.5, 2);
    const e = P([5], 4);
    gradcheck((a, e) => [a.pow(2.5), a.pow(e)], [a, e]);
  });
  it('maximum/minimum/atan2', () => {
    const a = P([6], 5);
    const b = P([6], 6);
    gradcheck((a, b) => [a.maximum(b), a.minimum(b), a.atan2(b)], [a, b]);
  });
  it('unary math: neg abs sign sqrt square exp log sin cos reciprocal', () => {
    const a = P([7], 7);
    const pos = P([7], 8, 0.3, 2);
    gradcheck((a) => [a.neg(), a.abs(), a.sign(), a.square(), a.exp(), a.sin(), a.cos()], [a]);
    gradcheck((p) => [p.sqrt(), p.log(), p.reciprocal()], [pos]);
  });
  it('clamp (both sides, one side)', () => {
    const a = P([9], 9, -2, 2);
    gradcheck((a) => [a.clamp(-0.7, 0.9), a.clamp(0.1), a.clamp(null, -0.2)], [a]);
  });
  it('activations: relu sigmoid tanh elu softplus', () => {
    const a = P([8], 10, -3, 3);
    gradcheck((a) => [a.relu(), a.sigmoid(), a.tanh(), a.elu(), a.elu(0.5), a.softplus(), a.softplus(2, 1)], [a]);
  });
  it('prelu (input and learnable weight, shared and per-channel)', () => {
    const x = P([2, 3, 4], 11);
    const w1 = P([1], 12, 0.1, 0.4);
    const w3 = P([3], 13, 0.1, 0.4);
    gradcheck((x, w) => x.prelu(w), [x, w1]);
    gradcheck((x, w) => x.prelu(w), [x, w3]);
  });
  it('where (tensor/tensor and tensor/scalar branches)', () => {
    const a = P([2, 4], 14);
    const b = P([2, 4], 15);
    const cond = a.detach().gt(0);
    gradcheck((a, b) => [where(cond, a, b), where(cond, a, 0), where(cond, 1, b)], [a, b]);
  });
  it('mask multiply (bool mask promotes to float)', () => {
    const a = P([3, 3], 16);
    const mask = a.detach().abs().ge(0.3);
    gradcheck((a) => a.mul(mask), [a]);
  });
});

describe('gradcheck: linear algebra and layers', () => {
  it('matmul (2-D, batched, vector)', () => {
    const a = P([2, 3], 20);
    const b = P([3, 4], 21);
    const ab = P([2, 2, 3], 22);
    const v = P([3], 23);
    gradcheck((a, b) => a.matmul(b), [a, b]);
    gradcheck((ab, b) => ab.matmul(b), [ab, b]);
    gradcheck((a, v) => a.matmul(v), [a, v]);
  });
  it('linear with and without bias', () => {
    const x = P([2, 2, 3], 24);
    const w = P([4, 3], 25);
    const b = P([4], 26);
    gradcheck((x, w, b) => linear(x, w, b), [x, w, b]);
    gradcheck((x, w) => linear(x, w), [x, w]);
  });
  it('conv1d with stride, padding, dilation, groups', () => {
    const x = P([2, 4, 9], 27);
    const w = P([6, 2, 3], 28);
    const b = P([6], 29);
    gradcheck((x, w, b) => conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2, groups: 2 }), [x, w, b]);
  });
  it('conv2d with asymmetric stride/padding, dilation', () => {
    const x = P([1, 2, 4, 7], 30);
    const w = P([3, 2, 2, 3], 31);
    const b = P([3], 32);
    gradcheck((x, w, b) => conv2d(x, w, b, { stride: [1, 2], padding: [0, 1], dilation: [1, 1] }), [x, w, b]);
    gradcheck((x, w) => conv2d(x, w, null, { dilation: [2, 1] }), [x, w]);
  });
  it('conv2d depthwise (groups = channels), as in the TCNN', () => {
    const x = P([1, 3, 5, 2], 33);
    const w = P([3, 1, 3, 1], 34);
    gradcheck((x, w) => conv2d(x, w, null, { groups: 3, dilation: [2, 1], padding: [2, 0] }), [x, w]);
  });
  it('convTranspose2d with stride, padding, output_padding, groups, dilation', () => {
    const x = P([1, 4, 2, 3], 35);
    const w = P([4, 1, 2, 3], 36); // [Cin, Cout/groups, kH, kW]
    const b = P([2], 37);
    gradcheck(
      (x, w, b) => convTranspose2d(x, w, b, { stride: [1, 2], padding: [0, 1], outputPadding: [0, 1], groups: 2 }),
      [x, w, b],
    );
    const w2 = P([4, 2, 2, 2], 38);
    gradcheck((x, w) => convTranspose2d(x, w, null, { stride: 2, dilation: 2 }), [x, w]);
  });
  it('lstm: 2 layers, input/params/h0/c0, all three outputs, both layouts', () => {
    const T = 3, B = 2, In = 3, H = 2;
    const ps: Tensor[] = [];
    let seed = 40;
    for (let l = 0; l < 2; l++) {
      const inDim = l === 0 ? In : H;
      ps.push(P([4 * H, inDim], seed++), P([4 * H, H], seed++), P([4 * H], seed++), P([4 * H], seed++));
    }
    const x = P([T, B, In], seed++);
    const h0 = P([2, B, H], seed++);
    const c0 = P([2, B, H], seed++);
    gradcheck(
      (x, h0, c0, ...p) => {
        const r = lstm(x, p, { h0, c0 });
        return [r.output, r.h, r.c];
      },
      [x, h0, c0, ...ps],
    );
    const xb = P([B, T, In], seed++);
    gradcheck((xb, ...p) => {
      const r = lstm(xb, p.slice(0, 4), { batchFirst: true });
      return [r.output, r.c];
    }, [xb, ...ps.slice(0, 4)]);
  });
  it('lstm without biases', () => {
    const x = P([2, 1, 2], 60);
    const wih = P([8, 2], 61);
    const whh = P([8, 2], 62);
    gradcheck((x, a, b) => lstm(x, [a, b], { hasBiases: false }).output, [x, wih, whh]);
  });
  it('batchNorm in training mode (batch statistics) and eval mode', () => {
    const x = P([3, 2, 4], 70);
    const w = P([2], 71, 0.5, 1.5);
    const b = P([2], 72);
    const rm = zeros([2], { dtype: 'float64' });
    const rv = ones([2], { dtype: 'float64' });
    gradcheck((x, w, b) => batchNorm(x, { weight: w, bias: b, runningMean: rm, runningVar: rv, training: true }), [x, w, b]);
    const rm2 = tensor([0.1, -0.2], [2], { dtype: 'float64' });
    const rv2 = tensor([0.5, 2], [2], { dtype: 'float64' });
    gradcheck((x, w, b) => batchNorm(x, { weight: w, bias: b, runningMean: rm2, runningVar: rv2, training: false }), [x, w, b]);
  });
  it('layerNorm with affine parameters', () => {
    const x = P([2, 3, 4], 73);
    const w = P([3, 4], 74, 0.5, 1.5);
    const b = P([3, 4], 75);
    gradcheck((x, w, b) => layerNorm(x, [3, 4], w, b), [x, w, b]);
    gradcheck((x) => layerNorm(x, [4]), [x]);
  });
  it('mseLoss (mean, sum, none) w.r.t. input and target', () => {
    const a = P([2, 3], 76);
    const b = P([2, 3], 77);
    gradcheck((a, b) => [mseLoss(a, b), mseLoss(a, b, 'sum'), mseLoss(a, b, 'none')], [a, b]);
  });
});

describe('gradcheck: shape, combination, reductions', () => {
  it('reshape view permute transpose squeeze unsqueeze flatten expand contiguous clone', () => {
    const a = P([2, 1, 3], 80);
    gradcheck(
      (a) => [
        a.reshape([3, 2]), a.view([6]), a.permute([2, 0, 1]), a.transpose(0, 2), a.squeeze(), a.squeeze(1),
        a.unsqueeze(0), a.flatten(), a.expand([2, 4, 3]), a.transpose(0, 2).contiguous(), a.clone(),
        a.toDtype('float64'),
      ],
      [a],
    );
  });
  it('slice narrow indexSelect split chunk', () => {
    const a = P([4, 5], 81);
    gradcheck(
      (a) => [
        a.slice(1, 1, 4), a.slice(0, 0, undefined, 2), a.slice(1, -2), a.narrow(0, 1, 2), a.indexSelect(1, [4, 0, 0]),
        ...a.split(2, 1), ...a.split([1, 3], 0), ...a.chunk(3, 1),
      ],
      [a],
    );
  });
  it('cat stack pad', () => {
    const a = P([2, 3], 82);
    const b = P([2, 3], 83);
    gradcheck((a, b) => [cat([a, b], 0), cat([a, b], 1), stack([a, b], 2), a.pad([1, 2]), a.pad([0, 0, 1, 0], 0.5), a.pad([-1, 1])], [a, b]);
  });
  it('sum mean (all, dims, keepdim)', () => {
    const a = P([2, 3, 4], 84);
    gradcheck((a) => [a.sum(), a.sum(1), a.sum([0, 2], true), a.mean(), a.mean(-1), a.mean([0, 1], true)], [a]);
  });
  it('norm p=1 and p=2 (all, dims, keepdim)', () => {
    const a = P([3, 4], 85);
    gradcheck((a) => [a.norm(2), a.norm(1), a.norm(2, 1), a.norm(1, 0, true), a.norm(2, [0, 1], true)], [a]);
  });
  it('max min (all, dims, keepdim)', () => {
    const a = P([3, 4], 86);
    gradcheck((a) => [a.max(), a.min(), a.max(1), a.min(0, true)], [a]);
  });
});

describe('gradcheck: backward with an explicit gradient', () => {
  it('y.backward(g) equals (y ⊙ g).sum().backward()', () => {
    const x = P([3], 90);
    const g = tensor(randomF64(3, 91), [3], { dtype: 'float64' });
    const y = x.mul(x).mul(3);
    y.backward(g);
    const expected = x.toFloat64Array().map((v, i) => 6 * v * g.toFloat64Array()[i]!);
    const got = x.grad!.toFloat64Array();
    for (let i = 0; i < 3; i++) if (Math.abs(got[i]! - expected[i]!) > 1e-12) throw new Error(`grad ${i}`);
    // And torch.mul/add free-function forms agree with the methods.
    gradcheck((x) => torch.add(torch.mul(x, x), 1), [x]);
  });
});

describe('gradcheck itself', () => {
  it('detects a wrong gradient (a detached factor)', () => {
    const a = P([3], 95);
    let threw = false;
    try {
      gradcheck((a) => a.detach().mul(a), [a]);
    } catch {
      threw = true;
    }
    if (!threw) throw new Error('gradcheck accepted a wrong gradient');
  });
});
