"""What a call of the answering chain is made of: the question cleaned, the settings for its overrides.

What it does: `clean_question` removes control characters and refuses an empty or over-long
question (ValueError, with the reason); `settings_for(overrides)` gives the `Settings` of one call,
made once per combination of overrides and QUOTEQA_* variables; `read_call` reads the chain's input
(a question, or a dict with question, history and settings) into a `Call`; `use_threads` sets PyTorch's threads
when it is loaded. `Turn` is one question's way through the chain: the call, then each stage's
typed record as its step gives it; `timed` records a step's milliseconds in it.
What it does not: answer (see `qa.answering`) or validate the history (see `qa.conversation.history`).
"""

from __future__ import annotations

import functools
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from qa.answer import elapsed_ms
from qa.conversation.history import CONTROL_CHARACTERS
from qa.conversation.reading import Reading
from qa.decision.decide import Decision
from qa.search.index import LoadedIndex
from qa.search.retrieve import Retrieved
from qa.search.scoring import Scored
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


@dataclass(frozen=True)
class Call:
    """The chain's input as given, not yet checked: the question, the chat history, and the
    overrides of `Settings` for this call."""

    question: Any
    history: Any = None
    overrides: dict = field(default_factory=dict)


def read_call(value: Any) -> Call:
    if isinstance(value, str):
        return Call(value)
    if isinstance(value, dict):
        return Call(value.get("question"), value.get("history"), dict(value.get("settings") or {}))
    raise ValueError("the chain takes a question string or a dict with 'question', 'history', 'settings'")


@dataclass
class Turn:
    """One question's way through the chain: the call, then each stage's record as its step gives
    it (`trace` returns it)."""

    question: str  # as typed, control characters removed
    history: list[dict]
    settings: Settings
    started: float  # perf_counter at the start, for the total time
    timings: dict[str, float] = field(default_factory=dict)  # each step's milliseconds
    index: LoadedIndex | None = None  # the snapshot this question is answered from
    reading: Reading | None = None  # condense: the question as read
    notice: str | None = None  # the policy declined the question before searching
    retrieved: Retrieved | None = None  # retrieve: the candidate chunks
    scored: Scored | None = None  # rerank: the sentences with their scores
    decision: Decision | None = None  # judge: answer or refuse


def timed(step: str):
    """Record the step's milliseconds in the turn's timings."""
    def wrap(function):
        @functools.wraps(function)
        def run(turn: Turn) -> Turn:
            began = time.perf_counter()
            result = function(turn)
            turn.timings[f"{step}_ms"] = elapsed_ms(began)
            return result

        return run

    return wrap
