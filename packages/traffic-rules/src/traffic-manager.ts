import type { CidrInput } from './cidr.js';

/** Which rule engine a {@link TrafficManager} programs (`EnableNFTables` in the network config). */
export type TrafficMode = 'iptables' | 'nftables';

/** Input of {@link TrafficManager.setupAndEnsureMasqRules}. Either family may be left out. */
export interface MasqRulesSetup {
  /** IPv4 flannel Network; with `subnet`. */
  readonly network?: CidrInput;
  /** This node's IPv4 lease subnet. */
  readonly subnet?: CidrInput;
  /** `FLANNEL_NETWORK` from the previous subnet.env, if any. */
  readonly previousNetwork?: CidrInput;
  /** `FLANNEL_SUBNET` from the previous subnet.env, if any (host address or network, both accepted). */
  readonly previousSubnet?: CidrInput;
  /** IPv6 flannel Network; with `ipv6Subnet`. */
  readonly ipv6Network?: CidrInput;
  /** This node's IPv6 lease subnet. */
  readonly ipv6Subnet?: CidrInput;
  /** `FLANNEL_IPV6_NETWORK` from the previous subnet.env, if any. */
  readonly previousIPv6Network?: CidrInput;
  /** `FLANNEL_IPV6_SUBNET` from the previous subnet.env, if any. */
  readonly previousIPv6Subnet?: CidrInput;
  /** `--ip-masq-fully-random-disable`: never use `--random-fully` / `fully-random`. */
  readonly randomFullyDisable?: boolean;
  /** `--iptables-resync` in milliseconds (default 5000). iptables mode only. */
  readonly resyncPeriodMs?: number;
  /** Stops the periodic resync. */
  readonly signal?: AbortSignal;
}

/** Input of {@link TrafficManager.setupAndEnsureForwardRules}. */
export interface ForwardRulesSetup {
  /** IPv4 flannel Network. */
  readonly network?: CidrInput;
  /** IPv6 flannel Network. */
  readonly ipv6Network?: CidrInput;
  /** `--iptables-resync` in milliseconds (default 5000). iptables mode only. */
  readonly resyncPeriodMs?: number;
  /** Stops the periodic resync. */
  readonly signal?: AbortSignal;
}

/**
 * flannel's `trafficmngr.TrafficManager`: installs and keeps the masquerade and forward rules. Rules are
 * never removed on shutdown (a restart must not interrupt traffic).
 */
export interface TrafficManager {
  /** `iptables` or `nftables`. */
  readonly mode: TrafficMode;
  /** Prepares the engine (nftables: creates tables `ip flannel-ipv4` and `ip6 flannel-ipv6`). */
  init(): Promise<void>;
  /**
   * Removes everything this mode installs, for both families. flanneld calls it on a manager of the mode it
   * does *not* use (see `cleanUpOtherMode`). Failures are logged at debug level, never thrown.
   */
  cleanUp(): Promise<void>;
  /** `cleanUp()` of the other mode, through the same runner: the startup step flanneld performs. */
  cleanUpOtherMode(): Promise<void>;
  /**
   * Installs the masquerade rules for each family given, after removing rules built from the previous
   * Network/subnet when either changed; in iptables mode then re-checks them every `resyncPeriodMs`.
   * Throws `FlannelError('TRAFFIC_RULES_FAILED')` on invalid input (before anything runs) or when the
   * first install fails.
   */
  setupAndEnsureMasqRules(setup: MasqRulesSetup): Promise<void>;
  /** Installs the forward-accept rules for each family given; in iptables mode then re-checks them. */
  setupAndEnsureForwardRules(setup: ForwardRulesSetup): Promise<void>;
  /**
   * Runs one resync pass over every rule set installed so far (what the periodic loop does) and returns how
   * many sets had to be re-bootstrapped. Always 0 in nftables mode (flannel does not resync there).
   */
  resyncNow(): Promise<number>;
}

/** The default `--iptables-resync` period: 5 s. */
export const DEFAULT_RESYNC_PERIOD_MS = 5_000;
