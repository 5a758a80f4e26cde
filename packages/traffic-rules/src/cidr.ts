import { isIPv6 } from 'node:net';
import { FlannelError } from '@flannel-ts/core';

/** An IP address family: 4 or 6 (the same values as core's `IpFamily`). */
export type RuleFamily = 4 | 6;

/**
 * A CIDR as the rule generators take it: text such as `10.5.0.0/16`, or any object whose `toString()`
 * gives that text (core's `IpNet`).
 */
export type CidrInput = string | { toString(): string };

/** A parsed CIDR normalised to its network address, in the text form `iptables -S` and `nft list` print. */
export interface Cidr {
  /** 4 or 6. */
  readonly family: RuleFamily;
  /** Canonical `address/prefix`: `10.5.34.0/24`, `fd00:10:244::/56`. */
  readonly text: string;
}

/** Where a CIDR is used, for error messages: `masq rules: subnet`. */
export interface CidrContext {
  /** The field the caller passed (`network`, `subnet`, `previousNetwork`). */
  readonly field: string;
  /** The rule set being generated (`masq rules`, `forward rules`). */
  readonly ruleSet: string;
}

function invalid(context: CidrContext, value: unknown, rule: string): FlannelError {
  return new FlannelError(
    'TRAFFIC_RULES_FAILED',
    `${context.ruleSet}: ${context.field} ${JSON.stringify(String(value))} is invalid: ${rule}`,
    { isRetryable: false },
  );
}

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    // Go's net.ParseIP rejects leading zeros (ambiguous octal); so do we.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

function parseIPv6(text: string): number[] | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  let head = text;
  const tailBytes: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tailBytes.push(...v4);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::') as [string, string | undefined];
  const groupsOf = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const leftGroups = groupsOf(left);
  const rightGroups = right === undefined ? [] : groupsOf(right);
  const fill = right === undefined ? 0 : 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...new Array<number>(fill).fill(0), ...rightGroups];
  if (groups.length !== 8) return undefined;
  const bytes = groups.flatMap((group) => [group >> 8, group & 0xff]);
  if (tailBytes.length === 4) bytes.splice(12, 4, ...tailBytes);
  return bytes;
}

/** RFC 5952 text (as Go's `net.IP.String` and glibc's `inet_ntop` print): longest zero run of ≥2 groups as `::`. */
function formatIPv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; ) {
    if (groups[start] !== 0) {
      start += 1;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = (list: number[]): string => list.map((group) => group.toString(16)).join(':');
  if (bestLength < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

function mask(bytes: number[], prefix: number): number[] {
  return bytes.map((byte, index) => {
    const bitsHere = Math.max(0, Math.min(8, prefix - index * 8));
    return byte & ((0xff << (8 - bitsHere)) & 0xff);
  });
}

/**
 * Parses a CIDR, normalises it to its network address (as Go's `net.ParseCIDR`) and checks its family.
 * Throws `FlannelError('TRAFFIC_RULES_FAILED')` naming the rule set, the field and the value.
 *
 * @example
 * ```ts
 * parseCidr('10.5.34.7/24', { field: 'subnet', ruleSet: 'masq rules' }, 4).text; // '10.5.34.0/24'
 * ```
 */
export function parseCidr(input: CidrInput, context: CidrContext, family?: RuleFamily): Cidr {
  const text = typeof input === 'string' ? input : input === null || input === undefined ? '' : String(input);
  const slash = text.indexOf('/');
  if (slash < 0) throw invalid(context, text, 'must be a CIDR of the form address/prefix');
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const v4 = parseIPv4(address);
  const bytes = v4 ?? parseIPv6(address);
  if (bytes === undefined) throw invalid(context, text, 'must be a CIDR with an IPv4 or IPv6 address');
  const detected: RuleFamily = v4 === undefined ? 6 : 4;
  const maxPrefix = detected === 4 ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    throw invalid(context, text, `prefix length must be an integer from 0 to ${maxPrefix}`);
  }
  if (family !== undefined && family !== detected) {
    throw invalid(context, text, `must be an IPv${family} CIDR like the network it goes with`);
  }
  const prefix = Number(prefixText);
  const network = mask(bytes, prefix);
  const formatted = detected === 4 ? network.join('.') : formatIPv6(network);
  return { family: detected, text: `${formatted}/${prefix}` };
}
