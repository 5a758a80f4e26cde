import { describe, expect, it } from 'vitest';
import { forwardRules } from './forward-rules.js';
import { ruleToLine } from './iptables-rule.js';
import { IPTABLES_FILTER_V4, IPTABLES_FILTER_V6, NETWORK_V4, NETWORK_V6 } from './__fixtures__/flannel-golden.js';

function asListed(lines: string[]): string {
  const [jump, ...chain] = lines;
  return ['-P FORWARD ACCEPT', jump, '-N FLANNEL-FWD', ...chain].join('\n');
}

describe('forwardRules', () => {
  it('generates flannel e2e golden IPv4 forward rules in the filter table', () => {
    const rules = forwardRules({ network: NETWORK_V4 });
    expect(rules.every((rule) => rule.table === 'filter')).toBe(true);
    expect(asListed(rules.map((rule) => ruleToLine(rule)))).toBe(IPTABLES_FILTER_V4);
  });

  it('generates flannel e2e golden IPv6 forward rules', () => {
    expect(asListed(forwardRules({ network: NETWORK_V6, family: 6 }).map((rule) => ruleToLine(rule)))).toBe(IPTABLES_FILTER_V6);
  });

  it('rejects an invalid network naming the rule set', () => {
    expect(() => forwardRules({ network: '10.42.0.0' })).toThrow('forward rules: network "10.42.0.0" is invalid');
  });
});
