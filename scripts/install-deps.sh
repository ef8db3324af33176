#!/usr/bin/env bash
# Installs every Debian package nokv needs to build, test and benchmark.
# Idempotent: packages already present are left alone. Needs root.
set -euo pipefail

PACKAGES=(
  build-essential g++ cmake ninja-build pkg-config git
  librocksdb-dev libssl-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libsqlite3-dev sqlite3
  python3 clang-format
  libcurl4-openssl-dev libpugixml-dev curl
  ceph-mon ceph-osd radosgw ceph-common awscli
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run this script as root (or install them with apt-get)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
