import { describe, expect, it } from 'vitest';
import { createJsonLineLogger, LOG_LEVEL_VALUES } from './json-line-logger.js';
import type { JsonLineLoggerOptions } from './json-line-logger.js';
import type { LogLevel } from './verbosity.js';

const setup = (level: LogLevel, options: Partial<JsonLineLoggerOptions> = {}) => {
  const lines: string[] = [];
  let clockReads = 0;
  const logger = createJsonLineLogger({
    level,
    write: (line) => void lines.push(line),
    now: () => (clockReads++, 1_700_000_000_123),
    base: { pid: 42 },
    ...options,
  });
  return { logger, lines, clockReads: () => clockReads, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

describe('createJsonLineLogger', () => {
  it('writes pino-compatible lines: level, time, base, fields, msg, newline', () => {
    const { logger, lines } = setup('trace');
    logger.info({ iface: 'eth0', mtu: 1450 }, 'Using interface');
    logger.warn('plain');
    expect(lines).toEqual([
      '{"level":30,"time":1700000000123,"pid":42,"iface":"eth0","mtu":1450,"msg":"Using interface"}\n',
      '{"level":40,"time":1700000000123,"pid":42,"msg":"plain"}\n',
    ]);
  });

  it("uses pino's numeric levels", () => {
    const { logger, records } = setup('trace');
    for (const name of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) logger[name](name);
    expect(records().map((record) => record.level)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(LOG_LEVEL_VALUES.silent).toBe(Number.POSITIVE_INFINITY);
  });

  it('does no work at all for a disabled level', () => {
    const { logger, lines, clockReads } = setup('warn');
    const fields = {
      get costly(): never {
        throw new Error('read a field of a disabled line');
      },
    };
    logger.info(fields, 'hidden');
    logger.debug(fields, 'hidden');
    logger.trace('hidden');
    expect(lines).toEqual([]);
    expect(clockReads()).toBe(0);
    expect(logger.info).toBe(logger.debug);
    expect([logger.isLevelEnabled('info'), logger.isLevelEnabled('warn'), logger.level]).toEqual([false, true, 'warn']);
  });

  it('writes nothing when silent', () => {
    const { logger, lines } = setup('silent');
    logger.fatal('x');
    expect(lines).toEqual([]);
  });

  it('merges child bindings, the call’s own fields winning', () => {
    const { logger, lines } = setup('info');
    const child = logger.child({ backend: 'vxlan', vni: 1 }).child({ vni: 2 });
    child.info({ peer: '10.0.0.2' }, 'added');
    child.info({ vni: 3 }, 'changed');
    logger.info('parent unchanged');
    expect(lines).toEqual([
      '{"level":30,"time":1700000000123,"pid":42,"backend":"vxlan","vni":2,"peer":"10.0.0.2","msg":"added"}\n',
      '{"level":30,"time":1700000000123,"pid":42,"backend":"vxlan","vni":3,"msg":"changed"}\n',
      '{"level":30,"time":1700000000123,"pid":42,"msg":"parent unchanged"}\n',
    ]);
  });

  it('keeps level, time, msg and base fields its own', () => {
    const { logger, lines } = setup('info');
    logger.child({ level: 'x' }).info({ time: 1, msg: 'spoof', pid: 7 }, 'real');
    expect(lines).toEqual(['{"level":30,"time":1700000000123,"pid":42,"msg":"real"}\n']);
  });

  it('censors the redact keys at the top level and one level down, without touching the caller’s objects', () => {
    const { logger, records } = setup('info', { redactKeys: ['password', 'psk'] });
    const options = { password: 'hunter2', name: 'a', deep: { psk: 'kept two levels down' } };
    logger.child({ psk: 'k' }).info({ options, password: 'p', list: [{ password: 'in an array' }] }, 'config');
    expect(records()[0]).toEqual({
      level: 30,
      time: 1700000000123,
      pid: 42,
      psk: '[REDACTED]',
      options: { password: '[REDACTED]', name: 'a', deep: { psk: 'kept two levels down' } },
      password: '[REDACTED]',
      list: [{ password: 'in an array' }],
      msg: 'config',
    });
    expect(options.password).toBe('hunter2');
  });

  it('censors the properties of a logged error like any field one level down', () => {
    const { logger, records } = setup('info', { redactKeys: ['password'] });
    logger.error({ err: Object.assign(new Error('auth failed'), { password: 'hunter2' }) }, 'etcd failed');
    expect(records()[0]?.err).toMatchObject({ type: 'Error', message: 'auth failed', password: '[REDACTED]' });
  });

  it('serializes errors pino-style under err and error, and error-like objects there too', () => {
    const { logger, records } = setup('info');
    const cause = new Error('ECONNREFUSED');
    logger.error({ err: new Error('dial failed', { cause }), error: { message: 'like an error', code: 'E' } }, 'x');
    expect(records()[0]).toMatchObject({
      err: { type: 'Error', message: 'dial failed', stack: expect.stringContaining('dial failed') as unknown, cause: { type: 'Error', message: 'ECONNREFUSED' } },
      error: { type: 'Object', message: 'like an error', code: 'E' },
    });
  });

  it('takes a bare error as pino does: as err, its message as the line’s', () => {
    const { logger, records } = setup('info');
    logger.error(new TypeError('boom') as unknown as Record<string, unknown>, undefined as unknown as string);
    expect(records()[0]).toMatchObject({ err: { type: 'TypeError', message: 'boom' }, msg: 'boom' });
  });

  it('never throws on circular references, BigInts or throwing getters', () => {
    const { logger, lines, records } = setup('info');
    const node: Record<string, unknown> = { revision: 5n };
    node.self = node;
    logger.info({ node }, 'cycle');
    logger.info(
      {
        get broken(): never {
          throw new Error('getter failed');
        },
      },
      'still logged',
    );
    expect(lines[0]).toBe('{"level":30,"time":1700000000123,"pid":42,"node":{"revision":5,"self":"[Circular]"},"msg":"cycle"}\n');
    expect(records()[1]).toEqual({ level: 30, time: 1700000000123, pid: 42, logError: 'fields not serializable: getter failed', msg: 'still logged' });
  });

  it('rejects an unknown level, naming it', () => {
    expect(() => createJsonLineLogger({ level: 'verbose' as LogLevel, write: () => {} })).toThrow(/log level "verbose" is invalid: must be one of trace, debug/u);
  });
});
