// The common case of lease decoding without building a syntax tree: JSON.parse validates (natively), a
// scanner finds where each top-level member sits, and Go's key matching runs over those spans.
// Internal to @flannel-ts/core; lease-attributes.ts falls back to its strict parser whenever this
// returns undefined, so errors (and every odd input) still come from one place.
import { IpNet } from './ip-net.js';
import { parseIPv4 } from './ipv4-text.js';
import type { LeaseAttributes } from './lease.js';
import { scanObjectMemberSpans, type JsonMemberSpan } from './json/object-member-spans.js';

/** The text of a JSON string value at `member`, or undefined when the value is not a string. */
function stringValue(text: string, member: JsonMemberSpan): string | undefined {
  if (text.charCodeAt(member.start) !== 0x22) return undefined;
  const inner = text.slice(member.start + 1, member.end - 1);
  return inner.includes('\\') ? (JSON.parse(text.slice(member.start, member.end)) as string) : inner;
}

function isNull(text: string, member: JsonMemberSpan): boolean {
  return member.end - member.start === 4 && text.startsWith('null', member.start);
}

/**
 * What `leaseAttributes.decode` returns for `text` when that is a success it can vouch for; `undefined`
 * otherwise (not JSON, not an object, nested past the strict parser's limit, or any field invalid), for
 * the strict path to decode and explain. Keys match as in the strict path: `key === name ||
 * key.toLowerCase() === folded`, last match wins, `BackendType` ignoring `null`.
 *
 * @example
 * ```ts
 * decodeLeaseAttributesFast('{"PublicIP":"10.0.0.1","PublicIPv6":null}'); // { publicIP: '10.0.0.1' }
 * decodeLeaseAttributesFast('{"PublicIP":"nope"}'); // undefined
 * ```
 */
export function decodeLeaseAttributesFast(text: string): LeaseAttributes | undefined {
  if (typeof text !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const members = scanObjectMemberSpans(text);
  if (members === undefined) return undefined;

  let publicIPMember: JsonMemberSpan | undefined;
  let publicIPv6Member: JsonMemberSpan | undefined;
  let backendTypeMember: JsonMemberSpan | undefined;
  let backendDataMember: JsonMemberSpan | undefined;
  let backendV6DataMember: JsonMemberSpan | undefined;
  for (const member of members) {
    switch (member.key) {
      case 'PublicIP':
        publicIPMember = member;
        continue;
      case 'PublicIPv6':
        publicIPv6Member = member;
        continue;
      case 'BackendType':
        if (!isNull(text, member)) backendTypeMember = member;
        continue;
      case 'BackendData':
        backendDataMember = member;
        continue;
      case 'BackendV6Data':
        backendV6DataMember = member;
        continue;
    }
    switch (member.key.toLowerCase()) {
      case 'publicip':
        publicIPMember = member;
        break;
      case 'publicipv6':
        publicIPv6Member = member;
        break;
      case 'backendtype':
        if (!isNull(text, member)) backendTypeMember = member;
        break;
      case 'backenddata':
        backendDataMember = member;
        break;
      case 'backendv6data':
        backendV6DataMember = member;
        break;
    }
  }

  let publicIP = '0.0.0.0';
  if (publicIPMember !== undefined) {
    const value = stringValue(text, publicIPMember);
    // A dotted quad parseIPv4 accepts is already canonical (no leading zeros).
    if (value === undefined || parseIPv4(value) < 0) return undefined;
    publicIP = value;
  }
  let publicIPv6: string | undefined;
  if (publicIPv6Member !== undefined && !isNull(text, publicIPv6Member)) {
    const value = stringValue(text, publicIPv6Member);
    if (value === undefined || !IpNet.isAddress(value, 6)) return undefined;
    publicIPv6 = IpNet.canonicalAddress(value, 6);
  }
  let backendType: string | undefined;
  if (backendTypeMember !== undefined) {
    const value = stringValue(text, backendTypeMember);
    if (value === undefined) return undefined;
    if (value !== '') backendType = value;
  }
  const backendData = backendDataMember === undefined ? undefined : text.slice(backendDataMember.start, backendDataMember.end);
  const backendV6Data = backendV6DataMember === undefined ? undefined : text.slice(backendV6DataMember.start, backendV6DataMember.end);

  // Same fields in the same order as the strict path builds them.
  const attributes: { -readonly [K in keyof LeaseAttributes]: LeaseAttributes[K] } = { publicIP };
  if (publicIPv6 !== undefined) attributes.publicIPv6 = publicIPv6;
  if (backendType !== undefined) attributes.backendType = backendType;
  if (backendData !== undefined) attributes.backendData = backendData;
  if (backendV6Data !== undefined) attributes.backendV6Data = backendV6Data;
  return attributes;
}
