/**
 * `@flannel-ts/netlink`: rtnetlink over FFI (koffi).
 * @packageDocumentation
 */
export type {
  Address,
  Family,
  FdbEntry,
  IpipAttributes,
  Link,
  LinkChanges,
  LinkKindSpec,
  LinkSpec,
  Neighbour,
  NeighbourState,
  NetnsRef,
  Route,
  RouteScope,
  RouteType,
  VxlanAttributes,
} from './types.js';
export type {
  BatchResult,
  LinkRef,
  ListFilter,
  Netlink,
  NetlinkEvent,
  NetlinkGroup,
  NetlinkOperation,
  RouteFilter,
} from './netlink.js';
