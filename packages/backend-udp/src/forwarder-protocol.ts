// The messages between the main thread and a forwarder worker: the analogue of flannel's control
// socketpair (`CMD_SET_ROUTE`, `CMD_DEL_ROUTE`, `CMD_STOP` in pkg/backend/udp/proxy_amd64.h). They travel
// on a MessagePort the worker reads synchronously (`receiveMessageOnPort`) when its eventfd, polled with the
// TUN and the socket, is written.
import type { MessagePort } from 'node:worker_threads';
import type { ForwarderStats } from './udp-boundaries.js';
import type { UdpRoute } from './udp-route-table.js';

/** Main thread → worker. */
export type ForwarderCommand =
  | { readonly op: 'set-route'; readonly route: UdpRoute }
  | { readonly op: 'delete-route'; readonly network: number; readonly prefixLength: number }
  | { readonly op: 'sync'; readonly id: number }
  | { readonly op: 'stats'; readonly id: number }
  | { readonly op: 'stop' };

/** Worker → main thread. */
export type ForwarderReply =
  | { readonly op: 'ready' }
  | { readonly op: 'synced'; readonly id: number }
  | { readonly op: 'stats'; readonly id: number; readonly stats: ForwarderStats };

/** Which packets a worker moves. */
export type ForwarderRole = 'both' | 'tun-to-udp' | 'udp-to-tun';

/** The `workerData` of a forwarder worker. */
export interface ForwarderWorkerData {
  readonly role: ForwarderRole;
  readonly tunFd: number;
  readonly socketFd: number;
  /** The eventfd the main thread writes after posting a command. */
  readonly wakeFd: number;
  readonly port: MessagePort;
  readonly tunAddress: number;
  readonly mtu: number;
  readonly batchSize: number;
  /** The TUN was opened with IFF_VNET_HDR and TSO/checksum offloads. */
  readonly offload: boolean;
  /** Send super-packets with UDP GSO (the socket has it). */
  readonly udpGso?: boolean;
  /** The socket has UDP GRO on. */
  readonly udpGro?: boolean;
}
