import { describe, expect, it } from 'vitest';
import {
  MIX_AUGMENT_NONE, MIX_AUGMENT_V2, mixAugmentCheck, mixAugmentComplete, mixAugmentIsNone, mixAugmentPreset, mixAugmentWith,
} from '../../../src/data/augment/settings.js';
import { UserError } from '../../../src/errors.js';

describe('MixAugment settings', () => {
  it('has two valid presets: none (all off) and v2', () => {
    mixAugmentCheck({ ...MIX_AUGMENT_NONE });
    mixAugmentCheck({ ...MIX_AUGMENT_V2 });
    expect(mixAugmentIsNone(mixAugmentPreset('none'))).toBe(true);
    expect(mixAugmentIsNone(mixAugmentPreset('v2'))).toBe(false);
    expect(() => mixAugmentPreset('v3')).toThrow(/none, v2/);
  });

  it('completes stored objects that predate a field with the all-off values', () => {
    const { speed: _s, reverb: _r, ...old } = MIX_AUGMENT_V2;
    const full = mixAugmentComplete(old);
    expect(full.speed).toBe(0);
    expect(full.reverb).toBe(0);
    expect(full.eq).toBe(MIX_AUGMENT_V2.eq);
    expect(mixAugmentComplete(undefined)).toEqual(MIX_AUGMENT_NONE);
  });

  it('parses --augment-set key=value,… (numbers and lo:hi ranges) onto a base', () => {
    const a = mixAugmentWith(MIX_AUGMENT_V2, 'reverb=1, rt60RangeS=0.3:0.9,noiseTyping=0');
    expect(a.reverb).toBe(1);
    expect(a.rt60RangeS).toEqual([0.3, 0.9]);
    expect(a.noiseTyping).toBe(0);
    expect(a.speed).toBe(MIX_AUGMENT_V2.speed);
    expect(MIX_AUGMENT_V2.reverb).toBe(0.5); // the preset itself is untouched
  });

  it('rejects bad settings with UserErrors that name the setting', () => {
    const bad: [string, RegExp][] = [
      ['reverb=2', /reverb must be a probability/],
      ['speedRange=1.2:0.9', /speedRange must be a range/],
      ['speedRange=0.9', /write speedRange=lo:hi/],
      ['colour=1', /unknown setting 'colour'/],
      ['eq', /not key=value/],
      ['eq=abc', /'abc' is not a number/],
      ['noiseSource=0,noiseTalkers=0,noiseColoured=0,noiseModulated=0,noiseTyping=0', /all 0/],
      ['noiseTalkers=-1', /noiseTalkers must be a weight/],
    ];
    for (const [text, re] of bad) {
      expect(() => mixAugmentWith(MIX_AUGMENT_V2, text)).toThrow(UserError);
      expect(() => mixAugmentWith(MIX_AUGMENT_V2, text)).toThrow(re);
    }
    expect(() => mixAugmentCheck({ ...MIX_AUGMENT_NONE, extra: 1 } as never)).toThrow(/unknown setting 'extra'/);
  });
});
