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
  DumpVisitor,
  LinkRef,
  ListFilter,
  Netlink,
  NetlinkEvent,
  NetlinkGroup,
  NetlinkOperation,
  RouteFilter,
  SubscribeOptions,
  VisitedFilter,
} from './netlink.js';
export { DEFAULT_MAX_QUEUED_EVENTS } from './subscription-queue.js';
export { createNetlink, operationRequest } from './kernel-netlink.js';
export type { CreateNetlinkOptions } from './kernel-netlink.js';
export { decodeEvent, GROUP_NUMBERS } from './events.js';
export { NetlinkSocket } from './socket/netlink-socket.js';
export type { NetlinkSocketOptions, ReplyHandler } from './socket/netlink-socket.js';
export { sendBatch } from './socket/batch.js';
export type { BatchOptions } from './socket/batch.js';
export { requestAck, requestDump, requestOne } from './socket/requests.js';
export type { AckRequest, BodyWriter } from './socket/requests.js';
export { inNetns, openNetns } from './socket/netns.js';
export { openGenericNetlink } from './generic-netlink.js';
export type { GenericNetlink, GenericNetlinkOptions, GenericRequest } from './generic-netlink.js';
export { decodeGenericFamily, genericHeader, writeGetFamily } from './codec/generic-message.js';
export type { GenericFamily, GenericHeader, GenericMulticastGroup } from './codec/generic-message.js';
export {
  CTRL_ATTR_FAMILY_ID,
  CTRL_ATTR_FAMILY_NAME,
  CTRL_ATTR_HDRSIZE,
  CTRL_ATTR_MAXATTR,
  CTRL_ATTR_MCAST_GROUPS,
  CTRL_ATTR_MCAST_GRP_ID,
  CTRL_ATTR_MCAST_GRP_NAME,
  CTRL_ATTR_OPS,
  CTRL_ATTR_VERSION,
  CTRL_CMD_GETFAMILY,
  CTRL_CMD_NEWFAMILY,
  GENL_HDRLEN,
  GENL_ID_CTRL,
} from './codec/constants-generic.js';
export { NETLINK_GENERIC, NETLINK_ROUTE, NETLINK_XFRM } from './codec/constants-netlink.js';
export { currentLibcPlatform, libcCandidates, loadLibc } from './socket/load-libc.js';
export type { LibcPlatform } from './socket/load-libc.js';
export type { Codec, StructCodec, StructField } from './codec/codec.js';
export { messageHeader, MESSAGE_HEADER_LENGTH } from './codec/header.js';
export type { MessageHeader } from './codec/header.js';
export { attribute, attributeMap, decodeAttributes } from './codec/attributes.js';
export type { Attribute, AttributeMap } from './codec/attributes.js';
export { addressHeader, interfaceInfoHeader, neighbourHeader, routeHeader } from './codec/family-headers.js';
export type { AddressHeader, InterfaceInfoHeader, NeighbourHeader, RouteHeader } from './codec/family-headers.js';
export { MessageWriter } from './codec/message-writer.js';
export { decodeErrorMessage, decodeMessages } from './codec/message.js';
export type { ErrorMessage, Message } from './codec/message.js';
export { decodeLink, decodeLinkMessage, writeLinkRef, writeNewLink, writeSetLink } from './codec/link-message.js';
export type { LinkMessage, LinkRequestOptions } from './codec/link-message.js';
export { decodeAddress, writeAddress } from './codec/address-message.js';
export { decodeRouteMessage, writeRoute, writeRouteGet } from './codec/route-message.js';
export type { RouteMessage } from './codec/route-message.js';
export { decodeNeighbourMessage, writeFdbEntry, writeNeighbour } from './codec/neighbour-message.js';
export type { NeighbourMessage } from './codec/neighbour-message.js';
export {
  NetlinkError,
  NetlinkInvalidArgumentError,
  NetlinkNotFoundError,
  netlinkErrorFromErrno,
} from './errors.js';
export type { NetlinkErrorCode, NetlinkErrorOptions, NetlinkInvalidArgumentOptions } from './errors.js';
export { errnoDescription, errnoName, errnoNumber } from './errno.js';
export type { ErrnoName } from './errno.js';
export {
  MAX_LINK_NAME_BYTES,
  MAX_MTU,
  MAX_VNI,
  MIN_MTU,
  cidrContains,
  formatIp,
  formatMac,
  normalizeMac,
  parseCidr,
  parseIp,
  parseMac,
  validateAddress,
  validateFdbEntry,
  validateLinkChanges,
  validateLinkName,
  validateLinkRef,
  validateLinkSpec,
  validateNeighbour,
  validateRoute,
} from './validate.js';
export type { ParsedCidr, ParsedIp } from './validate.js';
