// Golden output from flannel's e2e suite (e2e/rules.go) for its default networks: Network 10.42.0.0/16 with
// node subnet 10.42.1.0/24, and IPv6 Network fd00:10:244::/56 with node subnet fd00:10:244:1::/64.
// Written out literally so a generator bug cannot hide in a shared helper.

export const NETWORK_V4 = '10.42.0.0/16';
export const SUBNET_V4 = '10.42.1.0/24';
export const NETWORK_V6 = 'fd00:10:244::/56';
export const SUBNET_V6 = 'fd00:10:244:1::/64';

/** `iptables -t nat -S POSTROUTING | grep FLANNEL` + `iptables -t nat -S FLANNEL-POSTRTG`. */
export const IPTABLES_NAT_V4 = [
  '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
  '-N FLANNEL-POSTRTG',
  '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s 10.42.1.0/24 -d 10.42.0.0/16 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s 10.42.0.0/16 -d 10.42.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG ! -s 10.42.0.0/16 -d 10.42.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s 10.42.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
  '-A FLANNEL-POSTRTG ! -s 10.42.0.0/16 -d 10.42.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
].join('\n');

/** The IPv6 counterpart (`ip6tables`). */
export const IPTABLES_NAT_V6 = [
  '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
  '-N FLANNEL-POSTRTG',
  '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s fd00:10:244:1::/64 -d fd00:10:244::/56 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s fd00:10:244::/56 -d fd00:10:244:1::/64 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG ! -s fd00:10:244::/56 -d fd00:10:244:1::/64 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s fd00:10:244::/56 ! -d ff00::/8 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
  '-A FLANNEL-POSTRTG ! -s fd00:10:244::/56 -d fd00:10:244::/56 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
].join('\n');

/**
 * `iptables -t filter -S FORWARD` + `-S FLANNEL-FWD` on a host where flannel's jump is the only FORWARD rule
 * (flannel's e2e expectation also lists kube-proxy's rules before it).
 */
export const IPTABLES_FILTER_V4 = [
  '-P FORWARD ACCEPT',
  '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
  '-N FLANNEL-FWD',
  '-A FLANNEL-FWD -s 10.42.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
  '-A FLANNEL-FWD -d 10.42.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
].join('\n');

/** The IPv6 counterpart. */
export const IPTABLES_FILTER_V6 = [
  '-P FORWARD ACCEPT',
  '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
  '-N FLANNEL-FWD',
  '-A FLANNEL-FWD -s fd00:10:244::/56 -m comment --comment "flanneld forward" -j ACCEPT',
  '-A FLANNEL-FWD -d fd00:10:244::/56 -m comment --comment "flanneld forward" -j ACCEPT',
].join('\n');

/** `nft list chain ip flannel-ipv4 postrtg`. */
export const NFT_POSTRTG_V4 = [
  'table ip flannel-ipv4 {',
  '\tchain postrtg {',
  '\t\tcomment "chain to manage traffic masquerading by flannel"',
  '\t\ttype nat hook postrouting priority srcnat; policy accept;',
  '\t\tmeta mark 0x00004000 return',
  '\t\tip saddr 10.42.1.0/24 ip daddr 10.42.0.0/16 return',
  '\t\tip saddr 10.42.0.0/16 ip daddr 10.42.1.0/24 return',
  '\t\tip saddr != 10.42.1.0/24 ip daddr 10.42.0.0/16 return',
  '\t\tip saddr 10.42.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random',
  '\t\tip saddr != 10.42.0.0/16 ip daddr 10.42.0.0/16 masquerade fully-random',
  '\t}',
  '}',
].join('\n');

/** `nft list chain ip flannel-ipv4 forward`. */
export const NFT_FORWARD_V4 = [
  'table ip flannel-ipv4 {',
  '\tchain forward {',
  '\t\tcomment "chain to accept flannel traffic"',
  '\t\ttype filter hook forward priority filter; policy accept;',
  '\t\tip saddr 10.42.0.0/16 accept',
  '\t\tip daddr 10.42.0.0/16 accept',
  '\t}',
  '}',
].join('\n');

/** `nft list chain ip6 flannel-ipv6 postrtg`. */
export const NFT_POSTRTG_V6 = [
  'table ip6 flannel-ipv6 {',
  '\tchain postrtg {',
  '\t\tcomment "chain to manage traffic masquerading by flannel"',
  '\t\ttype nat hook postrouting priority srcnat; policy accept;',
  '\t\tmeta mark 0x00004000 return',
  '\t\tip6 saddr fd00:10:244:1::/64 ip6 daddr fd00:10:244::/56 return',
  '\t\tip6 saddr fd00:10:244::/56 ip6 daddr fd00:10:244:1::/64 return',
  '\t\tip6 saddr != fd00:10:244:1::/64 ip6 daddr fd00:10:244::/56 return',
  '\t\tip6 saddr fd00:10:244::/56 ip6 daddr != ff00::/8 masquerade fully-random',
  '\t\tip6 saddr != fd00:10:244::/56 ip6 daddr fd00:10:244::/56 masquerade fully-random',
  '\t}',
  '}',
].join('\n');

/** `nft list chain ip6 flannel-ipv6 forward`. */
export const NFT_FORWARD_V6 = [
  'table ip6 flannel-ipv6 {',
  '\tchain forward {',
  '\t\tcomment "chain to accept flannel traffic"',
  '\t\ttype filter hook forward priority filter; policy accept;',
  '\t\tip6 saddr fd00:10:244::/56 accept',
  '\t\tip6 daddr fd00:10:244::/56 accept',
  '\t}',
  '}',
].join('\n');
