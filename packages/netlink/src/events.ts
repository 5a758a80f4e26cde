// Kernel notifications (`ip monitor`) as an async iterable, read by the event reader.
import { decodeAddress } from './codec/address-message.js';
import * as N from './codec/constants-netlink.js';
import { decodeLink } from './codec/link-message.js';
import { decodeMessages, type Message } from './codec/message.js';
import { decodeNeighbourMessage } from './codec/neighbour-message.js';
import { decodeRouteMessage } from './codec/route-message.js';
import { NetlinkError } from './errors.js';
import type { NetlinkEvent, NetlinkGroup, SubscribeOptions } from './netlink.js';
import type { EventReader } from './socket/event-reader.js';
import { SubscriptionQueue } from './subscription-queue.js';
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
 * `ip monitor link address route neigh`: opens a socket in `netns`, joins `groups` and registers it with `reader`
 * before returning, so every change made after this call is seen. Events queue (bounded, see
 * {@link SubscribeOptions}) until consumed; the iteration ends when `signal` aborts or `return()` is called (the
 * socket then closes). Kernel drops (`ENOBUFS`), an overflowing queue and undecodable notifications end it with a
 * `NetlinkError` after the events queued before: re-read the state, then subscribe again.
 */
export function subscribe(
  reader: EventReader,
  netns: NetnsRef | undefined,
  groups: readonly NetlinkGroup[],
  options: Omit<SubscribeOptions, 'signal'>,
  signal: AbortSignal,
): AsyncIterableIterator<NetlinkEvent> {
  if (signal.aborted) {
    const done = new SubscriptionQueue(options, () => {});
    done.end();
    return done;
  }
  const socket = NetlinkSocket.open({ ...(netns ? { netns } : {}), groups: groups.map((g) => GROUP_NUMBERS[g]) });
  let id = 0;
  const onAbort = (): void => queue.end();
  const queue = new SubscriptionQueue(options, () => {
    signal.removeEventListener('abort', onAbort);
    void reader.remove(id).then(() => socket.close());
  });
  signal.addEventListener('abort', onAbort, { once: true });
  id = reader.add(socket.fd, (delivery) => {
    if ('error' in delivery) {
      queue.fail(delivery.error);
      return;
    }
    try {
      for (const message of decodeMessages(delivery.bytes)) {
        const event = decodeEvent(message);
        if (event) queue.push(event);
      }
    } catch (error) {
      queue.fail(new NetlinkError({ operation: 'subscribe', errno: 74, code: 'NETLINK_PROTOCOL_ERROR', message: `subscribe: undecodable notification: ${(error as Error).message}`, cause: error }));
    }
  });
  return queue;
}
