#!/usr/bin/env bash
# Installs dependencies, builds nokv, and runs the whole test suite twice:
# the optimized build, then the AddressSanitizer+UBSan build. Ends with a
# smoke run of the benchmark so it cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

bash scripts/build.sh release
ctest --preset release -j 2

bash scripts/build.sh asan
ctest --preset asan -j 2

if [ -x build/nokv-bench ]; then
  build/nokv-bench --scale=small
fi
