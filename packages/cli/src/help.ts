import { envVarName } from './flags/flag-definition.js';
import type { FlagDefinition, FlagGroup } from './flags/flag-definition.js';
import { FLANNELD_FLAGS } from './flags/flanneld-flags.js';

const GROUP_TITLES: Readonly<Record<FlagGroup, string>> = {
  etcd: 'etcd datastore',
  interface: 'External interface',
  network: 'Subnet lease and subnet.env',
  traffic: 'Traffic rules (iptables/nftables)',
  health: 'Health server (/healthz, /readyz)',
  kube: 'Kubernetes (flanneld --kube-subnet-mgr)',
  logging: 'Logging',
  general: 'General',
};

function showDefault(flag: FlagDefinition): string | undefined {
  if (flag.secret === true) return undefined;
  const value = flag.defaultValue;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(', ');
  if (value === '') return undefined;
  return String(value);
}

function signature(flag: FlagDefinition): string {
  if (flag.kind === 'bool') return flag.defaultValue === true ? `--${flag.name}[=false]` : `--${flag.name}`;
  return `--${flag.name} ${flag.valueName ?? 'VALUE'}`;
}

/**
 * The `--help` text: usage lines (the daemon, `config check`, `demo`), the flag syntax, then every flag
 * by group with its default and environment variable. Pure, so it can be snapshot-tested.
 */
export function renderHelp(version: string, table: readonly FlagDefinition[] = FLANNELD_FLAGS): string {
  const lines = [
    `flannel-ts ${version}: a drop-in flanneld (flannel's node daemon) in TypeScript.`,
    '',
    'Usage:',
    '  flannel-ts [OPTION]...              run the daemon (etcd, or Kubernetes with --kube-subnet-mgr)',
    '  flannel-ts config check [FILE|-]    check a network config (JSON) and print it resolved',
    '  flannel-ts install-cni --bin-dir DIR [--conf FILE [--conf-dir DIR]]',
    '                                      install the flannel CNI plugin and its conflist',
    '  flannel-ts demo [--hosts N] [--backend vxlan|host-gw|udp|extension|wireguard] [--kube]',
    '                                      a throwaway cluster in network namespaces on this',
    '                                      machine (real etcd or a Kubernetes API stand-in),',
    '                                      pinged end to end (needs root)',
    '  flannel-ts --version                print the version',
    '  flannel-ts --help                   print this help',
    '',
    'Options follow Go flag syntax, as flanneld: -x or --x; --x=VALUE or --x VALUE; booleans as',
    '--x or --x=false (not "--x false"); list options repeat (--iface eth0 --iface eth1).',
    'Any option not given on the command line is read from the environment variable',
    'FLANNELD_<NAME> (upper case, "-" as "_"), e.g. FLANNELD_ETCD_ENDPOINTS, FLANNELD_IP_MASQ.',
    "Subcommands take --help: 'flannel-ts config check --help', 'flannel-ts demo --help'.",
    'Under systemd (Type=notify) the daemon sends READY=1 to NOTIFY_SOCKET once the backend runs.',
  ];
  const groups = [...new Set(table.map((flag) => flag.group))];
  for (const group of groups) {
    lines.push('', `${GROUP_TITLES[group]}:`);
    for (const flag of table.filter((candidate) => candidate.group === group)) {
      lines.push(`  ${signature(flag)}${flag.kind === 'list' ? '  (repeatable)' : ''}`);
      lines.push(`      ${flag.usage}${flag.ignored === undefined ? '' : ` [${flag.ignored}]`}`);
      const fallback = showDefault(flag);
      lines.push(`      ${fallback === undefined ? '' : `default: ${fallback}   `}env: ${envVarName(flag.name)}`);
    }
  }
  lines.push('', 'Exit status: 0 on success, 1 on error, 2 on a command-line usage error.', '');
  return lines.join('\n');
}
