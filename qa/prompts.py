"""The prompt files of `prompts/` (`system.md`, `answer.md`, `condense.md`), read at run time.

What it does: `load_prompt(name)` returns a prompt's text, re-read when the file changes, so editing
a prompt needs no code change and no restart; `fill(template, **values)` puts values into its
`{placeholders}` (only the named ones: braces elsewhere in a prompt are left alone);
`numbered_passages(texts)` writes passages as "[1] ...", the numbers the answer cites.
What it does not: talk to a model (see `qa.compose.generative`).
"""

from __future__ import annotations

import threading
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
PROMPT_NAMES = ("system", "answer", "condense")

_cache: dict[Path, tuple[int, str]] = {}
_lock = threading.Lock()


class PromptMissing(RuntimeError):
    """A prompt file is missing or unreadable."""


def load_prompt(name: str, folder: Path | str | None = None) -> str:
    """The text of `prompts/<name>.md` (or of `folder`), re-read when its modification time changes."""
    path = Path(folder or PROMPTS_DIR) / f"{name}.md"
    try:
        stamp = path.stat().st_mtime_ns
        with _lock:
            cached = _cache.get(path)
            if cached and cached[0] == stamp:
                return cached[1]
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise PromptMissing(f"cannot read the prompt {path}: {error}") from error
    with _lock:
        _cache[path] = (stamp, text)
    return text


def fill(template: str, **values: str) -> str:
    """`template` with each `{name}` of `values` replaced."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def numbered_passages(texts: list[str]) -> str:
    """Passages as the prompt shows them: "[1] first\n\n[2] second"."""
    return "\n\n".join(f"[{number}] {' '.join(text.split())}" for number, text in enumerate(texts, 1))
