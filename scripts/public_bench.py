#!/usr/bin/env python3
"""The public disclosure pages (行政执法公示) with 1,000,000 publications: p50/p95 of the list, the searches and the
item pages over HTTP, against `hub public` (release) on a private PostgreSQL 15.

    swift build -c release --product hub
    scripts/public_bench.py --bin-dir .build/release --publications 1000000 --repeat 50

The publications are written with COPY (a generator piped to psql: names from a few thousand organisations and
masked natural persons, 30 departments, acts over two years, 1 in 50 withdrawn, 1 in 100 withheld), then
ANALYZE. Each page is fetched --repeat times after one warm-up over one keep-alive connection; the time is to the
last byte, measured by the client on loopback, on the same cores as PostgreSQL and the hub. Prints a table
and exits 1 when a p95 is 200 ms or more.
"""
import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubctl  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
PLACES = ["珠晖区", "雁峰区", "石鼓区", "蒸湘区", "南岳区", "衡阳县", "衡南县", "衡山县", "衡东县", "祁东县"]
TRADES = ["大药房", "超市", "餐饮店", "建材商行", "汽车修理厂", "诊所", "网吧", "加油站", "印刷厂", "农资店"]


def rows(n: int, rng: random.Random):
    """Tab-separated COPY rows of `publications` (text format: backslash and tab never occur in the values)."""
    for i in range(1, n + 1):
        natural = i % 4 == 0
        if natural:
            name = rng.choice(SURNAMES) + "*" * rng.choice([1, 2])
            uscc = "\\N"
        else:
            name = f"衡阳市{rng.choice(PLACES)}{rng.choice('东西南北中新华兴')}{rng.choice('盛达利源康泰隆')}{TRADES[i % 10]}{i % 5000}号有限公司"
            uscc = "91430405" + f"{i % 5000:08d}" + "X" + "0"
        day = 730 - (i * 730) // n
        act = time.strftime("%Y-%m-%d", time.gmtime(1_735_689_600 + (730 - day) * 86400))
        kind = "penalty" if i % 3 == 0 else "inspection"
        status, reason, wreason, won = "published", "\\N", "\\N", "\\N"
        if i % 100 == 0:
            status, reason = "withheld", "minor"
        elif i % 50 == 0:
            status, wreason, won = "withdrawn", "revoked", act
        title = f"对{name}的{'行政处罚' if kind == 'penalty' else '日常监督检查'}"
        body = json.dumps({"title": title, "subjectName": name, "uscc": None if uscc == "\\N" else uscc,
                           "maskedIdNumber": "4****************8" if natural else None,
                           "fields": [{"key": "facts", "label": "违法事实", "value": f"{name}于{act}经营活动中存在违法行为，已责令改正。"}]},
                          ensure_ascii=False)
        dept = f"HY-D{i % 30:02d}"
        yield "\t".join([str(i), kind, dept, f"{dept}/L{i}", f"L{i}", "1", name, uscc, title, body, act, act, "\\N",
                         f"{act} 10:00:00+08", status, reason, wreason, "\\N" if wreason == "\\N" else "依法撤销", won,
                         "\\N" if wreason == "\\N" else "bench", "1"]) + "\n"


def fill(pg: hubctl.Postgres, n: int) -> float:
    """COPY the rows with the table's secondary indexes dropped, then builds them again exactly as migrated."""
    start = time.time()
    indexes = pg.rows("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'publications' AND indexname LIKE 'publications\\_%'"
                      " AND indexname <> 'publications_pkey' AND indexname <> 'publications_source_key_key'")
    for name, _ in indexes:
        pg.psql(f"DROP INDEX {name}")
    cols = ("id, kind, department_code, source_key, local_id, record_version, subject_name, uscc, title, body, act_date, due_date, "
            "due_pending, published_at, status, withheld_reason, withdrawal_reason, withdrawal_text, withdrawn_on, withdrawn_by, ledger_seq")
    p = subprocess.Popen([hubctl.PSQL, "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "-d", "hub", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                          "-c", f"COPY publications ({cols}) FROM STDIN"], stdin=subprocess.PIPE, text=True)
    rng = random.Random(7)
    for row in rows(n, rng):
        p.stdin.write(row)
    p.stdin.close()
    if p.wait() != 0:
        raise RuntimeError("COPY failed")
    for _, definition in indexes:
        pg.psql(definition)
    pg.psql(f"SELECT setval('publications_id_seq', {n})")
    pg.psql("VACUUM ANALYZE publications")  # what autovacuum does after a bulk load
    return time.time() - start


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir")
    ap.add_argument("--publications", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--work", default="/var/tmp/hub-public-bench")
    args = ap.parse_args()
    bin_dir = hubctl.resolve_bin_dir(args.bin_dir)
    work = hubctl.fresh_work_dir(Path(args.work))
    pg = hubctl.Postgres(work)
    hub = None
    try:
        pg.init()
        pg.start()
        # LC_CTYPE C.UTF-8 as the hub's embedded cluster has it: under C, pg_trgm makes no trigrams of Chinese text.
        pg.psql("CREATE DATABASE hub LC_CTYPE 'C.UTF-8' LC_COLLATE 'C' TEMPLATE template0", db="postgres")
        hubctl.hub_oneshot(bin_dir, pg.url("hub"), "migrate")
        seconds = fill(pg, args.publications)
        print(f"filled {args.publications:,} publications with COPY in {seconds:.1f} s")
        port = hubctl.free_port()
        env = hubctl.hub_env(pg.url("hub"), None)
        hub = hubctl.Service("hub public", [str(bin_dir / "hub"), "public", "--host", "127.0.0.1", "--port", str(port)], env,
                             work / "hub-public.log", f"http://127.0.0.1:{port}/health")
        hub.start()
        some = pg.rows("SELECT id FROM publications WHERE status <> 'withheld' ORDER BY random() LIMIT 20")
        ids = [r[0] for r in some]
        middle = pg.scalar(f"SELECT id FROM publications WHERE id < {args.publications // 2} AND status <> 'withheld' ORDER BY id DESC LIMIT 1")
        q = urllib.parse.quote
        pages = {
            "list (JSON, newest 20)": ["/public/v1/publications"],
            "list (JSON, page at the middle)": [f"/public/v1/publications?cursor={middle}"],
            "list (HTML)": ["/public/"],
            "search name (JSON)": [f"/public/v1/publications?q={q(w)}" for w in ["大药房12", "雁峰区东盛", "加油站4321号", "蒸湘区"]],
            "search name (HTML)": [f"/public/?q={q(w)}" for w in ["大药房12", "雁峰区东盛", "加油站4321号", "蒸湘区"]],
            "search rare name (JSON)": [f"/public/v1/publications?q={q('不存在的名称')}"],
            "search USCC (JSON)": [f"/public/v1/publications?uscc=91430405{n:08d}X0" for n in (17, 1234, 4999)],
            "search department + dates (JSON)": ["/public/v1/publications?department=HY-D07&from=2025-03-01&to=2025-03-31"],
            "search dates (HTML)": ["/public/?from=2026-06-01&to=2026-06-30"],
            "item (JSON)": [f"/public/v1/publications/{i}" for i in ids],
            "item (HTML)": [f"/public/publications/{i}" for i in ids],
            "feed (Atom)": ["/public/feed.atom"],
        }
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        results = {}
        print(f"  {'page':36} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  bytes")
        for name, paths in pages.items():
            times, size = [], 0
            for k in range(args.repeat + 1):
                path = paths[k % len(paths)]
                t0 = time.perf_counter()
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                elapsed = (time.perf_counter() - t0) * 1000
                if r.status != 200:
                    raise RuntimeError(f"{path}: {r.status} {body[:200]!r}")
                if k > 0:
                    times.append(elapsed)
                    size = max(size, len(body))
            times.sort()
            p50, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
            results[name] = p95
            print(f"  {name:36} {p50:8.1f} {p95:8.1f} {times[-1]:8.1f}  {size}")
        slow = [n for n, v in results.items() if v >= 200]
        print("  all pages under 200 ms (p95)" if not slow else f"  over 200 ms (p95): {', '.join(slow)}")
        return 1 if slow else 0
    finally:
        if hub:
            hub.stop()
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())
