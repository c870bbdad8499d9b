"""report.html as its readers see it: rendered in headless Chromium at 1280 and 400 px.

The demo report is built once for the module; one Chromium (Selenium with the system's
chromedriver) opens it at each width. Checked: every image decodes, nothing is wider than the
page at 400 px, every link of the table of contents brings its target to the top of the window,
and every request the page makes is for a ``file:`` or ``data:`` URL (Chrome's performance log,
i.e. the DevTools Network events, plus the Resource Timing API as a second witness). Host names
resolve to nothing in this browser, so a report that did reach out would fail here without
touching the network.

Without chromium and chromedriver (or Selenium) these tests are skipped with the reason in
pytest's summary; ``EHALSA_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure, so CI
never skips them. ``pytest -m browser`` runs only them, ``-m "not browser"`` everything else.

The same checks (but the contents links) run on each municipality's profile page
(``kommuner/*.html``). The first test feeds each check a small page built to break it, so that a
check that could not fail would show up there.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (1280, 400)
#: URL schemes that stay inside the file: the page itself and what it embeds.
LOCAL_SCHEMES = ("file", "data")


def _executable(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _missing() -> str | None:
    """Why the browser check cannot run here, or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "Selenium is not installed (pip install -e '.[dev]')"
    if _executable("chromium", "chromium-browser") is None:
        return "no Chromium (Debian: apt-get install chromium)"
    if _executable("chromedriver") is None:
        return "no chromedriver (Debian: apt-get install chromium-driver)"
    return None


def _require_browser() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("EHALSA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"EHALSA_REQUIRE_BROWSER=1 but the browser check cannot run: {reason}")
    pytest.skip(f"browser check of report.html skipped: {reason}")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, its DevTools Network events logged."""
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _executable("chromium", "chromium-browser")
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI containers run as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # A request for any host fails at once, so a leaking report is caught without network.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(_executable("chromedriver")))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def report_html(demo_report) -> Path:
    """The demo county's report.html (the run's shared build; skipped without Chromium)."""
    _require_browser()
    root, _printed = demo_report
    return root / "reports" / "18" / "latest" / "report.html"


def _open(driver, path: Path, width: int) -> None:
    """Load ``path`` as a ``width``-px-wide phone or desktop window and wait for every image.

    The width is emulated through DevTools (a phone below 600 px, so the page's viewport meta is
    honoured as on a phone; a desktop otherwise). The performance log is emptied first, so
    :func:`_requests` sees this page's requests only.
    """
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get_log("performance")
    driver.get(path.resolve().as_uri())
    driver.execute_script("window.scrollTo(0, 0)")


_DECODE_ALL = """
const done = arguments[arguments.length - 1];
const images = Array.from(document.images);
images.forEach(img => { img.loading = "eager"; });
Promise.all(images.map((img, i) => img.decode().then(
    () => null,
    () => ({index: i, id: img.closest("[id]") ? img.closest("[id]").id : "",
            src: img.currentSrc.slice(0, 60), width: img.naturalWidth})
))).then(bad => done({count: images.length, bad: bad.filter(b => b !== null)}));
"""


def _undecodable(driver) -> dict:
    """{"count": images on the page, "bad": the ones that do not decode, with where they sit}."""
    return driver.execute_async_script(_DECODE_ALL)


_OVERFLOW = """
const width = arguments[0];
const root = document.documentElement;
const wide = [];
for (const el of document.body.querySelectorAll("*")) {
  const box = el.getBoundingClientRect();
  if (box.width > 0 && box.right > width + 1) {
    let p = el.parentElement, clipped = false;
    for (; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o !== "visible") { clipped = true; break; }
    }
    if (!clipped) wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                            (el.className && typeof el.className === "string"
                               ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
                            " (right edge " + Math.round(box.right) + " px)");
  }
}
return {scroll_width: Math.max(root.scrollWidth, document.body.scrollWidth),
        inner_width: window.innerWidth, wide: wide.slice(0, 8)};
"""


def _overflow(driver, width: int) -> dict:
    """How wide the page lays out at ``width`` px, and the first elements that stick out."""
    return driver.execute_script(_OVERFLOW, width)


_FOLLOW = """
const a = arguments[0], done = arguments[arguments.length - 1];
const id = decodeURIComponent(a.hash.slice(1));
const target = document.getElementById(id);
if (target === null) { done({id: id, found: false}); return; }
window.scrollTo(0, 0);
a.click();
// The scroll to the fragment lands with the next frames: measure after two.
requestAnimationFrame(() => requestAnimationFrame(() => {
  const root = document.documentElement;
  done({id: id, found: true, visible: target.getClientRects().length > 0,
        top: target.getBoundingClientRect().top,
        hash: decodeURIComponent(location.hash.slice(1)),
        at_end: Math.ceil(window.scrollY + window.innerHeight) >= root.scrollHeight - 1});
}));
"""


def _toc_links(driver) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, 'nav a[href^="#"]')


def _unreached(driver) -> tuple[int, list[dict]]:
    """Follow every table-of-contents link; return the count and those that miss their target.

    A link reaches its target when the element with its id exists, is rendered, and after the
    click sits at the top of the window (within 2 px), or the page is scrolled to its end (a
    short last section cannot come further up).
    """
    links = _toc_links(driver)
    missed = []
    for link in links:
        result = driver.execute_async_script(_FOLLOW, link)
        ok = (
            result["found"]
            and result["visible"]
            and result["hash"] == result["id"]
            and (abs(result["top"]) <= 2 or (result["top"] > 0 and result["at_end"]))
        )
        if not ok:
            missed.append(result)
    return len(links), missed


def _requests(driver) -> list[str]:
    """Every URL the page requested since :func:`_open`: DevTools events and Resource Timing."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls += driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return urls


def _leaving(urls: list[str]) -> list[str]:
    return sorted({u[:100] for u in urls if urlsplit(u).scheme not in LOCAL_SCHEMES})


# --------------------------------------------------------------------------- the checks can fail

_PIXEL = (  # a red 1×1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
_BROKEN = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<nav><a href="#finns">finns</a> <a href="#saknas">saknas</a> <a href="#dold">dold</a></nav>
<img src="data:image/png;base64,{pixel}"><img src="data:image/png;base64,AAAA">
<img src="http://example.invalid/figur.png">
<div style="width:700px">bred</div>
<section id="finns" style="height:3000px">finns</section><section id="dold" hidden>dold</section>
</body></html>"""


def test_the_checks_catch_a_broken_page(browser, tmp_path):
    page = tmp_path / "trasig.html"
    page.write_text(_BROKEN.format(pixel=_PIXEL), encoding="utf-8")
    _open(browser, page, 400)
    images = _undecodable(browser)
    assert images["count"] == 3
    assert [bad["index"] for bad in images["bad"]] == [1, 2]  # the good pixel decodes
    overflow = _overflow(browser, 400)
    assert overflow["scroll_width"] >= 700
    assert overflow["wide"] == ["div (right edge 708 px)"]
    urls = _requests(browser)
    assert page.as_uri() in urls  # the log does see requests: the page itself
    assert _leaving(urls) == ["http://example.invalid/figur.png"]
    _open(browser, page, 1280)
    count, missed = _unreached(browser)
    assert count == 3
    assert [(m["id"], m["found"], m.get("visible")) for m in missed] == [
        ("saknas", False, None),
        ("dold", True, False),
    ]
    # Without a viewport meta a phone lays the page out 980 px wide and zooms out.
    page.write_text("<!DOCTYPE html><p>kort</p>", encoding="utf-8")
    _open(browser, page, 400)
    assert _overflow(browser, 400)["inner_width"] == 980


# --------------------------------------------------------------------------- the demo report


@pytest.mark.parametrize("width", WIDTHS)
def test_report__every_image_decodes(browser, report_html, width):
    _open(browser, report_html, width)
    images = _undecodable(browser)
    assert images["count"] >= 5, "the demo report should have its figures"
    assert images["bad"] == [], f"images that do not decode at {width} px: {images['bad']}"


def test_report__no_horizontal_overflow_at_400_px(browser, report_html):
    _open(browser, report_html, 400)
    overflow = _overflow(browser, 400)
    assert overflow["inner_width"] == 400, (
        f"at 400 px the page lays out {overflow['inner_width']} px wide: a phone would zoom out "
        "(no <meta name=viewport content='width=device-width'>?)"
    )
    assert overflow["scroll_width"] <= 400, (
        f"at 400 px the page is {overflow['scroll_width']} px wide; too wide: {overflow['wide']}"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_report__every_contents_link_reaches_its_target(browser, report_html, width):
    _open(browser, report_html, width)
    count, missed = _unreached(browser)
    assert count >= 3, "the report should have a table of contents (nav a[href^='#'])"
    assert missed == [], f"contents links that miss their target at {width} px: {missed}"


@pytest.mark.parametrize("width", WIDTHS)
def test_report__no_request_leaves_the_file(browser, report_html, width):
    _open(browser, report_html, width)
    _undecodable(browser)  # every image requested, lazy ones too
    urls = _requests(browser)
    assert report_html.resolve().as_uri() in urls
    assert _leaving(urls) == [], f"requests outside the file at {width} px"


def test_profiles__each_municipality_page_reads_at_400_px_and_stays_in_its_file(
    browser, report_html
):
    """The profiles the coordinator mails to one municipality each: same checks, both widths."""
    profiles = sorted((report_html.parent / "kommuner").glob("*.html"))
    assert len(profiles) == 12, "the demo county's twelve municipalities should have profiles"
    problems = []
    for page in profiles:
        for width in WIDTHS:
            _open(browser, page, width)
            images = _undecodable(browser)
            if images["count"] == 0 or images["bad"]:
                problems.append((page.name, width, "images", images))
            if width == 400:
                overflow = _overflow(browser, 400)
                if overflow["inner_width"] != 400 or overflow["scroll_width"] > 400:
                    problems.append((page.name, width, "overflow", overflow))
            leaving = _leaving(_requests(browser))
            if leaving:
                problems.append((page.name, width, "requests", leaving))
    assert problems == []
