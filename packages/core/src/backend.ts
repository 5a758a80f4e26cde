// CONTRACT — backends (vxlan, host-gw, alloc, …) and the networks they run.
import type { Lease } from './lease.js';
import type { Logger } from './logger.js';
import type { NetworkConfig } from './network-config.js';
import type { AcquireLeaseOptions, SubnetManager } from './subnet-manager.js';

/**
 * The host interface flannel sends encapsulated or routed traffic through (flannel's `ExternalInterface`).
 */
export interface ExternalInterface {
  /** Interface name (`eth0`). */
  readonly name: string;
  /** Interface index. */
  readonly index: number;
  /** Interface MTU. */
  readonly mtu: number;
  /** The interface's IPv4 address, if it has one. */
  readonly address?: string;
  /** The interface's IPv6 address, if it has one. */
  readonly address6?: string;
  /** Public IPv4 published in the lease (`--public-ip`, default: `address`). */
  readonly publicIP?: string;
  /** Public IPv6 published in the lease (`--public-ipv6`, default: `address6`). */
  readonly publicIPv6?: string;
}

/** What a backend factory is given by the daemon. */
export interface BackendContext {
  readonly subnetManager: SubnetManager;
  readonly externalInterface: ExternalInterface;
  readonly logger: Logger;
}

/** Options of {@link Backend.registerNetwork}. */
export interface RegisterNetworkOptions {
  readonly config: NetworkConfig;
  /** Previous subnets (from subnet.env), forwarded to `acquireLease`. */
  readonly previous?: AcquireLeaseOptions['previous'];
  readonly signal?: AbortSignal;
}

/**
 * A backend: sets up the data path for a network and acquires the node's lease.
 * Created by a {@link BackendFactory}; the daemon holds an explicit map of them by type.
 */
export interface Backend {
  readonly specificationVersion: 'v1';
  /** The backend type as in the config (`vxlan`). */
  readonly type: string;
  /**
   * Creates or adopts the backend's devices, acquires the lease and returns the running network.
   * On failure nothing it created is left behind.
   */
  registerNetwork(options: RegisterNetworkOptions): Promise<Network>;
}

/** A network a backend manages for one lease. */
export interface Network {
  /** The node's lease. */
  readonly lease: Lease;
  /** MTU for workloads (`FLANNEL_MTU`). */
  readonly mtu: number;
  /**
   * Watches leases and keeps the kernel in sync until `signal` aborts, then resolves, leaving the data
   * path in place (zero-downtime restarts). Rejects on unrecoverable failure.
   */
  run(signal: AbortSignal): Promise<void>;
  /**
   * Optional: releases what the network holds open besides the data path (wireguard's generic netlink
   * socket), once `run` has ended or when it never ran. When `run` never ran (a start-up step after
   * `registerNetwork` failed, or the daemon was stopped first), it also undoes what `run` undoes when its
   * signal aborts: wireguard deletes its devices, udp closes its TUN (which removes it), so the host is left
   * as a normal shutdown leaves it; vxlan and host-gw keep their data path either way. A backend with nothing
   * to undo or release need not have it. The daemon calls it on shutdown and after a failed start-up; an
   * embedder that drives a network itself should too. Call it only once `run` has settled, or instead of
   * `run`; `run` must not be called after it. Idempotent; never rejects.
   */
  close?(): Promise<void>;
}

/** Creates a backend for one daemon; its own dependencies (netlink…) are bound when the map is built. */
export type BackendFactory = (context: BackendContext) => Backend | Promise<Backend>;
