// flanneld's command-line flags (flannel main.go init()), with flannel's names, defaults and help.
import { kubeAnnotationPrefixRule } from '@flannel-ts/subnet-kube';
import type { FlagDefinition } from './flag-definition.js';
import { etcdEndpoints, intRange, ipAddress, nonEmpty, nonEmptyEntries, optionalIp, optionalPublicIp, regexEntries } from './flag-rules.js';

const define = <T extends FlagDefinition>(definition: T): T => definition;

/**
 * Every flag flanneld accepts, in help order. The daemon's options come from this table only.
 * Each is also read from `FLANNELD_<NAME>` when not given on the command line.
 */
export const FLANNELD_FLAGS: readonly FlagDefinition[] = Object.freeze([
  // etcd
  define({ name: 'etcd-endpoints', kind: 'string', group: 'etcd', valueName: 'URLS', defaultValue: 'http://127.0.0.1:4001,http://127.0.0.1:2379', usage: 'a comma-delimited list of etcd endpoints', validate: etcdEndpoints }),
  define({ name: 'etcd-prefix', kind: 'string', group: 'etcd', valueName: 'PATH', defaultValue: '/coreos.com/network', usage: 'etcd prefix', validate: nonEmpty }),
  define({ name: 'etcd-keyfile', kind: 'string', group: 'etcd', valueName: 'FILE', defaultValue: '', usage: 'SSL key file used to secure etcd communication' }),
  define({ name: 'etcd-certfile', kind: 'string', group: 'etcd', valueName: 'FILE', defaultValue: '', usage: 'SSL certification file used to secure etcd communication' }),
  define({ name: 'etcd-cafile', kind: 'string', group: 'etcd', valueName: 'FILE', defaultValue: '', usage: 'SSL Certificate Authority file used to secure etcd communication' }),
  define({ name: 'etcd-username', kind: 'string', group: 'etcd', valueName: 'NAME', defaultValue: '', usage: 'username for BasicAuth to etcd' }),
  define({ name: 'etcd-password', kind: 'string', group: 'etcd', valueName: 'PASSWORD', defaultValue: '', usage: 'password for BasicAuth to etcd (never logged; prefer FLANNELD_ETCD_PASSWORD)', secret: true }),
  // interface selection
  define({ name: 'iface', kind: 'list', group: 'interface', valueName: 'NAME|IP', defaultValue: [], usage: 'interface to use (IP or name) for inter-host communication; repeatable, checked in order, first match wins', validate: nonEmptyEntries }),
  define({ name: 'iface-regex', kind: 'list', group: 'interface', valueName: 'REGEX', defaultValue: [], usage: 'regex matched against interface IPs, then names; repeatable, checked in order after --iface', validate: regexEntries }),
  define({ name: 'iface-can-reach', kind: 'string', group: 'interface', valueName: 'IP', defaultValue: '', usage: "use the interface of the route to this IP (as 'ip route get <ip>')", validate: optionalIp }),
  define({ name: 'public-ip', kind: 'string', group: 'interface', valueName: 'IPV4', defaultValue: '', usage: 'IP accessible by other nodes for inter-host communication', validate: optionalPublicIp(4) }),
  define({ name: 'public-ipv6', kind: 'string', group: 'interface', valueName: 'IPV6', defaultValue: '', usage: 'IPv6 accessible by other nodes for inter-host communication', validate: optionalPublicIp(6) }),
  // subnet / lease
  define({ name: 'subnet-file', kind: 'string', group: 'network', valueName: 'FILE', defaultValue: '/run/flannel/subnet.env', usage: 'file where the subnet, MTU, ... environment variables are written', validate: nonEmpty }),
  define({ name: 'subnet-lease-renew-margin', kind: 'int', group: 'network', valueName: 'MINUTES', defaultValue: 60, usage: 'subnet lease renewal margin, in minutes', validate: intRange(1, 1439) }),
  // traffic rules
  define({ name: 'ip-masq', kind: 'bool', group: 'traffic', defaultValue: false, usage: 'set up IP masquerade rules for traffic leaving the overlay network' }),
  define({ name: 'ip-masq-fully-random-disable', kind: 'bool', group: 'traffic', defaultValue: false, usage: 'do not use --random-fully in MASQUERADE rules' }),
  define({ name: 'iptables-resync', kind: 'int', group: 'traffic', valueName: 'SECONDS', defaultValue: 5, usage: 'resync period of iptables rules (and of the blackhole route), in seconds', validate: intRange(1, 86_400) }),
  define({ name: 'iptables-forward-rules', kind: 'bool', group: 'traffic', defaultValue: true, usage: 'add default ACCEPT rules to the FORWARD chain' }),
  define({ name: 'ip-blackhole-route', kind: 'bool', group: 'traffic', defaultValue: false, usage: "add a blackhole route for this node's subnet" }),
  // health
  define({ name: 'healthz-ip', kind: 'string', group: 'health', valueName: 'IP', defaultValue: '0.0.0.0', usage: 'address the healthz server listens on', validate: ipAddress }),
  define({ name: 'healthz-port', kind: 'int', group: 'health', valueName: 'PORT', defaultValue: 0, usage: 'port the healthz server listens on (0 disables it)', validate: intRange(0, 65_535) }),
  // kubernetes
  define({ name: 'kube-subnet-mgr', kind: 'bool', group: 'kube', defaultValue: false, usage: 'use the Kubernetes API for subnet assignment instead of etcd' }),
  define({ name: 'kube-api-url', kind: 'string', group: 'kube', valueName: 'URL', defaultValue: '', usage: 'Kubernetes API server URL (not needed in a pod)' }),
  define({ name: 'kube-annotation-prefix', kind: 'string', group: 'kube', valueName: 'PREFIX', defaultValue: 'flannel.alpha.coreos.com', usage: 'Kubernetes annotation prefix; may contain one "/", else "/" is appended', validate: kubeAnnotationPrefix }),
  define({ name: 'kubeconfig-file', kind: 'string', group: 'kube', valueName: 'FILE', defaultValue: '', usage: 'kubeconfig file location (not needed in a pod)' }),
  define({ name: 'net-config-path', kind: 'string', group: 'kube', valueName: 'FILE', defaultValue: '/etc/kube-flannel/net-conf.json', usage: 'path to the network configuration file', validate: nonEmpty }),
  define({ name: 'set-node-network-unavailable', kind: 'bool', group: 'kube', defaultValue: true, usage: 'set NodeNetworkUnavailable after ready' }),
  // logging
  define({ name: 'v', kind: 'int', group: 'logging', valueName: 'LEVEL', defaultValue: 0, usage: 'log verbosity: 0 info, 1-3 debug, 4 and more trace', validate: intRange(0, 100) }),
  define({ name: 'vmodule', kind: 'string', group: 'logging', valueName: 'PATTERN', defaultValue: '', usage: 'per-file verbosity (klog)', ignored: 'accepted for compatibility, no effect' }),
  define({ name: 'log_backtrace_at', kind: 'string', group: 'logging', valueName: 'FILE:LINE', defaultValue: '', usage: 'emit a stack trace at this log line (klog)', ignored: 'accepted for compatibility, no effect' }),
  // general
  define({ name: 'version', kind: 'bool', group: 'general', defaultValue: false, usage: 'print the version and exit' }),
]);

/** flannel's rule for the prefix (`pkg/subnet/kube/annotations.go`), checked at parse time in every mode. */
function kubeAnnotationPrefix(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  return kubeAnnotationPrefixRule(value);
}

/** Looks a flag up by name (without dashes). */
export function findFlag(name: string, table: readonly FlagDefinition[] = FLANNELD_FLAGS): FlagDefinition | undefined {
  return table.find((flag) => flag.name === name);
}
