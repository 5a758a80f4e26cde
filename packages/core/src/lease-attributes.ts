import { FlannelError } from './errors.js';
import type { DecodeResult } from './decode-result.js';
import { IpNet } from './ip-net.js';
import { parseIPv4 } from './ipv4-text.js';
import type { LeaseAttributes } from './lease.js';
import { goCompactJson, goJsonString } from './json/go-json.js';
import { findMember, findValueMember, JsonSyntaxError, parseJsonDocument, type JsonNode } from './json/json-document.js';

function leaseInvalid(message: string, cause?: unknown): FlannelError {
  return new FlannelError('LEASE_INVALID', message, { cause });
}

function rawJson(field: string, raw: string): string {
  try {
    return goCompactJson(raw);
  } catch (error) {
    // A syntax error's text is the message, so it is not attached as the cause too: loggers that print
    // causes (pino's err serializer appends each cause's message) would repeat it.
    if (error instanceof JsonSyntaxError) throw leaseInvalid(`${field} is invalid: must be valid JSON (${error.message})`);
    throw leaseInvalid(`${field} is invalid: must be valid JSON (${String(error)})`, error);
  }
}

function describeNode(text: string, node: JsonNode): string {
  const raw = text.slice(node.start, node.end);
  return raw.length > 64 ? `${raw.slice(0, 61)}...` : raw;
}

/**
 * The JSON value of a lease in etcd (flannel's `LeaseAttrs`), byte for byte as Go's `encoding/json`
 * writes and reads it.
 *
 * `encode` writes fields in Go's order — `PublicIP`, `PublicIPv6` (`null` when absent), then
 * `BackendType`, `BackendData`, `BackendV6Data` only when set (`omitempty`) — with raw backend data
 * compacted as `json.Marshal` compacts a `json.RawMessage`.
 *
 * `decode` never throws: keys match case-insensitively (the last match wins), unknown keys are
 * ignored, `BackendData`/`BackendV6Data` are kept verbatim (including a literal `null`), and a
 * missing `PublicIP` reads as `0.0.0.0`, as in Go.
 *
 * @example
 * ```ts
 * leaseAttributes.encode({ publicIP: '1.2.3.4', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}' });
 * // '{"PublicIP":"1.2.3.4","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}}'
 * const result = leaseAttributes.decode('{"PublicIP":"1.2.3.4","PublicIPv6":null}');
 * if (result.ok) result.value.publicIP; // '1.2.3.4'
 * ```
 */
export const leaseAttributes = {
  /**
   * Writes the etcd value. Throws `FlannelError` (`LEASE_INVALID`) when an address is invalid or
   * backend data is not valid JSON: these are the caller's own data, not untrusted input.
   */
  encode(attributes: LeaseAttributes): string {
    if (!IpNet.isAddress(attributes.publicIP, 4)) {
      throw leaseInvalid(`PublicIP ${JSON.stringify(attributes.publicIP)} is invalid: must be an IPv4 address`);
    }
    let out = `{"PublicIP":"${IpNet.canonicalAddress(attributes.publicIP, 4)}","PublicIPv6":`;
    if (attributes.publicIPv6 === undefined) out += 'null';
    else if (IpNet.isAddress(attributes.publicIPv6, 6)) out += `"${IpNet.canonicalAddress(attributes.publicIPv6, 6)}"`;
    else throw leaseInvalid(`PublicIPv6 ${JSON.stringify(attributes.publicIPv6)} is invalid: must be an IPv6 address`);
    if (attributes.backendType !== undefined && attributes.backendType !== '') {
      out += `,"BackendType":${goJsonString(attributes.backendType)}`;
    }
    if (attributes.backendData !== undefined && attributes.backendData !== '') {
      out += `,"BackendData":${rawJson('BackendData', attributes.backendData)}`;
    }
    if (attributes.backendV6Data !== undefined && attributes.backendV6Data !== '') {
      out += `,"BackendV6Data":${rawJson('BackendV6Data', attributes.backendV6Data)}`;
    }
    return `${out}}`;
  },

  /** Reads the etcd value; on failure the `LEASE_INVALID` error names the field, the value and the rule. */
  decode(text: string): DecodeResult<LeaseAttributes> {
    return decodeLeaseAttributes(text);
  },
};

function decodeLeaseAttributes(text: string): DecodeResult<LeaseAttributes> {
  let root: JsonNode;
  try {
    root = parseJsonDocument(text);
  } catch (error) {
    // As in rawJson: a syntax error is told by the message alone, not repeated as the cause.
    if (error instanceof JsonSyntaxError) return { ok: false, error: leaseInvalid(`lease attributes are invalid: not JSON (${error.message})`) };
    return { ok: false, error: leaseInvalid(`lease attributes are invalid: not JSON (${String(error)})`, error) };
  }
  if (root.kind !== 'object') {
    return { ok: false, error: leaseInvalid(`lease attributes ${describeNode(text, root)} are invalid: must be a JSON object`) };
  }
  const fail = (field: string, node: JsonNode, rule: string): DecodeResult<LeaseAttributes> => ({
    ok: false,
    error: leaseInvalid(`${field} ${describeNode(text, node)} is invalid: ${rule}`),
  });

  let publicIP = '0.0.0.0';
  const publicIPMember = findMember(root, 'PublicIP');
  if (publicIPMember !== undefined) {
    const node = publicIPMember.value;
    // A dotted quad parseIPv4 accepts is canonical already (no leading zeros).
    if (node.kind !== 'string' || parseIPv4(node.value) < 0) return fail('PublicIP', node, 'must be an IPv4 address string');
    publicIP = node.value;
  }

  let publicIPv6: string | undefined;
  const publicIPv6Member = findMember(root, 'PublicIPv6');
  if (publicIPv6Member !== undefined && publicIPv6Member.value.kind !== 'null') {
    const node = publicIPv6Member.value;
    if (node.kind !== 'string' || !IpNet.isAddress(node.value, 6)) return fail('PublicIPv6', node, 'must be an IPv6 address string or null');
    publicIPv6 = IpNet.canonicalAddress(node.value, 6);
  }

  let backendType: string | undefined;
  // A string field: a later null is a no-op in Go, so the last non-null match wins.
  const backendTypeMember = findValueMember(root, 'BackendType');
  if (backendTypeMember !== undefined) {
    const node = backendTypeMember.value;
    if (node.kind !== 'string') return fail('BackendType', node, 'must be a string');
    if (node.value !== '') backendType = node.value;
  }

  const raw = (name: string): string | undefined => {
    const member = findMember(root, name);
    return member === undefined ? undefined : text.slice(member.value.start, member.value.end);
  };
  const backendData = raw('BackendData');
  const backendV6Data = raw('BackendV6Data');

  // The same keys in the same order for every lease; undefined fields are left out.
  const value: { -readonly [K in keyof LeaseAttributes]: LeaseAttributes[K] } = { publicIP };
  if (publicIPv6 !== undefined) value.publicIPv6 = publicIPv6;
  if (backendType !== undefined) value.backendType = backendType;
  if (backendData !== undefined) value.backendData = backendData;
  if (backendV6Data !== undefined) value.backendV6Data = backendV6Data;
  return { ok: true, value };
}
