import { describe, expect, it } from 'vitest';
import { parseGoBool, parseGoInt } from './flag-values.js';

describe('parseGoBool', () => {
  it.each([['1', true], ['t', true], ['T', true], ['TRUE', true], ['true', true], ['True', true], ['0', false], ['f', false], ['F', false], ['FALSE', false], ['false', false], ['False', false]])(
    'reads %s as strconv.ParseBool does',
    (text, value) => {
      expect(parseGoBool(text)).toBe(value);
    },
  );

  it.each(['yes', 'no', 'tRUE', '', ' true', 'on'])('rejects %j', (text) => {
    expect(parseGoBool(text)).toBeUndefined();
  });
});

describe('parseGoInt', () => {
  it.each([['60', 60], ['-5', -5], ['+7', 7], ['0', 0], ['0x10', 16], ['0X1f', 31], ['0o17', 15], ['010', 8], ['0b101', 5]])(
    'reads %s with base-0 prefixes as strconv.ParseInt(s, 0, 64)',
    (text, value) => {
      expect(parseGoInt(text)).toBe(value);
    },
  );

  it.each(['', '1.5', '1e3', '09', '0x', 'ten', ' 1', '99999999999999999999'])('rejects %j', (text) => {
    expect(parseGoInt(text)).toBeUndefined();
  });
});
