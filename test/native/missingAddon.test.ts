/**
 * Without the built addon, importing the engine still works and the first use throws the
 * documented message (HUSHPACK_TORCH_ADDON pointing nowhere simulates an unbuilt checkout).
 */
import { afterAll, expect, it, vi } from 'vitest';

const saved = process.env['HUSHPACK_TORCH_ADDON'];
afterAll(() => {
  if (saved === undefined) delete process.env['HUSHPACK_TORCH_ADDON'];
  else process.env['HUSHPACK_TORCH_ADDON'] = saved;
});

it('throws a clear Error naming the build command', async () => {
  process.env['HUSHPACK_TORCH_ADDON'] = '/nonexistent/hushpack_torch.node';
  vi.resetModules();
  const t = await import('../../src/torch/torch.js');
  expect(t.isTorchAvailable()).toBe(false);
  expect(() => t.zeros([1])).toThrow(
    'libtorch addon not built: run `npm run build:native` (needs Debian libtorch-dev or LIBTORCH=...)',
  );
});
