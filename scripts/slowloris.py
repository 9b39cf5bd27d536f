#!/usr/bin/env python3
"""A slowloris against a real `hub serve`: --connections sockets each send one byte of a request head that never
ends, one byte every --interval seconds. Meanwhile /health is fetched every 0.2 s on a fresh connection.

Prints: how long the hub took to close the slow sockets (it must, at HUB_HEADER_TIMEOUT), whether any was
answered, /health latency while they were open (p50, p99, max, failures) and the hub's resident memory before,
at the peak and after. Results go to docs/BENCHMARKS.md by hand. The hub runs with its default timeouts unless
--header-timeout is given.

    scripts/slowloris.py [--bin-dir .build/release] [--connections 1000] [--interval 10] [--duration 40]
"""
import argparse
import resource
import selectors
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubctl  # noqa: E402

HEAD = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir")
    ap.add_argument("--connections", type=int, default=1000)
    ap.add_argument("--interval", type=float, default=10.0)
    ap.add_argument("--duration", type=float, default=40.0)
    ap.add_argument("--header-timeout", help="HUB_HEADER_TIMEOUT for the hub (default: the hub's own default)")
    ap.add_argument("--work", default="/var/tmp/hub-slowloris")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.connections + 256
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
        if min(want, hard) < want:
            raise SystemExit(f"ulimit -n is {hard}: too low for {args.connections} connections")

    bin_dir = hubctl.resolve_bin_dir(args.bin_dir)
    work = hubctl.fresh_work_dir(Path(args.work))
    pg = hubctl.Postgres(work)
    hub = None
    try:
        pg.init()
        pg.start()
        pg.psql("CREATE DATABASE hub", db="postgres")
        url = pg.url("hub")
        hubctl.hub_oneshot(bin_dir, url, "migrate")
        port = hubctl.free_port()
        extra = {"HUB_HEADER_TIMEOUT": args.header_timeout} if args.header_timeout else {}
        hub = hubctl.make_hub(bin_dir, work, port, hubctl.hub_env(url, None, extra))
        hub.start()
        time.sleep(1)
        rss_before = rss(hub.pid)

        sel = selectors.DefaultSelector()
        socks, opened_at, closed_at, answered = [], {}, {}, 0
        t0 = time.monotonic()
        for i in range(args.connections):
            s = socket.create_connection(("127.0.0.1", port))
            s.setblocking(False)
            s.send(HEAD[:1])
            socks.append(s)
            opened_at[s] = time.monotonic()
            sel.register(s, selectors.EVENT_READ)
        t_open = time.monotonic() - t0
        hubctl.log(f"{args.connections} connections open in {t_open:.2f} s")

        latencies, failures, stop = [], [0], threading.Event()
        peak = [rss_before]

        def poll_health() -> None:
            while not stop.is_set():
                start = time.monotonic()
                try:
                    status, _ = hubctl.http_get(f"http://127.0.0.1:{port}/health", timeout=5)
                    if status == 200:
                        latencies.append(time.monotonic() - start)
                    else:
                        failures[0] += 1
                except OSError:
                    failures[0] += 1
                peak[0] = max(peak[0], rss(hub.pid))
                time.sleep(0.2)

        poller = threading.Thread(target=poll_health, daemon=True)
        poller.start()
        next_byte, sent = time.monotonic() + args.interval, 1
        while time.monotonic() - t0 < args.duration and len(closed_at) < len(socks):
            for key, _ in sel.select(timeout=0.2):
                s = key.fileobj
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if data:
                    answered += 1
                    continue
                closed_at[s] = time.monotonic()
                sel.unregister(s)
            if time.monotonic() >= next_byte:
                for s in socks:
                    if s not in closed_at:
                        try:
                            s.send(HEAD[sent:sent + 1])
                        except OSError:
                            pass
                sent += 1
                next_byte += args.interval
        stop.set()
        poller.join()
        still_open = len(socks) - len(closed_at)
        lifetimes = sorted(closed_at[s] - opened_at[s] for s in closed_at)
        for s in socks:
            s.close()
        time.sleep(1)
        rss_after = rss(hub.pid)
        lat = sorted(latencies)

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

        mib = 1024 * 1024
        print(f"connections: {args.connections}, one byte every {args.interval:g} s, run {args.duration:g} s")
        print(f"closed by the hub: {len(closed_at)}, still open at the end: {still_open}, answered: {answered}")
        if lifetimes:
            print(f"socket lifetime until the hub closed it: min {lifetimes[0]:.2f} s, "
                  f"median {statistics.median(lifetimes):.2f} s, max {lifetimes[-1]:.2f} s")
        print(f"/health during the attack: {len(lat)} answered, {failures[0]} failed; "
              f"p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {pct(1.0):.1f} ms")
        print(f"hub RSS: before {rss_before / mib:.1f} MiB, peak {peak[0] / mib:.1f} MiB, after {rss_after / mib:.1f} MiB")
        return 0 if still_open == 0 and failures[0] == 0 else 1
    finally:
        if hub:
            hub.stop()
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())
