import { describe, expect, it } from 'vitest';
import { backendBooleanOption, backendIntegerOption, backendOption, backendStringOption } from './backend-option.js';
import { parseNetworkConfig } from './parse-network-config.js';

const config = parseNetworkConfig(
  '{"Network":"10.0.0.0/8","Backend":{"Type":"vxlan","vni":4,"VNI":5,"directrouting":true,"Mode":"auto","Port":null,"Bad":"x","PSK":7}}',
).config;

describe('backendOption', () => {
  it('looks options up case-insensitively, the last key winning', () => {
    expect(backendOption(config, 'VNI')).toBe(5);
    expect(backendOption(config, 'DirectRouting')).toBe(true);
    expect(backendOption(config, 'Missing')).toBeUndefined();
    expect(backendOption(config, 'Port')).toBeUndefined();
  });

  it('ignores a later JSON null for an option, as Go leaves a plain field untouched', () => {
    const nulled = parseNetworkConfig('{"Network":"10.0.0.0/8","Backend":{"Type":"vxlan","VNI":7,"vni":null}}').config;
    expect(backendOption(nulled, 'VNI')).toBe(7);
  });

  it('shows a number too large for a double as Infinity, not as null', () => {
    const huge = parseNetworkConfig('{"Network":"10.0.0.0/8","Backend":{"Type":"vxlan","VNI":1e400}}').config;
    expect(() => backendIntegerOption(huge, 'VNI', 1, { min: 0, max: 16_777_215 })).toThrow('Backend.VNI Infinity is invalid: must be an integer 0..16777215');
  });

  it('reads typed options with defaults', () => {
    expect(backendIntegerOption(config, 'VNI', 1, { min: 0, max: 16_777_215 })).toBe(5);
    expect(backendIntegerOption(config, 'Port', 8472, { min: 0, max: 65_535 })).toBe(8472);
    expect(backendBooleanOption(config, 'DirectRouting', false)).toBe(true);
    expect(backendBooleanOption(config, 'GBP', false)).toBe(false);
    expect(backendStringOption(config, 'Mode', 'separate')).toBe('auto');
  });

  it('names option, value and rule when the type is wrong', () => {
    expect(() => backendIntegerOption(config, 'Bad', 1, { min: 0, max: 16_777_215 })).toThrow('Backend.Bad "x" is invalid: must be an integer 0..16777215');
    expect(() => backendIntegerOption(config, 'VNI', 1, { min: 0, max: 4 })).toThrow('Backend.VNI 5 is invalid: must be an integer 0..4');
    expect(() => backendBooleanOption(config, 'Mode', false)).toThrow('Backend.Mode "auto" is invalid: must be true or false');
    expect(() => backendStringOption(config, 'VNI', '')).toThrow('Backend.VNI 5 is invalid: must be a string');
  });

  it('keeps secret values out of errors', () => {
    expect(() => backendStringOption(config, 'PSK', '', { secret: true })).toThrow(/^Backend\.PSK is invalid: must be a string$/);
  });
});

describe('backendIntegerOption and number spelling', () => {
  const parse = (backend: string) => parseNetworkConfig(`{"Network":"10.0.0.0/8","Backend":{"Type":"vxlan",${backend}}}`).config;

  it.each(['1.0', '1e2', '1E0', '2.5e1', '100e-2'])('refuses a whole number written %s, as Go refuses it for an int field', (text) => {
    expect(() => backendIntegerOption(parse(`"VNI":${text}`), 'VNI', 1, { min: 0, max: 16_777_215 })).toThrow(
      `Backend.VNI ${text} is invalid: must be an integer written without a fraction or exponent`,
    );
  });

  it('refuses the spelling even when a later key of the same name overrides it (Go fails on the first)', () => {
    expect(() => backendIntegerOption(parse('"vni":1.0,"VNI":2'), 'VNI', 1, { min: 0, max: 16_777_215 })).toThrow('Backend.VNI 1.0 is invalid');
  });

  it('accepts integers as written and leaves other options alone', () => {
    const config = parse('"VNI":100,"Port":0,"Other":1.5');
    expect(backendIntegerOption(config, 'VNI', 1, { min: 0, max: 16_777_215 })).toBe(100);
    expect(backendIntegerOption(config, 'Port', 1, { min: 0, max: 65_535 })).toBe(0);
    expect(backendOption(config, 'Other')).toBe(1.5);
  });

  it('keeps the spelling on a spread copy of the Backend object, and out of its keys', () => {
    const config = parse('"MTU":1400.0');
    expect(Object.keys(config.backend)).toEqual(['Type', 'MTU']);
    expect(JSON.stringify(config.backend)).toBe('{"Type":"vxlan","MTU":1400}');
    expect(() => backendIntegerOption({ backend: { ...config.backend } }, 'MTU', 0, { min: 0, max: 65_535 })).toThrow('Backend.MTU 1400.0 is invalid');
  });
});
