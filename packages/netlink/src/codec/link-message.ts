// RTM_*LINK requests and replies: LinkSpec/LinkChanges → bytes, RTM_NEWLINK payload → Link.
import type { IpipAttributes, Link, LinkChanges, LinkSpec, VxlanAttributes } from '../types.js';
import { attributeMap, decodeAttributes, type Attribute } from './attributes.js';
import * as L from './constants-link.js';
import { AF_UNSPEC } from './constants-netlink.js';
import { interfaceInfoHeader, type InterfaceInfoHeader } from './family-headers.js';
import type { MessageWriter } from './message-writer.js';
import { familyOf, readBe16, readIp, readString, readU32, readU8, bytesToMac } from './values.js';

const EMPTY_HEADER: InterfaceInfoHeader = { family: AF_UNSPEC, type: 0, index: 0, flags: 0, change: 0 };

/** Extra request inputs resolved by the caller (file descriptors cannot live in a `LinkSpec`). */
export interface LinkRequestOptions {
  /** `IFLA_NET_NS_FD` of the veth peer's namespace. */
  readonly peerNetnsFd?: number;
}

/** Writes the `IFLA_INFO_DATA` of a vxlan link (`ip link add … type vxlan id N local A dev D dstport P …`). */
export function writeVxlanData(w: MessageWriter, v: VxlanAttributes): void {
  w.u32(L.IFLA_VXLAN_ID, v.vni);
  if (v.group !== undefined) w.ip(familyOf(v.group) === 4 ? L.IFLA_VXLAN_GROUP : L.IFLA_VXLAN_GROUP6, v.group);
  if (v.local !== undefined) w.ip(familyOf(v.local) === 4 ? L.IFLA_VXLAN_LOCAL : L.IFLA_VXLAN_LOCAL6, v.local);
  if (v.underlayIndex !== undefined) w.u32(L.IFLA_VXLAN_LINK, v.underlayIndex);
  if (v.ttl !== undefined) w.u8(L.IFLA_VXLAN_TTL, v.ttl);
  if (v.learning !== undefined) w.u8(L.IFLA_VXLAN_LEARNING, v.learning ? 1 : 0);
  if (v.l2miss !== undefined) w.u8(L.IFLA_VXLAN_L2MISS, v.l2miss ? 1 : 0);
  if (v.l3miss !== undefined) w.u8(L.IFLA_VXLAN_L3MISS, v.l3miss ? 1 : 0);
  if (v.port !== undefined && v.port !== 0) w.be16(L.IFLA_VXLAN_PORT, v.port);
  if (v.udpChecksum !== undefined) w.u8(L.IFLA_VXLAN_UDP_CSUM, v.udpChecksum ? 1 : 0);
  if (v.gbp) w.flag(L.IFLA_VXLAN_GBP);
}

/** Writes the `IFLA_INFO_DATA` of an ipip link (`ip link add … type ipip local A remote B ttl T`). */
export function writeIpipData(w: MessageWriter, t: IpipAttributes): void {
  if (t.local !== undefined) w.ip(L.IFLA_IPTUN_LOCAL, t.local);
  if (t.remote !== undefined) w.ip(L.IFLA_IPTUN_REMOTE, t.remote);
  if (t.ttl !== undefined) w.u8(L.IFLA_IPTUN_TTL, t.ttl);
  if (t.pmtudisc !== undefined) w.u8(L.IFLA_IPTUN_PMTUDISC, t.pmtudisc ? 1 : 0);
}

/**
 * Writes the body (after `nlmsghdr`) of an `RTM_NEWLINK` creating `spec`: `ifinfomsg`, `IFLA_IFNAME`, `IFLA_MTU`,
 * `IFLA_ADDRESS`, `IFLA_MASTER`, and `IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA }`.
 */
export function writeNewLink(w: MessageWriter, spec: LinkSpec, options: LinkRequestOptions = {}): void {
  w.struct(interfaceInfoHeader, { ...EMPTY_HEADER, flags: spec.up ? L.IFF_UP : 0, change: spec.up ? L.IFF_UP : 0 });
  w.string(L.IFLA_IFNAME, spec.name);
  if (spec.mtu !== undefined) w.u32(L.IFLA_MTU, spec.mtu);
  if (spec.hardwareAddress !== undefined) w.mac(L.IFLA_ADDRESS, spec.hardwareAddress);
  if (spec.masterIndex !== undefined) w.u32(L.IFLA_MASTER, spec.masterIndex);
  const info = w.fork(L.IFLA_LINKINFO);
  w.string(L.IFLA_INFO_KIND, spec.kind);
  if (spec.kind === 'vxlan') {
    const data = w.fork(L.IFLA_INFO_DATA);
    writeVxlanData(w, spec.vxlan);
    w.join(data);
  } else if (spec.kind === 'ipip') {
    const data = w.fork(L.IFLA_INFO_DATA);
    writeIpipData(w, spec.ipip);
    w.join(data);
  } else if (spec.kind === 'veth') {
    const data = w.fork(L.IFLA_INFO_DATA);
    const peer = w.fork(L.VETH_INFO_PEER);
    w.struct(interfaceInfoHeader, EMPTY_HEADER);
    w.string(L.IFLA_IFNAME, spec.peerName);
    if (options.peerNetnsFd !== undefined) w.u32(L.IFLA_NET_NS_FD, options.peerNetnsFd);
    w.join(peer);
    w.join(data);
  }
  w.join(info);
}

/** Writes the body of an `RTM_NEWLINK`/`RTM_SETLINK` changing link `index` (`ip link set`). */
export function writeSetLink(w: MessageWriter, index: number, changes: LinkChanges): void {
  const change = changes.up === undefined ? 0 : L.IFF_UP;
  w.struct(interfaceInfoHeader, { ...EMPTY_HEADER, index, flags: changes.up ? L.IFF_UP : 0, change });
  if (changes.mtu !== undefined) w.u32(L.IFLA_MTU, changes.mtu);
  if (changes.hardwareAddress !== undefined) w.mac(L.IFLA_ADDRESS, changes.hardwareAddress);
  if (changes.masterIndex !== undefined) w.u32(L.IFLA_MASTER, changes.masterIndex);
}

/** Writes the body of an `RTM_GETLINK`/`RTM_DELLINK` naming a link by index or by `IFLA_IFNAME`. */
export function writeLinkRef(w: MessageWriter, ref: string | number): void {
  w.struct(interfaceInfoHeader, { ...EMPTY_HEADER, index: typeof ref === 'number' ? ref : 0 });
  if (typeof ref === 'string') w.string(L.IFLA_IFNAME, ref);
}

/** A decoded `RTM_NEWLINK`: the `ifinfomsg` and every attribute, known or not, as raw bytes. */
export interface LinkMessage {
  readonly header: InterfaceInfoHeader;
  readonly attributes: readonly Attribute[];
}

/** Decodes the payload of an `RTM_NEWLINK`/`RTM_DELLINK` message. */
export function decodeLinkMessage(payload: Uint8Array): LinkMessage {
  const { value: header, consumed } = interfaceInfoHeader.decode(payload);
  return { header, attributes: decodeAttributes(payload, consumed) };
}

function decodeVxlan(data: Attribute): VxlanAttributes {
  const a = attributeMap(decodeAttributes(data.data));
  const id = a.get(L.IFLA_VXLAN_ID);
  if (!id) throw new RangeError('vxlan IFLA_INFO_DATA: IFLA_VXLAN_ID is missing');
  const local = a.get(L.IFLA_VXLAN_LOCAL) ?? a.get(L.IFLA_VXLAN_LOCAL6);
  const group = a.get(L.IFLA_VXLAN_GROUP) ?? a.get(L.IFLA_VXLAN_GROUP6);
  const link = a.get(L.IFLA_VXLAN_LINK);
  const port = a.get(L.IFLA_VXLAN_PORT);
  const ttl = a.get(L.IFLA_VXLAN_TTL);
  const bool = (type: number): boolean | undefined => {
    const attr = a.get(type);
    return attr ? readU8(attr) !== 0 : undefined;
  };
  const flags = { learning: bool(L.IFLA_VXLAN_LEARNING), udpChecksum: bool(L.IFLA_VXLAN_UDP_CSUM), l2miss: bool(L.IFLA_VXLAN_L2MISS), l3miss: bool(L.IFLA_VXLAN_L3MISS) };
  return {
    vni: readU32(id, 'IFLA_VXLAN_ID'),
    ...(local ? { local: readIp(local) } : {}),
    ...(group ? { group: readIp(group) } : {}),
    ...(link ? { underlayIndex: readU32(link, 'IFLA_VXLAN_LINK') } : {}),
    ...(port ? { port: readBe16(port, 'IFLA_VXLAN_PORT') } : {}),
    ...(ttl ? { ttl: readU8(ttl, 'IFLA_VXLAN_TTL') } : {}),
    ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    gbp: a.has(L.IFLA_VXLAN_GBP),
  };
}

function decodeIpip(data: Attribute): IpipAttributes {
  const a = attributeMap(decodeAttributes(data.data));
  const local = a.get(L.IFLA_IPTUN_LOCAL);
  const remote = a.get(L.IFLA_IPTUN_REMOTE);
  const ttl = a.get(L.IFLA_IPTUN_TTL);
  const pmtu = a.get(L.IFLA_IPTUN_PMTUDISC);
  return {
    ...(local ? { local: readIp(local) } : {}),
    ...(remote ? { remote: readIp(remote) } : {}),
    ...(ttl ? { ttl: readU8(ttl) } : {}),
    ...(pmtu ? { pmtudisc: readU8(pmtu) !== 0 } : {}),
  };
}

/** The typed {@link Link} of an `RTM_NEWLINK` payload. Throws `RangeError` on corrupt input. */
export function decodeLink(payload: Uint8Array): Link {
  const { header, attributes } = decodeLinkMessage(payload);
  const a = attributeMap(attributes);
  const name = a.get(L.IFLA_IFNAME);
  const mtu = a.get(L.IFLA_MTU);
  if (!name) throw new RangeError(`RTM_NEWLINK for index ${header.index}: IFLA_IFNAME is missing`);
  const address = a.get(L.IFLA_ADDRESS);
  const operState = a.get(L.IFLA_OPERSTATE);
  const master = a.get(L.IFLA_MASTER);
  const parent = a.get(L.IFLA_LINK);
  let kind: string | undefined;
  let vxlan: VxlanAttributes | undefined;
  let ipip: IpipAttributes | undefined;
  const info = a.get(L.IFLA_LINKINFO);
  if (info) {
    const i = attributeMap(decodeAttributes(info.data));
    const kindAttribute = i.get(L.IFLA_INFO_KIND);
    kind = kindAttribute ? readString(kindAttribute) : undefined;
    const data = i.get(L.IFLA_INFO_DATA);
    if (data && kind === 'vxlan') vxlan = decodeVxlan(data);
    if (data && kind === 'ipip') ipip = decodeIpip(data);
  }
  return {
    index: header.index,
    name: readString(name),
    ...(kind !== undefined ? { kind } : {}),
    mtu: mtu ? readU32(mtu, 'IFLA_MTU') : 0,
    ...(address && address.data.byteLength > 0 ? { hardwareAddress: bytesToMac(address.data) } : {}),
    up: (header.flags & L.IFF_UP) !== 0,
    flags: header.flags,
    ...(operState ? { operState: L.OPERSTATE_NAMES[readU8(operState)] ?? `unknown(${readU8(operState)})` } : {}),
    ...(master ? { masterIndex: readU32(master) } : {}),
    ...(parent ? { parentIndex: readU32(parent) } : {}),
    ...(vxlan ? { vxlan } : {}),
    ...(ipip ? { ipip } : {}),
  };
}
