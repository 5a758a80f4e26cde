#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (Node 20, npm and apt present, run as root) to build and test
# flannel-ts: the Debian packages the tests need, the pinned pnpm, dependencies, and a build.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "setup.sh: run as root (the lab creates network namespaces and talks to the kernel)" >&2
  exit 1
fi

mapfile -t wanted < <(grep -Ev '^\s*(#|$)' scripts/apt-packages.txt)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup.sh: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's etcd-server package may start a system etcd on 2379; the lab never uses it (free ports only).

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "setup.sh: installing pnpm@$pnpm_version"
  npm install -g --silent "pnpm@$pnpm_version"
fi

pnpm install --frozen-lockfile --reporter=append-only >/dev/null
pnpm build >/dev/null
echo "setup.sh: ready"
