// The flannel plugin's network config (cni-plugin `flannel.go` `NetConf`, `loadFlannelNetConf`): the
// standard CNI fields plus `subnetFile`, `dataDir`, `delegate`, `ipam` (a free map) and `runtimeConfig`,
// decoded with Go's rules (case-insensitive keys, unknown keys ignored, wrong JSON types rejected).
import { decodeGoJson } from '../go-json/go-json-decode.js';
import type { GoType } from '../go-json/go-json-decode.js';

/** Where flannel writes subnet.env (`defaultSubnetFile`). */
export const DEFAULT_SUBNET_FILE = '/run/flannel/subnet.env';
/** Where the plugin keeps one delegate config per container (`defaultDataDir`). */
export const DEFAULT_DATA_DIR = '/var/lib/cni/flannel';

/** A free JSON object (a Go `map[string]interface{}`). */
export type JsonMap = Record<string, unknown>;

/** The decoded config; maps are `null` when absent (Go's nil map). */
export interface FlannelNetConf {
  readonly cniVersion: string;
  readonly name: string;
  readonly type: string;
  readonly subnetFile: string;
  readonly dataDir: string;
  readonly delegate: JsonMap | null;
  readonly ipam: JsonMap | null;
  readonly runtimeConfig: JsonMap | null;
}

const ANY_MAP: GoType = { kind: 'map', name: 'map[string]interface {}', elem: { kind: 'any' } };
const STRINGS: GoType = { kind: 'slice', name: '[]string', elem: { kind: 'string' } };

/** cni-plugin's NetConf with the embedded `types.NetConf` (containernetworking/cni v1.3.0) flattened. */
const NET_CONF: GoType = {
  kind: 'struct',
  name: 'NetConf',
  fields: {
    cniVersion: { kind: 'string' },
    name: { kind: 'string' },
    type: { kind: 'string' },
    capabilities: { kind: 'map', name: 'map[string]bool', elem: { kind: 'bool' } },
    dns: { kind: 'struct', name: 'types.DNS', fields: { nameservers: STRINGS, domain: { kind: 'string' }, search: STRINGS, options: STRINGS } },
    prevResult: ANY_MAP,
    'cni.dev/valid-attachments': {
      kind: 'slice',
      name: '[]types.GCAttachment',
      elem: { kind: 'struct', name: 'types.GCAttachment', fields: { containerID: { kind: 'string' }, ifname: { kind: 'string' } } },
    },
    ipam: ANY_MAP,
    subnetFile: { kind: 'string' },
    dataDir: { kind: 'string' },
    delegate: ANY_MAP,
    runtimeConfig: ANY_MAP,
  },
};

/**
 * `loadFlannelNetConf`: decodes the parsed stdin config, with `subnetFile` and `dataDir` defaulted.
 * Throws `failed to load netconf: <Go's decode error>`.
 *
 * @example
 * ```ts
 * loadFlannelNetConf({ name: 'cbr0', type: 'flannel', delegate: { hairpinMode: true } }).dataDir; // '/var/lib/cni/flannel'
 * ```
 */
export function loadFlannelNetConf(value: unknown): FlannelNetConf {
  let fields: Record<string, unknown>;
  try {
    fields = decodeGoJson(value, NET_CONF) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`failed to load netconf: ${(error as Error).message}`, { cause: error });
  }
  const text = (key: string, fallback: string): string => (typeof fields[key] === 'string' ? (fields[key] as string) : fallback);
  const map = (key: string): JsonMap | null => (fields[key] === undefined || fields[key] === null ? null : (fields[key] as JsonMap));
  return {
    cniVersion: text('cniVersion', ''),
    name: text('name', ''),
    type: text('type', ''),
    subnetFile: text('subnetFile', DEFAULT_SUBNET_FILE),
    dataDir: text('dataDir', DEFAULT_DATA_DIR),
    delegate: map('delegate'),
    ipam: map('ipam'),
    runtimeConfig: map('runtimeConfig'),
  };
}
