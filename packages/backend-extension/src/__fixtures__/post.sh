#!/bin/sh
# PostStartupCommand of the end-to-end test: what a CNI bridge would do, a cni0 bridge holding the
# first address of this host's subnet. Usage: post.sh NETNS SUBNET
set -eu
ns=$1 subnet=$2
base=${subnet%/*} length=${subnet#*/}
address="${base%.*}.$(( ${base##*.} + 1 ))/$length"
ip -n "$ns" link add cni0 type bridge
ip -n "$ns" addr add "$address" dev cni0
ip -n "$ns" link set cni0 up
echo "cni0 $address"
