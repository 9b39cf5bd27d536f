#!/usr/bin/env bash
# The static checks of deploy/: every file as the tool that reads it reads it, on this machine, without root
# paths and without starting anything that stays. One line per check ("ok" or "FAIL" and the tool's words);
# exits non-zero when one failed. Run by scripts/test.sh; needs what scripts/bootstrap.sh installs
# (systemd-analyze, nginx, haproxy, patroni, etcd, pgbackrest, openssl, kubernetes-validate).
#
#   deploy/test/check.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
deploy=$root/deploy
work=$(mktemp -d /tmp/hub-deploy-check.XXXXXX)
# The etcd this script starts (its id in $work/etcd.pid): stopped by its id, and waited for.
stop_etcd() {
  [ -f "$work/etcd.pid" ] || return 0
  local pid
  pid=$(cat "$work/etcd.pid")
  rm -f "$work/etcd.pid"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  stop_etcd
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
total=0
# check NAME COMMAND...: runs the command, prints one line, and the command's output indented when it failed.
check() {
  local name=$1
  shift
  local out
  total=$((total + 1))
  if out=$("$@" 2>&1); then
    echo "ok    $name"
  else
    failures=$((failures + 1))
    echo "FAIL  $name"
    printf '%s\n' "$out" | sed 's/^/        /'
  fi
}
# A command that must succeed and print nothing (systemd-analyze verify exits 0 on unknown keys, with a warning).
silent() {
  local out
  out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }
  [ -z "$out" ] || { printf '%s\n' "$out"; return 1; }
}
# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- systemd ---------------------------------------------------------------------------------------------
# The units name /usr/local/bin/hub; a copy names a stub that exists (verify checks the ExecStart binary).
mkdir -p "$work/systemd" "$work/bin"
printf '#!/bin/sh\nexit 0\n' > "$work/bin/hub"
chmod +x "$work/bin/hub"
for unit in "$deploy"/systemd/*.service; do
  sed "s#/usr/local/bin/hub#$work/bin/hub#g" "$unit" > "$work/systemd/$(basename "$unit")"
done
for unit in hub@8080.service hub-sync.service hub-public.service hub-migrate.service; do
  check "systemd: systemd-analyze verify $unit" silent systemd-analyze verify "$work/systemd/$unit"
  # The exposure score of the sandboxing (0 = fully confined, 10 = none); "OK" is below 2.0.
  check "systemd: systemd-analyze security $unit at most 2.0" \
    systemd-analyze security --offline=yes --threshold=20 "$work/systemd/$unit"
done
check "systemd: hub.env.example lists every HUB_ variable the sources read" python3 - "$root" <<'PY'
import pathlib, re, sys
root = pathlib.Path(sys.argv[1])
read = set()
for path in (root / "Sources").rglob("*.swift"):
    read |= set(re.findall(r'"(HUB_[A-Z0-9_]+)"', path.read_text()))
# Command-line conveniences of an operator's shell, named in the file's last lines but not settings.
listed = set(re.findall(r"\b(HUB_[A-Z0-9_]+)=", (root / "deploy/systemd/hub.env.example").read_text()))
missing = sorted(read - listed - {"HUB_OPS_PASSWORD", "HUB_USER_PASSWORD", "HUB_SECRET"})
if missing:
    sys.exit("not in deploy/systemd/hub.env.example: " + ", ".join(missing))
PY

# --- nginx -----------------------------------------------------------------------------------------------
nginx_check() {
  local d=$work/nginx
  mkdir -p "$d/tls" "$d/logs" "$d/tmp" "$d/cache"
  for host in hub gongshi; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
      -subj "/CN=$host.example.gov.cn" -keyout "$d/tls/$host.example.gov.cn.key" -out "$d/tls/$host.example.gov.cn.crt" 2>/dev/null || return 1
  done
  cp -r "$deploy/nginx/snippets" "$d/"
  sed -e "s#/etc/nginx/tls/#$d/tls/#g; s#/var/log/nginx/#$d/logs/#g; s#/var/cache/nginx/#$d/cache/#g" \
    "$deploy/nginx/hub.conf" > "$d/hub.conf"
  cat > "$d/nginx.conf" <<EOF
pid $d/nginx.pid;
error_log $d/logs/error.log;
events {}
http {
    access_log $d/logs/access.log;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    include $d/hub.conf;
}
EOF
  nginx -t -q -p "$d" -c "$d/nginx.conf"
}
check "nginx: nginx -t of deploy/nginx/hub.conf (self-signed certificates made now)" nginx_check
# Running, in front of stub instances: one line per behaviour, each counted like a check.
while IFS= read -r line; do
  case $line in
    "ok  "*) total=$((total + 1)); echo "ok    nginx: ${line#*nginx running: }" ;;
    "FAIL"*) total=$((total + 1)); failures=$((failures + 1)); echo "FAIL  nginx: ${line#FAIL  }" ;;
    *) echo "        $line" ;;
  esac
done < <(python3 deploy/test/nginx_behaviour.py 2>&1 || echo "FAIL  nginx_behaviour.py exited $?")
check "nginx: client_max_body_size is the hub's HUB_MAX_BODY_BYTES default (8 MiB)" python3 - "$root" <<'PY'
import pathlib, re, sys
root = pathlib.Path(sys.argv[1])
swift = (root / "Sources/HubServer/Configuration/HubConfiguration.swift").read_text()
m = re.search(r"defaultMaxBodyBytes = (\d+) \* 1024 \* 1024", swift)
conf = (root / "deploy/nginx/hub.conf").read_text()
sizes = re.findall(r"client_max_body_size (\d+)m;", conf)
if not m or sizes != [m.group(1)]:
    sys.exit(f"hub default {m and m.group(1)} MiB, nginx API server {sizes}")
PY

# --- PostgreSQL: HAProxy, etcd, Patroni, pgBackRest ------------------------------------------------------
check "haproxy: haproxy -c of deploy/postgres/haproxy/haproxy.cfg" \
  env HAPROXY_STATS_SOCKET="$work/haproxy.sock" haproxy -c -f "$deploy/postgres/haproxy/haproxy.cfg"

# etcd from its template, one member on loopback, until it says healthy; Patroni's validator then reaches it.
etcd_client=$(free_port)
etcd_peer=$(free_port)
etcd_start() {
  MEMBER_NAME=check MEMBER_ADDRESS=127.0.0.1 CLIENT_PORT=$etcd_client PEER_PORT=$etcd_peer \
    MEMBERS=check=http://127.0.0.1:$etcd_peer MEMBER_DATA_DIR=$work/etcd-data CLUSTER_TOKEN=hub-check \
    envsubst "$(sed -n 's/^#   \${\([A-Z_]*\)}.*/${\1}/p' "$deploy/postgres/etcd/etcd.conf.yml.template" | tr '\n' ' ')" \
    < "$deploy/postgres/etcd/etcd.conf.yml.template" > "$work/etcd.yml"
  etcd --config-file "$work/etcd.yml" > "$work/etcd.log" 2>&1 &
  # check() runs this in a subshell: the id goes through a file to the cleanup of the main shell.
  echo $! > "$work/etcd.pid"
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$etcd_client/health" 2>/dev/null | grep -q '"health":"true"' && return 0
    sleep 0.1
  done
  tail -5 "$work/etcd.log"
  return 1
}
check "etcd: a member from deploy/postgres/etcd/etcd.conf.yml.template starts and is healthy" etcd_start

patroni_check() {
  local template=$deploy/postgres/patroni/patroni.yml.template
  local names
  names=$(sed -n 's/^#   \${\([A-Z_]*\)}.*/${\1}/p' "$template" | tr '\n' ' ')
  local n
  for n in 1 2 3; do
    # Loopback addresses other than 127.0.0.1 (which Patroni refuses as a connect address), free ports.
    SCOPE=hub-pg NODE_NAME=pg$n NODE_ADDRESS=127.0.0.1$n PG_PORT=$(free_port) REST_PORT=$(free_port) \
      ETCD_HOSTS=127.0.0.1:$etcd_client DATA_DIR=$work/pg$n BIN_DIR=/usr/lib/postgresql/15/bin SOCKET_DIR=$work \
      ALLOWED_CIDR=127.0.0.0/8 SUPERUSER_PASSWORD=s REPLICATION_PASSWORD=r REWIND_PASSWORD=w \
      PGBACKREST_CONFIG=$deploy/postgres/pgbackrest/pgbackrest.conf PGBACKREST_STANZA=hub SHARED_BUFFERS=128MB \
      envsubst "$names" < "$template" > "$work/patroni$n.yml"
    if grep -n '\${' "$work/patroni$n.yml" | grep -v '^[0-9]*:#'; then echo "a placeholder is not in the variable list"; return 1; fi
    patroni --validate-config "$work/patroni$n.yml" || return 1
  done
  # What the validator does not look at: the settings the hub's durability rests on.
  python3 - "$work/patroni1.yml" <<'PY'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
dcs = c["bootstrap"]["dcs"]
problems = []
if dcs.get("synchronous_mode") is not True: problems.append("bootstrap.dcs.synchronous_mode is not true")
if dcs["postgresql"].get("use_pg_rewind") is not True: problems.append("use_pg_rewind is not true")
p = dcs["postgresql"]["parameters"]
if "archive-push" not in p.get("archive_command", ""): problems.append("archive_command is not pgBackRest's archive-push")
if "archive-get" not in c["postgresql"]["recovery_conf"].get("restore_command", ""): problems.append("restore_command is not archive-get")
if p.get("wal_log_hints") != "on" and "data-checksums" not in c["bootstrap"]["initdb"]: problems.append("pg_rewind needs wal_log_hints or checksums")
if not any("replication replicator" in line for line in c["bootstrap"]["pg_hba"]): problems.append("no pg_hba line for replication")
sys.exit("; ".join(problems) or None)
PY
}
check "patroni: patroni --validate-config of three nodes from patroni.yml.template (against that etcd)" patroni_check
stop_etcd

# pgBackRest reads the whole file for `info`; the repository is pointed at an empty local folder (the file's is
# an object store) so nothing leaves the machine. An unknown option is a WARN, a bad value an ERROR: both fail.
pgbackrest_check() {
  local out
  out=$(pgbackrest --config="$deploy/postgres/pgbackrest/pgbackrest.conf" --stanza=hub --repo1-type=posix \
    --repo1-path="$work/pgbackrest-repo" --log-path="$work" --log-level-file=off --log-level-console=warn info 2>&1) \
    || { echo "$out"; return 1; }
  if grep -E 'WARN|ERROR' <<<"$out"; then return 1; fi
  grep -q 'stanza: hub' <<<"$out" || { echo "$out"; return 1; }
}
check "pgbackrest: deploy/postgres/pgbackrest/pgbackrest.conf parses (info against an empty local repository)" pgbackrest_check

# --- Kubernetes ------------------------------------------------------------------------------------------
for manifest in "$deploy"/kubernetes/*.yaml; do
  name=$(basename "$manifest")
  case $name in
    # Not Kubernetes API kinds: checked below.
    postgres-cluster.yaml | kustomization.yaml) continue ;;
  esac
  check "kubernetes: kubernetes-validate -k 1.30.0 --strict $name" kubernetes-validate -k 1.30.0 --strict --quiet "$manifest"
done
check "kubernetes: postgres-cluster.yaml (CloudNativePG Cluster, a custom resource: parsed, fields checked)" python3 - "$deploy/kubernetes" <<'PY'
import pathlib, sys, yaml
docs = list(yaml.safe_load_all(open(pathlib.Path(sys.argv[1]) / "postgres-cluster.yaml")))
kinds = {d["kind"]: d for d in docs}
problems = []
c = kinds.get("Cluster")
if not c or c.get("apiVersion") != "postgresql.cnpg.io/v1": sys.exit("no postgresql.cnpg.io/v1 Cluster")
s = c["spec"]
if s.get("instances", 0) < 3: problems.append("fewer than 3 instances")
if s.get("minSyncReplicas", 0) < 1: problems.append("no synchronous replica (minSyncReplicas)")
if s.get("maxSyncReplicas", 0) < s.get("minSyncReplicas", 0): problems.append("maxSyncReplicas < minSyncReplicas")
if not s.get("backup", {}).get("barmanObjectStore", {}).get("destinationPath"): problems.append("no backup object store")
if s.get("bootstrap", {}).get("initdb", {}).get("database") != "hub": problems.append("initdb does not create the hub database")
if not s.get("storage", {}).get("size"): problems.append("no storage size")
b = kinds.get("ScheduledBackup")
if not b or b["spec"]["cluster"]["name"] != c["metadata"]["name"]: problems.append("no ScheduledBackup of this cluster")
sys.exit("; ".join(problems) or None)
PY
check "kubernetes: kustomization.yaml names every manifest but the Secret template and the migration Job" python3 - "$deploy/kubernetes" <<'PY'
import pathlib, sys, yaml
d = pathlib.Path(sys.argv[1])
listed = set(yaml.safe_load(open(d / "kustomization.yaml"))["resources"])
present = {p.name for p in d.glob("*.yaml")} - {"kustomization.yaml", "secret.template.yaml", "migrate-job.yaml"}
if listed != present:
    sys.exit(f"missing {sorted(present - listed)}, unknown {sorted(listed - present)}")
PY
check "kubernetes: terminationGracePeriodSeconds of hub serve > preStop + systemd's TimeoutStopSec" python3 - "$deploy" <<'PY'
import pathlib, re, sys, yaml
d = pathlib.Path(sys.argv[1])
pod = yaml.safe_load(open(d / "kubernetes/deployment.yaml"))["spec"]["template"]["spec"]
stop = int(re.search(r"^TimeoutStopSec=(\d+)s$", (d / "systemd/hub@.service").read_text(), re.M).group(1))
pre = pod["containers"][0]["lifecycle"]["preStop"]["sleep"]["seconds"]
if pod["terminationGracePeriodSeconds"] <= pre + stop:
    sys.exit(f"grace {pod['terminationGracePeriodSeconds']} s <= preStop {pre} s + drain {stop} s")
PY

# --- builds pinned ---------------------------------------------------------------------------------------
check "Package.resolved: committed, and pins every package Package.swift names" python3 - "$root" <<'PY'
import json, pathlib, re, subprocess, sys
root = pathlib.Path(sys.argv[1])
tracked = subprocess.run(["git", "-C", str(root), "ls-files", "--error-unmatch", "Package.resolved"], capture_output=True)
if tracked.returncode != 0:
    sys.exit("Package.resolved is not tracked by git")
pins = {p["location"].lower().removesuffix(".git") for p in json.load(open(root / "Package.resolved"))["pins"]}
urls = {u.lower().removesuffix(".git") for u in re.findall(r'\.package\(url: "([^"]+)"', (root / "Package.swift").read_text())}
if urls - pins:
    sys.exit("not pinned: " + ", ".join(sorted(urls - pins)))
PY

echo "deploy checks: $((total - failures)) of $total passed"
[ "$failures" -eq 0 ]
