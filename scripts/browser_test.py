#!/usr/bin/env python3
"""Drives the ops console in headless Chromium (Selenium + Debian's chromium-driver) against a real hub:
a private PostgreSQL, the provincial simulator and `hub serve`, with data pushed through the signed API.

Steps, each checked on the page and saved as a screenshot (default .hub/screenshots/):
sign in as a reviewer, decide a mapping conflict; sign in as an approver, approve it, see the held records
released; find the records by the party's USCC; re-queue a dead letter and see it delivered; verify the
ledger and prove an entry; browse the catalog; an auditor sees no decision form; a forged form without
the CSRF token is refused.

    scripts/browser_test.py [--bin-dir .build/debug] [--screenshots DIR] [--work DIR]

Exit status: 0 all checks passed, 1 a check failed, 3 the browser or its driver tripped before the end with
no check failed (the test command runs the suite once more then).
"""
import argparse
import importlib.util
import json
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubctl  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service as ChromeService  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

PASSWORD = "correct-horse-9"
USCC = "91330105MA2KER1H4N"
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok, detail))
    print(("ok   " if ok else "FAIL ") + name + (f" — {detail}" if detail and not ok else ""), flush=True)


def wait_for(predicate, timeout: float = 60, every: float = 0.5):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir")
    ap.add_argument("--work", default="/var/tmp/hub-browser")
    ap.add_argument("--screenshots", default=str(hubctl.REPO / ".hub/screenshots"))
    args = ap.parse_args()
    bin_dir = hubctl.resolve_bin_dir(args.bin_dir)
    work = hubctl.fresh_work_dir(Path(args.work))
    shots = Path(args.screenshots)
    shots.mkdir(parents=True, exist_ok=True)

    pg = hubctl.Postgres(work)
    sim = hub = driver = None
    driver_trouble = False
    try:
        pg.init()
        pg.start()
        setup = hubctl.prepare_database(pg, bin_dir, "hub")
        url_db = setup["databaseUrl"]
        for user, name, role in [("shenhe", "审核员小王", "reviewer"), ("shenpi", "审批员老李", "approver"), ("shenji", "审计员小陈", "auditor")]:
            env_args = ["users", "add", user, "--name", name, "--role", role]
            p = hubctl.subprocess.run([str(bin_dir / "hub"), *env_args], cwd=hubctl.REPO, capture_output=True, text=True,
                                      env={**{k: v for k, v in hubctl.os.environ.items() if not k.startswith("HUB_")},
                                           "HUB_DATABASE_URL": url_db, "HUB_USER_PASSWORD": PASSWORD, "HUB_LOG_LEVEL": "warning"})
            if p.returncode != 0:
                raise RuntimeError(p.stderr)
        sim, sim_url = hubctl.start_simulator(bin_dir, work, seed=3, faults=None)
        port = hubctl.free_port()
        hub = hubctl.make_hub(bin_dir, work, port, hubctl.hub_env(url_db, sim_url, {
            "HUB_SYNC_MAX_ATTEMPTS": "2", "HUB_SYNC_BACKOFF_MS": "20", "HUB_SYNC_BACKOFF_CAP_MS": "200", "HUB_SYNC_IDLE_MS": "100",
            "HUB_PROVINCE_TIMEOUT_MS": "2000"}))
        hub.start()
        base = f"http://127.0.0.1:{port}"
        signer = hubctl.Signer(setup["keyId"], setup["secret"])

        # Data: a delivered record, three records held on an ambiguous local item, one dead letter.
        hubctl.push(port, signer, hubctl.batch_body("2026112600001", [hubctl.make_record(setup, "OK-1", "01", 0)]))
        wait_for(lambda: pg.scalar("SELECT count(*) FROM outbox WHERE state = 'delivered'") == "1")
        held = []
        for i in range(1, 4):
            r = hubctl.make_record(setup, f"FOOD-{i}", "01", i)
            r["item"] = {"localCode": "SCJG-JC-7", "localName": "食品经营日常检查", "legalBasis": "《食品安全法》第110条"}
            held.append(r)
        answer = hubctl.push(port, signer, hubctl.batch_body("2026112600002", held))
        check("three records are held for review", [x["status"] for x in answer["results"]] == ["held"] * 3, json.dumps(answer)[:300])
        review_id = answer["results"][0]["reviewId"]
        put = urllib.request.Request(f"{sim_url}/sim/faults", data=b'{"partialReject":1}', method="PUT")
        urllib.request.urlopen(put).read()
        hubctl.push(port, signer, hubctl.batch_body("2026112600003", [hubctl.make_record(setup, "DL-1", "02", 5)]))
        # The record and its publication (行政执法公示) both become dead letters.
        check("a record the province keeps refusing becomes a dead letter",
              bool(wait_for(lambda: pg.scalar("SELECT count(*) FROM outbox WHERE state = 'dead'") == "2", 60)))
        urllib.request.urlopen(urllib.request.Request(f"{sim_url}/sim/faults", data=b'{}', method="PUT")).read()

        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN"]:
            opts.add_argument(a)
        driver = webdriver.Chrome(service=ChromeService("/usr/bin/chromedriver"), options=opts)
        driver.implicitly_wait(5)
        n = [0]

        def shot(name: str) -> None:
            n[0] += 1
            driver.save_screenshot(str(shots / f"{n[0]:02d}-{name}.png"))

        def go(element) -> None:
            """Clicks something that loads a new page, and waits until the old page is gone (reading elements of
            a page that is being replaced gives stale references)."""
            old = driver.find_element(By.TAG_NAME, "html")
            element.click()

            def replaced(_) -> bool:
                # Chromium's driver reports a replaced page either as a stale reference or as "Node with given
                # id does not belong to the document": both mean the old page is gone.
                try:
                    old.tag_name
                    return False
                except WebDriverException:
                    return True

            WebDriverWait(driver, 30).until(replaced)
            WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

        def text() -> str:
            return driver.find_element(By.TAG_NAME, "body").text

        def sign_in(user: str) -> None:
            driver.get(f"{base}/console/login")
            driver.find_element(By.ID, "username").send_keys(user)
            driver.find_element(By.ID, "password").send_keys(PASSWORD)
            go(driver.find_element(By.ID, "sign-in"))
            # The sign-in answers with a redirect that sets the cookie: wait for it before the next navigation.
            if not wait_for(lambda: driver.find_elements(By.ID, "who"), 15, 0.1):
                raise RuntimeError(f"sign-in as {user} did not finish: {driver.current_url}")

        def sign_out() -> None:
            go(driver.find_element(By.ID, "logout"))
            if not wait_for(lambda: "/console/login" in driver.current_url, 15, 0.1):
                raise RuntimeError("sign-out did not finish")

        # 1. Reviewer: the queue, the conflict with its evidence, a decision.
        driver.get(f"{base}/console/reviews")
        check("an anonymous visit lands on the sign-in page", "登录运维控制台" in text())
        shot("login")
        sign_in("shenhe")
        check("the reviewer is signed in and sees the queue", "审核员小王" in text() and "映射审核队列" in text())
        rows = driver.find_elements(By.CSS_SELECTOR, "#review-list tbody tr")
        check("the queue lists the conflict with its 3 waiting records",
              any("SCJG-JC-7" in r.text and r.text.strip().endswith("待审核") and " 3 " in f" {r.text} " for r in rows), text()[:500])
        shot("review-queue")
        go(driver.find_element(By.LINK_TEXT, f"#{review_id}"))
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#local-basis mark")]
        check("the local legal basis has its matched citation highlighted", len(marks) > 0, str(marks))
        check("candidates carry their evidence", "依据同源" in text())
        shot("review-detail")
        driver.find_elements(By.CSS_SELECTOR, "button.pick")[0].click()
        code = driver.find_element(By.ID, "catalogCode").get_attribute("value")
        Select(driver.find_element(By.ID, "relationship")).select_by_value("equivalent")
        driver.find_element(By.ID, "reason").send_keys("本地依据与目录依据同为食品安全法第一百一十条，事项一致")
        go(driver.find_element(By.ID, "decide"))
        check("the decision waits for a second person", "等待另一位审批人批准" in text(), text()[:300])
        check("a reviewer gets no approve form", not driver.find_elements(By.ID, "approve-form"))
        shot("decided")
        # A forged form without the CSRF token, sent from the page itself, is refused.
        status = driver.execute_script(
            "return fetch('/console/reviews/%d/approve', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
            " body: 'note=forged'}).then(r => r.status);" % review_id)
        check("a form without the CSRF token is refused (403)", status == 403, str(status))
        sign_out()

        # 2. Approver: approve, the held records are released.
        sign_in("shenpi")
        driver.get(f"{base}/console/reviews/{review_id}")
        check("the approver sees the proposal with who decided it", driver.find_element(By.ID, "decided-by").text == "shenhe")
        driver.find_element(By.ID, "note").send_keys("同意")
        go(driver.find_element(By.ID, "approve"))
        released = driver.find_element(By.ID, "released").text if driver.find_elements(By.ID, "released") else ""
        check("approving releases the 3 held records", released == "3", text()[:300])
        shot("approved")
        check("the records are accepted in the database",
              pg.scalar("SELECT count(*) FROM records WHERE local_id LIKE 'FOOD-%' AND status = 'accepted'") == "3")
        check("they are coded to the chosen catalog item",
              pg.scalar(f"SELECT count(*) FROM records WHERE local_id LIKE 'FOOD-%' AND catalog_code = '{code}'") == "3")

        # 3. Record lookup by the party's USCC.
        driver.get(f"{base}/console/records")
        driver.find_element(By.ID, "uscc").send_keys(USCC)
        go(driver.find_element(By.ID, "find-party"))
        party = driver.find_element(By.ID, "party-results").text
        check("the party's records are found by USCC, the released ones accepted",
              all(f"FOOD-{i}" in party for i in range(1, 4)) and "已入账" in party and "OK-1" in party, party[:400])
        shot("records-by-uscc")
        go(driver.find_element(By.LINK_TEXT, "FOOD-1"))
        check("a record shows its normalization, ledger hash and delivery",
              "人工审核" in text() and "台账哈希" in text(), text()[:500])
        shot("record-detail")

        # 4. Exchange: re-queue the dead letter; it is delivered.
        driver.get(f"{base}/console/exchange")
        dead = driver.find_element(By.ID, "dead-letters").text
        check("the dead letter is listed", "DL-1" in dead, dead)
        check("the dashboard has its 24-hour chart", len(driver.find_elements(By.CSS_SELECTOR, "svg.chart rect")) > 0)
        shot("exchange-dead-letter")
        go(driver.find_element(By.CSS_SELECTOR, "button.requeue"))
        check("the page confirms the re-queue", "已重新入队 1 条" in driver.find_element(By.ID, "requeued").text)
        delivered = wait_for(lambda: pg.scalar("SELECT state FROM outbox WHERE local_id = 'DL-1'") == "delivered", 60)
        check("the re-queued record is delivered to the province", bool(delivered))
        driver.get(f"{base}/console/records?department=HY-SCJG&localId=DL-1")
        check("its page shows the province's receipt", "省平台已接收" in text(), text()[:400])
        shot("dead-letter-delivered")
        driver.get(f"{base}/console/exchange")
        rest = driver.find_elements(By.CSS_SELECTOR, "button.requeue")
        check("the record's publication is the one dead letter left", len(rest) == 1, text()[:400])
        if rest:
            go(rest[0])
            check("its publication is delivered to the portal",
                  bool(wait_for(lambda: pg.scalar("SELECT count(*) FROM outbox WHERE state <> 'delivered'") == "0", 60)))
        driver.get(f"{base}/console/exchange")
        check("no dead letters remain", bool(driver.find_elements(By.ID, "no-dead")))
        shot("exchange")

        # 5. Ledger: checkpoint, verify, inclusion proof — each a background job whose page refreshes itself
        # (a meta refresh, no script) until the result is there.
        def job_result(element_id: str) -> str:
            """The text of `element_id` on the job page once the job is done ("" if it never shows)."""
            check("the action answers with its job page", "/console/jobs/" in driver.current_url, driver.current_url)

            def read():
                try:
                    found = driver.find_elements(By.ID, element_id)
                    return (found[0].text or " ") if found else None
                except StaleElementReferenceException:
                    return None  # the page refreshed between finding and reading: look again
            return wait_for(read, 60, 0.3) or ""

        driver.get(f"{base}/console/ledger")
        go(driver.find_element(By.ID, "make-checkpoint"))
        check("a checkpoint is signed", bool(job_result("checkpoint-made")))
        driver.get(f"{base}/console/ledger")
        go(driver.find_element(By.ID, "verify"))
        result = job_result("verify-result")
        check("ledger verify passes on the page", "校验通过" in result, result)
        shot("ledger-verified")
        driver.get(f"{base}/console/ledger")
        driver.find_element(By.ID, "seq").send_keys("5")
        go(driver.find_element(By.ID, "prove"))
        proof = job_result("proof-ok")
        check("an inclusion proof for entry 5 verifies", proof == "证明有效", proof)
        shot("inclusion-proof")

        # 6. Catalog browser: the chosen item lists the new mapping.
        driver.get(f"{base}/console/catalog/{code}")
        check("the catalog item lists the local item mapped to it", "SCJG-JC-7" in driver.find_element(By.ID, "mappings").text)
        shot("catalog-item")
        sign_out()

        # 7. An auditor sees, but gets no forms that change anything.
        sign_in("shenji")
        driver.get(f"{base}/console/reviews/{review_id}")
        check("the auditor can read a review", "审核 #" in text())
        check("the auditor gets no decide or approve form",
              not driver.find_elements(By.ID, "decide-form") and not driver.find_elements(By.ID, "approve-form"))
        driver.get(f"{base}/console/exchange")
        check("the auditor sees no re-queue buttons", not driver.find_elements(By.CSS_SELECTOR, "button.requeue, #requeue-all"))
        shot("auditor")
        ledger_actions = pg.scalar("SELECT count(*) FROM ledger WHERE kind = 'ops_action' AND payload LIKE '%shenpi%'")
        check("console actions are in the ledger with the user", int(ledger_actions) >= 2, ledger_actions)

        # 8. The public pages (行政执法公示): a natural person's inspection published masked, the search, and
        # the phone layout (375 px wide, no horizontal scroll).
        person = hubctl.make_record(setup, "PUB-1", "02", 1)
        person["party"] = {"name": "张三丰", "nature": "1", "idType": "111", "idNumber": "430406199001011248"}
        person["subject"] = {"type": "01", "name": "张三丰"}
        person["actionName"] = "对张三丰经营场所的日常监督检查"
        hubctl.push(port, signer, hubctl.batch_body("2026112600009", [person]))
        driver.set_window_size(1280, 1000)
        driver.get(f"{base}/public/")
        check("the public list shows the natural person masked", "张**" in text() and "张三丰" not in text(), text()[:400])
        driver.find_element(By.NAME, "q").send_keys("某大药房")
        go(driver.find_element(By.CSS_SELECTOR, "form[role=search] button"))
        found = driver.find_elements(By.CSS_SELECTOR, "ul.items li")
        check("a search by name finds the pharmacy's publications only",
              len(found) > 0 and all("衡阳市某大药房有限公司" in li.text for li in found), text()[:400])
        shot("public-search")
        driver.set_window_size(375, 812)
        driver.get(f"{base}/public/")

        def no_sideways_scroll() -> bool:
            return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")

        check("the public list fits a 375 px phone screen", no_sideways_scroll(),
              str(driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")))
        shot("public-phone")
        go(driver.find_elements(By.CSS_SELECTOR, "ul.items a")[0])
        check("a publication page fits the phone screen too", no_sideways_scroll())
        check("the publication page names its deadline and status", "公示期限" in text() and "已公示" in text(), text()[:300])
        shot("public-phone-detail")
        # 9. 监管动态 beside 行政执法公示 on the public side, and the console's 期限看板 (deadlines dashboard).
        driver.get(f"{base}/public/news")
        check("the 监管动态 page has the public nav to all three lists",
              all(w in text() for w in ("执法公示", "监管动态", "曝光台")), text()[:300])
        check("the 监管动态 page fits the phone screen", no_sideways_scroll())
        driver.set_window_size(1280, 1000)
        driver.get(f"{base}/console/deadlines")
        check("the deadlines dashboard lists every department with its counts",
              "期限看板" in text() and len(driver.find_elements(By.CSS_SELECTOR, "#deadline-departments tbody tr")) > 0, text()[:300])
        shot("deadlines")
        # 10. 风险预警: an advertisement the models judge, its clue with the matched text marked, the month's report
        # as a page with its chart and as a PDF that poppler renders to PNG with the Chinese text in it.
        ad = {"observationId": "AD-B1", "kind": "advertisement", "observedOn": time.strftime("%Y-%m-%d"),
              "subject": {"uscc": "91430405MA4L01014U", "name": "衡阳某医院"},
              "advertisement": {"medium": "web", "location": "https://example.cn/ad", "advertiser": "衡阳某医院",
                                "text": "包治百病，治愈率高达99%，无效退款", "product": "medical_service"}}
        answer = hubctl.push(port, signer, json.dumps({"observations": [ad]}).encode(), path="/api/v1/risk/observations")
        check("an observation is accepted", [x["status"] for x in answer["results"]] == ["accepted"], json.dumps(answer)[:300])
        driver.get(f"{base}/console/risk")
        rows = driver.find_elements(By.CSS_SELECTOR, "#risk-clues tbody tr")
        check("the warnings queue lists the city's warning", len(rows) >= 1 and "虚假医疗广告监测" in text(), text()[:300])
        go(driver.find_element(By.CSS_SELECTOR, "#risk-clues tbody tr a"))
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#clue-observation mark")]
        check("the clue page marks the matched words in the advertisement", any("治愈率" in m or "包治百病" in m for m in marks), str(marks))
        shot("risk-clue")
        month = time.strftime("%Y-%m")
        driver.get(f"{base}/console/risk/reports?month={month}")
        check("the month's report shows the city's line and its trend chart",
              "全市" in text() and len(driver.find_elements(By.CSS_SELECTOR, "svg.chart rect")) > 0, text()[:300])
        shot("risk-report")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
        pdf = urllib.request.urlopen(urllib.request.Request(f"{base}/console/risk/reports/{month}.pdf", headers={"Cookie": cookie})).read()
        (work / "report.pdf").write_bytes(pdf)
        hubctl.subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(work / "report.pdf"), str(shots / "risk-report-pdf")],
                              check=True)
        hubctl.subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(work / "report.pdf"), str(work / "page")], check=True)
        pgm = next(work.glob("page*.pgm")).read_bytes()
        header = pgm.split(maxsplit=4)
        pixels = header[4] if len(header) == 5 else b""
        dark = sum(1 for b in pixels if b < 128) / max(1, len(pixels))
        words = hubctl.subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(work / "report.pdf"), "-"], capture_output=True, text=True).stdout
        check("the report's PDF renders to a PNG with ink on it and its Chinese text",
              pdf.startswith(b"%PDF") and 0.005 < dark < 0.5 and "风险预警报告" in words and "全市" in words,
              f"dark={dark:.4f} text={words[:120]!r}")

        # Further pages, one module per feature in scripts/browser_checks/ (run in name order, each signs in as it needs).
        session = SimpleNamespace(driver=driver, base=base, pg=pg, signer=signer, setup=setup, port=port, sim_url=sim_url,
                                  bin_dir=bin_dir, work=work, shots=shots, url_db=url_db, password=PASSWORD, check=check,
                                  wait_for=wait_for, go=go, text=text, shot=shot, sign_in=sign_in, sign_out=sign_out)
        for path in sorted((Path(__file__).resolve().parent / "browser_checks").glob("[!_]*.py")):
            spec = importlib.util.spec_from_file_location(f"browser_checks.{path.stem}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            if driver.find_elements(By.ID, "logout"):
                sign_out()
            module.run(session)
    except WebDriverException as e:
        # The browser or its driver tripped (not a check that failed): exit 3, so the caller may run it again.
        check("browser suite ran to the end", False, f"{type(e).__name__}: {e}")
        driver_trouble = True
        if hub:
            print(hubctl.tail(work / "hub.log"), file=sys.stderr)
    except Exception as e:  # noqa: BLE001 — report and fail, with the hub's log
        check("browser suite ran to the end", False, f"{type(e).__name__}: {e}")
        if hub:
            print(hubctl.tail(work / "hub.log"), file=sys.stderr)
    finally:
        if driver:
            driver.quit()
        if hub:
            hub.stop()
        if sim:
            sim.stop()
        pg.stop()
    failed = [r for r in results if not r[1]]
    print(f"browser: {len(results) - len(failed)} passed, {len(failed)} failed; screenshots in {shots}")
    if failed and driver_trouble and len(failed) == 1:
        return 3
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
