/**
 * Error paths: libtorch errors become JS Errors with libtorch's message (no C++ backtrace) and the
 * process keeps working afterwards; bad arguments become TypeErrors naming the argument.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam, ones, zeros, randn, tensor, conv2d, convTranspose2d, lstm, linear, batchNorm, mseLoss, cat, torch,
} from '../../src/torch/torch.js';

/** Runs fn, expects a JS Error, returns its message. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('libtorch errors become readable JS Errors', () => {
  it('wrong matmul shapes', () => {
    const msg = errorOf(() => ones([2, 3]).matmul(ones([2, 3])));
    expect(msg).toMatch(/cannot be multiplied \(2x3 and 2x3\)/);
    expect(msg).not.toMatch(/frame #|Exception raised from/);
  });
  it('wrong conv channel count', () => {
    const msg = errorOf(() => conv2d(ones([1, 3, 8, 8]), ones([4, 2, 3, 3])));
    expect(msg).toMatch(/expected input\[1, 3, 8, 8\] to have 2 channels/);
    expect(msg).not.toMatch(/frame #/);
    expect(errorOf(() => convTranspose2d(ones([1, 3, 4, 4]), ones([2, 1, 3, 3])))).toMatch(/channels|weight/);
  });
  it('bad reshape / view', () => {
    expect(errorOf(() => ones([6]).reshape([4, 4]))).toMatch(/shape '\[4, 4\]' is invalid for input of size 6/);
    expect(errorOf(() => ones([2, 3]).transpose(0, 1).view([6]))).toMatch(/view size is not compatible/);
  });
  it('other shape and argument errors', () => {
    expect(errorOf(() => ones([2]).add(ones([3])))).toMatch(/size of tensor a \(2\) must match/);
    expect(errorOf(() => linear(ones([2, 3]), ones([4, 5])))).toMatch(/cannot be multiplied/);
    expect(errorOf(() => cat([ones([2, 2]), ones([3, 3])], 0))).toMatch(/Sizes of tensors must match/);
    expect(errorOf(() => ones([2]).sum(5))).toMatch(/Dimension out of range/);
    expect(errorOf(() => ones([2]).split([1, 2]))).toMatch(/split_with_sizes/);
    expect(errorOf(() => lstm(ones([3, 1, 2]), [ones([8, 2]), ones([8, 2]), ones([8])]))).toMatch(/multiple of 4/);
    expect(errorOf(() => lstm(ones([3, 2]), [ones([8, 2]), ones([8, 2]), ones([8]), ones([8])]))).toMatch(/3-D/);
    expect(errorOf(() => lstm(ones([3, 1, 5]), [ones([8, 2]), ones([8, 2]), ones([8]), ones([8])]))).toMatch(/size|shape|match/i);
    expect(errorOf(() => batchNorm(ones([2, 3]), { training: false }))).toMatch(/runningMean/);
    expect(errorOf(() => mseLoss(ones([2]), ones([2]), 'max' as 'sum'))).toMatch(/reduction/);
    expect(errorOf(() => zeros([2], { dtype: 'float16' as 'float32' }))).toMatch(/unknown dtype 'float16'/);
    expect(errorOf(() => zeros([2], { device: 'tpu' as 'cpu' }))).toMatch(/device|tpu/i);
    expect(errorOf(() => ones([2]).backward())).toMatch(/does not require grad|grad can be implicitly created only for scalar/);
    expect(errorOf(() => ones([2]).item())).toMatch(/2 elements cannot be converted to Scalar/);
  });
  it('bad argument types are TypeErrors naming the argument', () => {
    const bad = ones([1]).add.bind(ones([1])) as (x: unknown) => unknown;
    expect(() => bad({})).toThrow(TypeError);
    expect(errorOf(() => bad({}))).toBe('argument 1: expected a tensor');
    expect(errorOf(() => ones([1]).reshape(['a'] as never))).toBe('argument 1: expected an array of integers');
    expect(errorOf(() => zeros([1.5]))).toMatch(/integers/);
  });
  it('optimiser misuse', () => {
    const p = ones([2], { requiresGrad: true });
    expect(errorOf(() => new Adam([p.mul(2)]))).toMatch(/leaf/);
    const opt = new Adam([p]);
    expect(errorOf(() => opt.setState([]))).toMatch(/0 states for 1 parameters/);
    opt.dispose();
    expect(errorOf(() => opt.step())).toMatch(/disposed/);
  });
  it('the engine keeps working after errors', () => {
    for (let i = 0; i < 100; i++) errorOf(() => ones([2, 3]).matmul(ones([2, 3])));
    expect(randn([3, 3]).matmul(tensor([1, 0, 0], [3, 1])).shape).toEqual([3, 1]);
  });
});
