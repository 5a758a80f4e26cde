// A small human-readable rendering of pino's JSON lines, in klog's spirit:
// `I1122 01:54:03.123456 Using interface with name eth0 iface=eth0`.

const LETTERS: Readonly<Record<number, string>> = { 10: 'T', 20: 'D', 30: 'I', 40: 'W', 50: 'E', 60: 'F' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

const two = (value: number): string => String(value).padStart(2, '0');

function timestamp(time: number): string {
  const date = new Date(time);
  const micros = String(date.getMilliseconds() * 1000).padStart(6, '0');
  return `${two(date.getMonth() + 1)}${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${micros}`;
}

function showField(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/u.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') {
    return JSON.stringify((value as { message: string }).message);
  }
  return JSON.stringify(value) ?? String(value);
}

/**
 * Renders one pino JSON line for a terminal. Lines that are not JSON pass through unchanged.
 * Fields other than level/time/pid/hostname/msg follow the message as `key=value`.
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
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${showField(value)}`);
  const message = typeof record.msg === 'string' ? record.msg : '';
  return `${letter}${time} ${[message, ...fields].filter((part) => part !== '').join(' ')}\n`;
}
