import { FlannelError } from '@flannel-ts/core';
import type { FlagValue } from './flags/flag-definition.js';
import { parseFlags } from './flags/parse-flags.js';
import type { FlagSource, ParsedFlags } from './flags/parse-flags.js';
import { Secret } from '@flannel-ts/agent/logging';
import type { AgentOptions } from '@flannel-ts/agent';

/**
 * flanneld's command-line options, typed, validated and frozen: the agent's options (one field per flag,
 * camelCase of the flag name; empty-string flags are `undefined`) plus the command-line-only ones.
 */
export interface DaemonOptions extends AgentOptions {
  /** klog's `-v`. */
  readonly verbosity: number;
  readonly version: boolean;
  /** Where each flag's value came from (by flag name), for diagnostics. */
  readonly sources: Readonly<Record<string, FlagSource>>;
}

/** What {@link parseDaemonOptions} returns: the options, help request, and non-fatal notes. */
export interface DaemonOptionsResult {
  readonly options: DaemonOptions;
  /** `-h` / `--help` was given. */
  readonly help: boolean;
  /** Things worth a warning log line (ignored compatibility flags, half TLS config). */
  readonly warnings: readonly string[];
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

// Everything up to an endpoint's last `@` is taken for userinfo, however malformed (`http://u:pw/x@h`,
// `http:/u:pw@h`, `u:pw@h`): etcd endpoints have no paths, and a password must never reach the options.
const HTTP_USERINFO = /^([a-z][a-z0-9+.-]*:\/*|\/\/)?[^]*@/iu;

/**
 * The etcd endpoints without URL credentials: flanneld's etcd client dials an http(s) endpoint's host
 * only, ignoring `user:password@`, so flannel-ts does the same (and so never hands them to a library
 * whose errors might quote them). Reports whether any were dropped.
 */
function endpointsWithoutCredentials(value: string): { endpoints: readonly string[]; dropped: boolean } {
  let dropped = false;
  const endpoints = value.split(',').map((endpoint) => {
    const stripped = endpoint.replace(HTTP_USERINFO, '$1');
    dropped ||= stripped !== endpoint;
    return stripped;
  });
  return { endpoints: Object.freeze(endpoints), dropped };
}

/** Builds {@link DaemonOptions} from already parsed flags; throws `FLAG_INVALID` on cross-flag problems. */
export function toDaemonOptions(parsed: ParsedFlags): DaemonOptionsResult {
  const get = <T extends FlagValue>(name: string): T => {
    const value = parsed.values.get(name);
    if (value === undefined) throw new FlannelError('INTERNAL', `flag ${name} missing from the flag table`);
    return value as T;
  };
  const str = (name: string): string => get<string>(name);
  const warnings: string[] = [];

  const keyFile = optional(str('etcd-keyfile'));
  const certFile = optional(str('etcd-certfile'));
  if ((keyFile === undefined) !== (certFile === undefined)) {
    warnings.push('--etcd-keyfile and --etcd-certfile must be given together for TLS client authentication: ignoring the one given (as flanneld)');
  }
  for (const name of ['vmodule', 'log_backtrace_at']) {
    if (parsed.sources.get(name) !== 'default') warnings.push(`--${name} is accepted for compatibility but has no effect`);
  }
  const endpoints = endpointsWithoutCredentials(str('etcd-endpoints'));
  if (endpoints.dropped) {
    warnings.push('credentials in an etcd endpoint URL are ignored (as flanneld): use --etcd-username and --etcd-password');
  }
  const password = str('etcd-password');
  const options: DaemonOptions = {
    etcdEndpoints: endpoints.endpoints,
    etcdPrefix: str('etcd-prefix'),
    ...(keyFile !== undefined && certFile !== undefined ? { etcdKeyFile: keyFile, etcdCertFile: certFile } : {}),
    ...(optional(str('etcd-cafile')) === undefined ? {} : { etcdCaFile: str('etcd-cafile') }),
    ...(optional(str('etcd-username')) === undefined ? {} : { etcdUsername: str('etcd-username') }),
    ...(password === '' ? {} : { etcdPassword: new Secret(password) }),
    iface: Object.freeze([...get<readonly string[]>('iface')]),
    ifaceRegex: Object.freeze([...get<readonly string[]>('iface-regex')]),
    ...(optional(str('iface-can-reach')) === undefined ? {} : { ifaceCanReach: str('iface-can-reach') }),
    ...(optional(str('public-ip')) === undefined ? {} : { publicIP: str('public-ip') }),
    ...(optional(str('public-ipv6')) === undefined ? {} : { publicIPv6: str('public-ipv6') }),
    subnetFile: str('subnet-file'),
    subnetLeaseRenewMarginMinutes: get<number>('subnet-lease-renew-margin'),
    ipMasq: get<boolean>('ip-masq'),
    ipMasqFullyRandomDisable: get<boolean>('ip-masq-fully-random-disable'),
    iptablesResyncSeconds: get<number>('iptables-resync'),
    iptablesForwardRules: get<boolean>('iptables-forward-rules'),
    ipBlackholeRoute: get<boolean>('ip-blackhole-route'),
    healthzIP: str('healthz-ip'),
    healthzPort: get<number>('healthz-port'),
    kubeSubnetMgr: get<boolean>('kube-subnet-mgr'),
    ...(optional(str('kube-api-url')) === undefined ? {} : { kubeApiUrl: str('kube-api-url') }),
    kubeAnnotationPrefix: str('kube-annotation-prefix'),
    ...(optional(str('kubeconfig-file')) === undefined ? {} : { kubeconfigFile: str('kubeconfig-file') }),
    netConfigPath: str('net-config-path'),
    setNodeNetworkUnavailable: get<boolean>('set-node-network-unavailable'),
    verbosity: get<number>('v'),
    version: get<boolean>('version'),
    sources: Object.freeze(Object.fromEntries(parsed.sources)),
  };
  return { options: Object.freeze(options), help: parsed.help, warnings: Object.freeze(warnings) };
}

/**
 * Parses flanneld's flags and `FLANNELD_*` environment into frozen {@link DaemonOptions}.
 * Throws `FlannelError` `FLAG_INVALID` naming the flag or variable, the value and the rule.
 *
 * @example
 * ```ts
 * const { options } = parseDaemonOptions(['--etcd-endpoints=http://10.0.0.1:2379', '--ip-masq'], process.env);
 * options.etcdEndpoints; // ['http://10.0.0.1:2379']
 * ```
 */
export function parseDaemonOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): DaemonOptionsResult {
  return toDaemonOptions(parseFlags(argv, env));
}
