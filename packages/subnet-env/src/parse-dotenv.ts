// A dotenv reader with the godotenv rules flanneld relies on when it reads subnet.env back:
// `#` comments and blank lines, an optional `export ` prefix, `KEY=value` or `KEY: value`,
// single quotes (literal), double quotes (\n, \r, \\, \" escapes; may span lines), unquoted values
// cut at ` #` and trimmed, CRLF line ends, the last duplicate wins.
// Deliberately not supported: `$VAR` expansion (subnet.env never uses it; `$` is kept literally).
import { SubnetEnvError } from './subnet-env-error.js';

const KEY_CHAR = /[\p{L}\p{N}_.]/u;

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\v' || char === '\f';
}

function unescapeDouble(raw: string): string {
  return raw.replace(/\\(.)/gsu, (_match, char: string) => (char === 'n' ? '\n' : char === 'r' ? '\r' : char));
}

/**
 * Parses dotenv text into an ordered map. Throws `SubnetEnvError` (`SUBNET_ENV_MALFORMED`) naming the
 * line and the problem when the text is not valid dotenv, as godotenv refuses the whole file.
 *
 * @example
 * ```ts
 * parseDotenv('export FLANNEL_MTU="1450" # comment\n').get('FLANNEL_MTU'); // '1450'
 * ```
 */
export function parseDotenv(input: string, path?: string): Map<string, string> {
  const where = path === undefined ? '' : `${path}: `;
  const malformed = (line: number, message: string): SubnetEnvError =>
    new SubnetEnvError('SUBNET_ENV_MALFORMED', `${where}line ${line}: ${message}`, { path, line });
  if (input.includes('\0')) {
    const line = input.slice(0, input.indexOf('\0')).split('\n').length;
    throw malformed(line, 'contains a NUL byte (not a text file)');
  }
  const text = input.replace(/^\uFEFF/u, '').replace(/\r\n/gu, '\n');
  const values = new Map<string, string>();
  let position = 0;
  let line = 1;
  const length = text.length;

  while (position < length) {
    const char = text[position] as string;
    if (char === '\n') {
      line += 1;
      position += 1;
      continue;
    }
    if (isBlank(char) || char === '\r') {
      position += 1;
      continue;
    }
    if (char === '#') {
      while (position < length && text[position] !== '\n') position += 1;
      continue;
    }
    // Key.
    if (text.startsWith('export', position) && isBlank(text[position + 6])) {
      position += 6;
      while (isBlank(text[position])) position += 1;
    }
    const keyStart = position;
    while (position < length && KEY_CHAR.test(text[position] as string)) position += 1;
    const key = text.slice(keyStart, position);
    while (isBlank(text[position])) position += 1;
    const separator = text[position];
    if (key === '' || (separator !== '=' && separator !== ':')) {
      const found = separator === undefined || separator === '\n' ? 'end of line' : JSON.stringify(separator);
      throw malformed(line, key === '' ? `expected a variable name, found ${found}` : `expected '=' after ${key}, found ${found}`);
    }
    position += 1;
    while (isBlank(text[position])) position += 1;

    // Value.
    const quote = text[position];
    let value: string;
    if (quote === '"' || quote === "'") {
      const startLine = line;
      let end = position + 1;
      while (end < length && text[end] !== quote) {
        if (text[end] === '\\' && quote === '"') end += 1;
        end += 1;
      }
      if (end >= length) throw malformed(startLine, `unterminated ${quote === '"' ? 'double' : 'single'}-quoted value for ${key}`);
      const raw = text.slice(position + 1, end);
      line += raw.split('\n').length - 1;
      value = quote === '"' ? unescapeDouble(raw) : raw;
      position = end + 1;
      while (isBlank(text[position])) position += 1;
      if (position < length && text[position] !== '\n' && text[position] !== '#') {
        throw malformed(line, `unexpected ${JSON.stringify(text[position])} after the quoted value of ${key}`);
      }
      while (position < length && text[position] !== '\n') position += 1;
    } else {
      let end = position;
      while (end < length && text[end] !== '\n') {
        if (text[end] === '#' && end > position && isBlank(text[end - 1])) break;
        end += 1;
      }
      value = text.slice(position, end).replace(/[ \t\v\f\r]+$/u, '');
      position = end;
      while (position < length && text[position] !== '\n') position += 1;
    }
    values.set(key, value);
  }
  return values;
}
