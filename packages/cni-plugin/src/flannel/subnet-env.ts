// subnet.env as flannel's CNI plugin reads it (cni-plugin `flannel.go` `loadFlannelSubnetEnv`), which is
// not the daemon's parser: lines split at the first `=`, only six keys looked at, networks as comma lists
// (duplicates dropped), subnets reduced to their network address (`10.1.17.1/24` → `10.1.17.0/24`),
// `FLANNEL_IPMASQ` true only for exactly `true`, and one error naming every missing key.
import { closeSync, openSync, readSync } from 'node:fs';
import { goPathError } from '../go-json/go-path-error.js';
import { parseGoCidr, sameGoIpNet } from '../go-json/go-net.js';
import type { GoIpNet } from '../go-json/go-net.js';

/** What the plugin takes from subnet.env. */
export interface FlannelSubnetEnv {
  /** FLANNEL_NETWORK entries (networks, duplicates dropped). */
  readonly networks: readonly GoIpNet[];
  /** FLANNEL_SUBNET as a network. */
  readonly subnet: GoIpNet | undefined;
  readonly ipv6Networks: readonly GoIpNet[];
  readonly ipv6Subnet: GoIpNet | undefined;
  readonly mtu: number;
  readonly ipMasq: boolean;
}

/** Go's bufio.Scanner limit on one line. */
const MAX_LINE_BYTES = 64 * 1024;

function parseUint32(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = Number(text);
  if (value > 0xffffffff) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return value;
}

function parseNetworks(text: string): GoIpNet[] {
  const networks: GoIpNet[] = [];
  for (const cidr of text.split(',')) {
    const network = parseGoCidr(cidr).network;
    if (!networks.some((each) => sameGoIpNet(each, network))) networks.push(network);
  }
  return networks;
}

/**
 * Parses subnet.env text; `file` names the file in the "is missing" error.
 *
 * @example
 * ```ts
 * parseFlannelSubnetEnv('FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n', 'subnet.env');
 * ```
 */
export function parseFlannelSubnetEnv(text: string, file: string): FlannelSubnetEnv {
  let networks: GoIpNet[] = [];
  let ipv6Networks: GoIpNet[] = [];
  let subnet: GoIpNet | undefined;
  let ipv6Subnet: GoIpNet | undefined;
  let mtu: number | undefined;
  let ipMasq: boolean | undefined;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.endsWith('\r') ? lines[index]!.slice(0, -1) : lines[index]!;
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) throw new Error('bufio.Scanner: token too long');
    const equals = line.indexOf('=');
    const key = equals < 0 ? line : line.slice(0, equals);
    const known = ['FLANNEL_NETWORK', 'FLANNEL_SUBNET', 'FLANNEL_IPV6_NETWORK', 'FLANNEL_IPV6_SUBNET', 'FLANNEL_MTU', 'FLANNEL_IPMASQ'];
    if (!known.includes(key)) continue;
    // flannel's plugin indexes parts[1] and crashes on a known key without `=`; this reports it instead.
    if (equals < 0) throw new Error(`${file} line ${index + 1}: ${key} has no "=" and no value`);
    const value = line.slice(equals + 1);
    if (key === 'FLANNEL_NETWORK') networks = parseNetworks(value);
    else if (key === 'FLANNEL_IPV6_NETWORK') ipv6Networks = parseNetworks(value);
    else if (key === 'FLANNEL_SUBNET') subnet = parseGoCidr(value).network;
    else if (key === 'FLANNEL_IPV6_SUBNET') ipv6Subnet = parseGoCidr(value).network;
    else if (key === 'FLANNEL_MTU') mtu = parseUint32(value);
    else ipMasq = value === 'true';
  }
  const missing: string[] = [];
  if (networks.length === 0 && ipv6Networks.length === 0) missing.push('FLANNEL_NETWORK', 'FLANNEL_IPV6_NETWORK');
  if (subnet === undefined && ipv6Subnet === undefined) missing.push('FLANNEL_SUBNET', 'FLANNEL_IPV6_SUBNET');
  if (mtu === undefined) missing.push('FLANNEL_MTU');
  if (ipMasq === undefined) missing.push('FLANNEL_IPMASQ');
  if (missing.length > 0 || mtu === undefined || ipMasq === undefined) throw new Error(`${file} is missing ${missing.join(', ')}`);
  return { networks, subnet, ipv6Networks, ipv6Subnet, mtu, ipMasq };
}

/** A real subnet.env is a few hundred bytes; more than this is not one (a device, a FIFO, a wrong path). */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The file's text, read as Go's `bufio.Scanner` reads it: in chunks, stopping once a line is longer than the
 * scanner's limit (the parser then reports "token too long", as flannel does), so `/dev/zero` or a FIFO
 * that never ends cannot hang the plugin or fill its memory. A file over {@link MAX_FILE_BYTES} is refused.
 */
function readSubnetEnvText(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw goPathError((error as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open', file, error);
  }
  try {
    const chunks: Buffer[] = [];
    const buffer = Buffer.alloc(64 * 1024);
    let total = 0;
    let lineBytes = 0;
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        throw goPathError('read', file, error);
      }
      if (read === 0) break;
      const chunk = Buffer.from(buffer.subarray(0, read));
      chunks.push(chunk);
      total += read;
      const newline = chunk.lastIndexOf(0x0a);
      lineBytes = newline < 0 ? lineBytes + read : read - newline - 1;
      if (lineBytes > MAX_LINE_BYTES) break;
      if (total > MAX_FILE_BYTES) throw new Error(`${file} is larger than ${MAX_FILE_BYTES} bytes: it is not a subnet.env`);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Reads and parses the file (`open <file>: no such file or directory` when absent, as Go words it). */
export function loadFlannelSubnetEnv(file: string): FlannelSubnetEnv {
  return parseFlannelSubnetEnv(readSubnetEnvText(file), file);
}
