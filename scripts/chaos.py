#!/usr/bin/env python3
"""Exactly-once delivery through injected province faults, SIGKILLs of the hub and a hard PostgreSQL restart.

    scripts/chaos.py --records 100000 --kills 5            # release binaries when both exist, else debug
    scripts/chaos.py --records 2000 --kills 2 --bin-dir .build/debug

A private PostgreSQL 15, the province simulator with a fault plan, and `hub serve` are started under --work.
--clients threads push --records inspection records (plus a second version for ~10 % of them) in batches of
--batch; meanwhile the hub is SIGKILLed and restarted at random moments (3–15 s apart, at least --kills times)
and PostgreSQL is restarted once with `pg_ctl -m immediate`. Then it waits until the simulator has every
version the hub answered `accepted` and nothing is pending, and checks exactly-once and order from the
simulator's side, the outbox states and the ledger. Exit status 1 on any FAIL.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubctl  # noqa: E402
from hubctl import log  # noqa: E402

DEFAULT_FAULTS = ('{"serverError":0.3,"timeout":0.1,"reset":0.05,"lostAck":0.05,"duplicateAck":0.1,'
                  '"partialReject":0.05,"timeoutMilliseconds":1500,"retryAfterSeconds":1}')


class Pusher:
    """Hands out batches to the client threads: fresh first versions, and second versions of records whose
    first version was already answered (so a second version is always in a later batch)."""

    def __init__(self, setup: dict, records: int, batch: int, rng: random.Random, signer: hubctl.Signer,
                 port_fn, update_share: float = 0.10):
        self.setup, self.records, self.batch, self.signer, self.port_fn = setup, records, batch, signer, port_fn
        self.update_targets = set(rng.sample(range(records), int(records * update_share)))
        self.rng = rng
        self.cond = threading.Condition()
        self.next_index = 0
        self.update_pool: collections.deque[str] = collections.deque()
        self.inflight = 0
        self.batches_made = 0
        self.batches_done = 0
        self.records_answered = 0
        self.first_versions_answered = 0
        self.updates_answered = 0
        self.resends = 0
        self.resend_reasons: collections.Counter[str] = collections.Counter()
        self.statuses: collections.Counter[str] = collections.Counter()
        self.accepted: set[tuple[str, int]] = set()
        self.not_accepted: list[dict] = []
        self.error: str | None = None
        self.done = False
        self.request_timeout = 60.0
        self.done_at: float | None = None
        self.max_request_seconds = 0.0
        self.slow_requests: list[str] = []

    def local_id(self, i: int) -> str:
        return f"CHAOS-{i + 1:06d}"

    def next_batch(self):
        with self.cond:
            while True:
                if self.error:
                    return None
                fresh_left = self.records - self.next_index
                if self.update_pool or fresh_left:
                    break
                if self.inflight == 0:
                    if not self.done:
                        self.done_at = time.monotonic()
                    self.done = True
                    self.cond.notify_all()
                    return None
                self.cond.wait(1.0)
            records, kinds = [], []
            n_updates = min(len(self.update_pool), self.batch if fresh_left == 0 else max(1, self.batch // 5))
            for _ in range(n_updates):
                lid = self.update_pool.popleft()
                records.append(hubctl.make_record(self.setup, lid, "02", int(lid.split("-")[1])))
                kinds.append("update")
            while len(records) < self.batch and self.next_index < self.records:
                i = self.next_index
                self.next_index += 1
                records.append(hubctl.make_record(self.setup, self.local_id(i), "01", i))
                kinds.append("first")
            self.batches_made += 1
            self.inflight += 1
            batch_id = f"CHAOS-B{self.batches_made:06d}"
        return batch_id, records, kinds

    def run_client(self) -> None:
        try:
            while True:
                item = self.next_batch()
                if item is None:
                    return
                batch_id, records, kinds = item
                body = hubctl.batch_body(batch_id, records)
                answer = self.send(body)
                self.take(records, kinds, answer)
        except Exception as e:  # noqa: BLE001
            with self.cond:
                self.error = f"{type(e).__name__}: {e}"
                self.cond.notify_all()
            traceback.print_exc()

    def send(self, body: bytes) -> dict:
        attempt = 0
        while True:
            attempt += 1
            t = time.monotonic()
            try:
                answer = hubctl.push(self.port_fn(), self.signer, body, timeout=self.request_timeout)
                self.note_latency(t, "200")
                return answer
            except hubctl.PushError as e:
                reason = str(e).split(":")[0]
                self.note_latency(t, reason)
                with self.cond:
                    self.resends += 1
                    self.resend_reasons[reason] += 1
                    if self.error:
                        raise RuntimeError("stopping: another client failed") from e
                if attempt > 2000:
                    raise RuntimeError(f"batch not taken after {attempt} attempts: {e}") from e
                time.sleep(0.3 + self.rng.random() * 0.7)

    def note_latency(self, started: float, outcome: str) -> None:
        took = time.monotonic() - started
        with self.cond:
            self.max_request_seconds = max(self.max_request_seconds, took)
            if took > 20:
                msg = f"{time.strftime('%H:%M:%S')} a push took {took:.1f} s ({outcome})"
                self.slow_requests.append(msg)
                log(msg)

    def take(self, records: list[dict], kinds: list[str], answer: dict) -> None:
        results = answer.get("results") or []
        if len(results) != len(records):
            raise RuntimeError(f"{len(results)} results for {len(records)} records: {json.dumps(answer)[:500]}")
        with self.cond:
            for rec, kind, res in zip(records, kinds, results):
                if res.get("localId") != rec["localId"]:
                    raise RuntimeError(f"result localId {res.get('localId')} != {rec['localId']}")
                status = res["status"]
                key = status if status != "duplicate" else f"duplicate({res.get('originalStatus')})"
                self.statuses[key] += 1
                ok = status == "accepted" or (status == "duplicate" and res.get("originalStatus") == "accepted")
                if ok:
                    self.accepted.add((rec["localId"], int(res["version"])))
                else:
                    self.not_accepted.append(res)
                if kind == "first":
                    self.first_versions_answered += 1
                    idx = int(rec["localId"].split("-")[1]) - 1
                    if ok and idx in self.update_targets:
                        self.update_pool.append(rec["localId"])
                else:
                    self.updates_answered += 1
            self.records_answered += len(records)
            self.batches_done += 1
            self.inflight -= 1
            self.cond.notify_all()


class Chaos:
    """SIGKILLs the hub at random moments (and restarts it), and restarts PostgreSQL hard once."""

    def __init__(self, hub: hubctl.Service, pg: hubctl.Postgres, pusher: Pusher, kills: int, rng: random.Random,
                 min_gap: float = 3, max_gap: float = 15):
        self.hub, self.pg, self.pusher, self.kills_wanted, self.rng = hub, pg, pusher, kills, rng
        self.min_gap, self.max_gap = min_gap, max_gap
        self.kills = 0
        self.pg_restarts = 0
        self.kill_log: list[dict] = []
        self.events: list[str] = []
        self.error: str | None = None
        self.stop = threading.Event()
        self.restart_seconds: list[float] = []

    def pushing_done(self) -> bool:
        return self.pusher.done or self.pusher.error is not None

    def finished(self) -> bool:
        return self.kills >= self.kills_wanted and self.pg_restarts >= 1 and self.pushing_done()

    def run(self) -> None:
        try:
            while not self.finished() and not self.stop.is_set():
                if self.stop.wait(self.rng.uniform(self.min_gap, self.max_gap)):
                    return
                if self.pusher.error:
                    return
                halfway = self.pusher.records_answered >= 0.5 * self.pusher.records or self.pushing_done()
                if self.pg_restarts == 0 and halfway:
                    t = time.monotonic()
                    log(f"chaos: pg_ctl restart -m immediate (records answered {self.pusher.records_answered})")
                    self.pg.restart_immediate()
                    self.pg_restarts += 1
                    self.events.append(f"{time.strftime('%H:%M:%S')} PostgreSQL restart -m immediate "
                                       f"({time.monotonic() - t:.1f} s)")
                    if not self.hub.alive():
                        raise RuntimeError(f"hub serve exited after the PostgreSQL restart (status "
                                           f"{self.hub.proc.returncode}); see {self.hub.logfile}")
                    continue
                if self.kills_wanted == 0 or (self.kills >= self.kills_wanted and self.pushing_done()):
                    continue
                if not self.hub.alive():
                    raise RuntimeError(f"hub serve exited by itself (status {self.hub.proc.returncode}); "
                                       f"see {self.hub.logfile}")
                pid = self.hub.pid
                phase = "pushing" if not self.pushing_done() else "delivering"
                self.hub.kill()
                t = time.monotonic()
                self.hub.start(wait=True, timeout=180)
                took = time.monotonic() - t
                self.restart_seconds.append(took)
                self.kills += 1
                self.kill_log.append({"pid": pid, "phase": phase, "restartSeconds": round(took, 2),
                                      "recordsAnswered": self.pusher.records_answered})
                self.events.append(f"{time.strftime('%H:%M:%S')} SIGKILL hub pid {pid} while {phase}; "
                                   f"ready again in {took:.1f} s")
                log(f"chaos: SIGKILL #{self.kills} pid {pid} while {phase}; hub ready again in {took:.1f} s")
        except Exception as e:  # noqa: BLE001
            self.error = f"{type(e).__name__}: {e}"
            traceback.print_exc()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000, help="records (distinct localIds) to push")
    ap.add_argument("--kills", type=int, default=5, help="at least this many SIGKILLs of the hub")
    ap.add_argument("--bin-dir", default=None, help="default .build/release if both binaries are there, else .build/debug")
    ap.add_argument("--work", default="/var/tmp/hub-chaos")
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--faults", default=DEFAULT_FAULTS, help="SIM_FAULTS fault plan (JSON)")
    ap.add_argument("--wait-timeout", type=float, default=1800, help="seconds to wait for delivery after pushing")
    args = ap.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1, 2**31)
    rng = random.Random(seed)
    bin_dir = hubctl.resolve_bin_dir(args.bin_dir)
    work = hubctl.fresh_work_dir(Path(args.work))
    command = " ".join([sys.argv[0], *sys.argv[1:]])
    log(f"chaos: {command}; bin dir {bin_dir}; seed {seed}; work {work}")
    t_start = time.monotonic()

    pg = hubctl.Postgres(work)
    sim = hub = None
    checks: list[tuple[str, bool, str]] = []
    summary: dict = {"command": command, "binDir": str(bin_dir), "binaries": hubctl.binary_info(bin_dir), "seed": seed,
                     "records": args.records}
    try:
        pg.init()
        pg.start()
        log(f"PostgreSQL on 127.0.0.1:{pg.port} ({pg.data})")
        sim, sim_url = hubctl.start_simulator(bin_dir, work, seed, args.faults)
        log(f"simulator on {sim_url} faults {args.faults}")
        setup = hubctl.prepare_database(pg, bin_dir, "hub")
        log(f"department key {setup['keyId']}; item {setup['catalog']} / {setup['impl']} / agency {setup['agency']}")
        hub_port = hubctl.free_port()
        env = hubctl.hub_env(setup["databaseUrl"], sim_url, {
            "HUB_PROVINCE_TIMEOUT_MS": "1000", "HUB_SYNC_BATCH": "500", "HUB_SYNC_WORKERS": "2",
            "HUB_SYNC_LEASE_SECONDS": "10", "HUB_SYNC_BACKOFF_MS": "100", "HUB_SYNC_BACKOFF_CAP_MS": "2000",
            "HUB_SYNC_MAX_ATTEMPTS": "50"})
        hub = hubctl.make_hub(bin_dir, work, hub_port, env)
        hub.start(timeout=180)
        log(f"hub serve on 127.0.0.1:{hub_port} (pid {hub.pid}), log {hub.logfile}")

        signer = hubctl.Signer(setup["keyId"], setup["secret"])
        pusher = Pusher(setup, args.records, args.batch, random.Random(seed + 1), signer, lambda: hub_port)
        chaos = Chaos(hub, pg, pusher, args.kills, random.Random(seed + 2))
        t_push = time.monotonic()
        clients = [threading.Thread(target=pusher.run_client, name=f"client-{i}", daemon=True) for i in range(args.clients)]
        for c in clients:
            c.start()
        chaos_thread = threading.Thread(target=chaos.run, name="chaos", daemon=True)
        chaos_thread.start()

        push_seconds = None
        while any(c.is_alive() for c in clients) or chaos_thread.is_alive():
            time.sleep(5)
            if push_seconds is None and not any(c.is_alive() for c in clients):
                push_seconds = (pusher.done_at or time.monotonic()) - t_push
                log(f"pushing done in {push_seconds:.1f} s")
            try:
                pending = pg.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'")
            except Exception:  # noqa: BLE001
                pending = "?"
            log(f"progress: records answered {pusher.records_answered}/{args.records + len(pusher.update_targets)} "
                f"(batches {pusher.batches_done}, resends {pusher.resends}), kills {chaos.kills}/{args.kills}, "
                f"pg restarts {chaos.pg_restarts}, outbox pending {pending}")
            if chaos.error:
                chaos.stop.set()
                raise RuntimeError(f"chaos failed: {chaos.error}")
            if pusher.error:
                chaos.stop.set()
                raise RuntimeError(f"push failed: {pusher.error}")
        if push_seconds is None:
            push_seconds = (pusher.done_at or time.monotonic()) - t_push
        if chaos.error:
            raise RuntimeError(f"chaos failed: {chaos.error}")
        if pusher.error:
            raise RuntimeError(f"push failed: {pusher.error}")
        log(f"pushing and chaos done: {pusher.records_answered} records answered, {len(pusher.accepted)} versions "
            f"accepted, {chaos.kills} kills, {chaos.pg_restarts} PostgreSQL restart(s)")

        # Wait for delivery.
        expected = pusher.accepted
        t_wait = time.monotonic()
        zero_pending_since = None
        sim_accepted: dict = {}
        covered = False
        while True:
            pending = int(pg.scalar("SELECT count(*) FROM outbox WHERE state IN ('pending')"))
            stats = hubctl.get_json(f"{sim_url}/sim/stats")
            missing = len(expected)
            if stats["versionsAccepted"] >= len(expected) or pending == 0:
                sim_accepted = hubctl.get_json(f"{sim_url}/sim/accepted", timeout=120)
                missing = sum(1 for lid, v in expected
                              if v not in sim_accepted.get(f"{hubctl.CD_SOURCE}|{lid}", ()))
                covered = missing == 0
            log(f"delivery: outbox pending {pending}, simulator versionsAccepted {stats['versionsAccepted']}"
                f"/{len(expected)}" + (f", missing {missing}" if stats["versionsAccepted"] >= len(expected) or pending == 0 else ""))
            if covered and pending == 0:
                break
            if not hub.alive():
                raise RuntimeError(f"hub serve exited (status {hub.proc.returncode}); see {hub.logfile}")
            if pending == 0:
                zero_pending_since = zero_pending_since or time.monotonic()
                if time.monotonic() - zero_pending_since > 30:
                    log("FAIL: nothing pending for 30 s but the simulator lacks accepted versions")
                    break
            else:
                zero_pending_since = None
            if time.monotonic() - t_wait > args.wait_timeout:
                log(f"FAIL: delivery not complete after {args.wait_timeout:.0f} s")
                break
            time.sleep(2)
        delivery_wait = time.monotonic() - t_wait
        wall = time.monotonic() - t_start

        # Checks.
        stats = hubctl.get_json(f"{sim_url}/sim/stats")
        sim_accepted = hubctl.get_json(f"{sim_url}/sim/accepted", timeout=120)
        missing = sorted((lid, v) for lid, v in expected if v not in sim_accepted.get(f"{hubctl.CD_SOURCE}|{lid}", ()))
        checks.append(("every version answered accepted is in /sim/accepted", not missing,
                       f"{len(expected) - len(missing)}/{len(expected)} present" + (f"; first missing {missing[:5]}" if missing else "")))
        checks.append(("simulator acceptedTwice == 0", stats["acceptedTwice"] == 0, f"acceptedTwice={stats['acceptedTwice']}"))
        checks.append(("simulator orderViolations == 0", stats["orderViolations"] == 0, f"orderViolations={stats['orderViolations']}"))
        not_increasing = [k for k, vs in sim_accepted.items() if any(b <= a for a, b in zip(vs, vs[1:]))]
        checks.append(("each record's versions strictly increasing at the simulator", not not_increasing,
                       f"{len(sim_accepted)} records" + (f"; bad: {not_increasing[:5]}" if not_increasing else "")))
        extra = sorted(f"{k}@{v}" for k, vs in sim_accepted.items() for v in vs
                       if not k.startswith(hubctl.CD_SOURCE + "|") or (k.split("|", 1)[1], v) not in expected)
        checks.append(("simulator versionsAccepted == distinct accepted versions (no extras)",
                       stats["versionsAccepted"] == len(expected) and not extra,
                       f"versionsAccepted={stats['versionsAccepted']}, answered accepted={len(expected)}"
                       + (f"; extras {extra[:5]}" if extra else "")))
        states = hubctl.outbox_states(pg)
        undelivered = {s: n for s, n in states.items() if s != "delivered"}
        checks.append(("outbox: every row delivered (no pending/rejected/dead)", not undelivered and states.get("delivered", 0) > 0,
                       json.dumps(states)))
        checks.append(("outbox delivered rows == distinct accepted versions", states.get("delivered", 0) == len(expected),
                       f"delivered={states.get('delivered', 0)}, accepted={len(expected)}"))
        first_ok = pusher.statuses.get("accepted", 0) + pusher.statuses.get("duplicate(accepted)", 0)
        checks.append(("every pushed record answered accepted (or duplicate of accepted)", not pusher.not_accepted,
                       f"{first_ok}/{pusher.records_answered}; statuses {dict(pusher.statuses)}"
                       + (f"; first other: {json.dumps(pusher.not_accepted[:2], ensure_ascii=False)}" if pusher.not_accepted else "")))
        v = hubctl.hub_oneshot(bin_dir, setup["databaseUrl"], "ledger", "verify", check=False, timeout=1800)
        checks.append(("hub ledger verify exits 0", v.returncode == 0,
                       (v.stdout.strip().splitlines() or [""])[-1][:200] + (f" {v.stderr.strip()[-300:]}" if v.returncode else "")))
        receipts = int(pg.scalar("SELECT count(*) FROM ledger WHERE kind='provincial_receipt'"))
        checks.append(("ledger has provincial_receipt entries", receipts > 0, f"{receipts} entries"))
        checks.append(("at least --kills SIGKILLs and one PostgreSQL restart", chaos.kills >= args.kills and chaos.pg_restarts >= 1,
                       f"kills={chaos.kills}, pg restarts={chaos.pg_restarts}"))
        alive = hub.alive()
        checks.append(("hub serve still running at the end", alive, f"pid {hub.pid}"))

        dupes_answered = sum(n for s, n in pusher.statuses.items() if s.startswith("duplicate"))
        summary.update({
            "recordsPushed": pusher.records_answered,
            "firstVersionsPushed": pusher.first_versions_answered,
            "secondVersionsPushed": pusher.updates_answered,
            "batches": pusher.batches_done,
            "batchResends": pusher.resends,
            "resendReasons": dict(pusher.resend_reasons),
            "answerStatuses": dict(pusher.statuses),
            "maxPushRequestSeconds": round(pusher.max_request_seconds, 2),
            "slowPushRequests": pusher.slow_requests,
            "duplicateAnswers": dupes_answered,
            "versionsAccepted": len(expected),
            "kills": chaos.kills,
            "killLog": chaos.kill_log,
            "pgRestarts": chaos.pg_restarts,
            "events": chaos.events,
            "pushSeconds": round(push_seconds, 1),
            "deliveryWaitSeconds": round(delivery_wait, 1),
            "wallSeconds": round(wall, 1),
            "simulator": stats,
            "outbox": states,
            "ledgerProvincialReceipts": receipts,
            "checks": [{"check": n, "pass": ok, "detail": d} for n, ok, d in checks],
        })
    except Exception as e:  # noqa: BLE001
        traceback.print_exc()
        checks.append(("run completed", False, f"{type(e).__name__}: {e}"))
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["checks"] = [{"check": n, "pass": ok, "detail": d} for n, ok, d in checks]
    finally:
        if hub is not None:
            rc = hub.stop()
            summary["hubExitOnSigterm"] = rc
        if sim is not None:
            sim.stop()
        pg.stop()

    if hub is not None:
        summary["hubLog"] = hubctl.scan_hub_log(hub.logfile)
    print_summary(summary, checks, work)
    (work / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    print(f"summary written to {work / 'summary.json'}; logs: {work}/hub.log, {work}/simulator.log, {work}/postgres.log")
    return 0 if checks and all(ok for _, ok, _ in checks) else 1


def print_summary(s: dict, checks: list, work: Path) -> None:
    print()
    print("=" * 78)
    print("CHAOS RUN")
    print(f"  command            {s['command']}")
    print(f"  bin dir            {s['binDir']}   seed {s['seed']}")
    if "recordsPushed" in s:
        print(f"  records pushed     {s['recordsPushed']} ({s['firstVersionsPushed']} first versions + "
              f"{s['secondVersionsPushed']} second versions) in {s['batches']} batches, {s['batchResends']} resends "
              f"{s['resendReasons']}")
        print(f"  hub answers        {s['answerStatuses']}; slowest push request {s['maxPushRequestSeconds']} s"
              + (f"; >20 s: {s['slowPushRequests']}" if s['slowPushRequests'] else ""))
        print(f"  versions accepted  {s['versionsAccepted']}")
        print(f"  kills done         {s['kills']} (restart to /ready: "
              f"{', '.join(str(k['restartSeconds']) for k in s['killLog'])} s)")
        print(f"  PG restarts        {s['pgRestarts']}")
        print(f"  wall time          {s['wallSeconds']} s (pushing {s['pushSeconds']} s, delivery wait after chaos "
              f"{s['deliveryWaitSeconds']} s)")
        st = s["simulator"]
        print(f"  simulator          batches {st['batches']}, rowsReceived {st['rowsReceived']}, accepted {st['accepted']}, "
              f"versionsAccepted {st['versionsAccepted']}, recordsAccepted {st['recordsAccepted']}")
        print(f"                     duplicateAcks {st['duplicateAcks']}, rejectedRetryable {st['rejectedRetryable']}, "
              f"rejectedFinal {st['rejectedFinal']}, acceptedTwice {st['acceptedTwice']}, orderViolations {st['orderViolations']}")
        print(f"                     injected {json.dumps(st['injected'])}")
        print(f"  hub outbox         {json.dumps(s['outbox'])}; ledger provincial_receipt entries {s['ledgerProvincialReceipts']}")
        print(f"  events:")
        for e in s["events"]:
            print(f"    {e}")
    print(f"  binaries           {s.get('binaries')}")
    rc = s.get("hubExitOnSigterm")
    print(f"  hub exit on SIGTERM {rc}" + ("   WARN: hub serve did not stop within 60 s of SIGTERM (SIGKILLed)" if rc not in (0, None) else ""))
    hl = s.get("hubLog") or {}
    if hl:
        print(f"  hub log levels     {json.dumps(hl['levels'])}")
        for msg, n in hl["topMessages"]:
            print(f"    {n:6d}  {msg}")
        for line in hl["oddLines"]:
            print(f"    other line: {line}")
    if "error" in s:
        print(f"  ERROR              {s['error']}")
    print("  checks:")
    for name, ok, detail in checks:
        print(f"    {'PASS' if ok else 'FAIL'}  {name}: {detail}")
    print(f"  result             {'PASS' if checks and all(ok for _, ok, _ in checks) else 'FAIL'}")
    print("=" * 78)


if __name__ == "__main__":
    sys.exit(main())
