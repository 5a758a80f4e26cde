// CNI results in the three shapes of the spec's versions, decoded, converted and printed as
// containernetworking/cni v1.3.0 does (`pkg/types/020`, `040`, `100`, `internal/convert.go`,
// `pkg/invoke/exec.go` `fixupResultVersion`):
// - 0.1.0/0.2.0: `ip4`/`ip6` each with `ip`, `gateway`, `routes`;
// - 0.3.0/0.3.1/0.4.0: `interfaces`, `ips` (with `version`), `routes`, and `dns` always printed;
// - 1.0.0/1.1.0: as 0.4.0 without `ips[].version`, interfaces may carry `mtu`/`socketPath`/`pciID`,
//   printed through a map (every key sorted) with `dns` left out when empty.
// Printing is `json.MarshalIndent(result, "", "    ")`, no trailing newline. Unknown keys are dropped.
import { decodeGoJson } from '../go-json/go-json-decode.js';
import type { GoType } from '../go-json/go-json-decode.js';
import { goJsonEncode } from '../go-json/go-json-encode.js';
import type { GoJsonValue } from '../go-json/go-json-encode.js';
import { formatGoIp, formatGoIpNet, isGoIpv4 } from '../go-json/go-net.js';
import type { GoIpNet } from '../go-json/go-net.js';
import { goJsonParse } from '../go-json/go-json-parse.js';
import { cniRouteJson, ROUTE_TYPE, toCniRoute } from '../flannel/ipam-routes.js';
import type { CniRoute } from '../flannel/ipam-routes.js';

/** `types.DNS`. */
export interface CniDns {
  readonly nameservers: readonly string[];
  readonly domain: string;
  readonly search: readonly string[];
  readonly options: readonly string[];
}

/** An interface of a 0.3+ result (1.x fields are empty strings / 0 in older versions). */
export interface CniInterface {
  readonly name: string;
  readonly mac: string;
  readonly mtu: number;
  readonly sandbox: string;
  readonly socketPath: string;
  readonly pciID: string;
}

/** An address of a 0.3+ result; `version` only exists in 0.3.x/0.4.0. */
export interface CniIpConfig {
  readonly version: string;
  readonly interface: number | null;
  readonly address: GoIpNet;
  readonly gateway: Uint8Array | null;
}

/** A 0.1.0/0.2.0 `ip4`/`ip6` entry. */
export interface CniIp02 {
  readonly ip: GoIpNet;
  readonly gateway: Uint8Array | null;
  readonly routes: readonly CniRoute[];
}

/** A decoded result of any supported version. */
export type CniResult =
  | { readonly shape: '020'; readonly cniVersion: string; readonly ip4: CniIp02 | null; readonly ip6: CniIp02 | null; readonly dns: CniDns }
  | {
      readonly shape: '040' | '100';
      readonly cniVersion: string;
      readonly interfaces: readonly CniInterface[];
      readonly ips: readonly CniIpConfig[];
      readonly routes: readonly CniRoute[];
      readonly dns: CniDns;
    };

const SHAPES: Readonly<Record<string, '020' | '040' | '100'>> = { '': '020', '0.1.0': '020', '0.2.0': '020', '0.3.0': '040', '0.3.1': '040', '0.4.0': '040', '1.0.0': '100', '1.1.0': '100' };
const SUPPORTED_BY_SHAPE = { '020': '[ 0.1.0 0.2.0]', '040': '[0.3.0 0.3.1 0.4.0]', '100': '[1.0.0 1.1.0]' } as const;

const STRINGS: GoType = { kind: 'slice', name: '[]string', elem: { kind: 'string' } };
const DNS_TYPE: GoType = { kind: 'struct', name: 'types.DNS', fields: { nameservers: STRINGS, domain: { kind: 'string' }, search: STRINGS, options: STRINGS } };
const IP02_TYPE: GoType = { kind: 'pointer', elem: { kind: 'struct', name: 'types020.ipConfig', fields: { ip: { kind: 'ipnet' }, gateway: { kind: 'ip' }, routes: { kind: 'slice', name: '[]types.Route', elem: ROUTE_TYPE } } } };
const INTERFACE_FIELDS = { name: { kind: 'string' }, mac: { kind: 'string' }, mtu: { kind: 'int' }, sandbox: { kind: 'string' }, socketPath: { kind: 'string' }, pciID: { kind: 'string' } } as const;
const IPCONFIG_FIELDS = { version: { kind: 'string' }, interface: { kind: 'pointer', elem: { kind: 'int' } }, address: { kind: 'ipnet' }, gateway: { kind: 'ip' } } as const;

function resultType(shape: '020' | '040' | '100'): GoType {
  const dnsAndVersion = { cniVersion: { kind: 'string' }, dns: DNS_TYPE } as const;
  if (shape === '020') return { kind: 'struct', name: 'types020.Result', fields: { ...dnsAndVersion, ip4: IP02_TYPE, ip6: IP02_TYPE } };
  const { mtu: _mtu, socketPath: _socketPath, pciID: _pciID, ...interface040 } = INTERFACE_FIELDS;
  const { version: _version, ...ipconfig100 } = IPCONFIG_FIELDS;
  const interfaceFields = shape === '100' ? INTERFACE_FIELDS : interface040;
  const ipFields = shape === '100' ? ipconfig100 : IPCONFIG_FIELDS;
  return {
    kind: 'struct',
    name: `types${shape}.Result`,
    fields: {
      ...dnsAndVersion,
      interfaces: { kind: 'slice', name: `[]*types${shape}.Interface`, elem: { kind: 'pointer', elem: { kind: 'struct', name: `types${shape}.Interface`, fields: interfaceFields } } },
      ips: { kind: 'slice', name: `[]*types${shape}.IPConfig`, elem: { kind: 'pointer', elem: { kind: 'struct', name: `types${shape}.ipConfig`, fields: ipFields } } },
      routes: { kind: 'slice', name: '[]*types.Route', elem: { kind: 'pointer', elem: ROUTE_TYPE } },
    },
  };
}

type Fields = Record<string, unknown>;
const text = (fields: Fields, key: string): string => (typeof fields[key] === 'string' ? (fields[key] as string) : '');
const list = (fields: Fields, key: string): Fields[] => ((fields[key] as (Fields | null)[] | null | undefined) ?? []).map((item) => item ?? {});
const strings = (fields: Fields, key: string): string[] => ((fields[key] as (string | null)[] | null | undefined) ?? []).map((item) => item ?? '');
const ZERO_NET: GoIpNet = { ip: new Uint8Array(0), mask: new Uint8Array(0) };

function toDns(fields: Fields | null | undefined): CniDns {
  const dns = fields ?? {};
  return { nameservers: strings(dns, 'nameservers'), domain: text(dns, 'domain'), search: strings(dns, 'search'), options: strings(dns, 'options') };
}

function toIp02(fields: Fields | null | undefined): CniIp02 | null {
  if (fields === null || fields === undefined) return null;
  return { ip: (fields['ip'] as GoIpNet | undefined) ?? ZERO_NET, gateway: (fields['gateway'] as Uint8Array | null | undefined) ?? null, routes: list(fields, 'routes').map(toCniRoute) };
}

/**
 * `create.Create(version, bytes)`: decodes a result that claims `version`. Throws Go's messages
 * (`unsupported CNI result version "9.9.9"`, `result type supports [0.3.0 0.3.1 0.4.0] but unmarshalled CNIVersion is "1.0.0"`).
 */
export function decodeCniResult(version: string, value: unknown): CniResult {
  const shape = SHAPES[version];
  if (shape === undefined) throw new Error(`unsupported CNI result version "${version}"`);
  const fields = (decodeGoJson(value, resultType(shape)) as Fields | null) ?? {};
  let cniVersion = text(fields, 'cniVersion');
  const supported = shape === '020' ? ['', '0.1.0', '0.2.0'] : shape === '040' ? ['0.3.0', '0.3.1', '0.4.0'] : ['1.0.0', '1.1.0'];
  if (!supported.includes(cniVersion)) throw new Error(`result type supports ${SUPPORTED_BY_SHAPE[shape]} but unmarshalled CNIVersion is "${cniVersion}"`);
  const dns = toDns(fields['dns'] as Fields | null | undefined);
  if (shape === '020') {
    if (cniVersion === '') cniVersion = '0.1.0';
    return { shape, cniVersion, ip4: toIp02(fields['ip4'] as Fields | null), ip6: toIp02(fields['ip6'] as Fields | null), dns };
  }
  return {
    shape,
    cniVersion,
    dns,
    interfaces: list(fields, 'interfaces').map((item) => ({ name: text(item, 'name'), mac: text(item, 'mac'), mtu: typeof item['mtu'] === 'number' ? item['mtu'] : 0, sandbox: text(item, 'sandbox'), socketPath: text(item, 'socketPath'), pciID: text(item, 'pciID') })),
    ips: list(fields, 'ips').map((item) => ({
      version: text(item, 'version'),
      interface: typeof item['interface'] === 'number' ? item['interface'] : null,
      address: (item['address'] as GoIpNet | undefined) ?? ZERO_NET,
      gateway: (item['gateway'] as Uint8Array | null | undefined) ?? null,
    })),
    routes: list(fields, 'routes').map(toCniRoute),
  };
}

/**
 * A delegate's stdout as `invoke.ExecPluginWithResult` reads it: a result without `cniVersion` is taken
 * to be in the config's version (`fixupResultVersion`), then decoded in its own version.
 */
export function parseDelegateResult(stdout: Uint8Array, configVersion: string): CniResult {
  let raw: unknown;
  try {
    raw = goJsonParse(stdout);
  } catch (error) {
    throw new Error(`failed to unmarshal raw result: ${(error as Error).message}`, { cause: error });
  }
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    const kind = Array.isArray(raw) ? 'array' : typeof raw === 'boolean' ? 'bool' : typeof raw;
    throw new Error(`failed to unmarshal raw result: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  const object = (raw ?? {}) as Fields;
  const claimed = object['cniVersion'];
  if (typeof claimed === 'string' && claimed !== '') return decodeCniResult(claimed, object);
  return decodeCniResult(configVersion, { ...object, cniVersion: configVersion });
}

const DNS_EMPTY = (dns: CniDns): boolean => dns.nameservers.length === 0 && dns.domain === '' && dns.search.length === 0 && dns.options.length === 0;
const copyRoute = (route: CniRoute): CniRoute => ({ ...route });

/**
 * `convert.Convert(result, toVersion)`: the result in another spec version (`""` means 0.1.0). Throws
 * `no converter for CNI result version X to Y` or `cannot convert: no valid IP addresses`.
 *
 * @example
 * ```ts
 * convertCniResult(decodeCniResult('0.3.1', bridgeResult), '1.0.0'); // ips lose `version`
 * ```
 */
export function convertCniResult(result: CniResult, toVersion: string): CniResult {
  const target = toVersion === '' ? '0.1.0' : toVersion;
  if (result.cniVersion === target) return result;
  const to = SHAPES[target];
  if (to === undefined || (result.shape === '020' && target === '') || SHAPES[result.cniVersion] === undefined) {
    throw new Error(`no converter for CNI result version ${result.cniVersion} to ${target}`);
  }
  if (result.shape === '020') {
    if (to === '020') return { ...result, cniVersion: target };
    // 0.2.0 → 0.4.0 (`types040.convertFrom02x`), then on to 1.x when asked.
    const ips: CniIpConfig[] = [];
    const routes: CniRoute[] = [];
    for (const [entry, version] of [[result.ip4, '4'], [result.ip6, '6']] as const) {
      if (entry === null) continue;
      ips.push({ version, interface: null, address: entry.ip, gateway: entry.gateway });
      routes.push(...entry.routes.map(copyRoute));
    }
    const as040: CniResult = { shape: '040', cniVersion: to === '040' ? target : '0.4.0', interfaces: [], ips, routes, dns: result.dns };
    return to === '040' ? as040 : convertCniResult(as040, target);
  }
  if (to === result.shape) return { ...result, cniVersion: target };
  if (to === '100' || to === '040') {
    const ips = result.ips.map((ip) => ({ ...ip, version: to === '100' ? '' : isGoIpv4(ip.address.ip) ? '4' : '6' }));
    const interfaces = result.interfaces.map((each) => (to === '040' ? { ...each, mtu: 0, socketPath: '', pciID: '' } : { ...each }));
    return { shape: to, cniVersion: target, interfaces, ips, routes: result.routes.map(copyRoute), dns: result.dns };
  }
  // To 0.1.0/0.2.0 (`types040.convertTo02x`): the first address of each family and its family's routes.
  const as040 = result.shape === '100' ? (convertCniResult(result, '0.4.0') as Extract<CniResult, { shape: '040' }>) : result;
  type Entry = { ip: GoIpNet; gateway: Uint8Array | null; routes: CniRoute[] };
  let ip4 = null as Entry | null;
  let ip6 = null as Entry | null;
  for (const ip of as040.ips) {
    if (ip.version === '4' && ip4 === null) ip4 = { ip: ip.address, gateway: ip.gateway, routes: [] };
    else if (ip.version === '6' && ip6 === null) ip6 = { ip: ip.address, gateway: ip.gateway, routes: [] };
    if (ip4 !== null && ip6 !== null) break;
  }
  for (const route of as040.routes) {
    const slim = { dst: route.dst, gw: route.gw, mtu: 0, advmss: 0, priority: 0, table: null, scope: null };
    if (isGoIpv4(route.dst.ip)) ip4?.routes.push(slim);
    else ip6?.routes.push(slim);
  }
  if (ip4 === null && ip6 === null) throw new Error('cannot convert: no valid IP addresses');
  return { shape: '020', cniVersion: target, ip4, ip6, dns: as040.dns };
}

const ipText = (ip: Uint8Array | null): string | undefined => (ip === null || ip.length === 0 ? undefined : formatGoIp(ip));
const netText = (net: GoIpNet): string => (net.ip.length === 0 ? '<nil>' : formatGoIpNet(net));
const nonEmpty = <T>(items: readonly T[]): readonly T[] | undefined => (items.length === 0 ? undefined : items);

function dnsJson(dns: CniDns): GoJsonValue {
  return { nameservers: nonEmpty(dns.nameservers), domain: dns.domain === '' ? undefined : dns.domain, search: nonEmpty(dns.search), options: nonEmpty(dns.options) };
}

/** The result as flannel prints it (`result.Print()`). */
export function formatCniResult(result: CniResult): string {
  const indent = '    ';
  if (result.shape === '020') {
    const ip = (entry: CniIp02 | null): GoJsonValue | undefined =>
      entry === null ? undefined : { ip: netText(entry.ip), gateway: ipText(entry.gateway), routes: entry.routes.length === 0 ? undefined : entry.routes.map(cniRouteJson) };
    return goJsonEncode({ cniVersion: result.cniVersion, ip4: ip(result.ip4), ip6: ip(result.ip6), dns: dnsJson(result.dns) }, { sortKeys: false, indent });
  }
  const v1 = result.shape === '100';
  const interfaces = result.interfaces.map((each) => ({
    name: each.name,
    mac: each.mac === '' ? undefined : each.mac,
    mtu: !v1 || each.mtu === 0 ? undefined : each.mtu,
    sandbox: each.sandbox === '' ? undefined : each.sandbox,
    socketPath: !v1 || each.socketPath === '' ? undefined : each.socketPath,
    pciID: !v1 || each.pciID === '' ? undefined : each.pciID,
  }));
  const ips = result.ips.map((ip) => ({ version: v1 ? undefined : ip.version, interface: ip.interface ?? undefined, address: netText(ip.address), gateway: ipText(ip.gateway) }));
  const value = {
    cniVersion: result.cniVersion === '' ? undefined : result.cniVersion,
    interfaces: nonEmpty(interfaces),
    ips: nonEmpty(ips),
    routes: result.routes.length === 0 ? undefined : result.routes.map(cniRouteJson),
    dns: v1 && DNS_EMPTY(result.dns) ? undefined : dnsJson(result.dns),
  };
  if (!v1) return goJsonEncode(value as GoJsonValue, { sortKeys: false, indent });
  // 1.x marshals through map[string]interface{}: every object's keys sorted, route fields included.
  const asMaps = JSON.parse(goJsonEncode(value as GoJsonValue, { sortKeys: false })) as GoJsonValue;
  return goJsonEncode(asMaps, { sortKeys: true, indent });
}
