// The delegate config flannel's plugin hands to `bridge` (cni-plugin `flannel.go` `cmdAdd`,
// `flannel_linux.go` `doCmdAdd`/`getDelegateIPAM`). The rules, in flannel's order:
// 1. the user's `delegate` map must not hold `name` or `ipam`, and its `type`, if present, must be a string;
// 2. `runtimeConfig` is copied in; `name` = the network name; `type` ??= bridge; `ipMasq` ??= !FLANNEL_IPMASQ
//    (masquerade here only when flannel does not); `mtu` ??= FLANNEL_MTU; for bridge `isGateway` ??= true;
//    `cniVersion` = the config's, when set;
// 3. `ipam` = the user's `ipam` map with `type` ??= host-local, `ranges` REPLACED by one range per family
//    from FLANNEL_SUBNET / FLANNEL_IPV6_SUBNET, and `routes` = the user's routes FOLLOWED by one route per
//    FLANNEL_NETWORK and FLANNEL_IPV6_NETWORK entry.
import { setOwn } from '../go-json/go-json-decode.js';
import type { GoJsonValue } from '../go-json/go-json-encode.js';
import { formatGoIpNet } from '../go-json/go-net.js';
import { cniRouteJson, decodeCniRoutes } from './ipam-routes.js';
import type { CniRoute } from './ipam-routes.js';
import type { FlannelNetConf, JsonMap } from './net-conf.js';
import type { FlannelSubnetEnv } from './subnet-env.js';

const has = (map: JsonMap, key: string): boolean => Object.prototype.hasOwnProperty.call(map, key);

/** A copy of a JSON map whose own keys (even `__proto__`) stay own keys. */
function copyMap(map: JsonMap | null): JsonMap {
  const out: JsonMap = {};
  if (map !== null) for (const key of Object.keys(map)) setOwn(out, key, map[key]);
  return out;
}

/**
 * Checks the user's `delegate` map (`cmdAdd`). Throws flannel's message.
 */
export function checkDelegateMap(delegate: JsonMap | null): void {
  if (delegate === null) return;
  if (has(delegate, 'type') && typeof delegate['type'] !== 'string') throw new Error("'delegate' dictionary, if present, must have (string) 'type' field");
  if (has(delegate, 'name')) throw new Error("'delegate' dictionary must not have 'name' field, it'll be set by flannel");
  if (has(delegate, 'ipam')) throw new Error("'delegate' dictionary must not have 'ipam' field, it'll be set by flannel");
}

/** `getDelegateIPAM`; throws `failed to read IPAM routes: failed to parse ipam.routes: …`. */
export function buildDelegateIpam(conf: FlannelNetConf, env: FlannelSubnetEnv): JsonMap {
  const ipam = copyMap(conf.ipam);
  if (!has(ipam, 'type')) ipam['type'] = 'host-local';
  const ranges: GoJsonValue[] = [];
  if (env.subnet !== undefined) ranges.push([{ subnet: formatGoIpNet(env.subnet) }]);
  if (env.ipv6Subnet !== undefined) ranges.push([{ subnet: formatGoIpNet(env.ipv6Subnet) }]);
  ipam['ranges'] = ranges.length === 0 ? null : ranges;
  let routes: CniRoute[] = [];
  if (conf.ipam !== null && has(conf.ipam, 'routes')) {
    try {
      routes = decodeCniRoutes(conf.ipam['routes']);
    } catch (error) {
      throw new Error(`failed to read IPAM routes: failed to parse ipam.routes: ${(error as Error).message}`, { cause: error });
    }
  }
  for (const network of [...env.networks, ...env.ipv6Networks]) routes.push({ dst: network, gw: null, mtu: 0, advmss: 0, priority: 0, table: null, scope: null });
  ipam['routes'] = routes.map(cniRouteJson);
  return ipam;
}

/**
 * Builds the delegate map flannel writes to the scratch file and sends to the delegate. Throws flannel's
 * messages (`'delegate' dictionary must not have 'name' field, it'll be set by flannel`,
 * `failed to assemble Delegate IPAM: …`).
 *
 * @example
 * ```ts
 * const delegate = buildDelegate(loadFlannelNetConf(JSON.parse(stdin)), loadFlannelSubnetEnv('/run/flannel/subnet.env'));
 * goJsonEncode(delegate as GoJsonValue, { sortKeys: true }); // the scratch file's bytes
 * ```
 */
export function buildDelegate(conf: FlannelNetConf, env: FlannelSubnetEnv): JsonMap {
  checkDelegateMap(conf.delegate);
  const delegate = copyMap(conf.delegate);
  if (conf.runtimeConfig !== null) delegate['runtimeConfig'] = conf.runtimeConfig;
  delegate['name'] = conf.name;
  if (!has(delegate, 'type')) delegate['type'] = 'bridge';
  if (!has(delegate, 'ipMasq')) delegate['ipMasq'] = !env.ipMasq;
  if (!has(delegate, 'mtu')) delegate['mtu'] = env.mtu;
  if (delegate['type'] === 'bridge' && !has(delegate, 'isGateway')) delegate['isGateway'] = true;
  if (conf.cniVersion !== '') delegate['cniVersion'] = conf.cniVersion;
  try {
    delegate['ipam'] = buildDelegateIpam(conf, env);
  } catch (error) {
    throw new Error(`failed to assemble Delegate IPAM: ${(error as Error).message}`, { cause: error });
  }
  return delegate;
}
