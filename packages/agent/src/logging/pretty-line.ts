// A small human-readable rendering of the daemon's JSON log lines, in klog's spirit:
// `I1122 01:54:03.123456 Using interface with name eth0 iface=eth0`.

const LETTERS: Readonly<Record<number, string>> = { 10: 'T', 20: 'D', 30: 'I', 40: 'W', 50: 'E', 60: 'F' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

const two = (value: number): string => String(value).padStart(2, '0');

function timestamp(time: number): string {
  const date = new Date(time);
  const micros = String(date.getMilliseconds() * 1000).padStart(6, '0');
  return `${two(date.getMonth() + 1)}${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${micros}`;
}

/**
 * The text of an error-like field (serialized as `{ type, message, stack, cause? }`): its message followed
 * by each cause's message (`: `-separated) that the text does not already contain.
 */
function errorMessage(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { message } = value as { message?: unknown };
  if (typeof message !== 'string') return undefined;
  let text = message;
  let cause = (value as { cause?: unknown }).cause;
  for (let depth = 0; depth < 8 && typeof cause === 'object' && cause !== null; depth += 1) {
    const inner = (cause as { message?: unknown }).message;
    if (typeof inner === 'string' && inner !== '' && !text.includes(inner)) text = text === '' ? inner : `${text}: ${inner}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return text;
}

function showField(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/u.test(value) ? value : JSON.stringify(value);
  const message = errorMessage(value);
  if (message !== undefined) return JSON.stringify(message);
  return JSON.stringify(value) ?? String(value);
}

/**
 * Whether a field only repeats the line's message: an error whose message is the line's message, or
 * its end after `: ` (`logger.error({ err }, \`Failed to X: ${err.message}\`)`). Only the message
 * of an error is shown, so such a field adds nothing.
 */
function repeatsMessage(value: unknown, line: string): boolean {
  const message = errorMessage(value);
  if (message === undefined || message === '') return false;
  return line === message || line.endsWith(`: ${message}`);
}

/**
 * Renders one JSON log line for a terminal. Lines that are not JSON pass through unchanged.
 * Fields other than level/time/pid/hostname/msg follow the message as `key=value`; an error field
 * (shown by its message) is left out when the line's message already ends with that message.
 */
export function formatPrettyLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null) return line;
  const letter = LETTERS[Number(record.level)] ?? '?';
  const time = typeof record.time === 'number' ? timestamp(record.time) : '';
  const message = typeof record.msg === 'string' ? record.msg : '';
  const fields = Object.entries(record)
    .filter(([key, value]) => !HIDDEN.has(key) && !repeatsMessage(value, message))
    .map(([key, value]) => `${key}=${showField(value)}`);
  return `${letter}${time} ${[message, ...fields].filter((part) => part !== '').join(' ')}\n`;
}
