#!/usr/bin/env bash
# Starts and stops a throwaway single-node Ceph (one monitor, one in-memory
# OSD, one RADOS gateway) on loopback, for tests and benchmarks.
#
#   scripts/rgw.sh start DIR   boot it with all state under DIR; prints the
#                              endpoint and writes DIR/env (sourceable) with
#                              NOKV_S3_ENDPOINT, AWS_* credentials and the
#                              bucket NOKV_S3_BUCKET, which is created empty
#   scripts/rgw.sh stop DIR    stop the daemons started above (by pid) and
#                              remove DIR
#   scripts/rgw.sh exec DIR CMD...  run CMD with DIR/env exported
#
# Ports are chosen free at start. Memory: the OSD keeps objects in RAM, up to
# NOKV_RGW_MEMSTORE_GIB (default 3) GiB.
set -euo pipefail

readonly ACCESS_KEY=NOKVTESTACCESSKEY000
readonly SECRET_KEY=nokvtestsecretkey0000000000000000000000
readonly BUCKET=nokv-test

die() {
  echo "rgw.sh: $*" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

stop_pids() {
  local dir=$1 pidfile pid
  # The daemons' own pid files too: a copy may be missing if a start failed
  # before the daemon wrote its file.
  for pidfile in "$dir"/run/rgw.pid "$dir"/run/osd.pid "$dir"/run/mon.pid \
    "$dir"/run/client.rgw.*.pid "$dir"/run/osd.[0-9]*.pid "$dir"/run/mon.a.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  # Anything still running on this directory's config (started by us).
  local conf
  conf=$(cd "$dir" 2>/dev/null && pwd)/ceph.conf
  for pid in $(pgrep -f -- "-c $conf" || true); do
    kill -9 "$pid" 2>/dev/null || true
  done
}

start_once() {
  local dir=$1
  for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
    command -v "$tool" >/dev/null || die "$tool not found; run scripts/install-deps.sh"
  done
  if [ -d "$dir" ]; then stop_pids "$dir"; fi
  rm -rf "$dir"
  mkdir -p "$dir"/{run,log,mon,osd}
  dir=$(cd "$dir" && pwd)
  local mon_port rgw_port fsid
  mon_port=$(free_port)
  rgw_port=$(free_port)
  fsid=$(python3 -c 'import uuid; print(uuid.uuid4())')
  local gib=${NOKV_RGW_MEMSTORE_GIB:-3}
  cat >"$dir/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
auth cluster required = none
auth service required = none
auth client required = none
ms bind ipv6 = false
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
pid file = $dir/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
mon pg warn min per osd = 0
[mon]
mon data = $dir/mon/\$name
mon cluster log file = $dir/log/cluster.log
[osd]
osd data = $dir/osd/\$name
osd objectstore = memstore
memstore device bytes = $((gib * 1024 * 1024 * 1024))
osd max object size = 1073741824
[client.rgw.nokv]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1
rgw data = $dir/rgw
rgw dns name = 127.0.0.1
rgw enable usage log = false
rgw multipart min part size = 65536
# Reclaim the tails of deleted objects within seconds (the default waits two
# hours), so the in-memory OSD does not fill up with deleted data.
rgw gc obj min wait = 1
rgw gc processor period = 2
rgw gc processor max time = 2
EOF
  local conf=(-c "$dir/ceph.conf")
  monmaptool --create --addv a "[v1:127.0.0.1:$mon_port]" --fsid "$fsid" "$dir/monmap" >/dev/null
  ceph-mon "${conf[@]}" --id a --mkfs --monmap "$dir/monmap" >/dev/null
  ceph-mon "${conf[@]}" --id a
  wait_for 30 "the monitor" ceph "${conf[@]}" --connect-timeout 5 mon stat ||
    die "the monitor did not come up; see $dir/log"
  # The OSD's uuid is chosen here and registered with its id before mkfs,
  # so the daemon's boot-time registration cannot disagree with the monitor.
  local osd_id osd_uuid
  osd_uuid=$(python3 -c 'import uuid; print(uuid.uuid4())')
  osd_id=$(ceph "${conf[@]}" osd create "$osd_uuid")
  mkdir -p "$dir/osd/osd.$osd_id"
  ceph-osd "${conf[@]}" --id "$osd_id" --osd-uuid "$osd_uuid" --mkfs >/dev/null 2>&1
  ceph-osd "${conf[@]}" --id "$osd_id"
  cp "$dir/run/osd.$osd_id.pid" "$dir/run/osd.pid" 2>/dev/null || true
  mkdir -p "$dir/rgw"
  radosgw "${conf[@]}" -n client.rgw.nokv
  cp "$dir/run/client.rgw.nokv.pid" "$dir/run/rgw.pid" 2>/dev/null || true
  cp "$dir/run/mon.a.pid" "$dir/run/mon.pid" 2>/dev/null || true
  wait_for 60 "the gateway" curl -sf -o /dev/null "http://127.0.0.1:$rgw_port/" ||
    die "the gateway did not come up; see $dir/log"
  # The daemons write their pid files a moment after forking.
  for name in mon.a "osd.$osd_id" client.rgw.nokv; do
    wait_for 10 "pid file" test -s "$dir/run/$name.pid" || true
  done
  cp "$dir/run/mon.a.pid" "$dir/run/mon.pid"
  cp "$dir/run/osd.$osd_id.pid" "$dir/run/osd.pid"
  cp "$dir/run/client.rgw.nokv.pid" "$dir/run/rgw.pid"
  radosgw-admin "${conf[@]}" user create --uid nokv --display-name nokv \
    --access-key "$ACCESS_KEY" --secret "$SECRET_KEY" >/dev/null
  cat >"$dir/env" <<EOF
export NOKV_S3_ENDPOINT=http://127.0.0.1:$rgw_port
export NOKV_S3_BUCKET=$BUCKET
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN
EOF
  # Create the bucket (signed request; retried while the user propagates).
  # shellcheck disable=SC1091
  (
    . "$dir/env"
    wait_for 30 "the bucket" curl -sf -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" \
      --user "$ACCESS_KEY:$SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
      "$NOKV_S3_ENDPOINT/$BUCKET"
  ) || die "could not create bucket $BUCKET; see $dir/log"
  echo "rgw.sh: S3 endpoint http://127.0.0.1:$rgw_port, bucket $BUCKET (env in $dir/env)"
}

# A throwaway cluster that fails to come up (a daemon that loses a race at
# boot on a loaded machine) is torn down and started once more.
start() {
  local dir=$1
  if ( start_once "$dir" ); then return 0; fi
  echo "rgw.sh: the cluster did not come up; starting it once more" >&2
  [ -d "$dir" ] && stop_pids "$dir"
  start_once "$dir"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  stop_pids "$dir"
  rm -rf "$dir"
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: rgw.sh start|stop|exec DIR [CMD...]"
case "$cmd" in
  start) start "$dir" ;;
  stop) stop "$dir" ;;
  exec)
    shift 2
    [ -f "$dir/env" ] || die "no gateway running under $dir (run: rgw.sh start $dir)"
    # shellcheck disable=SC1091
    . "$dir/env"
    exec "$@"
    ;;
  *) die "unknown command $cmd" ;;
esac
