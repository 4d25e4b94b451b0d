"""What a call of the answering chain is made of: the question cleaned, the settings for its overrides.

What it does: `clean_question` removes control characters and refuses an empty or over-long
question (ValueError, with the reason); `settings_for(overrides)` gives the `Settings` of one call,
made once per combination of overrides and QUOTEQA_* variables; `as_state` reads the chain's input
(a question, or a dict with question, history and settings); `use_threads` sets PyTorch's threads
when it is loaded.
What it does not: answer (see `qa.answering`) or validate the history (see `qa.conversation.history`).
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

from qa.conversation.history import CONTROL_CHARACTERS
from qa.settings import Settings

_TORCH_THREADS: int | None = None


def clean_question(question: Any, max_chars: int) -> str:
    """The question with control characters removed; ValueError when it cannot be asked."""
    if not isinstance(question, str):
        raise ValueError("the question must be text")
    question = CONTROL_CHARACTERS.sub(" ", question).strip()
    question = re.sub(r"\s+", " ", question)
    if not question:
        raise ValueError("the question is empty: type a question about the documents")
    if len(question) > max_chars:
        raise ValueError(f"the question is too long ({len(question)} characters; the limit is {max_chars})")
    return question


_SETTINGS: dict[str, Settings] = {}


def settings_for(overrides: dict) -> Settings:
    """The settings for these overrides and this process's QUOTEQA_* variables, made once per
    combination (reading and validating them costs ~1 ms, a question's budget is ~150 ms)."""
    key = repr((sorted((k.upper(), v) for k, v in os.environ.items() if k.upper().startswith("QUOTEQA_")),
                sorted(overrides.items())))
    settings = _SETTINGS.get(key)
    if settings is None:
        settings = Settings(**overrides) if overrides else Settings()
        if len(_SETTINGS) >= 64:
            _SETTINGS.clear()
        _SETTINGS[key] = settings
    return settings



def use_threads(threads: int) -> None:
    """Limit PyTorch's threads for this process when it is loaded (ingest's embedder, a local
    LLM): answering itself runs on NumPy and onnxruntime, which take their own."""
    global _TORCH_THREADS
    if _TORCH_THREADS != threads and "torch" in sys.modules:
        import torch

        torch.set_num_threads(threads)
        _TORCH_THREADS = threads


def as_state(value: Any) -> dict:
    if isinstance(value, str):
        return {"question": value}
    if isinstance(value, dict):
        return {
            "question": value.get("question"),
            "history": value.get("history"),
            "settings": dict(value.get("settings") or {}),
        }
    raise ValueError("the chain takes a question string or a dict with 'question', 'history', 'settings'")
