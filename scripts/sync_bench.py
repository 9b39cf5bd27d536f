#!/usr/bin/env python3
"""Provincial delivery throughput and lag, against the province simulator without faults.

    scripts/sync_bench.py                       # release binaries when both exist, else debug
    scripts/sync_bench.py --records 50000 --rate 1000 --seconds 60 --bin-dir .build/release

Phase A (throughput): `hub serve` without HUB_PROVINCE_URL takes --records records (nothing is delivered), is
stopped with SIGTERM and started again with HUB_PROVINCE_URL; the time until the outbox has no pending row
(polled every 200 ms) gives records/s, and so does max(delivered_at) - min(delivered_at) from the outbox.

Phase B (lag under steady load): a second database `hub2`, the hub with the province from the start, --rate
records/s for --seconds s (batches of 100 from 2 threads); once nothing is pending, the per-record lag
delivered_at - created_at from the hub's own outbox: p50, p99, max.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubctl  # noqa: E402
from hubctl import log  # noqa: E402

SYNC_ENV = {"HUB_PROVINCE_TIMEOUT_MS": "1000", "HUB_SYNC_BATCH": "500", "HUB_SYNC_WORKERS": "2",
            "HUB_SYNC_LEASE_SECONDS": "10", "HUB_SYNC_BACKOFF_MS": "100", "HUB_SYNC_BACKOFF_CAP_MS": "2000",
            "HUB_SYNC_MAX_ATTEMPTS": "50", "HUB_SYNC_IDLE_MS": "100"}


def push_retrying(port: int, signer: hubctl.Signer, body: bytes, stats: dict, lock: threading.Lock) -> dict:
    for attempt in range(1, 200):
        try:
            answer = hubctl.push(port, signer, body, timeout=120)
            bad = [r for r in answer["results"] if r["status"] != "accepted"]
            with lock:
                stats["accepted"] += len(answer["results"]) - len(bad)
                stats["notAccepted"] += len(bad)
                if bad and not stats.get("firstBad"):
                    stats["firstBad"] = bad[0]
            return answer
        except hubctl.PushError as e:
            with lock:
                stats["resends"] += 1
            log(f"push failed ({e}); resending")
            time.sleep(0.5)
    raise RuntimeError("push not taken after 200 attempts")


def bulk_push(port: int, signer: hubctl.Signer, setup: dict, prefix: str, records: int, batch: int = 500,
              clients: int = 4) -> dict:
    """Pushes `records` records as fast as `clients` threads can."""
    lock = threading.Lock()
    stats = {"accepted": 0, "notAccepted": 0, "resends": 0}
    next_index = [0]

    def client():
        while True:
            with lock:
                start = next_index[0]
                if start >= records:
                    return
                end = min(records, start + batch)
                next_index[0] = end
            recs = [hubctl.make_record(setup, f"{prefix}-{i + 1:06d}", "01", i) for i in range(start, end)]
            push_retrying(port, signer, hubctl.batch_body(f"{prefix}-B{start // batch + 1:05d}", recs), stats, lock)

    t = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for th in threads:
        th.start()
    last = time.monotonic()
    while any(th.is_alive() for th in threads):
        time.sleep(0.5)
        if time.monotonic() - last >= 5:
            last = time.monotonic()
            log(f"phase A: pushed {stats['accepted'] + stats['notAccepted']}/{records}")
    stats["seconds"] = time.monotonic() - t
    return stats


def steady_push(port: int, signer: hubctl.Signer, setup: dict, prefix: str, rate: float, seconds: float,
                batch: int = 100, threads_n: int = 2, pg: hubctl.Postgres | None = None, db: str = "hub2") -> dict:
    """`rate` records/s for `seconds` s: batches of `batch` on a fixed schedule (every batch/rate s overall),
    alternating between `threads_n` threads. A thread that falls behind sends at once (catches up)."""
    lock = threading.Lock()
    stats = {"accepted": 0, "notAccepted": 0, "resends": 0, "late": 0, "maxLateSeconds": 0.0, "maxRequestSeconds": 0.0}
    total_batches = int(round(rate * seconds / batch))
    interval = batch / rate
    t0 = time.monotonic() + 0.5

    def client(k: int):
        for n in range(k, total_batches, threads_n):
            due = t0 + n * interval
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            else:
                with lock:
                    stats["late"] += 1
                    stats["maxLateSeconds"] = max(stats["maxLateSeconds"], now - due)
            recs = [hubctl.make_record(setup, f"{prefix}-{i + 1:06d}", "01", i) for i in range(n * batch, (n + 1) * batch)]
            t = time.monotonic()
            push_retrying(port, signer, hubctl.batch_body(f"{prefix}-B{n + 1:05d}", recs), stats, lock)
            with lock:
                stats["maxRequestSeconds"] = max(stats["maxRequestSeconds"], time.monotonic() - t)

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(threads_n)]
    for th in threads:
        th.start()
    last = time.monotonic()
    while any(th.is_alive() for th in threads):
        time.sleep(0.5)
        if time.monotonic() - last >= 5:
            last = time.monotonic()
            pending = pg.scalar("SELECT count(*) FROM outbox WHERE state='pending'", db=db) if pg else "?"
            log(f"phase B: pushed {stats['accepted'] + stats['notAccepted']}/{total_batches * batch} "
                f"({time.monotonic() - t0:.0f} s), outbox pending {pending}")
    stats["seconds"] = time.monotonic() - t0
    stats["records"] = total_batches * batch
    stats["achievedRate"] = stats["records"] / stats["seconds"]
    return stats


def wait_no_pending(pg: hubctl.Postgres, db: str, hub: hubctl.Service, timeout: float, label: str,
                    poll: float = 0.2) -> float:
    t = time.monotonic()
    last = t
    while True:
        pending = int(pg.scalar("SELECT count(*) FROM outbox WHERE state='pending'", db=db))
        now = time.monotonic()
        if pending == 0:
            return now - t
        if not hub.alive():
            raise RuntimeError(f"hub serve exited ({hub.proc.returncode}); see {hub.logfile}")
        if now - t > timeout:
            raise RuntimeError(f"{label}: {pending} rows still pending after {timeout:.0f} s")
        if now - last >= 5:
            last = now
            log(f"{label}: outbox pending {pending} ({now - t:.0f} s)")
        time.sleep(poll)


def upload_failures(logfile: Path) -> dict:
    scan = hubctl.scan_hub_log(logfile)
    return {"levels": scan.get("levels", {}), "top": scan.get("topMessages", [])[:5], "odd": scan.get("oddLines", [])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin-dir", default=None, help="default .build/release if both binaries are there, else .build/debug")
    ap.add_argument("--records", type=int, default=50_000, help="phase A: records queued before delivery starts")
    ap.add_argument("--rate", type=float, default=1000, help="phase B: records/s")
    ap.add_argument("--seconds", type=float, default=60, help="phase B: seconds of steady load")
    ap.add_argument("--work", default="/var/tmp/hub-syncbench")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the outbox to drain")
    args = ap.parse_args()

    bin_dir = hubctl.resolve_bin_dir(args.bin_dir)
    work = hubctl.fresh_work_dir(Path(args.work))
    command = " ".join([sys.argv[0], *sys.argv[1:]])
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    log(f"sync bench: {command}; bin dir {bin_dir}; nproc {nproc}; work {work}")
    res: dict = {"command": command, "binDir": str(bin_dir), "binaries": hubctl.binary_info(bin_dir), "nproc": nproc,
                 "hubSyncEnv": SYNC_ENV}
    pg = hubctl.Postgres(work)
    sim = hub = None
    ok = False
    try:
        pg.init()
        pg.start()
        sim, sim_url = hubctl.start_simulator(bin_dir, work, 1, None)
        log(f"PostgreSQL on 127.0.0.1:{pg.port}; simulator (no faults) on {sim_url}")

        # ---------------- Phase A: a queue of --records, then delivery alone.
        setup = hubctl.prepare_database(pg, bin_dir, "hub")
        signer = hubctl.Signer(setup["keyId"], setup["secret"])
        port = hubctl.free_port()
        hub = hubctl.make_hub(bin_dir, work, port, hubctl.hub_env(setup["databaseUrl"], None, SYNC_ENV), "hub-phaseA-ingest.log")
        hub.start(timeout=180)
        log(f"phase A: hub without province on :{port}; pushing {args.records} records")
        a_push = bulk_push(port, signer, setup, "BENCH-A", args.records)
        rc = hub.stop()
        pending = int(pg.scalar("SELECT count(*) FROM outbox WHERE state='pending'"))
        log(f"phase A: pushed in {a_push['seconds']:.1f} s ({args.records / a_push['seconds']:.0f} records/s); "
            f"hub stopped (exit {rc}); outbox pending {pending}")
        hub = hubctl.make_hub(bin_dir, work, port, hubctl.hub_env(setup["databaseUrl"], sim_url, SYNC_ENV), "hub-phaseA-deliver.log")
        t_start = time.monotonic()
        hub.start(timeout=180)
        ready_after = time.monotonic() - t_start
        drain_from_ready = wait_no_pending(pg, "hub", hub, args.timeout, "phase A")
        drain_total = time.monotonic() - t_start
        span = float(pg.scalar("SELECT extract(epoch from max(delivered_at) - min(delivered_at)) FROM outbox") or 0)
        states = hubctl.outbox_states(pg)
        sim_stats = hubctl.get_json(f"{sim_url}/sim/stats")
        hub.stop()
        res["phaseA"] = {
            "records": args.records, "pendingBeforeDelivery": pending, "ingestSeconds": round(a_push["seconds"], 2),
            "ingestRate": round(args.records / a_push["seconds"], 1), "ingestResends": a_push["resends"],
            "notAccepted": a_push["notAccepted"],
            "startToReadySeconds": round(ready_after, 2), "drainSecondsFromStart": round(drain_total, 2),
            "drainSecondsFromReady": round(drain_from_ready, 2),
            "recordsPerSecond": round(args.records / drain_total, 1),
            "recordsPerSecondFromReady": round(args.records / drain_from_ready, 1) if drain_from_ready else None,
            "deliveredSpanSeconds": round(span, 3),
            "recordsPerSecondDeliveredSpan": round(states.get("delivered", 0) / span, 1) if span else None,
            "outbox": states,
            "simulator": {k: sim_stats[k] for k in ("batches", "rowsReceived", "accepted", "duplicateAcks",
                                                    "rejectedFinal", "rejectedRetryable", "acceptedTwice", "orderViolations")},
            "hubLog": upload_failures(work / "hub-phaseA-deliver.log"),
        }
        log(f"phase A: {args.records} records delivered in {drain_total:.1f} s from start "
            f"({args.records / drain_total:.0f} records/s); delivered_at span {span:.2f} s")

        # ---------------- Phase B: steady load with delivery on.
        setup2 = hubctl.prepare_database(pg, bin_dir, "hub2")
        signer2 = hubctl.Signer(setup2["keyId"], setup2["secret"])
        port2 = hubctl.free_port()
        hub = hubctl.make_hub(bin_dir, work, port2, hubctl.hub_env(setup2["databaseUrl"], sim_url, SYNC_ENV), "hub-phaseB.log")
        hub.start(timeout=180)
        sim_before = hubctl.get_json(f"{sim_url}/sim/stats")
        log(f"phase B: hub with province on :{port2}; {args.rate:.0f} records/s for {args.seconds:.0f} s")
        b_push = steady_push(port2, signer2, setup2, "BENCH-B", args.rate, args.seconds, pg=pg, db="hub2")
        drain_after = wait_no_pending(pg, "hub2", hub, args.timeout, "phase B")
        lag = pg.rows("SELECT percentile_cont(ARRAY[0.5,0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at)), "
                      "max(extract(epoch FROM delivered_at - created_at)), count(*) FROM outbox WHERE state='delivered'", db="hub2")[0]
        p50, p99 = (float(x) for x in lag[0].strip("{}").split(","))
        lag_max, lag_n = float(lag[1]), int(lag[2])
        states2 = hubctl.outbox_states(pg, "hub2")
        sim_after = hubctl.get_json(f"{sim_url}/sim/stats")
        hub.stop()
        res["phaseB"] = {
            "targetRate": args.rate, "seconds": args.seconds, "records": b_push["records"],
            "pushSeconds": round(b_push["seconds"], 2), "achievedRate": round(b_push["achievedRate"], 1),
            "lateBatches": b_push["late"], "maxLateSeconds": round(b_push["maxLateSeconds"], 3),
            "maxPushRequestSeconds": round(b_push["maxRequestSeconds"], 3), "resends": b_push["resends"],
            "notAccepted": b_push["notAccepted"],
            "drainAfterPushSeconds": round(drain_after, 2),
            "lagMs": {"p50": round(p50 * 1000, 1), "p99": round(p99 * 1000, 1), "max": round(lag_max * 1000, 1)},
            "lagRows": lag_n, "outbox": states2,
            "simulatorBatches": sim_after["batches"] - sim_before["batches"],
            "simulator": {k: sim_after[k] for k in ("accepted", "duplicateAcks", "rejectedFinal", "acceptedTwice", "orderViolations")},
            "hubLog": upload_failures(work / "hub-phaseB.log"),
        }
        ok = True
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        res["error"] = f"{type(e).__name__}: {e}"
    finally:
        if hub is not None:
            hub.stop()
        if sim is not None:
            sim.stop()
        pg.stop()

    print_results(res)
    (work / "results.json").write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n")
    print(f"results written to {work / 'results.json'}; logs in {work}")
    return 0 if ok else 1


def print_results(r: dict) -> None:
    print()
    print("=" * 78)
    print("SYNC BENCH")
    print(f"  command     {r['command']}")
    print(f"  bin dir     {r['binDir']}  {r['binaries']}")
    print(f"  nproc       {r['nproc']}")
    print(f"  hub env     {' '.join(f'{k}={v}' for k, v in r['hubSyncEnv'].items())}")
    a = r.get("phaseA")
    if a:
        print("  Phase A — throughput (queue first, then delivery alone)")
        print(f"    records queued            {a['records']} (outbox pending before delivery: {a['pendingBeforeDelivery']}; "
              f"ingest {a['ingestSeconds']} s = {a['ingestRate']} records/s, not accepted {a['notAccepted']})")
        print(f"    hub start → /ready        {a['startToReadySeconds']} s")
        print(f"    drain (start → 0 pending) {a['drainSecondsFromStart']} s  → {a['recordsPerSecond']} records/s "
              f"(from /ready: {a['drainSecondsFromReady']} s → {a['recordsPerSecondFromReady']} records/s)")
        print(f"    outbox delivered_at span  {a['deliveredSpanSeconds']} s  → {a['recordsPerSecondDeliveredSpan']} records/s")
        print(f"    outbox                    {json.dumps(a['outbox'])}; simulator {json.dumps(a['simulator'])}")
        print(f"    hub log                   {json.dumps(a['hubLog']['levels'])} {a['hubLog']['top']} {a['hubLog']['odd']}")
    b = r.get("phaseB")
    if b:
        print("  Phase B — lag under steady load (delivery on)")
        print(f"    target                    {b['targetRate']:.0f} records/s for {b['seconds']:.0f} s = {b['records']} records "
              f"(batches of 100 from 2 threads)")
        print(f"    achieved                  {b['achievedRate']} records/s over {b['pushSeconds']} s; late batches "
              f"{b['lateBatches']} (max {b['maxLateSeconds']} s late); slowest push {b['maxPushRequestSeconds']} s; "
              f"not accepted {b['notAccepted']}")
        print(f"    drain after last push     {b['drainAfterPushSeconds']} s")
        print(f"    lag delivered_at-created_at  p50 {b['lagMs']['p50']} ms   p99 {b['lagMs']['p99']} ms   "
              f"max {b['lagMs']['max']} ms   ({b['lagRows']} rows)")
        print(f"    outbox                    {json.dumps(b['outbox'])}; simulator batches {b['simulatorBatches']}, "
              f"{json.dumps(b['simulator'])}")
        print(f"    hub log                   {json.dumps(b['hubLog']['levels'])} {b['hubLog']['top']} {b['hubLog']['odd']}")
    if "error" in r:
        print(f"  ERROR       {r['error']}")
    print("=" * 78)


if __name__ == "__main__":
    sys.exit(main())
