"""The online edition and the preview in a real headless Chromium (Debian's, driven by Playwright).

One browser for the module. The site is read from the folder (file://), as a reader who saved it
would; the preview is a real server on 127.0.0.1.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from helpers import edit
from serving import serving, until

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
PAGES = ("index.html", "q01.html", "q07.html", "q20.html")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run 'make test' (as root it installs it) or 'sudo apt-get install chromium'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(shipped_build):
    return shipped_build / "site"


def _outside(requests: list[str], allowed: str) -> list[str]:
    return [url for url in requests if not url.startswith(allowed) and not url.startswith("data:")]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_axe_finds_no_violations_and_headings_landmarks_and_the_skip_link_hold(browser, site, lang):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    violations: Counter = Counter()
    for name in PAGES:
        page.goto((site / lang / name).as_uri())
        result = axe.run(page)
        violations.update({rule["id"]: len(rule["nodes"]) for rule in result.response["violations"]})
        levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "els => els.map(e => Number(e.tagName[1]))")
        assert levels[0] == 1 and levels.count(1) == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)
        assert page.locator("header, main, footer").count() == 3 and page.get_attribute("html", "lang") == lang
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    page.close()
    assert dict(violations) == {}, f"axe violations by rule in {lang}: {dict(violations)}"
    assert _outside(requests, "file://") == []


@pytest.mark.parametrize("width", [320, 640])
def test_text_reflows_without_sideways_scrolling(browser, site, width):
    """WCAG 1.4.10: 320 CSS px (1280 px at 400%), and 640 (1280 px at 200% zoom)."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    wide = []
    for lang in ("en", "es"):
        # Every page at the narrowest width; a sample of them at the wider one.
        for name in sorted(p.name for p in (site / lang).glob("*.html")) if width == 320 else PAGES:
            page.goto((site / lang / name).as_uri())
            if page.evaluate("document.documentElement.scrollWidth") > width:
                wide.append(f"{lang}/{name}")
    page.goto((site / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()
    assert wide == []


def test_the_site_works_without_javascript_and_prints_without_navigation(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    page.click("text=Español")
    assert page.get_attribute("html", "lang") == "es"
    page.click("a[href='q07.html']")
    assert page.url.endswith("/es/q07.html")
    assert page.eval_on_selector("h1", "e => getComputedStyle(e).color") == "rgb(31, 78, 121)"  # the stylesheet, from the folder
    page.click("a[hreflang='en']")
    assert page.url.endswith("/en/q07.html")
    page.emulate_media(media="print")
    assert page.eval_on_selector(".languages", "e => getComputedStyle(e).display") == "none"
    context.close()


def test_an_edit_shows_in_the_open_preview_and_a_broken_one_shows_its_error(browser, mini):
    from generator.build import build

    build(mini, jobs=2)
    with serving(mini) as (base, preview):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        site_page, dashboard = context.new_page(), context.new_page()
        site_page.goto(f"{base}/site/en/q01.html")
        dashboard.goto(f"{base}/")
        handout = dashboard.locator("li[data-path='en/handout.pdf']")
        version = handout.get_attribute("data-version")
        # Both pages listen before the edit: a page refreshes only on news after it was served.
        until(lambda: len(preview.listeners) >= 2, 10, "both pages listening")

        started = time.perf_counter()
        edit(mini / "content/questions/q01-data.md", "Ask for help first.", "Ask a lawyer first.")
        site_page.wait_for_function("document.body.innerText.includes('Ask a lawyer first.')", timeout=30_000)
        shown = time.perf_counter() - started
        dashboard.wait_for_function(f"document.querySelector(\"li[data-path='en/handout.pdf']\").dataset.version !== '{version}'", timeout=30_000)
        # The dashboard may refresh again while it is read: poll for a loaded thumbnail, never hold an element.
        dashboard.wait_for_function(
            "(() => { const img = document.querySelector(\"li[data-path='en/handout.pdf'] img\"); return img !== null && img.complete && img.naturalWidth > 0; })()",
            timeout=30_000,
        )
        print(f"edit to refresh: site page {shown:.2f} s, handout on the dashboard {time.perf_counter() - started:.2f} s")

        # A loaded machine may still be checking, or reloading the page for a second news of the edit:
        # the reader scrolls once the preview is idle and the page is loaded.
        until(lambda: not preview.state.building and not preview.state.checking, 60, "an idle preview")
        site_page.wait_for_load_state()
        site_page.set_viewport_size({"width": 375, "height": 400})
        site_page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # a reader part way down the page
        edit(mini / "content/pack.yaml", "languages: [en]", "languages: [en")
        site_page.wait_for_selector("[role=alert]", timeout=30_000)
        assert "content/pack.yaml:7" in site_page.inner_text("[role=alert]")
        assert site_page.eval_on_selector("[role=alert]", "e => e.getBoundingClientRect().top") >= 0  # seen where the reader is
        assert "Ask a lawyer first." in site_page.inner_text("main")  # the last good page stays
        dashboard.wait_for_selector("section.error", timeout=30_000)
        edit(mini / "content/pack.yaml", "languages: [en", "languages: [en]")
        site_page.wait_for_function("!document.querySelector('[role=alert]')", timeout=30_000)
        context.close()
    here = f"http://{urlsplit(base).netloc}/"
    assert requests and _outside(requests, here) == [], "a request left the machine"
