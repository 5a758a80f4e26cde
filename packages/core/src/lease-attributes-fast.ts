// The common case of lease decoding without building anything: one validating pass over the text
// (json/skip-json-value.ts) finds where each top-level member sits, and Go's key matching runs over those
// positions; only the fields' own strings are made. Internal to @flannel-ts/core; lease-attributes.ts
// falls back to its strict parser whenever this returns undefined, so errors (and every odd input) still
// come from one place.
import { IpNet } from './ip-net.js';
import { parseIPv4 } from './ipv4-text.js';
import type { LeaseAttributes } from './lease.js';
import { skipJsonSpace, skipJsonString, skipJsonValue } from './json/skip-json-value.js';

const PUBLIC_IP = 0;
const PUBLIC_IPV6 = 1;
const BACKEND_TYPE = 2;
const BACKEND_DATA = 3;
const BACKEND_V6_DATA = 4;
const UNKNOWN = -1;

/** The field a decoded key names, as Go matches it: the exact name, else equal ignoring case. */
function fieldOfKey(key: string): number {
  switch (key) {
    case 'PublicIP':
      return PUBLIC_IP;
    case 'PublicIPv6':
      return PUBLIC_IPV6;
    case 'BackendType':
      return BACKEND_TYPE;
    case 'BackendData':
      return BACKEND_DATA;
    case 'BackendV6Data':
      return BACKEND_V6_DATA;
  }
  switch (key.toLowerCase()) {
    case 'publicip':
      return PUBLIC_IP;
    case 'publicipv6':
      return PUBLIC_IPV6;
    case 'backendtype':
      return BACKEND_TYPE;
    case 'backenddata':
      return BACKEND_DATA;
    case 'backendv6data':
      return BACKEND_V6_DATA;
  }
  return UNKNOWN;
}

/** Whether `text[start, end)` holds a backslash (a JSON string with an escape). */
function hasBackslash(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 0x5c) return true;
  return false;
}

/** The field named by the JSON string key `text[start, end)` (quotes included); no string made for the exact names. */
function fieldOf(text: string, start: number, end: number): number {
  const escaped = hasBackslash(text, start, end);
  if (!escaped) {
    const length = end - start - 2;
    if (length === 8 && text.startsWith('PublicIP', start + 1)) return PUBLIC_IP;
    if (length === 10 && text.startsWith('PublicIPv6', start + 1)) return PUBLIC_IPV6;
    if (length === 11 && text.startsWith('BackendType', start + 1)) return BACKEND_TYPE;
    if (length === 11 && text.startsWith('BackendData', start + 1)) return BACKEND_DATA;
    if (length === 13 && text.startsWith('BackendV6Data', start + 1)) return BACKEND_V6_DATA;
  }
  return fieldOfKey(escaped ? (JSON.parse(text.slice(start, end)) as string) : text.slice(start + 1, end - 1));
}

/** Code units of {@link detachedSlice}, reused (no allocation per call). */
const codeUnits: number[] = [];

/**
 * `text.slice(start, end)` as a string of its own. V8 makes a slice of 13 characters or more a view that
 * keeps all of `text` alive: the attributes a watcher holds for each lease would keep each lease's whole
 * value text. Up to 256 characters (BackendData is ~45, an address at most 39) the characters are copied.
 */
function detachedSlice(text: string, start: number, end: number): string {
  const length = end - start;
  if (length < 13 || length > 256) return text.slice(start, end);
  codeUnits.length = length;
  for (let i = 0; i < length; i++) codeUnits[i] = text.charCodeAt(start + i);
  return String.fromCharCode.apply(null, codeUnits);
}

/** The text of the JSON value `text[start, end)` when it is a string, or undefined. */
function stringValue(text: string, start: number, end: number): string | undefined {
  if (text.charCodeAt(start) !== 0x22) return undefined;
  return hasBackslash(text, start, end) ? (JSON.parse(text.slice(start, end)) as string) : detachedSlice(text, start + 1, end - 1);
}

function isNull(text: string, start: number, end: number): boolean {
  return end - start === 4 && text.startsWith('null', start);
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
  // Where the last value of each field starts and ends (-1: absent); BackendType ignores null.
  let publicIPStart = -1;
  let publicIPEnd = -1;
  let publicIPv6Start = -1;
  let publicIPv6End = -1;
  let backendTypeStart = -1;
  let backendTypeEnd = -1;
  let backendDataStart = -1;
  let backendDataEnd = -1;
  let backendV6DataStart = -1;
  let backendV6DataEnd = -1;

  let pos = skipJsonSpace(text, 0);
  if (text.charCodeAt(pos) !== 0x7b) return undefined;
  pos = skipJsonSpace(text, pos + 1);
  if (text.charCodeAt(pos) === 0x7d) {
    pos++;
  } else {
    for (;;) {
      const keyStart = pos;
      const keyEnd = skipJsonString(text, keyStart);
      if (keyEnd < 0) return undefined;
      const colon = skipJsonSpace(text, keyEnd);
      if (text.charCodeAt(colon) !== 0x3a) return undefined;
      const start = skipJsonSpace(text, colon + 1);
      // The root object is open already: the value's own containers start at the second level.
      const end = skipJsonValue(text, start, 1);
      if (end < 0) return undefined;
      switch (fieldOf(text, keyStart, keyEnd)) {
        case PUBLIC_IP:
          publicIPStart = start;
          publicIPEnd = end;
          break;
        case PUBLIC_IPV6:
          publicIPv6Start = start;
          publicIPv6End = end;
          break;
        case BACKEND_TYPE:
          if (!isNull(text, start, end)) {
            backendTypeStart = start;
            backendTypeEnd = end;
          }
          break;
        case BACKEND_DATA:
          backendDataStart = start;
          backendDataEnd = end;
          break;
        case BACKEND_V6_DATA:
          backendV6DataStart = start;
          backendV6DataEnd = end;
          break;
      }
      pos = skipJsonSpace(text, end);
      const separator = text.charCodeAt(pos);
      if (separator === 0x7d) {
        pos++;
        break;
      }
      if (separator !== 0x2c) return undefined;
      pos = skipJsonSpace(text, pos + 1);
    }
  }
  if (skipJsonSpace(text, pos) !== text.length) return undefined;

  let publicIP = '0.0.0.0';
  if (publicIPStart >= 0) {
    const value = stringValue(text, publicIPStart, publicIPEnd);
    // A dotted quad parseIPv4 accepts is already canonical (no leading zeros).
    if (value === undefined || parseIPv4(value) < 0) return undefined;
    publicIP = value;
  }
  let publicIPv6: string | undefined;
  if (publicIPv6Start >= 0 && !isNull(text, publicIPv6Start, publicIPv6End)) {
    const value = stringValue(text, publicIPv6Start, publicIPv6End);
    if (value === undefined || !IpNet.isAddress(value, 6)) return undefined;
    publicIPv6 = IpNet.canonicalAddress(value, 6);
  }
  let backendType: string | undefined;
  if (backendTypeStart >= 0) {
    const value = stringValue(text, backendTypeStart, backendTypeEnd);
    if (value === undefined) return undefined;
    if (value !== '') backendType = value;
  }
  const backendData = backendDataStart < 0 ? undefined : detachedSlice(text, backendDataStart, backendDataEnd);
  const backendV6Data = backendV6DataStart < 0 ? undefined : detachedSlice(text, backendV6DataStart, backendV6DataEnd);

  // Same fields in the same order as the strict path builds them. The common shapes are built as one
  // literal: a property added later goes to a separate backing store, allocated per lease.
  if (publicIPv6 === undefined && backendType !== undefined && backendData !== undefined && backendV6Data === undefined) {
    return { publicIP, backendType, backendData };
  }
  if (publicIPv6 !== undefined && backendType !== undefined && backendData !== undefined) {
    return backendV6Data === undefined
      ? { publicIP, publicIPv6, backendType, backendData }
      : { publicIP, publicIPv6, backendType, backendData, backendV6Data };
  }
  const attributes: { -readonly [K in keyof LeaseAttributes]: LeaseAttributes[K] } = { publicIP };
  if (publicIPv6 !== undefined) attributes.publicIPv6 = publicIPv6;
  if (backendType !== undefined) attributes.backendType = backendType;
  if (backendData !== undefined) attributes.backendData = backendData;
  if (backendV6Data !== undefined) attributes.backendV6Data = backendV6Data;
  return attributes;
}
