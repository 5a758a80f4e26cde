// Design note — the udp backend (flannel's pkg/backend/udp).
//
// flannel's original data path, all in user space. One TUN device, flannel0 (IFF_TUN|IFF_NO_PI), holding
// `<lease subnet network address>/32` with MTU = interface MTU − 28 (20 IP + 8 UDP), and one kernel route,
// the whole flannel Network via flannel0. A UDP socket bound to the interface address and Port (8285).
// Per remote host there is no kernel state at all: one entry in the forwarder's route table,
// `<remote subnet> → <remote PublicIP>:<our Port>`. The forwarder runs on a worker thread: a packet read
// from the TUN is sent as one datagram whose payload is the raw inner IPv4 packet (TTL decremented); a
// datagram received goes into the TUN (TTL decremented again); a destination with no lease gets ICMP
// net-unreachable back through the TUN. The lease carries only PublicIP/PublicIPv6, no BackendType, and
// leases of any backend type are routed to — exactly what flanneld's udp backend writes and reads, so a
// flannel-ts node and a flanneld udp node talk to each other.
import { FlannelError, leaseRulesFor, silentLogger, throwIfAborted } from '@flannel-ts/core';
import type { Backend, BackendContext, BackendFactory, Logger } from '@flannel-ts/core';
import { openKernelTun } from './kernel-tun.js';
import { ipv4ToNumber, openKernelUdpSocket } from './kernel-udp-socket.js';
import type { Forwarder, ForwarderStarter, TunDevice, TunOpener, UdpSocketHandle, UdpSocketOpener } from './udp-boundaries.js';
import { configureUdpDevice } from './udp-device.js';
import type { UdpNetlink } from './udp-device.js';
import { createUdpNetwork } from './udp-network.js';
import type { UdpRoutesReport } from './udp-network.js';
import { parseUdpOptions } from './udp-options.js';
import { startWorkerForwarder } from './worker-forwarder.js';

/** IPv4 + UDP header bytes: the MTU the overlay loses. */
export const UDP_OVERHEAD_BYTES = 28;
/** flannel's TUN name template: the kernel picks the first free `flannel<N>`. */
export const UDP_TUN_NAME_TEMPLATE = 'flannel%d';
/** The socket buffer size asked for by default (flannel sets none; see docs/backends/udp.md). */
export const UDP_DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
/** Packets per batch by default. */
export const UDP_DEFAULT_BATCH_SIZE = 32;

/** Injected boundaries and tuning of the udp backend. */
export interface UdpBackendOptions {
  /** rtnetlink on the node's network namespace. */
  readonly netlink: UdpNetlink;
  /** Defaults to the daemon's logger from the `BackendContext`. */
  readonly logger?: Logger;
  /** Opens the TUN device; default through koffi (`/dev/net/tun`). */
  readonly openTun?: TunOpener;
  /** Opens the UDP socket; default through koffi. */
  readonly openSocket?: UdpSocketOpener;
  /** Starts the forwarder; default worker threads ({@link startWorkerForwarder}). */
  readonly startForwarder?: ForwarderStarter;
  /** TUN MTU; default the interface MTU − 28. */
  readonly mtu?: number;
  /** Packets per `recvmmsg`/`sendmmsg`; 1 is flannel's plain loop. Default: the config's `BatchSize`, else 32. */
  readonly batchSize?: number;
  /** `one-thread` (flannel's single poll loop) or `two-threads` (a worker per direction). Default: the config's `Threads`, else one. */
  readonly threads?: 'one-thread' | 'two-threads';
  /** `SO_RCVBUF`/`SO_SNDBUF`; 0 leaves the kernel default as flannel does. Default: the config's `SocketBufferBytes`, else 4 MiB. */
  readonly socketBufferBytes?: number;
  /**
   * Open the TUN with IFF_VNET_HDR + TSO/checksum offloads and cut TCP super-packets into MTU-sized
   * datagrams in the forwarder (the wire format is unchanged). Only with batching. Default: the config's
   * `Offload`, else true.
   */
  readonly offload?: boolean;
  /** Called after each batch of lease events is in effect in the forwarder. */
  readonly onRoutes?: (report: UdpRoutesReport) => void;
  /** Called with each running forwarder (benchmarks read its stats). */
  readonly onForwarder?: (forwarder: Forwarder) => void;
}

/**
 * The udp backend factory.
 *
 * @example
 * ```ts
 * const backends = { udp: createUdpBackend({ netlink }) };
 * const network = await (await backends.udp(context)).registerNetwork({ config });
 * await network.run(signal);
 * ```
 */
export function createUdpBackend(options: UdpBackendOptions): BackendFactory {
  const openTun = options.openTun ?? openKernelTun;
  const openSocket = options.openSocket ?? openKernelUdpSocket;
  const startForwarder = options.startForwarder ?? startWorkerForwarder;
  return (context: BackendContext): Backend => {
    const ext = context.externalInterface;
    const logger = (options.logger ?? context.logger ?? silentLogger).child({ backend: 'udp' });
    return {
      specificationVersion: 'v1',
      type: 'udp',
      async registerNetwork({ config, previous, signal }) {
        throwIfAborted(signal);
        const { port, batchSize, threads, socketBufferBytes, offload } = parseUdpOptions(config);
        if (!config.enableIPv4 || config.network === undefined) {
          throw new FlannelError('BACKEND_UNSUPPORTED', 'the udp backend carries IPv4 only: EnableIPv4 must be true and Network set');
        }
        if (config.enableIPv6) throw new FlannelError('BACKEND_UNSUPPORTED', 'the udp backend does not support IPv6 (EnableIPv6 must be false)');
        if (ext.address === undefined) throw new FlannelError('BACKEND_FAILED', `udp needs an IPv4 address on ${ext.name}, and it has none`);
        const mtu = options.mtu ?? ext.mtu - UDP_OVERHEAD_BYTES;
        if (!Number.isInteger(mtu) || mtu < 68) {
          throw new FlannelError('BACKEND_FAILED', `udp MTU ${mtu} is invalid: must be at least 68 (interface ${ext.name} MTU ${ext.mtu} − ${UDP_OVERHEAD_BYTES})`);
        }
        const lease = await context.subnetManager.acquireLease(
          // PublicIP only, no BackendType: `{"PublicIP":"…","PublicIPv6":null}` as flannel's udp backend writes.
          { publicIP: ext.publicIP ?? ext.address },
          { ...(previous ? { previous } : {}), ...(signal ? { signal } : {}) },
        );
        if (lease.subnet === undefined) throw new FlannelError('BACKEND_FAILED', 'the lease has no IPv4 subnet although IPv4 is enabled');
        const batch = options.batchSize ?? batchSize ?? UDP_DEFAULT_BATCH_SIZE;
        // TUN offloads pay off with batching only (a super-packet is cut into up to ~45 datagrams).
        const offloadWanted = batch > 1 && (options.offload ?? offload ?? true);
        let tun: TunDevice | undefined;
        let socket: UdpSocketHandle | undefined;
        try {
          tun = await openTun({ nameTemplate: UDP_TUN_NAME_TEMPLATE, offload: offloadWanted });
          await configureUdpDevice(options.netlink, { name: tun.name, subnet: lease.subnet, network: config.network, mtu });
          socket = await openSocket({
            address: ext.address,
            port,
            bufferBytes: options.socketBufferBytes ?? socketBufferBytes ?? UDP_DEFAULT_SOCKET_BUFFER_BYTES,
            offload: tun.offload,
          });
          throwIfAborted(signal);
        } catch (error) {
          await socket?.close();
          await tun?.close();
          throw error;
        }
        logger.info(
          { device: tun.name, subnet: lease.subnet.toString(), mtu, port, receiveBufferBytes: socket.receiveBufferBytes, batchSize: batch, offload: tun.offload, udpGso: socket.gso, udpGro: socket.gro },
          'udp network registered',
        );
        return createUdpNetwork({
          subnetManager: context.subnetManager,
          logger,
          lease,
          mtu,
          port,
          tun,
          socket,
          startForwarder,
          forwarder: {
            tunAddress: ipv4ToNumber(lease.subnet.address),
            mtu,
            batchSize: batch,
            offload: tun.offload,
            udpGso: socket.gso,
            udpGro: socket.gro,
            threads: options.threads ?? (threads === 2 ? 'two-threads' : 'one-thread'),
          },
          leaseRules: leaseRulesFor(config, lease),
          ...(options.onRoutes ? { onRoutes: options.onRoutes } : {}),
          ...(options.onForwarder ? { onForwarder: options.onForwarder } : {}),
        });
      },
    };
  };
}
