// Kernel notifications (`ip monitor`) as an async iterable, read without blocking the event loop.
import { decodeAddress } from './codec/address-message.js';
import * as N from './codec/constants-netlink.js';
import { decodeLink } from './codec/link-message.js';
import type { Message } from './codec/message.js';
import { decodeNeighbourMessage } from './codec/neighbour-message.js';
import { decodeRouteMessage } from './codec/route-message.js';
import { NetlinkError } from './errors.js';
import type { NetlinkEvent, NetlinkGroup } from './netlink.js';
import { NetlinkSocket } from './socket/netlink-socket.js';
import type { NetnsRef } from './types.js';

/** `RTNLGRP_*` of each group name. */
export const GROUP_NUMBERS: Readonly<Record<NetlinkGroup, number>> = {
  link: N.RTNLGRP_LINK,
  'ipv4-address': N.RTNLGRP_IPV4_IFADDR,
  'ipv6-address': N.RTNLGRP_IPV6_IFADDR,
  'ipv4-route': N.RTNLGRP_IPV4_ROUTE,
  'ipv6-route': N.RTNLGRP_IPV6_ROUTE,
  neighbour: N.RTNLGRP_NEIGH,
};

/** The typed event of a notification, or `undefined` for messages flannel-ts does not model. Throws `RangeError`. */
export function decodeEvent(message: Message): NetlinkEvent | undefined {
  const { type } = message.header;
  switch (type) {
    case N.RTM_NEWLINK:
    case N.RTM_DELLINK:
      return { type: type === N.RTM_NEWLINK ? 'newlink' : 'dellink', link: decodeLink(message.payload) };
    case N.RTM_NEWADDR:
    case N.RTM_DELADDR: {
      const address = decodeAddress(message.payload);
      return address && { type: type === N.RTM_NEWADDR ? 'newaddr' : 'deladdr', address };
    }
    case N.RTM_NEWROUTE:
    case N.RTM_DELROUTE: {
      const route = decodeRouteMessage(message.payload)?.route;
      return route && { type: type === N.RTM_NEWROUTE ? 'newroute' : 'delroute', route };
    }
    case N.RTM_NEWNEIGH:
    case N.RTM_DELNEIGH: {
      const decoded = decodeNeighbourMessage(message.payload);
      const isNew = type === N.RTM_NEWNEIGH;
      if (decoded?.kind === 'neighbour') return { type: isNew ? 'newneigh' : 'delneigh', neighbour: decoded.neighbour };
      if (decoded?.kind === 'fdb') return { type: isNew ? 'newfdb' : 'delfdb', entry: decoded.entry };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * `ip monitor link address route neigh`: opens a socket joined to `groups` (in `netns`) and yields each event
 * until `signal` aborts (then the iteration ends and the socket closes). Reading runs on a libuv worker thread
 * (asynchronous `poll`), so the event loop never blocks. If the kernel drops notifications (`ENOBUFS`, the
 * consumer was too slow) or sends an undecodable one, iteration throws a `NetlinkError`: re-read state, then
 * subscribe again.
 */
export async function* subscribe(netns: NetnsRef | undefined, groups: readonly NetlinkGroup[], signal: AbortSignal): AsyncIterable<NetlinkEvent> {
  if (signal.aborted) return;
  const socket = NetlinkSocket.open({ ...(netns ? { netns } : {}), groups: groups.map((g) => GROUP_NUMBERS[g]) });
  const queue: NetlinkEvent[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  socket.onNotification = (message) => {
    if (failure) return;
    try {
      const event = decodeEvent(message);
      if (event) queue.push(event);
    } catch (error) {
      failure = new NetlinkError({ operation: 'subscribe', errno: 74, code: 'NETLINK_PROTOCOL_ERROR', message: `subscribe: undecodable notification: ${(error as Error).message}`, cause: error });
    }
    notify();
  };
  socket.onFailure = (error) => {
    failure ??= error;
    notify();
  };
  const onAbort = (): void => notify();
  signal.addEventListener('abort', onAbort);
  socket.startPump();
  try {
    for (;;) {
      while (queue.length > 0 && !signal.aborted) yield queue.shift()!;
      if (signal.aborted) return;
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    socket.onFailure = undefined;
    await socket.close();
  }
}
