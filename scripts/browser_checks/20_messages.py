"""报送日志 (the message log): a batch with a rejected record and a malformed batch are pushed; the reviewer opens
报送日志, filters to 拒收, opens the batch, sees the reason with its code and field, and downloads the CSV export
(opened: BOM, header, the batch's row)."""
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import hubctl


def run(s) -> None:
    bad = hubctl.make_record(s.setup, "MSG-BAD-1", "01", 2)
    bad["party"] = dict(bad["party"], idNumber="91330105MA2KER1H4M")
    good = hubctl.make_record(s.setup, "MSG-OK-1", "01", 3)
    hubctl.push(s.port, s.signer, hubctl.batch_body("MSGLOG-0001", [good, bad]))
    try:
        hubctl.push(s.port, s.signer, b'{"batchId":"MSGLOG-0002","records":[')
        s.check("a malformed batch is refused", False, "it was accepted")
    except RuntimeError:
        pass

    s.sign_in("shenhe")
    s.go(s.driver.find_element(By.ID, "nav-messages"))
    s.check("报送日志 lists the pushed batches", "报送日志" in s.text() and "MSGLOG-0001" in s.text(), s.text()[:400])
    s.shot("messages")
    Select(s.driver.find_element(By.ID, "status")).select_by_value("rejected")
    s.go(s.driver.find_element(By.ID, "list-submit"))
    rows = s.driver.find_elements(By.CSS_SELECTOR, "#messages tbody tr")
    s.check("filtered to 拒收: only batches with rejected records or refused as a whole",
            len(rows) >= 2 and all("拒收" in r.text for r in rows), "\n".join(r.text for r in rows)[:400])
    s.check("the malformed batch is listed as 整批拒收", any("整批拒收" in r.text for r in rows))
    s.shot("messages-rejected")
    row = next(r for r in rows if "MSGLOG-0001" in r.text)
    s.go(row.find_element(By.TAG_NAME, "a"))
    page = s.text()
    s.check("the batch shows each record's answer and the reason for the rejected one",
            "逐条答复" in page and "MSG-OK-1" in page and "invalid_check_digit" in page and "records[1].party.idNumber" in page,
            page[:600])
    s.check("the accepted record links to its record page",
            bool(s.driver.find_elements(By.CSS_SELECTOR, "#answers a[href*='localId=MSG-OK-1']")))
    s.shot("message-batch")

    s.driver.back()
    href = s.driver.find_element(By.ID, "export-csv").get_attribute("href")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in s.driver.get_cookies())
    data = urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookie}), timeout=30).read()
    text = data.decode("utf-8-sig")
    s.check("the CSV export downloads with a BOM, the header and the rejected batch",
            data.startswith(b"\xef\xbb\xbf") and text.startswith("编号,接收时间") and "MSGLOG-0001" in text, text[:300])
