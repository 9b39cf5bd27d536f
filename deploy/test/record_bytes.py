#!/usr/bin/env python3
"""Disk per record, for docs/DEPLOY.md's sizing: a private PostgreSQL, `hub serve`, N signed inspection records
(the benchmarks' record, about 1.2 KB of JSON) in batches of 500, then `pg_total_relation_size` (table, indexes,
TOAST) of every table after VACUUM ANALYZE, divided by N.

    deploy/test/record_bytes.py --bin-dir .build/debug --records 20000

Without a province the outbox rows stay `pending`: a delivered row also keeps its receipt (a few hundred bytes
more). The message log keeps per-record answers for HUB_MESSAGE_LOG_RETENTION_DAYS; WAL and backups are extra
(docs/DEPLOY.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import hubctl  # noqa: E402
from hubctl import log  # noqa: E402

TABLES = ("ledger", "records", "outbox", "message_log")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=None)
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--work", default="/var/tmp/hub-record-bytes")
    args = ap.parse_args()
    bin_dir = hubctl.resolve_bin_dir(args.bin_dir)
    work = hubctl.fresh_work_dir(Path(args.work))
    pg = hubctl.Postgres(work)
    hub = None
    try:
        pg.init()
        pg.start()
        setup = hubctl.prepare_database(pg, bin_dir, "hub")
        before = {r[0]: int(r[1]) for r in pg.rows(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')")}
        signer = hubctl.Signer(setup["keyId"], setup["secret"])
        port = hubctl.free_port()
        hub = hubctl.make_hub(bin_dir, work, port, hubctl.hub_env(setup["databaseUrl"], None), "hub.log")
        hub.start(timeout=300)
        accepted = 0
        for start in range(0, args.records, 500):
            recs = [hubctl.make_record(setup, f"SIZE-{i + 1:07d}", "01", i) for i in range(start, min(args.records, start + 500))]
            answer = hubctl.push(port, signer, hubctl.batch_body(f"SIZE-B{start // 500 + 1:05d}", recs))
            accepted += sum(1 for r in answer["results"] if r["status"] == "accepted")
        hub.stop()
        hub = None
        body = len(hubctl.batch_body("x", [hubctl.make_record(setup, "SIZE-0000001", "01", 0)])) - len(hubctl.batch_body("x", []))
        pg.psql("VACUUM ANALYZE")
        rows = pg.rows(
            "SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
            "ORDER BY 2 DESC")
        grown = {name: int(size) - before.get(name, 0) for name, size, _ in rows}
        tables = {name: {"bytes": grown[name], "rows": int(n), "bytesPerRecord": round(grown[name] / accepted, 1)}
                  for name, _, n in rows if grown[name] > 0}
        named = sum(grown.get(t, 0) for t in TABLES)
        total = sum(v for v in grown.values() if v > 0)
        db_size = int(pg.scalar("SELECT pg_database_size('hub')"))
        result = {"records": args.records, "accepted": accepted, "jsonBytesPerRecord": body,
                  "namedTables": list(TABLES), "namedBytesPerRecord": round(named / accepted, 1),
                  "allTablesBytesPerRecord": round(total / accepted, 1), "databaseBytes": db_size, "tables": tables}
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    finally:
        if hub:
            hub.stop()
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())
