"""Progress of an ingest run: tqdm bars on stderr for the command line, a callback for the app.

What it does: `bar()` and `progress()` make tqdm bars (or nothing when disabled); `CallbackBar`
tells a callback `on_progress(stage, done, total)` each step, and the tqdm bar it wraps too.
What it does not: decide what the steps are (see `pipeline`).
"""

from __future__ import annotations

from collections.abc import Callable

# on_progress(stage, done, total): "Reading" counts files, "Embedding" chunks, "Storing" files.
ProgressCallback = Callable[[str, int, int], None]


class CallbackBar:
    """A progress bar that tells `on_progress` (and the tqdm bar it wraps, if any) each step."""

    def __init__(self, total: int, stage: str, on_progress: ProgressCallback, inner=None):
        self.total, self.stage, self.on_progress, self.inner, self.done = total, stage, on_progress, inner, 0
        on_progress(stage, 0, total)

    def update(self, count: int) -> None:
        self.done += count
        self.on_progress(self.stage, self.done, self.total)
        if self.inner is not None:
            self.inner.update(count)

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()


def bar(total: int, enabled: bool, description: str, unit: str):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, leave=False)


def progress(items, enabled: bool, description: str, unit: str):
    if not enabled or len(items) < 50:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=description, unit=unit, leave=False)
