import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';
import { formatPrettyLine } from './pretty-line.js';
import { redactText, redactUrlCredentials } from './redact-text.js';
import { verbosityToLevel } from './verbosity.js';

const capture = (): { lines: string[]; destination: { write: (text: string) => void } } => {
  const lines: string[] = [];
  return { lines, destination: { write: (text: string) => void lines.push(text) } };
};

describe('verbosityToLevel', () => {
  it.each([[0, 'info'], [1, 'debug'], [3, 'debug'], [4, 'trace'], [10, 'trace']] as const)('maps -v %i to %s', (v, level) => {
    expect(verbosityToLevel(v)).toBe(level);
  });
});

describe('createLogger', () => {
  it('writes JSON lines at the chosen level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', destination, pretty: false });
    logger.debug('hidden');
    logger.info({ iface: 'eth0' }, 'Using interface');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 30, msg: 'Using interface', iface: 'eth0' });
  });

  it('redacts secrets at the top level and one level down', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'trace', destination, pretty: false });
    logger.info({ etcdPassword: 'hunter2', options: { etcdPassword: 'hunter3', psk: 'k' }, password: 'p' }, 'config');
    const line = lines.join('');
    expect(line).not.toMatch(/hunter|"k"|"p"/u);
    expect(JSON.parse(line)).toMatchObject({ etcdPassword: '[REDACTED]', options: { etcdPassword: '[REDACTED]', psk: '[REDACTED]' } });
  });

  it('redacts credentials embedded in URLs anywhere in a line, in both forms', () => {
    for (const pretty of [false, true]) {
      const { lines, destination } = capture();
      const logger = createLogger({ level: 'info', destination, pretty });
      logger.warn({ endpoints: ['https://root:hunter2@10.0.0.1:2379'] }, 'Name resolution failed for target dns:root:hunter2@10.0.0.1:2379');
      logger.error({ err: new Error('connect http://a:hunter2@h:1 refused') }, 'etcd failed');
      const text = lines.join('');
      expect(text).not.toContain('hunter2');
      expect(text).toContain('https://[REDACTED]@10.0.0.1:2379');
    }
  });

  it('redacts the given secrets verbatim, also when JSON escapes them', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', destination, pretty: false, secrets: ['pa"ss\\word', ''] });
    logger.info(`login with pa"ss\\word failed`);
    const text = lines.join('');
    expect(text).not.toContain('ss');
    expect(JSON.parse(text)).toMatchObject({ msg: 'login with [REDACTED] failed' });
  });

  it('writes the human form when pretty', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', destination, pretty: true }).warn({ path: '/run/x' }, 'Wrote subnet file');
    expect(lines[0]).toMatch(/^W\d{4} \d\d:\d\d:\d\d\.\d{6} Wrote subnet file path=\/run\/x\n$/u);
  });
});

describe('redactUrlCredentials', () => {
  it.each([
    ['dial https://root:hunter2@10.0.0.1:2379 failed', 'dial https://[REDACTED]@10.0.0.1:2379 failed'],
    ['endpoint http://root@etcd:2379', 'endpoint http://[REDACTED]@etcd:2379'],
    ['"git+ssh://u:hunter2@h/x"', '"git+ssh://[REDACTED]@h/x"'],
    // gRPC targets built from an endpoint with userinfo: `dns:host`, `dns:///host`, `dns://authority/host`.
    ['Name resolution failed for target dns:root:hunter2@10.0.0.1:2379', 'Name resolution failed for target dns:[REDACTED]@10.0.0.1:2379'],
    ['target dns:///root:hunter2@10.0.0.1:2379', 'target dns:///[REDACTED]@10.0.0.1:2379'],
    ['target dns://8.8.8.8/root:hunter2@etcd:2379', 'target dns://8.8.8.8/[REDACTED]@etcd:2379'],
  ])('redacts the userinfo of a URL or gRPC target: %s', (text, redacted) => {
    expect(redactUrlCredentials(text)).toBe(redacted);
  });

  it.each([
    'lease attrs key:value@host kept',
    'VtepMAC:aa:bb:cc:dd:ee:ff@vxlan.1',
    'user:alice@example.org is not a URL',
    'label=app:web@v2, mailto-like name:x@y',
    'path /a:b@c and http://host/p:q@r (an @ in a path is not userinfo)',
  ])('leaves `word:x@y` text that is not URL userinfo alone: %s', (text) => {
    expect(redactUrlCredentials(text)).toBe(text);
  });

  it('still redacts a known secret wherever it appears, URL or not', () => {
    expect(redactText('key:hunter2@host', ['hunter2'])).toBe('key:[REDACTED]@host');
  });
});

describe('formatPrettyLine', () => {
  it('renders level letter, time, message and fields', () => {
    const time = new Date(2026, 5, 29, 14, 28, 35, 866).getTime();
    expect(formatPrettyLine(JSON.stringify({ level: 30, time, pid: 1, msg: 'Subnet added', subnet: '10.5.3.0/24', note: 'a b', err: { message: 'boom' } }))).toBe(
      'I0629 14:28:35.866000 Subnet added subnet=10.5.3.0/24 note="a b" err="boom"\n',
    );
  });

  it('leaves out an error field whose message the line already shows', () => {
    const time = new Date(2026, 5, 29, 14, 28, 35, 866).getTime();
    const err = { type: 'FlannelError', message: 'lease 10.5.3.0-24: PublicIP 1 is invalid', stack: 'FlannelError: …', code: 'LEASE_INVALID' };
    expect(formatPrettyLine(JSON.stringify({ level: 50, time, msg: err.message, err }))).toBe('E0629 14:28:35.866000 lease 10.5.3.0-24: PublicIP 1 is invalid\n');
    expect(formatPrettyLine(JSON.stringify({ level: 40, time, msg: 'Failed to write subnet file: EACCES', err: { message: 'EACCES' }, path: '/run/x' }))).toBe(
      'W0629 14:28:35.866000 Failed to write subnet file: EACCES path=/run/x\n',
    );
    // Kept when the line does not already end with it.
    expect(formatPrettyLine(JSON.stringify({ level: 40, time, msg: 'periodic check stopped', err: { message: 'stopped' } }))).toBe(
      'W0629 14:28:35.866000 periodic check stopped err="stopped"\n',
    );
    expect(formatPrettyLine(JSON.stringify({ level: 40, time, msg: 'EACCES here', err: { message: 'EACCES' } }))).toBe(
      'W0629 14:28:35.866000 EACCES here err="EACCES"\n',
    );
  });

  it('shows the causes an error field carries, unless the text already has them', () => {
    const time = new Date(2026, 5, 29, 14, 28, 35, 866).getTime();
    const err = { message: 'etcd request failed', cause: { message: 'connect ECONNREFUSED 127.0.0.1:2379', cause: { message: 'etcd request failed' } } };
    expect(formatPrettyLine(JSON.stringify({ level: 40, time, msg: 'Failed to get network config: etcd request failed', err }))).toBe(
      'W0629 14:28:35.866000 Failed to get network config: etcd request failed err="etcd request failed: connect ECONNREFUSED 127.0.0.1:2379"\n',
    );
    const repeated = { message: 'read failed: EIO', cause: { message: 'EIO' } };
    expect(formatPrettyLine(JSON.stringify({ level: 40, time, msg: 'Failed: read failed: EIO', err: repeated }))).toBe(
      'W0629 14:28:35.866000 Failed: read failed: EIO\n',
    );
  });

  it('passes non-JSON through', () => {
    expect(formatPrettyLine('plain\n')).toBe('plain\n');
  });
});
