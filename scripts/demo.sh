#!/usr/bin/env bash
# Installs dependencies, builds nokv and runs it on its embedded defaults:
# publishes a small run directory, lists it, reads a file back, checks it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release

nokv=build/nokv
export NOKV_DATA_DIR="${NOKV_DATA_DIR:-$PWD/.nokv}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/run-001/artifacts"
printf '{"lr": 0.0003, "batch_size": 64, "status": "completed"}\n' >"$work/run-001/metadata.json"
for step in $(seq 1 2000); do echo "step $step loss $((5000 - step))"; done >"$work/run-001/artifacts/stdout.txt"
head -c $((6 * 1024 * 1024)) /dev/urandom >"$work/run-001/model.ckpt"

set -x
$nokv put -r "$work/run-001" /demo/runs/
$nokv ls -l /demo/runs/run-001
$nokv tree /demo
$nokv stat /demo/runs/run-001/model.ckpt
$nokv cat /demo/runs/run-001/metadata.json
$nokv cat --offset 0 --length 40 /demo/runs/run-001/artifacts/stdout.txt
echo
$nokv get /demo/runs/run-001/model.ckpt "$work/model.back"
cmp "$work/run-001/model.ckpt" "$work/model.back"
$nokv fsck
# Time: freeze the run, publish a checkpoint atomically, look back, ask an agent verb.
$nokv snapshot create /demo/runs/run-001
$nokv checkpoint publish /demo/runs/run-001/ckpt --step "$(date +%s)" "$work/run-001/model.ckpt"
$nokv checkpoint latest /demo/runs/run-001/ckpt
$nokv history /demo/runs/run-001/metadata.json
$nokv agent grep '{"path": "/demo/runs", "pattern": "loss 3000$", "regex": true}'
$nokv watch /demo --limit 5
$nokv gc --dry-run
set +x
echo "demo finished; the namespace lives in $NOKV_DATA_DIR (try: $nokv ls -l /demo/runs/run-001)"
