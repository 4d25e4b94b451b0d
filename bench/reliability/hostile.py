"""What each hostile input did: `python -m bench.reliability.hostile` writes the table of RELIABILITY.md.

What it does: builds an index of `corpus/` in a temporary folder, asks every input of
tests/data/hostile_inputs.jsonl through `ask()` and records the outcome (error, refusal or
answer, with its message), the outcomes the test allows, and whether the index changed.
What it does not: assert anything (tests/test_hostile_input.py does, on the same table).
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

from bench.report import RELIABILITY, machine_line, write_section

ROOT = Path(__file__).resolve().parents[2]
SHOWN_CHARS = 60


def shown(text: str) -> str:
    """The input as the table shows it: escaped, control characters named, long ones cut."""
    visible = "".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in text)
    if len(visible) > SHOWN_CHARS:
        visible = f"{visible[:SHOWN_CHARS]}… ({len(text):,} characters)"
    return "`" + visible.replace("`", "'").replace("|", "\\|") + "`" if visible else "(nothing)"


def main(argv: list[str] | None = None) -> int:
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings
    from qa import ask
    from qa.eval.hostile import load_inputs, outcome

    inputs = load_inputs(ROOT / "tests" / "data" / "hostile_inputs.jsonl")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        index = Path(folder) / "idx"
        run_ingest([ROOT / "corpus"], IngestSettings(index=index), progress=False)
        manifest = index / "manifest.json"
        before = hashlib.sha256(manifest.read_bytes()).hexdigest()
        for item in inputs:
            rows.append((item, outcome(item.text, ask, index=index)))
        unchanged = hashlib.sha256(manifest.read_bytes()).hexdigest() == before
    lines = [
        "## Hostile and odd input",
        "",
        f"`python -m bench.reliability.hostile` (the same table is asserted by tests/test_hostile_input.py). {machine_line()}.",
        "",
        "| input | what it looks like | outcome | allowed | detail |",
        "|---|---|---|---|---|",
    ]
    for item, result in rows:
        mark = "" if result.kind in item.expect else " **(not allowed)**"
        detail = result.detail.replace("|", "\\|")
        lines.append(f"| {item.name} | {shown(item.text)} | {result.kind}{mark} | {', '.join(item.expect)} | {detail} |")
    lines += [
        "",
        f"Index unchanged after all {len(rows)} inputs: {'yes' if unchanged else '**no**'}. No input raised anything but "
        "a `ValueError` with a message. In the chat, HTML and Markdown in a question are shown as text "
        "(tests/test_browser.py drives a real Chromium and checks no element was created).",
    ]
    text = "\n".join(lines)
    print(text)
    if "--no-write" not in (sys.argv[1:] if argv is None else argv):
        write_section("hostile", text, path=RELIABILITY)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
