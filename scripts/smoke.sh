#!/usr/bin/env bash
# Runs `hub-demo` as a new user would (own state folder, free port), pushes the first record with
# `hub push` and with curl, verifies the ledger, then stops the hub with SIGTERM and checks it shut down
# cleanly and stopped its embedded PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
export HUB_STATE_DIR=.hub/smoke
export HUB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$HUB_PORT"
sim_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sim="http://127.0.0.1:$sim_port"
log=$(mktemp)
passed=0; failed=0
check() { if eval "$2"; then echo "ok   $1"; passed=$((passed+1)); else echo "FAIL $1"; failed=$((failed+1)); fi; }

HUB_SYNC_IDLE_MS=100 .build/debug/hub-demo --simulator-port "$sim_port" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "$url/ready" >/dev/null 2>&1 && break; sleep 0.5; done
check "hub-demo answers /ready" "curl -sf $url/ready | grep -q ready"
check "hub-demo printed how to push" "grep -q 'hub push' $log"

out=$(.build/debug/hub push "$HUB_STATE_DIR/first-record.json" --url "$url" --json 2>&1); push_out=$out
check "hub push: first record accepted" "grep -q '\"status\" : \"accepted\"' <<<\"\$out\" || grep -q '\"status\" : \"duplicate\"' <<<\"\$out\"" || true
grep -q '"status" : "accepted"\|"status" : "duplicate"' <<<"$push_out" || echo "$push_out" | tail -20

out=$(.build/debug/hub push "$HUB_STATE_DIR/first-record.json" --url "$url" 2>&1)
check "hub push prints a one-line summary (a resend: a duplicate)" "grep -q '已入账 0 · 待审核 0 · 重复 1 · 拒收 0' <<<\"\$out\""
check "hub-demo printed both ops accounts" "grep -q 'ops-demo' $log && grep -q 'approver-demo' $log && grep -q 'demo-approver-password' $log"
out=$(.build/debug/hub review list 2>/dev/null)
check "the demo starts with held conflicts to review" "[ \$(grep -c '^#' <<<\"\$out\") -ge 3 ]"
dead=""
for _ in $(seq 1 60); do
  dead=$(.build/debug/hub outbox dead 2>/dev/null)
  grep -q 'SCJG-JC-DEMO-900001' <<<"$dead" && break; sleep 0.5
done
check "the demo shows a dead letter" "grep -q 'SCJG-JC-DEMO-900001' <<<\"\$dead\""

creds="$HUB_STATE_DIR/demo-credentials.json"
key=$(python3 -c "import json;print(json.load(open('$creds'))['keyId'])")
secret=$(python3 -c "import json;print(json.load(open('$creds'))['secret'])")
out=$(HUB_KEY=$key HUB_SECRET=$secret scripts/signed-curl.sh GET "$url/api/v1/records/SCJG-JC-DEMO-000001")
check "signed curl reads the record back" "grep -q '\"versions\"' <<<\"\$out\""
# The demo's sync delivers the record to its provincial simulator (on a reused state folder it was delivered
# by an earlier run, to an earlier simulator): delivered, and never accepted twice.
delivered=""
for _ in $(seq 1 40); do
  delivered=$(HUB_KEY=$key HUB_SECRET=$secret scripts/signed-curl.sh GET "$url/api/v1/records/SCJG-JC-DEMO-000001")
  grep -q '"delivered"' <<<"$delivered" && break; sleep 0.5
done
check "the sync delivered the record to the province" "grep -q '\"delivered\"' <<<\"\$delivered\""
stats=$(curl -sf "$sim/sim/stats")
check "the province simulator never accepted it twice" "python3 -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if s[\"acceptedTwice\"]==0 and s[\"orderViolations\"]==0 else 1)' '$stats'"

out=$(HUB_USER_PASSWORD=correct-horse-9 .build/debug/hub users add ops1 --name 运维一 --role reviewer 2>/dev/null)
check "hub users add creates an ops account" "grep -q 'ops1' <<<\"\$out\""

items=$(mktemp)
printf 'local_code,local_name,item_type,legal_basis\nAD-1,广告检查,行政检查,《广告法》第49条\n' >"$items"
out=$(.build/debug/hub mappings match --department HY-SCJG --input "$items" --json 2>/dev/null)
check "hub mappings match decides a sure legal-basis match" "grep -q '\"decision\":\"auto\"' <<<\"\$out\""
rm -f "$items"

out=$(.build/debug/hub demo --no-such-option 2>&1); status=$?
check "hub demo hands its arguments over to hub-demo (status $status)" "[ $status -eq 2 ] && grep -q 'Usage: hub-demo' <<<\"\$out\""

out=$(.build/debug/hub ledger verify 2>/dev/null)
check "hub ledger verify passes" "grep -q 'ledger OK' <<<\"\$out\""
out=$(scripts/hub ledger verify --quiet 2>&1)
check "scripts/hub runs the built hub against the demo's state" "grep -q 'ledger OK' <<<\"\$out\" && ! grep -q '构建' <<<\"\$out\""

# Outside the demo, a configured province with a demo (or no) secret stops the start, before any database work.
out=$(HUB_PROVINCE_URL=http://127.0.0.1:9 HUB_PROVINCE_TOKEN=sim-token .build/debug/hub serve 2>&1); status=$?
check "hub serve refuses the demo secrets (status $status)" "[ $status -ne 0 ] && grep -q 'HUB_PROVINCE_RECEIPT_SECRET' <<<\"\$out\" && grep -q 'HUB_PROVINCE_TOKEN' <<<\"\$out\""
out=$(HUB_PROVINCE_URL=http://127.0.0.1:9 .build/debug/hub sync 2>&1); status=$?
check "hub sync refuses to start without the province's secrets (status $status)" "[ $status -ne 0 ] && grep -q '拒绝启动' <<<\"\$out\""

kill -TERM "$pid"
wait "$pid"; status=$?
check "SIGTERM: clean exit (status $status)" "[ $status -eq 0 ]"
datadir=$(cat "$HUB_STATE_DIR/postgres/datadir")
check "embedded PostgreSQL stopped with the hub" "! pgrep -f -- '-D $datadir' >/dev/null"

[ "$failed" -eq 0 ] || { echo "--- hub output"; tail -40 "$log"; }
rm -f "$log"
echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
