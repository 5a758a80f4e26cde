// The daemon's settings as an embedder gives them: flanneld's flags (flannel `main.go` `CmdLineOpts`) as
// typed fields, without the command-line-only ones (`--version`, `-v`). The CLI builds these from flags
// and `FLANNELD_*`; an embedder passes the few it needs to `agentOptions` and gets flanneld's defaults
// for the rest.
import type { Secret } from './secret.js';

/**
 * flanneld's options, typed and frozen. One field per flag (camelCase of the flag name); empty-string
 * flags are `undefined`. Durations keep flannel's units, named in the field.
 */
export interface AgentOptions {
  readonly etcdEndpoints: readonly string[];
  readonly etcdPrefix: string;
  readonly etcdKeyFile?: string;
  readonly etcdCertFile?: string;
  readonly etcdCaFile?: string;
  readonly etcdUsername?: string;
  /** Redacted in every dump; `etcdPassword.reveal()` gives the value. */
  readonly etcdPassword?: Secret;
  /** `--iface`, in order (names or IPs). */
  readonly iface: readonly string[];
  /** `--iface-regex`, in order. */
  readonly ifaceRegex: readonly string[];
  readonly ifaceCanReach?: string;
  readonly publicIP?: string;
  readonly publicIPv6?: string;
  readonly subnetFile: string;
  readonly subnetLeaseRenewMarginMinutes: number;
  readonly ipMasq: boolean;
  readonly ipMasqFullyRandomDisable: boolean;
  readonly iptablesResyncSeconds: number;
  readonly iptablesForwardRules: boolean;
  readonly ipBlackholeRoute: boolean;
  readonly healthzIP: string;
  /** 0 disables the health server. */
  readonly healthzPort: number;
  readonly kubeSubnetMgr: boolean;
  readonly kubeApiUrl?: string;
  readonly kubeAnnotationPrefix: string;
  readonly kubeconfigFile?: string;
  readonly netConfigPath: string;
  readonly setNodeNetworkUnavailable: boolean;
}

/**
 * flanneld's defaults for every {@link AgentOptions} field that has one (flannel `main.go`); the
 * `flannel-ts` flag table has the same defaults (a test pins them together).
 */
export const AGENT_DEFAULTS: AgentOptions = Object.freeze({
  etcdEndpoints: Object.freeze(['http://127.0.0.1:4001', 'http://127.0.0.1:2379']),
  etcdPrefix: '/coreos.com/network',
  iface: Object.freeze([]),
  ifaceRegex: Object.freeze([]),
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
});

/**
 * Complete, frozen {@link AgentOptions}: the given fields over {@link AGENT_DEFAULTS}.
 *
 * @example
 * ```ts
 * const options = agentOptions({ etcdEndpoints: ['https://10.0.0.1:2379'], iface: ['eth1'], ipMasq: true });
 * options.subnetFile; // '/run/flannel/subnet.env'
 * ```
 */
export function agentOptions(options: Partial<AgentOptions> = {}): AgentOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return Object.freeze({ ...AGENT_DEFAULTS, ...defined });
}
