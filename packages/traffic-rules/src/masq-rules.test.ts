import { describe, expect, it } from 'vitest';
import { masqRules } from './masq-rules.js';
import { ruleToLine } from './iptables-rule.js';
import { IPTABLES_NAT_V4, IPTABLES_NAT_V6, NETWORK_V4, NETWORK_V6, SUBNET_V4, SUBNET_V6 } from './__fixtures__/flannel-golden.js';

/** What `iptables -S` prints for a freshly installed set: the jump, `-N`, then the chain's rules. */
function asListed(lines: string[]): string {
  const [jump, ...chain] = lines;
  return [jump, '-N FLANNEL-POSTRTG', ...chain].join('\n');
}

describe('masqRules', () => {
  it('generates flannel e2e golden IPv4 rules with --random-fully', () => {
    const rules = masqRules({ network: NETWORK_V4, subnet: SUBNET_V4, randomFully: true });
    expect(rules.every((rule) => rule.table === 'nat')).toBe(true);
    expect(asListed(rules.map((rule) => ruleToLine(rule)))).toBe(IPTABLES_NAT_V4);
  });

  it('generates flannel e2e golden IPv6 rules (multicast ff00::/8)', () => {
    const rules = masqRules({ network: NETWORK_V6, subnet: SUBNET_V6, family: 6, randomFully: true });
    expect(asListed(rules.map((rule) => ruleToLine(rule)))).toBe(IPTABLES_NAT_V6);
  });

  it('drops --random-fully from both MASQUERADE rules when not supported or disabled', () => {
    const lines = masqRules({ network: NETWORK_V4, subnet: SUBNET_V4, randomFully: false }).map((rule) => ruleToLine(rule));
    expect(lines.slice(5)).toEqual([
      '-A FLANNEL-POSTRTG -s 10.42.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE',
      '-A FLANNEL-POSTRTG ! -s 10.42.0.0/16 -d 10.42.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE',
    ]);
  });

  it('uses the network address of a subnet given as host address (FLANNEL_SUBNET=10.42.1.1/24)', () => {
    const lines = masqRules({ network: NETWORK_V4, subnet: '10.42.1.1/24', randomFully: true }).map((rule) => ruleToLine(rule));
    expect(asListed(lines)).toBe(IPTABLES_NAT_V4);
  });

  it('rejects a subnet of the other family, naming field and rule set', () => {
    expect(() => masqRules({ network: NETWORK_V4, subnet: SUBNET_V6, randomFully: true })).toThrow(
      'masq rules: subnet "fd00:10:244:1::/64" is invalid: must be an IPv4 CIDR like the network it goes with',
    );
  });

  it('rejects a network that is not the expected family', () => {
    expect(() => masqRules({ network: NETWORK_V4, subnet: SUBNET_V4, family: 6, randomFully: true })).toThrow(
      'masq rules: network "10.42.0.0/16" is invalid: must be an IPv6 CIDR',
    );
  });
});
