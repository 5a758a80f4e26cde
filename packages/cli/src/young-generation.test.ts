import { describe, expect, it } from 'vitest';
import { keepYoungGenerationSmall, YOUNG_GENERATION_GROWTH_FLAG } from './young-generation.js';

describe('keepYoungGenerationSmall', () => {
  const recorder = (): { set: string[]; setFlags: (flags: string) => void } => {
    const set: string[] = [];
    return { set, setFlags: (flags) => void set.push(flags) };
  };

  it('stops the young generation from growing when the process was started without a young-generation flag', () => {
    const v8 = recorder();
    expect(keepYoungGenerationSmall({ execArgv: ['--enable-source-maps'], nodeOptions: '--max-old-space-size=200', setFlags: v8.setFlags })).toBe(true);
    expect(v8.set).toEqual([YOUNG_GENERATION_GROWTH_FLAG]);
    expect(YOUNG_GENERATION_GROWTH_FLAG).toBe('--semi-space-growth-factor=1');
  });

  it.each([
    { where: 'the command line', execArgv: ['--max-semi-space-size=8'], nodeOptions: undefined },
    { where: 'the command line (underscores)', execArgv: ['--min_semi_space_size=4'], nodeOptions: undefined },
    { where: 'NODE_OPTIONS', execArgv: [], nodeOptions: '--enable-source-maps --max-semi-space-size=32' },
  ])('leaves an operator-chosen young generation alone (flag on $where)', ({ execArgv, nodeOptions }) => {
    const v8 = recorder();
    expect(keepYoungGenerationSmall({ execArgv, nodeOptions, setFlags: v8.setFlags })).toBe(false);
    expect(v8.set).toEqual([]);
  });
});
