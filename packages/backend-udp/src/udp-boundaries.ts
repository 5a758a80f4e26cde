// The narrow boundaries the udp backend is given, so its control plane runs against fakes: a TUN opener,
// a UDP socket opener and a forwarder starter. The kernel implementations (kernel-tun.ts,
// kernel-udp-socket.ts, worker-forwarder.ts) go through koffi; the recording fakes live in `./testing`.
import type { UdpRoute } from './udp-route-table.js';

/** An open TUN device. Closing the fd removes the device (flannel's TUN is not persistent). */
export interface TunDevice {
  /** The name the kernel gave it (`flannel0`). */
  readonly name: string;
  /** The file descriptor, for the forwarder; -1 in fakes. */
  readonly fd: number;
  /** Opened with IFF_VNET_HDR and TSO/checksum offloads. */
  readonly offload: boolean;
  /** Closes the fd (the device disappears). Idempotent. */
  close(): void | Promise<void>;
}

/** Opens a TUN device (`open("/dev/net/tun")` + `ioctl(TUNSETIFF, IFF_TUN|IFF_NO_PI)`). */
export type TunOpener = (options: {
  readonly nameTemplate: string;
  /** Ask for IFF_VNET_HDR + TUNSETOFFLOAD(TUN_F_CSUM|TUN_F_TSO4); the device says whether it got them. */
  readonly offload?: boolean;
}) => TunDevice | Promise<TunDevice>;

/** A bound UDP socket. */
export interface UdpSocketHandle {
  /** The file descriptor, for the forwarder; -1 in fakes. */
  readonly fd: number;
  /** Receive buffer size the kernel reports (`SO_RCVBUF`), when known. */
  readonly receiveBufferBytes?: number;
  /** The kernel takes UDP GSO sends (`UDP_SEGMENT`): one message, cut into datagrams of a given size. */
  readonly gso: boolean;
  /** UDP GRO is on (`UDP_GRO`): a received message may hold several datagrams of one size. */
  readonly gro: boolean;
  /** Closes the socket. Idempotent. */
  close(): void | Promise<void>;
}

/** Opens a non-blocking UDP socket bound to `address:port` (`socket(AF_INET, SOCK_DGRAM)` + `bind`). */
export type UdpSocketOpener = (options: {
  readonly address: string;
  readonly port: number;
  /** `SO_RCVBUF`/`SO_SNDBUF` to ask for (0: the kernel default, as flannel). */
  readonly bufferBytes: number;
  /** Use the kernel's UDP offloads where it has them (GSO sends, GRO receives); the handle says which it got. */
  readonly offload?: boolean;
}) => UdpSocketHandle | Promise<UdpSocketHandle>;

/** Counters of a running forwarder. */
export interface ForwarderStats {
  /** Packets read from the TUN. */
  readonly tunPackets: number;
  /** Datagrams sent to peers. */
  readonly sentDatagrams: number;
  /** Datagrams received from peers. */
  readonly receivedDatagrams: number;
  /** Packets written into the TUN (received and forwarded). */
  readonly tunWrites: number;
  /** TUN packets with no route (an ICMP net-unreachable was due). */
  readonly noRoute: number;
  /** Packets dropped: TTL expired, too short, truncated or a failed send. */
  readonly dropped: number;
  /** `poll` calls. */
  readonly polls: number;
  /** Received datagrams written into the TUN joined into TCP super-packets (offload mode). */
  readonly coalesced: number;
  /** UDP GSO messages sent: each carried a super-packet's segments, one datagram each on the wire (offload mode). */
  readonly gsoMessages: number;
  /** Received messages that held several datagrams joined by the kernel's UDP GRO (offload mode). */
  readonly groMessages: number;
}

/** What the forwarder is started with. */
export interface ForwarderOptions {
  readonly tunFd: number;
  readonly socketFd: number;
  /** The TUN address (the lease subnet's network address): the source of ICMP net-unreachable. */
  readonly tunAddress: number;
  /** The TUN MTU: the packet buffer size. */
  readonly mtu: number;
  /** Packets per `recvmmsg`/`sendmmsg` and per TUN drain; 1 is flannel's plain loop (one `read` + one `sendto`). */
  readonly batchSize: number;
  /** `one-thread`: one worker polls both directions (flannel's design); `two-threads`: a worker per direction. */
  readonly threads: 'one-thread' | 'two-threads';
  /** The TUN fd carries a virtio_net_hdr before each packet (IFF_VNET_HDR), with TSO and checksum offloads. */
  readonly offload: boolean;
  /** Send TUN super-packets with UDP GSO (the socket has it; only with `offload`). Default false. */
  readonly udpGso?: boolean;
  /** The socket has UDP GRO on: received messages may hold several datagrams (only with `offload`). Default false. */
  readonly udpGro?: boolean;
}

/** A running forwarder: its route table is changed while traffic flows. */
export interface Forwarder {
  /** Adds or replaces the route for `route.network/prefixLength`. */
  setRoute(route: UdpRoute): void;
  /** Removes the route for a network. */
  deleteRoute(network: number, prefixLength: number): void;
  /** Resolves when every change sent so far is in effect. */
  sync(): Promise<void>;
  /** The counters, read from the forwarder. */
  stats(): Promise<ForwarderStats>;
  /** Stops the loop through its wake-up fd and waits for it to exit. Leaves the fds open. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the forwarder exits on its own (a fatal error): rejects with the error. */
  readonly exited: Promise<void>;
}

/** Starts a forwarder over an open TUN and socket. */
export type ForwarderStarter = (options: ForwarderOptions) => Forwarder | Promise<Forwarder>;
