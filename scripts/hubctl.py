"""Shared helpers for scripts/chaos.py and scripts/sync_bench.py (standard library only).

A private PostgreSQL 15 (run as the `postgres` user), the province simulator, `hub serve` as a child process
that can be SIGKILLed and restarted, one-shot `hub` commands, and a signing client for POST /api/v1/records.
"""

from __future__ import annotations

import collections
import datetime
import hashlib
import hmac
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PSQL = "/usr/bin/psql"
DEPARTMENT_CODE = "HY-SCJG"
DEPARTMENT_NAME = "衡阳市市场监督管理局"
CD_SOURCE = "430000-HY-SCJG"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resolve_bin_dir(arg: str | None) -> Path:
    if arg:
        d = Path(arg)
        if not d.is_absolute():
            d = REPO / d
    else:
        rel = REPO / ".build/release"
        d = rel if (rel / "hub").exists() and (rel / "province-simulator").exists() else REPO / ".build/debug"
    for name in ("hub", "province-simulator"):
        if not (d / name).exists():
            raise SystemExit(f"missing binary {d / name}")
    return d


def binary_info(bin_dir: Path) -> dict[str, str]:
    out = {}
    for name in ("hub", "province-simulator"):
        st = (bin_dir / name).stat()
        out[name] = f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(st.st_mtime))} {st.st_size} bytes"
    return out


def fresh_work_dir(work: Path) -> Path:
    work = work.resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    os.chmod(work, 0o755)
    return work


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def get_json(url: str, timeout: float = 30.0):
    status, body = http_get(url, timeout)
    if status != 200:
        raise RuntimeError(f"GET {url} -> {status}: {body[:300]!r}")
    return json.loads(body)


# ---------------------------------------------------------------- PostgreSQL


class Postgres:
    """A private PostgreSQL 15 cluster under WORK/pgdata, run as the `postgres` user, listening on 127.0.0.1."""

    def __init__(self, work: Path, port: int | None = None):
        self.work = work
        self.data = work / "pgdata"
        self.logfile = work / "postgres.log"
        self.port = port or free_port()
        self.started = False

    def _runuser(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = ["runuser", "-u", "postgres", "--", *args]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/tmp")
        if check and p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p

    @property
    def options(self) -> str:
        return f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c max_locks_per_transaction=256"

    def init(self) -> None:
        self.data.mkdir(parents=True)
        self.logfile.touch()
        shutil.chown(self.data, "postgres", "postgres")
        shutil.chown(self.logfile, "postgres", "postgres")
        os.chmod(self.data, 0o700)
        self._runuser(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                      "--encoding=UTF8", "--locale=C")

    def start(self) -> None:
        self._runuser(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-o", self.options,
                      "start", "-w")
        self.started = True

    def restart_immediate(self) -> None:
        """A hard restart: `-m immediate` drops every connection without a checkpoint (crash recovery on start)."""
        self._runuser(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-m", "immediate",
                      "restart", "-w", "-o", self.options)

    def stop(self) -> None:
        if not self.started:
            return
        p = self._runuser(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop", "-w", check=False)
        if p.returncode != 0:
            log(f"pg_ctl stop: {p.stderr.strip()}")
        self.started = False

    def url(self, db: str = "hub") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def psql(self, sql: str, db: str = "hub", timeout: float = 600) -> str:
        p = subprocess.run([PSQL, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db, "-X", "-A", "-t",
                            "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                           capture_output=True, text=True, timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}\n{p.stderr}")
        return p.stdout.strip()

    def scalar(self, sql: str, db: str = "hub") -> str:
        out = self.psql(sql, db)
        return out.splitlines()[0] if out else ""

    def rows(self, sql: str, db: str = "hub") -> list[list[str]]:
        out = self.psql(sql, db)
        return [line.split("\t") for line in out.splitlines() if line]


# ---------------------------------------------------------------- child processes


class Service:
    """A long-running child (hub serve / province-simulator) with its output appended to a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logfile: Path, ready_url: str):
        self.name, self.argv, self.env, self.logfile, self.ready_url = name, argv, env, logfile, ready_url
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self, wait: bool = True, timeout: float = 120) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "SIM_"))}
        env.update(self.env)
        with open(self.logfile, "ab") as f:
            f.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} start #{self.starts + 1}: {' '.join(self.argv)}\n".encode())
            f.flush()
            self.proc = subprocess.Popen(self.argv, env=env, stdout=f, stderr=subprocess.STDOUT, cwd=REPO,
                                         stdin=subprocess.DEVNULL)
        self.starts += 1
        if wait:
            self.wait_ready(timeout)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before it was ready; "
                                   f"see {self.logfile}:\n{tail(self.logfile)}")
            try:
                status, _ = http_get(self.ready_url, timeout=2)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout} s; see {self.logfile}:\n{tail(self.logfile)}")

    def kill(self) -> None:
        """SIGKILL, no chance to clean up."""
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self, timeout: float = 60) -> int | None:
        """SIGTERM and wait (SIGKILL after `timeout`)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"{self.name} did not stop within {timeout} s of SIGTERM: SIGKILL")
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# The province's token and receipt secret for these runs: made per process, shared by the simulator and the hub
# (`hub serve` and `hub sync` refuse the demo's well-known values).
PROVINCE_TOKEN = "run-token-" + secrets.token_hex(16)
RECEIPT_SECRET = "run-receipt-" + secrets.token_hex(16)


def start_simulator(bin_dir: Path, work: Path, seed: int, faults: str | None) -> tuple[Service, str]:
    port = free_port()
    env = {"SIM_PORT": str(port), "SIM_HOST": "127.0.0.1", "SIM_CATALOG": str(REPO / "Mappings/catalog/catalog.csv"),
           "SIM_SEED": str(seed), "SIM_TOKEN": PROVINCE_TOKEN, "SIM_RECEIPT_SECRET": RECEIPT_SECRET}
    if faults:
        env["SIM_FAULTS"] = faults
    url = f"http://127.0.0.1:{port}"
    sim = Service("province-simulator", [str(bin_dir / "province-simulator")], env, work / "simulator.log",
                  f"{url}/sim/stats")
    sim.start()
    return sim, url


def hub_env(database_url: str, province_url: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {"HUB_DATABASE_URL": database_url, "HUB_DEPARTMENT_PULL": "false", "HUB_LOG_LEVEL": "warning"}
    if province_url:
        env.update(HUB_PROVINCE_URL=province_url, HUB_PROVINCE_TOKEN=PROVINCE_TOKEN, HUB_PROVINCE_RECEIPT_SECRET=RECEIPT_SECRET)
    env.update(extra or {})
    return env


def make_hub(bin_dir: Path, work: Path, port: int, env: dict[str, str], logname: str = "hub.log") -> Service:
    return Service("hub serve", [str(bin_dir / "hub"), "serve", "--host", "127.0.0.1", "--port", str(port)], env,
                   work / logname, f"http://127.0.0.1:{port}/ready")


def hub_oneshot(bin_dir: Path, database_url: str, *args: str, check: bool = True,
                timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "SIM_"))}
    env.update({"HUB_DATABASE_URL": database_url, "HUB_LOG_LEVEL": "warning"})
    p = subprocess.run([str(bin_dir / "hub"), *args], env=env, cwd=REPO, capture_output=True, text=True,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError(f"hub {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


def parse_json_line(text: str, required: str) -> dict:
    """The first JSON object in `text` that has key `required` (either the whole text or one of its lines)."""
    candidates = [text] + text.splitlines()
    for c in candidates:
        c = c.strip()
        if not c.startswith("{"):
            continue
        try:
            obj = json.loads(c)
        except ValueError:
            continue
        if isinstance(obj, dict) and required in obj:
            return obj
    raise RuntimeError(f"no JSON with {required!r} in:\n{text}")


def prepare_database(pg: Postgres, bin_dir: Path, db: str) -> dict:
    """CREATE DATABASE, hub migrate, hub catalog sample, hub departments add; returns credentials and item codes."""
    pg.psql(f"CREATE DATABASE {db}", db="postgres")
    url = pg.url(db)
    hub_oneshot(bin_dir, url, "migrate")
    hub_oneshot(bin_dir, url, "catalog", "sample")
    p = hub_oneshot(bin_dir, url, "departments", "add", DEPARTMENT_CODE, "--name", DEPARTMENT_NAME, "--json")
    creds = parse_json_line(p.stdout, "secret")
    row = pg.rows("SELECT i.code, i.catalog_code, i.agency_code FROM implementation_current i "
                  "JOIN catalog_current c ON c.code = i.catalog_code "
                  f"WHERE i.agency_name = '{DEPARTMENT_NAME}' AND c.item_type = '行政检查' AND c.status='active' "
                  "AND i.status='active' ORDER BY i.code LIMIT 1", db=db)
    if not row:
        raise RuntimeError("no active inspection implementation item for 衡阳市市场监督管理局 in the sample catalog")
    impl, catalog, agency = row[0]
    return {"keyId": creds["keyId"], "secret": creds["secret"], "department": creds.get("department"),
            "impl": impl, "catalog": catalog, "agency": agency, "databaseUrl": url}


# ---------------------------------------------------------------- records and signed pushes


def make_record(setup: dict, local_id: str, result: str, day: int) -> dict:
    """The chaos/bench record template; `day` (0..299) moves the inspection date back from 2026-11-20."""
    month_day = (datetime.date(2026, 11, 20) - datetime.timedelta(days=day % 300)).isoformat()
    return {
        "localId": local_id, "kind": "inspection", "operation": "upsert",
        "item": {"localCode": "JC-0042", "localName": "药品零售企业监督检查", "legalBasis": "《中华人民共和国药品管理法》第九十九条",
                 "catalogCode": setup["catalog"], "implementationCode": setup["impl"]},
        "actionName": "对衡阳市某大药房的日常监督检查",
        "agency": {"name": DEPARTMENT_NAME, "code": setup["agency"]},
        "subject": {"type": "01", "name": "衡阳市某大药房有限公司"},
        "party": {"name": "衡阳市某大药房有限公司", "nature": "2", "idType": "001", "idNumber": "91330105MA2KER1H4N",
                  "registeredAddress": "湖南省衡阳市珠晖区东风路1号", "businessAddress": "湖南省衡阳市珠晖区东风路1号"},
        "regionCode": "430405",
        "inspection": {"form": "01", "category": "01", "mode": "01", "result": result,
                       "date": f"{month_day}T09:30:00+08:00",
                       "inspectors": [{"name": "检查员1", "certificateNo": "4304002026010"},
                                      {"name": "检查员2", "certificateNo": "4304002026011"}]},
        "submittedAt": "2026-11-21T10:00:00+08:00", "submittedBy": "张三",
    }


def batch_body(batch_id: str, records: list[dict]) -> bytes:
    return json.dumps({"batchId": batch_id, "records": records}, ensure_ascii=False, separators=(",", ":")).encode()


class PushError(Exception):
    """A push that should be retried (connection problem or 5xx)."""


class Signer:
    """Signature version 2 (docs/API.md "Signing"): binds the Host header and the Content-Type as sent."""

    def __init__(self, key_id: str, secret: str):
        self.key_id, self.secret = key_id, secret.encode()

    def headers(self, method: str, path: str, body: bytes, host: str,
                content_type: str = "application/json") -> dict[str, str]:
        ts = str(int(time.time()))
        nonce = secrets.token_hex(16)
        msg = "\n".join(["v2", method, host.lower(), path, content_type.strip(), ts, nonce,
                         hashlib.sha256(body).hexdigest()]).encode()
        sig = hmac.new(self.secret, msg, hashlib.sha256).hexdigest()
        return {"X-Hub-Key": self.key_id, "X-Hub-Timestamp": ts, "X-Hub-Nonce": nonce,
                "X-Hub-Signature-Version": "2", "X-Hub-Signature": sig, "Content-Type": content_type}


def push(port: int, signer: Signer, body: bytes, timeout: float = 120, path: str = "/api/v1/records") -> dict:
    """POST one batch (records, or another push at `path`); returns the parsed 200 answer. Raises PushError for what
    is worth resending, RuntimeError for a refusal (4xx) that resending would not change."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        # http.client sends "Host: 127.0.0.1:PORT" (the port is not the default 80): sign exactly that.
        conn.request("POST", path, body=body, headers=signer.headers("POST", path, body, host=f"127.0.0.1:{port}"))
        r = conn.getresponse()
        data = r.read()
    except (OSError, http.client.HTTPException) as e:
        raise PushError(f"{type(e).__name__}: {e}") from e
    finally:
        conn.close()
    if r.status == 200:
        return json.loads(data)
    if r.status >= 500 or r.status == 429:
        raise PushError(f"HTTP {r.status}: {data[:200]!r}")
    raise RuntimeError(f"push refused: HTTP {r.status}: {data[:500]!r}")


def outbox_states(pg: Postgres, db: str = "hub") -> dict[str, int]:
    return {s: int(n) for s, n in pg.rows("SELECT state, count(*) FROM outbox GROUP BY state ORDER BY state", db=db)}


def scan_hub_log(path: Path, limit: int = 12) -> dict:
    """Levels of the hub's logfmt lines, and lines that are not ordinary log lines (crash reports, runtime
    warnings such as SWIFT TASK CONTINUATION MISUSE), with the first few error-level messages."""
    import re
    levels: collections.Counter[str] = collections.Counter()
    messages: collections.Counter[str] = collections.Counter()
    odd: list[str] = []
    errors: list[str] = []
    in_settings = False
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT[\d:]+[+-]\d{4} (\w+) ")
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return {}
    for line in text.splitlines():
        m = stamp.match(line)
        if m:
            in_settings = False
            level = m.group(1)
            levels[level] += 1
            msg = re.sub(r"\b(cd_batch|retry_in_ms|rows|batch|ledger_seq|id|seq)=\S+ ?", "", line[m.end():])
            messages[f"{level} {msg[:200]}"] += 1
            if level in ("error", "critical") and len(errors) < limit:
                errors.append(line[:400])
            continue
        if line.startswith("=====") or not line.strip():
            continue
        if line.startswith("配置 settings") or line.startswith("  "):
            in_settings = True
            continue
        if len(odd) < limit:
            odd.append(line[:400])
    return {"levels": dict(levels), "topMessages": messages.most_common(limit), "oddLines": odd,
            "firstErrors": errors}
