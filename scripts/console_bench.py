#!/usr/bin/env python3
"""How fast the ops console's pages answer with a realistic load in the database: --records records
(spread over --parties parties) and --conflicts open mapping conflicts, pushed through the hub's own API.

Each page is fetched --repeat times after one warm-up, signed in as an approver; p50, p95 and max are printed
(time to the last byte, measured by the client on loopback). Results go to docs/BENCHMARKS.md by hand.

    scripts/console_bench.py [--bin-dir .build/release] [--records 100000] [--conflicts 1000] [--repeat 20] [--batches 1000000]

The lists (records, ledger, catalog, reviews, the exchange's day) are timed too: first pages, filters, searches,
a deep page by cursor (the middle of the records and of the ledger), and exports; the two exports of every
record run --repeat/10 times (p95 there is the max). Exports are not held to the 200 ms page target.

With --batches N, N message-log batches (报送日志) are written straight into the table first (generate_series:
~50 departments, spread over 365 days, ~2 % rejected, ~5 % held), and the log's pages are measured too: the first
page, a filtered page (department + 拒收 + a month), the page reached by following the cursor 50 pages, and a batch.
"""
import argparse
import base64
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubctl  # noqa: E402

PASSWORD = "correct-horse-9"
USCC_CODES = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(n: int) -> str:
    """A valid 统一社会信用代码 numbered n: the organisation code's GB 11714 check, then the GB 32100 check."""
    org = f"{n:08d}"
    c = 11 - sum(int(d) * w for d, w in zip(org, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    body = "91430405" + org + {10: "X", 11: "0"}.get(c, str(c))
    total = sum(USCC_CODES.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS))
    return body + USCC_CODES[(31 - total % 31) % 31]


def seed_message_log(pg, n: int) -> None:
    """n batches straight into message_log (scripts/sql/message_log_batches.sql, shared with `IngestBenchmark scale`):
    ~50 departments, the last 365 days, ~2 % with a rejected record (half of them refused as a whole), ~5 % held;
    each with a small answer array as a pushed batch of 5 records has."""
    sql = (Path(__file__).resolve().parent / "sql" / "message_log_batches.sql").read_text().replace("@BATCHES@", str(int(n)))
    pg.psql(sql.rstrip().rstrip(";") + ";\nANALYZE message_log;", timeout=3600)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--conflicts", type=int, default=1000)
    ap.add_argument("--parties", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--work", default="/var/tmp/hub-consolebench")
    ap.add_argument("--batches", type=int, default=0, help="message-log batches to generate (0: none, log pages not measured)")
    args = ap.parse_args()
    bin_dir = hubctl.resolve_bin_dir(args.bin_dir)
    work = hubctl.fresh_work_dir(Path(args.work))
    pg = hubctl.Postgres(work)
    sim = hub = None
    try:
        pg.init()
        pg.start()
        setup = hubctl.prepare_database(pg, bin_dir, "hub")
        env = {**{k: v for k, v in hubctl.os.environ.items() if not k.startswith("HUB_")},
               "HUB_DATABASE_URL": setup["databaseUrl"], "HUB_USER_PASSWORD": PASSWORD, "HUB_LOG_LEVEL": "warning"}
        hubctl.subprocess.run([str(bin_dir / "hub"), "users", "add", "bench", "--name", "压测", "--role", "approver"],
                              cwd=hubctl.REPO, env=env, check=True, capture_output=True)
        sim, sim_url = hubctl.start_simulator(bin_dir, work, seed=1, faults=None)
        port = hubctl.free_port()
        hub = hubctl.make_hub(bin_dir, work, port, hubctl.hub_env(setup["databaseUrl"], sim_url))
        hub.start()
        signer = hubctl.Signer(setup["keyId"], setup["secret"])

        started = time.time()
        batches = []
        for b in range(0, args.records, 500):
            recs = []
            for i in range(b, min(b + 500, args.records)):
                r = hubctl.make_record(setup, f"B-{i:07d}", "01", i)
                r["party"]["idNumber"] = uscc(i % args.parties)
                recs.append(r)
            batches.append(hubctl.batch_body(f"2026112{b // 500:06d}", recs))
        lock = threading.Lock()

        def worker():
            while True:
                with lock:
                    if not batches:
                        return
                    body = batches.pop()
                hubctl.push(port, signer, body)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        conflicts = []
        for i in range(args.conflicts):
            r = hubctl.make_record(setup, f"HOLD-{i:05d}", "01", i)
            r["item"] = {"localCode": f"X-{i:05d}", "localName": f"自建事项{i}", "legalBasis": f"《某地方规定》第{i % 90 + 1}条"}
            conflicts.append(r)
        for c in range(0, len(conflicts), 500):
            hubctl.push(port, signer, hubctl.batch_body(f"2026119{c:06d}", conflicts[c:c + 500]))
        loaded = time.time() - started
        counts = {"records": pg.scalar("SELECT count(*) FROM records"),
                  "open conflicts": pg.scalar("SELECT count(*) FROM review_items WHERE status = 'open'"),
                  "ledger": pg.scalar("SELECT count(*) FROM ledger")}
        hubctl.log(f"loaded in {loaded:.0f} s: {counts}")
        end = time.time() + 600
        while pg.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'") != "0" and time.time() < end:
            time.sleep(1)

        if args.batches:
            t0 = time.time()
            seed_message_log(pg, args.batches)
            hubctl.log(f"{args.batches} message-log batches generated in {time.time() - t0:.0f} s")
            counts["message log"] = pg.scalar("SELECT count(*) FROM message_log")

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def request(method, path, body=None, headers=None):
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r, r.read()

        r, _ = request("GET", "/console/login")
        login_cookie = r.getheader("Set-Cookie").split(";")[0]
        token = login_cookie.split("=", 1)[1]
        form = urllib.parse.urlencode({"_csrf": token, "username": "bench", "password": PASSWORD})
        r, _ = request("POST", "/console/login", form, {"Cookie": login_cookie, "Content-Type": "application/x-www-form-urlencoded"})
        session = [c for c in r.headers.get_all("Set-Cookie") if c.startswith("hub_session=")][0].split(";")[0]
        r, page = request("GET", "/console/reviews", headers={"Cookie": session})
        csrf = page.decode().split('name="_csrf" value="')[1].split('"')[0]
        def run_job(form: str) -> tuple[str, float]:
            """Starts a console job (checkpoint, proof …) and follows its page until it is done: (page, seconds)."""
            t0 = time.time()
            r, _ = request("POST", form.split("?")[0], f"_csrf={csrf}" + (("&" + form.split("?")[1]) if "?" in form else ""),
                           {"Cookie": session, "Content-Type": "application/x-www-form-urlencoded"})
            location = r.getheader("Location")
            assert r.status == 303 and location.startswith("/console/jobs/"), (form, r.status)
            while time.time() - t0 < 600:
                _, page = request("GET", location, headers={"Cookie": session})
                if b"job-running" not in page:
                    return location, time.time() - t0
                time.sleep(0.2)
            raise RuntimeError(f"job {location} did not finish")

        run_job("/console/ledger/checkpoint")
        review_id = pg.scalar("SELECT id FROM review_items WHERE status = 'open' ORDER BY id LIMIT 1")
        mid_seq = int(counts["ledger"]) // 2
        # The first proof after a checkpoint builds the tree: a background job; its page is then a plain read.
        proof_page, proof_seconds = run_job(f"/console/ledger/prove?seq={mid_seq}")
        hubctl.log(f"first inclusion proof after the checkpoint (job): {proof_seconds:.1f} s")
        today = pg.scalar("SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')")

        def cursor(values: list[str]) -> str:
            """A list's keyset cursor as the hub writes it (`ListCursor`): base64url of the values joined by U+001F."""
            return base64.urlsafe_b64encode("\x1f".join(values).encode()).decode().rstrip("=")

        half = int(counts["records"]) // 2
        deep_row = pg.scalar(
            "SELECT r.received_at::text || '|' || r.department_id || '|' || r.local_id || '|' || r.version FROM records r "
            f"ORDER BY r.received_at DESC, r.department_id DESC, r.local_id DESC, r.version DESC OFFSET {half} LIMIT 1")
        deep_records = cursor(deep_row.split("|"))
        pages = [
            ("review queue", "/console/reviews"),
            ("review queue, filtered", "/console/reviews?department=HY-SCJG&kind=inspection"),
            ("one conflict", f"/console/reviews/{review_id}"),
            ("exchange dashboard", "/console/exchange"),
            ("record by localId", "/console/records?department=HY-SCJG&localId=B-0050000"),
            ("records by USCC", f"/console/records?uscc={uscc(17)}"),
            ("ledger", "/console/ledger"),
            ("inclusion proof (job page)", proof_page),
            ("catalog", "/console/catalog"),
            ("catalog item", f"/console/catalog/{setup['catalog']}"),
            # The lists (issue #16 item 3): first pages, filters, a search, deep pages by cursor and by number.
            ("records list, first page", "/console/records"),
            ("records list, filtered", f"/console/records?department=HY-SCJG&status=accepted&from={today}&to={today}"),
            ("records list, by item prefix", f"/console/records?item={setup['catalog'][:8]}&size=100"),
            ("records list, localId prefix", "/console/records?q=B-00500"),
            ("records list, party name", "/console/records?q=%E5%A4%A7%E8%8D%AF%E6%88%BF"),
            ("records list, no match (full scan)", "/console/records?q=%E6%97%A0%E6%AD%A4%E5%90%8D"),
            ("records list, sorted by localId", "/console/records?sort=-localId"),
            ("records list, deep (cursor)", f"/console/records?after={deep_records}"),
            ("ledger list, first page", "/console/ledger"),
            ("ledger list, kind + day", f"/console/ledger?kind=record&from={today}&to={today}"),
            ("ledger list, deep (cursor)", f"/console/ledger?after={cursor([str(mid_seq)])}"),
            ("catalog list, filtered", "/console/catalog?type=%E8%A1%8C%E6%94%BF%E6%A3%80%E6%9F%A5&status=active&level=main"),
            ("catalog list, last page", "/console/catalog?size=200&page=" + str(max(1, -(-int(pg.scalar("SELECT count(*) FROM catalog_current")) // 200)))),
            ("review list, page 5", "/console/reviews?size=100&page=5"),
            ("exchange, a chosen day", f"/console/exchange?day={today}"),
            ("export: records, 1,000 rows (CSV)", "/console/records/export.csv?q=B-0050"),
            ("export: records, 1,000 rows (XLSX)", "/console/records/export.xlsx?q=B-0050"),
            ("export: ledger, kind (CSV)", "/console/ledger/export.csv?kind=ops_action"),
        ]
        full_exports = [
            ("export: all records (CSV)", "/console/records/export.csv"),
            ("export: all records (XLSX)", "/console/records/export.xlsx"),
        ]
        if args.batches:
            # The cursor followed 50 pages from the first (the 51st page's link is what is measured).
            deep = "/console/messages"
            for _ in range(50):
                _, page = request("GET", deep, headers={"Cookie": session})
                deep = page.decode().split('<a href="')[-1].split('" id="next-page"')[0].replace("&amp;", "&") \
                    if 'id="next-page"' in page.decode() else deep
            rejected_id = pg.scalar("SELECT max(id) FROM message_log WHERE status = 'rejected'")
            pages += [
                ("message log", "/console/messages"),
                ("message log, filtered", "/console/messages?department=BENCH-07&status=rejected&from=2026-06-01&to=2026-11-30"),
                ("message log, 51st page", deep),
                ("message log, by error code", "/console/messages?error=invalid_check_digit"),
                ("message log, one batch", f"/console/messages/{rejected_id}"),
            ]
        print(f"\nCONSOLE PAGES  ({counts['records']} records, {counts['open conflicts']} open conflicts, "
              f"ledger {counts['ledger']} entries; bin {bin_dir}; nproc {hubctl.os.cpu_count()})")
        print(f"  command: {' '.join(sys.argv)}")
        print(f"  {'page':36} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  bytes")
        results = {}
        for name, path in pages:
            r, body = request("GET", path, headers={"Cookie": session})
            assert r.status == 200, (path, r.status, body[:200])
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                r, body = request("GET", path, headers={"Cookie": session})
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            p50, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
            results[name] = {"p50": p50, "p95": p95, "max": times[-1], "bytes": len(body)}
            print(f"  {name:36} {p50:8.1f} {p95:8.1f} {times[-1]:8.1f}  {len(body)}")
        for name, path in full_exports:
            times = []
            for _ in range(max(1, args.repeat // 10)):
                t0 = time.perf_counter()
                r, body = request("GET", path, headers={"Cookie": session})
                assert r.status == 200, (path, r.status)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            results[name] = {"p50": statistics.median(times), "p95": times[-1], "max": times[-1], "bytes": len(body)}
            print(f"  {name:36} {statistics.median(times):8.1f} {times[-1]:8.1f} {times[-1]:8.1f}  {len(body)}  ({len(times)} runs)")
        (work / "results.json").write_text(json.dumps({"counts": counts, "pages": results}, ensure_ascii=False, indent=2))
        slow = [n for n, v in results.items() if v["p95"] >= 200 and not n.startswith("export")]
        print("  all pages under 200 ms (p95)" if not slow else f"  over 200 ms (p95): {', '.join(slow)}")
        return 0
    finally:
        if hub:
            hub.stop()
        if sim:
            sim.stop()
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())
