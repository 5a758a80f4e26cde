import { AGENT_DEFAULTS } from '@flannel-ts/agent';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDaemonOptions } from './daemon-options.js';

describe('parseDaemonOptions', () => {
  it('builds frozen, typed options with flannel defaults', () => {
    const { options, help, warnings } = parseDaemonOptions([], {});
    expect(help).toBe(false);
    expect(warnings).toEqual([]);
    expect(options).toMatchObject({
      etcdEndpoints: ['http://127.0.0.1:4001', 'http://127.0.0.1:2379'],
      etcdPrefix: '/coreos.com/network',
      iface: [],
      ifaceRegex: [],
      subnetFile: '/run/flannel/subnet.env',
      subnetLeaseRenewMarginMinutes: 60,
      ipMasq: false,
      ipMasqFullyRandomDisable: false,
      iptablesResyncSeconds: 5,
      iptablesForwardRules: true,
      ipBlackholeRoute: false,
      healthzIP: '0.0.0.0',
      healthzPort: 0,
      kubeSubnetMgr: false,
      kubeAnnotationPrefix: 'flannel.alpha.coreos.com',
      netConfigPath: '/etc/kube-flannel/net-conf.json',
      setNodeNetworkUnavailable: true,
      verbosity: 0,
      version: false,
    });
    expect(options.etcdPassword).toBeUndefined();
    expect(options.publicIP).toBeUndefined();
    expect(Object.isFrozen(options)).toBe(true);
    expect(Object.isFrozen(options.etcdEndpoints)).toBe(true);
    expect(Object.isFrozen(options.iface)).toBe(true);
  });

  it('maps every flag to its option', () => {
    const { options } = parseDaemonOptions(
      [
        '--etcd-endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379',
        '--etcd-prefix=/my/net',
        '--etcd-keyfile=/k.pem',
        '--etcd-certfile=/c.pem',
        '--etcd-cafile=/ca.pem',
        '--etcd-username=flannel',
        '--iface=eth0',
        '--iface-regex=^en',
        '--iface-can-reach=10.0.0.1',
        '--public-ip=192.0.2.1',
        '--public-ipv6=2001:db8::1',
        '--subnet-file=/tmp/s.env',
        '--subnet-lease-renew-margin=30',
        '--ip-masq',
        '--ip-masq-fully-random-disable',
        '--iptables-resync=10',
        '--iptables-forward-rules=false',
        '--ip-blackhole-route',
        '--healthz-ip=127.0.0.1',
        '--healthz-port=8471',
        '--kube-api-url=https://k:6443',
        '--kubeconfig-file=/k.conf',
        '--net-config-path=/n.json',
        '--set-node-network-unavailable=false',
        '-v=6',
      ],
      { FLANNELD_ETCD_PASSWORD: 'hunter2' },
    );
    expect(options).toMatchObject({
      etcdEndpoints: ['https://10.0.0.1:2379', 'https://10.0.0.2:2379'],
      etcdPrefix: '/my/net',
      etcdKeyFile: '/k.pem',
      etcdCertFile: '/c.pem',
      etcdCaFile: '/ca.pem',
      etcdUsername: 'flannel',
      iface: ['eth0'],
      ifaceRegex: ['^en'],
      ifaceCanReach: '10.0.0.1',
      publicIP: '192.0.2.1',
      publicIPv6: '2001:db8::1',
      subnetFile: '/tmp/s.env',
      subnetLeaseRenewMarginMinutes: 30,
      ipMasq: true,
      ipMasqFullyRandomDisable: true,
      iptablesResyncSeconds: 10,
      iptablesForwardRules: false,
      ipBlackholeRoute: true,
      healthzIP: '127.0.0.1',
      healthzPort: 8471,
      kubeApiUrl: 'https://k:6443',
      kubeconfigFile: '/k.conf',
      netConfigPath: '/n.json',
      setNodeNetworkUnavailable: false,
      verbosity: 6,
    });
    expect(options.etcdPassword?.reveal()).toBe('hunter2');
    expect(options.sources['etcd-password']).toBe('environment');
    expect(options.sources['ip-masq']).toBe('command-line');
  });

  it('redacts the etcd password in JSON, String and inspect', () => {
    const { options } = parseDaemonOptions(['--etcd-password', 'hunter2'], {});
    expect(JSON.stringify(options)).not.toContain('hunter2');
    expect(JSON.stringify(options)).toContain('"etcdPassword":"[REDACTED]"');
    expect(inspect(options, { depth: 5 })).not.toContain('hunter2');
    expect(`${String(options.etcdPassword)}`).toBe('[REDACTED]');
  });

  it('warns about half a TLS client identity and about ignored klog flags', () => {
    const { options, warnings } = parseDaemonOptions(['--etcd-keyfile=/k.pem', '--vmodule=x=2'], {});
    expect(options.etcdKeyFile).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringContaining('--etcd-keyfile and --etcd-certfile must be given together'),
      '--vmodule is accepted for compatibility but has no effect',
    ]);
  });
});

describe('parseDaemonOptions defaults', () => {
  it('match the agent defaults an embedder gets, field by field', () => {
    const { options } = parseDaemonOptions([], {});
    for (const [field, value] of Object.entries(AGENT_DEFAULTS)) expect([field, options[field as keyof typeof options]]).toEqual([field, value]);
  });
});
