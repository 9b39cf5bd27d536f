#!/usr/bin/env python3
"""deploy/nginx/hub.conf running, not only parsed: nginx on loopback ports in front of two stub hub instances,
and what it does with requests, one line per behaviour (exit 1 when one is wrong).

    deploy/test/nginx_behaviour.py            # run by deploy/test/check.sh

The stubs answer 200 (or 503 under /fail503) and log every request with its X-Forwarded-* headers. Checked:
HSTS and X-Forwarded-For/-Proto/-Host reach the hub; a body over 8 MiB is 413 before any instance sees it;
/metrics is 404 from outside; a POST answered 503 is NOT passed to the second instance (it may have been
processed), a GET is; a POST to a stopped instance (connection refused: never sent) is passed on; the public
host name reaches the public upstream only.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[1]


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Stub:
    """One fake hub instance: logs (method, path, forwarded headers, body length); 503 under /fail503."""

    def __init__(self, name: str):
        self.name = name
        self.port = free_port()
        self.seen: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                stub.seen.append({"method": self.command, "path": self.path, "length": length,
                                  "xff": self.headers.get("X-Forwarded-For"), "proto": self.headers.get("X-Forwarded-Proto"),
                                  "host": self.headers.get("X-Forwarded-Host")})
                status = 503 if self.path.startswith("/fail503") else 200
                body = stub.name.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def request(port: int, host: str, method: str, path: str, body: bytes | None = None,
            announce: int | None = None) -> tuple[int, dict, bytes]:
    """`announce`: send only the head, claiming a body of that many bytes (nginx judges the length from it)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=20)
    try:
        if announce is None:
            conn.request(method, path, body=body, headers={"Host": host})
        else:
            conn.putrequest(method, path, skip_host=True)
            conn.putheader("Host", host)
            conn.putheader("Content-Length", str(announce))
            conn.endheaders()
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="hub-nginx-"))
    api_a, api_b, pub_a, pub_b = Stub("api-a"), Stub("api-b"), Stub("pub-a"), Stub("pub-b")
    for s in (api_a, api_b, pub_a, pub_b):
        s.start()
    https, http_port = free_port(), free_port()
    (work / "tls").mkdir()
    for d in ("logs", "tmp", "cache"):
        (work / d).mkdir()
    for h in ("hub", "gongshi"):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-days", "1", "-subj", f"/CN={h}.example.gov.cn", "-keyout", str(work / f"tls/{h}.example.gov.cn.key"),
                        "-out", str(work / f"tls/{h}.example.gov.cn.crt")], check=True, capture_output=True)
    shutil.copytree(DEPLOY / "nginx/snippets", work / "snippets")
    conf = (DEPLOY / "nginx/hub.conf").read_text()
    conf = (conf.replace("/etc/nginx/tls/", f"{work}/tls/").replace("/var/log/nginx/", f"{work}/logs/")
            .replace("/var/cache/nginx/", f"{work}/cache/")
            .replace("10.0.0.21:8080", f"127.0.0.1:{api_a.port}").replace("10.0.0.22:8080", f"127.0.0.1:{api_b.port}")
            .replace("10.0.0.21:8090", f"127.0.0.1:{pub_a.port}").replace("10.0.0.22:8090", f"127.0.0.1:{pub_b.port}"))
    conf = re.sub(r"^\s*listen \[::\]:.*\n", "", conf, flags=re.M)
    conf = conf.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;").replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    (work / "hub.conf").write_text(conf)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(f"""{user}pid {work}/nginx.pid;
error_log {work}/logs/error.log;
worker_processes 1;
events {{}}
http {{
    access_log {work}/logs/access.log;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    fastcgi_temp_path {work}/tmp/fastcgi;
    uwsgi_temp_path {work}/tmp/uwsgi;
    scgi_temp_path {work}/tmp/scgi;
    include {work}/hub.conf;
}}
""")
    nginx = subprocess.Popen(["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    failures = 0

    def verdict(ok: bool, what: str, detail: str = "") -> None:
        nonlocal failures
        print(f"{'ok  ' if ok else 'FAIL'}  nginx running: {what}" + ("" if ok else f"  ({detail})"))
        failures += 0 if ok else 1

    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https), timeout=0.2).close()
                break
            except OSError:
                if nginx.poll() is not None:
                    print("FAIL  nginx did not start:", nginx.stdout.read().decode(), (work / "logs/error.log").read_text())
                    return 1
                time.sleep(0.05)

        def all_seen() -> list[dict]:
            return api_a.seen + api_b.seen + pub_a.seen + pub_b.seen

        def clear():
            for s in (api_a, api_b, pub_a, pub_b):
                s.seen.clear()

        status, headers, _ = request(https, "hub.example.gov.cn", "GET", "/api/v1/x")
        seen = all_seen()
        verdict(status == 200 and headers.get("strict-transport-security") == "max-age=31536000", "HSTS on an answer",
                f"{status} {headers.get('strict-transport-security')}")
        verdict(len(seen) == 1 and seen[0]["xff"] == "127.0.0.1" and seen[0]["proto"] == "https" and seen[0]["host"] == "hub.example.gov.cn",
                "X-Forwarded-For/-Proto/-Host reach the instance", json.dumps(seen))
        clear()
        status, _, _ = request(https, "hub.example.gov.cn", "POST", "/api/v1/records", announce=8 * 1024 * 1024 + 1)
        verdict(status == 413 and not all_seen(), "a body of 8 MiB + 1 byte is 413, no instance sees it", f"{status}, {len(all_seen())} seen")
        clear()
        status, _, _ = request(https, "hub.example.gov.cn", "POST", "/api/v1/records", b"x" * (8 * 1024 * 1024 - 4096))
        verdict(status == 200 and len(all_seen()) == 1, "a body just under 8 MiB reaches an instance", f"{status}")
        clear()
        status, _, _ = request(https, "hub.example.gov.cn", "GET", "/metrics")
        verdict(status == 404 and not all_seen(), "/metrics is 404 from outside", f"{status}")
        clear()
        status, _, _ = request(https, "hub.example.gov.cn", "POST", "/fail503/batch", b"{}")
        posts = [s for s in all_seen() if s["method"] == "POST"]
        verdict(status == 503 and len(posts) == 1, "a POST answered 503 is not resent to the other instance",
                f"{status}, sent {len(posts)} times")
        clear()
        status, _, _ = request(https, "hub.example.gov.cn", "GET", "/fail503/list")
        verdict(len(all_seen()) == 2 and {s["path"] for s in api_a.seen + api_b.seen} == {"/fail503/list"},
                "a GET answered 503 is tried on the other instance once", f"{status}, sent {len(all_seen())} times")
        clear()
        status, _, _ = request(https, "gongshi.example.gov.cn", "GET", "/public/cases")
        verdict(status == 200 and len(pub_a.seen + pub_b.seen) == 1 and not (api_a.seen + api_b.seen),
                "the public host name reaches the public instances", f"{status}")
        clear()
        status, _, _ = request(https, "gongshi.example.gov.cn", "POST", "/api/v1/records", b"{}")
        verdict(status == 404 and not all_seen(), "the public host name has no API", f"{status}")
        clear()
        api_b.stop()
        statuses = [request(https, "hub.example.gov.cn", "POST", f"/api/v1/records?n={i}", b"{}")[0] for i in range(4)]
        verdict(statuses == [200] * 4 and len(api_a.seen) == 4,
                "with one instance stopped, every POST reaches the other (refused connections are retried)", f"{statuses}")
    finally:
        nginx.send_signal(signal.SIGQUIT)
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        for s in (api_a, pub_a, pub_b):
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
