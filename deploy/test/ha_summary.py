#!/usr/bin/env python3
"""The checks of the HA drill (deploy/test/ha.sh), printed as a summary; exit 1 when one fails.

Inputs in the drill's folder: load.jsonl (every answer the load clients got, ha_load.py), events.json (when
the primary and the hub instance were killed), ledger-records.txt (every `localId` the hub holds as
accepted with its ledger entry present: one per line), sim-accepted.json / sim-stats.json (the provincial
simulator's per-record versions and counts), verify.txt + verify.rc (`hub ledger verify`), pids.txt (hub
PIDs at start and at the end). Writes summary.json beside them.
"""
import json, os, sys, time
from collections import Counter

d = sys.argv[1]
J = lambda name: json.load(open(os.path.join(d, name)))
events = J("events.json")
answers = [json.loads(l) for l in open(os.path.join(d, "load.jsonl")) if l.strip()]
answers.sort(key=lambda e: e["t"])
in_ledger = set(l.strip() for l in open(os.path.join(d, "ledger-records.txt")) if l.strip())
sim_accepted = J("sim-accepted.json")
sim_stats = J("sim-stats.json")
checks = []
utc = lambda t: time.strftime("%H:%M:%S", time.gmtime(t)) + f".{int(t * 10) % 10}"


def check(name, ok, detail=""):
    checks.append((name, bool(ok), detail))


acked = set()  # answered accepted (or duplicate: a resend of a record the hub had taken)
accepted_answers = Counter()
for e in answers:
    if e.get("http") == 200:
        acked.update(e.get("accepted", []))
        acked.update(e.get("duplicate", []))
        accepted_answers["accepted"] += len(e.get("accepted", []))
        accepted_answers["duplicate"] += len(e.get("duplicate", []))
        accepted_answers["other"] += len(e.get("other", []))
statuses = Counter(str(e.get("http")) for e in answers)
codes = Counter(f'{e.get("http")} {e.get("code") or e.get("error", "")[:60]}' for e in answers if e.get("http") != 200)
lost = sorted(acked - in_ledger)
check("every record answered accepted is in the ledger", not lost and acked, f"{len(acked)} answered accepted/duplicate, {len(lost)} lost {lost[:5]}")
check("no record answered other than accepted/duplicate", accepted_answers["other"] == 0, f'{accepted_answers["other"]} other')

# The province: each record once (one version, never accepted twice), and every acknowledged record delivered.
# Keys are `cd_source|localId`; the drill's records are HA-…, other rows (e.g. portal_publication:N) are the hub's own.
per_record = {k.split("|", 1)[-1]: v for k, v in sim_accepted.items() if k.split("|", 1)[-1].startswith("HA-")}
twice = {k: v for k, v in per_record.items() if len(v) != len(set(v)) or len(v) > 1}
check("none twice at the province", not twice and sim_stats.get("acceptedTwice", 0) == 0,
      f'acceptedTwice={sim_stats.get("acceptedTwice")}, records with >1 acceptance: {len(twice)} {list(twice.items())[:3]}')
undelivered = sorted(acked - set(per_record))
check("every acknowledged record delivered to the province", not undelivered, f"{len(undelivered)} not delivered {undelivered[:5]}")
check("province saw no order violation or inconsistent head",
      sim_stats.get("orderViolations", 0) == 0 and sim_stats.get("inconsistentHeads", 0) == 0,
      f'orderViolations={sim_stats.get("orderViolations")}, inconsistentHeads={sim_stats.get("inconsistentHeads")}, '
      f'duplicateAcks={sim_stats.get("duplicateAcks")}, headsWitnessed={sim_stats.get("headsWitnessed")}')

verify_rc = int(open(os.path.join(d, "verify.rc")).read().strip())
verify_out = open(os.path.join(d, "verify.txt")).read().strip().splitlines()
check("hub ledger verify passes", verify_rc == 0, (verify_out or ["(no output)"])[-1])


def outage(kill):
    """The longest gap between two accepted answers that spans or follows the kill (within two minutes of it):
    from the last accepted answer before the writes stopped to the first one after they came back."""
    times = sorted(e["t"] for e in answers if e.get("http") == 200 and e.get("accepted"))
    gaps = [(b - a, a, b) for a, b in zip(times, times[1:]) if b > kill and a < kill + 120]
    if not gaps:
        return None, None, None
    gap, last, first = max(gaps)
    return last, first, gap


pg_last, pg_first, pg_outage = outage(events["primary_killed"])
hub_last, hub_first, hub_outage = outage(events["hub_killed"])
check("writes resumed after the primary was killed", pg_outage is not None, f"outage {pg_outage:.1f} s" if pg_outage is not None else "no accepted answer after the kill")
limit = float(os.environ.get("HA_MAX_OUTAGE", "60"))
check(f"write outage after the primary kill under {limit:.0f} s", pg_outage is not None and pg_outage < limit,
      f"{pg_outage:.1f} s" if pg_outage is not None else "-")
check("no 500 answer (a batch in flight at the failover must be 503 with Retry-After)", statuses.get("500", 0) == 0,
      f'{statuses.get("500", 0)} × 500 at ' + ", ".join(utc(e["t"]) for e in answers if e.get("http") == 500))
slow = [e for e in answers if e["t"] - e["t0"] > 5]
check("no request held for a minute or more (the pool is not stuck)", all(e["t"] - e["t0"] < 60 for e in answers),
      f"{len(slow)} requests took > 5 s, longest {max((e['t'] - e['t0'] for e in answers), default=0):.1f} s")
window = [e for e in answers if events["primary_killed"] <= e["t"] <= (pg_first or events["primary_killed"])]
errs_after_hub = [e for e in answers if e["t"] > events["hub_killed"] + 10 and e.get("http") != 200]

pids = J("pids.txt")
check("the surviving hub instance never restarted", pids["survivor_start"] == pids["survivor_end"] and pids["survivor_alive"],
      f'pid {pids["survivor_start"]} → {pids["survivor_end"]}, alive={pids["survivor_alive"]}')
check("the killed hub instance stayed dead (nginx routed around it)", not pids["killed_alive"], f'pid {pids["killed"]}')
check("the old primary rejoined as a standby", events.get("old_primary_rejoined"), events.get("old_primary_state", ""))

summary = {
    "requests": len(answers), "http": dict(statuses), "non200": dict(codes.most_common(12)),
    "records_acknowledged": len(acked), "answers": dict(accepted_answers), "lost": len(lost),
    "in_ledger": len(in_ledger), "province_records": len(per_record), "province_twice": len(twice),
    "outage_primary_s": pg_outage, "outage_hub_s": hub_outage,
    "answers_in_primary_outage": dict(Counter(str(e.get("http")) for e in window)),
    "non200_later_than_10s_after_hub_kill": len(errs_after_hub),
    "verify": (verify_out or [""])[-1], "checks": [[n, ok, det] for n, ok, det in checks],
}
json.dump(summary, open(os.path.join(d, "summary.json"), "w"), ensure_ascii=False, indent=1)
print("== HA drill summary")
print(f"requests {len(answers)}; HTTP statuses {dict(statuses)}")
for k, v in codes.most_common(12):
    print(f"  non-200: {v:5d} × {k}")
print(f"records acknowledged (accepted/duplicate) {len(acked)}; answers: {dict(accepted_answers)}; in ledger {len(in_ledger)}; at the province {len(per_record)}")
if pg_outage is not None:
    print(f"primary killed at {utc(events['primary_killed'])}: last accepted {pg_last - events['primary_killed']:+.1f} s, "
          f"first accepted after {pg_first - events['primary_killed']:+.1f} s → write outage {pg_outage:.1f} s; "
          f"answers in the outage {summary['answers_in_primary_outage']}")
if hub_outage is not None:
    print(f"hub killed at {utc(events['hub_killed'])}: longest gap between accepted answers around it {hub_outage:.2f} s; "
          f"non-200 answers later than 10 s after it: {len(errs_after_hub)}")
for e in slow:
    print(f"  slow: worker {e['worker']} batch {e['batch']} sent {utc(e['t0'])} answered {utc(e['t'])} ({e['t'] - e['t0']:.1f} s) → "
          f"{e.get('http')} {e.get('code') or e.get('error', '')}")
for e in answers:
    if e.get("http") not in (200,) and e not in slow:
        print(f"  {e.get('http')}: worker {e['worker']} batch {e['batch']} sent {utc(e['t0'])} answered {utc(e['t'])} {e.get('code') or e.get('error', '')}")
failed = 0
for n, ok, det in checks:
    print(f"{'ok  ' if ok else 'FAIL'} {n}  ({det})")
    failed += 0 if ok else 1
print(f"HA drill: {len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
