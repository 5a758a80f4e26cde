import { describe, expect, it } from 'vitest';
import { NFT_FORWARD_CHAIN, NFT_MASQ_CHAIN, nftForwardRules, nftMasqRules } from './nft-rules.js';
import { renderNftChainScript, renderNftDeleteTableScript, renderNftTableScript } from './nft-script.js';
import { NETWORK_V4, NETWORK_V6, SUBNET_V4, SUBNET_V6 } from './__fixtures__/flannel-golden.js';

describe('nftMasqRules', () => {
  it('matches flannel addMasqRules for IPv4 (exact mark, rule 4 is saddr != subnet)', () => {
    expect(nftMasqRules({ network: NETWORK_V4, subnet: SUBNET_V4, randomFully: true })).toEqual([
      'meta mark 0x4000 return',
      'ip saddr 10.42.1.0/24 ip daddr 10.42.0.0/16 return',
      'ip saddr 10.42.0.0/16 ip daddr 10.42.1.0/24 return',
      'ip saddr != 10.42.1.0/24 ip daddr 10.42.0.0/16 return',
      'ip saddr 10.42.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random',
      'ip saddr != 10.42.0.0/16 ip daddr 10.42.0.0/16 masquerade fully-random',
    ]);
  });

  it('uses ip6 matches and ff00::/8 for IPv6, plain masquerade without fully-random', () => {
    expect(nftMasqRules({ network: NETWORK_V6, subnet: SUBNET_V6, family: 6, randomFully: false }).slice(3)).toEqual([
      'ip6 saddr != fd00:10:244:1::/64 ip6 daddr fd00:10:244::/56 return',
      'ip6 saddr fd00:10:244::/56 ip6 daddr != ff00::/8 masquerade',
      'ip6 saddr != fd00:10:244::/56 ip6 daddr fd00:10:244::/56 masquerade',
    ]);
  });

  it('rejects a family mismatch before generating anything', () => {
    expect(() => nftMasqRules({ network: NETWORK_V6, subnet: SUBNET_V4, randomFully: true })).toThrow(
      'nftables masq rules: subnet "10.42.1.0/24" is invalid: must be an IPv6 CIDR',
    );
  });
});

describe('nft scripts', () => {
  it('renders the table with flannel comment', () => {
    expect(renderNftTableScript(4)).toBe('add table ip flannel-ipv4 { comment "rules for flannel-ipv4" ; }\n');
    expect(renderNftTableScript(6)).toBe('add table ip6 flannel-ipv6 { comment "rules for flannel-ipv6" ; }\n');
  });

  it('renders add chain, flush chain, then rules, as one transaction', () => {
    expect(renderNftChainScript(6, NFT_FORWARD_CHAIN, nftForwardRules({ network: NETWORK_V6 }))).toBe(
      'add chain ip6 flannel-ipv6 forward { type filter hook forward priority filter ; comment "chain to accept flannel traffic" ; }\n' +
        'flush chain ip6 flannel-ipv6 forward\n' +
        'add rule ip6 flannel-ipv6 forward ip6 saddr fd00:10:244::/56 accept\n' +
        'add rule ip6 flannel-ipv6 forward ip6 daddr fd00:10:244::/56 accept\n',
    );
    expect(renderNftChainScript(4, NFT_MASQ_CHAIN, []).split('\n')[0]).toBe(
      'add chain ip flannel-ipv4 postrtg { type nat hook postrouting priority srcnat ; comment "chain to manage traffic masquerading by flannel" ; }',
    );
  });

  it('renders table deletion for cleanup', () => {
    expect(renderNftDeleteTableScript(6)).toBe('delete table ip6 flannel-ipv6\n');
  });
});
