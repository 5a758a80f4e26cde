import { structCodec } from './codec.js';

/** `struct nlmsghdr`: the 16-byte header of every netlink message. */
export interface MessageHeader {
  /** `nlmsg_len`: header + payload, not counting trailing alignment of the last message. */
  length: number;
  /** `nlmsg_type`: `RTM_*` or `NLMSG_*`. */
  type: number;
  /** `nlmsg_flags`: `NLM_F_*`. */
  flags: number;
  /** `nlmsg_seq`: echoed by the kernel in replies. */
  seq: number;
  /** `nlmsg_pid`: port id of the sender (0 = kernel). */
  pid: number;
}

/**
 * Codec of `struct nlmsghdr` (host byte order).
 *
 * @example
 * ```ts
 * const { value } = messageHeader.decode(datagram); // { length, type: RTM_NEWLINK, flags, seq, pid }
 * ```
 */
export const messageHeader = structCodec<MessageHeader>('nlmsghdr', [
  { name: 'length', size: 4 },
  { name: 'type', size: 2 },
  { name: 'flags', size: 2 },
  { name: 'seq', size: 4 },
  { name: 'pid', size: 4 },
]);

/** Size of `struct nlmsghdr` (`NLMSG_HDRLEN`). */
export const MESSAGE_HEADER_LENGTH = 16;
