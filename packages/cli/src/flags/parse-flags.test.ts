import { FlannelError } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { envVarName } from './flag-definition.js';
import { FLANNELD_FLAGS } from './flanneld-flags.js';
import { parseFlags } from './parse-flags.js';

const errorOf = (argv: string[], env: Record<string, string> = {}): FlannelError => {
  try {
    parseFlags(argv, env);
  } catch (error) {
    if (FlannelError.hasCode(error, 'FLAG_INVALID')) return error;
    throw error;
  }
  throw new Error('expected FLAG_INVALID');
};

describe('parseFlags', () => {
  it('gives every flag its flannel default when nothing is set', () => {
    const { values, sources } = parseFlags([], {});
    expect(Object.fromEntries(values)).toMatchObject({
      'etcd-endpoints': 'http://127.0.0.1:4001,http://127.0.0.1:2379',
      'etcd-prefix': '/coreos.com/network',
      'subnet-file': '/run/flannel/subnet.env',
      'subnet-lease-renew-margin': 60,
      'ip-masq': false,
      'iptables-resync': 5,
      'iptables-forward-rules': true,
      'healthz-ip': '0.0.0.0',
      'healthz-port': 0,
      'kube-annotation-prefix': 'flannel.alpha.coreos.com',
      'net-config-path': '/etc/kube-flannel/net-conf.json',
      'set-node-network-unavailable': true,
      iface: [],
      v: 0,
    });
    expect([...sources.values()].every((source) => source === 'default')).toBe(true);
    expect(values.size).toBe(FLANNELD_FLAGS.length);
  });

  it.each<[string, string[], string, unknown]>([
    ['single dash', ['-etcd-prefix', '/p'], 'etcd-prefix', '/p'],
    ['double dash', ['--etcd-prefix', '/p'], 'etcd-prefix', '/p'],
    ['equals', ['--etcd-prefix=/p'], 'etcd-prefix', '/p'],
    ['single dash equals', ['-etcd-prefix=/a=b'], 'etcd-prefix', '/a=b'],
    ['a value that starts with a dash', ['--etcd-prefix', '-x'], 'etcd-prefix', '-x'],
    ['bare bool', ['--ip-masq'], 'ip-masq', true],
    ['bool =false', ['--iptables-forward-rules=false'], 'iptables-forward-rules', false],
    ['bool =0', ['-ip-masq=0'], 'ip-masq', false],
    ['bool =T', ['-ip-masq=T'], 'ip-masq', true],
    ['int', ['--subnet-lease-renew-margin', '30'], 'subnet-lease-renew-margin', 30],
    ['int hex', ['--healthz-port=0x1f90'], 'healthz-port', 8080],
    ['klog -v', ['-v', '10'], 'v', 10],
    ['klog -v=', ['-v=4'], 'v', 4],
    ['repeated list', ['--iface', 'eth0', '-iface=10.0.0.1', '--iface', 'eth1'], 'iface', ['eth0', '10.0.0.1', 'eth1']],
    ['repeated regex', ['--iface-regex', '^en', '--iface-regex=eth\\-[0-9]'], 'iface-regex', ['^en', 'eth\\-[0-9]']],
    ['last repeated scalar wins', ['--etcd-prefix=/a', '--etcd-prefix=/b'], 'etcd-prefix', '/b'],
    ['flags after --', ['--ip-masq', '--'], 'ip-masq', true],
  ])('accepts %s', (_name, argv, flag, value) => {
    const parsed = parseFlags(argv, {});
    expect(parsed.values.get(flag)).toEqual(value);
    expect(parsed.sources.get(flag)).toBe('command-line');
  });

  it.each([['-h'], ['--help'], ['-help']])('recognises %s as a help request', (flag) => {
    expect(parseFlags([flag], {}).help).toBe(true);
  });

  it('reads FLANNELD_<NAME> for every flag not on the command line', () => {
    const parsed = parseFlags(['--etcd-prefix=/cli'], {
      FLANNELD_ETCD_PREFIX: '/env',
      FLANNELD_ETCD_ENDPOINTS: 'http://10.0.0.1:2379',
      FLANNELD_IP_MASQ: 'true',
      FLANNELD_IFACE: 'eth9',
      FLANNELD_SUBNET_LEASE_RENEW_MARGIN: '30',
      FLANNELD_KUBE_SUBNET_MGR: '1',
      FLANNELD_V: '2',
      FLANNELD_LOG_BACKTRACE_AT: 'x.go:1',
      FLANNELD_PUBLIC_IP: '',
    });
    expect(parsed.values.get('etcd-prefix')).toBe('/cli');
    expect(parsed.sources.get('etcd-prefix')).toBe('command-line');
    expect(parsed.values.get('etcd-endpoints')).toBe('http://10.0.0.1:2379');
    expect(parsed.sources.get('etcd-endpoints')).toBe('environment');
    expect(parsed.values.get('ip-masq')).toBe(true);
    expect(parsed.values.get('iface')).toEqual(['eth9']);
    expect(parsed.values.get('subnet-lease-renew-margin')).toBe(30);
    expect(parsed.values.get('kube-subnet-mgr')).toBe(true);
    expect(parsed.values.get('v')).toBe(2);
    expect(parsed.values.get('log_backtrace_at')).toBe('x.go:1');
    expect(parsed.sources.get('public-ip')).toBe('default');
  });

  it('accepts etcd endpoints without a scheme (host:port, as etcdctl and clientv3)', () => {
    const parsed = parseFlags(['--etcd-endpoints=10.0.0.1:2379,etcd-2.example:2379,https://10.0.0.3:2379'], {});
    expect(parsed.values.get('etcd-endpoints')).toBe('10.0.0.1:2379,etcd-2.example:2379,https://10.0.0.3:2379');
  });

  it('lets a command-line list replace the environment list, not extend it', () => {
    expect(parseFlags(['--iface=eth0'], { FLANNELD_IFACE: 'eth9' }).values.get('iface')).toEqual(['eth0']);
  });

  it('names the environment variable of every flag as flagutil does', () => {
    expect(envVarName('etcd-endpoints')).toBe('FLANNELD_ETCD_ENDPOINTS');
    expect(envVarName('log_backtrace_at')).toBe('FLANNELD_LOG_BACKTRACE_AT');
    expect(envVarName('v')).toBe('FLANNELD_V');
  });

  it.each<[string, string[], Record<string, string>, string]>([
    ['unknown flag', ['--etcd-endpoint', 'x'], {}, 'unknown flag --etcd-endpoint (see flannel-ts --help)'],
    ['missing value', ['--etcd-prefix'], {}, '--etcd-prefix needs a value'],
    ['margin 0', ['--subnet-lease-renew-margin', '0'], {}, '--subnet-lease-renew-margin 0 is invalid: must be 1..1439'],
    ['margin 1440', ['--subnet-lease-renew-margin=1440'], {}, '--subnet-lease-renew-margin 1440 is invalid: must be 1..1439'],
    ['margin from env', [], { FLANNELD_SUBNET_LEASE_RENEW_MARGIN: '0' }, 'FLANNELD_SUBNET_LEASE_RENEW_MARGIN 0 is invalid: must be 1..1439'],
    ['not an int', ['--healthz-port', 'eighty'], {}, '--healthz-port eighty is invalid: must be an integer'],
    ['port range', ['--healthz-port', '70000'], {}, '--healthz-port 70000 is invalid: must be 0..65535'],
    ['resync 0', ['--iptables-resync=0'], {}, '--iptables-resync 0 is invalid: must be 1..86400'],
    ['bad bool', ['--ip-masq=yes'], {}, '--ip-masq yes is invalid: must be true or false'],
    ['bad bool env', [], { FLANNELD_IP_MASQ: 'yes' }, 'FLANNELD_IP_MASQ yes is invalid: must be true or false'],
    ['public ip', ['--public-ip', '10.0.0.300'], {}, '--public-ip 10.0.0.300 is invalid: must be an IPv4 address'],
    ['public ipv6 given v4', ['--public-ipv6', '10.0.0.1'], {}, '--public-ipv6 10.0.0.1 is invalid: must be an IPv6 address'],
    ['public ip unspecified', ['--public-ip', '0.0.0.0'], {}, '--public-ip 0.0.0.0 is invalid: must be an address other nodes can reach, not the unspecified address'],
    ['public ip loopback from env', [], { FLANNELD_PUBLIC_IP: '127.0.0.1' }, 'FLANNELD_PUBLIC_IP 127.0.0.1 is invalid: must be an address other nodes can reach, not a loopback address'],
    ['public ip multicast', ['--public-ip=224.0.0.1'], {}, 'not a multicast address'],
    ['public ipv6 link-local', ['--public-ipv6=fe80::1'], {}, '--public-ipv6 fe80::1 is invalid: must be an address other nodes can reach, not a link-local address'],
    ['healthz ip', ['--healthz-ip', 'localhost'], {}, '--healthz-ip localhost is invalid: must be an IP address'],
    ['can-reach', ['--iface-can-reach', 'example.com'], {}, '--iface-can-reach example.com is invalid: must be an IP address'],
    ['regex', ['--iface-regex', 'eth[0'], {}, '--iface-regex "eth[0" is invalid: must be a valid regular expression'],
    ['regex backreference', ['--iface-regex', '(eth)\\1'], {}, 'is invalid: must not use a backreference (\\1): Go\'s RE2'],
    ['regex lookbehind', ['--iface-regex', '(?<=br-)lab'], {}, 'is invalid: must not use a lookbehind "(?<="'],
    ['empty iface', ['--iface', ''], {}, '--iface "" is invalid: must not be empty'],
    ['endpoint scheme', ['--etcd-endpoints', 'ftp://x:1'], {}, '--etcd-endpoints ftp://x:1 is invalid: must use http://host:port, https://host:port or host:port ("ftp://x:1")'],
    ['endpoint unix socket', ['--etcd-endpoints', 'unix:///run/etcd.sock'], {}, 'is invalid: must use http://host:port, https://host:port or host:port ("unix:///run/etcd.sock")'],
    ['endpoint path', ['--etcd-endpoints', 'http://a:1,http://b:2/v3'], {}, '--etcd-endpoints http://a:1,http://b:2/v3 is invalid: must use http://host:port, https://host:port or host:port ("http://b:2/v3" has a path, query or fragment)'],
    ['endpoint query', ['--etcd-endpoints', 'b:2?x=1'], {}, 'must use http://host:port, https://host:port or host:port ("b:2?x=1" has a path, query or fragment)'],
    ['endpoint blank', ['--etcd-endpoints', 'http://a:1,,http://b:2'], {}, 'is invalid: must be a comma-separated list of http://host:port, https://host:port or host:port without blanks'],
    ['endpoint credentials without scheme', ['--etcd-endpoints', 'user:s3cret@h:1'], {}, 'an endpoint with credentials needs an http:// or https:// scheme (credentials in it are ignored, as by flanneld); give them with --etcd-username and --etcd-password'],
    ['annotation prefix', ['--kube-annotation-prefix', 'a/b/c'], {}, '--kube-annotation-prefix a/b/c is invalid: must contain at most one "/"'],
    ['annotation prefix no fqdn', ['--kube-annotation-prefix', 'org'], {}, '--kube-annotation-prefix org is invalid: must be in a format: fqdn/[0-9a-z-_]*'],
    ['annotation prefix upper case', ['--kube-annotation-prefix', 'example.com/Foo'], {}, '--kube-annotation-prefix example.com/Foo is invalid: must be in a format: fqdn/[0-9a-z-_]*'],
    ['verbosity', ['-v', '-1'], {}, '--v -1 is invalid: must be 0..100'],
    ['positional', ['eth0'], {}, 'unexpected argument eth0: flanneld takes no arguments'],
    ['bool then value', ['--ip-masq', 'false'], {}, 'unexpected argument false: flanneld takes no arguments (a bool flag takes its value after "=": --ip-masq=false)'],
    ['after --', ['--', 'x'], {}, 'unexpected argument x'],
    ['triple dash', ['---ip-masq'], {}, 'bad flag syntax: ---ip-masq'],
    ['bare =', ['-=x'], {}, 'bad flag syntax: -=x'],
  ])('rejects %s naming the flag, value and rule', (_name, argv, env, message) => {
    expect(errorOf(argv, env).message).toContain(message);
  });

  it.each([['user:s3cret@h:1'], ['http://a:1,admin:s3cret@h:1'], ['s3cret@h:1']])('names the credentials rule for --etcd-endpoints %s without its password', (value) => {
    const message = errorOf(['--etcd-endpoints', value], {}).message;
    expect(message).toContain('is invalid: must use http://host:port, https://host:port or host:port: an endpoint with credentials');
    expect(message).toContain('--etcd-username and --etcd-password');
    expect(message).not.toContain('s3cret');
  });

  // Secrets are hidden where they stand in the value; a flag name, the rule's words or another entry equal to
  // a user name or password stays readable.
  it.each([
    ['a user name equal to part of a flag name', 'http://a:1,user:s3cret@h:1', '--etcd-endpoints "http://a:1,user:[REDACTED]@h:1" is invalid'],
    ['a password equal to part of a flag name', 'http://u:etcd@h:99999', '--etcd-endpoints "http://u:[REDACTED]@h:99999" is invalid'],
    ['a password equal to a word of the rule', 'http://u:host@h:99999', 'must be a comma-separated list of http://host:port, https://host:port or host:port ("http://u:[REDACTED]@h:99999" is not one)'],
    ['a user name equal to another endpoint', 'http://alice:1,http://alice:s3cret@h:99999', '--etcd-endpoints "http://alice:1,http://alice:[REDACTED]@h:99999" is invalid'],
  ])('hides only the password: %s', (_name, value, expected) => {
    const message = errorOf(['--etcd-endpoints', value]).message;
    expect(message).toContain(expected);
  });

  it('keeps --etcd-username readable when an endpoint carries the same user name', () => {
    const message = errorOf(['--etcd-endpoints', 'http://h:1,user:s3cret@h:1']).message;
    expect(message).toContain('give them with --etcd-username and --etcd-password');
    expect(message).not.toContain('s3cret');
  });

  it.each([
    ['a quoted endpoint split off a password holding a comma', ['--etcd-endpoints', 'http://u:s3,cret@h:1'], '("http://u:[REDACTED]" is not one)'],
    ['a secret flag written with a bad syntax', ['---etcd-password=s3cret'], 'bad flag syntax: ---etcd-password=[REDACTED]'],
    ['a stray argument', ['http://u:s3cret@h'], 'unexpected argument "http://u:[REDACTED]@h"'],
    ['a stray argument after a bool flag, and its hint', ['--ip-masq', 'http://u:s3cret@h'], '(a bool flag takes its value after "=": --ip-masq=http://u:[REDACTED]@h)'],
    ['a stray argument after --', ['--', 'http://u:s3cret@h'], 'unexpected argument "http://u:[REDACTED]@h"'],
    ['an unknown flag', ['--http://u:s3cret@h'], 'unknown flag --http://u:[REDACTED]@h'],
    ['an endpoint from the environment', [], 'FLANNELD_ETCD_ENDPOINTS "user:[REDACTED]@h:1" is invalid'],
  ])('never shows a password: %s', (_name, argv, expected) => {
    const message = errorOf(argv, { FLANNELD_ETCD_ENDPOINTS: 'user:s3cret@h:1' }).message;
    expect(message).toContain(expected);
    expect(message).not.toMatch(/s3|cret/u);
  });

  it('never shows a secret value in an error', () => {
    const table = [
      { name: 'pin', kind: 'int', group: 'etcd', defaultValue: 0, usage: 'a secret number', secret: true },
      { name: 'token', kind: 'string', group: 'etcd', defaultValue: '', usage: 'a secret', secret: true, validate: () => 'must be long' },
    ] as const;
    for (const [argv, env] of [
      [['--pin', 'hunter2'], {}],
      [['--token=hunter2'], {}],
      [[], { FLANNELD_PIN: 'hunter2' }],
    ] as const) {
      let message = '';
      try {
        parseFlags(argv, env, table);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('[REDACTED] is invalid');
      expect(message).not.toContain('hunter2');
    }
  });
});
