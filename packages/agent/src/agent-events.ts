// What an embedder can watch a running agent do. Lifecycle notifications are a typed emitter
// (eventemitter3): several listeners, no back-pressure, and an unobserved `error` event never throws
// (Node's EventEmitter would crash the host process). Streams of data (lease watches) stay async
// iterables in @flannel-ts/core; docs/embedding.md explains the split.
import type { FlannelError, Lease } from '@flannel-ts/core';
import type { EventEmitter } from 'eventemitter3';

/** What the agent reports when it becomes ready (subnet.env written, backend about to run). */
export interface AgentReadyState {
  readonly backendType: string;
  readonly externalInterface: string;
  /** The lease's subnets as CIDRs. */
  readonly subnet?: string;
  readonly ipv6Subnet?: string;
  readonly mtu: number;
}

/** A reconcile pass that put back kernel state which had gone missing or wrong (or recreated a device). */
export interface DataPathRepair {
  readonly backendType: string;
  /** Operations sent to the kernel. */
  readonly operations: number;
  /** Operations the kernel refused. */
  readonly failed: number;
  /** Devices recreated (vxlan). */
  readonly recreated: readonly string[];
}

/**
 * Events of a running agent, by name, with their listener arguments.
 *
 * - `ready`: subnet.env is written (flanneld's "flannel is ready"); once per run.
 * - `lease-acquired`: the backend registered the network with this lease; once per run.
 * - `lease-renewed`: the datastore reports the own lease written again (a renewal, or an operator's edit).
 * - `lease-lost`: the own lease was revoked (its key deleted or expired); the agent then stops with status 1.
 * - `peer-added` / `peer-removed`: another node's lease appeared (or changed) / disappeared, as the backend saw it.
 * - `data-path-repaired`: a periodic or device-triggered reconcile pass repaired the kernel state.
 * - `error`: a fatal error; the agent stops with status 1. Never thrown, even without a listener.
 */
export interface AgentEvents {
  ready: [state: AgentReadyState];
  'lease-acquired': [lease: Lease];
  'lease-renewed': [lease: Lease];
  'lease-lost': [error: FlannelError];
  'peer-added': [lease: Lease];
  'peer-removed': [lease: Lease];
  'data-path-repaired': [repair: DataPathRepair];
  error: [error: unknown];
}

/** The emitter the agent reports {@link AgentEvents} on. */
export type AgentEmitter = EventEmitter<AgentEvents>;
