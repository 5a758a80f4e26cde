/**
 * The `rtm_protocol` value flannel-ts writes on every route it programs (`ip route … proto 70`), and
 * the mark by which a full pass knows a route is its own.
 *
 * flannel itself sets no protocol (vishvananda/netlink then sends `RTPROT_BOOT`, 3), so its routes look
 * exactly like an operator's `ip route add`: flannel can afford that because its route check
 * (pkg/backend/route_network.go) only re-adds missing routes and deletes nothing but the route of a
 * removed lease. flannel-ts reconciles (deletes stale routes), so it must tell its routes apart:
 * - not 0–4: the kernel's own meanings (unspec, redirect, kernel, boot, static; `static` is what
 *   operators use, `kernel` is what routing daemons such as FRR ignore);
 * - not a name in iproute2's `rt_protos` (8–16, 18 keepalived, 42 babel, 99 openr, 186–192);
 * - not 80, which Calico's Felix uses for its own routes;
 * - 70 is ASCII `F` (flannel), easy to spot in `ip route show proto 70`.
 *
 * @example
 * ```ts
 * await netlink.batch([{ op: 'replaceRoute', route: { ...route, protocol: FLANNEL_ROUTE_PROTOCOL } }]);
 * // ip route replace 10.5.34.0/24 via 192.168.1.2 dev eth0 proto 70
 * ```
 */
export const FLANNEL_ROUTE_PROTOCOL = 70;
