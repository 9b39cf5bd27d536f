"""The console's layout (issue #16 item 5): at 375 px every page fits the screen with its tables as cards and the
header usable; at 1280 px no table cell breaks a short Chinese word one character a line; the styled 404 page in
Chinese; the 帮助 link opens its own section of the help. Screenshots at both widths."""

from selenium.webdriver.common.by import By

PAGES = [
    "/console/reviews", "/console/exchange", "/console/records?uscc=91430405MA4L01014U", "/console/ledger",
    "/console/catalog", "/console/catalog/claims", "/console/catalog/lists", "/console/local-items",
    "/console/random-checks", "/console/random-checks/merges", "/console/random-checks/libraries",
    "/console/bulletins", "/console/deadlines", "/console/risk", "/console/risk/reports", "/console/help",
]

# Pages reached through the first link of a list: a review, a catalog item, a plan, a clue.
FIRST_LINKS = [
    ("/console/reviews", "a.review-link"), ("/console/catalog", "#catalog-items a"),
    ("/console/random-checks", "#plans a"), ("/console/risk", "#risk-clues a"),
]

PAGE_WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"

# Every row of every console table as a card: the row a block, each cell's ::before its column's name.
CARDS = """
const bad = [];
for (const table of document.querySelectorAll('main table.list')) {
  for (const tr of table.querySelectorAll('tbody tr')) {
    if (getComputedStyle(tr).display !== 'block') { bad.push('row not a card: ' + (table.id || 'table')); break; }
    for (const td of tr.querySelectorAll('td')) {
      const label = td.getAttribute('data-label');
      const before = getComputedStyle(td, '::before').content;
      if (label === null) bad.push('no data-label in ' + (table.id || 'table'));
      else if (label && before !== JSON.stringify(label)) bad.push(`label ${label} shown as ${before}`);
    }
  }
}
return [document.querySelectorAll('main table.list tbody tr').length, bad.slice(0, 5)];
"""

# At desktop width: every header on one line, and no cell whose text is a short Chinese word (2–6 characters)
# spread over more than one line (the lines counted from the text's own boxes, not the row's height).
NO_SQUEEZE = """
const bad = [];
const lines = (el) => {
  const range = document.createRange(); range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
};
for (const th of document.querySelectorAll('main table.list th')) {
  if (th.textContent.trim() && lines(th) > 1) bad.push('header ' + th.textContent.trim());
}
let words = 0;
for (const td of document.querySelectorAll('main table.list td')) {
  for (const el of [td, ...td.querySelectorAll('span, a, b, small')]) {
    const t = el.textContent.trim();
    if (el.children.length === 0 && /^[\\u4e00-\\u9fff]{2,6}$/.test(t)) {
      words++;
      if (lines(el) > 1) bad.push(`${td.getAttribute('data-label')}: ${t}`);
    }
  }
}
return [words, bad.slice(0, 5)];
"""


def run(s) -> None:
    driver, base, check, text, shot = s.driver, s.base, s.check, s.text, s.shot
    pages = list(PAGES)
    s.sign_in("shenpi")
    for list_page, selector in FIRST_LINKS:
        driver.get(base + list_page)
        links = driver.find_elements(By.CSS_SELECTOR, selector)
        if links:
            pages.append(links[0].get_attribute("href").removeprefix(base))

    # 375 px: no sideways scroll, tables as cards, the header's user, 帮助 and sign-out on screen.
    driver.set_window_size(375, 812)
    try:
        for path in pages:
            driver.get(base + path)
            width, inner = driver.execute_script(PAGE_WIDTH)
            check(f"{path} fits a 375 px phone screen", width <= inner and inner <= 400, f"{width} > {inner}")
            rows, bad = driver.execute_script(CARDS)
            check(f"{path}: tables show as cards with their column names", not bad, f"{rows} rows: {bad}")
        driver.get(base + "/console/reviews")
        header = driver.find_element(By.CSS_SELECTOR, "header.top")
        reachable = all(driver.find_element(By.ID, i).is_displayed() for i in ("who", "logout", "help-link"))
        check("the phone header keeps who is signed in, 帮助 and 退出登录 on screen, and stays compact",
              reachable and header.size["height"] < 170, f"height {header.size['height']}")
        shot("layout-phone-reviews")
        driver.get(base + "/console/exchange")
        shot("layout-phone-exchange")
        driver.get(base + "/console/deadlines")
        shot("layout-phone-deadlines")
        driver.get(base + "/console/no-such-page")
        check("the 404 page fits the phone screen", driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"))
        shot("layout-phone-404")
    finally:
        driver.set_window_size(1280, 1000)

    # 1280 px: no squeezed Chinese words in any table.
    measured = 0
    for path in pages:
        driver.get(base + path)
        words, bad = driver.execute_script(NO_SQUEEZE)
        measured += words
        check(f"{path}: no table cell breaks a Chinese word one character a line at 1280 px", not bad, str(bad))
    check("the 1280 px check measured Chinese words in table cells", measured > 20, str(measured))
    driver.get(base + "/console/reviews")
    shot("layout-desktop-reviews")
    driver.get(base + "/console/catalog/lists")
    shot("layout-desktop-catalog-lists")

    # The 404 page: the console's style, in Chinese, with the user's header; and signed out.
    driver.get(base + "/console/no-such-page")
    styled = driver.execute_script(
        "const h = document.querySelector('header.top'), c = document.querySelector('#problem-page .code');"
        "return [h && getComputedStyle(h).backgroundColor, c && getComputedStyle(c).fontSize, document.documentElement.lang]")
    check("an unknown console page is the styled Chinese 404",
          "页面不存在" in text() and styled == ["rgb(18, 58, 99)", "48px", "zh-CN"] and driver.find_elements(By.ID, "who"),
          f"{styled} {text()[:200]}")
    shot("layout-desktop-404")

    # 帮助: the deadlines page's link opens the help at its section, scrolled into view and highlighted.
    driver.get(base + "/console/deadlines")
    s.go(driver.find_element(By.ID, "help-link"))
    section = driver.execute_script(
        "const id = decodeURIComponent(location.hash.slice(1)), el = document.getElementById(id);"
        "return el && [id, el.textContent, Math.round(el.getBoundingClientRect().top), getComputedStyle(el).backgroundColor]")
    check("the 帮助 link opens its own section of the help",
          bool(section) and section[0] == "期限看板" and section[1] == "期限看板" and 0 <= section[2] < 120
          and section[3] == "rgb(255, 241, 214)", str(section))
    shot("layout-help")

    s.sign_out()
    driver.get(base + "/console/no-such-page")
    check("signed out, an unknown console page is the same 404 with a way to sign in",
          "页面不存在" in text() and driver.find_elements(By.ID, "problem-login") and not driver.find_elements(By.ID, "who"),
          text()[:200])
    driver.get(base + "/")
    check("/ leads to the console (its sign-in when signed out)", "/console/login" in driver.current_url, driver.current_url)
