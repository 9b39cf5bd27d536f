"""The review page's helpers in Chromium: the held records listed, a catalog search inside the form that fills the
decision, a refused decision that keeps what was typed, a bulk decision over local items citing the same provision,
and the approver `shenpi` approving all of them at once (each recorded on its own).

Data: three local items of 市场监管 citing 《特种设备安全法》第五十七条 (the catalog's main item 43012100160000 and its
sub-items 160001/160002 all cite it, so each goes to review), two held records each.
"""
import sys
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import hubctl  # noqa: E402

BASIS = "《特种设备安全法》第五十七条"
NAMES = ["电梯使用单位日常检查", "电梯维保单位检查", "电梯安全巡查"]


def run(s) -> None:
    driver, check = s.driver, s.check
    held = []
    for n, name in enumerate(NAMES):
        for i in range(1, 3):
            r = hubctl.make_record(s.setup, f"LIFT-{n}-{i}", "01", 10 + n)
            r["item"] = {"localCode": f"SCJG-TZ-{n}", "localName": name, "legalBasis": BASIS}
            held.append(r)
    answer = hubctl.push(s.port, s.signer, hubctl.batch_body("2026112600030", held))
    statuses = [x["status"] for x in answer["results"]]
    check("review helpers: six records of three local items are held", statuses == ["held"] * 6, str(statuses))
    ids = sorted({x["reviewId"] for x in answer["results"]})
    check("review helpers: each local item has its own review", len(ids) == 3, str(ids))
    if len(ids) != 3:
        return
    first, *others = ids

    # Reviewer: the held records, the search in the form, a refused decision that keeps the input, then the bulk.
    s.sign_in("shenhe")
    driver.get(f"{s.base}/console/reviews/{first}")
    rows = driver.find_elements(By.CSS_SELECTOR, "#held-records tbody tr")
    check("review helpers: the held records are listed with party and dates",
          len(rows) == 2 and "衡阳市某大药房有限公司" in rows[0].text, " | ".join(r.text for r in rows))
    strengths = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".candidate .strength")]
    check("review helpers: candidates show a plain strength, no raw score",
          bool(strengths) and set(strengths) <= {"强", "中", "弱"} and "得分" not in s.text(), str(strengths))
    check("review helpers: the main item and its sub-items are marked", "主项" in s.text() and "子项" in s.text())
    s.shot("review-helpers")

    driver.find_element(By.ID, "q").send_keys("电梯")
    s.go(driver.find_element(By.ID, "search"))
    found = driver.find_element(By.ID, "found").text
    check("review helpers: the catalog search finds the lift item by name", "43012100160001" in found, found[:300])
    s.shot("review-search")

    # A code that is no active catalog item: refused, with what was typed kept and the reason beside the field.
    code = driver.find_element(By.ID, "catalogCode")
    code.clear()
    code.send_keys("43012100169999")
    Select(driver.find_element(By.ID, "relationship")).select_by_value("local-narrower")
    driver.find_element(By.ID, "reason").send_keys("本地事项只查电梯使用单位")
    s.go(driver.find_element(By.ID, "decide"))
    field = driver.find_elements(By.ID, "error-catalogCode")
    check("review helpers: a refused decision names the field", bool(field) and "目录中没有该在用事项" in field[0].text,
          s.text()[:300])
    check("review helpers: what was typed is kept",
          driver.find_element(By.ID, "catalogCode").get_attribute("value") == "43012100169999"
          and driver.find_element(By.ID, "reason").get_attribute("value") == "本地事项只查电梯使用单位"
          and Select(driver.find_element(By.ID, "relationship")).first_selected_option.get_attribute("value") == "local-narrower")
    s.shot("review-error-kept")

    # Search again, choose the result (the script fills the field in place), choose the siblings, decide.
    driver.find_element(By.ID, "q").send_keys("电梯")
    s.go(driver.find_element(By.ID, "search"))
    driver.find_element(By.CSS_SELECTOR, "#found a.pick[data-code='43012100160001']").click()
    check("review helpers: choosing a search result fills the decision",
          driver.find_element(By.ID, "catalogCode").get_attribute("value") == "43012100160001")
    Select(driver.find_element(By.ID, "relationship")).select_by_value("equivalent")
    reason = driver.find_element(By.ID, "reason")
    reason.clear()
    reason.send_keys("同为特种设备安全法第五十七条，电梯使用单位的监督检查")
    for other in others:
        driver.find_element(By.ID, f"also-{other}").click()
    s.shot("review-bulk-chosen")
    s.go(driver.find_element(By.ID, "decide"))
    bulk = driver.find_elements(By.ID, "bulk-results")
    check("review helpers: the bulk decision reports each item",
          bool(bulk) and bulk[0].text.count("待另一位审批人批准") == 2 and "等待另一位审批人批准" in s.text(), s.text()[:400])
    proposed = s.pg.scalar(f"SELECT count(*) FROM item_mappings WHERE review_id IN ({','.join(map(str, ids))}) AND status = 'proposed'")
    decisions = s.pg.scalar("SELECT count(*) FROM ledger WHERE kind = 'review_decision' AND subject IN ("
                            + ",".join(f"'review:{i}'" for i in ids) + ")")
    check("review helpers: three decisions, three ledger entries", proposed == "3" and decisions == "3", f"{proposed} {decisions}")
    s.shot("review-bulk-decided")
    s.sign_out()

    # Approver: the siblings' proposals listed; all approved in one go, each on its own; the records released.
    s.sign_in("shenpi")
    driver.get(f"{s.base}/console/reviews/{first}")
    for other in others:
        driver.find_element(By.ID, f"also-{other}").click()
    driver.find_element(By.ID, "note").send_keys("同意")
    s.shot("review-bulk-approve")
    s.go(driver.find_element(By.ID, "approve"))
    bulk = driver.find_elements(By.ID, "bulk-results")
    check("review helpers: the approver's bulk approval releases every item",
          bool(bulk) and bulk[0].text.count("已生效") == 2 and driver.find_element(By.ID, "released").text == "2", s.text()[:400])
    accepted = s.pg.scalar("SELECT count(*) FROM records WHERE local_id LIKE 'LIFT-%' AND status = 'accepted' "
                           "AND catalog_code = '43012100160001'")
    check("review helpers: all six records are accepted and coded", accepted == "6", str(accepted))
    s.shot("review-bulk-approved")
