import { describe, expect, it } from 'vitest';
import { parseDotenv } from './parse-dotenv.js';
import { SubnetEnvError } from './subnet-env-error.js';

const parse = (text: string): Record<string, string> => Object.fromEntries(parseDotenv(text));

describe('parseDotenv', () => {
  it('reads plain KEY=VALUE lines', () => {
    expect(parse('A=1\nB=two\n')).toEqual({ A: '1', B: 'two' });
  });

  it('skips comments and blank lines, strips an export prefix and surrounding blanks', () => {
    expect(parse('# header\n\n  export A = 1  \n\t# indented comment\nexport\tB=2')).toEqual({ A: '1', B: '2' });
  });

  it('treats CRLF like LF', () => {
    expect(parse('A=1\r\nB=2\r\n')).toEqual({ A: '1', B: '2' });
  });

  it('cuts unquoted values at a blank-preceded # but keeps a # inside a word', () => {
    expect(parse('A=10.0.0.0/8 # comment\nB=x#y\n')).toEqual({ A: '10.0.0.0/8', B: 'x#y' });
  });

  it('reads single quotes literally and double quotes with escapes, across lines', () => {
    expect(parse(`A='a\\nb # c'\nB="x\\ny\\"z" # c\nC="multi\nline"\nD=after`)).toEqual({
      A: 'a\\nb # c',
      B: 'x\ny"z',
      C: 'multi\nline',
      D: 'after',
    });
  });

  it('accepts KEY: value, empty values, and keeps the last of duplicate keys', () => {
    expect(parse('A: 1\nB=\nA=3\n')).toEqual({ A: '3', B: '' });
  });

  it('keeps $ literally (no variable expansion)', () => {
    expect(parse('A=$HOME\n')).toEqual({ A: '$HOME' });
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(parse('\uFEFFA=1\n')).toEqual({ A: '1' });
  });

  it.each([
    ['A\n', "line 1: expected '=' after A, found end of line"],
    ['A=1\nB C=2\n', "line 2: expected '=' after B, found \"C\""],
    ['=1\n', "line 1: expected a variable name, found \"=\""],
    ['A=1\nB="open\n\n', 'line 2: unterminated double-quoted value for B'],
    ["A='x' y\n", 'unexpected "y" after the quoted value of A'],
    ['A=1\nB=\0\n', 'line 2: contains a NUL byte'],
    ['\u0001\u0002\u00ff=garbage', 'expected a variable name'],
  ])('rejects %j naming the line', (text, message) => {
    let caught: unknown;
    try {
      parseDotenv(text, '/run/x.env');
    } catch (error) {
      caught = error;
    }
    expect(SubnetEnvError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'SUBNET_ENV_MALFORMED', path: '/run/x.env' });
    expect((caught as Error).message).toContain(message);
    expect((caught as Error).message.startsWith('/run/x.env: ')).toBe(true);
  });

  it('survives random binary input: a map or a SubnetEnvError, nothing else', () => {
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 500; round += 1) {
      const bytes = Buffer.from(Array.from({ length: next() % 200 }, () => next() % 256));
      try {
        parseDotenv(bytes.toString('utf8'));
      } catch (error) {
        expect(SubnetEnvError.isInstance(error)).toBe(true);
      }
    }
  });
});
