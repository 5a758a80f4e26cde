import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeDelegate } from '../testing/fake-delegate.js';
import type { FakeDelegate, FakeDelegateOptions } from '../testing/fake-delegate.js';
import { processPluginExec } from '../skel/invoke.js';
import { pluginMain } from '../skel/skel.js';
import { flannelPlugin } from './flannel-plugin.js';

const fixture = (name: string): string => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');
const KUBE_ENV = 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n';

describe('flannel plugin with a recording delegate', () => {
  let dir: string;
  let bridge: FakeDelegate | undefined;
  let conf: Record<string, unknown>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flannel-ts-cni-'));
    writeFileSync(join(dir, 'subnet.env'), KUBE_ENV);
    conf = { cniVersion: '0.3.1', name: 'cbr0', type: 'flannel', subnetFile: join(dir, 'subnet.env'), dataDir: join(dir, 'data'), delegate: { hairpinMode: true, isDefaultGateway: true } };
  });
  afterEach(() => {
    bridge?.remove();
    bridge = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (command: string, options: FakeDelegateOptions = {}, stdin: object = conf, containerId = 'pod1') => {
    bridge ??= createFakeDelegate(options);
    const out = { status: 0, stdout: '', stderr: '' };
    const env = { PATH: process.env['PATH'], CNI_COMMAND: command, CNI_CONTAINERID: containerId, CNI_NETNS: '/var/run/netns/pod', CNI_IFNAME: 'eth0', CNI_PATH: bridge.directory };
    const io = { env, readStdin: () => Buffer.from(JSON.stringify(stdin)), stdout: { write: (text: string | Uint8Array) => (out.stdout += String(text)) }, stderr: { write: (text: string | Uint8Array) => (out.stderr += String(text)) }, isOwnNetns: () => false };
    out.status = pluginMain(flannelPlugin({ env, stdout: io.stdout, stderr: io.stderr, exec: processPluginExec(io.stderr) }), io, 'about');
    return out;
  };
  const scratch = (id = 'pod1') => join(dir, 'data', id);

  it('ADD writes the scratch file as flannel\'s Go plugin (0600 in a 0700 dir) and sends the same bytes to bridge', () => {
    const result = run('ADD');
    expect(result.status).toBe(0);
    expect(readFileSync(scratch(), 'utf8')).toBe(fixture('go-scratch-kube-flannel.json'));
    expect(statSync(scratch()).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    expect(bridge!.calls()).toEqual([{ command: 'ADD', containerId: 'pod1', stdin: fixture('go-scratch-kube-flannel.json') }]);
  });

  it('ADD prints the delegate\'s result in the requested version', () => {
    const result = run('ADD');
    expect(result.stdout).toMatch(/^\{\n {4}"cniVersion": "0.3.1",\n {4}"interfaces": \[/);
    expect(JSON.parse(result.stdout)).toMatchObject({ ips: [{ version: '4', interface: 2, address: '10.1.17.2/24' }], dns: {} });
  });

  it('ADD with a missing subnet.env fails with flannel\'s message and leaves nothing behind', () => {
    rmSync(join(dir, 'subnet.env'));
    const result = run('ADD');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ code: 999, msg: `failed to load flannel 'subnet.env' file: open ${join(dir, 'subnet.env')}: no such file or directory. Check the flannel pod log for this node.` });
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(bridge!.calls()).toEqual([]);
  });

  it('ADD passes a delegate\'s CNI error through with its code, keeping the scratch file (written first)', () => {
    const result = run('ADD', { addStdout: '{"code":11,"msg":"try again","details":"lock"}', addExit: 1 });
    expect(JSON.parse(result.stdout)).toEqual({ code: 11, msg: 'try again', details: 'lock' });
    expect(existsSync(scratch())).toBe(true);
  });

  it('ADD reports a delegate that failed silently as libcni does (code 0)', () => {
    expect(JSON.parse(run('ADD', { addStdout: '', addExit: 3 }).stdout)).toEqual({ code: 0, msg: 'netplugin failed with no error message: exit status 3' });
    bridge!.remove();
    bridge = undefined;
    expect(JSON.parse(run('ADD', { addStdout: '', addExit: 1, stderr: 'oops\n' }).stdout)).toEqual({ code: 0, msg: 'netplugin failed: "oops\\n"' });
  });

  it('ADD names a delegate missing from CNI_PATH', () => {
    const result = run('ADD', {}, { ...conf, delegate: { type: 'macvlan' } });
    expect(JSON.parse(result.stdout)).toEqual({ code: 999, msg: `failed to delegate add: failed to find plugin "macvlan" in path [${bridge!.directory}]` });
  });

  it('DEL deletes what flannel\'s Go plugin added: the stored bytes go to bridge unchanged and the file is removed', () => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(scratch('go-pod'), fixture('go-scratch-ipv4.json'), { mode: 0o600 });
    const result = run('DEL', {}, { ...conf, subnetFile: '/nonexistent/never-read' }, 'go-pod');
    expect(result).toMatchObject({ status: 0, stdout: '' });
    expect(bridge!.calls()).toEqual([{ command: 'DEL', containerId: 'go-pod', stdin: fixture('go-scratch-ipv4.json') }]);
    expect(existsSync(scratch('go-pod'))).toBe(false);
  });

  it('DEL is idempotent: a second DEL succeeds without calling the delegate', () => {
    run('ADD');
    expect(run('DEL').status).toBe(0);
    expect(run('DEL').status).toBe(0);
    expect(bridge!.calls().map((call) => call.command)).toEqual(['ADD', 'DEL']);
  });

  it('DEL removes the scratch file even when the delegate fails, and returns its error', () => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(scratch(), fixture('go-scratch-ipv4.json'));
    const result = run('DEL', { delStdout: '{"code":7,"msg":"bad"}', delExit: 1 });
    expect(JSON.parse(result.stdout)).toEqual({ code: 7, msg: 'bad' });
    expect(existsSync(scratch())).toBe(false);
  });

  it('DEL keeps an unparsable scratch file, says so on stderr and succeeds', () => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(scratch(), '{broken');
    const result = run('DEL');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("failed to parse netconf: invalid character 'b' looking for beginning of object key string");
    expect(existsSync(scratch())).toBe(true);
    expect(bridge!.calls()).toEqual([]);
  });

  it('CHECK succeeds without calling the delegate', () => {
    expect(run('CHECK', {}, { ...conf, cniVersion: '0.4.0' })).toMatchObject({ status: 0, stdout: '' });
    expect(bridge!.calls()).toEqual([]);
  });

  it('ADD refuses a bad delegate map before writing anything', () => {
    const result = run('ADD', {}, { ...conf, delegate: { name: 'x' } });
    expect(JSON.parse(result.stdout)).toEqual({ code: 999, msg: "'delegate' dictionary must not have 'name' field, it'll be set by flannel" });
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
