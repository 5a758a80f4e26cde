// CONTRACT — the resolved network config every package receives. Parsing lives in parse-network-config.ts.
import type { IpNet } from './ip-net.js';

/**
 * flannel's network config with every default resolved (`pkg/subnet/config.go`). Immutable.
 * IPv4 fields are present when `enableIPv4`; IPv6 fields when `enableIPv6`.
 */
export interface NetworkConfig {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  readonly enableNFTables: boolean;
  /** `Network`: the cluster's IPv4 network. */
  readonly network?: IpNet;
  /** `SubnetLen`, resolved (24 by default). */
  readonly subnetLen?: number;
  /** `SubnetMin`, resolved: the first subnet handed out (as a network of `subnetLen`). */
  readonly subnetMin?: IpNet;
  /** `SubnetMax`, resolved: the last subnet handed out. */
  readonly subnetMax?: IpNet;
  readonly ipv6Network?: IpNet;
  readonly ipv6SubnetLen?: number;
  readonly ipv6SubnetMin?: IpNet;
  readonly ipv6SubnetMax?: IpNet;
  /** `Backend.Type`, lower-cased; `udp` when `Backend` is absent, as in flannel's code. */
  readonly backendType: string;
  /**
   * The `Backend` object as given (keys as written). Read options case-insensitively with
   * `backendOption(config, 'VNI')`.
   */
  readonly backend: Readonly<Record<string, unknown>>;
}
