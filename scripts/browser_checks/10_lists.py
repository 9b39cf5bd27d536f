"""Console lists (issue #16 item 3): search the records list, page forward, sort a column, download an export
and open it (CSV with BOM, XLSX with openpyxl), pick a day on the exchange page, and see a bad value refused
with a Chinese 400 page. Screenshots of each step."""

import csv
import io
import time
from pathlib import Path

import hubctl
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def run(s) -> None:
    driver, base, check, go, shot = s.driver, s.base, s.check, s.go, s.shot
    records = [hubctl.make_record(s.setup, f"LS-{n:03d}", "01", n) for n in range(1, 31)]
    hubctl.push(s.port, s.signer, hubctl.batch_body("2026112600910", records))
    s.sign_in("shenji")

    # Search the records list by localId prefix.
    driver.get(f"{base}/console/records")
    check("the records page is a browsable list", bool(driver.find_elements(By.ID, "record-list")))
    driver.find_element(By.ID, "list-q").send_keys("LS-0")
    Select(driver.find_element(By.ID, "list-size")).select_by_value("20")
    go(driver.find_element(By.ID, "list-submit"))
    ids = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#record-list tbody tr td:nth-child(3)")]
    check("searching 'LS-0' lists 20 of the LS records", len(ids) == 20 and all(i.startswith("LS-0") for i in ids), str(ids[:5]))
    shot("lists-records-search")

    # Page forward by cursor: the next page holds the rest, none repeated.
    go(driver.find_element(By.ID, "page-next"))
    more = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#record-list tbody tr td:nth-child(3)")]
    check("the next page holds the other LS records, disjoint", len(more) == 10 and not set(more) & set(ids), str(more))
    shot("lists-records-page-2")

    # Sort by localId (the header is a link), ascending.
    driver.get(f"{base}/console/records?q=LS-0&size=20")
    go(driver.find_element(By.CSS_SELECTOR, "#record-list th[data-key=localId] a"))
    ids = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#record-list tbody tr td:nth-child(3)")]
    check("sorting by localId orders the rows", ids == sorted(ids) and ids[0] == "LS-001", str(ids[:3]))
    check("the sorted header shows its arrow", "▲" in driver.find_element(By.CSS_SELECTOR, "th[data-key=localId]").text)
    shot("lists-records-sorted")

    # Download the exports through the browser and open them.
    downloads = Path(s.work) / "downloads"
    downloads.mkdir(exist_ok=True)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    for link, name in [("export-csv", "records.csv"), ("export-xlsx", "records.xlsx")]:
        target = downloads / name
        if target.exists():
            target.unlink()
        driver.find_element(By.ID, link).click()
        for _ in range(100):
            if target.exists() and target.stat().st_size > 0 and not (downloads / (name + ".crdownload")).exists():
                break
            time.sleep(0.1)
        check(f"the {name} export downloads", target.exists(), str(list(downloads.iterdir())))
    data = (downloads / "records.csv").read_bytes() if (downloads / "records.csv").exists() else b""
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8")))) if data else []
    check("the CSV starts with the BOM and holds the 30 filtered rows, sorted",
          data[:3] == b"\xef\xbb\xbf" and len(rows) == 31 and rows[1][2] == "LS-001", str(rows[:2]))
    try:
        import openpyxl
        sheet = openpyxl.load_workbook(downloads / "records.xlsx", read_only=True).worksheets[0]
        values = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
        check("the XLSX opens with openpyxl and holds the same rows", len(values) == 31 and values[1][2] == "LS-001", str(values[:2]))
    except Exception as e:  # noqa: BLE001 - reported as a failed check
        check("the XLSX opens with openpyxl", False, repr(e))

    # A bad sort is a Chinese 400 page, not a 500.
    driver.get(f"{base}/console/records?sort=body")
    problem = driver.find_elements(By.ID, "problem")
    check("a bad sort is refused with a Chinese page", bool(problem) and "不能按" in problem[0].text, s.text()[:200])
    shot("lists-bad-sort")

    # The exchange page's day picker.
    driver.get(f"{base}/console/exchange")
    day = driver.find_element(By.ID, "day")
    driver.execute_script("arguments[0].value = '2026-01-05'", day)
    go(driver.find_element(By.ID, "day-submit"))
    check("picking a day shows that day's reconciliation", "2026-01-05" in driver.find_element(By.TAG_NAME, "h1").text
          and "day=2026-01-05" in driver.current_url)
    shot("lists-exchange-day")
    go(driver.find_element(By.ID, "day-today"))
    check("'回到今天' goes back to today", "day=" not in driver.current_url)

    # The ledger by kind, and the catalog by type, as lists.
    driver.get(f"{base}/console/ledger?kind=record&size=20")
    kinds = {td.text for td in driver.find_elements(By.CSS_SELECTOR, "#ledger-entries tbody td:nth-child(3)")}
    check("the ledger filtered by kind shows only that kind", len(kinds) == 1, str(kinds))
    shot("lists-ledger-kind")
    driver.get(f"{base}/console/catalog?level=sub&size=20")
    check("the catalog lists sub-items by hierarchy", "共" in driver.find_element(By.ID, "list-summary").text)
    shot("lists-catalog-sub")
