// `ipam.routes` as flannel re-reads them (cni-plugin `flannel.go` `getIPAMRoutes`): marshalled and decoded
// into `[]types.Route`, so each route is checked (dst a CIDR, gw an IP, integer mtu/advmss/priority/table/
// scope) and written back in `types.Route`'s field order with empty fields dropped
// (containernetworking/cni `pkg/types/types.go`).
import { decodeGoJson } from '../go-json/go-json-decode.js';
import type { GoType } from '../go-json/go-json-decode.js';
import { GoStruct } from '../go-json/go-json-encode.js';
import { formatGoIp, formatGoIpNet } from '../go-json/go-net.js';
import type { GoIpNet } from '../go-json/go-net.js';

/** A decoded `types.Route`. */
export interface CniRoute {
  readonly dst: GoIpNet;
  readonly gw: Uint8Array | null;
  readonly mtu: number;
  readonly advmss: number;
  readonly priority: number;
  readonly table: number | null;
  readonly scope: number | null;
}

/** containernetworking/cni's unexported `route` struct, which `types.Route` decodes through. */
export const ROUTE_TYPE: GoType = {
  kind: 'struct',
  name: 'types.route',
  fields: {
    dst: { kind: 'ipnet' },
    gw: { kind: 'ip' },
    mtu: { kind: 'int' },
    advmss: { kind: 'int' },
    priority: { kind: 'int' },
    table: { kind: 'pointer', elem: { kind: 'int' } },
    scope: { kind: 'pointer', elem: { kind: 'int' } },
  },
};

const ROUTES_TYPE: GoType = { kind: 'slice', name: '[]types.Route', elem: ROUTE_TYPE };

const ZERO_NET: GoIpNet = { ip: new Uint8Array(0), mask: new Uint8Array(0) };

/** A decoded route object (fields as `decodeGoJson` returns them) as a {@link CniRoute}. */
export function toCniRoute(fields: Record<string, unknown>): CniRoute {
  const number = (key: string): number => (typeof fields[key] === 'number' ? (fields[key] as number) : 0);
  const pointer = (key: string): number | null => (typeof fields[key] === 'number' ? (fields[key] as number) : null);
  return {
    dst: (fields['dst'] as GoIpNet | undefined) ?? ZERO_NET,
    gw: (fields['gw'] as Uint8Array | null | undefined) ?? null,
    mtu: number('mtu'),
    advmss: number('advmss'),
    priority: number('priority'),
    table: pointer('table'),
    scope: pointer('scope'),
  };
}

/** Decodes a `routes` value as `[]types.Route`; throws Go's decode error. `null` is no routes. */
export function decodeCniRoutes(value: unknown): CniRoute[] {
  const decoded = decodeGoJson(value, ROUTES_TYPE) as Record<string, unknown>[] | null;
  return (decoded ?? []).map((fields) => toCniRoute(fields ?? {}));
}

/** `types.Route.MarshalJSON`: `dst`, then `gw`, `mtu`, `advmss`, `priority`, `table`, `scope` when set. */
export function cniRouteJson(route: CniRoute): GoStruct {
  return new GoStruct({
    dst: route.dst.ip.length === 0 ? '<nil>' : formatGoIpNet(route.dst),
    gw: route.gw === null || route.gw.length === 0 ? undefined : formatGoIp(route.gw),
    mtu: route.mtu === 0 ? undefined : route.mtu,
    advmss: route.advmss === 0 ? undefined : route.advmss,
    priority: route.priority === 0 ? undefined : route.priority,
    table: route.table ?? undefined,
    scope: route.scope ?? undefined,
  });
}
