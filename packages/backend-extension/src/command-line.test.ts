import { describe, expect, it } from 'vitest';
import { commandArgv, expandVariables, splitCommandFields, trimGoSpace } from './command-line.js';

describe('splitCommandFields', () => {
  it.each([
    { name: 'runs of spaces and tabs separate fields', command: ' /bin/add.sh \t $SUBNET  ', fields: ['/bin/add.sh', '$SUBNET'] },
    { name: 'quotes are literal (no shell)', command: `/bin/x "a b" 'c'`, fields: ['/bin/x', '"a', 'b"', "'c'"] },
    { name: 'shell operators are plain fields', command: '/bin/a && /bin/b; c | d', fields: ['/bin/a', '&&', '/bin/b;', 'c', '|', 'd'] },
    { name: 'Go white space (U+0085, U+00A0, U+3000) separates, U+FEFF does not', command: 'a\u0085b\u00a0c\u3000d\ufeffe', fields: ['a', 'b', 'c', 'd\ufeffe'] },
    { name: 'only white space gives no field', command: ' \n\t ', fields: [] },
  ])('$name', ({ command, fields }) => {
    expect(splitCommandFields(command)).toEqual(fields);
  });
});

describe('expandVariables (Go os.Expand)', () => {
  const variables = { SUBNET: '10.5.1.0/24', PUBLIC_IP: '192.168.1.2', A_1: 'x', '1': 'one', EMPTY: '' };
  it.each([
    { name: '$NAME is expanded', text: '$SUBNET', out: '10.5.1.0/24' },
    { name: '${NAME} is expanded inside a word', text: 'pre-${PUBLIC_IP}-post', out: 'pre-192.168.1.2-post' },
    { name: 'a name runs over letters, digits and underscore', text: '$A_1.b', out: 'x.b' },
    { name: 'an unknown variable becomes empty', text: 'a$NOPE-b', out: 'a-b' },
    { name: 'a set but empty variable is empty', text: '[$EMPTY]', out: '[]' },
    { name: 'a single digit after $ is a name', text: '$12', out: 'one2' },
    { name: 'a $ before a non-name character stays', text: 'a$%c$.d', out: 'a$%c$.d' },
    { name: 'a trailing $ stays', text: 'cost$', out: 'cost$' },
    { name: 'unterminated ${ is eaten', text: 'a${SUBNET', out: 'aSUBNET' },
    { name: '${} is eaten', text: 'a${}b', out: 'ab' },
    { name: 'no $ returns the text itself', text: 'plain', out: 'plain' },
  ])('$name', ({ text, out }) => {
    expect(expandVariables(text, variables)).toBe(out);
  });

  it('treats $- as the special variable "-" (unset → empty)', () => {
    expect(expandVariables('a$-b', {})).toBe('ab');
  });

  it('does not read inherited object properties as variables', () => {
    expect(expandVariables('$toString$constructor', {})).toBe('');
  });
});

describe('commandArgv', () => {
  it('splits first, then expands each field (a value with spaces stays one argument)', () => {
    expect(commandArgv('/bin/add.sh $V ${W}', { V: 'a b', W: '' })).toEqual(['/bin/add.sh', 'a b', '']);
  });
  it('expands argv[0] too', () => {
    expect(commandArgv('$DIR/add.sh', { DIR: '/etc/flannel' })).toEqual(['/etc/flannel/add.sh']);
  });
});

describe('trimGoSpace', () => {
  it('trims Go white space at both ends and keeps inner white space', () => {
    expect(trimGoSpace('\u00a0\n a  b \r\n\u0085')).toBe('a  b');
  });
  it('keeps U+FEFF, which Go does not count as space', () => {
    expect(trimGoSpace('\ufeffa ')).toBe('\ufeffa');
  });
});
