#!/bin/sh
# Records how it was run: argv (one per line), the variables the extension backend sets, and stdin.
out="$RECORD_DIR/$(basename "$0").$$"
printf '%s\n' "$@" > "$out.argv"
printf 'SUBNET=%s\nPUBLIC_IP=%s\nNETWORK=%s\n' "$SUBNET" "$PUBLIC_IP" "$NETWORK" > "$out.env"
cat > "$out.stdin"
echo "to stdout"
echo "to stderr" >&2
exit "${EXIT_WITH:-0}"
