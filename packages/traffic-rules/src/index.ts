/** flannel's masquerade and forward rules through iptables-restore or nft. */
export {};
