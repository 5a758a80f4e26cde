import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { installCniCommand } from './install-cni.js';

function run(args: string[]): { status: number; stderr: string } {
  let stderr = '';
  const io: CliIo = { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env: {} };
  const status = installCniCommand(args, io);
  return { status, stderr: stderr.split('\n')[0]! };
}

describe('flannel-ts install-cni usage errors', () => {
  it.each([
    [['--bin-dir'], '--bin-dir needs a value'],
    [['--bin-dir', '--conf', 'x'], '--bin-dir needs a value'],
    [['--bin-dir='], '--bin-dir "" is invalid: must not be empty'],
    [['--conf', 'c.conflist'], '--bin-dir is required'],
    [['--bin-dir=/opt/cni/bin', '--kind=zip'], '--kind "zip" is invalid: must be sea or script'],
    [['--bin-dir=/opt/cni/bin', '--conf-dir=/etc/cni/net.d'], '--conf-dir needs --conf'],
    [['--bin-dir=/opt/cni/bin', 'extra'], 'unexpected argument "extra"'],
    [['--bin-dir=/opt/cni/bin', '--bogus=1'], 'unexpected argument "--bogus=1"'],
  ])('%j exits 2 with "%s"', (args, message) => {
    expect(run(args)).toEqual({ status: 2, stderr: `flannel-ts: install-cni: ${message}` });
  });
});
