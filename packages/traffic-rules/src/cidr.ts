import { FlannelError, IpNet } from '@flannel-ts/core';

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
  // core's IpNet has Go's net.ParseCIDR rules (no leading zeros in octets, no zones) and prints the
  // canonical text iptables -S and nft list print (network address, RFC 5952 IPv6).
  if (!IpNet.isAddress(address)) throw invalid(context, text, 'must be a CIDR with an IPv4 or IPv6 address');
  const detected: RuleFamily = IpNet.parseAddress(address).family;
  const maxPrefix = detected === 4 ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    throw invalid(context, text, `prefix length must be an integer from 0 to ${maxPrefix}`);
  }
  if (family !== undefined && family !== detected) {
    throw invalid(context, text, `must be an IPv${family} CIDR like the network it goes with`);
  }
  return { family: detected, text: IpNet.parse(text).toString() };
}
