import { describe, expect, it } from 'vitest';
import {
  ARCH_NAMES,
  countMacs,
  countMacsPerFrame,
  countParams,
  float32MiB,
  MAC_FRAMES_PER_4S,
  paramSpecs,
  presetConfig,
  shapeSize,
  type ArchName,
} from '../../src/models/index.js';
import { UserError } from '../../src/errors.js';
import { modelSizeRows } from '../../tools/commands/models.js';
import { buildProgram } from '../../tools/cli.js';
import { stdoutOf } from '../helpers/cli.js';

/** Tan & Wang TASLP 2021, Table I (model size, "MB" = MiB of float32) and Table III (MACs per 4 s). */
const PAPER: Record<ArchName, { mib: number; gmacs: number }> = {
  fdnn: { mib: 34.54, gmacs: 3.63 },
  lstm: { mib: 115.27, gmacs: 12.13 },
  tcnn: { mib: 19.28, gmacs: 4.8 },
  gcrn: { mib: 37.27, gmacs: 9.61 },
};

describe('paper preset sizes', () => {
  for (const arch of ARCH_NAMES) {
    it(`${arch}: float32 MiB within 0.5 % and MACs per 4 s within 3 % of the paper`, () => {
      const c = presetConfig(arch, 'paper');
      expect(Math.abs(float32MiB(c) / PAPER[arch].mib - 1)).toBeLessThan(0.005);
      expect(Math.abs(countMacs(c) / 1e9 / PAPER[arch].gmacs - 1)).toBeLessThan(0.03);
    });
  }

  it('exact parameter counts (hand-derived from §III-B and the reference layouts)', () => {
    // FDNN: 161·2048+2048 + 2·(2048²+2048) + 2048·161+161
    expect(countParams(presetConfig('fdnn', 'paper'))).toBe(9_054_369);
    // LSTM: 4·1024·(161+1024)+8192 + 3·(4·1024·2048+8192) + 1024·161+161
    expect(countParams(presetConfig('lstm', 'paper'))).toBe(30_217_377);
    expect(countParams(presetConfig('tcnn', 'paper'))).toBe(5_053_685);
    expect(countParams(presetConfig('gcrn', 'paper'))).toBe(9_771_340);
  });

  it('FDNN and LSTM MACs: weights × 401 frames (+16H per LSTM step)', () => {
    expect(MAC_FRAMES_PER_4S).toBe(401);
    expect(countMacs(presetConfig('fdnn', 'paper'))).toBe((161 * 2048 + 2 * 2048 * 2048 + 2048 * 161) * 401);
    const lstmPerFrame = 4 * 1024 * (161 + 1024) + 3 * 4 * 1024 * 2048 + 1024 * 161 + 4 * 16 * 1024;
    expect(countMacs(presetConfig('lstm', 'paper'))).toBe(lstmPerFrame * 401);
  });

  it('executed MACs count transposed convs by input positions', () => {
    const gcrn = presetConfig('gcrn', 'paper');
    expect(countMacs(gcrn, undefined, 'executed')).toBeLessThan(countMacs(gcrn));
    const fdnn = presetConfig('fdnn', 'paper');
    expect(countMacs(fdnn, undefined, 'executed')).toBe(countMacs(fdnn));
  });
});

describe('param specs', () => {
  it('GCRN uses Ke Tan’s state-dict names and PyTorch shapes', () => {
    const specs = new Map(paramSpecs(presetConfig('gcrn', 'paper')).map((p) => [p.name, p]));
    expect(specs.get('conv1.conv1.weight')?.shape).toEqual([16, 2, 1, 3]);
    expect(specs.get('conv5.conv2.bias')?.shape).toEqual([256]);
    expect(specs.get('glstm.lstm_list1.0.weight_ih_l0')?.shape).toEqual([2048, 512]);
    expect(specs.get('glstm.lstm_list2.1.weight_hh_l0')?.kind).toBe('lstm_hh');
    expect(specs.get('glstm.ln1.weight')?.shape).toEqual([1024]);
    expect(specs.get('conv5_t_1.conv1.weight')?.shape).toEqual([512, 128, 1, 3]);
    expect(specs.get('conv1_t_2.conv2.weight')?.shape).toEqual([32, 1, 1, 3]);
    expect(specs.get('conv1_t_2.conv2.weight')?.kind).toBe('deconv');
    expect(specs.get('bn2_t_1.running_var')?.buffer).toBe(true);
    expect(specs.get('bn2_t_1.num_batches_tracked')).toMatchObject({ shape: [], dtype: 'int64', buffer: true });
    expect(specs.get('fc2.weight')?.shape).toEqual([161, 161]);
  });

  it('names are unique and buffers are only BatchNorm statistics', () => {
    for (const arch of ARCH_NAMES) {
      for (const preset of ['paper', 'edge', 'tiny'] as const) {
        const specs = paramSpecs(presetConfig(arch, preset));
        expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
        for (const s of specs) expect(s.buffer === true).toBe(s.kind === 'norm_stat');
      }
    }
  });

  it('LSTM follows nn.LSTM naming', () => {
    const names = paramSpecs(presetConfig('lstm', 'tiny')).map((p) => p.name);
    expect(names).toEqual(['lstm.weight_ih_l0', 'lstm.weight_hh_l0', 'lstm.bias_ih_l0', 'lstm.bias_hh_l0', 'fc.weight', 'fc.bias']);
  });

  it('TCNN: depthwise TCM conv is [M, 1, k], decoder 0 maps back to one channel', () => {
    const specs = new Map(paramSpecs(presetConfig('tcnn', 'paper')).map((p) => [p.name, p]));
    expect(specs.get('tcm.2.5.depthwise.weight')?.shape).toEqual([512, 1, 3]);
    expect(specs.get('tcm.0.0.conv_in.weight')?.shape).toEqual([512, 256, 1]);
    expect(specs.get('encoder.0.conv.weight')?.shape).toEqual([16, 1, 2, 5]);
    expect(specs.get('decoder.6.deconv.weight')?.shape).toEqual([128, 64, 2, 5]);
    expect(specs.get('decoder.0.deconv.weight')?.shape).toEqual([32, 1, 2, 5]);
  });
});

describe('countMacs with nonzeros', () => {
  it('scales each tensor’s MACs with its nonzero count', () => {
    const c = presetConfig('fdnn', 'tiny');
    const full = countMacsPerFrame(c);
    expect(full).toBe(161 * 16 + 16 * 161);
    const nz = new Map([['fc1.weight', 100], ['fc1.bias', 0]]);
    expect(countMacsPerFrame(c, nz)).toBe(100 + 16 * 161);
    expect(countMacs(c, nz)).toBe((100 + 16 * 161) * 401);
  });

  it('conv nonzeros are weighted by output positions; LSTM keeps its fixed cell cost', () => {
    const g = presetConfig('gcrn', 'paper');
    const all = countMacsPerFrame(g);
    const size = 16 * 2 * 3;
    // conv1 outputs 80 bins per frame
    expect(countMacsPerFrame(g, new Map([['conv1.conv1.weight', 0]]))).toBe(all - size * 80);
    const l = presetConfig('lstm', 'tiny');
    const zeros = new Map(paramSpecs(l).map((p) => [p.name, 0]));
    expect(countMacsPerFrame(l, zeros)).toBe(16 * 8);
  });

  it('rejects impossible nonzero counts', () => {
    const c = presetConfig('fdnn', 'tiny');
    expect(() => countMacs(c, new Map([['fc1.weight', 161 * 16 + 1]]))).toThrow(UserError);
    expect(() => countMacs(c, new Map([['fc1.weight', -1]]))).toThrow(UserError);
  });
});

describe('presets', () => {
  it('edge: GCRN/TCNN 0.3–1.5 M params and < 0.5 G MACs per 4 s; FDNN/LSTM comparable', () => {
    for (const arch of ARCH_NAMES) {
      const c = presetConfig(arch, 'edge');
      expect(countParams(c)).toBeGreaterThan(0.3e6);
      expect(countParams(c)).toBeLessThan(1.5e6);
      expect(countMacs(c)).toBeLessThan(0.5e9);
    }
  });

  it('tiny: a few thousand parameters (GCRN: its two 161×161 output layers plus a few thousand)', () => {
    for (const arch of ARCH_NAMES) {
      const c = presetConfig(arch, 'tiny');
      const outputLayers = arch === 'gcrn' ? 2 * (161 * 161 + 161) : 0;
      expect(countParams(c) - outputLayers).toBeLessThan(10_000);
    }
  });

  it('returns fresh copies and rejects unknown names', () => {
    const a = presetConfig('gcrn', 'paper');
    (a.hparams.enc_channels as number[])[0] = 99;
    expect(presetConfig('gcrn', 'paper').hparams.enc_channels).toEqual([16, 32, 64, 128, 256]);
    expect(() => presetConfig('gcrn', 'huge' as never)).toThrow(UserError);
  });

  it('invalid hyper-parameters are UserErrors', () => {
    expect(() => paramSpecs({ arch: 'gcrn', hparams: { ...presetConfig('gcrn', 'paper').hparams, lstm_groups: 3 } })).toThrow(UserError);
    expect(() => paramSpecs({ arch: 'tcnn', hparams: { ...presetConfig('tcnn', 'paper').hparams, enc_pads: [2] } })).toThrow(UserError);
    expect(() => paramSpecs({ arch: 'fdnn', hparams: { hidden_units: 0 } })).toThrow(UserError);
  });

  it('every spec size is a positive product of its shape', () => {
    for (const s of paramSpecs(presetConfig('tcnn', 'tiny'))) expect(shapeSize(s.shape)).toBeGreaterThan(0);
  });
});

describe('hushpack models', () => {
  it('rows carry the paper figures', () => {
    const rows = modelSizeRows('paper');
    expect(rows.map((r) => r.arch)).toEqual([...ARCH_NAMES]);
    expect(rows.find((r) => r.arch === 'gcrn')?.params).toBe(9_771_340);
  });

  it('--json prints exactly one JSON object', async () => {
    const argv = ['node', 'hushpack', 'models', '--preset', 'edge', '--json'];
    const { out } = await stdoutOf(async () => (await buildProgram(argv)).parseAsync(argv));
    const obj = JSON.parse(out);
    expect(obj.preset).toBe('edge');
    expect(obj.models).toHaveLength(4);
    expect(obj.models[0]).toHaveProperty('macsPer4s');
  });
});
