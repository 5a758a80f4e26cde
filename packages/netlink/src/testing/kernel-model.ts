// An in-memory model of one network namespace's rtnetlink state, with the kernel behaviours flannel's
// backends rely on. Inputs are already validated and normalised (validate.ts); this file only decides
// what the kernel would do with them. Deliberate simplifications, each noted where it matters: no
// local/broadcast table, no IPv6 link-local addresses, no automatic bridge FDB entries, one namespace.
import type { LinkRef, NetlinkEvent } from '../netlink.js';
import type { Address, FdbEntry, Link, LinkChanges, LinkSpec, Neighbour, Route } from '../types.js';
import { parseMac } from '../validate.js';
import {
  PROTOCOL_KERNEL, VXLAN_DEFAULT_PORT, dropUndefined, kernelError, publicCopy, routeMatchesDelete,
  sameAddress, sameContent, sameFdb, sameNeighbour, sameRouteKey, toLink, type CallContext, type LinkRecord, type Seeded,
} from './kernel-records.js';
import { lookupRoute, prefixRouteOf, resolveNexthop } from './kernel-routes.js';



const DEFAULT_MTU: Record<string, number> = { bridge: 1500, veth: 1500, tun: 1500, wireguard: 1420, ipip: 1480 };

/** The kernel state of one namespace. Every mutation emits the events the kernel would multicast. */
export class KernelModel {
  readonly links = new Map<number, LinkRecord>();
  addresses: Seeded<Address>[] = [];
  routes: Seeded<Route>[] = [];
  neighbours: Seeded<Neighbour>[] = [];
  fdb: Seeded<FdbEntry>[] = [];
  readonly listeners = new Set<(event: NetlinkEvent) => void>();
  private nextIndex = 1;
  /** True while seeding: created objects are marked as pre-existing. */
  seeding = false;

  emit(event: NetlinkEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  // ---- links ------------------------------------------------------------------------------------

  findLink(ref: LinkRef): LinkRecord | undefined {
    if (typeof ref === 'number') return this.links.get(ref);
    for (const link of this.links.values()) if (link.name === ref) return link;
    return undefined;
  }

  requireLink(context: CallContext, ref: LinkRef): LinkRecord {
    return this.findLink(ref) ?? kernelError(context, 'ENODEV', typeof ref === 'number' ? undefined : `Cannot find device "${ref}"`);
  }

  private macFor(index: number): string {
    // Deterministic locally administered unicast MAC (`02:…`), like the kernel's random one in shape.
    return `02:fa:ce:${((index >> 16) & 0xff).toString(16).padStart(2, '0')}:${((index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(index & 0xff).toString(16).padStart(2, '0')}`;
  }

  addLoopback(): void {
    const index = this.nextIndex++;
    this.links.set(index, { index, name: 'lo', mtu: 65536, hardwareAddress: '00:00:00:00:00:00', up: true, loopback: true, seed: true });
  }

  addLink(context: CallContext, spec: LinkSpec, extra: { kind?: string | undefined } = {}): LinkRecord {
    if (this.findLink(spec.name)) kernelError(context, 'EEXIST');
    if (spec.kind === 'veth' && spec.peerNetns === undefined && this.findLink(spec.peerName)) kernelError(context, 'EEXIST');
    const master = spec.masterIndex === undefined ? undefined : this.checkMaster(context, spec.masterIndex);
    let mtu = spec.mtu ?? DEFAULT_MTU[spec.kind] ?? 1500;
    if (spec.kind === 'vxlan') {
      const v = spec.vxlan;
      const isV6 = (v.local ?? v.group ?? '').includes(':');
      const headroom = isV6 ? 70 : 50;
      const underlay = v.underlayIndex === undefined ? undefined : this.links.get(v.underlayIndex);
      if (v.underlayIndex !== undefined && !underlay) kernelError(context, 'ENODEV', 'Invalid local interface, device not found');
      for (const other of this.links.values()) {
        const o = other.vxlan;
        if (!o || o.vni !== v.vni || (o.port || VXLAN_DEFAULT_PORT) !== (v.port || VXLAN_DEFAULT_PORT)) continue;
        if (Boolean(o.gbp) !== Boolean(v.gbp) || (o.local ?? o.group ?? '').includes(':') !== isV6) continue;
        kernelError(context, 'EEXIST', 'A VXLAN device with the specified VNI already exists');
      }
      const maxMtu = (underlay?.mtu ?? 65535) - (underlay ? headroom : 0);
      // On creation the kernel clamps a too-large MTU to the underlay's minus headroom (only
      // `ip link set … mtu` refuses it).
      if (spec.mtu === undefined) mtu = underlay ? underlay.mtu - headroom : 1500 - headroom;
      else mtu = Math.min(spec.mtu, maxMtu);
    }
    const index = this.nextIndex++;
    const record: LinkRecord = dropUndefined({
      index,
      name: spec.name,
      kind: 'kind' in extra ? extra.kind : spec.kind,
      mtu,
      hardwareAddress: spec.kind === 'tun' || spec.kind === 'ipip' || spec.kind === 'wireguard' ? undefined : spec.hardwareAddress ?? this.macFor(index),
      explicitMtu: spec.mtu !== undefined,
      explicitMac: spec.hardwareAddress !== undefined,
      up: false,
      masterIndex: master?.index,
      vxlan: spec.kind === 'vxlan' ? spec.vxlan : undefined,
      ipip: spec.kind === 'ipip' ? spec.ipip : undefined,
      loopback: false,
      seed: this.seeding,
    });
    this.links.set(index, record);
    this.emit({ type: 'newlink', link: this.publicLink(record) });
    if (spec.kind === 'veth' && spec.peerNetns === undefined) {
      const peerIndex = this.nextIndex++;
      const peer: LinkRecord = {
        index: peerIndex, name: spec.peerName, kind: 'veth', mtu, hardwareAddress: this.macFor(peerIndex),
        up: false, parentIndex: index, loopback: false, seed: this.seeding, peer: true,
      };
      record.parentIndex = peerIndex;
      this.links.set(peerIndex, peer);
      this.emit({ type: 'newlink', link: this.publicLink(peer) });
    }
    if (spec.kind === 'vxlan' && spec.vxlan.group !== undefined) {
      // The kernel installs the default destination as the all-zeros FDB entry.
      this.fdb.push({ index, hardwareAddress: '00:00:00:00:00:00', destination: spec.vxlan.group, self: true, state: 'permanent', seed: true });
    }
    if (spec.up) this.setUp(record, true);
    return record;
  }

  private checkMaster(context: CallContext, masterIndex: number): LinkRecord | undefined {
    if (masterIndex === 0) return undefined;
    const master = this.links.get(masterIndex);
    if (!master) return kernelError(context, 'EINVAL', 'Master device not found');
    if (master.kind !== 'bridge') return kernelError(context, 'EOPNOTSUPP', 'Master does not support enslaving devices');
    return master;
  }

  deleteLink(context: CallContext, ref: LinkRef): void {
    const link = this.requireLink(context, ref);
    if (link.loopback) kernelError(context, 'EOPNOTSUPP');
    this.removeLink(link);
  }

  private removeLink(link: LinkRecord): void {
    if (!this.links.has(link.index)) return;
    // As `vxlan_dellink`: the FDB goes first, then the device goes down, then its addresses.
    this.fdb = this.dropAll(this.fdb, (e) => e.index === link.index, (entry) => ({ type: 'delfdb', entry }));
    if (link.up) this.setUp(link, false);
    for (const address of this.addresses.filter((a) => a.index === link.index)) this.removeAddress(address);
    this.links.delete(link.index);
    this.emit({ type: 'dellink', link: this.publicLink(link) });
    for (const other of [...this.links.values()]) {
      if (other.masterIndex === link.index) {
        delete other.masterIndex;
        this.emit({ type: 'newlink', link: this.publicLink(other) });
      }
      // A veth pair dies together; a VXLAN device dies with its underlay.
      if (other.kind === 'veth' && other.parentIndex === link.index && link.kind === 'veth') this.removeLink(other);
      else if (other.vxlan?.underlayIndex === link.index) this.removeLink(other);
    }
  }

  setLink(context: CallContext, ref: LinkRef, changes: LinkChanges): void {
    const link = this.requireLink(context, ref);
    if (changes.masterIndex !== undefined) {
      if (changes.masterIndex === link.index) kernelError(context, 'ELOOP');
      this.checkMaster(context, changes.masterIndex);
    }
    if (changes.mtu !== undefined && link.vxlan?.underlayIndex !== undefined) {
      const underlay = this.links.get(link.vxlan.underlayIndex);
      const max = (underlay?.mtu ?? 65535) - ((link.vxlan.local ?? '').includes(':') ? 70 : 50);
      if (changes.mtu > max) kernelError(context, 'EINVAL', `MTU must be between 68 and ${max}`);
    }
    let changed = false;
    if (changes.mtu !== undefined) link.explicitMtu = true;
    if (changes.hardwareAddress !== undefined) link.explicitMac = true;
    if (changes.mtu !== undefined && changes.mtu !== link.mtu) { link.mtu = changes.mtu; changed = true; }
    if (changes.hardwareAddress !== undefined && changes.hardwareAddress !== link.hardwareAddress) {
      link.hardwareAddress = changes.hardwareAddress;
      changed = true;
    }
    if (changes.masterIndex !== undefined && changes.masterIndex !== (link.masterIndex ?? 0)) {
      if (changes.masterIndex === 0) delete link.masterIndex;
      else link.masterIndex = changes.masterIndex;
      changed = true;
    }
    if (changed) this.emit({ type: 'newlink', link: this.publicLink(link) });
    if (changes.up !== undefined && changes.up !== link.up) this.setUp(link, changes.up);
  }

  /**
   * Up: IPv4/IPv6 prefix routes of the link's addresses appear. Down: every route through the link
   * goes (IPv4 silently, as the kernel sends no RTM_DELROUTE for flushed IPv4 routes), its ARP/NDP
   * entries go (permanent ones too), a VXLAN device's learnt (non-permanent) FDB entries go and, with
   * the default `keep_addr_on_down=0`, its IPv6 addresses.
   */
  private setUp(link: LinkRecord, up: boolean): void {
    link.up = up;
    if (!up && link.vxlan) {
      const learnt = (e: FdbEntry): boolean => e.index === link.index && e.state !== 'permanent' && e.state !== 'noarp';
      this.fdb = this.dropAll(this.fdb, learnt, (entry) => ({ type: 'delfdb', entry }));
    }
    this.emit({ type: 'newlink', link: this.publicLink(link) });
    if (up) {
      for (const address of this.addresses.filter((a) => a.index === link.index)) this.addPrefixRoute(address);
      return;
    }
    this.routes = this.dropAll(this.routes, (r) => r.index === link.index, (route) => (route.family === 6 ? { type: 'delroute', route } : undefined));
    this.neighbours = this.dropAll(this.neighbours, (n) => n.index === link.index, (neighbour) => ({ type: 'delneigh', neighbour }));
    for (const address of this.addresses.filter((a) => a.index === link.index && a.family === 6)) this.removeAddress(address);
  }

  publicLink(record: LinkRecord): Link {
    return toLink(record);
  }

  // ---- addresses ----------------------------------------------------------------------------------

  addAddress(context: CallContext, address: Address): void {
    const link = this.requireLink(context, address.index);
    if (this.addresses.some((a) => sameAddress(a, address))) kernelError(context, 'EEXIST');
    const stored: Seeded<Address> = dropUndefined({
      ...address,
      scope: address.scope ?? 'universe',
      label: address.family === 4 ? address.label ?? link.name : undefined,
    });
    if (this.seeding) stored.seed = true;
    this.addresses.push(stored);
    this.emit({ type: 'newaddr', address: publicCopy(stored) });
    if (link.up) this.addPrefixRoute(stored);
  }

  deleteAddress(context: CallContext, address: Address): void {
    this.requireLink(context, address.index);
    const found = this.addresses.find((a) => sameAddress(a, address) && a.prefixLength === address.prefixLength);
    if (!found) kernelError(context, 'EADDRNOTAVAIL');
    this.removeAddress(found);
  }

  private removeAddress(address: Address): void {
    this.addresses = this.addresses.filter((a) => a !== address);
    this.emit({ type: 'deladdr', address: publicCopy(address) });
    // Its prefix route goes with it (with a notification, unlike the silent flush on link down).
    const prefix = prefixRouteOf(address);
    if (prefix) {
      this.routes = this.dropAll(this.routes, (r) => sameRouteKey(r, prefix) && r.index === address.index && r.protocol === PROTOCOL_KERNEL, (route) => ({ type: 'delroute', route }));
    }
  }

  private addPrefixRoute(address: Seeded<Address>): void {
    // Loopback prefixes live in the local table, which this model leaves out.
    if (this.links.get(address.index)?.loopback) return;
    const route = prefixRouteOf(address);
    if (!route || this.routes.some((r) => sameRouteKey(r, route))) return;
    this.routes.push(address.seed ? { ...route, seed: true } : route);
    this.emit({ type: 'newroute', route: publicCopy(route) });
  }

  // ---- routes -------------------------------------------------------------------------------------

  addRoute(context: CallContext, route: Route): void {
    const stored = resolveNexthop(this, context, route);
    if (this.routes.some((r) => sameRouteKey(r, stored))) kernelError(context, 'EEXIST');
    this.pushRoute(stored);
  }

  replaceRoute(context: CallContext, route: Route): void {
    const stored = resolveNexthop(this, context, route);
    const at = this.routes.findIndex((r) => sameRouteKey(r, stored));
    if (at < 0) return this.pushRoute(stored);
    this.routes[at] = this.seeding ? { ...stored, seed: true } : stored;
    this.emit({ type: 'newroute', route: stored });
  }

  private pushRoute(route: Route): void {
    this.routes.push(this.seeding ? { ...route, seed: true } : route);
    this.emit({ type: 'newroute', route });
  }

  deleteRoute(context: CallContext, route: Route): void {
    if (route.index !== undefined) this.requireLink(context, route.index);
    const found = this.routes.find((r) => routeMatchesDelete(r, route));
    if (!found) kernelError(context, 'ESRCH');
    this.routes = this.routes.filter((r) => r !== found);
    this.emit({ type: 'delroute', route: publicCopy(found) });
  }

  /** `ip route get`; see {@link lookupRoute}. */
  getRoute(context: CallContext, address: string, family: 4 | 6): Route[] {
    return lookupRoute(this, context, address, family);
  }

  // ---- neighbours and FDB ---------------------------------------------------------------------------

  replaceNeighbour(context: CallContext, neighbour: Neighbour): void {
    this.requireLink(context, neighbour.index);
    const stored: Seeded<Neighbour> = { ...neighbour, state: neighbour.state ?? 'permanent' };
    if (this.seeding) stored.seed = true;
    const at = this.neighbours.findIndex((n) => sameNeighbour(n, stored));
    if (at >= 0 && sameContent(this.neighbours[at]!, stored)) return;
    if (at >= 0) this.neighbours[at] = stored;
    else this.neighbours.push(stored);
    this.emit({ type: 'newneigh', neighbour: publicCopy(stored) });
  }

  deleteNeighbour(context: CallContext, neighbour: Neighbour): void {
    this.requireLink(context, neighbour.index);
    const found = this.neighbours.find((n) => sameNeighbour(n, neighbour));
    if (!found) kernelError(context, 'ENOENT');
    this.neighbours = this.neighbours.filter((n) => n !== found);
    this.emit({ type: 'delneigh', neighbour: publicCopy(found) });
  }

  replaceFdb(context: CallContext, entry: FdbEntry): void {
    const link = this.requireLink(context, entry.index);
    const mac = parseMac(entry.hardwareAddress);
    if (link.vxlan && ((mac[0]! & 1) === 1 || mac.every((b) => b === 0))) {
      kernelError(context, 'EOPNOTSUPP', 'Cannot replace non-unicast fdb entries');
    }
    const stored: Seeded<FdbEntry> = dropUndefined({ ...entry, self: entry.self ?? true, state: entry.state ?? 'permanent' });
    if (this.seeding) stored.seed = true;
    const at = this.fdb.findIndex((e) => sameFdb(e, stored));
    if (at >= 0 && sameContent(this.fdb[at]!, stored)) return;
    if (at >= 0) this.fdb[at] = stored;
    else this.fdb.push(stored);
    this.emit({ type: 'newfdb', entry: publicCopy(stored) });
  }

  deleteFdb(context: CallContext, entry: FdbEntry): void {
    this.requireLink(context, entry.index);
    const found = this.fdb.find((e) => sameFdb(e, entry) && (entry.destination === undefined || e.destination === entry.destination));
    if (!found) kernelError(context, 'ENOENT');
    this.fdb = this.fdb.filter((e) => e !== found);
    this.emit({ type: 'delfdb', entry: publicCopy(found) });
  }

  private dropAll<T>(list: T[], predicate: (item: T) => boolean, event: (item: T) => NetlinkEvent | undefined): T[] {
    const kept: T[] = [];
    for (const item of list) {
      if (!predicate(item)) { kept.push(item); continue; }
      const e = event(publicCopy(item as object) as T);
      if (e) this.emit(e);
    }
    return kept;
  }
}
