// Route decisions of the kernel model: the prefix routes addresses bring, nexthop checks on add and
// replace (`fib_check_nh`, `ip6_validate_gw`), and `ip route get`.
import type { Address, Route } from '../types.js';
import { parseCidr } from '../validate.js';
import type { KernelModel } from './kernel-model.js';
import {
  IPV6_ADDRCONF_METRIC, IPV6_USER_METRIC, MAIN_TABLE, PROTOCOL_BOOT, PROTOCOL_KERNEL, dropUndefined, kernelError, longestPrefixMatch,
  type CallContext,
} from './kernel-records.js';

/** The route the kernel adds to the main table for an address (on an up link), if any. */
export function prefixRouteOf(address: Address): Route | undefined {
  // IPv4 adds none for a /32 (why flannel uses one); IPv6 adds one even for a /128.
  if (address.family === 4 && address.prefixLength === 32) return undefined;
  const network = parseCidr(`${address.address}/${address.prefixLength}`).network;
  return address.family === 4
    ? { family: 4, destination: `${network}/${address.prefixLength}`, index: address.index, source: address.address, scope: 'link', table: MAIN_TABLE, type: 'unicast', protocol: PROTOCOL_KERNEL }
    : { family: 6, destination: `${network}/${address.prefixLength}`, index: address.index, scope: 'universe', table: MAIN_TABLE, type: 'unicast', protocol: PROTOCOL_KERNEL, priority: IPV6_ADDRCONF_METRIC };
}

/** Checks the nexthop like `fib_check_nh` / `ip6_validate_gw`, resolving the device of a gateway. */
export function resolveNexthop(model: KernelModel, context: CallContext, route: Route): Route {
  if (route.source !== undefined && !model.addresses.some((a) => a.address === route.source)) {
    kernelError(context, 'EINVAL', 'Invalid prefsrc address');
  }
  const stored: Route = dropUndefined({
    ...route,
    scope: route.scope ?? 'universe',
    table: route.table ?? MAIN_TABLE,
    type: route.type ?? 'unicast',
    protocol: route.protocol ?? PROTOCOL_BOOT,
    priority: route.priority ?? (route.family === 6 ? IPV6_USER_METRIC : undefined),
  });
  if (stored.type !== 'unicast' && stored.type !== 'local') return stored;
  const device = route.index === undefined ? undefined : model.requireLink(context, route.index);
  if (route.gateway === undefined || route.onlink) {
    if (device && !device.up) kernelError(context, 'ENETDOWN', 'Nexthop device is not up');
    return stored;
  }
  // A gateway must be directly reachable: covered by a link-scoped route without gateway.
  const connected = model.routes.filter(
    (r) => r.gateway === undefined && (r.scope === 'link' || r.scope === 'host' || r.family === 6) &&
      (r.type ?? 'unicast') === 'unicast' && r.index !== undefined && (device === undefined || r.index === device.index) &&
      (r.table ?? MAIN_TABLE) === MAIN_TABLE,
  );
  const via = longestPrefixMatch(connected, route.gateway, route.family);
  if (!via) kernelError(context, route.family === 4 ? 'ENETUNREACH' : 'EHOSTUNREACH', 'Nexthop has invalid gateway');
  if (device && !device.up) kernelError(context, 'ENETDOWN', 'Nexthop device is not up');
  return { ...stored, index: via.index };
}

/** `ip route get`: the local address itself, else the longest-prefix match over the main table. */
export function lookupRoute(model: KernelModel, context: CallContext, address: string, family: 4 | 6): Route[] {
  const host = `${address}/${family === 4 ? 32 : 128}`;
  if (model.addresses.some((a) => a.address === address)) {
    return [{ family, destination: host, index: 1, source: address, scope: 'host', table: 255, type: 'local' }];
  }
  const main = model.routes.filter((r) => (r.table ?? MAIN_TABLE) === MAIN_TABLE);
  const route = longestPrefixMatch(main, address, family);
  if (!route) return kernelError(context, 'ENETUNREACH');
  if (route.type === 'blackhole') kernelError(context, 'EINVAL');
  if (route.type === 'unreachable') kernelError(context, 'EHOSTUNREACH');
  if (route.type === 'prohibit') kernelError(context, 'EACCES');
  const source = route.source ?? model.addresses.find((a) => a.index === route.index && a.family === family)?.address;
  return [dropUndefined({ family, destination: host, gateway: route.gateway, index: route.index, source, table: MAIN_TABLE, type: 'unicast' as const })];
}
