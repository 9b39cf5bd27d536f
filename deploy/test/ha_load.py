#!/usr/bin/env python3
"""Load client of the HA drill (deploy/test/ha.sh): several department systems pushing signed batches.

Each worker pushes batches of new inspection records (localId HA-<run>-c<worker>-<batch>-<n>) to
POST /api/v1/records over HTTPS, signed as docs/API.md "Signing" version 2 says (the canonical string of
scripts/signed-curl.sh and Sources/HubClient/RequestSigner.swift). A batch that gets no 200 is sent again,
unchanged (new timestamp and nonce), after its Retry-After (else 0.3 s) until it is answered — as a
department system does; a resend of a batch the hub took answers `duplicate`, which is how a lost answer is
recovered. Every answer is one JSON line in --out with its time: the HTTP status (0: no answer — connection
refused, reset or timed out), the error code, and the localIds answered accepted / duplicate / other.
"""
import argparse, hashlib, hmac, http.client, json, secrets, ssl, threading, time

p = argparse.ArgumentParser()
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, required=True)
p.add_argument("--cafile", required=True)
p.add_argument("--key", required=True)
p.add_argument("--secret-file", required=True)
p.add_argument("--clients", type=int, default=6)
p.add_argument("--duration", type=float, default=90)
p.add_argument("--batch", type=int, default=10)
p.add_argument("--run", default="x")
p.add_argument("--catalog-code", required=True)
p.add_argument("--implementation-code", required=True)
p.add_argument("--agency-code", required=True)
p.add_argument("--out", required=True)
a = p.parse_args()
secret = open(a.secret_file).read().strip().encode()
host_header = f"{a.host}:{a.port}"
path = "/api/v1/records"
ctx = ssl.create_default_context(cafile=a.cafile)


def record(local_id):
    # SampleRecords.inspection (Sources/HubClient/SampleRecords.swift), coded against the catalog.
    return {
        "localId": local_id, "kind": "inspection", "operation": "upsert",
        "item": {"localCode": "JC-0042", "localName": "药品零售企业监督检查", "legalBasis": "《中华人民共和国药品管理法》第九十九条",
                 "catalogCode": a.catalog_code, "implementationCode": a.implementation_code},
        "actionName": "对衡阳市某大药房的日常监督检查",
        "agency": {"name": "衡阳市市场监督管理局", "code": a.agency_code},
        "subject": {"type": "01", "name": "衡阳市某大药房有限公司"},
        "party": {"name": "衡阳市某大药房有限公司", "nature": "2", "idType": "001", "idNumber": "91330105MA2KER1H4N",
                  "registeredAddress": "湖南省衡阳市珠晖区东风路1号", "businessAddress": "湖南省衡阳市珠晖区东风路1号"},
        "regionCode": "430405",
        "inspection": {"form": "01", "category": "01", "mode": "01", "result": "01", "date": "2026-11-20T09:30:00+08:00",
                       "inspectors": [{"name": "检查员1", "certificateNo": "4304002026010"},
                                      {"name": "检查员2", "certificateNo": "4304002026011"}]},
        "submittedAt": "2026-11-21T10:00:00+08:00", "submittedBy": "张三",
    }


def headers(body):
    ts, nonce = str(int(time.time())), secrets.token_hex(16)
    msg = f"v2\nPOST\n{host_header}\n{path}\napplication/json\n{ts}\n{nonce}\n{hashlib.sha256(body).hexdigest()}"
    return {"X-Hub-Key": a.key, "X-Hub-Signature-Version": "2", "X-Hub-Timestamp": ts, "X-Hub-Nonce": nonce,
            "X-Hub-Signature": hmac.new(secret, msg.encode(), hashlib.sha256).hexdigest(),
            "Content-Type": "application/json"}


lock = threading.Lock()
out = open(a.out, "w", buffering=1)
stop_at = time.time() + a.duration
give_up_at = stop_at + 60  # a batch in flight at the end is resent for up to a minute more


def log(entry):
    with lock:
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def worker(w):
    conn = None
    n = 0
    while time.time() < stop_at:
        ids = [f"HA-{a.run}-c{w}-{n}-{j}" for j in range(a.batch)]
        body = json.dumps({"batchId": f"{a.run}-{w}-{n}", "records": [record(i) for i in ids]}, ensure_ascii=False).encode()
        attempt = 0
        while True:
            attempt += 1
            t0 = time.time()
            entry = {"t0": t0, "worker": w, "batch": n, "attempt": attempt}
            retry_after = 0.3
            try:
                if conn is None:
                    conn = http.client.HTTPSConnection(a.host, a.port, context=ctx, timeout=90)
                conn.request("POST", path, body=body, headers=headers(body))
                r = conn.getresponse()
                data = r.read()
                entry["http"] = r.status
                if r.getheader("Retry-After"):
                    entry["retryAfter"] = r.getheader("Retry-After")
                    try:
                        retry_after = min(float(r.getheader("Retry-After")), 2.0)
                    except ValueError:
                        pass
                if r.getheader("Connection", "").lower() == "close":
                    conn.close(); conn = None
                try:
                    doc = json.loads(data)
                except ValueError:
                    doc = {}
                if r.status == 200:
                    res = doc.get("results", [])
                    entry["accepted"] = [x["localId"] for x in res if x.get("status") == "accepted"]
                    entry["duplicate"] = [x["localId"] for x in res if x.get("status") == "duplicate"]
                    entry["other"] = [[x.get("localId"), x.get("status"), x.get("errors")] for x in res
                                      if x.get("status") not in ("accepted", "duplicate")]
                else:
                    errors = doc.get("errors") if isinstance(doc, dict) else None
                    entry["code"] = errors[0].get("code") if isinstance(errors, list) and errors and isinstance(errors[0], dict) else None
                    entry["body"] = data[:300].decode("utf-8", "replace")
            except Exception as e:  # no answer: refused, reset, timed out
                entry["http"] = 0
                entry["error"] = f"{type(e).__name__}: {e}"[:200]
                if conn is not None:
                    conn.close()
                conn = None
            entry["t"] = time.time()
            log(entry)
            if entry["http"] == 200 or time.time() > give_up_at:
                break
            time.sleep(retry_after)
        n += 1


threads = [threading.Thread(target=worker, args=(w,)) for w in range(a.clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
out.close()
