import { describe, expect, it, vi } from 'vitest';
import { execCommand } from '@flannel-ts/testlab';
import type { ExecOptions, ExecResult } from '@flannel-ts/testlab';
import { cniAdd, cniDel, cniEnvironment, demoConflist, pluginNetworkConfig } from './demo-pods.js';
import type { CniCall } from './demo-pods.js';

const call: CniCall = { plugin: '/tmp/lab/cni-bin/flannel', conflist: demoConflist('/tmp/lab/h1'), containerId: 'h1-a', netns: 'ftabcd-h1-a' };

/** A recording fake of `LabHost.exec` that answers every call with `result`. */
function fakeExec(result: Partial<ExecResult>) {
  const calls: { command: string; args: readonly string[]; options: ExecOptions | undefined }[] = [];
  const exec = async (command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult> => {
    calls.push({ command, args, options });
    return { stdout: '', stderr: '', code: 0, ...result };
  };
  return { calls, exec };
}

describe('demoConflist', () => {
  it('names the host\'s own subnet.env, plugin dataDir and host-local store, never the system paths', () => {
    expect(demoConflist('/tmp/lab/h1')).toEqual({
      name: 'flannel-demo',
      cniVersion: '1.0.0',
      plugins: [{ type: 'flannel', subnetFile: '/tmp/lab/h1/subnet.env', dataDir: '/tmp/lab/h1/flannel', ipam: { dataDir: '/tmp/lab/h1/ipam' } }],
    });
  });
});

describe('pluginNetworkConfig', () => {
  it('sets the list\'s name and cniVersion on the plugin\'s config, as libcni does', () => {
    expect(pluginNetworkConfig(demoConflist('/d'))).toEqual({ type: 'flannel', subnetFile: '/d/subnet.env', dataDir: '/d/flannel', ipam: { dataDir: '/d/ipam' }, name: 'flannel-demo', cniVersion: '1.0.0' });
  });

  it('refuses a list that is not exactly one plugin', () => {
    expect(() => pluginNetworkConfig({ name: 'x', cniVersion: '1.0.0', plugins: [] })).toThrow('must hold exactly one plugin, not 0');
  });
});

describe('cniEnvironment', () => {
  it('passes the CNI_* variables, with the plugin\'s directory first in CNI_PATH and node\'s first in PATH', () => {
    expect(cniEnvironment('ADD', call, '/opt/node/bin')).toMatchObject({
      CNI_COMMAND: 'ADD',
      CNI_CONTAINERID: 'h1-a',
      CNI_NETNS: '/run/netns/ftabcd-h1-a',
      CNI_IFNAME: 'eth0',
      CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=h1-a',
      CNI_PATH: '/tmp/lab/cni-bin:/usr/lib/cni',
    });
    expect(cniEnvironment('DEL', call, '/opt/node/bin').PATH).toMatch(/^\/opt\/node\/bin:/);
  });

  it("keeps the demo's NODE_EXTRA_CA_CERTS and NODE_OPTIONS out of the plugin's process", async () => {
    vi.stubEnv('NODE_EXTRA_CA_CERTS', '/tmp/lab/kube-api-ca.pem');
    vi.stubEnv('NODE_OPTIONS', '--max-old-space-size=64');
    try {
      const { stdout } = await execCommand('env', [], { env: cniEnvironment('ADD', call, '/opt/node/bin'), check: true });
      const names = stdout.split('\n').map((line) => line.split('=')[0]);
      expect(names).toEqual(expect.arrayContaining(['CNI_COMMAND', 'CNI_PATH']));
      expect(names).not.toContain('NODE_EXTRA_CA_CERTS');
      expect(names).not.toContain('NODE_OPTIONS');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('cniAdd', () => {
  it('runs the plugin with the network config on stdin and returns the pod\'s IPv4 address', async () => {
    const fake = fakeExec({ stdout: JSON.stringify({ cniVersion: '1.0.0', ips: [{ address: 'fd00::2/64' }, { address: '10.5.3.2/24', gateway: '10.5.3.1' }] }) });
    expect(await cniAdd(fake.exec, call)).toBe('10.5.3.2');
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.command).toBe('/tmp/lab/cni-bin/flannel');
    expect(JSON.parse(fake.calls[0]!.options!.input!)).toMatchObject({ type: 'flannel', name: 'flannel-demo', subnetFile: '/tmp/lab/h1/subnet.env' });
    expect(fake.calls[0]!.options!.env).toMatchObject({ CNI_COMMAND: 'ADD' });
  });

  it('reports the plugin\'s CNI error JSON, naming the pod', async () => {
    const fake = fakeExec({ code: 1, stdout: '{"code":999,"msg":"failed to load flannel \'subnet.env\' file","details":"open /x: no such file or directory"}' });
    await expect(cniAdd(fake.exec, call)).rejects.toThrow("CNI ADD of h1-a in ftabcd-h1-a failed: failed to load flannel 'subnet.env' file: open /x: no such file or directory (CNI error code 999)");
  });

  it('refuses a result without an IPv4 address', async () => {
    const fake = fakeExec({ stdout: '{"cniVersion":"1.0.0","ips":[]}' });
    await expect(cniAdd(fake.exec, call)).rejects.toThrow('CNI ADD of h1-a returned no IPv4 address');
  });
});

describe('cniDel', () => {
  it('runs DEL with the same config and reports raw output when it is not CNI error JSON', async () => {
    const ok = fakeExec({});
    await cniDel(ok.exec, call);
    expect(ok.calls[0]!.options!.env).toMatchObject({ CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'h1-a' });
    await expect(cniDel(fakeExec({ code: 127, stderr: 'env: node: No such file or directory' }).exec, call)).rejects.toThrow('failed: env: node: No such file or directory');
  });
});
