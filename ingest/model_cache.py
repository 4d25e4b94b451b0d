"""Model files this project derives from the shipped ones, kept between runs so a fresh process loads them at once.

What it does: `derived_model(source, variant, make)` returns the path of a file made by
`make(source) -> bytes` (e.g. the reranker with one more graph output), written once under
`cache_folder()` — `$QUOTEQA_CACHE`, else `$XDG_CACHE_HOME/quoteqa`, else `~/.cache/quoteqa` —
and named by the source's size and modification time, so a reinstalled package makes a new one.
Written to a temporary name and renamed: two processes starting at once never read half a file.
When the folder cannot be written, it returns the bytes themselves (made again each run).
Writing a new file removes the older ones of the same source and variant (`_prune_older`): without it,
every reinstall or fresh checkout would leave another copy behind (the answer head's is 55 MB).
What it does not: download anything, or derive the files (the callers' `make` does).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def cache_folder() -> Path:
    chosen = os.environ.get("QUOTEQA_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quoteqa"


# An older file younger than this is left alone: another checkout may be loading it right now.
KEEP_RECENT_SECONDS = 3600


def derived_model(source: Path, variant: str, make: Callable[[Path], bytes], suffix: str = ".onnx") -> Path | bytes:
    """The derived file's path (made on first use), or its bytes when it cannot be kept."""
    stat = source.stat()
    stem = f"{source.stem}-{re.sub(r'[^A-Za-z0-9]+', '_', variant).strip('_')}-"
    name = f"{stem}{stat.st_size}-{stat.st_mtime_ns}{suffix}"
    target = cache_folder() / name
    if target.is_file():
        return target
    data = make(source)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".partial-", delete=False) as handle:
            handle.write(data)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, target)
    except OSError:
        return data
    _prune_older(target, stem, suffix)
    return target


def _prune_older(kept: Path, stem: str, suffix: str) -> None:
    """Remove the files made before `kept` from earlier copies of the same source (their name differs
    only in the source's size and time), unless made within `KEEP_RECENT_SECONDS`."""
    pattern = re.compile(re.escape(stem) + r"\d+-\d+" + re.escape(suffix) + "$")
    cutoff = time.time() - KEEP_RECENT_SECONDS
    for other in kept.parent.iterdir():
        if other != kept and pattern.match(other.name):
            try:
                if other.stat().st_mtime < cutoff:
                    other.unlink()
            except OSError:  # gone already, or not ours to remove: harmless
                pass
