import { describe, expect, it } from 'vitest';
import { CniError } from './cni-error.js';
import { pluginMain } from './skel.js';
import type { CmdArgs, CniFuncs } from './skel.js';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  calls: string[];
}

const ENV = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/var/run/netns/pod', CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin' };

function run(env: Record<string, string | undefined>, stdin = '{"cniVersion":"0.3.1","name":"cbr0","type":"flannel"}', funcs: Partial<CniFuncs> = {}, ownNetns = false): Run {
  const out = { status: 0, stdout: '', stderr: '', calls: [] as string[] };
  const record = (name: string) => (args: CmdArgs) => {
    out.calls.push(`${name} ${args.containerId}`);
  };
  out.status = pluginMain(
    { add: record('add'), del: record('del'), check: record('check'), ...funcs },
    { env, readStdin: () => Buffer.from(stdin), stdout: { write: (text) => (out.stdout += String(text)) }, stderr: { write: (text) => (out.stderr += String(text)) }, isOwnNetns: () => ownNetns },
    'CNI Plugin flannel version v0 (linux/amd64) commit x',
  );
  return out;
}

const error = (result: Run) => JSON.parse(result.stdout) as { code: number; msg: string; details?: string };

describe('pluginMain (skel)', () => {
  it('prints the about banner on stderr and exits 0 without CNI_COMMAND', () => {
    const result = run({});
    expect(result).toMatchObject({ status: 0, stdout: '' });
    expect(result.stderr).toBe('CNI Plugin flannel version v0 (linux/amd64) commit x\nCNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n');
  });

  it('prints VERSION without reading stdin', () => {
    const result = run({ CNI_COMMAND: 'VERSION' }, 'not json');
    expect(result.stdout).toBe('{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}\n');
  });

  it('prints errors as indented JSON on stdout, no trailing newline, exit 1', () => {
    const result = run({ ...ENV, CNI_NETNS: undefined, CNI_IFNAME: '' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('{\n    "code": 4,\n    "msg": "required env variables [CNI_NETNS,CNI_IFNAME] missing"\n}');
  });

  it('does not require CNI_NETNS for DEL', () => {
    expect(run({ ...ENV, CNI_COMMAND: 'DEL', CNI_NETNS: undefined })).toMatchObject({ status: 0, calls: ['del c1'] });
  });

  it('validates the container ID and interface name', () => {
    expect(error(run({ ...ENV, CNI_CONTAINERID: 'bad/id' }))).toEqual({ code: 4, msg: 'invalid characters in containerID', details: 'bad/id' });
    expect(error(run({ ...ENV, CNI_IFNAME: 'eth0123456789012' }))).toEqual({ code: 4, msg: 'interface name is too long', details: 'interface name should be less than 16 characters' });
    expect(error(run({ ...ENV, CNI_IFNAME: 'a b' }))).toEqual({ code: 4, msg: 'interface name contains / or : or whitespace characters' });
  });

  it('checks the config: JSON (6), a name (7), valid characters (7)', () => {
    expect(error(run(ENV, '{'))).toEqual({ code: 6, msg: 'error unmarshall network config: unexpected end of JSON input' });
    expect(error(run(ENV, '{"type":"flannel"}'))).toEqual({ code: 7, msg: 'missing network name' });
    // Not an object: Go names the anonymous struct skel decodes into.
    expect(error(run(ENV, '[{"name":"n"}]'))).toEqual({ code: 6, msg: 'error unmarshall network config: json: cannot unmarshal array into Go value of type struct { Name string "json:\\"name\\"" }' });
    expect(error(run(ENV, '{"name":5}'))).toEqual({ code: 6, msg: 'error unmarshall network config: json: cannot unmarshal number into Go struct field .name of type string' });
    expect(error(run(ENV, '{"name":"a b"}'))).toEqual({ code: 7, msg: 'invalid characters found in network name', details: 'a b' });
  });

  it('refuses an unsupported cniVersion with code 1 and the supported list', () => {
    expect(error(run(ENV, '{"cniVersion":"0.5.0","name":"n"}'))).toEqual({
      code: 1, msg: 'incompatible CNI versions', details: 'config is "0.5.0", plugin supports ["0.1.0" "0.2.0" "0.3.0" "0.3.1" "0.4.0" "1.0.0" "1.1.0"]',
    });
  });

  it('allows CHECK from 0.4.0 and GC/STATUS from 1.1.0 only', () => {
    expect(error(run({ ...ENV, CNI_COMMAND: 'CHECK' }))).toEqual({ code: 1, msg: 'config version does not allow CHECK' });
    expect(run({ ...ENV, CNI_COMMAND: 'CHECK' }, '{"cniVersion":"0.4.0","name":"n"}')).toMatchObject({ status: 0, calls: ['check c1'] });
    expect(error(run({ ...ENV, CNI_COMMAND: 'CHECK' }, '{"cniVersion":"9.0.0","name":"n"}'))).toEqual({ code: 1, msg: 'plugin version does not allow CHECK' });
    expect(error(run({ ...ENV, CNI_COMMAND: 'GC' }, '{"cniVersion":"1.0.0","name":"n"}'))).toEqual({ code: 1, msg: 'config version does not allow GC' });
    expect(error(run({ CNI_COMMAND: 'STATUS', CNI_PATH: '/x' }, '{"cniVersion":"0.4.0","name":"n"}'))).toEqual({ code: 1, msg: 'config version does not allow STATUS' });
    expect(run({ CNI_COMMAND: 'GC', CNI_PATH: '/x' }, '{"cniVersion":"1.1.0","name":"n"}')).toMatchObject({ status: 0, stdout: '', calls: [] });
    expect(run({ CNI_COMMAND: 'STATUS', CNI_PATH: '/x' }, '{"cniVersion":"1.1.0","name":"n"}')).toMatchObject({ status: 0, stdout: '' });
    expect(error(run({ ...ENV, CNI_COMMAND: 'CHECK' }, '{"cniVersion":"x.0","name":"n"}')).code).toBe(6);
  });

  it('refuses the plugin\'s own netns after the command ran (code 8), unless CNI_NETNS_OVERRIDE', () => {
    const own = run(ENV, undefined, {}, true);
    expect(own.calls).toEqual(['add c1']);
    expect(error(own)).toEqual({ code: 8, msg: "plugin's netns and netns from CNI_NETNS should not be the same" });
    expect(run({ ...ENV, CNI_NETNS_OVERRIDE: 'true' }, undefined, {}, true).status).toBe(0);
  });

  it('wraps a plain error as code 999 and keeps a CNI error\'s own code', () => {
    expect(error(run(ENV, undefined, { add: () => { throw new Error('boom'); } }))).toEqual({ code: 999, msg: 'boom' });
    expect(error(run(ENV, undefined, { add: () => { throw new CniError(11, 'busy', 'later'); } }))).toEqual({ code: 11, msg: 'busy', details: 'later' });
  });

  it('refuses an unknown command with code 4', () => {
    expect(error(run({ ...ENV, CNI_COMMAND: 'FOO' }))).toEqual({ code: 4, msg: 'unknown CNI_COMMAND: FOO' });
  });
});
