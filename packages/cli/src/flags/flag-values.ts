// Go's flag value syntax: strconv.ParseBool and strconv.ParseInt(s, 0, 64).

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's `strconv.ParseBool`: `undefined` when the text is not a boolean. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return undefined;
}

const GO_INT = /^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/u;

/**
 * Go's `strconv.ParseInt(text, 0, 64)` as the `flag` package uses it: decimal, `0x`/`0o`/`0b` prefixes,
 * and a leading `0` meaning octal. `undefined` when not an integer or beyond ±2^53.
 */
export function parseGoInt(text: string): number | undefined {
  if (!GO_INT.test(text)) return undefined;
  const negative = text.startsWith('-');
  const body = text.replace(/^[+-]/u, '');
  let value: number;
  if (/^0[xX]/u.test(body)) value = parseInt(body.slice(2), 16);
  else if (/^0[oO]/u.test(body)) value = parseInt(body.slice(2), 8);
  else if (/^0[bB]/u.test(body)) value = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body.startsWith('0')) value = parseInt(body.slice(1), 8);
  else value = parseInt(body, 10);
  if (!Number.isSafeInteger(value)) return undefined;
  return negative ? -value : value;
}

/** A value as shown in messages: bare when plain, JSON-quoted otherwise. */
export function showValue(text: string): string {
  return /^[\w.:/@,+=-]+$/u.test(text) ? text : JSON.stringify(text);
}
