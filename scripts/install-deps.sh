#!/usr/bin/env bash
# Installs every Debian package nokv needs to build, test and benchmark, and
# the npm packages of the MCP conformance test (tests/mcp) and of the agent
# benchmark (bench/agent), each from its lock file.
# Idempotent: packages already present are left alone. Needs root for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential g++ cmake ninja-build pkg-config git
  librocksdb-dev libssl-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libsqlite3-dev sqlite3
  libre2-dev libyaml-cpp-dev
  python3 python3-yaml clang-format
  help2man dpkg-dev
  libcurl4-openssl-dev libpugixml-dev curl
  ceph-mon ceph-osd radosgw ceph-common awscli
)
# Node.js and npm run the MCP SDK client; any node >= 18 already on PATH will do.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

# The npm packages pinned in DIR/package-lock.json.
install_node_modules() {
  local dir=$1
  if [ -f "$dir/node_modules/.package-lock.json" ] &&
    [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    echo "install-deps: $dir/node_modules up to date"
    return
  fi
  echo "install-deps: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund)
}

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  install_node_modules tests/mcp
  install_node_modules bench/agent
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
install_node_modules tests/mcp
install_node_modules bench/agent
