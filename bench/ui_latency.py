"""Time from pressing Enter to the first visible answer text in the chat, in a real browser.

What it does: starts `python app.py` on a free loopback port, opens it in Debian's Chromium
(Playwright), asks one warm-up question, then each question below on a cleared chat. The page
itself measures: a keydown listener stamps Enter, a MutationObserver sees the new assistant
message get text, and the next animation frame (the paint) stamps the answer. For comparison
the same questions go through `/ask` (gradio_client) for qa's own `total_ms`. Writes the
`ui_latency` section of BENCHMARKS.md. Run: `python -m bench.ui_latency [--runs N]`.
What it does not: measure cold start (the app warms its models up before it serves).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from bench.report import machine_line, write_section
from qa_ui.process import index_env, running_app

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
WARM_UP = "What is ketamine?"
QUESTIONS = [
    "What dose of ketamine was used in the alcohol trial?",
    "What did the cocaine trial find?",
    "Is ketamine approved for treating substance use disorders?",
    "What is the evidence for ketamine in opioid use disorder?",
    "What is the capital of France?",
]
TARGET_MS = 1000

ARM = """() => {
  const box = document.querySelector('#qa-question textarea');
  const before = document.querySelectorAll('#qa-chat [data-testid=bot]').length;
  window.__latency = {};
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && window.__latency.enter === undefined) window.__latency.enter = performance.now();
  });
  const observer = new MutationObserver(() => {
    const bots = document.querySelectorAll('#qa-chat [data-testid=bot]');
    if (bots.length > before && bots[bots.length - 1].innerText.trim()) {
      observer.disconnect();
      requestAnimationFrame(() => { window.__latency.shown = performance.now(); });
    }
  });
  observer.observe(document.querySelector('#qa-chat'), {subtree: true, childList: true, characterData: true});
}"""


def time_question(page, question: str) -> float:
    """Milliseconds from the Enter keydown to the paint after the answer's first text appeared."""
    page.locator("#qa-clear").click()
    page.wait_for_function("() => document.querySelectorAll('#qa-chat [data-testid=bot]').length === 0")
    box = page.locator("#qa-question textarea")
    box.fill(question)
    page.evaluate(ARM)
    box.press("Enter")
    page.wait_for_function("() => window.__latency.shown !== undefined", timeout=60_000)
    page.wait_for_timeout(300)  # let the turn finish streaming before the next one
    return page.evaluate("() => window.__latency.shown - window.__latency.enter")


def measure(url: str, runs: int) -> list[tuple[str, float, float]]:
    """(question, UI milliseconds, qa total_ms) for each question of each run."""
    from gradio_client import Client
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.locator("#qa-question textarea").wait_for()
        client = Client(url, verbose=False)
        time_question(page, WARM_UP)
        rows = []
        for _ in range(runs):
            for question in QUESTIONS:  # the same question through qa alone, right after, under the same load
                rows.append((question, time_question(page, question), client.predict(question, "", api_name="/ask")["timings"]["total_ms"]))
        browser.close()
    return rows


def report(rows: list[tuple[str, float, float]], runs: int, load: float) -> str:
    ui = [ms for _, ms, _ in rows]
    overhead = [ms - qa for _, ms, qa in rows]
    median = statistics.median(ui)
    table = []
    for question in QUESTIONS:
        own = [(ms, qa) for q, ms, qa in rows if q == question]
        table.append(
            f"| {question} | {statistics.median(m for m, _ in own):.0f} | {statistics.median(qa for _, qa in own):.0f} |"
        )
    verdict = "meets" if median <= TARGET_MS else "misses"
    return "\n".join(
        [
            "## Chat latency: Enter to first visible answer text",
            "",
            f"`python -m bench.ui_latency --runs {runs}`: `python app.py` on 127.0.0.1, Debian Chromium (headless, Playwright), "
            "warm (one warm-up question first), chat cleared before each question. Measured in the page: Enter keydown → "
            "the paint after the assistant message gets its first text. Each question then goes through `/ask` alone, "
            f"for qa's own `total_ms` under the same load. {machine_line()}; load average {load:.1f} at the start.",
            "",
            "| question | UI first text, ms | qa total_ms |",
            "|---|---:|---:|",
            *table,
            "",
            f"**Median {median:.0f} ms** over {len(ui)} questions (min {min(ui):.0f}, max {max(ui):.0f}); "
            f"target ≤ {TARGET_MS} ms warm: {verdict}. The UI adds a median {statistics.median(overhead):.0f} ms to qa's "
            "own time (queue, event stream, rendering); the rest is answering (mostly the cross-encoder).",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ui_latency")
    parser.add_argument("--runs", type=int, default=1, help="times each question is asked (default 1)")
    args = parser.parse_args(argv if argv is not None else [])
    if not Path(CHROMIUM).exists():
        print(f"bench.ui_latency: skipped, {CHROMIUM} is missing (make browser)")
        return
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch, running_app(env=index_env(Path(scratch))) as url:
        rows = measure(url, args.runs)
    markdown = report(rows, args.runs, load)
    write_section("ui_latency", markdown)
    print(markdown)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
