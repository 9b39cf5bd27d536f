#!/usr/bin/env bash
# The failover drill (issue #17 "What it must show"), on one machine, everything on loopback. Run by hand, as
# root, from the checkout after `swift build` (it needs minutes and a dozen daemons, so CI does not run it):
#
#   sudo deploy/test/ha.sh            # HA_KEEP=1 keeps the folder; HA_PORT_BASE=27100, HA_CLIENTS=6, HA_LOAD_SECONDS=90
#   sudo HA_DB_ROUTE=list deploy/test/ha.sh   # the hubs name the three nodes (libpq host list, read-write), reads
#                                             # from a standby (HUB_DATABASE_READ_URL, prefer-standby); default: proxy
#
# It starts etcd, three PostgreSQL 15 nodes under Patroni (synchronous_mode), HAProxy routing to the primary
# (Patroni's REST /primary as health check), two `hub serve` instances (same master key, checkpoint key and
# database, through HAProxy; each also runs the provincial sync), nginx with TLS (a certificate made here) in
# front of both, and the provincial simulator. Then signed pushes from several clients through nginx for
# HA_LOAD_SECONDS, while: the primary's node is lost (its Patroni and its postmaster SIGKILLed), then one hub
# instance is SIGKILLed, then the old primary's Patroni is started again and it rejoins as a standby
# (pg_rewind, or a new clone). Afterwards the checks of deploy/test/ha_summary.py, then the restore drill
# (pgBackRest point-in-time recovery into a fresh cluster, `hub ledger verify` on it). Exit 1 when a check fails.
#
# The configs below are rendered for loopback here; they mirror deploy/'s production files
# (deploy/postgres/patroni/patroni.yml.template, deploy/postgres/haproxy/haproxy.cfg, deploy/nginx/,
# deploy/postgres/pgbackrest/pgbackrest.conf), which are the ones to install; keep the two in step.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
[ "$(id -u)" -eq 0 ] || { echo "ha.sh: run as root (it starts PostgreSQL as the postgres user)" >&2; exit 2; }
for b in .build/debug/hub .build/debug/province-simulator; do
  [ -x "$b" ] || { echo "ha.sh: $b missing: run swift build first" >&2; exit 2; }
done
hub_bin=$repo/.build/debug/hub
sim_bin=$repo/.build/debug/province-simulator
pgbin=/usr/lib/postgresql/15/bin
base=${HA_PORT_BASE:-27100}
clients=${HA_CLIENTS:-6}
load_seconds=${HA_LOAD_SECONDS:-90}
started=$(date +%s)
say() { printf '%s [%4ds] %s\n' "$(date -u +%H:%M:%S)" $(( $(date +%s) - started )) "$*"; }
die() { say "FAILED: $*"; exit 1; }

# --- packages (Debian), installed without starting their default services -------------------------------
need=()
for p in etcd-server patroni haproxy nginx pgbackrest; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  restore_policy=""
  if [ -e /usr/sbin/policy-rc.d ]; then restore_policy=$(mktemp); cp -p /usr/sbin/policy-rc.d "$restore_policy"; fi
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
    || { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
  if [ -n "$restore_policy" ]; then mv "$restore_policy" /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi
  if [ -d /run/systemd/system ]; then
    for s in etcd patroni haproxy nginx; do systemctl disable --now "$s" >/dev/null 2>&1 || true; done
  fi
fi

for port in $(seq "$base" $((base + 70))); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is taken: choose another HA_PORT_BASE"; fi
done
etcd_port=$((base + 1)) etcd_peer=$((base + 2))
pg_port() { echo $((base + 10 + $1)); }    # node 1..3
rest_port() { echo $((base + 20 + $1)); }
ha_port=$((base + 30)) ha_stats=$((base + 31))
hub_port() { echo $((base + 40 + $1)); }   # instance 1..2
tls_port=$((base + 45))
sim_port=$((base + 50))
restore_port=$((base + 60))

D=$(mktemp -d /var/tmp/hub-ha-XXXX)
chmod 755 "$D"
pids=()
cleanup() {
  status=$?
  trap - EXIT INT TERM
  say "stopping everything"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 2
  for n in 1 2 3 r; do
    dir=$D/pg$n/data
    [ -f "$dir/postmaster.pid" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir" stop -m immediate >/dev/null 2>&1 || true
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ "${HA_KEEP:-0}" = 1 ]; then say "kept $D"; else rm -rf "$D"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say "folder $D, ports $base-$((base + 70))"

# --- etcd --------------------------------------------------------------------------------------------
mkdir -p "$D/etcd"
etcd --name e1 --data-dir "$D/etcd/data" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "e1=http://127.0.0.1:$etcd_peer" --log-level warn >"$D/etcd/etcd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$etcd_port/health" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$etcd_port/health" >/dev/null || die "etcd did not start ($D/etcd/etcd.log)"
say "etcd up on $etcd_port"

# --- pgBackRest: one repository; each node's config names its own data folder (archive-push runs on the
# primary of the moment). Mirrors deploy/postgres/pgbackrest/pgbackrest.conf.
mkdir -p "$D/backrest/repo" "$D/backrest/log" "$D/backrest/lock" "$D/backrest/spool"
for n in 1 2 3; do
  cat >"$D/backrest/node$n.conf" <<EOF
[global]
repo1-path=$D/backrest/repo
repo1-retention-full=2
log-path=$D/backrest/log
lock-path=$D/backrest/lock
spool-path=$D/backrest/spool
log-level-console=warn
log-level-file=info
start-fast=y
archive-async=n
compress-type=lz4

[hub]
pg1-path=$D/pg$n/data
pg1-port=$(pg_port $n)
pg1-socket-path=$D/pg$n
EOF
done

# --- Patroni, three nodes. Mirrors deploy/postgres/patroni/patroni.yml.template (synchronous_mode, pg_rewind,
# WAL archived by pgBackRest), with short timings so the drill is quick: ttl 10 s, loop_wait 2 s.
for n in 1 2 3; do
  mkdir -p "$D/pg$n"
  cat >"$D/pg$n/patroni.yml" <<EOF
scope: hub-ha
namespace: /hub-ha/
name: pg$n
restapi:
  listen: 127.0.0.1:$(rest_port $n)
  connect_address: 127.0.0.1:$(rest_port $n)
etcd3:
  hosts: 127.0.0.1:$etcd_port
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 16777216
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 200
        archive_mode: "on"
        archive_timeout: 10
        synchronous_commit: "on"
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
postgresql:
  listen: 127.0.0.1:$(pg_port $n)
  connect_address: 127.0.0.1:$(pg_port $n)
  data_dir: $D/pg$n/data
  bin_dir: $pgbin
  pgpass: $D/pg$n/pgpass
  remove_data_directory_on_rewind_failure: true
  remove_data_directory_on_diverged_timelines: true
  authentication:
    superuser: {username: postgres, password: ha-superuser-pw}
    replication: {username: replicator, password: ha-replication-pw}
    rewind: {username: rewinder, password: ha-rewind-pw}
  parameters:
    unix_socket_directories: $D/pg$n
    archive_command: pgbackrest --config=$D/backrest/node$n.conf --stanza=hub archive-push %p
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
tags:
  nofailover: false
  noloadbalance: false
EOF
done
chown -R postgres:postgres "$D/pg1" "$D/pg2" "$D/pg3" "$D/backrest"
declare -A patroni_pid
start_patroni() {
  local n=$1
  setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/var/lib/postgresql \
    patroni "$D/pg$n/patroni.yml" >>"$D/pg$n/patroni.log" 2>&1 &
  patroni_pid[$n]=$!
  pids+=($!)
}
start_patroni 1
say "patroni pg1 starting (bootstraps the cluster)"
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(rest_port 1)/primary")" = 200 ] && break; sleep 0.5
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(rest_port 1)/primary")" = 200 ] || die "pg1 did not become primary ($D/pg1/patroni.log)"
start_patroni 2
start_patroni 3
cluster() { for n in 1 2 3; do curl -sf -m 2 "http://127.0.0.1:$(rest_port $n)/cluster" && return 0; done; return 1; }
for _ in $(seq 1 240); do
  streaming=$(cluster | python3 -c 'import json,sys; c=json.load(sys.stdin); print(sum(1 for m in c["members"] if m["role"] in ("replica","sync_standby") and m["state"] in ("streaming","running")))' 2>/dev/null || echo 0)
  sync=$(cluster | python3 -c 'import json,sys; c=json.load(sys.stdin); print(sum(1 for m in c["members"] if m["role"]=="sync_standby"))' 2>/dev/null || echo 0)
  [ "$streaming" -ge 2 ] && [ "$sync" -ge 1 ] && break; sleep 0.5
done
[ "$streaming" -ge 2 ] || die "the standbys did not start streaming ($D/pg2/patroni.log)"
say "patroni cluster: $(cluster | python3 -c 'import json,sys; print(", ".join(m["name"]+" "+m["role"]+" "+m["state"] for m in json.load(sys.stdin)["members"]))')"

# --- HAProxy: the primary only, by Patroni's REST /primary. Mirrors deploy/postgres/haproxy/haproxy.cfg.
mkdir -p "$D/haproxy"
cat >"$D/haproxy/haproxy.cfg" <<EOF
global
    maxconn 2000
defaults
    mode tcp
    retries 2
    option clitcpka
    option srvtcpka
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 2s
listen stats
    mode http
    bind 127.0.0.1:$ha_stats
    stats enable
    stats uri /
listen primary
    bind 127.0.0.1:$ha_port
    option httpchk GET /primary
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 1 on-marked-down shutdown-sessions
    server pg1 127.0.0.1:$(pg_port 1) maxconn 300 check port $(rest_port 1)
    server pg2 127.0.0.1:$(pg_port 2) maxconn 300 check port $(rest_port 2)
    server pg3 127.0.0.1:$(pg_port 3) maxconn 300 check port $(rest_port 3)
EOF
haproxy -c -q -f "$D/haproxy/haproxy.cfg" || die "haproxy -c refused the config"
haproxy -db -f "$D/haproxy/haproxy.cfg" >"$D/haproxy/haproxy.log" 2>&1 &
pids+=($!)
sleep 2
say "haproxy on $ha_port (stats http://127.0.0.1:$ha_stats/)"

# --- the hub database: roles as DatabaseRoles.swift / README "Database roles" say, migrations as the owner.
psql_su() { PGPASSWORD=ha-superuser-pw psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$ha_port" -U postgres "$@"; }
owner_pw=$(openssl rand -hex 12) app_pw=$(openssl rand -hex 12)
psql_su -d postgres <<EOF
CREATE ROLE hub_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$owner_pw';
CREATE ROLE hub_app   LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$app_pw';
CREATE DATABASE hub OWNER hub_owner;
\c hub
ALTER SCHEMA public OWNER TO hub_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE hub TO hub_app;
EOF
# HA_DB_ROUTE=proxy (default): one routing address, HAProxy's primary port. HA_DB_ROUTE=list: the three nodes as a
# libpq host list — the hub finds the primary itself — and reads from a standby.
case ${HA_DB_ROUTE:-proxy} in
  proxy)
    export HUB_DATABASE_URL="postgres://hub_app:$app_pw@127.0.0.1:$ha_port/hub"
    export HUB_MIGRATION_DATABASE_URL="postgres://hub_owner:$owner_pw@127.0.0.1:$ha_port/hub" ;;
  list)
    nodes="127.0.0.1:$(pg_port 1),127.0.0.1:$(pg_port 2),127.0.0.1:$(pg_port 3)"
    export HUB_DATABASE_URL="postgres://hub_app:$app_pw@$nodes/hub?target_session_attrs=read-write"
    export HUB_DATABASE_READ_URL="postgres://hub_app:$app_pw@$nodes/hub?target_session_attrs=prefer-standby"
    export HUB_MIGRATION_DATABASE_URL="postgres://hub_owner:$owner_pw@$nodes/hub?target_session_attrs=read-write" ;;
  *) die "HA_DB_ROUTE is proxy or list" ;;
esac
say "hub database: ${HA_DB_ROUTE:-proxy} ($HUB_DATABASE_URL with the password hidden)" | sed "s/$app_pw/***/"
export HUB_MASTER_KEY=$(openssl rand -hex 32)
export HUB_CHECKPOINT_KEY=$(openssl rand -hex 32)
export HUB_CHECKPOINT_MINUTES=1
export HUB_MAPPINGS=$repo/Mappings
export HUB_STATE_DIR=$D/hub-cli
export HUB_LOG_LEVEL=${HA_HUB_LOG_LEVEL:-info}
sim_token=$(openssl rand -hex 16) sim_secret=$(openssl rand -hex 16)
"$hub_bin" migrate >"$D/migrate.log" 2>&1 || { tail -20 "$D/migrate.log"; die "hub migrate"; }
"$hub_bin" catalog sample >"$D/catalog.log" 2>&1 || { tail -20 "$D/catalog.log"; die "hub catalog sample"; }
# The city market regulator's first 行政检查 implementation item, as Benchmarks/IngestBenchmark picks it.
read -r catalog_code impl_code agency_code < <(python3 - "$repo/Mappings/catalog" <<'PY'
import csv, sys
d = sys.argv[1]
kinds = {r["catalog_code"]: r["item_type"] for r in csv.DictReader(open(f"{d}/catalog.csv", encoding="utf-8"))}
for r in csv.DictReader(open(f"{d}/implementation.csv", encoding="utf-8")):
    if r["agency_name"] == "衡阳市市场监督管理局" and kinds.get(r["catalog_code"]) == "行政检查":
        print(r["catalog_code"], r["implementation_code"], r["agency_code"]); break
PY
)
"$hub_bin" departments add HA-DRILL --name 高可用演练部门 --agency "$agency_code" --json >"$D/department.json" 2>"$D/department.log" \
  || { cat "$D/department.log"; die "hub departments add"; }
key_id=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['keyId'])" "$D/department.json")
python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['secret'])" "$D/department.json" >"$D/department.secret"
chmod 600 "$D/department.secret"
say "hub database migrated as hub_owner; catalog sample; department HA-DRILL (key $key_id, item $impl_code)"

# --- pgBackRest stanza and a full backup of the primary, before the load.
leader() { cluster | python3 -c 'import json,sys; print(next(m["name"] for m in json.load(sys.stdin)["members"] if m["role"]=="leader"))'; }
L=$(leader); Ln=${L#pg}
br() { runuser -u postgres -- pgbackrest --config="$D/backrest/node$1.conf" --stanza=hub "${@:2}"; }
br "$Ln" stanza-create >"$D/backrest/stanza.log" 2>&1 || { cat "$D/backrest/stanza.log"; die "pgbackrest stanza-create"; }
br "$Ln" check >>"$D/backrest/stanza.log" 2>&1 || { cat "$D/backrest/stanza.log"; die "pgbackrest check"; }
br "$Ln" backup --type=full >"$D/backrest/backup.log" 2>&1 || { cat "$D/backrest/backup.log"; die "pgbackrest backup"; }
say "pgbackrest: stanza hub, full backup of $L done"

# --- the provincial simulator, then two hub instances (each also runs the sync), then nginx.
mkdir -p "$D/sim"
(cd "$repo" && SIM_HOST=127.0.0.1 SIM_PORT=$sim_port SIM_TOKEN=$sim_token SIM_RECEIPT_SECRET=$sim_secret \
  SIM_HUB_URL="http://127.0.0.1:$(hub_port 2)" exec "$sim_bin") >"$D/sim/sim.log" 2>&1 &
pids+=($!)
declare -A hub_pid
for i in 1 2; do
  mkdir -p "$D/hub$i"
  HUB_STATE_DIR=$D/hub$i HUB_HOST=127.0.0.1 HUB_PORT=$(hub_port $i) HUB_TRUSTED_PROXIES=127.0.0.1 \
    HUB_PROVINCE_URL="http://127.0.0.1:$sim_port" HUB_PROVINCE_TOKEN=$sim_token HUB_PROVINCE_RECEIPT_SECRET=$sim_secret \
    HUB_SYNC_IDLE_MS=200 HUB_SYNC_LEASE_SECONDS=30 HUB_MAX_UPLOADS_PER_KEY=32 HUB_CLUE_OVERDUE_MINUTES=$([ "$i" = 1 ] && echo 60 || echo 0) \
    "$hub_bin" serve >"$D/hub$i/serve.log" 2>&1 &
  hub_pid[$i]=$!
  pids+=($!)
done
for i in 1 2; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$(hub_port $i)/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$(hub_port $i)/ready" >/dev/null || { tail -20 "$D/hub$i/serve.log"; die "hub instance $i not ready"; }
done
curl -sf "http://127.0.0.1:$sim_port/sim/stats" >/dev/null || { tail -20 "$D/sim/sim.log"; die "simulator not up"; }
say "hub instances up: pid ${hub_pid[1]} on $(hub_port 1), pid ${hub_pid[2]} on $(hub_port 2); simulator on $sim_port"

# nginx: TLS 1.2+, two upstreams, passive health (max_fails); mirrors deploy/nginx/. A certificate made here.
mkdir -p "$D/nginx/tmp" "$D/nginx/logs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$D/nginx/tls.key" -out "$D/nginx/tls.crt" 2>/dev/null
chown -R www-data "$D/nginx/tmp"
cat >"$D/nginx/nginx.conf" <<EOF
user www-data;
worker_processes 2;
pid $D/nginx/nginx.pid;
error_log $D/nginx/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
    access_log $D/nginx/logs/access.log;
    client_body_temp_path $D/nginx/tmp/body;
    proxy_temp_path $D/nginx/tmp/proxy;
    fastcgi_temp_path $D/nginx/tmp/fastcgi;
    uwsgi_temp_path $D/nginx/tmp/uwsgi;
    scgi_temp_path $D/nginx/tmp/scgi;
    upstream hub {
        server 127.0.0.1:$(hub_port 1) max_fails=1 fail_timeout=10s;
        server 127.0.0.1:$(hub_port 2) max_fails=1 fail_timeout=10s;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$tls_port ssl;
        ssl_certificate $D/nginx/tls.crt;
        ssl_certificate_key $D/nginx/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        add_header Strict-Transport-Security "max-age=31536000" always;
        client_max_body_size 8m;
        location / {
            proxy_pass http://hub;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            # A request that never reached an instance (refused, reset before sending) goes to the other;
            # a POST that was sent is not repeated by nginx (the client resends; the hub answers duplicate).
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }
    }
}
EOF
nginx -t -c "$D/nginx/nginx.conf" >/dev/null 2>&1 || { nginx -t -c "$D/nginx/nginx.conf"; die "nginx -t"; }
nginx -c "$D/nginx/nginx.conf" >"$D/nginx/logs/stdout.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do curl -sf --cacert "$D/nginx/tls.crt" "https://127.0.0.1:$tls_port/ready" >/dev/null 2>&1 && break; sleep 0.25; done
curl -sf --cacert "$D/nginx/tls.crt" "https://127.0.0.1:$tls_port/ready" >/dev/null || die "nginx does not reach the hubs"
say "nginx TLS on $tls_port"

# --- the load, and the faults while it runs ---------------------------------------------------------------
run=$(date +%H%M%S)
python3 deploy/test/ha_load.py --port "$tls_port" --cafile "$D/nginx/tls.crt" --key "$key_id" \
  --secret-file "$D/department.secret" --clients "$clients" --duration "$load_seconds" --batch 10 --run "$run" \
  --catalog-code "$catalog_code" --implementation-code "$impl_code" --agency-code "$agency_code" \
  --out "$D/load.jsonl" 2>"$D/load.err" &
load_pid=$!
pids+=($load_pid)
say "load: $clients clients × batches of 10 records through nginx for ${load_seconds}s"
progress() { python3 - "$D/load.jsonl" <<'PY'
import json, sys, collections
c = collections.Counter(); acc = 0
for l in open(sys.argv[1]):
    try: e = json.loads(l)
    except ValueError: continue
    c[e.get("http")] += 1; acc += len(e.get("accepted", []))
print(f"answers {dict(c)}, records accepted {acc}")
PY
}
sleep $((load_seconds / 6))
say "$(progress)"
L=$(leader); Ln=${L#pg}
pm=$(head -1 "$D/pg$Ln/data/postmaster.pid")
say "primary is $L (Patroni pid ${patroni_pid[$Ln]}, postmaster pid $pm): SIGKILL both (the node is lost)"
kill -KILL "${patroni_pid[$Ln]}" "$pm"
t_primary=$(date +%s.%N)
new=""
for _ in $(seq 1 120); do
  sleep 0.5
  new=$(cluster 2>/dev/null | python3 -c 'import json,sys; print(next((m["name"] for m in json.load(sys.stdin)["members"] if m["role"]=="leader"), ""))' 2>/dev/null || true)
  [ -n "$new" ] && [ "$new" != "$L" ] && break
done
say "new leader: ${new:-none} after $(python3 -c "import time; print(round(time.time() - $t_primary, 1))") s; $(progress)"
sleep $((load_seconds / 4))
say "SIGKILL hub instance 1 (pid ${hub_pid[1]}); $(progress)"
kill -KILL "${hub_pid[1]}"
t_hub=$(date +%s.%N)
sleep $((load_seconds / 6))
say "restarting Patroni on the old primary $L; $(progress)"
start_patroni "$Ln"
wait "$load_pid" || true
say "load done: $(progress)"

rejoined=false; state=""
for _ in $(seq 1 180); do
  state=$(cluster | python3 -c "import json,sys; m=[m for m in json.load(sys.stdin)['members'] if m['name']=='$L']; print(m[0]['role']+' '+m[0]['state']+' lag='+str(m[0].get('lag')) if m else 'absent')" 2>/dev/null || echo "?")
  case "$state" in replica\ streaming*|sync_standby\ streaming*|replica\ running*|sync_standby\ running*) rejoined=true; break;; esac
  sleep 1
done
rewind=$(grep -i -E 'rewind|bootstrap from leader|replica has been created' "$D/pg$Ln/patroni.log" | tail -2 | cut -c1-200 | tr '\n' ' ' || true)
say "old primary $L: $state; its Patroni log: $rewind"
say "cluster: $(cluster | python3 -c 'import json,sys; print(", ".join(m["name"]+" "+m["role"]+" "+m["state"]+" tl"+str(m.get("timeline")) for m in json.load(sys.stdin)["members"]))')"

# --- the checks ------------------------------------------------------------------------------------------
say "waiting for the sync to deliver everything"
for _ in $(seq 1 240); do
  pending=$(psql_su -d hub -Atc "SELECT count(*) FROM outbox WHERE state = 'pending'" 2>/dev/null || echo "?")
  [ "$pending" = 0 ] && break; sleep 0.5
done
say "outbox pending: $pending"
psql_su -d hub -Atc "SELECT r.local_id FROM records r JOIN departments d ON d.id = r.department_id JOIN ledger l ON l.seq = r.ledger_seq
                     WHERE d.code = 'HA-DRILL' AND r.status = 'accepted' AND r.version = 1" >"$D/ledger-records.txt"
curl -sf "http://127.0.0.1:$sim_port/sim/accepted" >"$D/sim-accepted.json"
curl -sf "http://127.0.0.1:$sim_port/sim/stats" >"$D/sim-stats.json"
set +e
"$hub_bin" ledger verify >"$D/verify.txt" 2>&1; echo $? >"$D/verify.rc"
set -e
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ] && echo true || echo false; }
s_end=$(curl -s -m 2 "http://127.0.0.1:$(hub_port 2)/ready" >/dev/null && echo "${hub_pid[2]}" || echo none)
cat >"$D/pids.txt" <<EOF
{"survivor_start": ${hub_pid[2]}, "survivor_end": "$s_end", "survivor_alive": $(alive "${hub_pid[2]}"),
 "killed": ${hub_pid[1]}, "killed_alive": $(alive "${hub_pid[1]}")}
EOF
sed -i "s/\"survivor_end\": \"\([0-9]*\)\"/\"survivor_end\": \1/" "$D/pids.txt"
cat >"$D/events.json" <<EOF
{"primary_killed": $t_primary, "hub_killed": $t_hub, "old_primary": "$L", "new_primary": "$new",
 "old_primary_rejoined": $rejoined, "old_primary_state": "$state"}
EOF
# The hubs' error lines, without their timestamps and request ids, counted.
grep -h -E ' (error|warning|critical) hub:' "$D/hub1/serve.log" "$D/hub2/serve.log" | cut -d' ' -f2- \
  | sed -E 's/hb.request.id=[0-9a-f]+/hb.request.id=…/; s/psql_connection_id=[0-9]+/psql_connection_id=…/' | cut -c1-700 \
  | sort | uniq -c | sort -rn | head -15 >"$D/hub-errors.txt" || true
set +e
python3 deploy/test/ha_summary.py "$D"; checks=$?
set -e

# --- restore drill: point-in-time recovery into a fresh cluster, to a moment after the load ---------------
say "restore drill: a checkpoint, then the target time"
"$hub_bin" ledger checkpoint --by ha-drill >"$D/checkpoint.txt" 2>&1 || { cat "$D/checkpoint.txt"; }
sleep 1
live_records=$(psql_su -d hub -Atc "SELECT count(*) FROM records")
live_ledger=$(psql_su -d hub -Atc "SELECT max(seq) FROM ledger")
target=$(psql_su -d hub -Atc "SELECT now()")
sleep 1
# A commit after the target: recovery stops at the first commit past the target time, and ends in error
# ("recovery ended before configured recovery target was reached") when the WAL holds none, as when the
# hubs are idle after the load.
psql_su -d hub -Atc "SELECT txid_current()" >/dev/null
psql_su -d hub -Atc "SELECT pg_switch_wal()" >/dev/null
L=$(leader); Ln=${L#pg}
br "$Ln" check >"$D/backrest/check2.log" 2>&1 || { cat "$D/backrest/check2.log"; die "pgbackrest check after the load"; }
say "target $target: live cluster holds $live_records records, ledger height $live_ledger; WAL archived"
mkdir -p "$D/pgr/data"; chmod 700 "$D/pgr/data"; chown -R postgres:postgres "$D/pgr"
cat >"$D/backrest/restore.conf" <<EOF
[global]
repo1-path=$D/backrest/repo
log-path=$D/backrest/log
lock-path=$D/backrest/lock
spool-path=$D/backrest/spool
log-level-console=warn

[hub]
pg1-path=$D/pgr/data
EOF
chown postgres "$D/backrest/restore.conf"
r0=$(date +%s)
runuser -u postgres -- pgbackrest --config="$D/backrest/restore.conf" --stanza=hub --type=time "--target=$target" \
  --target-action=promote --target-timeline=latest restore >"$D/backrest/restore.log" 2>&1 \
  || { cat "$D/backrest/restore.log"; die "pgbackrest restore"; }
# Patroni's postgresql.conf came along: give the restored cluster its own port and socket, no archiving, no
# synchronous standby to wait for, no replication source.
runuser -u postgres -- "$pgbin/pg_ctl" -D "$D/pgr/data" -l "$D/pgr/postgres.log" -w -t 300 start -o \
  "-c port=$restore_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$D/pgr -c archive_mode=off -c synchronous_standby_names= -c primary_conninfo= -c hba_file=$D/pgr/data/pg_hba.conf -c ident_file=$D/pgr/data/pg_ident.conf -c cluster_name=restore" \
  >/dev/null || { tail -30 "$D/pgr/postgres.log"; die "the restored cluster did not start"; }
for _ in $(seq 1 300); do
  [ "$(runuser -u postgres -- psql -X -h "$D/pgr" -p "$restore_port" -d hub -Atc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break; sleep 1
done
restore_seconds=$(( $(date +%s) - r0 ))
rq() { runuser -u postgres -- psql -X -h "$D/pgr" -p "$restore_port" -d hub -Atc "$1"; }
restored_records=$(rq "SELECT count(*) FROM records")
restored_ledger=$(rq "SELECT max(seq) FROM ledger")
set +e
env -u HUB_MIGRATION_DATABASE_URL HUB_DATABASE_URL="postgres://hub_app:$app_pw@127.0.0.1:$restore_port/hub" \
  "$hub_bin" ledger verify >"$D/restore-verify.txt" 2>&1; rverify=$?
set -e
say "restored in ${restore_seconds}s: $restored_records records (live $live_records), ledger height $restored_ledger (live $live_ledger); verify: $(tail -1 "$D/restore-verify.txt")"
rfail=0
[ "$rverify" -eq 0 ] && echo "ok   restore: hub ledger verify passes on the restored cluster" || { echo "FAIL restore: hub ledger verify"; rfail=1; }
[ "$restored_records" = "$live_records" ] && [ "$restored_ledger" = "$live_ledger" ] \
  && echo "ok   restore: the restored cluster holds what the live one held at the target ($restored_records records, ledger $restored_ledger)" \
  || { echo "FAIL restore: restored $restored_records records / ledger $restored_ledger, live $live_records / $live_ledger"; rfail=1; }
runuser -u postgres -- "$pgbin/pg_ctl" -D "$D/pgr/data" stop -m fast >/dev/null 2>&1 || true
if [ -s "$D/hub-errors.txt" ]; then echo "-- the hubs' error lines (count × line):"; cat "$D/hub-errors.txt"; fi
say "done in $(( $(date +%s) - started ))s"
[ "$checks" -eq 0 ] && [ "$rfail" -eq 0 ]
