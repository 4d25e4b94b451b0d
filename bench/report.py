"""Write one benchmark's results into its own section of BENCHMARKS.md.

What it does: replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` (or
appends the section), so each benchmark updates its table without touching the others.
What it does not: measure anything.
"""

from __future__ import annotations

import platform
import re
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
HEADER = "# Benchmarks\n\nMeasured by `make bench` (or `python -m bench.NAME`). Each section says how it was run.\n"


def machine_line() -> str:
    import os

    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"


def write_section(name: str, markdown: str, path: Path = BENCHMARKS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    block = f"<!-- bench:{name} -->\n{markdown.strip()}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
