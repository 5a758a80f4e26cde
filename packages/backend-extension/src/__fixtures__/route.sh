#!/bin/sh
# SubnetAdd/RemoveCommand of the end-to-end test: host-gw by hand. Records the peer's BackendData (stdin).
# Usage: route.sh replace|del NETNS SUBNET PUBLIC_IP
set -eu
action=$1 ns=$2 subnet=$3 via=$4
read -r data || true
printf '%s %s %s\n' "$action" "$subnet" "$data" >> "$RECORD_DIR/$ns.log"
ip -n "$ns" route "$action" "$subnet" via "$via" dev eth0
