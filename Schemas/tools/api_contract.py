#!/usr/bin/env python3
"""Schemathesis against a live hub: every operation of Schemas/openapi.yaml, positive and negative, bounded.

    python3 Schemas/tools/api_contract.py [--bin-dir .build/debug] [--max-examples 15] [--seed 1]

Starts `hub-demo` (embedded PostgreSQL, sample catalog, demo department and ops account, provincial simulator)
in its own state folder on free ports, adds a second ops account (approver), then runs `schemathesis run` with the
hooks in schemathesis_hooks.py (department signing, ops sign-in, valid codes so records reach the ledger). Fails
on any 5xx, any answer outside the spec, any accepted input the spec calls invalid. Prints the run's counts
(operations, cases, statuses). Needs schemathesis (pinned in scripts/requirements/checks.txt).
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"hub-demo exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("hub-demo did not become ready")


def sign_in(url: str, username: str, password: str) -> str:
    """An ops bearer token, signed in for before the run."""
    request = urllib.request.Request(url + "/api/v1/ops/login", data=json.dumps({"username": username, "password": password}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["token"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=".build/debug")
    ap.add_argument("--max-examples", type=int, default=15, help="test cases per operation and phase")
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--max-time", type=int, default=600, help="time budget in seconds for the whole run")
    args = ap.parse_args()
    hub_bin = (ROOT / args.bin_dir / "hub").resolve()
    demo_bin = (ROOT / args.bin_dir / "hub-demo").resolve()
    state = ROOT / ".hub" / "schemathesis"
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    port, sim_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, HUB_STATE_DIR=str(state), HUB_PORT=str(port), HUB_SYNC_IDLE_MS="200", HUB_LOG_LEVEL="warning")
    log = open(state / "hub.log", "w")
    hub = subprocess.Popen([str(demo_bin), "--simulator-port", str(sim_port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(url, hub)
        credentials = json.loads((state / "demo-credentials.json").read_text())
        ops_password = (state / "demo-ops-password").read_text().strip()
        first = json.loads((state / "first-record.json").read_text())["records"][0]
        item = {"catalogCode": first["item"]["catalogCode"], "implementationCode": first["item"]["implementationCode"],
                "agencyCode": first["agency"]["code"]}
        subprocess.run([str(hub_bin), "users", "add", "st-approver", "--name", "复核员", "--role", "approver"], cwd=ROOT,
                       env=dict(env, HUB_USER_PASSWORD="st-approver-password-1"), check=True, capture_output=True)
        # A held record (its local item has no mapping yet) opens a review, so the review operations meet a real id.
        held = dict(first, localId="ST-HELD-1", item={"localCode": "ST-LOCAL-1", "localName": "本地检查事项",
                                                    "legalBasis": "《中华人民共和国药品管理法》第九十九条"})
        (state / "held.json").write_text(json.dumps({"records": [held]}, ensure_ascii=False))
        pushed = subprocess.run([str(hub_bin), "push", str(state / "held.json"), "--url", url, "--json"], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True)
        review = json.loads(pushed.stdout[pushed.stdout.index("{"):])["results"][0].get("reviewId", 1)
        # A signed checkpoint, so the public ledger endpoints answer with heads and proofs, not only 404s.
        subprocess.run([str(hub_bin), "ledger", "checkpoint", "--by", "schemathesis"], cwd=ROOT, env=env, check=True, capture_output=True)
        report = state / "report"
        st_env = dict(env, SCHEMATHESIS_HOOKS="schemathesis_hooks", PYTHONPATH=str(ROOT / "Schemas" / "tools"),
                      HUB_ST_CREDENTIALS=json.dumps(credentials), HUB_ST_ITEM=json.dumps(item),
                      HUB_ST_OPS_TOKEN=sign_in(url, "ops-demo", ops_password), HUB_ST_REVIEW=str(review))
        command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(ROOT / "Schemas" / "tools" / "schemathesis.toml"),
                   "run", str(ROOT / "Schemas" / "openapi.yaml"), "--url", url,
                   "--checks", "all", "--mode", "all", "--phases", "examples,coverage,fuzzing,stateful",
                   "--max-examples", str(args.max_examples), "--seed", str(args.seed), "--workers", "1",
                   "--max-time", str(args.max_time), "--request-timeout", "30", "--no-shrink",
                   "--report", "ndjson", "--report-dir", str(report), "--output-truncate", "true"]
        print("running: schemathesis run Schemas/openapi.yaml (all checks, positive and negative, 4 phases)", flush=True)
        # Schemathesis keeps its own state in the working directory: run it in the state folder, out of the tree.
        result = subprocess.run(command, cwd=state, env=st_env)
        summarize(report)
        return result.returncode
    finally:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hub.kill()


def summarize(report: Path) -> None:
    """Operations, cases and answer statuses of the run, from its ndjson events."""
    statuses: collections.Counter[int] = collections.Counter()
    operations: set[str] = set()
    cases = 0
    for path in report.glob("*.ndjson"):
        for line in path.read_text().splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            for kind, body in event.items() if isinstance(event, dict) else []:
                if kind != "ScenarioFinished" or not isinstance(body, dict):
                    continue
                recorder = body.get("recorder") or {}
                label = recorder.get("label")
                if label:
                    operations.add(label)
                for interactions in (recorder.get("interactions") or {}).values():
                    response = (interactions or {}).get("response") or {}
                    if "status_code" in response:
                        cases += 1
                        statuses[response["status_code"]] += 1
    print(f"schemathesis: {len(operations)} operations, {cases} cases; statuses " +
          ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))


if __name__ == "__main__":
    sys.exit(main())
