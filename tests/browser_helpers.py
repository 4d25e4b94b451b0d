"""Shared pieces of the browser tests: Debian's Chromium driven by Playwright against one
`python app.py` for the whole test run, every request each module's pages make recorded.

Fixtures `app_url`, `browser_log`, `context`, `page` (import them into a test module) and the
helpers `send` (ask and wait for the answer), `settle` (wait until the streamed answer is
complete), `move_slider` and `assert_only_loopback`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from qa_ui.process import ROOT, shared_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = ROOT / "tests" / "artifacts"
WAIT_MS = 60_000  # generous: the machine is shared; nothing here asserts on speed

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium (make browser installs it)"),
]


@pytest.fixture(scope="module")
def app_url():
    return shared_app()  # `python app.py` in a child process, started once for the test run


@pytest.fixture(scope="module")
def browser_log():
    """Every request URL and every dialog of every page of the module."""
    return {"requests": [], "dialogs": []}


@pytest.fixture(scope="module")
def context(browser_log):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(WAIT_MS)
        # `expect` assertions keep their own 5 s default, which the context's does not change: an
        # upload's ingest on a busy machine took longer than that.
        playwright_api.expect.set_options(timeout=WAIT_MS)
        context.on("request", lambda request: browser_log["requests"].append(request.url))
        yield context
        context.close()
        browser.close()


@pytest.fixture
def page(context, app_url, browser_log):
    page = context.new_page()
    page.on("dialog", lambda dialog: (browser_log["dialogs"].append(dialog.message), dialog.dismiss()))
    page.goto(app_url)
    page.locator("#qa-question textarea").wait_for()
    yield page
    page.close()


def send(page, question: str):
    """Type a question, press Enter, wait for a new assistant message; returns that message's locator."""
    bots = page.locator("#qa-chat [data-testid=bot]")
    before = bots.count()
    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        """n => { const bots = document.querySelectorAll('#qa-chat [data-testid=bot]');
                  return bots.length > n && bots[bots.length - 1].innerText.trim().length > 0; }""",
        arg=before,
    )
    return bots.nth(before)


def settle(page, selector: str = "#qa-sources", quiet_ms: int = 1000):
    """Wait until `selector`'s HTML has stopped changing for `quiet_ms`: the streamed answer is
    complete (its sentences arrive a few hundredths of a second apart)."""
    page.evaluate("() => { delete window.__qaSettle; }")
    page.wait_for_function(
        """([selector, quiet]) => {
            const html = (document.querySelector(selector) || {}).innerHTML || "";
            const now = Date.now();
            if (!window.__qaSettle || window.__qaSettle.html !== html) { window.__qaSettle = {html, since: now}; return false; }
            return now - window.__qaSettle.since >= quiet;
        }""",
        arg=[selector, quiet_ms],
        polling=100,
    )


SLIDER_TRIES = 4  # times a slider's keys are sent before the test fails


def move_slider(slider, value: int) -> None:
    """Set a slider whose minimum is 1 with its keys (Home, then the right arrow), and wait until
    it shows `value`: a question sent earlier would go with the old value."""
    from playwright.sync_api import expect

    expect(slider).to_be_visible()
    # The keys are sent again when the value does not move: on a loaded machine a panel still
    # opening lost all of them now and then (the slider stayed at its default for a minute).
    for _ in range(SLIDER_TRIES - 1):
        _press_to(slider, value)
        try:
            expect(slider).to_have_value(str(value), timeout=5_000)
            return
        except AssertionError:
            continue
    _press_to(slider, value)
    expect(slider).to_have_value(str(value))


def _press_to(slider, value: int) -> None:
    slider.focus()
    slider.press("Home")
    for _ in range(value - 1):
        slider.press("ArrowRight")



def assert_only_loopback(browser_log) -> None:
    """Every request of every page of a module went to this machine."""
    assert browser_log["requests"], "no request was recorded"
    outside = [
        url for url in browser_log["requests"]
        if urlparse(url).scheme not in ("data", "blob") and urlparse(url).hostname not in ("127.0.0.1", "localhost")
    ]
    assert outside == []
